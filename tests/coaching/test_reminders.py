"""Reminders before feedback windows close, missed windows, due dates and email delivery."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from coaching.models import FeedbackWindow, PeerFeedbackRequest
from coaching.reminders import reminders_scan
from coaching.services import feedback_give, observation_log
from people.models import Notification
from people.notifications import email_lease, notification_emails_deliver
from programs.models import Assignment
from programs.services import assignment_submit_evidence
from tests import factories as f
from tests.conftest import unreachable_broker

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 11, 10, 12, 0, tzinfo=dt.UTC)


def _window(closes_in, observer_zone="Europe/London", now=NOW):
    """An open window closing `closes_in` after `now` (objective window 24 h)."""
    manager = f.UserFactory(username=f"boss{f.UserFactory._meta.model.objects.count()}")
    observer = f.UserFactory(time_zone=observer_zone, manager=manager)
    enrolment = f.EnrolmentFactory(supervisor=observer)
    po = f.PerformanceObjectiveFactory(program=enrolment.program)
    observation = observation_log(
        observer=observer,
        enrolment=enrolment,
        performance_objective=po,
        rating=3,
        behaviour="Named the hand-off.",
        observed_at=now + closes_in - timedelta(hours=24),
    )
    return observation.feedback_window


def _keys():
    return sorted(Notification.objects.values_list("key", flat=True))


def test_an_observer_is_reminded_at_each_lead_time_once(settings):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4), timedelta(hours=1)]
    window = _window(closes_in=timedelta(hours=3))
    created = reminders_scan(now=NOW)
    assert [r.key for r in created] == [f"feedback-window:{window.pk}:14400"]
    assert reminders_scan(now=NOW) == []  # a second run adds nothing
    reminders_scan(now=NOW + timedelta(hours=2, minutes=5))
    assert _keys() == [f"feedback-window:{window.pk}:14400", f"feedback-window:{window.pk}:3600"]
    notification = Notification.objects.get(key=f"feedback-window:{window.pk}:14400")
    assert notification.recipient == window.observation.observer
    assert "Tue 10 Nov, 15:00 GMT" in notification.body  # the observer's own time zone


def test_feedback_inside_the_window_cancels_the_reminders_still_pending(settings):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4), timedelta(hours=1)]
    window = _window(closes_in=timedelta(hours=3))
    reminders_scan(now=NOW)
    feedback_give(
        observation=window.observation,
        giver=window.observation.observer,
        specific_example="The stand-up.",
        impact_on_team_goals="Release on track.",
        delivered_at=NOW + timedelta(minutes=10),
    )
    assert reminders_scan(now=NOW + timedelta(hours=2, minutes=30)) == []
    assert Notification.objects.filter(kind="feedback_due").count() == 1


def test_a_closed_window_is_marked_missed_and_the_observers_manager_told_once(settings):
    settings.FEEDBACK_MISSED_NOTIFY_MANAGER = True
    window = _window(closes_in=timedelta(hours=1))
    later = NOW + timedelta(hours=2)
    reminders_scan(now=later)
    reminders_scan(now=later + timedelta(minutes=5))
    window.refresh_from_db()
    assert window.status == FeedbackWindow.Status.MISSED
    missed = Notification.objects.get(kind="feedback_missed")
    assert missed.recipient == window.observation.observer.manager


def test_managers_are_not_told_when_the_setting_is_off(settings):
    settings.FEEDBACK_MISSED_NOTIFY_MANAGER = False
    _window(closes_in=timedelta(hours=1))
    reminders_scan(now=NOW + timedelta(hours=2))
    assert not Notification.objects.filter(kind="feedback_missed").exists()


def test_a_dry_run_lists_what_would_be_sent_and_changes_nothing(settings, capsys):
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4)]
    due = _window(closes_in=timedelta(hours=2), now=timezone.now())
    closed = _window(closes_in=-timedelta(hours=1), now=timezone.now())
    call_command("send_reminders", "--dry-run")
    out = capsys.readouterr().out
    assert f"Would send: to {due.observation.observer.username}" in out
    assert not Notification.objects.exists()
    closed.refresh_from_db()
    assert closed.status == FeedbackWindow.Status.OPEN
    call_command("send_reminders")
    assert "Created" in capsys.readouterr().out
    assert Notification.objects.filter(kind="feedback_due").count() == 1


def test_a_daylight_saving_change_neither_skips_nor_repeats_a_reminder(settings):
    # Clocks in London go back at 01:00 UTC on 25 October 2026; the window closes after.
    settings.FEEDBACK_REMINDER_LEAD_TIMES = [timedelta(hours=4), timedelta(hours=1)]
    closes = dt.datetime(2026, 10, 25, 1, 30, tzinfo=dt.UTC)
    window = _window(closes_in=timedelta(0), now=closes)
    seen = []
    moment = dt.datetime(2026, 10, 24, 20, 0, tzinfo=dt.UTC)
    while moment <= closes:  # a scan every five minutes across the change
        seen += [(moment, r.key) for r in reminders_scan(now=moment)]
        moment += timedelta(minutes=5)
    assert seen == [
        (dt.datetime(2026, 10, 24, 21, 30, tzinfo=dt.UTC), f"feedback-window:{window.pk}:14400"),
        (dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC), f"feedback-window:{window.pk}:3600"),
    ]
    assert "Sun 25 Oct, 01:30 GMT" in Notification.objects.first().body


def test_peer_requests_and_assignments_are_reminded_before_they_are_due(settings):
    settings.DUE_REMINDER_LEAD = timedelta(hours=24)
    enrolment = f.EnrolmentFactory()
    request = PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=f.UserFactory(),
        prompt="How specific?",
        due_at=NOW + timedelta(hours=20),
    )
    later = PeerFeedbackRequest.objects.create(
        enrolment=enrolment,
        requested_by=enrolment.supervisor,
        reviewer=f.UserFactory(),
        prompt="Later",
        due_at=NOW + timedelta(days=3),
    )
    assignment = f.AssignmentFactory(enrolment=enrolment, due_on=NOW.date() + timedelta(days=1))
    f.AssignmentFactory(enrolment=enrolment, due_on=NOW.date() + timedelta(days=5))
    reminders_scan(now=NOW)
    reminders_scan(now=NOW)
    assert Notification.objects.get(kind="peer_feedback_due").recipient == request.reviewer
    assert not Notification.objects.filter(recipient=later.reviewer).exists()
    assert Notification.objects.get(kind="assignment_due").url.endswith(f"/{assignment.pk}/")


def test_a_supervisor_is_told_when_evidence_arrives(django_capture_on_commit_callbacks):
    assignment = f.AssignmentFactory()
    with django_capture_on_commit_callbacks() as callbacks:
        assignment_submit_evidence(assignment=assignment, evidence="Options paper.")
    assert len(callbacks) == 1  # email delivery is enqueued only after the commit
    notice = Notification.objects.get(kind="evidence_submitted")
    assert notice.recipient == assignment.enrolment.supervisor
    assert Assignment.objects.get().status == "submitted"


def test_emails_go_once_in_text_and_html_and_never_to_people_who_opted_out():
    wants, declines = f.UserFactory(), f.UserFactory(email_notifications=False)
    for person in (wants, declines):
        Notification.objects.create(
            recipient=person,
            kind="feedback_due",
            key=f"k{person.pk}",
            title="Feedback due",
            body="Feedback for Lena is due.",
            url="/team/",
        )
    assert notification_emails_deliver() == 1
    assert notification_emails_deliver() == 0
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [wants.email]
    assert "Feedback for Lena is due." in message.body
    assert message.alternatives[0][1] == "text/html"
    assert "http://127.0.0.1:8000/team/" in message.body


def test_an_abandoned_claim_is_sent_by_the_next_sweep_once_its_short_lease_ran_out():
    person = f.UserFactory()
    assert email_lease() == timedelta(seconds=20)
    stale = timezone.now() - email_lease() - timedelta(seconds=1)
    fresh = timezone.now() - email_lease() + timedelta(seconds=5)
    for key, claimed in (("stale", stale), ("fresh", fresh)):
        Notification.objects.create(
            recipient=person,
            kind="feedback_due",
            key=key,
            title=key,
            body=key,
            email_claimed_at=claimed,
        )
    assert notification_emails_deliver() == 1
    assert [m.subject for m in mail.outbox] == ["stale"]


def test_a_broker_that_is_down_does_not_break_a_save(caplog):
    from people.notifications import _enqueue_delivery

    with unreachable_broker():
        _enqueue_delivery()
    assert "could not enqueue people.tasks.deliver_notification_emails" in caplog.text


def test_default_schedules_exist_after_migrate():
    from django_celery_beat.models import PeriodicTask

    tasks = {
        task: (every, period)
        for task, every, period in PeriodicTask.objects.values_list(
            "task", "interval__every", "interval__period"
        )
    }
    assert tasks["coaching.tasks.scan_reminders"] == (5, "minutes")
    assert tasks["people.tasks.deliver_notification_emails"] == (30, "seconds")


def test_a_former_default_schedule_moves_to_todays_and_an_admins_choice_stays():
    from django_celery_beat.models import IntervalSchedule, PeriodicTask

    from talentdev.schedules import install_default_schedules

    email = PeriodicTask.objects.get(task="people.tasks.deliver_notification_emails")
    email.interval = IntervalSchedule.objects.create(every=1, period="minutes")
    email.save()
    scan = PeriodicTask.objects.get(task="coaching.tasks.scan_reminders")
    scan.interval = IntervalSchedule.objects.create(every=10, period="minutes")
    scan.save()
    install_default_schedules()
    email.refresh_from_db()
    scan.refresh_from_db()
    assert (email.interval.every, email.interval.period) == (30, "seconds")
    assert (scan.interval.every, scan.interval.period) == (10, "minutes")
