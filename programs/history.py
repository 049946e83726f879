"""Where enrolments stood at a moment, read from their progress history (ProgressEvent).

Sponsor reviews ask at a period's end, the sponsor dashboard and overview at now, so both
count alike. Each reader is a database expression over the events, so a figure built on
them stays one aggregate query however many learners and events there are. `at` is an
aware datetime; the history is read strictly before it, so a period [start, end) holds
what happened from its start up to, not including, its end.

- An enrolment counts from 00:00 UTC on its enrolment day, when progression opens its
  first step: it has begun at `at` if that day began before `at`.
- Its status at `at` is completed once its enrolment.completed event is before `at`
  (completion is final); otherwise the one its latest enrolment.status event before `at`
  set; with none yet, it is active.
- A step counts as completed at `at` when its step.completed event is before `at`. A
  skipped step is not completed: it stays in the total and out of the completed count,
  as in every sponsor figure (StepProgress.DONE_STATUSES).
- Competency is reached by `at` when the enrolment.competent event is before `at`.
  Progression writes `competent_on` (its day) with the event, so days to competency are
  counted from `competent_on`.
"""

import datetime as dt

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, Exists, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from .models import Enrolment, ProgressEvent, StepProgress

E = ProgressEvent.Type
# The events that set an enrolment's status: a person's pause, resume or withdrawal, and
# progression's completion.
STATUS_EVENTS = (E.ENROLMENT_STATUS, E.ENROLMENT_COMPLETED)


def day_start(day: dt.date) -> dt.datetime:
    """The moment a day begins, in UTC: an enrolment's start and a review period's bounds."""
    return dt.datetime.combine(day, dt.time.min, tzinfo=dt.UTC)


def began_by(at: dt.datetime, prefix: str = "") -> Q:
    """Enrolments whose first day began before `at`. `prefix` reaches the enrolment from a
    related row, e.g. "enrolment__" from a step's progress."""
    day = at.astimezone(dt.UTC).date()
    first_not_begun = day if day_start(day) == at else day + dt.timedelta(days=1)
    return Q(**{f"{prefix}enrolled_on__lt": first_not_begun})


def status_at(at: dt.datetime, enrolment: str = "pk") -> Case:
    """The enrolment's status at `at`. `enrolment` names the outer row's enrolment id:
    "pk" on an enrolment, "enrolment_id" on a step's progress.

    Completion is final: it may be dated inside a pause by the evidence that finished the
    pathway, before the resumption that let progression see it, and still stands."""
    completed = ProgressEvent.objects.filter(
        enrolment=OuterRef(enrolment), type=E.ENROLMENT_COMPLETED, occurred_at__lt=at
    )
    # Few learners are ever paused or withdrawn: asked first, as one set the database
    # hashes, the rest are active without a search of each one's history.
    changed = ProgressEvent.objects.filter(
        enrolment=OuterRef(enrolment), type=E.ENROLMENT_STATUS, occurred_at__lt=at
    )
    latest = (
        ProgressEvent.objects.filter(
            enrolment=OuterRef(enrolment), type__in=STATUS_EVENTS, occurred_at__lt=at
        )
        .order_by("-occurred_at", "-recorded_at")
        .values("to_status")[:1]
    )
    return Case(
        When(Exists(completed), then=Value(Enrolment.Status.COMPLETED)),
        When(~Exists(changed), then=Value(Enrolment.Status.ACTIVE)),
        default=Coalesce(Subquery(latest), Value(Enrolment.Status.ACTIVE)),
    )


def step_completed_by(at: dt.datetime) -> Exists:
    """On a step's progress: whether the step was completed before `at`."""
    return Exists(
        ProgressEvent.objects.filter(
            enrolment=OuterRef("enrolment_id"),
            step=OuterRef("step_id"),
            type=E.STEP_COMPLETED,
            occurred_at__lt=at,
        )
    )


