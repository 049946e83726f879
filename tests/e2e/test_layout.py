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


PHONE = {"width": 390, "height": 844}


def _sideways_overflow(page) -> int:
    """How many pixels the page is wider than the screen (0 when it fits)."""
    return page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )


def test_the_program_page_fits_a_phone_with_a_long_evidence_rule(page, login):
    program = f.ProgramFactory()
    f.StepFactory(
        pathway=f.PathwayFactory(program=program),
        position=1,
        title="Give feedback in your live 1:1s",
        completed_by="evidence",
        gate_min_observations=2,
        gate_min_rating=3,
        gate_min_observers=2,
        gate_within_days=60,
    )
    login(program.owner)
    page.set_viewport_size(PHONE)
    page.goto(f"/design/programs/{program.pk}/")

    rule = page.get_by_text("Evidence rule: 2 observations rated meets or better")
    assert rule.is_visible()
    assert rule.bounding_box()["x"] + rule.bounding_box()["width"] <= PHONE["width"]
    assert _sideways_overflow(page) == 0


def test_the_sponsor_overview_explains_its_figures_outside_the_sideways_scroll(page, login):
    sponsor = f.UserFactory()
    program = f.ProgramFactory(name="Feedback on the job")
    program.sponsors.add(sponsor)
    f.EnrolmentFactory(program=program, pathway=f.PathwayFactory(program=program))
    login(sponsor)
    page.set_viewport_size(PHONE)
    page.goto("/sponsor/")

    about = page.get_by_text("Headline figures of each program and of all of them together.")
    box = about.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]  # read whole, not cut off by the scroll
    assert page.get_by_role("table").locator("caption").inner_text() == (
        "Headline figures of the programs you sponsor"
    )
    # one line of headings: the long ones off to the side leave no gap above the first
    assert page.locator("thead").bounding_box()["height"] < 60
    assert _sideways_overflow(page) == 0
