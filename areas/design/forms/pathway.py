"""A step of a draft pathway: the objectives it serves, what completes it, when it is due."""

from django import forms
from django.utils.translation import gettext_lazy as _

from areas.fields import HoursField
from programs.models import Step
from talentdev.core.forms import ModelForm


class StepForm(ModelForm):
    """A step of a draft pathway: the objectives it serves, the rule that completes it (with
    its evidence rule or assessed level), whether it runs alongside the step before, and
    when it is due."""

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
            "completed_by",
            "assessment_min_rank",
            "skippable",
            "with_previous",
            "due_days",
            "due_from",
        ]
        widgets = {
            "completed_by": forms.RadioSelect,
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

    GATE = ("gate_min_observations", "gate_min_rating", "gate_min_observers", "gate_within_days")

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        # Left unsaid, the rule follows what is filled in: an evidence rule means observations.
        self.fields["completed_by"].required = False
        self.fields["due_from"].required = False
        for name in ("learning_objectives", "performance_objectives"):
            self.fields[name].queryset = getattr(program, name).order_by("id")
            # The whole statement: the model's short form cuts it mid-sentence.
            self.fields[name].label_from_instance = lambda objective: objective.statement

    def clean_completed_by(self):
        chosen = self.cleaned_data.get("completed_by")
        if chosen:
            return chosen
        if any(self.data.get(self.add_prefix(name)) for name in self.GATE):
            return Step.Completion.EVIDENCE
        return self.instance.completed_by or Step.Completion.LEARNER

    def clean_due_from(self):
        return self.cleaned_data.get("due_from") or self.instance.due_from or Step.DueFrom.UNLOCK
