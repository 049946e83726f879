"""The product's hottest queries are served by the indexes named for them (PostgreSQL)."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from coaching.models import FeedbackWindow, Observation
from measurement.models import Measurement
from people.selectors import people_search
from programs.models import Enrolment
from programs.roster import with_step_overdue
from tests.factories import (
    EnrolmentFactory,
    FeedbackWindowFactory,
    HRAdminFactory,
    MeasurementFactory,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _plan(queryset) -> str:
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # Tables are tiny in a test: forbid sequential scans so the plan shows the index
        # the planner would pick at scale.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_reminder_scan_reads_open_windows_through_the_partial_index():
    FeedbackWindowFactory()
    query = FeedbackWindow.objects.filter(
        status=FeedbackWindow.Status.OPEN, closes_at__lt=timezone.now() + timedelta(hours=4)
    ).order_by("closes_at")
    assert "feedbackwindow_open_closes" in _plan(query)


def test_a_metric_series_is_read_through_its_time_index():
    measurement = MeasurementFactory()
    query = Measurement.objects.filter(
        metric=measurement.metric, measured_at__gte=timezone.now() - timedelta(days=90)
    )
    assert "measurement_metric_time" in _plan(query)


def test_enrolments_are_found_by_learner_and_by_program_through_indexes():
    enrolment = EnrolmentFactory()
    by_learner = Enrolment.objects.filter(learner=enrolment.learner, status="active")
    by_program = Enrolment.objects.filter(program=enrolment.program, status="active")
    # Either the (learner, status) index or the partial unique (learner, program) index
    # serves it; the planner picks between them by table statistics. What matters is that
    # the learner is looked up through an index, not scanned for.
    plan = _plan(by_learner)
    assert re.search(r"Index Cond: \(+learner_id = ", plan), plan
    assert "enrolment_learner_status" in plan or "enrolment_one_current_per_program" in plan
    assert "enrolment_program_status" in _plan(by_program)


def test_a_learners_evidence_against_an_objective_is_read_through_its_index():
    window = FeedbackWindowFactory()
    observation = window.observation
    query = Observation.objects.filter(
        learner=observation.learner, performance_objective=observation.performance_objective
    ).order_by("-observed_at")
    # Its own index, or on a test table's few rows the calibration index, which leads with
    # the objective too: either way both are looked up, nothing is scanned for.
    plan = _plan(query)
    assert "observation_learner_po_time" in plan or "observation_po_time_ratings" in plan, plan
    assert re.search(r"Index Cond: .*learner_id = ", plan), plan


def test_observer_calibration_reads_ratings_through_its_index():
    observation = FeedbackWindowFactory().observation
    query = (
        Observation.objects.filter(
            performance_objective=observation.performance_objective,
            observed_at__gte=timezone.now() - timedelta(days=90),
        )
        .values("learner", "observer", "rating")
        .order_by()
    )
    # At scale the index alone answers (an index-only scan); a test table's few rows may
    # be read through it by bitmap instead.
    assert "observation_po_time_ratings" in _plan(query)


def test_the_latest_values_of_a_metric_are_read_from_the_end_of_its_index():
    measurement = MeasurementFactory()
    query = Measurement.objects.filter(metric=measurement.metric).order_by("-measured_at")[:20]
    assert "Index Scan Backward using measurement_metric_time" in _plan(query)


def test_the_rosters_overdue_filter_reads_open_steps_through_their_partial_index():
    enrolment = EnrolmentFactory()
    query = Enrolment.objects.filter(with_step_overdue(), pathway=enrolment.pathway)
    assert "progress_open_due" in _plan(query)


def test_the_people_search_reads_the_trigram_index_for_long_and_short_words():
    viewer = HRAdminFactory()
    for text in ("liu", "li"):
        query = people_search(viewer=viewer, text=text)
        assert "person_search_trgm" in _plan(query), text
