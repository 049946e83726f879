"""Self-assessment against a competency's scale."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.learn.forms import SelfAssessmentForm
from areas.support import require_perm, save_form
from measurement.learners import self_assessment_choice, self_assessment_levels
from measurement.models import Assessment
from measurement.services import assessment_record

# Past assessments of a competency shown a page at a time, newest first.
HISTORY_PAGE_SIZE = 10


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request):
    """Rate yourself against a competency's levels, reading each level's behaviours; your
    past assessments of it below, a page at a time (`page`)."""
    choice = self_assessment_choice(
        learner=request.user, competency_pk=request.GET.get("competency", "")
    )
    competency, enrolment = choice["competency"], choice["enrolment"]
    if competency is None:
        return render(request, "learn/self_assessment.html", {"competency": None})
    form = SelfAssessmentForm(request.POST or None, competency=competency)
    if request.method == "POST" and form.is_valid():
        require_perm(request.user, "measurement.self_assess", enrolment)
        if save_form(
            request,
            form,
            assessment_record,
            enrolment=enrolment,
            competency=competency,
            kind=Assessment.Kind.SELF,
            assessed_level=form.cleaned_data["level"],
            assessor=request.user,
            assessed_on=timezone.localdate(),
            notes=form.cleaned_data["notes"],
            done=_("Self-assessment saved."),
        ):
            return redirect(f"{request.path}?competency={competency.pk}")
    scale = self_assessment_levels(
        learner=request.user, competency=competency, levels=form.fields["level"].queryset
    )
    return render(
        request,
        "learn/self_assessment.html",
        {
            **choice,
            "form": form,
            "levels": scale["levels"],
            "history": Paginator(scale["history"], HISTORY_PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            # The history's pages stay on the competency chosen.
            "keep_competency": urlencode({"competency": competency.pk}),
        },
    )
