"""Evidence-gated steps: whether a learner's evidence meets a step's completion rule."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from coaching.selectors import EvidenceCheck, observation_evidence_counts_many

from .models import Rating, Step


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
    counts = observation_evidence_counts_many(checks=checks)
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
