"""Sponsor reviews from the designer's side: rolling one up on demand."""

from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from areas.support import run_command
from measurement.rollups import sponsor_review_roll_up_now

from .base import program_for_designer, to_pathway


@login_required
@require_POST
def review_rollup(request, pk):
    """Roll up last week's review of the program now and tell its sponsors."""
    program = program_for_designer(request, pk)
    run_command(
        request,
        sponsor_review_roll_up_now,
        program=program,
        done=_rolled_up_message,
    )
    return to_pathway(program, anchor="reviews")


def _rolled_up_message(rolled) -> str:
    """What the rollup did, as it was: who was told, or why nobody was."""
    review = rolled.review
    words = {
        "start": date_format(review.period_start, "j M"),
        # a review's period ends the day before its `period_end`
        "end": date_format(review.period_end - timedelta(days=1), "j M Y"),
    }
    if not rolled.sponsors:
        no_sponsor = _("The program has no sponsor to read it yet.")
        return _("Review of %(start)s to %(end)s rolled up.") % words + " " + no_sponsor
    if rolled.created:
        return _("Review of %(start)s to %(end)s rolled up: its sponsors are told.") % words
    return _("Review of %(start)s to %(end)s rolled up again with today's figures.") % words
