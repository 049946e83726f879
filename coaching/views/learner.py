"""The learner's side of coaching: feedback received and the reflections journal."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from coaching.models import Feedback, PeerFeedbackRequest, Reflection
from coaching.services import reflection_write
from programs.models import Enrolment, Step
from talentdev.views_support import add_service_errors, require_perm


@login_required
@require_GET
def feedback_received(request):
    """Feedback on my observations, and peer feedback (anonymous where it was asked so)."""
    feedback = (
        Feedback.objects.filter(observation__learner=request.user)
        .select_related(
            "giver", "observation__performance_objective", "observation__feedback_window"
        )
        .order_by("-delivered_at")
    )
    peer = (
        PeerFeedbackRequest.objects.filter(
            enrolment__learner=request.user, status=PeerFeedbackRequest.Status.SUBMITTED
        )
        .select_related("reviewer", "performance_objective")
        .order_by("-responded_at")
    )
    return render(request, "learn/feedback.html", {"feedback": feedback, "peer": peer})


class ReflectionForm(forms.Form):
    # No blank choice: most learners are in one program, and it is then already chosen.
    enrolment = forms.ModelChoiceField(
        label=gettext_lazy("Program"), queryset=None, empty_label=None
    )
    step = forms.ModelChoiceField(
        label=gettext_lazy("About the step (optional)"),
        queryset=None,
        required=False,
        empty_label=gettext_lazy("No particular step"),
    )
    body = forms.CharField(
        label=gettext_lazy("What did you try, and what did you notice?"),
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    next_action = forms.CharField(
        label=gettext_lazy("What will you do next?"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, learner, **kwargs):
        super().__init__(*args, **kwargs)
        enrolments = Enrolment.objects.filter(learner=learner).exclude(status="withdrawn")
        self.fields["enrolment"].queryset = enrolments.select_related("program")
        self.fields["enrolment"].label_from_instance = lambda e: e.program.name
        self.fields["step"].queryset = Step.objects.filter(
            pathway__enrolments__in=enrolments
        ).order_by("pathway_id", "position")


@login_required
@require_http_methods(["GET", "POST"])
def reflections(request):
    """My reflections journal: write an entry, read the past ones."""
    form = ReflectionForm(request.POST or None, learner=request.user)
    if request.method == "POST" and form.is_valid():
        enrolment = form.cleaned_data["enrolment"]
        require_perm(request.user, "coaching.write_reflection", enrolment)
        try:
            reflection_write(
                enrolment=enrolment,
                step=form.cleaned_data["step"],
                body=form.cleaned_data["body"],
                next_action=form.cleaned_data["next_action"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reflection saved to your journal."))
            return redirect("learn:reflections")
    entries = (
        Reflection.objects.filter(enrolment__learner=request.user)
        .select_related("enrolment__program", "step")
        .order_by("-written_at")
    )
    return render(request, "learn/reflections.html", {"form": form, "entries": entries})
