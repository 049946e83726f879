"""The dashboard benchmark prints its figures and leaves the database as it found it."""

from io import StringIO

import pytest
from django.core.management import call_command

from measurement.models import Measurement
from programs.models import Program

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
