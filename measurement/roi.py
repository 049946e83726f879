"""Return on investment in the Phillips manner, and how each figure was reached.

Costs are fully loaded: every ledger line, people's time included at a loaded rate.
Benefits are counted for one year and only for metrics with a money value per unit:
the improvement on the baseline (the latest month on the chart, in the metric's better
direction) times the value per unit, how often a year it recurs and how many units it
applies to; then only the share the isolation method credits to the program, discounted
by the estimators' confidence. Metrics without a money value are listed as intangible
benefits, never converted. Then BCR = benefits / costs and ROI % = (benefits - costs) /
costs × 100.

Three queries whatever the size of the ledger or the years of measurements: the costs by
category, the metrics with their estimates, and the monthly values.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, localcontext

from django.db.models import Count, DecimalField, ExpressionWrapper, F, Sum
from django.db.models.functions import Coalesce, Round
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from .models import BenefitEstimate, CostItem, OutcomeMetric
from .selectors import metric_series

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _n(value) -> str:
    """A figure as people read it: grouped thousands, no trailing zeros, and every place the
    arithmetic used (inputs carry up to four), so each step can be checked by hand."""
    value = Decimal(value).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)
    places = next(p for p in range(5) if value == value.quantize(Decimal(1).scaleb(-p)))
    return number_format(value, places, force_grouping=True)


def line_total():
    """A ledger line's cost in the database: its amount, or hours × people × hourly rate
    rounded to cents as the line shows it, so a category adds up to its lines."""
    money = DecimalField(max_digits=24, decimal_places=2)
    time = ExpressionWrapper(F("hours") * F("people") * F("hourly_rate"), output_field=money)
    return Coalesce("amount", Round(time, 2, output_field=money), output_field=money)


def explain_line(item: CostItem, currency: str) -> str:
    if not item.is_time:
        return f"{_n(item.amount)} {currency}"
    total = _money(item.hours * item.people * item.hourly_rate)
    return _("%(hours)s h × %(people)s people × %(rate)s %(cur)s an hour = %(total)s %(cur)s") % {
        "hours": _n(item.hours),
        "people": _n(item.people),
        "rate": _n(item.hourly_rate),
        "total": _n(total),
        "cur": currency,
    }


@dataclass(frozen=True)
class CostCategory:
    label: str
    lines: int
    total: Decimal
    is_time: bool


@dataclass(frozen=True)
class Benefit:
    """One metric's first-year money benefit, or why it has none."""

    metric: OutcomeMetric
    estimate: BenefitEstimate | None
    value: Decimal | None
    steps: list[str]
    missing: str = ""


@dataclass
class RoiReport:
    currency: str
    budget: Decimal | None
    costs: list[CostCategory]
    total_cost: Decimal
    benefits: list[Benefit]
    intangibles: list[OutcomeMetric]
    total_benefit: Decimal
    net_benefit: Decimal
    bcr: Decimal | None
    roi_percent: Decimal | None
    how: dict[str, str] = field(default_factory=dict)
    cautions: list[str] = field(default_factory=list)


def _costs(program) -> list[CostCategory]:
    rows = (
        CostItem.objects.filter(program=program)
        .values("category")
        .annotate(total=Sum(line_total()), lines=Count("id"))
        .order_by("category")
    )
    by_category = {row["category"]: row for row in rows}
    return [
        CostCategory(
            label=label,
            lines=by_category[value]["lines"],
            total=_money(by_category[value]["total"]),
            is_time=value in CostItem.TIME_CATEGORIES,
        )
        for value, label in CostItem.Category.choices
        if value in by_category
    ]


def _benefit(metric, latest, currency) -> Benefit:
    estimate = getattr(metric, "benefit_estimate", None)
    if estimate is None:
        return Benefit(metric, None, None, [], _("No isolation method or share recorded yet."))
    if latest is None:
        return Benefit(metric, estimate, None, [], _("No program-level value measured yet."))
    latest = Decimal(str(latest)).quantize(Decimal("0.0001"))
    better = metric.direction == OutcomeMetric.Direction.INCREASE
    improvement = (latest - metric.baseline) if better else (metric.baseline - latest)
    per_unit = metric.money_value_per_unit
    annual = improvement * per_unit * estimate.occurrences_per_year * estimate.units_affected
    attributed = annual * estimate.attribution_percent / HUNDRED
    value = _money(attributed * estimate.confidence_percent / HUNDRED)
    unit = metric.unit
    steps = [
        _(
            "Improvement: baseline %(base)s → latest %(latest)s %(unit)s (%(dir)s) "
            "= %(imp)s %(unit)s"
        )
        % {
            "base": _n(metric.baseline),
            "latest": _n(latest),
            "unit": unit,
            "dir": metric.get_direction_display().lower(),
            "imp": _n(improvement),
        },
        _(
            "A year: %(imp)s × %(per)s %(cur)s per unit × %(occ)s a year × %(units)s "
            "affected = %(annual)s %(cur)s"
        )
        % {
            "imp": _n(improvement),
            "per": _n(per_unit),
            "cur": currency,
            "occ": _n(estimate.occurrences_per_year),
            "units": _n(estimate.units_affected),
            "annual": _n(_money(annual)),
        },
        _("Isolated (%(method)s): × %(share)s %% credited to the program = %(attr)s %(cur)s")
        % {
            "method": estimate.get_isolation_method_display().lower(),
            "share": _n(estimate.attribution_percent),
            "attr": _n(_money(attributed)),
            "cur": currency,
        },
        _("Confidence discount: × %(conf)s %% = %(value)s %(cur)s")
        % {"conf": _n(estimate.confidence_percent), "value": _n(value), "cur": currency},
    ]
    return Benefit(metric, estimate, value, steps)


