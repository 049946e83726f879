"""The navigation: each person's roles and unread count, read in one query on every page."""

import importlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import clear_url_caches, get_resolver, reverse
from django.utils import timezone

from areas.navigation import Roles, roles_of
from coaching.models import PeerFeedbackRequest
from people.models import User
from people.notifications import notify
from talentdev.core.access import HR_ADMIN_PERMISSION, is_hr_admin
from talentdev.core.prepared import PreparedQuery, compile_all
from tests import factories as f

pytestmark = pytest.mark.django_db

# What a prepared query's build is called with for its one id while its SQL is built.
STAND_IN = -1


def _hr_admin_permission():
    app_label, codename = HR_ADMIN_PERMISSION.split(".")
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _through_a_group():
    person = f.UserFactory()
    group = Group.objects.create(name="HR")
    group.permissions.add(_hr_admin_permission())
    person.groups.add(group)
    return person


def _inactive_admin():
    person = f.HRAdminFactory()
    User.objects.filter(pk=person.pk).update(is_active=False)
    return User.objects.get(pk=person.pk)


@pytest.mark.parametrize(
    ("make", "admin"),
    [
        (f.UserFactory, False),
        (f.HRAdminFactory, True),
        (_through_a_group, True),
        (lambda: f.UserFactory(is_superuser=True), True),
        (_inactive_admin, False),
    ],
)
def test_the_navigation_asks_the_hr_admin_permission_as_the_access_rules_do(make, admin):
    person = make()
    assert is_hr_admin(User.objects.get(pk=person.pk)) is admin
    assert roles_of(person).designer is admin


def test_each_context_a_person_acts_in_is_a_role():
    enrolment = f.EnrolmentFactory(coach=f.UserFactory())
    manager = f.UserFactory()
    User.objects.filter(pk=enrolment.learner_id).update(manager=manager)
    sponsor = f.UserFactory()
    enrolment.program.sponsors.add(sponsor)
    reviewer = f.UserFactory()
    PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=reviewer,
        prompt="How did the review go?",
        due_at=timezone.now() + timedelta(days=2),
    )
    assert roles_of(enrolment.learner) == Roles(learner=True)
    for person in (enrolment.supervisor, enrolment.coach, manager):
        assert roles_of(person) == Roles(manager=True)
    assert roles_of(sponsor) == Roles(sponsor=True)
    assert roles_of(reviewer) == Roles(reviewer=True)
    assert roles_of(enrolment.program.owner) == Roles(designer=True)
    assert roles_of(f.UserFactory()) == Roles()


def test_a_withdrawn_learner_and_their_supervisor_no_longer_hold_the_role():
    enrolment = f.EnrolmentFactory(status="withdrawn")
    assert not roles_of(enrolment.learner).learner
    assert not roles_of(enrolment.supervisor).manager


def test_every_page_reads_the_roles_and_the_unread_count_in_one_query(client):
    enrolment = f.EnrolmentFactory()
    notify(recipient=enrolment.learner, kind="step_open", key="a", title="A", body="…")
    notify(recipient=enrolment.learner, kind="step_open", key="b", title="B", body="…")
    client.force_login(enrolment.learner)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("learn:assignments")).text
    assert 'href="/learn/">My pathway</a>' in page
    assert "My team" not in page
    assert '2<span class="visually-hidden"> unread</span>' in page
    # as SQL, or on PostgreSQL as the statement prepared from it
    navigation = [
        q
        for q in queries.captured_queries
        if "is_learner" in q["sql"] or "navigation_flags" in q["sql"]
    ]
    assert len(navigation) == 1


def test_compile_all_builds_each_prepared_query_once_before_its_first_run():
    person = f.UserFactory()
    built = []

    def usernames(pk):
        built.append(pk)
        return User.objects.filter(pk=pk).values("username")

    query = PreparedQuery(usernames, name="compiled_first", parameters={"pk": int})
    assert built == []
    compile_all()
    assert built == [STAND_IN]
    assert query.rows(pk=person.pk) == [{"username": person.username}]
    assert built == [STAND_IN]


def test_a_worker_loads_the_routes_and_builds_the_prepared_queries_as_it_starts():
    import talentdev.wsgi

    clear_url_caches()
    built = []
    query = PreparedQuery(
        lambda pk: built.append(pk) or User.objects.filter(pk=pk).values("pk"),
        name="at_start",
        parameters={"pk": int},
    )
    importlib.reload(talentdev.wsgi)
    assert get_resolver()._populated  # the reverse lookup is built: no request builds it
    assert built == [STAND_IN]
    assert query.rows(pk=f.UserFactory().pk)
    assert built == [STAND_IN]
