"""Forms for the cost ledger and how a metric's benefit is isolated."""

from django import forms
from django.utils.translation import gettext_lazy

from measurement.models import BenefitEstimate, CostItem
from measurement.services import COST_ITEM_FIELDS
from talentdev.core.forms import ModelForm


class CostItemForm(ModelForm):
    class Meta:
        model = CostItem
        fields = list(COST_ITEM_FIELDS)
        widgets = {"incurred_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program


class BenefitEstimateForm(ModelForm):
    class Meta:
        model = BenefitEstimate
        fields = [
            "isolation_method",
            "isolation_note",
            "attribution_percent",
            "confidence_percent",
            "occurrences_per_year",
            "units_affected",
        ]
        widgets = {"isolation_note": forms.Textarea(attrs={"rows": 2})}
        labels = {
            "isolation_note": gettext_lazy("What the method found"),
            "attribution_percent": gettext_lazy("Share credited to the program (%)"),
            "confidence_percent": gettext_lazy("Confidence (%)"),
            "occurrences_per_year": gettext_lazy("Times a year"),
            "units_affected": gettext_lazy("People or teams it applies to"),
        }

    def __init__(self, *args, metric, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.metric = metric
