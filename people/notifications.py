"""One way to tell people things: an in-app notification, emailed unless they opted out.

Every notification has a unique key (e.g. "feedback-window:42:240"), so however many scans,
workers or retries try to create it, it exists once. Emails are sent by a separate sweep
that claims each unsent notification just before sending it. The claim is a short lease,
renewed while the mail server is answering, so a worker that dies or loses its database
connection mid-send leaves a claim that the next sweep takes within a minute.
"""

import logging
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta
from smtplib import SMTPDataError, SMTPRecipientsRefused

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import DatabaseError, IntegrityError, OperationalError, connections, transaction
from django.db import connection as db_connection
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from talentdev.core.broker import enqueue

from .models import Notification

logger = logging.getLogger(__name__)

# Enqueued by name: the task module imports this one, so this one does not import it.
DELIVER_TASK = "people.tasks.deliver_notification_emails"


@dataclass(frozen=True)
class Notice:
    """A notification to create: for whom, of what kind, its unique key and its words."""

    recipient_id: int
    kind: str
    key: str
    title: str
    body: str
    url: str = ""


def _notification(notice: Notice) -> Notification:
    # A title made from a name the user typed may run past the column: shorten it rather
    # than fail the write the notice is part of.
    limit = Notification._meta.get_field("title").max_length
    return Notification(
        recipient_id=notice.recipient_id,
        kind=notice.kind,
        key=notice.key,
        title=Truncator(notice.title).chars(limit),
        body=notice.body,
        url=notice.url,
    )


def notify(*, recipient, kind, key: str, title: str, body: str, url: str = "") -> bool:
    """Create the notification unless one with this key exists; True if this call made it."""
    notice = Notice(recipient.pk, kind, key, title, body, url)
    try:
        with transaction.atomic():
            _notification(notice).save(force_insert=True)
    except IntegrityError:
        return False
    transaction.on_commit(_enqueue_delivery)
    return True


def notify_many(notices: Iterable[Notice], *, batch_size: int | None = None) -> None:
    """Create every notice whose key does not exist yet, in one insert, or one per
    `batch_size` notices (on SQLite, Django splits it further to stay within the database's
    999 parameters), and send the emails once the transaction commits. A notice whose key
    exists is passed over, so a retry or a second worker adds nothing."""
    notifications = [_notification(notice) for notice in notices]
    if not notifications:
        return
    Notification.objects.bulk_create(notifications, ignore_conflicts=True, batch_size=batch_size)
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery():
    # Delivery also runs on a schedule, so a broker that is down loses nothing.
    enqueue(DELIVER_TASK)


def email_lease() -> timedelta:
    """How long a claim on one email lasts unless renewed."""
    return timedelta(seconds=settings.EMAIL_CLAIM_LEASE)


def _claimable(now):
    return Q(emailed_at__isnull=True, email_error="") & (
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - email_lease())
    )


class _Lease:
    """Renews a claim every third of its length while its email is being sent, so a slow
    mail server keeps the claim and a dead worker loses it. The claim's time is its token:
    a renewal that finds another time there lost the claim and stops."""

    def __init__(self, pk, claimed_at):
        self.pk, self.claimed_at = pk, claimed_at
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._renew, name=f"lease-{pk}", daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._stop()

    def _stop(self):
        self._done.set()
        self._thread.join()

    def _renew(self):
        try:
            while not self._done.wait(settings.EMAIL_CLAIM_LEASE / 3):
                now = timezone.now()
                mine = Notification.objects.filter(pk=self.pk, email_claimed_at=self.claimed_at)
                if not mine.update(email_claimed_at=now):
                    logger.warning("notification %s: claim lost while sending", self.pk)
                    return
                self.claimed_at = now
        except DatabaseError:
            logger.exception("notification %s: claim not renewed", self.pk)
        finally:
            connections.close_all()  # this thread's own connections

    def release(self):
        """Give the claim up at once, so the next sweep need not wait for it to expire."""
        self._stop()  # no renewal may move the claim between here and the update
        Notification.objects.filter(pk=self.pk, email_claimed_at=self.claimed_at).update(
            email_claimed_at=None
        )


