"""What people are told when a pathway moves, and when an assignment is given or debriefed.

The learner hears of their own steps opening, completing or being skipped, of their
assignments, of their enrolment paused, resumed or withdrawn, of finishing the pathway and
of reaching competency. The supervisor and the program owner, who follow the enrolment,
hear of the last three. Nobody is told of what they
did themselves, and history recorded after the fact (a backfill) is not news. Each notice's
key names the event or the assignment and the recipient, so evaluating again, a retry or
a second worker tells nobody twice.
"""

from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.utils.translation import ngettext

from people.models import Notification
from people.notifications import Notice, notify_many

from .models import Enrolment, ProgressEvent, StepProgress

E, Cause, K = ProgressEvent.Type, ProgressEvent.Cause, Notification.Kind
STEP_EVENTS = (E.STEP_UNLOCKED, E.STEP_COMPLETED, E.STEP_SKIPPED)


def progress_notify(events) -> None:
    """Tell the people concerned about these progress events: three reads at most, whatever
    their number, and the insert."""
    notify_many(progress_notices(events))


def progress_notices(events) -> list[Notice]:
    """The notices these progress events give, one per person concerned and event."""
    news = _news(events)
    if not news:
        return []
    enrolments = {
        enrolment.pk: enrolment
        for enrolment in Enrolment.objects.select_related("learner", "program").filter(
            pk__in={event.enrolment_id for event in news}
        )
    }
    told = [(event, _recipients(event, enrolments[event.enrolment_id])) for event in news]
    told = [(event, people) for event, people in told if people]
    steps = _step_rows([event for event, _ in told if event.type in STEP_EVENTS])
    actor_ids = {event.actor_id for event, _ in told} - {None}
    actors = get_user_model().objects.in_bulk(actor_ids) if actor_ids else {}
    notices = []
    for event, people in told:
        enrolment = enrolments[event.enrolment_id]
        if event.type in STEP_EVENTS:
            row = steps[(event.enrolment_id, event.step_id)]
            mine = theirs = _about_step(event, enrolment, row, actors.get(event.actor_id))
        else:
            mine, theirs = _about_enrolment(event, enrolment)
        for recipient_id in people:
            kind, title, body, url = mine if recipient_id == enrolment.learner_id else theirs
            key = f"progress:{event.id}:{recipient_id}"
            notices.append(Notice(recipient_id, kind, key, title, body, url))
    return notices


def _recipients(event, enrolment) -> list[int]:
    """Who is told of the event: always the learner, and for the pathway completed or
    competency reached their supervisor and the program owner; never the one who did it."""
    people = [enrolment.learner_id]
    if event.type not in STEP_EVENTS:
        people += [enrolment.supervisor_id, enrolment.program.owner_id]
    return [pk for pk in dict.fromkeys(people) if pk is not None and pk != event.actor_id]


def _news(events) -> list:
    """The events worth telling someone about."""
    # A step that opened and was done in the same evaluation is told once, as done.
    done = {
        (event.enrolment_id, event.step_id)
        for event in events
        if event.type in (E.STEP_COMPLETED, E.STEP_SKIPPED)
    }
    told = (*STEP_EVENTS, E.ENROLMENT_STATUS, E.ENROLMENT_COMPLETED, E.COMPETENCY_REACHED)
    return [
        event
        for event in events
        if event.type in told
        and event.cause != Cause.BACKFILL
        and (event.type != E.ENROLMENT_STATUS or event.to_status in STATUS_MOVES)
        and not (
            event.type == E.STEP_UNLOCKED
            # Only the pathway's own unlocking is news; a person's edit by hand is not.
            and (event.cause != Cause.RULE or (event.enrolment_id, event.step_id) in done)
        )
    ]


def _step_rows(events) -> dict:
    """Each step's progress row, title and due day, by (enrolment id, step id)."""
    if not events:
        return {}
    rows = StepProgress.objects.filter(
        enrolment_id__in={event.enrolment_id for event in events},
        step_id__in={event.step_id for event in events},
    ).values("pk", "enrolment_id", "step_id", "step__title", "due_on")
    return {(row["enrolment_id"], row["step_id"]): row for row in rows}


