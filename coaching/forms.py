"""Fast forms for people who observe and coach learners."""

from django import forms
from django.utils.translation import gettext_lazy as _

from objectives.models import PerformanceObjective
from programs.models import Enrolment, Rating


class ObservationForm(forms.Form):
    """Who, against which objective, how well, what was seen: one submit."""

    enrolment = forms.ModelChoiceField(
        label=_("Learner"), queryset=Enrolment.objects.none(), empty_label=_("Choose a learner")
    )
    performance_objective = forms.ModelChoiceField(
        label=_("Performance objective"),
        queryset=PerformanceObjective.objects.none(),
        empty_label=_("Choose an objective"),
    )
    rating = forms.TypedChoiceField(
        label=_("How well"), choices=Rating.choices, coerce=int, widget=forms.RadioSelect
    )
    behaviour = forms.CharField(
        label=_("What did you see or hear?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The specific moment, as you would describe it to the learner."),
    )

    def __init__(self, *args, enrolments, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].queryset = enrolments
        self.fields["enrolment"].label_from_instance = lambda e: f"{e.learner} — {e.program}"
        enrolment_id = self.data.get("enrolment") or self.initial.get("enrolment")
        if enrolment_id:
            # Only the objectives of the chosen learner's program are offered.
            self.fields["performance_objective"].queryset = PerformanceObjective.objects.filter(
                program__enrolments__in=enrolments.filter(pk=enrolment_id)
                if str(enrolment_id).isdigit()
                else enrolments.none()
            ).order_by("id")


class FeedbackForm(forms.Form):
    specific_example = forms.CharField(
        label=_("Specific example"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,  # the model says what is missing, in one place
        help_text=_("The moment you are giving feedback on: what was said or done, and when."),
    )
    impact_on_team_goals = forms.CharField(
        label=_("Impact on team goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("How it helped or hurt what the team is trying to achieve."),
    )
    suggestion = forms.CharField(
        label=_("What to keep doing or try next (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
