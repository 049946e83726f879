"""The programs page every person has: the programs they take part in, in any role."""

import pytest
from django.urls import reverse

from areas.home.views.landing import PROGRAMS_PAGE_SIZE
from programs.models import Program
from talentdev.core.paging import window_of
from tests import factories as f

pytestmark = pytest.mark.django_db


def _programs(client, **query):
    return client.get(reverse("programs"), query)


@pytest.mark.parametrize("size", [2, PROGRAMS_PAGE_SIZE + 10])
def test_the_programs_page_runs_the_same_queries_at_any_size_a_page_at_a_time(
    client, django_assert_num_queries, size
):
    learner = f.UserFactory()
    for n in range(size):
        program = f.ProgramFactory(name=f"Program {n:03}")
        f.EnrolmentFactory(program=program, learner=learner)
    client.force_login(learner)
    # session, user, permissions (2: is this an HR admin?), the page of programs, and the
    # navigation's roles with the unread count (one query)
    with django_assert_num_queries(6):
        response = _programs(client)
    assert response.text.count('<li class="list-group-item">') == min(size, PROGRAMS_PAGE_SIZE)
    assert ("page=2" in response.text) is (size > PROGRAMS_PAGE_SIZE)


def test_the_next_page_lists_the_rest_by_name_and_offers_the_way_back(client):
    admin = f.HRAdminFactory()
    for n in range(PROGRAMS_PAGE_SIZE + 1):
        f.ProgramFactory(name=f"Program {n:03}")
    client.force_login(admin)
    first = _programs(client).text
    assert "Program 000" in first
    assert f"Program {PROGRAMS_PAGE_SIZE:03}" not in first
    second = _programs(client, page=2).text
    assert f"Program {PROGRAMS_PAGE_SIZE:03}" in second
    assert "Program 000" not in second
    assert 'href="?page=1">Previous' in second
    assert "Next" not in second


@pytest.mark.parametrize("page", ["", "abc", "0", "-1", "2.5", "99999999999999999999", "3"])
def test_a_page_that_is_not_there_reads_the_first(page):
    for n in range(3):
        f.ProgramFactory(name=f"Program {n}")
    window = window_of(Program.objects.order_by("name"), page, 2)
    assert window.number == 1
    assert [p.name for p in window] == ["Program 0", "Program 1"]
    assert window.has_next
    assert not window.has_previous


def test_a_page_of_a_list_says_whether_more_follow_without_counting(django_assert_num_queries):
    for n in range(4):
        f.ProgramFactory(name=f"Program {n}")
    with django_assert_num_queries(1):
        window = window_of(Program.objects.order_by("name"), "2", 2)
    assert [p.name for p in window] == ["Program 2", "Program 3"]
    assert (window.has_previous, window.has_next) == (True, False)
