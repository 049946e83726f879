"""A program's outcome metrics for its designer: define them, record values by form or CSV."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from areas.design.forms.metrics import ImportForm, MeasurementForm, MetricForm
from areas.support import add_service_errors, get_program_or_404, posted_form, save_form
from measurement.imports import measurements_import
from measurement.selectors import metrics_page
from measurement.services import measurement_record, outcome_metric_create, outcome_metric_update


def _program(request, pk):
    return get_program_or_404(request.user, pk, "measurement.record_measurement")


@login_required
@require_http_methods(["GET", "POST"])
def metric_new(request, pk):
    """Define a metric the program should move, with its baseline, target and direction."""
    program = _program(request, pk)
    return _metric_form(request, program, None, outcome_metric_create, _("Metric defined."))


@login_required
@require_http_methods(["GET", "POST"])
def metric_edit(request, pk, metric_pk):
    """Change a metric's definition; its recorded values stay as they are."""
    program = _program(request, pk)
    metric = get_object_or_404(program.outcome_metrics, pk=metric_pk)
    return _metric_form(request, program, metric, outcome_metric_update, _("Metric saved."))


def _metric_form(request, program, metric, service, done):
    """The metric form, saved through `service` (given the program for a new metric, the
    metric for one that exists) and back to the metrics once it is."""
    form = MetricForm(request.POST or None, instance=metric, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        objectives = data.pop("performance_objectives")
        which = {"program": program} if metric is None else {"metric": metric}
        if save_form(
            request, form, service, **which, performance_objectives=objectives, **data, done=done
        ):
            return redirect("design:metrics", pk=program.pk)
    return render(
        request, "design/metric_form.html", {"program": program, "metric": metric, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def metrics(request, pk):
    """The program's metrics and their latest values; record values, one at a time or from
    a CSV file. Metrics are defined and changed on their own page."""
    program = _program(request, pk)
    measurement_form = MeasurementForm(program=program)
    import_form = ImportForm()
    if request.method == "POST":
        which = posted_form(request, ("measurement", "import"), default="import")
        try:
            if which == "measurement":
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
            form = measurement_form if which == "measurement" else import_form
            add_service_errors(form, error)
    page = metrics_page(program=program)
    measurement_form.offer(page["listing"])
    return render(
        request,
        "design/metrics.html",
        {
            "program": program,
            **page,
            "measurement_form": measurement_form,
            "import_form": import_form,
        },
    )
