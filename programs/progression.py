"""Progression: the one place that moves a learner along their pathway.

For each enrolment it decides, from the evidence and each step's rule, which steps are
open, done or skipped; it completes the enrolment when every step is done; and it marks
competency when the program's rule is met. Every change is a ProgressEvent saying what
caused it. Nothing else writes a step's progress, an enrolment's completion or its
competency: services ask for an evaluation after a change that can move someone
(`evaluate_on_commit`), and a scheduled sweep evaluates every enrolment in progress, so a
missed trigger heals.

A decision is never taken back: a completed step stays completed and competency once
reached stays reached, whatever later evidence says. Evaluating twice changes nothing the
second time, and two evaluations of one enrolment at once are serialised by locking the
enrolment first. Evaluating any number of enrolments runs the same queries: a few to load,
one per kind of evidence asked about (per step of the longest pathway, at most), three to
write, and up to three reads and an insert to tell the people concerned (`notices.py`).
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from objectives.models import Competency, LearningObjective, PerformanceObjective
from talentdev.core.audit import bulk_history
from talentdev.core.broker import enqueue

from .evidence import OpenStep, ask, step_gates_evaluate
from .history import day_start
from .models import Enrolment, Program, ProgressEvent, Rating, Step, StepProgress, StepSignOff
from .notices import progress_notify

logger = logging.getLogger(__name__)

E, S, C = ProgressEvent.Type, StepProgress.Status, Step.Completion
# The rules whose evidence another app keeps, by the question that asks it.
ASKED = {
    C.DEBRIEF: "step.debrief",
    C.REFLECTION: "step.reflection",
    C.COACHING: "step.coaching",
    C.ASSESSMENT: "step.assessment",
}
SWEEP_BATCH = 500
EVALUATE_PROGRAM_TASK = "programs.tasks.evaluate_program"


@dataclass
class _Change:
    """What one evaluation decided about one enrolment, before it is written."""

    rows: dict = field(default_factory=dict)  # progress rows changed, by pk
    events: list = field(default_factory=list)
    enrolment_fields: set = field(default_factory=set)


def _start(enrolment) -> dt.datetime:
    # The first step opens with the enrolment, at the start of its first day (UTC).
    return day_start(enrolment.enrolled_on)


def _event(type_, enrolment, *, at, cause, step=None, before="", after="", actor=None, detail=None):
    return ProgressEvent(
        type=type_,
        enrolment=enrolment,
        step=step,
        from_status=before,
        to_status=after,
        occurred_at=at,
        cause=cause,
        actor=actor,
        detail=detail or {},
    )


def _decisions(rows) -> dict:
    """Each progress row's latest sign-off and latest skip: {row id: {decision: sign-off}}."""
    found = {}
    signed = StepSignOff.objects.filter(progress__in=rows).select_related("by")
    for sign_off in signed.order_by("at", "pk"):
        found.setdefault(sign_off.progress_id, {})[sign_off.decision] = sign_off
    return found


def _rule_met(open_steps: list[OpenStep], rows_by_key, decisions, now) -> dict:
    """For each open step whose rule is met: (the moment it was met, cause, actor, detail)."""
    met = {}
    by_rule = {}
    for item in open_steps:
        by_rule.setdefault(item.step.completed_by, []).append(item)
    gated = by_rule.get(C.EVIDENCE, [])
    gates = step_gates_evaluate(
        pairs=[(rows_by_key[item.key].enrolment, item.step) for item in gated],
        opened={item.key: item.since for item in gated},
        now=now,
    )
    for key, gate in gates.items():
        if gate.met_at is not None:
            observations, observers = gate.met_with
            detail = {"observations": observations, "observers": observers}
            met[key] = (gate.met_at, ProgressEvent.Cause.RULE, None, detail)
    for rule, question in ASKED.items():
        for key, at in ask(question, open_steps=by_rule.get(rule, [])).items():
            met[key] = (at, ProgressEvent.Cause.RULE, None, {"evidence": rule})
    for rule in (C.LEARNER, C.SUPERVISOR):
        for item in by_rule.get(rule, []):
            row = rows_by_key[item.key]
            sign_off = decisions.get(row.pk, {}).get(StepSignOff.Decision.SIGNED_OFF)
            if sign_off is not None:
                detail = {"note": sign_off.note}
                met[item.key] = (sign_off.at, ProgressEvent.Cause.SIGN_OFF, sign_off.by, detail)
    return met


