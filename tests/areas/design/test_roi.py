"""The ROI pages of a program's designer: the ledger, benefit estimates and the figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from measurement.models import BenefitEstimate, CostItem
from measurement.services import benefit_estimate_set, cost_item_add
from tests import factories as f

pytestmark = pytest.mark.django_db

QUERIES = 11  # the page with its navigation, the ledger and the four ROI queries
TIME = {
    "category": "participant_time",
    "description": "Workshops away from the job",
    "incurred_on": "2026-03-02",
    "hours": "12",
    "people": "8",
    "hourly_rate": "55",
}


@pytest.fixture
def program(client):
    program = f.ProgramFactory()
    client.force_login(program.owner)
    return program


def _line(program, **fields):
    values = {
        "category": CostItem.Category.DELIVERY,
        "description": "Facilitator",
        "incurred_on": dt.date(2026, 3, 1),
        "amount": Decimal("2500"),
        **fields,
    }
    return cost_item_add(program=program, **values)


def _urls(program, item, metric):
    return [
        ("get", reverse("design:roi", args=[program.pk])),
        ("post", reverse("design:roi", args=[program.pk])),
        ("get", reverse("design:roi_cost", args=[program.pk, item.pk])),
        ("post", reverse("design:roi_cost_remove", args=[program.pk, item.pk])),
        ("get", reverse("design:roi_benefit", args=[program.pk, metric.pk])),
    ]


def test_a_designer_adds_time_to_the_ledger_and_sees_how_it_was_costed(client, program):
    url = reverse("design:roi", args=[program.pk])
    response = client.post(url, TIME)
    assert response.status_code == 302
    item = CostItem.objects.get()
    assert (item.hours, item.people, item.hourly_rate) == (Decimal("12"), 8, Decimal("55"))
    assert item.recorded_by == program.owner
    page = client.get(url).text
    assert "12 h × 8 people × 55 USD an hour = 5,280 USD" in page
    assert '<p class="h4 mb-1">5,280 USD</p>' in page  # the total cost card


def test_a_bad_cost_line_is_explained_and_what_was_typed_stays(client, program):
    url = reverse("design:roi", args=[program.pk])
    response = client.post(url, {**TIME, "hourly_rate": "", "amount": "5280"})
    assert response.status_code == 200
    assert "Cost people&#x27;s time from hours, people and a loaded hourly rate" in response.text
    assert 'value="Workshops away from the job"' in response.text
    assert 'value="12"' in response.text
    response = client.post(url, {**TIME, "hours": "lots"})
    assert "Enter a number." in response.text
    assert not CostItem.objects.exists()


def test_a_line_is_corrected_and_removed(client, program):
    item = _line(program)
    url = reverse("design:roi_cost", args=[program.pk, item.pk])
    response = client.post(
        url,
        {
            **TIME,
            "category": "delivery",
            "hours": "",
            "people": "",
            "hourly_rate": "",
            "amount": "-3",
        },
    )
    assert "A cost cannot be negative." in response.text
    item.refresh_from_db()
    assert item.amount == Decimal("2500.00")
    client.post(
        url,
        {
            **TIME,
            "category": "delivery",
            "hours": "",
            "people": "",
            "hourly_rate": "",
            "amount": "3100",
        },
    )
    item.refresh_from_db()
    assert item.amount == Decimal("3100.00")
    client.post(reverse("design:roi_cost_remove", args=[program.pk, item.pk]))
    assert not CostItem.objects.exists()


def test_a_benefit_estimate_is_saved_and_refused_without_a_money_value(client, program):
    metric = f.OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("200"))
    url = reverse("design:roi_benefit", args=[program.pk, metric.pk])
    data = {
        "isolation_method": "manager_estimate",
        "isolation_note": "Managers credit two thirds",
        "attribution_percent": "0",
        "confidence_percent": "80",
        "occurrences_per_year": "12",
        "units_affected": "5",
    }
    response = client.post(url, data)
    assert "The share credited to the program lies above 0 and up to 100 %." in response.text
    assert 'value="80"' in response.text
    assert not BenefitEstimate.objects.exists()
    assert client.post(url, {**data, "attribution_percent": "66"}).status_code == 302
    assert metric.benefit_estimate.attribution_percent == Decimal("66")

    intangible = f.OutcomeMetricFactory(program=program)
    response = client.post(reverse("design:roi_benefit", args=[program.pk, intangible.pk]), data)
    assert "Give the metric a money value per unit" in response.text
    assert BenefitEstimate.objects.count() == 1


def test_the_roi_page_shows_each_figure_with_its_arithmetic(client, program):
    metric = f.OutcomeMetricFactory(
        program=program,
        name="Repeat calls",
        baseline=Decimal("70"),
        money_value_per_unit=Decimal("100"),
    )
    benefit_estimate_set(
        metric=metric,
        isolation_method=BenefitEstimate.Isolation.CONTROL_GROUP,
        attribution_percent=Decimal("100"),
        confidence_percent=Decimal("100"),
        occurrences_per_year=Decimal("12"),
        units_affected=1,
    )
    f.MeasurementFactory(metric=metric, value=Decimal("75"), measured_at=timezone.now())
    _line(program, amount=Decimal("4000"))
    page = client.get(reverse("design:roi", args=[program.pk])).text
    assert "5 × 100 USD per unit × 12 a year × 1 affected = 6,000 USD" in page
    assert "6,000 ÷ 4,000 = 1.5" in page
    assert "(6,000 − 4,000) ÷ 4,000 × 100 = 50.0 %" in page
    assert "The ledger has no participants&#x27; time" in page


def test_sponsors_and_learners_may_not_touch_the_ledger_and_strangers_do_not_find_it(
    client, program
):
    item = _line(program)
    metric = f.OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("1"))
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    learner = f.EnrolmentFactory(program=program).learner
    for person, status in ((sponsor, 403), (learner, 403), (f.UserFactory(), 404)):
        client.force_login(person)
        for method, url in _urls(program, item, metric):
            assert (
                getattr(client, method)(url, TIME if method == "post" else None).status_code
                == status
            ), url
    assert CostItem.objects.get() == item
    other = f.ProgramFactory()
    client.force_login(program.owner)
    assert client.get(reverse("design:roi_cost", args=[other.pk, item.pk])).status_code == 404
    assert (
        client.get(reverse("design:roi_cost", args=[program.pk, item.pk + 999])).status_code == 404
    )


def test_the_roi_page_runs_the_same_queries_at_any_size(client, program, django_assert_num_queries):
    def grow(size):
        for index in range(size):
            metric = f.OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("10"))
            benefit_estimate_set(
                metric=metric,
                isolation_method=BenefitEstimate.Isolation.TREND_LINE,
                attribution_percent=Decimal("50"),
            )
            f.MeasurementFactory(metric=metric)
            _line(program, description=f"Line {index}")

    url = reverse("design:roi", args=[program.pk])
    grow(2)
    client.get(url)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200
    grow(30)
    with django_assert_num_queries(QUERIES):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 50])
def test_a_cost_line_and_a_benefit_page_run_the_same_queries_at_any_size(
    client, program, django_assert_num_queries, size
):
    metric = f.OutcomeMetricFactory(program=program, money_value_per_unit=Decimal("10"))
    lines = [_line(program, description=f"Line {index}") for index in range(size)]
    for _ in range(size):
        f.MeasurementFactory(metric=metric)
    with django_assert_num_queries(7):
        response = client.get(reverse("design:roi_cost", args=[program.pk, lines[0].pk]))
    assert response.status_code == 200
    with django_assert_num_queries(7):
        response = client.get(reverse("design:roi_benefit", args=[program.pk, metric.pk]))
    assert response.status_code == 200
