"""Finding people to enrol or to name as supervisor, coach, owner or sponsor."""

import pytest
from django.urls import reverse

from people.selectors import PEOPLE_SEARCH_LIMIT, people_search
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    # Named so that no search below finds them.
    return f.HRAdminFactory(
        username="hr", first_name="Zed", last_name="Zorn", email="hr@corp.test", employee_id=""
    )


def _found(admin, text):
    return {person.username for person in people_search(viewer=admin, text=text)}


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("liu", {"dliu"}),  # three letters or more: anywhere in a name
        ("ana", {"dliu"}),
        ("li", {"dliu"}),  # one or two: the start of a name, username or email
        ("D", {"dliu"}),
        ("iu", set()),
        ("an", set()),
        ("dana li", {"dliu"}),  # every word
        ("dana stone", set()),
        ("E-77", {"dliu"}),  # an employee ID, whole
        ("E-7", set()),
        ("", set()),
        ("   ", set()),
    ],
)
def test_a_short_word_finds_people_by_the_start_of_their_names_a_longer_one_anywhere(
    admin, text, found
):
    f.UserFactory(
        username="dliu",
        first_name="Dana",
        last_name="Liu",
        email="dliu@example.com",
        employee_id="E-77",
    )
    f.UserFactory(username="bob", first_name="Bob", last_name="Stone", email="bob@example.com")
    assert _found(admin, text) == found


def test_people_found_come_by_name_whatever_its_case(admin):
    for username, first, last in (
        ("c", "Mo", "Zed"),
        ("b", "mo", "baker"),
        ("a", "Mo", "Able"),
        ("d", "Al", "Baker"),
    ):
        f.UserFactory(username=username, first_name=first, last_name=last)
    found = [person.username for person in people_search(viewer=admin, text="mo")]
    assert found == ["a", "b", "c"]
    assert [p.username for p in people_search(viewer=admin, text="baker")] == ["d", "b"]


def test_inactive_people_are_not_offered(admin):
    f.UserFactory(username="gone", first_name="Gone", is_active=False)
    assert _found(admin, "gone") == set()


@pytest.mark.parametrize("size", [2, 40])
def test_the_search_runs_the_same_queries_and_offers_at_most_ten_at_any_size(
    client, admin, django_assert_num_queries, size
):
    for n in range(size):
        f.UserFactory(first_name=f"Alex{n}", last_name="Able")
    client.force_login(admin)
    url = reverse("design:people_search")
    # the session and user, the permissions (2), whether they own a program (the design
    # area's rule) and the people found
    with django_assert_num_queries(6):
        response = client.get(url, {"q": "al", "as": "list"})
    assert response.text.count("Add<span") == min(size, PEOPLE_SEARCH_LIMIT)
    with django_assert_num_queries(6):
        response = client.get(url, {"q": "able"})
    assert response.text.count("<option") == min(size, PEOPLE_SEARCH_LIMIT)


def test_a_designer_finds_the_learners_of_their_programs_and_their_line_only(client):
    program = f.ProgramFactory()
    learner = f.EnrolmentFactory(program=program, learner__first_name="Mira").learner
    report = f.UserFactory(first_name="Mirabel", manager=program.owner)
    stranger = f.UserFactory(first_name="Miranda")
    client.force_login(program.owner)
    text = client.get(reverse("design:people_search"), {"q": "mir", "as": "list"}).text
    assert learner.username in text
    assert report.username in text
    assert stranger.username not in text