def _done_at(row, decisions):
    """When a done step was done: completed, or skipped by a person's decision."""
    if row.completed_at is not None:
        return row.completed_at
    skip = decisions.get(row.pk, {}).get(StepSignOff.Decision.SKIPPED)
    return _skipped_at(row, skip) if skip is not None else row.updated_at


def _skipped_at(row, skip):
    # A skip dated before the step opened takes effect as it opens, as completion does.
    return max(skip.at, row.started_at) if row.started_at else skip.at


def _move_steps(enrolments, rows_by_enrolment, decisions, now) -> dict[int, _Change]:
    """Open, skip and complete steps, pass by pass: a step done in one pass opens the next.

    A step whose rule was met and which a person skipped is decided by whichever came
    first, as it would have been had each been evaluated as it happened; the rule met at
    the moment of the skip completes it, so the learner's work counts.
    """
    changes = {enrolment.pk: _Change() for enrolment in enrolments}
    active = [e for e in enrolments if e.status == Enrolment.Status.ACTIVE]
    rows_by_key = {
        (row.enrolment_id, row.step_id): row for e in active for row in rows_by_enrolment[e.pk]
    }
    asked = set()
    while True:
        open_steps = []
        for enrolment in active:
            for row, opens in _opening(enrolment, rows_by_enrolment[enrolment.pk], decisions):
                if row.status == S.NOT_STARTED:
                    _open(row, enrolment, opens, changes[enrolment.pk])
                if (row.enrolment_id, row.step_id) not in asked:
                    open_steps.append(OpenStep(enrolment.pk, row.step, row.started_at))
        if not open_steps:
            return changes
        asked.update(item.key for item in open_steps)
        met = _rule_met(open_steps, rows_by_key, decisions, now)
        for item in open_steps:
            row, change = rows_by_key[item.key], changes[item.enrolment_id]
            skip = decisions.get(row.pk, {}).get(StepSignOff.Decision.SKIPPED)
            skipped_at = _skipped_at(row, skip) if skip and row.step.skippable else None
            if item.key in met:
                at, cause, actor, detail = met[item.key]
                at = min(max(at, row.started_at), now)
                if skipped_at is None or at <= skipped_at:
                    _close(row, row.enrolment, S.COMPLETED, at, change, actor, detail, cause)
                    continue
            if skipped_at is not None:
                reason = {"reason": skip.note}
                _close(row, row.enrolment, S.SKIPPED, skipped_at, change, skip.by, reason)


def _opening(enrolment, rows, decisions):
    """The rows not yet done whose step is open, with the moment each opened: the first step
    with the enrolment, a step run alongside with the one before it, any other once every
    step before it is done (all of a group run alongside, not only the last of them)."""
    opened = _start(enrolment)
    done = opened  # when every step so far was done; None while one is not
    for index, row in enumerate(rows):
        opens = opened if index == 0 or row.step.with_previous else done
        if row.started_at is not None:
            opens = row.started_at  # once open, a step stays open from when it opened
        if opens is None:
            return
        opened = opens
        if row.status in StepProgress.DONE_STATUSES:
            if done is not None:
                done = max(done, _done_at(row, decisions))
            continue
        yield row, opens
        done = None