def notification_emails_deliver(*, batch: int = 200, budget_seconds: float = 60) -> int:
    """Email unsent notifications to people who want email; returns how many were sent.

    Batch after batch on one connection to the mail server, until none is left or the
    time budget is spent, when the sweep enqueues itself to go on (a backlog never waits
    for the schedule, and no run nears its time limit). A failure of the server (refused,
    timed out, hung up) releases the claim and ends the sweep with the error, for the task
    to retry later; a recipient the server refuses for good is recorded and passed over.
    """
    deadline = time.monotonic() + budget_seconds
    sent = 0
    connection = get_connection()
    try:
        while True:
            candidates = _candidates(batch)
            sent += sum(_deliver_one(pk, connection) for pk in candidates)
            if len(candidates) < batch:
                return sent
            if time.monotonic() > deadline:
                enqueue(DELIVER_TASK)
                return sent
    finally:
        connection.close()


def _candidates(batch):
    return list(
        Notification.objects.filter(_claimable(timezone.now()))
        .filter(recipient__email_notifications=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )


def _deliver_one(pk, connection) -> bool:
    # The conditional update is the claim: exactly one worker gets 1 back.
    claimed_at = timezone.now()
    if not Notification.objects.filter(_claimable(claimed_at), pk=pk).update(
        email_claimed_at=claimed_at
    ):
        return False
    notification = Notification.objects.select_related("recipient").get(pk=pk)
    with _Lease(pk, claimed_at) as lease:
        try:
            connection.open()  # once: later calls find it open
            _send(notification, connection)
        except BaseException as error:
            if not _refused_for_good(error):
                lease.release()
                raise
            _record_refusal(notification, error)
            return False
    _record_sent(pk)
    return True


def _record_sent(pk):
    # Sent but not recorded means sent twice: a dropped database connection gets one more go.
    try:
        Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())
    except OperationalError:
        db_connection.close()
        Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())


def _refused_for_good(error) -> bool:
    """The server refused this one email permanently (a 5xx for its recipient or its
    content): trying it again would fail again and hold up the emails behind it."""
    if isinstance(error, SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, SMTPDataError) and error.smtp_code >= 500


def _record_refusal(notification, error):
    logger.warning("notification %s: refused by the mail server: %s", notification.pk, error)
    Notification.objects.filter(pk=notification.pk).update(
        email_error=Truncator(str(error)).chars(300), email_claimed_at=None
    )


def message_id(notification: Notification) -> str:
    """The same Message-ID on every attempt to send one notification, so a mail client or
    provider that collapses identical Message-IDs shows a resent email once."""
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ") or "localhost"
    return f"<notification-{notification.pk}-{notification.created_at:%Y%m%d%H%M%S}@{domain}>"


def _send(notification: Notification, connection) -> None:
    recipient = notification.recipient
    context = {
        "notification": notification,
        "recipient": recipient,
        "link": f"{settings.SITE_URL.rstrip('/')}{notification.url}" if notification.url else "",
    }
    message = EmailMultiAlternatives(
        subject=notification.title,
        body=render_to_string("email/notification.txt", context),
        to=[recipient.email],
        headers={"Message-ID": message_id(notification)},
        connection=connection,
    )
    message.attach_alternative(render_to_string("email/notification.html", context), "text/html")
    message.send()


def _unread():
    return Notification.objects.filter(read_at__isnull=True)


def unread_count(user) -> int:
    return _unread().filter(recipient=user).count()


def unread_count_of_person() -> Coalesce:
    """unread_count as an expression on a person's row, for a query that reads more about
    them (the navigation's)."""
    count = (
        _unread()
        .filter(recipient=OuterRef("pk"))
        .order_by()
        .values("recipient")
        .annotate(unread=Count("pk"))
        .values("unread")
    )
    return Coalesce(Subquery(count), 0)
