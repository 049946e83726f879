"""Forms learners fill in about their own work."""

from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceForm(forms.Form):
    evidence = forms.CharField(
        label=_("What did you do and produce?"),
        widget=forms.Textarea(attrs={"rows": 5}),
        required=False,  # the service says what is missing, in one place
        help_text=_("Describe the work and where the results are; be specific."),
    )
    outcome = forms.CharField(
        label=_("What result did it achieve?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    evidence_url = forms.URLField(
        label=_("Link to a work sample (optional)"), required=False, assume_scheme="https"
    )


class PresentationForm(forms.Form):
    presented_on = forms.DateField(
        label=_("Presented on"), widget=forms.DateInput(attrs={"type": "date"})
    )
    presented_to = forms.CharField(
        label=_("Presented to"), max_length=300, help_text=_("Who heard the results?")
    )
