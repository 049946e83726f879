"""The evidence a learner's progress is judged on, and the evidence gate's verdict in words.

A step's rule belongs to the pathway; most of the evidence is kept by the apps above it
(observations, debriefs, reflections and coaching sessions by coaching, assessments by
measurement). Each such app registers how its evidence answers a question, by name, so
programs asks without knowing the models behind the answers. Every question is answered
for many learners at once, in one query.

Questions (name: arguments -> answer):
- "observations": checks (EvidenceCheck) -> {check key: [(observer id, moment)] of the
  observations that count, oldest first}
- "step.debrief", "step.reflection", "step.coaching", "step.assessment":
  open_steps (OpenStep) -> {open step key: the moment the step's rule was met}
- "competency.objectives": enrolment_ids -> {enrolment id: {objective id: first moment it was
  met on the job (observed at Meets or better, or a criterion met in a debrief)}}
- "competency.assessments": enrolment_ids -> {enrolment id: {competency id: [(rank, moment)]
  of its baseline and checkpoint assessments, oldest first}}
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Rating, Step

_answers: dict[str, Callable[..., dict]] = {}


def evidence_answers(question: str):
    """Register the function that answers `question` (the app keeping the evidence does)."""

    def register(answer: Callable[..., dict]):
        if question in _answers:
            raise ValueError(f"{question!r} already has an answer")
        _answers[question] = answer
        return answer

    return register


def ask(question: str, **arguments) -> dict:
    """The registered answer to `question`; nothing to ask about answers nothing."""
    if not any(arguments.values()):
        return {}
    return _answers[question](**arguments)


@dataclass(frozen=True)
class EvidenceCheck:
    """One question for the observations: which of a learner's count, between two moments."""

    key: tuple
    enrolment_id: int
    performance_objective_ids: list[int]
    min_rating: int
    since: datetime
    until: datetime


@dataclass(frozen=True)
class OpenStep:
    """A step a learner has open, since `since`: what its rule is asked about."""

    enrolment_id: int
    step: Step
    since: datetime

    @property
    def key(self) -> tuple[int, int]:
        return (self.enrolment_id, self.step.pk)


@dataclass(frozen=True)
class GateResult:
    """The verdict on one step's evidence rule, with what is still missing in words.

    `met` and the counts judge the span ending now, as a learner reads them; `met_at` is
    the first moment since the step opened when a span met the rule, as progression needs
    it (None when it was never met, or not asked). `holds_until` is when the oldest
    observation in the span leaves it: the counts hold until then unless one is added
    (None with none in the span).
    """

    gated: bool
    met: bool
    observations: int = 0
    observers: int = 0
    met_at: datetime | None = None
    met_with: tuple[int, int] = (0, 0)  # observations and observers when it was met
    missing: list[str] = field(default_factory=list)
    holds_until: datetime | None = None


def step_gate_evaluate(*, enrolment, step: Step, now=None) -> GateResult:
    """Evaluate a step's rule, e.g. "3 observations rated meets or better, from 2 observers,
    within 60 days", against the observations of the enrolment's learner.

    The span is the `gate_within_days` days up to `now`.
    """
    return step_gates_evaluate(pairs=[(enrolment, step)], now=now)[(enrolment.pk, step.pk)]


def step_gates_evaluate(
    *, pairs, now=None, opened=None, objective_ids=None
) -> dict[tuple[int, int], GateResult]:
    """Evaluate many (enrolment, step) gates in one query, keyed by (enrolment id, step id).

    `opened`, when given, maps keys to the moment each step opened; those results also say
    when the rule was first met since then. Steps should come with their performance
    objectives prefetched, or `objective_ids` give their ids by step id.
    """
    now, opened = now or timezone.now(), opened or {}
    results, checks = {}, []
    for enrolment, step in pairs:
        key = (enrolment.pk, step.pk)
        if not step.is_evidence_gated:
            results[key] = GateResult(gated=False, met=True)
            continue
        if objective_ids is None:
            objectives = [po.pk for po in step.performance_objectives.all()]
        else:
            objectives = objective_ids[step.pk]
        if not objectives:
            results[key] = GateResult(
                gated=True,
                met=False,
                missing=[_("This step names no performance objective to gather evidence against.")],
            )
            continue
        span = timedelta(days=step.gate_within_days)
        start = min(opened.get(key, now), now)
        checks.append(
            EvidenceCheck(
                key=key,
                enrolment_id=enrolment.pk,
                performance_objective_ids=objectives,
                min_rating=step.gate_min_rating,
                since=start - span,
                until=now,
            )
        )
    seen = ask("observations", checks=checks)
    for enrolment, step in pairs:
        key = (enrolment.pk, step.pk)
        if key not in results:
            observations = seen.get(key, [])
            met_at = None
            if key in opened:
                met_at = gate_met_at(step, observations, since=min(opened[key], now), until=now)
            results[key] = _verdict(step, observations, now, met_at)
    return results


def _inside(step: Step, observations, end) -> list:
    start = end - timedelta(days=step.gate_within_days)
    return [(observer, at) for observer, at in observations if start <= at <= end]


def _span_meets(step: Step, observations, end) -> tuple[bool, int, int]:
    inside = _inside(step, observations, end)
    observers = len({observer for observer, _at in inside})
    met = len(inside) >= step.gate_min_observations and observers >= step.gate_min_observers
    return met, len(inside), observers


def gate_met_at(step: Step, observations, *, since, until):
    """The first moment in [since, until] when the `gate_within_days` days up to it held
    enough qualifying observations from enough observers, or None.

    `observations` are the qualifying (observer id, moment) pairs. A span gains evidence
    only when an observation is made, so the candidates are `since` and each observation
    made after it.
    """
    moments = [since] + sorted(at for _observer, at in observations if since < at <= until)
    for moment in moments:
        if _span_meets(step, observations, moment)[0]:
            return moment
    return None


def _verdict(step: Step, seen, now, met_at) -> GateResult:
    met, observations, observers = _span_meets(step, seen, now)
    rating = Rating(step.gate_min_rating).label.lower()
    missing = []
    if observations < step.gate_min_observations:
        short = step.gate_min_observations - observations
        missing.append(
            ngettext(
                "%(short)d more observation rated %(rating)s or better in the last %(days)d "
                "days (%(have)d of %(need)d so far).",
                "%(short)d more observations rated %(rating)s or better in the last %(days)d "
                "days (%(have)d of %(need)d so far).",
                short,
            )
            % {
                "short": short,
                "rating": rating,
                "days": step.gate_within_days,
                "have": observations,
                "need": step.gate_min_observations,
            }
        )
    if observers < step.gate_min_observers:
        short = step.gate_min_observers - observers
        missing.append(
            ngettext(
                "Evidence from %(short)d more observer (%(have)d of %(need)d so far).",
                "Evidence from %(short)d more observers (%(have)d of %(need)d so far).",
                short,
            )
            % {"short": short, "have": observers, "need": step.gate_min_observers}
        )
    inside = [at for _observer, at in _inside(step, seen, now)]
    return GateResult(
        gated=True,
        met=met,
        observations=observations,
        observers=observers,
        met_at=met_at,
        met_with=(0, 0) if met_at is None else _span_meets(step, seen, met_at)[1:],
        missing=missing,
        holds_until=min(inside) + timedelta(days=step.gate_within_days) if inside else None,
    )
