"""Self-assessment against a competency's scale."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from measurement.forms import SelfAssessmentForm
from measurement.models import Assessment
from measurement.services import assessment_record
from objectives.models import BehaviouralIndicator, Competency
from programs.models import Enrolment
from talentdev.views_support import add_service_errors, require_perm


def _choices(learner):
    """(enrolment, competency) pairs a learner can assess: the competencies of their programs."""
    enrolments = Enrolment.objects.filter(learner=learner).exclude(status="withdrawn")
    competencies = (
        Competency.objects.filter(learning_objectives__program__enrolments__in=enrolments)
        .distinct()
        .order_by("code")
    )
    return enrolments.select_related("program"), competencies


@login_required
@require_http_methods(["GET", "POST"])
def self_assessment(request):
    """Rate yourself against a competency's levels, reading each level's behaviours."""
    enrolments, competencies = _choices(request.user)
    competency = competencies.filter(pk=request.GET.get("competency") or 0).first() or (
        competencies.first()
    )
    if competency is None:
        return render(request, "learn/self_assessment.html", {"competency": None})
    enrolment = enrolments.filter(program__learning_objectives__competency=competency).first()
    form = SelfAssessmentForm(request.POST or None, competency=competency)
    if request.method == "POST" and form.is_valid():
        require_perm(request.user, "measurement.self_assess", enrolment)
        try:
            assessment_record(
                enrolment=enrolment,
                competency=competency,
                kind=Assessment.Kind.SELF,
                assessed_level=form.cleaned_data["level"],
                assessor=request.user,
                assessed_on=timezone.localdate(),
                notes=form.cleaned_data["notes"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Self-assessment saved."))
            return redirect(f"{request.path}?competency={competency.pk}")
    indicators = BehaviouralIndicator.objects.filter(competency=competency).select_related("level")
    by_level = {}
    for indicator in indicators:
        by_level.setdefault(indicator.level_id, []).append(indicator.description)
    history = (
        Assessment.objects.filter(enrolment__learner=request.user, competency=competency)
        .select_related("assessed_level")
        .order_by("-assessed_on")
    )
    return render(
        request,
        "learn/self_assessment.html",
        {
            "competency": competency,
            "competencies": competencies,
            "form": form,
            "levels": [
                (level, by_level.get(level.pk, [])) for level in form.fields["level"].queryset
            ],
            "history": history,
        },
    )
