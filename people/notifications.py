"""One way to tell people things: an in-app notification, emailed unless they opted out.

Every notification has a unique key (e.g. "feedback-window:42:240"), so however many scans,
workers or retries try to create it, it exists once. Emails are sent by a separate sweep
that claims each unsent notification before sending, so a crashed worker's claim expires
and the next sweep sends what it did not.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import timedelta

from celery import current_app
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import Truncator

from .models import Notification

logger = logging.getLogger(__name__)

# Longer than sending one email can take: a claim older than this was abandoned.
CLAIM_TIMEOUT = timedelta(minutes=10)
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


def notify_many(notices: Iterable[Notice]) -> None:
    """Create every notice whose key does not exist yet, in one insert (on SQLite, Django
    splits it to stay within the database's 999 parameters), and send the emails once the
    transaction commits. A notice whose key exists is passed over, so a retry or a second
    worker adds nothing."""
    notifications = [_notification(notice) for notice in notices]
    if not notifications:
        return
    Notification.objects.bulk_create(notifications, ignore_conflicts=True)
    transaction.on_commit(_enqueue_delivery)


def _enqueue_delivery():
    # Delivery also runs on a schedule, so a broker that is down loses nothing.
    try:
        current_app.send_task(DELIVER_TASK)
    except Exception:
        logger.exception("could not enqueue notification emails; the scheduled sweep will")


def _claimable(now):
    return Q(emailed_at__isnull=True) & (
        Q(email_claimed_at__isnull=True) | Q(email_claimed_at__lt=now - CLAIM_TIMEOUT)
    )


def notification_emails_deliver(*, now=None, batch: int = 200) -> int:
    """Email unsent notifications to people who want email; returns how many were sent."""
    now = now or timezone.now()
    candidates = list(
        Notification.objects.filter(_claimable(now))
        .filter(recipient__email_notifications=True, recipient__is_active=True)
        .exclude(recipient__email="")
        .order_by("created_at")
        .values_list("pk", flat=True)[:batch]
    )
    sent = 0
    for pk in candidates:
        # The conditional update is the claim: exactly one worker gets 1 back.
        if not Notification.objects.filter(_claimable(now), pk=pk).update(email_claimed_at=now):
            continue
        notification = Notification.objects.select_related("recipient").get(pk=pk)
        _send(notification)
        Notification.objects.filter(pk=pk).update(emailed_at=timezone.now())
        sent += 1
    return sent


def _send(notification: Notification) -> None:
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
    )
    message.attach_alternative(render_to_string("email/notification.html", context), "text/html")
    message.send()


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
