"""Baseline and checkpoint assessments of a learner, recorded by the people around them."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.support import get_enrolment_or_404, render_htmx, save_form
from areas.team.forms import AssessmentForm
from measurement.services import assessment_record


@login_required
@require_http_methods(["GET", "POST"])
def assessment_new(request, pk):
    """Record a baseline or checkpoint of one competency the learner's program builds; the
    pathway and the learner's competency move on it. On choosing another competency, htmx
    asks for its levels and objectives (?competency=<pk>) and gets just those fields."""
    enrolment = get_enrolment_or_404(request.user, pk, "measurement.assess")
    form = AssessmentForm(
        request.POST or None,
        enrolment=enrolment,
        initial={"competency": request.GET.get("competency", "")},
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and save_form(
            request,
            form,
            assessment_record,
            enrolment=enrolment,
            assessor=request.user,
            **form.cleaned_data,
            done=lambda a: (
                _("%(kind)s of %(learner)s in %(competency)s recorded: %(level)s.")
                % {
                    "kind": a.get_kind_display(),
                    "learner": enrolment.learner,
                    "competency": a.competency.name,
                    "level": a.assessed_level,
                }
            ),
        )
    ):
        return redirect("team:learner", pk=enrolment.pk)
    return render_htmx(
        request,
        "team/assessment_form.html",
        "team/partials/_assessment_scale.html",
        {"enrolment": enrolment, "form": form},
        status=400 if request.method == "POST" else 200,
    )
