"""A nightly sync: lists in change order, paged by cursor, filtered by updated_since; no
row missed and no unchanged row repeated while rows change between pages."""

from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.utils import timezone

from people.models import User
from people.services import job_role_requirements_set, person_update
from tests.factories import CompetencyFactory, JobRoleFactory, OrgUnitFactory, UserFactory

from .conftest import fields_of

pytestmark = pytest.mark.django_db


def walk(caller, url):
    """Every page of a list, following `next`; yields each page's rows."""
    while url:
        response = caller.get(url)
        assert response.status_code == 200, response.content
        body = response.json()
        yield body["results"]
        url = body["next"]


def test_rows_come_in_change_order_across_pages(client_with):
    caller = client_with(["people:read"])
    people = UserFactory.create_batch(7)

    pages = list(walk(caller, "/api/v1/people?page_size=3"))

    assert [len(page) for page in pages] == [3, 3, 1]
    seen = [row["id"] for page in pages for row in page]
    expected = sorted(people, key=lambda p: (p.updated_at, str(p.uuid)))
    assert seen == [str(p.uuid) for p in expected]


def test_a_sync_while_rows_change_misses_no_change_and_repeats_no_unchanged_row(client_with):
    caller = client_with(["people:read"])
    people = UserFactory.create_batch(9)
    ordered = sorted(people, key=lambda p: (p.updated_at, str(p.uuid)))
    url = "/api/v1/people?page_size=3"

    first = caller.get(url).json()
    # Between pages: a row already read and a row not yet read change, and one is added.
    read_already, not_yet = ordered[0], ordered[7]
    person_update(person=read_already, job_title="Changed after it was read")
    person_update(person=not_yet, job_title="Changed before it was read")
    newcomer = UserFactory()
    rest = [row for page in walk(caller, first["next"]) for row in page]

    rows = first["results"] + rest
    ids = [row["id"] for row in rows]
    unchanged = [p for p in ordered if p not in (read_already, not_yet)]
    for person in unchanged:
        assert ids.count(str(person.uuid)) == 1
    # The row changed before it was read comes once, as it is now.
    assert ids.count(str(not_yet.uuid)) == 1
    assert rows[ids.index(str(not_yet.uuid))]["job_title"] == "Changed before it was read"
    # The row changed after it was read comes again, with its change.
    assert ids.count(str(read_already.uuid)) == 2
    assert rows[ids.index(str(read_already.uuid), 1)]["job_title"] == "Changed after it was read"
    assert str(newcomer.uuid) in ids


def test_updated_since_is_inclusive_and_shows_deactivations(client_with):
    caller = client_with(["people:read"])
    UserFactory.create_batch(3)
    leaver = UserFactory(employee_id="E9")
    since = timezone.now()
    person_update(person=leaver, is_active=False)
    leaver.refresh_from_db()

    rows = caller.get("/api/v1/people", {"updated_since": since.isoformat()}).json()["results"]
    exact = caller.get("/api/v1/people", {"updated_since": leaver.updated_at.isoformat()}).json()[
        "results"
    ]

    assert [(row["employee_id"], row["active"]) for row in rows] == [("E9", False)]
    assert [row["employee_id"] for row in exact] == ["E9"]


def test_filters_narrow_the_list(client_with):
    caller = client_with(["people:read"])
    sales = OrgUnitFactory(code="sales")
    UserFactory(employee_id="S1", org_unit=sales, last_name="Okafor")
    UserFactory(employee_id="X1")

    def ids(**query):
        return [r["employee_id"] for r in caller.get("/api/v1/people", query).json()["results"]]

    assert ids(org_unit="sales") == ["S1"]
    assert ids(employee_id="X1") == ["X1"]
    assert ids(q="okaf") == ["S1"]


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"page_size": "0"}, "page_size", "Give a whole number from 1 to 500."),
        ({"page_size": "501"}, "page_size", "Give a whole number from 1 to 500."),
        ({"page_size": "ten"}, "page_size", "Give a whole number from 1 to 500."),
        ({"updated_since": "yesterday"}, "updated_since", "Enter a valid date/time."),
    ],
)
def test_bad_paging_and_filters_are_refused(client_with, query, field, message):
    caller = client_with(["people:read"])

    response = caller.get("/api/v1/people", query)

    assert response.status_code == 400
    assert fields_of(response) == {field: message}


def test_a_tampered_cursor_is_refused(client_with):
    caller = client_with(["people:read"])
    UserFactory.create_batch(3)
    next_link = caller.get("/api/v1/people?page_size=1").json()["next"]
    cursor = parse_qs(urlsplit(next_link).query)["cursor"][0]
    stamp, signature = cursor.rsplit(":", 1)

    for forged in (stamp + ":" + signature[::-1], "e30:abc", "", "%00"):
        response = caller.get("/api/v1/people", {"cursor": forged, "page_size": 1})
        if forged == "":
            assert response.status_code == 200  # no cursor: the first page
            continue
        assert response.status_code == 400
        assert fields_of(response) == {
            "cursor": "This cursor is not one the API gave: follow the `next` link as is."
        }


def test_the_default_page_is_100_rows(client_with):
    caller = client_with(["people:read"])
    UserFactory.create_batch(101)

    body = caller.get("/api/v1/people").json()

    assert len(body["results"]) == 100
    assert body["next"]


@pytest.mark.parametrize("count", [2, 50])
def test_a_page_of_people_runs_the_same_queries_whatever_its_size(
    client_with, django_assert_num_queries, count
):
    caller = client_with(["people:read"])
    unit = OrgUnitFactory()
    boss = UserFactory(employee_id="B")
    UserFactory.create_batch(count, org_unit=unit, manager=boss)
    caller.get("/api/v1/me")  # marks the client used, as the first call of a minute does

    # token, its client, the API client, then one read of the page with its relations
    with django_assert_num_queries(4):
        body = caller.get(f"/api/v1/people?page_size={count + 1}").json()

    assert len(body["results"]) == count + 1


@pytest.mark.parametrize("count", [2, 30])
def test_org_units_and_job_roles_pages_run_constant_queries(
    client_with, django_assert_num_queries, count
):
    caller = client_with(["people:read"])
    parent = OrgUnitFactory()
    OrgUnitFactory.create_batch(count, parent=parent)
    competency = CompetencyFactory()
    for role in JobRoleFactory.create_batch(count):
        job_role_requirements_set(
            role=role, requirements={competency: competency.scale.levels.first()}
        )
    caller.get("/api/v1/me")

    with django_assert_num_queries(4):
        assert len(caller.get("/api/v1/org-units?page_size=500").json()["results"]) == count + 1
    # the roles, then their requirements with competency and level
    with django_assert_num_queries(5):
        assert len(caller.get("/api/v1/job-roles?page_size=500").json()["results"]) == count


def test_a_row_changed_long_ago_is_not_in_a_recent_sync(client_with):
    caller = client_with(["people:read"])
    old = UserFactory()
    User.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=30))

    rows = caller.get(
        "/api/v1/people", {"updated_since": (timezone.now() - timedelta(days=1)).isoformat()}
    ).json()["results"]

    assert str(old.uuid) not in [row["id"] for row in rows]