def program_roi(*, program, series=None) -> RoiReport:
    """The program's return on investment, each figure with the arithmetic behind it.

    `series` is `metric_series(program=program)` when the caller already has it.
    """
    # Products of the largest values the fields accept exceed the default 28 digits.
    with localcontext(prec=80):
        return _program_roi(program, series)


def _program_roi(program, series) -> RoiReport:
    currency = program.currency
    costs = _costs(program)
    total_cost = sum((row.total for row in costs), Decimal(0))
    latest = {
        item["metric"].pk: (item["series"][-1][1] if item["series"] else None)
        for item in (metric_series(program=program) if series is None else series)
    }
    metrics = OutcomeMetric.objects.filter(program=program).select_related("benefit_estimate")
    benefits, intangibles = [], []
    for metric in metrics.order_by("name"):
        if metric.money_value_per_unit is None:
            intangibles.append(metric)
        else:
            benefits.append(_benefit(metric, latest.get(metric.pk), currency))
    counted = [b for b in benefits if b.value is not None]
    total_benefit = sum((b.value for b in counted), Decimal(0))
    net = total_benefit - total_cost
    report = RoiReport(
        currency=currency,
        budget=program.cost,
        costs=costs,
        total_cost=total_cost,
        benefits=benefits,
        intangibles=intangibles,
        total_benefit=total_benefit,
        net_benefit=net,
        bcr=None,
        roi_percent=None,
    )
    figures = {"benefits": _n(total_benefit), "costs": _n(total_cost), "cur": currency}
    report.how["benefits"] = (
        " + ".join(f"{_n(b.value)}" for b in counted) + f" = {_n(total_benefit)} {currency}"
        if counted
        else _("No benefit can be counted yet.")
    )
    report.how["costs"] = (
        " + ".join(_n(row.total) for row in costs) + f" = {_n(total_cost)} {currency}"
        if costs
        else _("The cost ledger is empty.")
    )
    if total_cost > 0 and counted:
        report.bcr = (total_benefit / total_cost).quantize(CENT, rounding=ROUND_HALF_UP)
        report.roi_percent = (net / total_cost * HUNDRED).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )
        report.how["bcr"] = _("%(benefits)s ÷ %(costs)s = %(bcr)s") % {
            **figures,
            "bcr": _n(report.bcr),
        }
        report.how["roi"] = _("(%(benefits)s − %(costs)s) ÷ %(costs)s × 100 = %(roi)s %%") % {
            **figures,
            "roi": number_format(report.roi_percent, 1, force_grouping=True),
        }
    report.cautions = _cautions(report, costs)
    return report


def _cautions(report, costs) -> list[str]:
    """What keeps the figures from meeting the Phillips standard of fully loaded costs."""
    cautions = []
    categories = {row.label for row in costs}
    if not costs:
        cautions.append(_("Record the program's costs in the ledger to compute its return."))
    elif CostItem.Category.PARTICIPANT_TIME.label not in categories:
        cautions.append(
            _(
                "The ledger has no participants' time: costs are not fully loaded, so the "
                "return is overstated."
            )
        )
    if report.benefits and not any(b.value is not None for b in report.benefits):
        cautions.append(_("No metric with a money value has an isolated, measured benefit yet."))
    if not report.benefits:
        cautions.append(
            _("No outcome metric has a money value per unit: the benefits stay intangible.")
        )
    return cautions


def roi_page(*, program) -> dict:
    """The designer's ROI page: the ledger's lines, each with its arithmetic, and the report."""
    items = list(CostItem.objects.filter(program=program))
    for item in items:
        item.explained = explain_line(item, program.currency)
    return {"items": items, "report": program_roi(program=program)}
