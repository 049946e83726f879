"""A program's outcome metrics for its designer: define them, record values by form or CSV."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from measurement.imports import measurements_import
from measurement.models import Measurement, OutcomeMetric
from measurement.services import (
    measurement_record,
    outcome_metric_create,
    outcome_metric_update,
)
from programs.models import Program
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm


class MetricForm(forms.ModelForm):
    class Meta:
        model = OutcomeMetric
        fields = [
            "name",
            "kind",
            "unit",
            "direction",
            "aggregation",
            "baseline",
            "target",
            "money_value_per_unit",
            "performance_objectives",
        ]
        widgets = {"performance_objectives": forms.CheckboxSelectMultiple}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program
        self.fields["performance_objectives"].queryset = program.performance_objectives.order_by(
            "id"
        )


class MeasurementForm(forms.Form):
    metric = forms.ModelChoiceField(label=gettext_lazy("Metric"), queryset=None)
    measured_at = forms.DateTimeField(
        label=gettext_lazy("Measured at"),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
    )
    value = forms.DecimalField(label=gettext_lazy("Value"), max_digits=14, decimal_places=4)
    note = forms.CharField(label=gettext_lazy("Note (optional)"), max_length=300, required=False)

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["metric"].queryset = program.outcome_metrics.order_by("name")


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        help_text=gettext_lazy(
            "Columns: metric, measured_at, value; optionally employee_id and note."
        ),
    )


def _program(request, pk):
    program = get_visible_or_404(Program.objects.all(), request.user, pk=pk)
    require_perm(request.user, "measurement.record_measurement", program)
    return program


@login_required
@require_http_methods(["GET", "POST"])
def metric_edit(request, pk, metric_pk):
    """Change a metric's definition; its recorded values stay as they are."""
    program = _program(request, pk)
    metric = get_object_or_404(OutcomeMetric, program=program, pk=metric_pk)
    form = MetricForm(request.POST or None, instance=metric, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        objectives = data.pop("performance_objectives")
        try:
            outcome_metric_update(
                metric=OutcomeMetric.objects.get(pk=metric.pk),
                performance_objectives=objectives,
                **data,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Metric saved."))
            return redirect("design:metrics", pk=program.pk)
    return render(
        request, "design/metric_form.html", {"program": program, "metric": metric, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def metrics(request, pk):
    """Define outcome metrics and record their values, one at a time or from a CSV file."""
    program = _program(request, pk)
    metric_form = MetricForm(program=program)
    measurement_form = MeasurementForm(program=program)
    import_form = ImportForm()
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "metric":
                metric_form = MetricForm(request.POST, program=program)
                if metric_form.is_valid():
                    data = dict(metric_form.cleaned_data)
                    objectives = data.pop("performance_objectives")
                    outcome_metric_create(
                        program=program, performance_objectives=objectives, **data
                    )
                    messages.success(request, _("Metric defined."))
                    return redirect("design:metrics", pk=program.pk)
            elif which == "measurement":
                measurement_form = MeasurementForm(request.POST, program=program)
                if measurement_form.is_valid():
                    measurement_record(recorded_by=request.user, **measurement_form.cleaned_data)
                    messages.success(request, _("Value recorded."))
                    return redirect("design:metrics", pk=program.pk)
            else:
                import_form = ImportForm(request.POST, request.FILES)
                if import_form.is_valid():
                    count = measurements_import(
                        program=program,
                        upload=import_form.cleaned_data["file"],
                        recorded_by=request.user,
                    )
                    messages.success(request, _("Imported %(n)d values.") % {"n": count})
                    return redirect("design:metrics", pk=program.pk)
        except ValidationError as error:
            form = {"metric": metric_form, "measurement": measurement_form}.get(which, import_form)
            add_service_errors(form, error)
    listing = (
        OutcomeMetric.objects.filter(program=program)
        .annotate(values=Count("measurements"), last=Max("measurements__measured_at"))
        .order_by("name")
    )
    recent = (
        Measurement.objects.filter(metric__program=program)
        .select_related("metric", "enrolment__learner")
        .order_by("-measured_at")[:20]
    )
    return render(
        request,
        "design/metrics.html",
        {
            "program": program,
            "listing": listing,
            "recent": recent,
            "metric_form": metric_form,
            "measurement_form": measurement_form,
            "import_form": import_form,
        },
    )
