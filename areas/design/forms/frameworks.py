"""Forms for competency frameworks: the framework, its scales, competencies and indicators."""

from django import forms
from django.utils.translation import gettext_lazy as _

from objectives.models import Competency, CompetencyFramework, ProficiencyLevel
from talentdev.core.forms import Form, ModelForm


class FrameworkForm(ModelForm):
    class Meta:
        model = CompetencyFramework
        fields = ["name", "version", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            # A version number is fixed once given: a new one comes from "Start a new version".
            del self.fields["version"]


class ScaleForm(Form):
    """Shown beside the competency and indicator forms: ids of its own keep each label on
    its own field."""

    name = forms.CharField(label=_("Scale name"), max_length=200)
    levels = forms.CharField(
        label=_("Levels, lowest first, one per line"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service says what is missing
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "id_scale_%s")
        super().__init__(*args, **kwargs)


class CompetencyForm(ModelForm):
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


class IndicatorForm(Form):
    competency = forms.ModelChoiceField(label=_("Competency"), queryset=None)
    level = forms.ModelChoiceField(label=_("Level"), queryset=None)
    description = forms.CharField(
        label=_("Observable behaviour"), widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, framework, **kwargs):
        # Shown beside the competency form, whose description field has the same name.
        kwargs.setdefault("auto_id", "id_indicator_%s")
        super().__init__(*args, **kwargs)
        self.fields["competency"].queryset = framework.competencies.order_by("code")
        self.fields["level"].queryset = (
            ProficiencyLevel.objects.filter(scale__framework=framework)
            .select_related("scale")
            .order_by("scale__name", "rank")
        )
        self.fields["level"].label_from_instance = lambda lv: f"{lv.scale.name}: {lv}"
