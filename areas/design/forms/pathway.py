"""A step of a draft pathway, with the objectives it serves and its evidence rule."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.fields import HoursField
from programs.models import Step


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
            "difficulty": forms.NumberInput(attrs={"min": 1, "max": 5}),
            "learning_objectives": forms.CheckboxSelectMultiple,
            "performance_objectives": forms.CheckboxSelectMultiple,
        }
        labels = {
            "learning_objectives": _("Learning objectives it builds (the why)"),
            "performance_objectives": _("Performance objectives it practises (the what)"),
            "gate_min_observations": _("Observations needed"),
            "gate_min_rating": _("Each rated at least"),
            "gate_min_observers": _("From how many different observers"),
            "gate_within_days": _("Within how many days"),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("learning_objectives", "performance_objectives"):
            self.fields[name].queryset = getattr(program, name).order_by("id")
            # The whole statement: the model's short form cuts it mid-sentence.
            self.fields[name].label_from_instance = lambda objective: objective.statement
