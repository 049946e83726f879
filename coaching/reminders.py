"""The reminder scan: what is due soon or was missed, turned into notifications.

It works from database state alone, so it can run on any schedule, twice, or on two
workers at once: each reminder's key (object and lead time) makes it exist once. Lead
times are absolute durations before a UTC deadline, so a daylight-saving change in the
recipient's zone neither skips nor repeats a reminder; only the text shows local time.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from people.models import Notification
from people.notifications import Notice, notify_many
from programs.selectors import assignments_due_between

from .selectors import peer_requests_due_within, windows_closing_within, windows_missed_since
from .services import feedback_windows_mark_missed

# Keys looked up (and notifications inserted) per statement: a few thousand keys in one IN
# list make PostgreSQL's planner pass over the unique index on key.
KEYS_PER_QUERY = 500


@dataclass(frozen=True)
class Reminder:
    recipient: object
    kind: str
    key: str
    title: str
    body: str
    url: str = ""


def _local(moment, person) -> str:
    return timezone.localtime(moment, person.zone).strftime("%a %d %b, %H:%M %Z")


def _lead_label(lead: timedelta) -> str:
    minutes = int(lead.total_seconds() // 60)
    return f"{minutes // 60} h" if minutes % 60 == 0 else f"{minutes} min"


def _feedback_due(now):
    for lead in settings.FEEDBACK_REMINDER_LEAD_TIMES:
        for window in windows_closing_within(now=now, lead=lead):
            observation = window.observation
            observer = observation.observer
            yield Reminder(
                recipient=observer,
                kind=Notification.Kind.FEEDBACK_DUE,
                key=f"feedback-window:{window.pk}:{int(lead.total_seconds())}",
                title=_("Feedback for %(learner)s is due within %(lead)s")
                % {"learner": observation.learner, "lead": _lead_label(lead)},
                body=_(
                    "You observed %(learner)s on “%(objective)s”. Feedback is due by %(when)s: "
                    "cite the specific example and its impact on team goals."
                )
                % {
                    "learner": observation.learner,
                    "objective": observation.performance_objective.statement,
                    "when": _local(window.closes_at, observer),
                },
                url=reverse("team:feedback", args=[observation.pk]),
            )


def _feedback_missed(now):
    if not settings.FEEDBACK_MISSED_NOTIFY_MANAGER:
        return
    for window in windows_missed_since(since=now - timedelta(days=1)):
        observer = window.observation.observer
        if observer.manager is None:
            continue
        yield Reminder(
            recipient=observer.manager,
            kind=Notification.Kind.FEEDBACK_MISSED,
            key=f"feedback-missed:{window.pk}",
            title=_("%(observer)s missed a feedback window") % {"observer": observer},
            body=_("%(observer)s observed %(learner)s but gave no feedback before %(when)s.")
            % {
                "observer": observer,
                "learner": window.observation.learner,
                "when": _local(window.closes_at, observer.manager),
            },
        )


def _due_dates(now):
    lead = settings.DUE_REMINDER_LEAD
    seconds = int(lead.total_seconds())
    for request in peer_requests_due_within(now=now, lead=lead):
        yield Reminder(
            recipient=request.reviewer,
            kind=Notification.Kind.PEER_FEEDBACK_DUE,
            key=f"peer-request:{request.pk}:{seconds}",
            title=_("Peer feedback on %(learner)s is due soon")
            % {"learner": request.enrolment.learner},
            body=_("“%(prompt)s” is due by %(when)s.")
            % {"prompt": request.prompt, "when": _local(request.due_at, request.reviewer)},
            url=reverse("team:peer_inbox"),
        )
    # Due from today on: one already overdue was reminded before its day, or was given late.
    for assignment in assignments_due_between(first=now.date(), last=(now + lead).date()):
        learner = assignment.enrolment.learner
        yield Reminder(
            recipient=learner,
            kind=Notification.Kind.ASSIGNMENT_DUE,
            key=f"assignment:{assignment.pk}:{assignment.due_on:%Y%m%d}",
            title=_("“%(title)s” is due on %(day)s")
            % {"title": assignment.title, "day": f"{assignment.due_on:%a %d %b}"},
            body=_("Submit your evidence and outcome for “%(title)s” by %(day)s.")
            % {"title": assignment.title, "day": f"{assignment.due_on:%A %d %B}"},
            url=reverse("learn:assignment", args=[assignment.pk]),
        )


def reminders_scan(*, now=None, dry_run: bool = False) -> list[Reminder]:
    """Mark missed windows, then create every reminder that is due and not yet created.

    Returns the reminders this run created (with dry_run: would create, changing nothing);
    of two scans at the same moment, both may count a reminder that exists once.
    """
    now = now or timezone.now()
    if not dry_run:
        feedback_windows_mark_missed(now=now)
    candidates = [*_feedback_due(now), *_feedback_missed(now), *_due_dates(now)]
    existing = set()
    for start in range(0, len(candidates), KEYS_PER_QUERY):
        keys = [r.key for r in candidates[start : start + KEYS_PER_QUERY]]
        existing |= set(Notification.objects.filter(key__in=keys).values_list("key", flat=True))
    fresh = [r for r in candidates if r.key not in existing]
    if not dry_run:
        # One insert and one enqueue of the email sweep for the lot; a key another scan
        # created meanwhile is passed over.
        notify_many(Notice(r.recipient.pk, r.kind, r.key, r.title, r.body, r.url) for r in fresh)
    return fresh
