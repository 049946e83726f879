"""Two workers counting the sponsor figures at once, on PostgreSQL: one row per program, with
the counts either of them made, and one set of kept calibration rows."""

import threading

import pytest
from django.db import connection

from coaching.models import KeptCalibrationRow
from measurement.models import ProgramFigures
from measurement.refresh import refresh_program_figures
from programs.models import Program
from tests import factories as f

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_counts_at_once_keep_one_row_per_program_with_the_right_figures():
    programs = [f.ProgramFactory() for _ in range(4)]
    for program in programs:
        enrolments = f.EnrolmentFactory.create_batch(
            6, program=program, pathway=f.PathwayFactory(program=program)
        )
        po = f.PerformanceObjectiveFactory(program=program)
        for observer in f.UserFactory.create_batch(2):
            f.ObservationFactory(
                enrolment=enrolments[0], observer=observer, performance_objective=po
            )
    barrier, results, errors = threading.Barrier(2), [], []

    def count():
        try:
            barrier.wait(timeout=30)
            results.append(refresh_program_figures())
        except Exception as error:  # noqa: BLE001 - handed back to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=count) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert results == [Program.objects.count()] * 2
    assert ProgramFigures.objects.count() == Program.objects.count()
    for program in programs:
        kept = ProgramFigures.objects.get(program=program)
        assert kept.dashboard["learners"] == kept.overview["learners"] == 6
        calibration = KeptCalibrationRow.objects.filter(program=program)
        assert sorted(calibration.values_list("days", "rank")) == [
            (30, 0),
            (30, 1),
            (90, 0),
            (90, 1),
        ]
        assert {row.computed_at for row in calibration} == {kept.computed_at}