def _open(row, enrolment, opens, change):
    row.status, row.started_at, row.updated_at = S.IN_PROGRESS, opens, timezone.now()
    step = row.step
    if step.due_days and step.due_from == Step.DueFrom.UNLOCK:
        row.due_on = opens.date() + dt.timedelta(days=step.due_days)
    change.rows[row.pk] = row
    change.events.append(
        _event(
            E.STEP_UNLOCKED,
            enrolment,
            step=step,
            at=opens,
            before=S.NOT_STARTED,
            after=S.IN_PROGRESS,
            cause=ProgressEvent.Cause.RULE,
        )
    )


def _close(row, enrolment, status, at, change, actor, detail, cause=None):
    before = row.status
    row.status, row.updated_at = status, timezone.now()
    row.completed_at = at if status == S.COMPLETED else None
    change.rows[row.pk] = row
    change.events.append(
        _event(
            E.STEP_COMPLETED if status == S.COMPLETED else E.STEP_SKIPPED,
            enrolment,
            step=row.step,
            at=at,
            before=before,
            after=status,
            cause=cause or ProgressEvent.Cause.SKIP,
            actor=actor,
            detail=detail,
        )
    )


def _complete_enrolments(enrolments, rows_by_enrolment, decisions, changes, now):
    for enrolment in enrolments:
        rows = rows_by_enrolment[enrolment.pk]
        if enrolment.status != Enrolment.Status.ACTIVE or not rows:
            continue
        if any(row.status not in StepProgress.DONE_STATUSES for row in rows):
            continue
        at = min(max(_done_at(row, decisions) for row in rows), now)
        day = max(at.date(), enrolment.enrolled_on)
        enrolment.status, enrolment.completed_on = Enrolment.Status.COMPLETED, day
        enrolment.updated_at = timezone.now()
        change = changes[enrolment.pk]
        change.enrolment_fields |= {"status", "completed_on"}
        change.events.append(
            _event(
                E.ENROLMENT_COMPLETED,
                enrolment,
                at=at,
                before=Enrolment.Status.ACTIVE,
                after=Enrolment.Status.COMPLETED,
                cause=ProgressEvent.Cause.RULE,
            )
        )


@dataclass(frozen=True)
class CompetencyRule:
    """What a program asks of a learner to count as competent."""

    objective_ids: frozenset
    competency_ids: frozenset
    needs_objectives: bool
    min_rank: int | None

    @property
    def needs_pathway(self) -> bool:
        # With neither requirement set, finishing the pathway is what counts.
        return not self.needs_objectives and self.min_rank is None


def competency_rules(program_ids) -> dict[int, CompetencyRule]:
    """Each program's competency rule, with the objectives and competencies it names."""
    objectives, competencies = {}, {}
    for program_id, pk in PerformanceObjective.objects.filter(
        program_id__in=program_ids
    ).values_list("program_id", "pk"):
        objectives.setdefault(program_id, set()).add(pk)
    for program_id, pk in LearningObjective.objects.filter(program_id__in=program_ids).values_list(
        "program_id", "competency_id"
    ):
        competencies.setdefault(program_id, set()).add(pk)
    programs = list(
        Program.objects.filter(pk__in=program_ids).only(
            "competency_needs_objectives", "competency_min_rank", "framework_id"
        )
    )
    # As Program.competencies(): before it has learning objectives, a program builds its
    # framework's competencies (asked only when such a program needs a level).
    frameworks = {
        p.framework_id
        for p in programs
        if p.pk not in competencies and p.framework_id and p.competency_min_rank is not None
    }
    by_framework = {}
    for framework_id, pk in Competency.objects.filter(framework_id__in=frameworks).values_list(
        "framework_id", "pk"
    ):
        by_framework.setdefault(framework_id, set()).add(pk)
    return {
        program.pk: CompetencyRule(
            objective_ids=frozenset(objectives.get(program.pk, ())),
            competency_ids=frozenset(
                competencies.get(program.pk) or by_framework.get(program.framework_id, ())
            ),
            needs_objectives=program.competency_needs_objectives,
            min_rank=program.competency_min_rank,
        )
        for program in programs
    }