def competent_by(at: dt.datetime, enrolment: str = "pk") -> Exists:
    """Whether the enrolment reached competency before `at` (`enrolment` as in status_at)."""
    return Exists(
        ProgressEvent.objects.filter(
            enrolment=OuterRef(enrolment), type=E.COMPETENCY_REACHED, occurred_at__lt=at
        )
    )


def enrolments_at(at: dt.datetime, enrolments: QuerySet | None = None) -> QuerySet:
    """The enrolments begun by `at`, each with its status then as `status_then` and whether
    it had reached competency as `competent_then`."""
    enrolments = Enrolment.objects.all() if enrolments is None else enrolments
    return enrolments.filter(began_by(at)).annotate(
        status_then=status_at(at), competent_then=competent_by(at)
    )


def current_then() -> Q:
    """On enrolments_at(): those still on their program then (not withdrawn)."""
    return ~Q(status_then=Enrolment.Status.WITHDRAWN)


def withdrawn_at(at: dt.datetime, enrolments: QuerySet) -> QuerySet:
    """Those of `enrolments` withdrawn at `at`. Only a learner with a withdrawal recorded
    before `at` can be, so only their status then is read: a few of many."""
    withdrawals = ProgressEvent.objects.filter(
        enrolment=OuterRef("pk"),
        type=E.ENROLMENT_STATUS,
        to_status=Enrolment.Status.WITHDRAWN,
        occurred_at__lt=at,
    )
    return enrolments_at(at, enrolments.filter(Exists(withdrawals))).filter(
        status_then=Enrolment.Status.WITHDRAWN
    )


def current_at(at: dt.datetime, enrolments: QuerySet) -> QuerySet:
    """Those of `enrolments` current at `at`: begun, and not withdrawn then."""
    # Those current are all begun but the withdrawn, whose status is read once each.
    return enrolments.filter(began_by(at)).exclude(pk__in=withdrawn_at(at, enrolments).values("pk"))


def progress_at(at: dt.datetime, enrolments: QuerySet) -> QuerySet:
    """The step progress of those of `enrolments` current at `at` (begun, not withdrawn),
    each with whether its step was completed then as `completed_then`."""
    return StepProgress.objects.filter(
        enrolment__in=current_at(at, enrolments).values("pk")
    ).annotate(completed_then=step_completed_by(at))


# Every step of the current learners beside its completions before `at`, deduplicated (a
# step completed, reopened and completed again counts once), as step_completed_by() decides:
# the steps and the completions are read in the same order, (enrolment, step), from their
# unique and partial indexes and matched as they go, rather than searched for once per step.
# Django cannot join a subquery, so the statement wraps the two querysets' own SQL.
STEP_COUNTS_SQL = """
SELECT enrolment.program_id, COUNT(done.step_id), COUNT(*)
FROM {progress} progress
JOIN ({current}) enrolment ON enrolment.id = progress.enrolment_id
LEFT JOIN ({done}) done
    ON done.enrolment_id = progress.enrolment_id AND done.step_id = progress.step_id
GROUP BY enrolment.program_id
"""


def step_counts_at(at: dt.datetime, enrolments: QuerySet) -> dict[int, tuple[int, int]]:
    """By program: (steps completed, steps) of those of `enrolments` current at `at`, as
    progress_at() counts them, in one query for every program."""
    current = current_at(at, enrolments).order_by().values("id", "program_id")
    done = (
        ProgressEvent.objects.filter(type=E.STEP_COMPLETED, occurred_at__lt=at)
        .order_by()
        .values("enrolment_id", "step_id")
        .distinct()
    )
    try:
        current_sql, current_params = current.query.sql_with_params()
    except EmptyResultSet:  # no enrolments asked for
        return {}
    done_sql, done_params = done.query.sql_with_params()
    sql = STEP_COUNTS_SQL.format(
        progress=StepProgress._meta.db_table, current=current_sql, done=done_sql
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*current_params, *done_params])
        return {program_id: (done, total) for program_id, done, total in cursor.fetchall()}
