"""Return on investment in the Phillips manner: the ledger, the isolated benefits, the figures."""

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from measurement.models import BenefitEstimate, CostItem, OutcomeMetric
from measurement.roi import program_roi
from measurement.services import benefit_estimate_set, cost_item_add, cost_item_update
from tests import factories as f
from tests.validation import constraint_errors, full_clean_errors

pytestmark = pytest.mark.django_db

C = CostItem.Category
CENT = Decimal("0.01")


def _cents(value):
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def _cost(program, **fields):
    return cost_item_add(
        program=program,
        category=fields.pop("category", C.DELIVERY),
        description=fields.pop("description", "Workshop"),
        incurred_on=dt.date(2026, 3, 1),
        **fields,
    )


def _money_metric(program, **fields):
    return f.OutcomeMetricFactory(
        program=program,
        unit=fields.pop("unit", "points"),
        direction=fields.pop("direction", OutcomeMetric.Direction.INCREASE),
        baseline=fields.pop("baseline", Decimal("70")),
        target=fields.pop("target", Decimal("80")),
        money_value_per_unit=fields.pop("money_value_per_unit", Decimal("1000")),
        **fields,
    )


def _estimate(metric, **fields):
    values = {
        "isolation_method": BenefitEstimate.Isolation.CONTROL_GROUP,
        "attribution_percent": Decimal("100"),
        "confidence_percent": Decimal("100"),
        "occurrences_per_year": Decimal("1"),
        "units_affected": 1,
        **fields,
    }
    return benefit_estimate_set(metric=metric, **values)


def _measure(metric, value, when=None):
    f.MeasurementFactory(metric=metric, value=Decimal(value), measured_at=when or timezone.now())


# The ledger


def test_a_line_is_an_amount_or_time_never_both_nor_neither():
    program = f.ProgramFactory()
    both = CostItem(
        program=program,
        category=C.DELIVERY,
        description="Workshop",
        incurred_on=dt.date(2026, 3, 1),
        amount=Decimal("100"),
        hours=Decimal("2"),
        people=3,
        hourly_rate=Decimal("40"),
    )
    assert full_clean_errors(both)["amount"] == [
        "Enter either an amount, or hours, people and an hourly rate."
    ]
    neither = CostItem(
        program=program,
        category=C.DELIVERY,
        description="Workshop",
        incurred_on=dt.date(2026, 3, 1),
    )
    assert "Enter an amount" in full_clean_errors(neither)["hours"][0]
    half_time = CostItem(
        program=program,
        category=C.DESIGN,
        description="Design sprint",
        incurred_on=dt.date(2026, 3, 1),
        hours=Decimal("10"),
    )
    assert full_clean_errors(half_time)["people"] == ["Needed to cost time."]
    assert not CostItem.objects.exists()
    time = _cost(program, hours=Decimal("2"), people=3, hourly_rate=Decimal("40"))
    assert time.is_time


def test_peoples_time_is_costed_from_hours_people_and_a_loaded_rate():
    program = f.ProgramFactory()
    with pytest.raises(ValidationError) as refused:
        _cost(program, category=C.PARTICIPANT_TIME, amount=Decimal("5000"))
    assert refused.value.message_dict["amount"] == [
        "Cost people's time from hours, people and a loaded hourly rate, not an amount."
    ]
    assert not CostItem.objects.exists()
    _cost(
        program,
        category=C.PARTICIPANT_TIME,
        hours=Decimal("16"),
        people=10,
        hourly_rate=Decimal("50"),
    )
    assert program_roi(program=program).total_cost == Decimal("8000.00")