@dataclass(frozen=True)
class CompetencyStanding:
    """What a program's competency rule still asks of one learner: nothing once reached."""

    reached_on: dt.date | None
    pathway_pending: bool = False
    objectives_missing: tuple = ()  # performance objectives not yet met on the job
    levels_missing: tuple = ()  # (competency, latest assessed rank or None) below the level
    min_rank: int | None = None


def competency_standings(enrolments) -> dict[int, CompetencyStanding]:
    """For each enrolment, where it stands against its program's competency rule, so the
    learner and the people around them read what is missing. The same questions as the
    engine asks, a fixed number of queries however many enrolments."""
    standings = {e.pk: CompetencyStanding(e.competent_on) for e in enrolments if e.competent_on}
    waiting = [e for e in enrolments if e.competent_on is None]
    if not waiting:
        return standings
    rules = competency_rules({e.program_id for e in waiting})
    ids = [e.pk for e in waiting]
    met = ask("competency.objectives", enrolment_ids=ids)
    levels = ask("competency.assessments", enrolment_ids=ids)
    missing, below = {}, {}
    for enrolment in waiting:
        rule, seen = rules[enrolment.program_id], met.get(enrolment.pk, {})
        # Where the learner stands now: each competency's latest level.
        latest = {pk: history[-1][0] for pk, history in levels.get(enrolment.pk, {}).items()}
        if rule.needs_objectives:
            missing[enrolment.pk] = [pk for pk in sorted(rule.objective_ids) if pk not in seen]
        if rule.min_rank is not None:
            below[enrolment.pk] = [
                (pk, latest.get(pk))
                for pk in sorted(rule.competency_ids)
                if latest.get(pk, 0) < rule.min_rank
            ]
    # Only what is missing is named, so a learner with nothing missing costs no query.
    objectives = PerformanceObjective.objects.in_bulk(
        {pk for pks in missing.values() for pk in pks}
    )
    competencies = Competency.objects.in_bulk({pk for rows in below.values() for pk, _ in rows})
    for enrolment in waiting:
        rule = rules[enrolment.program_id]
        standings[enrolment.pk] = CompetencyStanding(
            reached_on=None,
            pathway_pending=rule.needs_pathway and enrolment.status != Enrolment.Status.COMPLETED,
            objectives_missing=tuple(objectives[pk] for pk in missing.get(enrolment.pk, ())),
            levels_missing=tuple(
                (competencies[pk], rank) for pk, rank in below.get(enrolment.pk, ())
            ),
            min_rank=rule.min_rank,
        )
    return standings


def competency_rule_in_words(program) -> str:
    """The program's competency rule as the designer and sponsors read it."""
    parts = []
    if program.competency_needs_objectives:
        parts.append(
            _(
                "every performance objective has been met on the job (observed at Meets or "
                "better, or a success criterion tied to it met in a debrief)"
            )
        )
    if program.competency_min_rank is not None:
        parts.append(
            _(
                "their latest baseline or checkpoint assessment is at level %(rank)s or above in "
                "every competency the learning objectives build"
            )
            % {"rank": program.competency_min_rank}
        )
    if not parts:
        return _("A learner reaches competency when they complete the pathway.")
    return _("A learner reaches competency when %(rule)s.") % {"rule": _(" and ").join(parts)}


# What completes a step whose rule needs no figures, in words (step_rule_in_words).
RULES_IN_WORDS = {
    C.DEBRIEF: gettext_lazy("The step's on-the-job assignment, debriefed with every criterion met"),
    C.REFLECTION: gettext_lazy("A reflection the learner writes on this step while it is open"),
    C.COACHING: gettext_lazy("A coaching session held while the step is open"),
    C.LEARNER: gettext_lazy("The learner marks it done, with a short note"),
    C.SUPERVISOR: gettext_lazy("The supervisor, coach or line manager signs it off"),
}


