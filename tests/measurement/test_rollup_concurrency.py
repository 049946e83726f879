"""The weekly rollup run by two workers at once (PostgreSQL): each review and each
sponsor's notice is written once, and neither run fails."""

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from django.db import connection, transaction

from measurement.models import SponsorReview
from measurement.rollups import sponsor_reviews_roll_up
from people.models import Notification
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

MONDAY = datetime(2026, 11, 9, 6, tzinfo=UTC)


def _sponsored_programs(n):
    programs = []
    for _ in range(n):
        program = f.ProgramFactory()
        pathway = f.PathwayFactory(program=program)
        f.EnrolmentFactory(program=program, pathway=pathway, enrolled_on=date(2026, 10, 1))
        program.sponsors.add(f.UserFactory())
        programs.append(program)
    return programs


def _own_connection(work):
    def run():
        try:
            return work()
        finally:
            connection.close()  # this thread's own connection

    return run


def _wait_for_a_lock_wait():
    """Until another connection to this database waits on a lock."""
    for _ in range(300):
        with connection.cursor() as cursor:
            # Inside a transaction the activity is read once and kept, unless cleared.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return
        threading.Event().wait(0.1)
    pytest.fail("the second rollup never waited for the first")


def test_a_second_rollup_waits_for_the_first_and_refreshes_the_same_reviews():
    programs = _sponsored_programs(3)
    first_wrote, first_may_commit = threading.Event(), threading.Event()
    first_generated = []

    def first():
        with transaction.atomic():
            result = sponsor_reviews_roll_up(now=MONDAY)
            first_generated.extend(SponsorReview.objects.values_list("generated_at", flat=True))
            first_wrote.set()
            assert first_may_commit.wait(timeout=60)
        return result

    def second():
        assert first_wrote.wait(timeout=60)
        return sponsor_reviews_roll_up(now=MONDAY)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(_own_connection(work)) for work in (first, second)]
        _wait_for_a_lock_wait()  # the second, on the first's uncommitted reviews
        first_may_commit.set()
        assert [run.result(timeout=60) for run in runs] == [3, 3]

    reviews = SponsorReview.objects.order_by("program")
    assert [review.program_id for review in reviews] == [program.pk for program in programs]
    assert all(review.snapshot["enrolments"]["active"] == 1 for review in reviews)
    # refreshed by the second, which wrote nothing until the first committed
    assert all(review.generated_at > max(first_generated) for review in reviews)
    assert Notification.objects.filter(kind="review_ready").count() == 3


def test_two_rollups_started_together_write_each_review_and_notice_once():
    _sponsored_programs(4)
    barrier = threading.Barrier(2)

    def rollup():
        barrier.wait(timeout=30)
        return sponsor_reviews_roll_up(now=MONDAY)

    with ThreadPoolExecutor(max_workers=2) as pool:
        runs = [pool.submit(_own_connection(rollup)) for _ in range(2)]
        assert [run.result(timeout=60) for run in runs] == [4, 4]
    assert SponsorReview.objects.count() == 4
    assert Notification.objects.filter(kind="review_ready").count() == 4


def test_a_review_is_recorded_as_created_once_though_two_rollups_ran_at_once():
    """The second rollup begins, reads its figures and reaches its insert; meanwhile the
    first, whose transaction holds the reviews' table, creates the reviews and commits.
    The second's insert then finds them made: it records none as created."""
    _sponsored_programs(2)
    reviews = SponsorReview._meta.db_table

    with ThreadPoolExecutor(max_workers=1) as pool:
        with transaction.atomic():  # the first rollup's transaction
            with connection.cursor() as cursor:
                # No other writer inserts a review until the first commits.
                cursor.execute(f"LOCK TABLE {reviews} IN SHARE ROW EXCLUSIVE MODE")
            second = pool.submit(_own_connection(lambda: sponsor_reviews_roll_up(now=MONDAY)))
            _wait_for_a_lock_wait()  # the second, at its insert
            assert sponsor_reviews_roll_up(now=MONDAY) == 2
        assert second.result(timeout=60) == 2

    created = SponsorReview.history.filter(history_type="+").values_list("id", flat=True)
    assert sorted(created) == sorted(SponsorReview.objects.values_list("id", flat=True))
