"""Forms for assessments people record about themselves."""

from django import forms
from django.utils.translation import gettext_lazy as _

from objectives.models import ProficiencyLevel


class SelfAssessmentForm(forms.Form):
    level = forms.ModelChoiceField(
        label=_("Where are you today?"),
        queryset=None,
        widget=forms.RadioSelect,
        empty_label=None,
    )
    notes = forms.CharField(
        label=_("Why this level? (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args, competency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = ProficiencyLevel.objects.filter(
            scale_id=competency.scale_id
        ).order_by("rank")
