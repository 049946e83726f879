"""Layout a person sees in the browser: boxes that line up, pages that fit a phone."""

import pytest
from django.utils import timezone

from programs.services import enrolment_create
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)


def _rows_of_boxes(page, selector) -> list[list[float]]:
    """The tops of the matching boxes, grouped into the rows the eye sees (tops closer than
    half a box)."""
    tops = sorted(box["y"] for box in (e.bounding_box() for e in page.locator(selector).all()))
    rows = []
    for top in tops:
        if rows and top - rows[-1][0] < 20:
            rows[-1].append(top)
        else:
            rows.append([top])
    return rows


def test_the_roster_filters_line_up_row_by_row(page, login):
    program = f.ProgramFactory()
    f.StepFactory(pathway=f.PathwayFactory(program=program), position=1)
    enrolment_create(
        learner=f.UserFactory(), program=program, enrolled_on=timezone.localdate(), supervisor=None
    )
    login(program.owner)
    page.goto(f"/design/programs/{program.pk}/roster/")

    rows = _rows_of_boxes(
        page, "form[aria-label='Filter the roster'] .form-select, #id_q, #id_stuck"
    )

    assert sum(len(row) for row in rows) == 6
    assert all(len(set(row)) == 1 for row in rows), rows
