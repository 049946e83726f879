"""Every endpoint against every kind of caller: the right scope is needed, and rows
outside a client's data scope are refused, never shown."""

import pytest

from people.models import OrgUnit, User
from tests.factories import JobRoleFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db

# (method, address, body, scope it needs); {inside}/{outside} are people's uuids and
# employee ids of a client limited to the "mine" unit.
ENDPOINTS = [
    ("get", "/api/v1/people", None, "people:read"),
    ("get", "/api/v1/people/{inside}", None, "people:read"),
    ("get", "/api/v1/people/by-employee-id/IN", None, "people:read"),
    ("post", "/api/v1/people", {"employee_id": "NEW", "org_unit": "mine"}, "people:write"),
    ("patch", "/api/v1/people/{inside}", {"job_title": "Lead"}, "people:write"),
    (
        "put",
        "/api/v1/people/by-employee-id/IN",
        {"job_title": "Lead", "org_unit": "mine"},
        "people:write",
    ),
    (
        "post",
        "/api/v1/people/bulk",
        {"records": [{"employee_id": "IN", "org_unit": "mine"}]},
        "people:write",
    ),
    ("get", "/api/v1/org-units", None, "people:read"),
    ("get", "/api/v1/org-units/mine", None, "people:read"),
    ("put", "/api/v1/org-units/mine", {"name": "Mine"}, "people:write"),
    ("get", "/api/v1/job-roles", None, "people:read"),
    ("get", "/api/v1/job-roles/ae", None, "people:read"),
    ("put", "/api/v1/job-roles/ae", {"title": "AE"}, "people:write"),
]
ALL = ["people:read", "people:write", "programs:read", "evidence:read"]


@pytest.fixture
def world():
    mine = OrgUnitFactory(code="mine")
    below = OrgUnitFactory(code="below", parent=mine)
    other = OrgUnitFactory(code="other")
    JobRoleFactory(code="ae")
    return {
        "inside": UserFactory(employee_id="IN", org_unit=mine),
        "below": UserFactory(employee_id="BELOW", org_unit=below),
        "outside": UserFactory(employee_id="OUT", org_unit=other),
        "mine": mine,
        "other": other,
    }


def call(caller, method, url, body, world):
    url = url.format(inside=world["inside"].uuid, outside=world["outside"].uuid)
    return (
        getattr(caller, method)(url, body, format="json") if body else getattr(caller, method)(url)
    )


@pytest.mark.parametrize(("method", "url", "body", "scope"), ENDPOINTS)
def test_a_client_without_the_scope_is_refused(client_with, world, method, url, body, scope):
    caller = client_with([s for s in ALL if s != scope])

    response = call(caller, method, url, body, world)

    assert response.status_code == 403
    assert "results" not in response.json()
    assert "employee_id" not in response.json()


@pytest.mark.parametrize(("method", "url", "body", "scope"), ENDPOINTS)
def test_a_client_with_the_scope_is_let_in(client_with, world, method, url, body, scope):
    caller = client_with([scope], data_scope="org_units", org_units=[world["mine"]])

    response = call(caller, method, url, body, world)

    if (method, url) == ("put", "/api/v1/job-roles/ae"):
        # Job roles are the whole company's: a client limited to org units reads them only.
        assert response.status_code == 403
    else:
        assert response.status_code in (200, 201), response.content


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("get", "/api/v1/people/{outside}", None),
        ("get", "/api/v1/people/by-employee-id/OUT", None),
        ("patch", "/api/v1/people/{outside}", {"job_title": "Lead"}),
        ("get", "/api/v1/org-units/other", None),
    ],
)
def test_rows_outside_the_data_scope_are_not_found(client_with, world, method, url, body):
    caller = client_with(ALL, data_scope="org_units", org_units=[world["mine"]])

    response = call(caller, method, url, body, world)

    assert response.status_code == 404
    assert "OUT" not in response.content.decode()
    assert User.objects.get(employee_id="OUT").job_title == ""


def test_a_limited_client_lists_its_units_people_and_those_below(client_with, world):
    caller = client_with(ALL, data_scope="org_units", org_units=[world["mine"]])

    people = {r["employee_id"] for r in caller.get("/api/v1/people").json()["results"]}
    units = {r["code"] for r in caller.get("/api/v1/org-units").json()["results"]}

    assert people == {"IN", "BELOW"}
    assert units == {"mine", "below"}


def test_a_limited_client_cannot_take_over_someone_outside(client_with, world):
    caller = client_with(ALL, data_scope="org_units", org_units=[world["mine"]])

    response = caller.put(
        "/api/v1/people/by-employee-id/OUT", {"first_name": "X", "org_unit": "mine"}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "Another person already has this employee ID."
    assert User.objects.get(employee_id="OUT").org_unit == world["other"]


def test_a_limited_client_places_people_only_in_its_units(client_with, world):
    caller = client_with(ALL, data_scope="org_units", org_units=[world["mine"]])

    moved = caller.put("/api/v1/people/by-employee-id/IN", {"org_unit": "other"}, format="json")
    placed_nowhere = caller.put("/api/v1/people/by-employee-id/NEW", {}, format="json")
    renamed_outside = caller.put("/api/v1/org-units/other", {"name": "Taken"}, format="json")

    assert moved.status_code == placed_nowhere.status_code == 400
    assert User.objects.get(employee_id="IN").org_unit == world["mine"]
    assert not User.objects.filter(employee_id="NEW").exists()
    added_outside = caller.put(
        "/api/v1/org-units/new", {"name": "New", "parent": "other"}, format="json"
    )
    added_at_the_top = caller.put("/api/v1/org-units/top", {"name": "Top"}, format="json")
    added_inside = caller.put(
        "/api/v1/org-units/team", {"name": "Team", "parent": "mine"}, format="json"
    )

    assert renamed_outside.status_code == 404
    assert OrgUnit.objects.get(code="other").name != "Taken"
    assert added_outside.status_code == 400  # "other" is no unit this client knows
    assert added_at_the_top.status_code == 403
    assert not OrgUnit.objects.filter(code__in=["new", "top"]).exists()
    assert added_inside.status_code == 201


def test_a_company_client_sees_everyone(client_with, world):
    caller = client_with(["people:read"])

    people = {r["employee_id"] for r in caller.get("/api/v1/people").json()["results"]}

    assert {"IN", "BELOW", "OUT"} <= people
