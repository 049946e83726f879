"""Forms for writing objectives the backwards-design way: performance first."""

from crispy_forms.helper import FormHelper
from django import forms
from django.utils.translation import gettext_lazy as _

from areas.fields import HoursField
from measurement.models import OutcomeMetric
from objectives.models import Competency, LearningObjective, PerformanceObjective
from objectives.services import PERFORMANCE_OBJECTIVE_FIELDS
from talentdev.core.forms import ModelForm


class PerformanceObjectiveForm(ModelForm):
    """The SMART form: the model's SMART rule reports each gap next to its field.

    Each field's messages sit in a box of their own (`check-<name>`), so the check that
    runs while the designer types can replace the messages without touching the inputs.
    """

    time_window = HoursField(
        label=_("Time window (hours)"),
        required=False,
        help_text=_("How soon after the triggering event, e.g. 24."),
    )
    feedback_window = HoursField(
        label=_("Feedback window (hours)"),
        help_text=_("How long after an observation feedback is due."),
    )
    outcome_metrics = forms.ModelMultipleChoiceField(
        label=_("Outcome metrics it should move"),
        queryset=OutcomeMetric.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = PerformanceObjective
        fields = list(PERFORMANCE_OBJECTIVE_FIELDS)
        widgets = {
            "statement": forms.Textarea(attrs={"rows": 2}),
            "review_date": forms.DateInput(attrs={"type": "date"}),
        }
        labels = {"statement": _("The objective, as people will read it")}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["outcome_metrics"].queryset = program.outcome_metrics.order_by("name")
        if self.instance.pk:
            self.fields["outcome_metrics"].initial = self.instance.outcome_metrics.all()
        for name in self.Meta.fields:
            # The SMART rule decides what is missing and says so, field by field.
            self.fields[name].required = name in ("statement", "feedback_window")
        for name, field in self.fields.items():
            described_by = [f"check-{name}"]
            if field.help_text:
                described_by.append(f"{self.auto_id % name}_helptext")
            field.widget.attrs["aria-describedby"] = " ".join(described_by)
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.field_template = "design/partials/_smart_field.html"

    @property
    def missing(self) -> list[tuple[str, str]]:
        """(input id, label) of each field that still has something to fix, in form order."""
        return [
            (self[name].id_for_label, str(self[name].label))
            for name in self.fields
            if self[name].errors
        ]


class LearningObjectiveForm(ModelForm):
    """The understanding behind performance objectives; editing also says which it supports."""

    performance_objectives = forms.ModelMultipleChoiceField(
        label=_("Performance objectives it supports"),
        queryset=PerformanceObjective.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = LearningObjective
        fields = ["statement", "competency", "bloom_level", "assessment_method"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "statement": _("What do they need to understand to do this well?"),
            "bloom_level": _("Cognitive level"),
            "assessment_method": _("How understanding is assessed"),
        }

    def __init__(self, *args, program, with_performance_objectives=False, **kwargs):
        super().__init__(*args, **kwargs)
        competencies = Competency.objects.select_related("framework").order_by("code")
        if program.framework_id:
            competencies = competencies.filter(framework_id=program.framework_id)
            self.fields["competency"].label_from_instance = str
        else:
            self.fields["competency"].label_from_instance = lambda c: f"{c} ({c.framework})"
        self.fields["competency"].queryset = competencies
        if with_performance_objectives:
            field = self.fields["performance_objectives"]
            field.queryset = program.performance_objectives.order_by("id")
            field.label_from_instance = lambda objective: objective.statement
            if self.instance.pk:
                self.initial.setdefault(
                    "performance_objectives", list(self.instance.performance_objectives.all())
                )
        else:
            del self.fields["performance_objectives"]