def _about_step(event, enrolment, row, actor):
    """The learner's notice of a step of theirs opening, completing or being skipped: kind,
    title, body and link."""
    words = {"step": row["step__title"], "program": enrolment.program.name, "actor": actor}
    if event.type == E.STEP_UNLOCKED:
        kind, title = K.STEP_OPEN, _("Step open: %(step)s") % words
        body = _("“%(step)s” on your %(program)s pathway is open.") % words
        if row["due_on"] is not None:
            body += " " + _("It is due %(day)s.") % {"day": date_format(row["due_on"], "D j M Y")}
        body += " " + _("See what it asks and what completes it.")
    elif event.type == E.STEP_SKIPPED:
        kind, title = K.STEP_SKIPPED, _("Step skipped: %(step)s") % words
        words["reason"] = event.detail.get("reason", "")
        if actor is None:
            body = _(
                "“%(step)s” on your %(program)s pathway was skipped. The steps after it go on "
                "without it."
            )
        else:
            body = _(
                "%(actor)s skipped “%(step)s” on your %(program)s pathway. The steps after it "
                "go on without it. Their reason: “%(reason)s”"
            )
        body %= words
    else:
        kind, title = K.STEP_COMPLETED, _("Step completed: %(step)s") % words
        if event.cause == Cause.SIGN_OFF and actor is not None:
            words["note"] = event.detail.get("note", "")
            body = _(
                "%(actor)s signed off “%(step)s” on your %(program)s pathway. Their note: "
                "“%(note)s”"
            )
        else:
            body = _("“%(step)s” on your %(program)s pathway is complete: what it asks is done.")
        body %= words
    return kind, title, body, reverse("learn:step", args=[row["pk"]])


# What a person's change of an enrolment's status is called, by the status it moved to.
STATUS_MOVES = {
    Enrolment.Status.PAUSED: (_lazy("paused"), _lazy("stand still until it resumes")),
    Enrolment.Status.ACTIVE: (_lazy("resumed"), _lazy("move on again")),
    Enrolment.Status.WITHDRAWN: (_lazy("withdrawn"), _lazy("no longer count")),
}


def _about_status(event, enrolment):
    """A person paused, resumed or withdrew the enrolment: the learner's notice and the
    one the supervisor and the program owner get."""
    moved, steps = STATUS_MOVES.get(event.to_status, (event.to_status, ""))
    words = {
        "learner": enrolment.learner,
        "program": enrolment.program.name,
        "moved": moved,
        "steps": steps,
        "reason": event.detail.get("reason") or _("none given"),
    }
    mine = (
        _("Your %(program)s enrolment is %(moved)s") % words,
        _("Your %(program)s enrolment was %(moved)s: your steps %(steps)s. Reason: %(reason)s.")
        % words,
    )
    theirs = (
        _("%(learner)s's %(program)s enrolment is %(moved)s") % words,
        _("%(learner)s's %(program)s enrolment was %(moved)s. Reason: %(reason)s.") % words,
    )
    return mine, theirs


