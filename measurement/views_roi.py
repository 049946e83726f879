"""Return on investment for a program's designer: the cost ledger, how each metric's
benefit is isolated, and the resulting figures with their arithmetic."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from measurement.models import BenefitEstimate, CostItem, OutcomeMetric
from measurement.roi import explain_line, program_roi
from measurement.services import (
    COST_ITEM_FIELDS,
    benefit_estimate_set,
    cost_item_add,
    cost_item_remove,
    cost_item_update,
)
from programs.models import Program
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm


class CostItemForm(forms.ModelForm):
    class Meta:
        model = CostItem
        fields = list(COST_ITEM_FIELDS)
        widgets = {"incurred_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args, program, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.program = program


class BenefitEstimateForm(forms.ModelForm):
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


def _program(request, pk):
    program = get_visible_or_404(Program.objects.all(), request.user, pk=pk)
    require_perm(request.user, "measurement.manage_roi", program)
    return program


def _to_roi(program, anchor=""):
    return redirect(reverse("design:roi", args=[program.pk]) + (f"#{anchor}" if anchor else ""))


def _page(request, program, cost_form, status=200):
    items = list(CostItem.objects.filter(program=program))
    for item in items:
        item.explained = explain_line(item, program.currency)
    report = program_roi(program=program)
    return render(
        request,
        "design/roi.html",
        {"program": program, "items": items, "report": report, "cost_form": cost_form},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roi(request, pk):
    """The ROI page: figures with their arithmetic, the ledger and a form to add a line."""
    program = _program(request, pk)
    form = CostItemForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            cost_item_add(program=program, recorded_by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cost added to the ledger."))
            return _to_roi(program, "ledger")
    return _page(request, program, form)


@login_required
@require_http_methods(["GET", "POST"])
def cost_edit(request, pk, item_pk):
    program = _program(request, pk)
    item = get_object_or_404(CostItem, program=program, pk=item_pk)
    form = CostItemForm(request.POST or None, instance=item, program=program)
    if request.method == "POST" and form.is_valid():
        try:
            cost_item_update(item=CostItem.objects.get(pk=item.pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Cost line saved."))
            return _to_roi(program, "ledger")
    return render(request, "design/roi_cost.html", {"program": program, "item": item, "form": form})


@login_required
@require_POST
def cost_remove(request, pk, item_pk):
    program = _program(request, pk)
    item = get_object_or_404(CostItem, program=program, pk=item_pk)
    cost_item_remove(item=item)
    messages.success(request, _("Removed “%(line)s” from the ledger.") % {"line": item})
    return _to_roi(program, "ledger")


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request, pk, metric_pk):
    """How one metric's improvement is isolated and credited to the program."""
    program = _program(request, pk)
    metric = get_object_or_404(
        OutcomeMetric.objects.select_related("benefit_estimate"), program=program, pk=metric_pk
    )
    estimate = getattr(metric, "benefit_estimate", None)
    form = BenefitEstimateForm(request.POST or None, instance=estimate, metric=metric)
    if request.method == "POST" and form.is_valid():
        try:
            benefit_estimate_set(metric=metric, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Benefit estimate saved."))
            return _to_roi(program, "benefits")
    return render(
        request, "design/roi_benefit.html", {"program": program, "metric": metric, "form": form}
    )
