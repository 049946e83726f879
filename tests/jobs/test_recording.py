"""Every run of the project's tasks leaves its record: when, how long, how it ended, why."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
from celery import current_app
from celery.exceptions import SoftTimeLimitExceeded, TimeLimitExceeded
from celery.signals import task_retry
from celery.utils.nodenames import gethostname
from django.core import mail
from django.db import OperationalError, connection

from people.models import Notification
from people.notifications import notify
from people.tasks import deliver_notification_emails
from programs.tasks import evaluate_program
from talentdev.jobs.models import JobStatus
from talentdev.jobs.services import (
    ERROR_LENGTH,
    job_failed,
    job_retrying,
    job_started,
    job_succeeded,
)
from tests import factories as f

pytestmark = pytest.mark.django_db

DELIVER = "people.tasks.deliver_notification_emails"
EVALUATE = "programs.tasks.evaluate_program"
AT = datetime(2026, 3, 2, 6, 0, tzinfo=UTC)


def _notice():
    notify(
        recipient=f.UserFactory(email="lee@example.com"),
        kind=Notification.Kind.FEEDBACK_DUE,
        key="feedback-due:1",
        title="Feedback due",
        body="Give feedback.",
    )


def test_a_project_task_that_runs_records_when_how_long_where_and_that_it_succeeded():
    _notice()
    result = deliver_notification_emails.apply()

    assert result.get() == 1
    assert len(mail.outbox) == 1
    status = JobStatus.objects.get()
    assert status.task == DELIVER
    assert status.last_outcome == JobStatus.Outcome.SUCCEEDED
    assert status.last_started_at <= status.last_finished_at == status.last_succeeded_at
    assert 0 < status.last_duration < 5
    assert status.last_worker == gethostname()
    assert (status.runs, status.failures) == (1, 0)
    assert (status.last_error, status.last_error_at) == ("", None)


def test_runs_add_up_in_one_row_per_task():
    deliver_notification_emails.apply()
    deliver_notification_emails.apply()
    evaluate_program.apply(args=[f.ProgramFactory().pk])

    assert dict(JobStatus.objects.values_list("task", "runs")) == {DELIVER: 2, EVALUATE: 1}


def test_a_failing_task_records_its_error_and_a_later_success_keeps_it_in_view():
    failed = evaluate_program.apply(args=["no-such-program"])

    assert failed.failed()
    status = JobStatus.objects.get(task=EVALUATE)
    assert status.last_outcome == JobStatus.Outcome.FAILED
    assert status.last_error.startswith("ValueError: Field 'id' expected a number but got")
    assert status.last_error_at == status.last_finished_at
    assert status.last_succeeded_at is None
    assert (status.runs, status.failures) == (1, 1)

    evaluate_program.apply(args=[f.ProgramFactory().pk])
    status.refresh_from_db()
    assert status.last_outcome == JobStatus.Outcome.SUCCEEDED
    assert status.last_error.startswith("ValueError:")  # the last error, and when, stay shown
    assert status.last_error_at < status.last_succeeded_at
    assert (status.runs, status.failures) == (2, 1)


def test_each_retry_is_recorded_and_only_the_run_that_gives_up_counts_as_a_failure(settings):
    # A mail server that refuses the connection, on every attempt.
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 1
    _notice()
    seen = []

    def during_retry(**kwargs):
        status = JobStatus.objects.get(task=DELIVER)
        seen.append((status.last_outcome, status.failures))

    task_retry.connect(during_retry, weak=False)
    try:
        result = deliver_notification_emails.apply()
    finally:
        task_retry.disconnect(during_retry)

    assert result.failed()
    retries = deliver_notification_emails.max_retries
    assert retries > 0
    assert seen == [(JobStatus.Outcome.RETRYING, 0)] * retries
    status = JobStatus.objects.get(task=DELIVER)
    assert status.last_outcome == JobStatus.Outcome.FAILED
    assert status.last_error.startswith("ConnectionRefusedError:")
    assert (status.runs, status.failures) == (retries + 1, 1)


def test_celerys_own_tasks_are_not_recorded():
    assert current_app.tasks["celery.accumulate"].apply(args=[1, 2]).get() == (1, 2)
    assert not JobStatus.objects.exists()


def test_a_database_error_while_recording_is_logged_and_the_job_goes_on(caplog):
    _notice()

    def refuse_job_records(execute, sql, params, many, context):
        if "jobs_jobstatus" in sql:
            raise OperationalError("the database went away")
        return execute(sql, params, many, context)

    with caplog.at_level(logging.ERROR), connection.execute_wrapper(refuse_job_records):
        result = deliver_notification_emails.apply()

    assert result.get() == 1  # the email went out all the same
    assert len(mail.outbox) == 1
    assert "could not record how job people.tasks.deliver_notification_emails went" in caplog.text
    assert not JobStatus.objects.exists()


# What each outcome writes


def test_a_soft_or_hard_time_limit_records_timed_out_and_counts_as_a_failure():
    job_started(task=DELIVER, worker="w1", at=AT)
    job_failed(task=DELIVER, error=SoftTimeLimitExceeded(), duration=300.2, at=AT)
    status = JobStatus.objects.get()
    assert status.last_outcome == JobStatus.Outcome.TIMED_OUT
    assert status.last_error == "SoftTimeLimitExceeded"
    assert (status.last_duration, status.failures) == (300.2, 1)

    job_failed(task=DELIVER, error=TimeLimitExceeded(360), duration=360.0, at=AT)
    status.refresh_from_db()
    assert status.last_outcome == JobStatus.Outcome.TIMED_OUT
    assert status.last_error == "TimeLimitExceeded: 360"
    assert status.failures == 2


def test_a_retry_records_retrying_with_its_error_and_no_failure():
    job_started(task=DELIVER, worker="w1", at=AT)
    job_retrying(task=DELIVER, error=ConnectionError("reset"), duration=0.5, at=AT)
    status = JobStatus.objects.get()
    assert status.last_outcome == JobStatus.Outcome.RETRYING
    assert (status.last_error, status.last_error_at) == ("ConnectionError: reset", AT)
    assert (status.runs, status.failures) == (1, 0)


def test_a_long_error_is_cut_to_a_length_a_page_can_show():
    job_failed(task=DELIVER, error=RuntimeError("x" * 5000), duration=1.0, at=AT)
    error = JobStatus.objects.get().last_error
    assert len(error) == ERROR_LENGTH
    assert error.startswith("RuntimeError: xxx")
    assert error.endswith("…")


def test_a_record_keeps_the_times_it_is_given():
    job_started(task=DELIVER, worker="worker-1@host", at=AT)
    job_succeeded(task=DELIVER, duration=2.5, at=AT + timedelta(seconds=2.5))
    status = JobStatus.objects.get()
    assert status.last_started_at == AT
    assert status.last_finished_at == status.last_succeeded_at == AT + timedelta(seconds=2.5)
    assert (status.last_duration, status.last_worker) == (2.5, "worker-1@host")
