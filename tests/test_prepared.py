"""Reads planned once per connection (talentdev.core.prepared): the same rows and query
counts as plain queries, on SQLite and PostgreSQL, with prepared statements on or off."""

from datetime import timedelta
from operator import attrgetter

import pytest
from django.db import connection
from django.db.models import F, Q

from people.models import User
from talentdev.core.prepared import PreparedQuery, planned_once
from tests import factories as f

pytestmark = pytest.mark.django_db


def _people_named():
    # A person by id or by username, each parameter used twice, the username as text.
    return PreparedQuery(
        lambda pk, username: (
            User.objects.filter(
                Q(pk=pk) | Q(username=username) | Q(manager_id=pk) | Q(email=username)
            )
            .order_by("pk")
            .values("username")
        ),
        name="people_named",
        parameters={"pk": int, "username": str},
    )


def _held_statements(*, plans=False):
    """The statements the connection holds, each with its parameters' types, and with
    `plans` how many times it ran on its one generic plan or on a plan made for its values."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, parameter_types::text[], generic_plans, custom_plans"
            " FROM pg_prepared_statements"
        )
        return {name: (types, *counts) if plans else types for name, types, *counts in cursor}


@pytest.mark.parametrize("prepared", [True, False])
def test_a_prepared_query_runs_with_each_named_parameter_wherever_it_is_used(settings, prepared):
    settings.DATABASE_PREPARED_QUERIES = prepared
    boss, other = f.UserFactory.create_batch(2)
    report = f.UserFactory(manager=boss)
    people = _people_named()
    for _ in range(2):  # built once, run again with other values
        assert people.rows(pk=boss.pk, username=other.username) == [
            {"username": person.username}
            for person in sorted([boss, other, report], key=attrgetter("pk"))
        ]
        assert people.rows(pk=report.pk, username="nobody") == [{"username": report.username}]


def test_a_prepared_query_refuses_a_parameter_it_does_not_use_or_a_value_it_does_not_take():
    unused = PreparedQuery(
        lambda pk, username: User.objects.filter(pk=pk).values("pk"),
        name="unused",
        parameters={"pk": int, "username": str},
    )
    with pytest.raises(ValueError, match="uses each of its parameters"):
        unused.rows(pk=1, username="a")
    with pytest.raises(TypeError, match="runs with pk, username"):
        _people_named().rows(pk=1)
    with pytest.raises(TypeError, match=r"ids \(int\) or text \(str\)"):
        PreparedQuery(lambda when: User.objects.none(), name="when", parameters={"when": float})


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_prepared_query_is_planned_once_per_connection_with_typed_parameters(
    settings,
):
    settings.DATABASE_PREPARED_QUERIES = True
    person = f.UserFactory()
    people = _people_named()
    connection.close()  # a connection of its own, holding no statements yet
    for _ in range(2):  # a new connection holds none of the old one's statements
        for _ in range(3):
            assert people.rows(pk=person.pk, username="x") == [{"username": person.username}]
        held = {n: t for n, t in _held_statements(plans=True).items() if n.startswith("people_n")}
        # planned once: its one plan serves every run
        assert held == {"people_named_1": (["bigint", "text", "bigint", "text"], 3, 0)}
        connection.close()
    settings.DATABASE_PREPARED_QUERIES = False  # as behind a pooler that drops them
    assert people.rows(pk=person.pk, username="x") == [{"username": person.username}]
    assert _held_statements() == {}


@pytest.mark.parametrize("prepared", [True, False])
def test_reads_planned_once_give_the_rows_and_query_counts_of_plain_queries(
    settings, django_assert_num_queries, prepared
):
    settings.DATABASE_PREPARED_QUERIES = prepared
    boss = f.UserFactory(first_name="Ann", username="Ann-boss")
    f.UserFactory(manager=boss, first_name="Bo", username="x-bo")
    # a literal percent sign in the SQL (LIKE … || '%'), and a value with no type to
    # declare (None), which runs as a plain query
    starts_with_name = User.objects.filter(username__startswith=F("first_name"))
    reports = User.objects.filter(manager=boss).select_related("manager")
    unmanaged = User.objects.filter(manager=None, last_name__in=[boss.last_name, None])
    reads = [starts_with_name, reports, unmanaged]
    plain = [list(read.all()) for read in reads]
    for _ in range(2):
        with django_assert_num_queries(3), planned_once("people"):
            planned = [list(read.all()) for read in reads]
        assert planned == plain
        assert planned[1][0].manager == boss
    assert plain[0] == [boss]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_on_postgresql_reads_planned_once_are_prepared_once_per_text_and_only_reads(settings):
    settings.DATABASE_PREPARED_QUERIES = True
    boss = f.UserFactory()
    connection.close()  # a connection of its own, holding no statements yet
    joined_before = boss.date_joined + timedelta(seconds=1)
    with planned_once("people"):
        for _ in range(2):
            assert list(User.objects.filter(pk=boss.pk)) == [boss]
            assert list(User.objects.filter(manager=None, pk=boss.pk)) == [boss]
            assert list(User.objects.filter(date_joined__lt=joined_before)) == [boss]
        User.objects.filter(pk=boss.pk).update(first_name="Changed")
    # the constants written in, the ids and moments as parameters; a read "since" a
    # moment planned for it each time, whatever the server judges best for the others
    assert _held_statements(plans=True) == {
        "people_1": (["bigint"], 2, 0),
        "people_2": (["bigint"], 2, 0),
        "people_3": (["timestamp with time zone"], 0, 2),
    }
    assert list(User.objects.filter(pk=boss.pk, first_name="Changed")) == [boss]
    settings.DATABASE_PREPARED_QUERIES = False
    connection.close()
    with planned_once("people"):
        assert list(User.objects.filter(pk=boss.pk)) == [boss]
    assert _held_statements() == {}
