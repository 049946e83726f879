"""Forms for program designers: programs, pathway steps and enrolment."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from people.models import User
from programs.models import Cohort, Program, Step
from talentdev.fields import HoursField


class ProgramForm(forms.ModelForm):
    class Meta:
        model = Program
        fields = [
            "name",
            "slug",
            "business_goal",
            "description",
            "framework",
            "starts_on",
            "ends_on",
            "status",
            "cost",
            "currency",
        ]
        widgets = {
            "business_goal": forms.Textarea(attrs={"rows": 2}),
            "description": forms.Textarea(attrs={"rows": 3}),
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
        }


class StepForm(forms.ModelForm):
    """A step of a draft pathway, with the objectives it serves and an optional evidence rule."""

    expected_duration = HoursField(label=_("Expected effort (hours)"), required=False)

    class Meta:
        model = Step
        fields = [
            "kind",
            "title",
            "description",
            "difficulty",
            "expected_duration",
            "learning_objectives",
            "performance_objectives",
            "gate_min_observations",
            "gate_min_rating",
            "gate_min_observers",
            "gate_within_days",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "learning_objectives": forms.CheckboxSelectMultiple,
            "performance_objectives": forms.CheckboxSelectMultiple,
        }
        labels = {
            "learning_objectives": _("Learning objectives it builds (the why)"),
            "performance_objectives": _("Performance objectives it practises (the what)"),
            "gate_min_observations": _("Evidence rule: observations needed"),
            "gate_min_rating": _("… rated at least"),
            "gate_min_observers": _("… from how many observers"),
            "gate_within_days": _("… within how many days"),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["learning_objectives"].queryset = program.learning_objectives.order_by("id")
        self.fields["performance_objectives"].queryset = program.performance_objectives.order_by(
            "id"
        )


class EnrolForm(forms.Form):
    """Enrol one learner or a whole cohort at once."""

    learners = forms.ModelMultipleChoiceField(
        label=_("Learners"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Choose one person, or several to enrol them together."),
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False
    )
    new_cohort = forms.CharField(
        label=_("…or start a new cohort named"), required=False, max_length=200
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
        help_text=_("Leave empty to make each learner's line manager their supervisor."),
    )
    coach = forms.ModelChoiceField(
        label=_("Coach (optional)"),
        queryset=User.objects.filter(is_active=True).order_by("last_name", "first_name"),
        required=False,
    )
    enrolled_on = forms.DateField(
        label=_("Enrolled on"), widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = program.cohorts.order_by("-starts_on")
        self.fields["enrolled_on"].initial = timezone.localdate()

    def clean(self):
        data = super().clean()
        if data.get("cohort") and data.get("new_cohort"):
            self.add_error("new_cohort", _("Choose a cohort or name a new one, not both."))
        return data