def step_rule_in_words(step: Step) -> str:
    """What completes the step, as the learner and the people around them read it."""
    rule = step.completed_by
    if rule == C.EVIDENCE and step.is_evidence_gated:
        count, observers = step.gate_min_observations, step.gate_min_observers
        seen = ngettext(
            "%(count)d observation rated %(rating)s or better",
            "%(count)d observations rated %(rating)s or better",
            count,
        ) % {"count": count, "rating": Rating(step.gate_min_rating).label}
        by = ngettext("from %(n)d observer", "from %(n)d different observers", observers) % {
            "n": observers
        }
        return _("%(seen)s %(by)s within %(days)d days") % {
            "seen": seen,
            "by": by,
            "days": step.gate_within_days,
        }
    if rule == C.ASSESSMENT:
        if step.assessment_min_rank is None:
            return _("An assessment recorded while the step is open")
        return _("An assessment at level %(rank)s or above while the step is open") % {
            "rank": step.assessment_min_rank
        }
    if rule in RULES_IN_WORDS:
        return str(RULES_IN_WORDS[rule])
    return step.get_completed_by_display()


def _reached_at(rule: CompetencyRule, enrolment, rows, decisions, seen, levels):
    """The first moment the enrolment met its program's rule, or None while it has not.

    Competency once reached stays reached: an assessment made since at a lower level does
    not undo it, and an evaluation that comes late (the sweep, after a missed trigger)
    finds the moment an evaluation after each change would have found.
    """
    if rule.needs_pathway:
        if enrolment.status != Enrolment.Status.COMPLETED:
            return None
        if not rows:
            return day_start(enrolment.completed_on)
        return max(_done_at(row, decisions) for row in rows)
    needs_level = rule.min_rank is not None
    objectives = rule.objective_ids if rule.needs_objectives else frozenset()
    competencies = rule.competency_ids if needs_level else frozenset()
    if (rule.needs_objectives and not objectives) or (needs_level and not competencies):
        return None  # a rule that names nothing to meet is never met
    observed, assessed = seen.get(enrolment.pk, {}), levels.get(enrolment.pk, {})
    if not objectives <= observed.keys() or not competencies <= assessed.keys():
        return None
    # The rule can start to hold only when an objective is first seen or a level assessed.
    moments = {observed[pk] for pk in objectives}
    moments.update(at for pk in competencies for _rank, at in assessed[pk])
    for moment in sorted(moments):
        if all(observed[pk] <= moment for pk in objectives) and all(
            _level_at(assessed[pk], moment) >= rule.min_rank for pk in competencies
        ):
            return moment
    return None


def _level_at(assessments, moment) -> int:
    """The rank of the last of these (rank, moment) assessments made by `moment`; 0 if none."""
    made = [rank for rank, at in assessments if at <= moment]
    return made[-1] if made else 0


def _reach_competency(enrolments, rows_by_enrolment, decisions, changes, now):
    waiting = [e for e in enrolments if e.competent_on is None]
    if not waiting:
        return
    rules = competency_rules({e.program_id for e in waiting})
    ids = [e.pk for e in waiting]
    seen = ask("competency.objectives", enrolment_ids=ids)
    levels = ask("competency.assessments", enrolment_ids=ids)
    for enrolment in waiting:
        at = _reached_at(
            rules[enrolment.program_id],
            enrolment,
            rows_by_enrolment[enrolment.pk],
            decisions,
            seen,
            levels,
        )
        if at is None:
            continue
        at = min(at, now)
        enrolment.competent_on = max(at.date(), enrolment.enrolled_on)
        enrolment.updated_at = timezone.now()
        change = changes[enrolment.pk]
        change.enrolment_fields.add("competent_on")
        change.events.append(
            _event(E.COMPETENCY_REACHED, enrolment, at=at, cause=ProgressEvent.Cause.RULE)
        )