def test_the_database_refuses_negative_costs_and_a_line_without_a_cost():
    program = f.ProgramFactory()
    negative = CostItem(
        program=program,
        category=C.MATERIALS,
        description="Refund booked as a cost",
        incurred_on=dt.date(2026, 3, 1),
        amount=Decimal("-10"),
    )
    assert constraint_errors(negative)["__all__"] == ["A cost cannot be negative."]
    zero_people = CostItem(
        program=program,
        category=C.COACHING_TIME,
        description="Debriefs",
        incurred_on=dt.date(2026, 3, 1),
        hours=Decimal("1"),
        people=0,
        hourly_rate=Decimal("60"),
    )
    assert constraint_errors(zero_people)["__all__"] == [
        "Hours and people must be more than zero, and the rate not negative."
    ]
    with pytest.raises(IntegrityError):
        CostItem.objects.create(
            program=program, category=C.MATERIALS, description="x", incurred_on=dt.date(2026, 3, 1)
        )


def test_correcting_a_line_from_time_to_an_amount_is_checked_again():
    program = f.ProgramFactory()
    item = _cost(program, category=C.DESIGN, amount=Decimal("900"))
    with pytest.raises(ValidationError, match="Enter either an amount"):
        cost_item_update(item=item, hours=Decimal("3"), people=2, hourly_rate=Decimal("45"))
    item.refresh_from_db()
    assert (item.amount, item.hours) == (Decimal("900.00"), None)
    cost_item_update(
        item=item, amount=None, hours=Decimal("3"), people=2, hourly_rate=Decimal("45")
    )
    item.refresh_from_db()
    assert item.is_time
    assert program_roi(program=program).total_cost == Decimal("270.00")


# Benefit estimates


def test_a_benefit_needs_a_money_value_and_shares_between_0_and_100():
    program = f.ProgramFactory()
    no_money = f.OutcomeMetricFactory(program=program)
    with pytest.raises(ValidationError, match="Give the metric a money value per unit"):
        _estimate(no_money)
    metric = _money_metric(program)
    for field, value, message in [
        ("attribution_percent", Decimal("0"), "The share credited to the program lies above 0"),
        ("attribution_percent", Decimal("120"), "less than or equal to 100"),
        ("confidence_percent", Decimal("0"), "Confidence lies above 0"),
        ("occurrences_per_year", Decimal("0"), "Occurrences a year and units affected"),
    ]:
        with pytest.raises(ValidationError, match=message):
            _estimate(metric, **{field: value})
    assert not BenefitEstimate.objects.exists()
    _estimate(metric, attribution_percent=Decimal("40"))
    _estimate(metric, attribution_percent=Decimal("60"))  # the same estimate, changed
    assert BenefitEstimate.objects.get().attribution_percent == Decimal("60")


# The figures


