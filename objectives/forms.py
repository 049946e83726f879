"""Forms for writing objectives the backwards-design way: performance first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from measurement.models import OutcomeMetric
from objectives.models import Competency, LearningObjective, PerformanceObjective
from talentdev.fields import HoursField


class PerformanceObjectiveForm(forms.ModelForm):
    """The SMART form: the model's SMART rule reports each gap next to its field."""

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
        fields = [
            "statement",
            "action",
            "condition",
            "measure",
            "measure_unit",
            "target_comparator",
            "target_value",
            "time_window",
            "time_window_anchor",
            "review_date",
            "evidence_method",
            "feedback_window",
        ]
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


class LearningObjectiveForm(forms.ModelForm):
    class Meta:
        model = LearningObjective
        fields = ["statement", "competency", "bloom_level", "assessment_method"]
        widgets = {"statement": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "statement": _("What do they need to understand to do this well?"),
            "bloom_level": _("Cognitive level"),
            "assessment_method": _("How understanding is assessed"),
        }

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        competencies = Competency.objects.order_by("code")
        if program.framework_id:
            competencies = competencies.filter(framework_id=program.framework_id)
        self.fields["competency"].queryset = competencies
