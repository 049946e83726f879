"""Observer calibration: how far observers agree on the same learners."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from coaching.selectors import FLAG_GAP, observer_calibration

from .base import program_for_designer


@login_required
@require_GET
def calibration(request, pk):
    """How far observers agree when they rate the same learners on the same objective."""
    program = program_for_designer(request, pk)
    return render(
        request,
        "design/calibration.html",
        {
            "program": program,
            "rows": observer_calibration(program=program),
            "flag": FLAG_GAP,
        },
    )
