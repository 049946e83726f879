"""The learner's pathway and objectives: what is next, what is overdue, the evidence so far."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_GET

from areas.learn.sections import objectives_sections, pathway_sections
from areas.support import get_visible_or_404
from coaching.selectors import observations_of
from measurement.learners import debriefs_meeting
from objectives.models import PerformanceObjective
from programs.selectors import withdrawn_enrolments

PAGE_SIZE = 20


@login_required
def home(request):
    """My pathway: steps in order with status and what completes each, what is open now, what is
    overdue, and my latest coaching sessions and debriefs; a section per program I am on."""
    sections = pathway_sections(request.user)
    return render(
        request,
        "learn/home.html",
        {
            # Read only when there is no pathway to show: why there is none.
            "withdrawn": [] if sections else withdrawn_enrolments(learner=request.user),
            "sections": sections,
        },
    )


@login_required
def objectives(request):
    """My objectives: each why with the whats derived from it, and the evidence so far."""
    return render(request, "learn/objectives.html", {"sections": objectives_sections(request.user)})


def _page_query(param: str, page) -> str:
    return urlencode({param: page.number}) if page.number > 1 else ""


@login_required
@require_GET
def objective_history(request, pk):
    """Every observation of my work against one performance objective of a program I am in,
    with its feedback, and every assignment whose debrief met it: each list a page at a
    time, `page` for observations, `debrief_page` for assignments."""
    objective = get_visible_or_404(
        PerformanceObjective.objects.filter(program__enrolments__learner=request.user).distinct(),
        request.user,
        pk=pk,
    )
    observations = Paginator(
        observations_of(learner=request.user, objective=objective), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    debriefs = Paginator(
        debriefs_meeting(learner=request.user, objective=objective), PAGE_SIZE
    ).get_page(request.GET.get("debrief_page"))
    return render(
        request,
        "learn/objective_history.html",
        {
            "objective": objective,
            "observations": observations,
            "debriefs": debriefs,
            # Turning one list's page keeps the other where it was (the first page needs
            # no saying).
            "keep_debriefs": _page_query("debrief_page", debriefs),
            "keep_observations": _page_query("page", observations),
        },
    )
