"""The pathway builder: steps in order, versions, publishing."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.design.forms.pathway import StepForm
from areas.support import run_command, save_form
from programs.design import pathway_draft, pathway_latest, step_defaults
from programs.models import Step
from programs.services import (
    pathway_create,
    pathway_publish,
    program_step_add,
    step_move,
    step_remove,
    step_update,
)

from .base import program_for_designer, to_pathway


def _step(program, pk):
    return get_object_or_404(
        Step.objects.select_related("pathway").filter(pathway__program=program), pk=pk
    )


def _step_page(request, program, form, *, pathway=None, step=None):
    """The step form, on `pathway` (a new step: the draft version, if the newest is one)."""
    latest = pathway_latest(program=program)
    if step is None:
        pathway = pathway_draft(program=program, latest=latest)
    context = {
        "program": program,
        "form": form,
        "pathway": pathway,
        "step": step,
        "latest": latest,
    }
    return render(request, "design/step.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request, pk):
    """Add a step to the draft pathway; a published one gets a new draft version first."""
    program = program_for_designer(request, pk)
    initial = step_defaults(program=program, serves=request.GET.get("serves", ""))
    form = StepForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        step = save_form(
            request,
            form,
            program_step_add,
            program=program,
            **form.cleaned_data,
            done=lambda step: _("Step added to version %(v)s.") % {"v": step.pathway.version},
        )
        if step is not None:
            return to_pathway(program, f"step-{step.pk}")
    return _step_page(request, program, form)


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, pk, step_pk):
    program = program_for_designer(request, pk)
    step = _step(program, step_pk)
    form = StepForm(request.POST or None, instance=step, program=program)
    if request.method == "POST" and form.is_valid():
        if save_form(
            request, form, step_update, step=step, **form.cleaned_data, done=_("Step saved.")
        ):
            return to_pathway(program, f"step-{step.pk}")
    return _step_page(request, program, form, pathway=step.pathway, step=step)


@login_required
@require_POST
def move_step(request, pk, step_pk, direction):
    """Move a step up or down its draft pathway."""
    if direction not in ("up", "down"):
        raise Http404
    program = program_for_designer(request, pk)
    step = _step(program, step_pk)
    run_command(request, step_move, step=step, offset=-1 if direction == "up" else 1)
    return to_pathway(program, f"step-{step.pk}")


@login_required
@require_POST
def step_delete(request, pk, step_pk):
    program = program_for_designer(request, pk)
    step = _step(program, step_pk)
    done = _("Step “%(title)s” removed.") % {"title": step.title}
    run_command(request, step_remove, step=step, done=done)
    return to_pathway(program)


@login_required
@require_POST
def pathway_new_version(request, pk):
    program = program_for_designer(request, pk)
    run_command(
        request,
        pathway_create,
        program=program,
        change_note=request.POST.get("change_note", ""),
        done=lambda pathway: (
            _(
                "Version %(v)s started as a copy of the last one. Learners stay on the version "
                "they are on, before and after you publish it."
            )
            % {"v": pathway.version}
        ),
    )
    return to_pathway(program)


@login_required
@require_POST
def pathway_publish_view(request, pk, pathway_pk):
    program = program_for_designer(request, pk)
    pathway = get_object_or_404(program.pathways, pk=pathway_pk)
    done = _(
        "Version %(v)s is published: new learners start on it; everyone else keeps the "
        "version they are on."
    ) % {"v": pathway.version}
    run_command(request, pathway_publish, pathway=pathway, done=done)
    return to_pathway(program)