def progress_evaluate(*, enrolment_ids, now=None) -> list[ProgressEvent]:
    """Move the given enrolments as far as their evidence takes them; returns the events.

    Paused and withdrawn enrolments stand still; a completed one may still reach competency.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = list(
            Enrolment.objects.select_for_update()
            .filter(pk__in=enrolment_ids)
            .filter(status__in=[Enrolment.Status.ACTIVE, Enrolment.Status.COMPLETED])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        if not locked:
            return []
        enrolments = list(Enrolment.objects.filter(pk__in=locked).order_by("pk"))
        rows = list(
            StepProgress.objects.filter(enrolment_id__in=locked)
            .select_related("step")
            .order_by("enrolment_id", "step__position")
        )
        by_pk = {enrolment.pk: enrolment for enrolment in enrolments}
        rows_by_enrolment = {pk: [] for pk in locked}
        steps = {}
        for row in rows:
            row.enrolment = by_pk[row.enrolment_id]
            # The learners on a pathway share its steps: their objectives are loaded once
            # per step, not once per learner's row (a sweep's batch has thousands of rows).
            row.step = steps.setdefault(row.step_id, row.step)
            rows_by_enrolment[row.enrolment_id].append(row)
        prefetch_related_objects([*steps.values()], "learning_objectives", "performance_objectives")
        decisions = _decisions(rows)
        changes = _move_steps(enrolments, rows_by_enrolment, decisions, now)
        _complete_enrolments(enrolments, rows_by_enrolment, decisions, changes, now)
        _reach_competency(enrolments, rows_by_enrolment, decisions, changes, now)
        return _write(enrolments, changes)


def _write(enrolments, changes) -> list[ProgressEvent]:
    rows = [row for change in changes.values() for row in change.rows.values()]
    if rows:
        StepProgress.objects.bulk_update(
            rows, ["status", "started_at", "completed_at", "due_on", "updated_at"]
        )
    changed = [e for e in enrolments if changes[e.pk].enrolment_fields]
    if changed:
        fields = set().union(*(changes[e.pk].enrolment_fields for e in changed))
        Enrolment.objects.bulk_update(changed, [*fields, "updated_at"])
        bulk_history(Enrolment, changed, update=True)
    events = [event for change in changes.values() for event in change.events]
    ProgressEvent.objects.bulk_create(events)
    # In the same transaction as the events: people are told of what was written, once.
    progress_notify(events)
    return events


def evaluate_on_commit(enrolment_ids) -> None:
    """Evaluate these enrolments once the current transaction commits (at once outside
    one). A failure is logged, not raised: the evidence is saved, and the sweep will move
    the learner."""
    ids = sorted(set(enrolment_ids))

    def evaluate():
        try:
            progress_evaluate(enrolment_ids=ids)
        except Exception:
            logger.exception("progress of enrolments %s not evaluated; the sweep will", ids)

    transaction.on_commit(evaluate)


def evaluate_program_on_commit(program_id) -> None:
    """Once the transaction commits, have a worker evaluate a program's learners: its
    competency rule changed, and a program's learners are too many for one request. A
    broker that is down loses nothing: the scheduled sweep evaluates them too."""

    transaction.on_commit(lambda: enqueue(EVALUATE_PROGRAM_TASK, args=[program_id]))


def progress_sweep(*, now=None, batch: int = SWEEP_BATCH, program_id=None) -> int:
    """Evaluate every enrolment still moving (active, or completed without competency), a
    batch at a time, of one program or of all; returns how many were evaluated. Safe to run
    twice or on two workers."""
    waiting = Enrolment.objects.filter(status=Enrolment.Status.ACTIVE) | Enrolment.objects.filter(
        status=Enrolment.Status.COMPLETED, competent_on__isnull=True
    )
    if program_id is not None:
        waiting = waiting.filter(program_id=program_id)
    last, total = 0, 0
    while True:
        ids = list(waiting.filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch])
        if not ids:
            return total
        progress_evaluate(enrolment_ids=ids, now=now)
        last, total = ids[-1], total + len(ids)