def _expected(costs, metrics):
    """ROI worked out by hand from the generated inputs, in the Phillips order."""
    total_cost = sum(
        (
            _cents(c["amount"]) if "amount" in c else _cents(c["hours"] * c["people"] * c["rate"])
            for c in costs
        ),
        Decimal(0),
    )
    benefits = {}
    for m in metrics:
        if m["values"] is None:
            continue
        latest = m["values"][-1]
        gain = latest - m["baseline"] if m["increase"] else m["baseline"] - latest
        value = (
            gain
            * m["per_unit"]
            * m["occurrences"]
            * m["units"]
            * m["attribution"]
            / 100
            * m["confidence"]
            / 100
        )
        benefits[m["name"]] = _cents(value)
    return total_cost, benefits


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_costs_benefits_bcr_and_roi_match_a_hand_calculation_on_generated_data(seed):
    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not security
    program = f.ProgramFactory()
    costs = []
    for index in range(rng.randint(3, 12)):
        category = rng.choice(list(C))
        if category in CostItem.TIME_CATEGORIES or rng.random() < 0.3:
            line = {
                "hours": Decimal(rng.randint(1, 400)) / 4,
                "people": rng.randint(1, 40),
                "rate": Decimal(rng.randint(2000, 12000)) / 100,
            }
            _cost(
                program,
                category=category,
                description=f"Line {index}",
                hours=line["hours"],
                people=line["people"],
                hourly_rate=line["rate"],
            )
        else:
            line = {"amount": Decimal(rng.randint(100, 2_000_000)) / 100}
            _cost(program, category=category, description=f"Line {index}", amount=line["amount"])
        costs.append(line)

    metrics = []
    now = timezone.now()
    for index in range(rng.randint(2, 4)):
        increase = rng.random() < 0.5
        baseline = Decimal(rng.randint(20, 80))
        spec = {
            "name": f"Metric {index}",
            "increase": increase,
            "baseline": baseline,
            "per_unit": Decimal(rng.randint(100, 500000)) / 100,
            "occurrences": Decimal(rng.choice([1, 4, 12, 52])),
            "units": rng.randint(1, 30),
            "attribution": Decimal(rng.randint(5, 100)),
            "confidence": Decimal(rng.randint(30, 100)),
            # one value per month for a few months, the last sometimes worse than baseline
            "values": [Decimal(rng.randint(10, 95)) for _ in range(rng.randint(1, 4))],
        }
        metric = _money_metric(
            program,
            name=spec["name"],
            direction="increase" if increase else "decrease",
            baseline=baseline,
            target=baseline + 5 if increase else baseline - 5,
            money_value_per_unit=spec["per_unit"],
        )
        _estimate(
            metric,
            attribution_percent=spec["attribution"],
            confidence_percent=spec["confidence"],
            occurrences_per_year=spec["occurrences"],
            units_affected=spec["units"],
        )
        months_back = len(spec["values"]) - 1
        for back, value in zip(range(months_back, -1, -1), spec["values"], strict=True):
            _measure(metric, value, now - dt.timedelta(days=31 * back))
        metrics.append(spec)
    # A metric with a money value but nothing measured yet, and one with no money value.
    silent = _money_metric(program, name="Not measured yet")
    _estimate(silent)
    metrics.append({"name": "Not measured yet", "values": None})
    f.OutcomeMetricFactory(program=program, name="Engagement")

    total_cost, benefits = _expected(costs, metrics)
    report = program_roi(program=program)

    assert report.total_cost == total_cost
    assert {b.metric.name: b.value for b in report.benefits} == {
        **benefits,
        "Not measured yet": None,
    }
    assert [m.name for m in report.intangibles] == ["Engagement"]
    total_benefit = sum(benefits.values(), Decimal(0))
    assert report.total_benefit == total_benefit
    assert report.net_benefit == total_benefit - total_cost
    assert report.bcr == (total_benefit / total_cost).quantize(CENT, rounding=ROUND_HALF_UP)
    assert report.roi_percent == ((total_benefit - total_cost) / total_cost * 100).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )

    # Each figure says how it was reached.
    def result(how):
        return Decimal(how.split("= ")[-1].removesuffix(" %").replace(",", ""))

    assert result(report.how["bcr"]) == report.bcr
    assert result(report.how["roi"]) == report.roi_percent
    assert result(report.how["costs"].removesuffix(f" {program.currency}")) == total_cost


def test_each_benefit_shows_its_arithmetic_step_by_step():
    program = f.ProgramFactory(currency="EUR")
    metric = _money_metric(
        program,
        name="Rework hours",
        unit="hours",
        direction="decrease",
        baseline=Decimal("40"),
        target=Decimal("20"),
        money_value_per_unit=Decimal("60"),
    )
    _estimate(
        metric,
        isolation_method=BenefitEstimate.Isolation.PARTICIPANT_ESTIMATE,
        attribution_percent=Decimal("50"),
        confidence_percent=Decimal("80"),
        occurrences_per_year=Decimal("12"),
        units_affected=10,
    )
    _measure(metric, "30")
    _cost(program, amount=Decimal("10000"))
    _cost(
        program,
        category=C.PARTICIPANT_TIME,
        description="Sessions",
        hours=Decimal("8"),
        people=10,
        hourly_rate=Decimal("50"),
    )
    report = program_roi(program=program)
    (benefit,) = report.benefits
    assert benefit.steps == [
        "Improvement: baseline 40 → latest 30 hours (lower is better) = 10 hours",
        "A year: 10 × 60 EUR per unit × 12 a year × 10 affected = 72,000 EUR",
        "Isolated (participants' estimate): × 50 % credited to the program = 36,000 EUR",
        "Confidence discount: × 80 % = 28,800 EUR",
    ]
    assert report.how == {
        "benefits": "28,800 = 28,800 EUR",
        "costs": "10,000 + 4,000 = 14,000 EUR",
        "bcr": "28,800 ÷ 14,000 = 2.06",
        "roi": "(28,800 − 14,000) ÷ 14,000 × 100 = 105.7 %",
    }
    assert report.cautions == []


