"""Evidence-gated steps: whether a learner's evidence meets a step's completion rule.

The rule belongs to the pathway; the evidence is kept by the apps above it (observations
by coaching). Each such app registers how its evidence is counted, so this module asks
for counts without knowing the models behind them.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import Rating, Step


@dataclass(frozen=True)
class EvidenceCheck:
    """One question for an evidence counter: which observations count, for whom."""

    key: tuple
    enrolment_id: int
    performance_objective_ids: list[int]
    min_rating: int
    since: datetime
    until: datetime


# checks -> {check key: (observations, observers)}, one query for all of them
_observation_counter: list[Callable[..., dict]] = []


def observation_counter(count: Callable[..., dict]):
    """Register how observations are counted (the app that keeps them does, once)."""
    if _observation_counter:
        raise ValueError("an observation counter is already registered")
    _observation_counter.append(count)
    return count


def _count_observations(checks: list[EvidenceCheck]) -> dict:
    if not checks:
        return {}
    (count,) = _observation_counter
    return count(checks=checks)


@dataclass(frozen=True)
class GateResult:
    """The verdict on one step's evidence rule, with what is still missing in words."""

    gated: bool
    met: bool
    observations: int = 0
    observers: int = 0
    missing: list[str] = field(default_factory=list)


def step_gate_evaluate(*, enrolment, step: Step, now=None) -> GateResult:
    """Evaluate a step's rule, e.g. "3 observations rated meets or better, from 2 observers,
    within 60 days", against the observations of the enrolment's learner.

    The span is the `gate_within_days` days up to `now`.
    """
    return step_gates_evaluate(pairs=[(enrolment, step)], now=now)[(enrolment.pk, step.pk)]


def step_gates_evaluate(*, pairs, now=None) -> dict[tuple[int, int], GateResult]:
    """Evaluate many (enrolment, step) gates in one query, keyed by (enrolment id, step id).

    Steps should come with their performance objectives prefetched.
    """
    now = now or timezone.now()
    results, checks = {}, []
    for enrolment, step in pairs:
        key = (enrolment.pk, step.pk)
        if not step.is_evidence_gated:
            results[key] = GateResult(gated=False, met=True)
            continue
        objective_ids = [po.pk for po in step.performance_objectives.all()]
        if not objective_ids:
            results[key] = GateResult(
                gated=True,
                met=False,
                missing=[_("This step names no performance objective to gather evidence against.")],
            )
            continue
        checks.append(
            EvidenceCheck(
                key=key,
                enrolment_id=enrolment.pk,
                performance_objective_ids=objective_ids,
                min_rating=step.gate_min_rating,
                since=now - timedelta(days=step.gate_within_days),
                until=now,
            )
        )
    counts = _count_observations(checks)
    for enrolment, step in pairs:
        key = (enrolment.pk, step.pk)
        if key not in results:
            results[key] = _verdict(step, *counts[key])
    return results


def _verdict(step: Step, observations: int, observers: int) -> GateResult:
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
    return GateResult(
        gated=True,
        met=not missing,
        observations=observations,
        observers=observers,
        missing=missing,
    )
