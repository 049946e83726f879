"""Defining outcome metrics and recording their values by form and by CSV upload."""

import re
from datetime import time as dt_time
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from measurement.models import Measurement, OutcomeMetric
from tests import factories as f
from tests.kept_counts import assert_values_counted

pytestmark = pytest.mark.django_db


@pytest.fixture
def program(client):
    program = f.ProgramFactory()
    client.force_login(program.owner)
    return program


def _csv(text):
    return SimpleUploadedFile("values.csv", text.encode(), content_type="text/csv")


def test_a_designer_defines_a_metric_and_a_target_worse_than_baseline_is_refused(client, program):
    url = reverse("design:metric_new", args=[program.pk])
    data = {
        "form": "metric",
        "name": "Cycle time",
        "kind": "cycle_time",
        "unit": "hours",
        "direction": "decrease",
        "aggregation": "mean",
        "baseline": "72",
        "target": "80",
    }
    response = client.post(url, data)
    assert "The target must be better than the baseline" in response.text
    assert 'value="Cycle time"' in response.text
    assert not OutcomeMetric.objects.exists()
    client.post(url, {**data, "target": "48"})
    assert OutcomeMetric.objects.get().target == Decimal("48")


def test_a_value_is_recorded_by_form(client, program):
    metric = f.OutcomeMetricFactory(program=program)
    url = reverse("design:metrics", args=[program.pk])
    response = client.post(
        url,
        {
            "form": "measurement",
            "metric": metric.pk,
            "measured_at": "2026-11-01T09:00",
            "value": "not a number",
        },
    )
    assert "Enter a number." in response.text
    assert not Measurement.objects.exists()
    client.post(
        url,
        {
            "form": "measurement",
            "metric": metric.pk,
            "measured_at": "2026-11-01T09:00",
            "value": "73.5",
        },
    )
    assert Measurement.objects.get().value == Decimal("73.5")


def test_a_csv_is_imported_whole_with_learner_values_by_employee_id(client, program):
    metric = f.OutcomeMetricFactory(program=program, name="CSAT")
    learner = f.UserFactory(employee_id="E-7")
    enrolment = f.EnrolmentFactory(program=program, learner=learner)
    csv = (
        "metric,measured_at,value,employee_id,note\n"
        "CSAT,2026-10-01,71,,\n"
        "csat,2026-11-01T08:00,74.5,E-7,pilot\n"
    )
    response = client.post(
        reverse("design:metrics", args=[program.pk]),
        {"form": "import", "file": _csv(csv)},
        follow=True,
    )
    assert "Imported 2 values." in response.text
    values = Measurement.objects.order_by("measured_at")
    assert [(v.metric, v.value, v.enrolment, v.source) for v in values] == [
        (metric, Decimal("71"), None, "import"),
        (metric, Decimal("74.5"), enrolment, "import"),
    ]
    metric.refresh_from_db()
    assert metric.values_count == 2
    assert_values_counted()


def _values_column(page: str) -> dict[str, str]:
    """The metrics table's "values" cell of each metric, by name."""
    rows = re.findall(r"<tr>\s*<td>([^<]+)</td>(.*?)</tr>", page, re.S)
    return {name: re.findall(r"<td>([^<]*)</td>", rest)[5].strip() for name, rest in rows}


def test_the_page_shows_each_metrics_count_of_values_as_recorded_and_imported(client, program):
    csat, rework = (f.OutcomeMetricFactory(program=program, name=n) for n in ("CSAT", "Rework"))
    f.MeasurementFactory.create_batch(3, metric=csat)
    f.MeasurementFactory()  # another program's
    url = reverse("design:metrics", args=[program.pk])
    client.post(
        url,
        {
            "form": "measurement",
            "metric": rework.pk,
            "measured_at": "2026-11-01T09:00",
            "value": "7",
        },
    )
    csv = "metric,measured_at,value\nCSAT,2026-10-01,71\nRework,2026-10-01,6\nRework,2026-10-02,5\n"
    client.post(url, {"form": "import", "file": _csv(csv)})
    client.post(
        url, {"form": "import", "file": _csv("metric,measured_at,value\nCSAT,2026-10-03,x\n")}
    )

    shown = _values_column(client.get(url).text)
    assert (shown["CSAT"], shown["Rework"]) == ("4", "3")
    assert_values_counted()