def _about_enrolment(event, enrolment):
    """The learner's notice of the pathway completed, competency reached or the enrolment
    paused, resumed or withdrawn, and the one the supervisor and the program owner get:
    each kind, title, body and link."""
    learner, program = enrolment.learner, enrolment.program
    words = {"learner": learner, "program": program.name}
    if event.type == E.ENROLMENT_STATUS:
        kind = K.ENROLMENT_STATUS
        mine, theirs = _about_status(event, enrolment)
    elif event.type == E.ENROLMENT_COMPLETED:
        kind = K.PATHWAY_COMPLETED
        words["day"] = date_format(enrolment.completed_on or event.occurred_at, "j M Y")
        mine = (
            _("Pathway complete: %(program)s") % words,
            _("You completed every step of your %(program)s pathway.") % words,
        )
        theirs = (
            _("%(learner)s completed the %(program)s pathway") % words,
            _("%(learner)s completed every step of the %(program)s pathway on %(day)s.") % words,
        )
    else:
        kind = K.COMPETENCY_REACHED
        words["day"] = date_format(enrolment.competent_on or event.occurred_at, "j M Y")
        mine = (
            _("Competency reached: %(program)s") % words,
            _(
                "You met what %(program)s asks of a competent learner on %(day)s. Your pathway "
                "shows the evidence that got you there."
            )
            % words,
        )
        theirs = (
            _("%(learner)s reached competency on %(program)s") % words,
            _("%(learner)s met what %(program)s asks of a competent learner on %(day)s.") % words,
        )
    record = reverse("team:learner", args=[enrolment.pk])
    return (kind, *mine, reverse("learn:home")), (kind, *theirs, record)


def assignment_given_notify(*, assignment, by=None) -> None:
    """Tell the learner of an assignment given to them, by whom when a person gave it."""
    learner_id = assignment.enrolment.learner_id
    if by is not None and by.pk == learner_id:
        return
    words = {
        "title": assignment.title,
        "by": by,
        "day": date_format(assignment.due_on, "D j M Y"),
    }
    if by is None:
        body = _("You have a new on-the-job assignment, “%(title)s”, due %(day)s.") % words
    else:
        body = _("%(by)s gave you an on-the-job assignment, “%(title)s”, due %(day)s.") % words
    body += " " + _("Read the brief and the success criteria it will be judged on.")
    notify_many(
        [
            Notice(
                learner_id,
                K.ASSIGNMENT_GIVEN,
                f"assignment-given:{assignment.pk}",
                _("New assignment: %(title)s") % words,
                body,
                reverse("learn:assignment", args=[assignment.pk]),
            )
        ]
    )


def assignment_cancelled_notify(*, assignment, by) -> None:
    """Tell the learner an assignment was cancelled, by whom and why."""
    words = {"title": assignment.title, "by": by, "reason": assignment.cancel_reason}
    notify_many(
        [
            Notice(
                assignment.enrolment.learner_id,
                K.ASSIGNMENT_CANCELLED,
                f"assignment-cancelled:{assignment.pk}",
                _("Assignment cancelled: %(title)s") % words,
                _("%(by)s cancelled “%(title)s”: %(reason)s") % words,
                reverse("learn:assignment", args=[assignment.pk]),
            )
        ]
    )


def assignment_debriefed_notify(*, assignment, debrief_id: int, by, verdicts: dict) -> None:
    """Tell the learner their assignment was debriefed by `by`: completed, or back for
    rework with how many success criteria are not met yet (`verdicts`: criterion id -> met)."""
    learner_id = assignment.enrolment.learner_id
    if by.pk == learner_id:
        return
    missed = sum(1 for met in verdicts.values() if not met)
    words = {"title": assignment.title, "by": by, "missed": missed, "total": len(verdicts)}
    if missed == 0:
        title = _("Assignment completed: %(title)s") % words
        body = _("%(by)s debriefed “%(title)s”: every success criterion is met, so it is complete.")
    else:
        title = _("Assignment back for rework: %(title)s") % words
        body = ngettext(
            "%(by)s debriefed “%(title)s”: %(missed)d of %(total)d success criteria is not met "
            "yet. Read the verdicts, rework it and submit your evidence again.",
            "%(by)s debriefed “%(title)s”: %(missed)d of %(total)d success criteria are not met "
            "yet. Read the verdicts, rework it and submit your evidence again.",
            missed,
        )
    notify_many(
        [
            Notice(
                learner_id,
                K.ASSIGNMENT_DEBRIEFED,
                f"assignment-debriefed:{assignment.pk}:{debrief_id}",
                title,
                body % words,
                reverse("learn:assignment", args=[assignment.pk]),
            )
        ]
    )
