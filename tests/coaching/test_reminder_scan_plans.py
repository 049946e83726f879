"""The reminder scan on PostgreSQL: every query it runs can be answered from an index, and
it creates reminders in the same statements whatever their number, within a batch."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from coaching.models import FeedbackWindow, PeerFeedbackRequest
from coaching.reminders import KEYS_PER_QUERY, reminders_scan
from people.models import Notification
from programs.models import Assignment
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _due(count, now):
    """Windows closing within the hour, windows missed lately, a peer request and an
    assignment due tomorrow: every kind of reminder the scan makes."""
    observer = f.UserFactory(manager=f.UserFactory())
    enrolment = f.EnrolmentFactory(supervisor=observer)
    for i in range(count):
        f.FeedbackWindowFactory(
            observation__enrolment=enrolment,
            observation__observer=observer,
            closes_at=now + timedelta(minutes=30, seconds=i),
        )
    f.FeedbackWindowFactory(
        observation__enrolment=enrolment,
        observation__observer=observer,
        closes_at=now - timedelta(hours=1),
    )
    PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=observer,
        reviewer=f.UserFactory(),
        prompt="How specific?",
        due_at=now + timedelta(hours=2),
    )
    f.AssignmentFactory(enrolment=enrolment, due_on=now.date() + timedelta(days=1))


def test_every_query_of_the_scan_is_answered_from_an_index(settings):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4), timedelta(hours=1)]
    now = timezone.now()
    _due(5, now)
    with CaptureQueriesContext(connection) as captured:
        reminders_scan(now=now)
    statements = [
        q["sql"] for q in captured.captured_queries if q["sql"].startswith(("SELECT", "UPDATE"))
    ]
    assert len(statements) >= 6  # mark missed, two leads, missed, peer, assignment, keys
    with transaction.atomic(), connection.cursor() as cursor:
        # Off, a sequential scan is chosen only where no index can answer the query at all.
        cursor.execute("SET LOCAL enable_seqscan = off")
        for sql in statements:
            cursor.execute(f"EXPLAIN {sql}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            assert "Seq Scan" not in plan, f"{sql}\n{plan}"
    assert Notification.objects.filter(kind="feedback_missed").count() == 1


def test_reminders_are_created_in_the_same_statements_at_any_number_within_a_batch(settings):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=1)]
    now = timezone.now()
    counts = {}
    for size in (3, KEYS_PER_QUERY - 10):
        for model in (Notification, FeedbackWindow, PeerFeedbackRequest, Assignment):
            model.objects.all().delete()
        _due(size, now)
        with CaptureQueriesContext(connection) as captured:
            created = reminders_scan(now=now)
        assert len(created) == size + 3  # windows, the missed one, the request, the assignment
        counts[size] = len(captured)
    assert counts[3] == counts[KEYS_PER_QUERY - 10]