def test_a_bad_row_is_reported_by_line_and_nothing_from_the_file_is_saved(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    csv = (
        "metric,measured_at,value,employee_id\nCSAT,2026-10-01,71,\n"
        "Revenue,2026-02-30,abc,\nCSAT,2026-11-01,70,NOBODY\n"
    )
    response = client.post(
        reverse("design:metrics", args=[program.pk]), {"form": "import", "file": _csv(csv)}
    )
    text = response.text
    assert (
        "Line 3: no metric named “Revenue” in this program; “2026-02-30” is not a date; "
        "“abc” is not a number." in text
    )
    assert "Line 4: nobody with employee ID NOBODY is enrolled in this program." in text
    assert not Measurement.objects.exists()
    assert OutcomeMetric.objects.get().values_count == 0


def test_a_file_without_the_right_columns_is_refused(client, program):
    response = client.post(
        reverse("design:metrics", args=[program.pk]),
        {"form": "import", "file": _csv("name,value\nx,1\n")},
    )
    assert "missing: metric, measured_at" in response.text


def test_only_the_programs_designers_record_measurements(client, program):
    url = reverse("design:metrics", args=[program.pk])
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    assert client.get(url).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("size", [2, 50])
def test_the_metrics_page_runs_the_same_queries_at_any_size(
    client, program, django_assert_num_queries, size
):
    for _ in range(size):
        f.MeasurementFactory(metric=f.OutcomeMetricFactory(program=program))
    with django_assert_num_queries(8):
        assert client.get(reverse("design:metrics", args=[program.pk])).status_code == 200


def test_the_form_offers_the_programs_metrics_and_refuses_another_programs(client, program):
    ours = [f.OutcomeMetricFactory(program=program, name=name) for name in ("Rework", "CSAT")]
    theirs = f.OutcomeMetricFactory(name="Elsewhere")
    url = reverse("design:metrics", args=[program.pk])
    page = client.get(url).text
    offered = page[page.index('id="id_metric"') : page.index("</select>")]
    assert offered.index(f">{ours[1]}<") < offered.index(f">{ours[0]}<")  # by name
    assert str(theirs) not in offered
    sent = {"form": "measurement", "measured_at": "2026-11-01T09:00", "value": "7"}
    response = client.post(url, {**sent, "metric": theirs.pk})
    assert "Select a valid choice." in response.text
    assert f'<option value="{ours[0].pk}">{ours[0]}</option>' in response.text
    assert not Measurement.objects.exists()


def test_a_designer_gives_a_metric_a_money_value_and_a_bad_change_is_refused(client, program):
    metric = f.OutcomeMetricFactory(program=program, name="Repeat calls")
    f.MeasurementFactory(metric=metric, value=Decimal("74"))
    url = reverse("design:metric_edit", args=[program.pk, metric.pk])
    data = {
        "name": "Repeat calls",
        "kind": "quality",
        "unit": "points",
        "direction": "increase",
        "aggregation": "mean",
        "baseline": "70",
        "target": "60",
        "money_value_per_unit": "125",
    }
    response = client.post(url, data)
    assert "The target must be better than the baseline" in response.text
    assert 'value="125"' in response.text
    metric.refresh_from_db()
    assert (metric.target, metric.money_value_per_unit) == (Decimal("80"), None)

    assert client.post(url, {**data, "target": "85"}).status_code == 302
    metric.refresh_from_db()
    assert (metric.target, metric.money_value_per_unit) == (Decimal("85"), Decimal("125"))
    assert metric.measurements.get().value == Decimal("74")


def test_only_the_programs_designers_may_change_a_metric(client, program):
    metric = f.OutcomeMetricFactory(program=program)
    url = reverse("design:metric_edit", args=[program.pk, metric.pk])
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    assert client.post(url, {"name": "Renamed"}).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(f.OutcomeMetricFactory().program.owner)
    assert client.get(url).status_code == 404
    metric.refresh_from_db()
    assert metric.name != "Renamed"


def test_a_negative_or_zero_money_value_is_refused_with_a_reason(client, program):
    metric = f.OutcomeMetricFactory(program=program, name="Repeat calls")
    url = reverse("design:metric_edit", args=[program.pk, metric.pk])
    data = {
        "name": "Repeat calls",
        "kind": "quality",
        "unit": "points",
        "direction": "increase",
        "aggregation": "mean",
        "baseline": "70",
        "target": "80",
    }
    for value in ("-100", "0"):
        response = client.post(url, {**data, "money_value_per_unit": value})
        assert "A money value per unit is more than zero" in response.text
    metric.refresh_from_db()
    assert metric.money_value_per_unit is None


def test_the_metrics_page_lists_the_latest_values_across_metrics(client, program):
    # Three metrics measured at different rhythms, one with fewer values than the list
    # holds, and two values measured at the same moment where the list is cut: the page
    # shows what sorting every value newest first shows.
    start = timezone.now() - timedelta(days=400)
    weekly, daily, rare = (f.OutcomeMetricFactory(program=program) for _ in range(3))
    for week in range(40):
        f.MeasurementFactory(metric=weekly, measured_at=start + timedelta(days=7 * week))
    for day in range(330, 345):
        for _ in range(2):
            f.MeasurementFactory(metric=daily, measured_at=start + timedelta(days=day))
    for day in (10, 200, 343):
        f.MeasurementFactory(metric=rare, measured_at=start + timedelta(days=day))
    f.MeasurementFactory(measured_at=timezone.now())  # another program's

    every = Measurement.objects.filter(metric__program=program)
    newest = sorted(every, key=lambda m: (m.measured_at, m.pk), reverse=True)[:20]
    page = client.get(reverse("design:metrics", args=[program.pk]))
    assert [m.pk for m in page.context["recent"]] == [m.pk for m in newest]
    listed = {m.pk: (m.values_count, m.last) for m in page.context["listing"]}
    assert listed == {
        metric.pk: (
            every.filter(metric=metric).count(),
            max(m.measured_at for m in every.filter(metric=metric)),
        )
        for metric in (weekly, daily, rare)
    }


@pytest.mark.parametrize("size", [2, 50])
def test_a_metrics_pages_of_its_own_run_the_same_queries_at_any_size(
    client, program, django_assert_num_queries, size
):
    metric = f.OutcomeMetricFactory(program=program)
    for _ in range(size):
        metric.performance_objectives.add(f.PerformanceObjectiveFactory(program=program))
        f.MeasurementFactory(metric=metric)
    with django_assert_num_queries(9):
        response = client.get(reverse("design:metric_edit", args=[program.pk, metric.pk]))
    assert response.status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("design:metric_new", args=[program.pk])).status_code == 200


