"""Which experiences go with better results: learners who completed a kind of step, or an
assignment of a scenario, beside those who did not, on each outcome metric measured per learner.

This is a correlation, not proof that the experience caused the result. Groups smaller
than the privacy threshold are suppressed. Everything is aggregated in the database,
one query per metric; the standard deviation comes from the mean of squares, which
every supported database can compute.
"""

import math

from django.db import connections
from django.db.models import Exists, F, FloatField, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from programs.models import Assignment, Enrolment, Step, StepProgress

from .models import Measurement, OutcomeMetric
from .privacy import suppressed

STEP, SCENARIO = "step", "scenario"
TYPE_LABELS = {STEP: _("Step kind"), SCENARIO: _("Assignment scenario")}


def _experiences(program) -> list[tuple[str, str]]:
    """(type, value) of every step kind on the program's pathways and every scenario its
    assignments use, steps first; one query, so the dashboard's query count stays fixed."""
    steps = (
        Step.objects.filter(pathway__program=program)
        .order_by()
        .annotate(type=Value(STEP))
        .values_list("type", "kind")
    )
    scenarios = (
        Assignment.objects.filter(enrolment__program=program)
        .order_by()
        .annotate(type=Value(SCENARIO))
        .values_list("type", "scenario_kind")
    )
    return sorted(steps.union(scenarios), key=lambda pair: (pair[0] != STEP, pair[1]))


def _completed(program, experience_type, value):
    """Whether the enrolment of the outer row completed the experience. Naming the program
    again keeps the set PostgreSQL hashes for the test to this program's rows."""
    if experience_type == STEP:
        return Exists(
            StepProgress.objects.filter(
                enrolment=OuterRef("pk"),
                step__pathway__program=program,
                step__kind=value,
                status=StepProgress.Status.COMPLETED,
            )
        )
    return Exists(
        Assignment.objects.filter(
            enrolment=OuterRef("pk"),
            enrolment__program=program,
            scenario_kind=value,
            status__in=Assignment.DONE_STATUSES,
        )
    )


def _label(experience_type, value):
    choices = Step.Kind if experience_type == STEP else Assignment.ScenarioKind
    return choices(value).label


def _value(metric_id, order):
    """The learner's first (or last) value of the metric."""
    return Subquery(
        Measurement.objects.filter(metric_id=metric_id, enrolment=OuterRef("pk"))
        .order_by(order, "id" if order == "measured_at" else "-id")
        .annotate(as_float=Cast("value", FloatField()))
        .values("as_float")[:1]
    )


def _cohens_d(first, second):
    """Effect size from two groups' means and mean squares (population variances pooled)."""
    (n1, m1, s1), (n2, m2, s2) = first, second
    if min(n1, n2) < 2:
        return None
    v1, v2 = max(s1 - m1 * m1, 0.0), max(s2 - m2 * m2, 0.0)
    pooled = math.sqrt((n1 * v1 + n2 * v2) / (n1 + n2))
    return None if pooled == 0 else round((m1 - m2) / pooled, 2)


def _side_aggregates(per_learner, flags) -> dict:
    """For each flag and side (did it, did not): learners with a change, the mean change and
    the mean squared change, in one query.

    Each learner's change and flags are worked out once by an inner query and aggregated by
    the outer one. Aggregating the annotated queryset directly repeats the correlated
    subqueries inside every aggregate, six per experience and row: 0.7 s a metric on
    PostgreSQL for 200 learners, against a few milliseconds this way.
    """
    inner, params = per_learner.order_by().values("change", *flags).query.sql_with_params()
    quote = connections[per_learner.db].ops.quote_name
    change = quote("change")
    columns, names = [], []
    for flag in flags:
        for side, test in (("in", quote(flag)), ("out", f"NOT {quote(flag)}")):
            when = f"{test} AND {change} IS NOT NULL"
            columns += [
                f"COUNT(CASE WHEN {when} THEN 1 END)",
                f"AVG(CASE WHEN {when} THEN {change} END)",
                f"AVG(CASE WHEN {when} THEN {change} * {change} END)",
            ]
            names += [f"{flag}_{side}_n", f"{flag}_{side}_mean", f"{flag}_{side}_sq"]
    connection = connections[per_learner.db]
    # MATERIALIZED keeps the planner from folding the inner query back into each aggregate,
    # which would bring the repeated subqueries back; SQLite knows the word from 3.35 on.
    version = getattr(connection.Database, "sqlite_version_info", None)
    hint = "" if connection.vendor == "sqlite" and version < (3, 35) else "MATERIALIZED"
    select = ", ".join(columns)  # quoted identifiers of our own, no user input
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH per_learner AS {hint} ({inner}) SELECT {select} FROM per_learner",  # noqa: S608
            params,
        )
        return dict(zip(names, cursor.fetchone(), strict=True))


