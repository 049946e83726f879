"""Return on investment for a program's designer: the cost ledger, how each metric's
benefit is isolated, and the resulting figures with their arithmetic."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.design.forms.roi import BenefitEstimateForm, CostItemForm
from areas.support import get_program_or_404, run_command, save_form
from measurement.roi import roi_page
from measurement.services import (
    benefit_estimate_set,
    cost_item_add,
    cost_item_remove,
    cost_item_update,
)


def _program(request, pk):
    return get_program_or_404(request.user, pk, "measurement.manage_roi")


def _to_roi(program, anchor=""):
    return redirect(reverse("design:roi", args=[program.pk]) + (f"#{anchor}" if anchor else ""))


def _page(request, program, cost_form, status=200):
    return render(
        request,
        "design/roi.html",
        {"program": program, "cost_form": cost_form, **roi_page(program=program)},
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def roi(request, pk):
    """The ROI page: figures with their arithmetic, the ledger and a form to add a line."""
    program = _program(request, pk)
    form = CostItemForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request,
            form,
            cost_item_add,
            program=program,
            recorded_by=request.user,
            **form.cleaned_data,
            done=_("Cost added to the ledger."),
        ):
            return _to_roi(program, "ledger")
    return _page(request, program, form)


@login_required
@require_http_methods(["GET", "POST"])
def cost_edit(request, pk, item_pk):
    program = _program(request, pk)
    item = get_object_or_404(program.cost_items, pk=item_pk)
    form = CostItemForm(request.POST or None, instance=item, program=program)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request,
            form,
            cost_item_update,
            item=item,
            **form.cleaned_data,
            done=_("Cost line saved."),
        ):
            return _to_roi(program, "ledger")
    return render(request, "design/roi_cost.html", {"program": program, "item": item, "form": form})


@login_required
@require_POST
def cost_remove(request, pk, item_pk):
    program = _program(request, pk)
    item = get_object_or_404(program.cost_items, pk=item_pk)
    done = _("Removed “%(line)s” from the ledger.") % {"line": item}
    run_command(request, cost_item_remove, item=item, done=done)
    return _to_roi(program, "ledger")


@login_required
@require_http_methods(["GET", "POST"])
def benefit_edit(request, pk, metric_pk):
    """How one metric's improvement is isolated and credited to the program."""
    program = _program(request, pk)
    metric = get_object_or_404(
        program.outcome_metrics.select_related("benefit_estimate"), pk=metric_pk
    )
    estimate = getattr(metric, "benefit_estimate", None)
    form = BenefitEstimateForm(request.POST or None, instance=estimate, metric=metric)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request,
            form,
            benefit_estimate_set,
            metric=metric,
            **form.cleaned_data,
            done=_("Benefit estimate saved."),
        ):
            return _to_roi(program, "benefits")
    return render(
        request, "design/roi_benefit.html", {"program": program, "metric": metric, "form": form}
    )
