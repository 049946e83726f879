"""The designer writes objectives backwards: performance first, then the understanding behind it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.design.forms.objectives import LearningObjectiveForm, PerformanceObjectiveForm
from areas.support import add_service_errors
from objectives.models import LearningObjective, PerformanceObjective
from objectives.services import (
    PERFORMANCE_OBJECTIVE_FIELDS,
    learning_objective_create,
    learning_objective_update,
    performance_objective_create,
    performance_objective_update,
)

from .base import program_for_designer, to_pathway


def _objective_form_page(request, program, objective=None):
    form = PerformanceObjectiveForm(
        request.POST or None,
        instance=objective or PerformanceObjective(program=program),
        program=program,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PERFORMANCE_OBJECTIVE_FIELDS}
        metrics = form.cleaned_data["outcome_metrics"]
        try:
            if objective is None:
                saved = performance_objective_create(
                    program=program, outcome_metrics=metrics, **fields
                )
            else:
                saved = performance_objective_update(
                    objective=objective, outcome_metrics=metrics, **fields
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if objective is not None:
                messages.success(request, _("Performance objective saved."))
                return redirect(reverse("design:program", args=[program.pk]) + f"#po-{saved.pk}")
            messages.success(
                request,
                _(
                    "Performance objective saved. Now work backwards: what do they need to "
                    "understand to do this well?"
                ),
            )
            return redirect("design:learning_new", pk=program.pk, objective_pk=saved.pk)
    return render(
        request, "design/objective.html", {"program": program, "form": form, "objective": objective}
    )


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request, pk):
    """Write a performance objective first: the SMART form."""
    return _objective_form_page(request, program_for_designer(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, pk, objective_pk):
    program = program_for_designer(request, pk)
    objective = get_object_or_404(program.performance_objectives, pk=objective_pk)
    return _objective_form_page(request, program, objective)


@login_required
@require_POST
def objective_check(request, pk):
    """Say what the objective still lacks while it is being written (htmx); saves nothing.

    Answers with the message boxes only, each swapped into place out of band.
    """
    program = program_for_designer(request, pk)
    form = PerformanceObjectiveForm(
        request.POST, instance=PerformanceObjective(program=program), program=program
    )
    form.is_valid()
    return render(
        request, "design/partials/_objective_check.html", {"program": program, "form": form}
    )


def _learning_page(request, program, objective, learning=None):
    form = LearningObjectiveForm(
        request.POST or None,
        instance=learning or LearningObjective(program=program),
        program=program,
        with_performance_objectives=learning is not None,
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            if learning is None:
                learning_objective_create(
                    program=program, performance_objectives=[objective], **data
                )
            else:
                learning_objective_update(objective=learning, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            if learning is None:
                messages.success(
                    request,
                    _(
                        "Learning objective saved. Add another behind it, or add a step that "
                        "practises both."
                    ),
                )
                return to_pathway(program, f"po-{objective.pk}")
            messages.success(request, _("Learning objective saved."))
            return to_pathway(program, "objectives")
    return render(
        request,
        "design/learning.html",
        {"program": program, "objective": objective, "learning": learning, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_new(request, pk, objective_pk):
    """Work backwards: the understanding behind one performance objective."""
    program = program_for_designer(request, pk)
    objective = get_object_or_404(program.performance_objectives, pk=objective_pk)
    return _learning_page(request, program, objective)


@login_required
@require_http_methods(["GET", "POST"])
def learning_edit(request, pk, learning_pk):
    """Change a learning objective and which performance objectives it supports."""
    program = program_for_designer(request, pk)
    learning = get_object_or_404(
        program.learning_objectives.select_related("competency"), pk=learning_pk
    )
    return _learning_page(request, program, None, learning)