def _anyone_measured(numbers, flags) -> bool:
    """Whether any learner has a change on the metric: every learner falls on one side."""
    first = next(iter(flags), None)
    return first is not None and numbers[f"{first}_in_n"] + numbers[f"{first}_out_n"] > 0


def experience_numbers(*, program, metric_ids) -> list[dict]:
    """Per metric of `metric_ids` (in their order) that learners have values of, and per
    experience of the program: the group sizes, mean change and mean squared change of those
    who completed it ("in") and the others ("out"), before any privacy rule; plain values,
    so they can be kept (measurement.figures).

    A step kind is completed with a completed step of that kind; a scenario with an
    assignment of it whose work is done (Assignment.DONE_STATUSES).
    """
    experiences = _experiences(program)
    flags = {
        f"did_{experience_type}_{value}": _completed(program, experience_type, value)
        for experience_type, value in experiences
    }
    results = []
    for metric_id in metric_ids:
        enrolments = (
            Enrolment.objects.current()
            .filter(program=program)
            .annotate(
                first=_value(metric_id, "measured_at"),
                last=_value(metric_id, "-measured_at"),
                **flags,
            )
            .annotate(change=F("last") - F("first"))
        )
        numbers = _side_aggregates(enrolments, flags) if flags else {}
        if not _anyone_measured(numbers, flags):
            continue  # a program-level metric: nobody's own change to compare
        for (experience_type, value), flag in zip(experiences, flags, strict=True):
            results.append(
                {
                    "metric_id": metric_id,
                    "type": experience_type,
                    "value": value,
                    **{
                        side: [
                            numbers[f"{flag}_{side}_n"],
                            numbers[f"{flag}_{side}_mean"] or 0.0,
                            numbers[f"{flag}_{side}_sq"] or 0.0,
                        ]
                        for side in ("in", "out")
                    },
                }
            )
    return results


def effects_from_numbers(numbers: list[dict], metrics: dict) -> list[dict]:
    """Rows of (metric, step kind or assignment scenario) as sponsors read them: completers'
    and others' mean change, group sizes and effect size, withheld where a group is too small.
    `metrics` maps ids to metrics; a metric deleted since the numbers were counted is left out.
    """
    results = []
    for row in numbers:
        metric = metrics.get(row["metric_id"])
        if metric is None:
            continue
        groups = [tuple(row["in"]), tuple(row["out"])]
        hidden = any(suppressed(n) for n, _mean, _sq in groups)
        results.append(
            {
                "metric": metric,
                "experience_type": TYPE_LABELS[row["type"]],
                "kind": _label(row["type"], row["value"]),
                "completed_n": groups[0][0],
                "others_n": groups[1][0],
                "suppressed": hidden,
                "completed_change": None if hidden else round(groups[0][1], 2),
                "others_change": None if hidden else round(groups[1][1], 2),
                "effect_size": None if hidden else _cohens_d(*groups),
            }
        )
    return results


def experience_effects(*, program) -> list[dict]:
    """Which experiences go with better results on the program, computed now."""
    metrics = {m.pk: m for m in OutcomeMetric.objects.filter(program=program).order_by("name")}
    return effects_from_numbers(experience_numbers(program=program, metric_ids=metrics), metrics)
