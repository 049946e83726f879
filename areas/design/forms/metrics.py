"""Forms for a program's outcome metrics and their values."""

from django import forms
from django.utils.translation import gettext_lazy

from measurement.models import Measurement, OutcomeMetric
from measurement.services import OUTCOME_METRIC_FIELDS
from talentdev.core.forms import Form, ModelForm


class MetricForm(ModelForm):
    class Meta:
        model = OutcomeMetric
        fields = [*OUTCOME_METRIC_FIELDS, "performance_objectives"]
        widgets = {"performance_objectives": forms.CheckboxSelectMultiple}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["performance_objectives"].queryset = program.performance_objectives.order_by(
            "id"
        )


class MeasurementForm(Form):
    metric = forms.ModelChoiceField(label=gettext_lazy("Metric"), queryset=None)
    measured_at = forms.DateTimeField(
        label=gettext_lazy("Measured at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    # Sized by the column, as the CSV import and the API are.
    value = Measurement._meta.get_field("value").formfield(label=gettext_lazy("Value"))
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = program.outcome_metrics.order_by("name")

    def offer(self, metrics) -> None:
        """List these metrics (the program's, already read) in the drop-down rather than
        reading them again; what is sent is still checked against the program's."""
        field = self.fields["metric"]
        field.widget.choices = [("", field.empty_label), *((m.pk, str(m)) for m in metrics)]


class ImportForm(Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: metric, measured_at, value; optionally employee_id and note."
        ),
    )