def test_without_costs_or_money_values_there_is_no_ratio_and_the_page_says_why():
    program = f.ProgramFactory()
    f.OutcomeMetricFactory(program=program)
    report = program_roi(program=program)
    assert (report.bcr, report.roi_percent) == (None, None)
    assert report.cautions == [
        "Record the program's costs in the ledger to compute its return.",
        "No outcome metric has a money value per unit: the benefits stay intangible.",
    ]
    _cost(program, amount=Decimal("500"))
    assert (
        program_roi(program=program).cautions[0].startswith("The ledger has no participants' time")
    )


def test_the_figures_cost_the_same_queries_with_a_long_ledger_and_years_of_values(
    django_assert_num_queries,
):
    def build(program, size):
        metric = _money_metric(program)
        _estimate(metric)
        for index in range(size):
            _cost(program, description=f"Line {index}", amount=Decimal(index + 1))
            _measure(metric, 70 + index % 9, timezone.now() - dt.timedelta(days=30 * index))

    small, large = f.ProgramFactory(), f.ProgramFactory()
    build(small, 2)
    build(large, 60)
    for program in (small, large):
        with django_assert_num_queries(4):
            report = program_roi(program=program)
            assert report.benefits[0].value is not None


def test_a_category_adds_up_to_its_lines_as_each_line_is_shown_in_cents():
    program = f.ProgramFactory()
    for description in ("Monday", "Tuesday", "Wednesday"):
        # 0.25 h × 1 × 0.02 = 0.005 a line, shown as 0.01
        _cost(
            program,
            category=C.COACHING_TIME,
            description=description,
            hours=Decimal("0.25"),
            people=1,
            hourly_rate=Decimal("0.02"),
        )
    (category,) = program_roi(program=program).costs
    assert category.total == Decimal("0.03")


def test_each_step_shows_the_places_it_computed_with_so_it_can_be_checked_by_hand():
    program = f.ProgramFactory()
    metric = _money_metric(program, baseline=Decimal("70"), money_value_per_unit=Decimal("1000"))
    _estimate(metric, occurrences_per_year=Decimal("12"))
    for day, value in ((1, "72"), (2, "72"), (3, "73")):  # one month: mean 72.3333
        _measure(metric, value, dt.datetime(2026, 10, day, tzinfo=dt.UTC))
    cheap = _money_metric(program, name="Pages", money_value_per_unit=Decimal("0.0025"))
    _estimate(cheap)
    _measure(cheap, "90")
    steps = {b.metric.name: b.steps for b in program_roi(program=program).benefits}
    assert steps[metric.name][:2] == [
        "Improvement: baseline 70 → latest 72.3333 points (higher is better) = 2.3333 points",
        "A year: 2.3333 × 1,000 USD per unit × 12 a year × 1 affected = 27,999.6 USD",
    ]
    assert (
        steps["Pages"][1] == "A year: 20 × 0.0025 USD per unit × 1 a year × 1 affected = 0.05 USD"
    )


def test_the_largest_values_the_fields_accept_still_give_a_report():
    program = f.ProgramFactory()
    metric = _money_metric(program, money_value_per_unit=Decimal("9999999999.9999"))
    _estimate(metric, occurrences_per_year=Decimal("999999.99"), units_affected=2147483647)
    _measure(metric, "9999999999")
    _cost(program, amount=Decimal("0.01"))
    report = program_roi(program=program)
    assert report.total_benefit > Decimal("1e30")
    with localcontext(prec=80):
        assert report.bcr == (report.total_benefit / Decimal("0.01")).quantize(CENT)
