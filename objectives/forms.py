"""Forms for writing objectives the backwards-design way: performance first."""

from django import forms
from django.utils.translation import gettext_lazy as _

from measurement.models import OutcomeMetric
from objectives.models import (
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
)
from objectives.services import PERFORMANCE_OBJECTIVE_FIELDS
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


class FrameworkForm(forms.ModelForm):
    class Meta:
        model = CompetencyFramework
        fields = ["name", "version", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class ScaleForm(forms.Form):
    name = forms.CharField(label=_("Scale name"), max_length=200)
    levels = forms.CharField(
        label=_("Levels, lowest first, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service says what is missing
    )


class CompetencyForm(forms.ModelForm):
    class Meta:
        model = Competency
        fields = ["code", "name", "description", "strategic_rationale", "parent", "scale"]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 2}),
            "strategic_rationale": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.framework = framework
        self.fields["parent"].queryset = framework.competencies.exclude(
            pk=self.instance.pk
        ).order_by("code")
        self.fields["scale"].queryset = framework.scales.order_by("name")


class IndicatorForm(forms.Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=None)
    level = forms.ModelChoiceField(label=_("Level"), queryset=None)
    description = forms.CharField(
        label=_("Observable behaviour"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, framework, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = framework.competencies.order_by("code")
        self.fields["level"].queryset = (
            ProficiencyLevel.objects.filter(scale__framework=framework)
            .select_related("scale")
            .order_by("scale__name", "rank")
        )
        self.fields["level"].label_from_instance = lambda lv: f"{lv.scale.name}: {lv}"
