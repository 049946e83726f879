"""The benchmarks print their figures and leave the database as they found it."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from coaching.models import Observation
from measurement.models import Measurement
from people.models import User
from programs.models import Enrolment, Program, ProgressEvent

pytestmark = pytest.mark.django_db


def test_the_benchmark_reports_each_page_and_rolls_its_data_back():
    out = StringIO()
    call_command("bench_dashboard", learners=6, years=1, runs=1, stdout=out)
    report = out.getvalue()
    # 3 metrics measured daily for a year, plus one value a month for each of 6 learners
    assert "Built 1,167 measurements for 6 learners over 1 years" in report
    for page in ("sponsor overview", "program dashboard", "ROI CSV"):
        assert page in report
    assert not Program.objects.exists()
    assert not Measurement.objects.exists()


def test_the_progress_benchmark_reports_both_sweeps_and_rolls_its_data_back():
    out = StringIO()
    call_command("bench_progress", enrolments=30, batch=8, stdout=out)
    report = out.getvalue()
    assert "Built 30 enrolments on a 5-step pathway" in report
    # each sweep's name fills the first 20 columns, its figures follow
    rows = {line[:20].strip(): line[20:].split() for line in report.splitlines()}
    enrolments, batches, queries, seconds, per_thousand, events = rows["first (catch-up)"]
    assert (enrolments, batches) == ("30", "4")
    assert re.fullmatch(r"\d+–\d+", queries)
    assert float(seconds) > 0
    assert float(per_thousand) > 0
    assert int(events.replace(",", "")) >= 30  # at least every first step opened
    # learners who are done and competent are no longer swept; nothing else changes
    enrolments, *_, events = rows["again (no change)"]
    assert int(enrolments) <= 30
    assert events == "0"
    assert re.search(r"Peak memory of the first sweep \(tracemalloc\): [\d.]+ MB", report)
    for model in (Program, Enrolment, ProgressEvent, Observation, User):
        assert not model.objects.exists()