def test_only_the_programs_designers_define_metrics(client, program):
    url = reverse("design:metric_new", args=[program.pk])
    assert "Define a metric" in client.get(url).text
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Cycle time"}).status_code == 403
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404
    assert not OutcomeMetric.objects.exists()


def test_a_value_dated_in_the_future_is_refused_by_form_and_kept_for_correction(client, program):
    metric = f.OutcomeMetricFactory(program=program)
    tomorrow = timezone.localtime() + timedelta(days=1)
    response = client.post(
        reverse("design:metrics", args=[program.pk]),
        {
            "form": "measurement",
            "metric": metric.pk,
            "measured_at": tomorrow.strftime("%Y-%m-%dT%H:%M"),
            "value": "73.5",
        },
    )
    assert "A value cannot be measured in the future" in response.text
    assert 'value="73.5"' in response.text
    assert not Measurement.objects.exists()


def test_a_csv_row_dated_in_the_future_is_reported_by_line_and_nothing_is_saved(client, program):
    f.OutcomeMetricFactory(program=program, name="CSAT")
    next_year = timezone.localdate().year + 1
    csv = f"metric,measured_at,value\nCSAT,2026-10-01,71\nCSAT,{next_year}-01-15,70\n"
    response = client.post(
        reverse("design:metrics", args=[program.pk]), {"form": "import", "file": _csv(csv)}
    )
    assert f"Line 3: “{next_year}-01-15” is in the future." in response.text
    assert not Measurement.objects.exists()


def _zone_where_it_is_morning() -> str:
    """A fixed-offset zone whose clock reads about 06:00 now (Etc/GMT signs run backwards)."""
    hours = 6 - timezone.now().hour  # local = UTC + hours
    hours = (hours + 12) % 24 - 12  # -12..+11: every one a zone
    return "Etc/GMT" if hours == 0 else f"Etc/GMT{-hours:+d}"


def test_a_bare_date_means_its_noon_and_todays_never_stands_ahead_of_now(client, program):
    program.owner.time_zone = _zone_where_it_is_morning()
    program.owner.save(update_fields=["time_zone"])
    f.OutcomeMetricFactory(program=program, name="CSAT")
    zone = program.owner.zone
    with timezone.override(zone):
        today = timezone.localdate()
    yesterday = today - timedelta(days=1)

    client.post(
        reverse("design:metrics", args=[program.pk]),
        {
            "form": "import",
            "file": _csv(f"metric,measured_at,value\nCSAT,{yesterday},70\nCSAT,{today},71\n"),
        },
    )

    stored = dict(Measurement.objects.values_list("value", "measured_at"))
    assert timezone.localtime(stored[Decimal("70")], zone).time() == dt_time(12)
    assert timezone.localtime(stored[Decimal("70")], zone).date() == yesterday
    # today's noon is hours ahead where it is morning: it stands as the moment of the import
    assert stored[Decimal("71")] <= timezone.now()
    assert timezone.localtime(stored[Decimal("71")], zone).date() == today
