"""Email delivery against real mail servers on loopback: one that answers, one that hangs,
one that refuses a recipient; and the claim that keeps two workers from sending twice."""

import threading
from smtplib import SMTPDataError

import pytest
from django.utils import timezone

from people.models import Notification
from people.notifications import _candidates, message_id, notification_emails_deliver
from tests import factories as f
from tests.services import SilentServer, SmtpSink

pytestmark = pytest.mark.django_db


@pytest.fixture
def smtp(settings):
    """Point Django's SMTP backend at a port, with a short timeout."""

    def use(port, timeout=0.5):
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = timeout

    return use


def _notifications(*emails):
    return [
        Notification.objects.create(
            recipient=f.UserFactory(email=email),
            kind=Notification.Kind.FEEDBACK_DUE,
            key=f"due:{email}",
            title=f"Feedback due ({email})",
            body="Feedback is due.",
        )
        for email in emails
    ]


def test_a_sweep_sends_on_one_connection_with_a_message_id_fixed_per_notification(smtp):
    notifications = _notifications("a@example.com", "b@example.com", "c@example.com")
    with SmtpSink() as sink:
        smtp(sink.port)
        assert notification_emails_deliver() == 3
        assert notification_emails_deliver() == 0
    assert sink.sessions == 1
    assert sorted(mid for mid, _, _ in sink.messages) == sorted(
        message_id(n) for n in notifications
    )
    assert len({message_id(n) for n in notifications}) == 3
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


def test_a_backlog_larger_than_a_batch_is_sent_in_one_sweep(smtp):
    _notifications(*(f"p{i}@example.com" for i in range(7)))
    with SmtpSink() as sink:
        smtp(sink.port)
        assert notification_emails_deliver(batch=3) == 7
    assert len(sink.messages) == 7
    assert sink.sessions == 1


@pytest.mark.parametrize("server", ["silent", "hangs mid-message"])
def test_a_mail_server_that_stops_answering_costs_one_timeout_and_keeps_the_email(smtp, server):
    [notification] = _notifications("lena@example.com")
    hung = SilentServer() if server == "silent" else SmtpSink()
    with hung:
        if server != "silent":
            hung.hanging.set()
        smtp(hung.port, timeout=0.3)
        with pytest.raises(OSError, match="timed out"):  # the task retries it later
            notification_emails_deliver()
    notification.refresh_from_db()
    # Released at once, not left for the lease to run out; not recorded as sent.
    assert notification.email_claimed_at is None
    assert notification.emailed_at is None
    with SmtpSink() as sink:
        smtp(sink.port)
        assert notification_emails_deliver() == 1
    assert [to for _, to, _ in sink.messages] == [("lena@example.com",)]


def test_a_recipient_refused_for_good_is_recorded_and_the_others_still_go(smtp):
    gone, present = _notifications("gone@example.com", "here@example.com")
    with SmtpSink() as sink:
        sink.refuse.add("gone@example.com")
        smtp(sink.port)
        assert notification_emails_deliver() == 1
        assert notification_emails_deliver() == 0  # the refused one is not tried again
    gone.refresh_from_db()
    assert "gone@example.com" in gone.email_error
    assert gone.emailed_at is None
    assert [to for _, to, _ in sink.messages] == [("here@example.com",)]


@pytest.mark.parametrize(
    ("reply", "for_good"), [("554 5.6.0 Content rejected", True), ("451 4.3.0 Try later", False)]
)
def test_an_email_whose_content_is_refused_for_good_does_not_hold_up_the_others(
    smtp, reply, for_good
):
    bad, good = _notifications("bad@example.com", "good@example.com")
    with SmtpSink() as sink:
        sink.reject_subjects[bad.title] = reply
        smtp(sink.port)
        if for_good:
            assert notification_emails_deliver() == 1
        else:  # a temporary refusal: the sweep ends, to be retried with the email kept
            with pytest.raises(SMTPDataError):
                notification_emails_deliver()
    bad.refresh_from_db()
    assert (bad.email_error != "") is for_good
    assert bad.email_claimed_at is None
    assert bad.emailed_at is None
    assert [to for _, to, _ in sink.messages] == ([("good@example.com",)] if for_good else [])


def test_an_email_nobody_wants_is_never_claimed(smtp):
    Notification.objects.create(
        recipient=f.UserFactory(email_notifications=False),
        kind=Notification.Kind.FEEDBACK_DUE,
        key="declined",
        title="Declined",
        body="…",
    )
    with SmtpSink() as sink:
        smtp(sink.port)
        assert notification_emails_deliver() == 0
    assert sink.sessions == 0  # no connection opened for nothing
    assert Notification.objects.get().email_claimed_at is None


@pytest.mark.django_db(transaction=True)
def test_a_claim_is_renewed_while_a_slow_server_answers_so_no_one_else_takes_it(smtp, settings):
    settings.EMAIL_CLAIM_LEASE = 0.6  # renewed every 0.2 s
    [notification] = _notifications("slow@example.com")
    seen_by_another_sweep = []
    with SmtpSink() as sink:
        sink.hanging.set()
        smtp(sink.port, timeout=5)
        sending = threading.Thread(target=notification_emails_deliver)
        sending.start()
        # Well past the lease's first length, another sweep still finds nothing to take.
        threading.Event().wait(1.5)
        seen_by_another_sweep = _candidates(10)
        notification.refresh_from_db()
        renewed = notification.email_claimed_at
        sink.hanging.clear()
        sending.join(10)
    assert seen_by_another_sweep == []
    assert renewed > timezone.now() - timezone.timedelta(seconds=0.6)
    assert len(sink.messages) == 1
    notification.refresh_from_db()
    assert notification.emailed_at is not None
