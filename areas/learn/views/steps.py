"""One step of the learner's pathway: what it asks, what completes it, the evidence so far,
and what the learner can do on it (write the reflection, mark it done)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from areas.learn.forms import StepDoneForm, StepReflectionForm
from areas.support import get_progress_or_404, require_perm, save_form, step_refusal
from coaching.records import step_evidence
from coaching.services import reflection_write
from measurement.learners import step_assessments
from programs.models import Step
from programs.rules import step_actions
from programs.selectors import step_detail
from programs.services import step_sign_off


def _render(request, progress, *, reflection_form=None, done_form=None, status=200):
    detail = step_detail(progress)
    view = detail.view
    evidence = step_evidence(view.progress, performance_objectives=view.performance_objectives)
    assessments = step_assessments(view.progress, learning_objectives=view.learning_objectives)
    is_learner = request.user.pk == detail.enrolment.learner_id
    context = {
        "detail": detail,
        "view": view,
        "enrolment": detail.enrolment,
        "evidence": evidence,
        "assessments": assessments,
        "has_evidence": bool(detail.assignments or assessments or evidence.any),
        "is_learner": is_learner,
        # The people around the learner record the assessment an open step waits for; the
        # learner's own rating never completes it, so they are not asked.
        "can_assess": not is_learner
        and view.is_open
        and view.step.completed_by == Step.Completion.ASSESSMENT
        and request.user.has_perm("measurement.assess", detail.enrolment),
        "actions": step_actions(request.user, view.progress),
        "reflection_form": reflection_form or StepReflectionForm(),
        "done_form": done_form or StepDoneForm(),
    }
    return render(request, "learn/step.html", context, status=status)


@login_required
@require_GET
def step(request, pk):
    """A step of my pathway: its description, objectives, due date, what completes it and
    the evidence so far. People who follow the learner read it too, without the actions."""
    return _render(request, get_progress_or_404(request.user, pk))


@login_required
@require_POST
def step_reflect(request, pk):
    """Write the reflection a step asks for; progression completes the step on it."""
    progress = get_progress_or_404(request.user, pk)
    require_perm(request.user, "coaching.write_reflection", progress.enrolment)
    form = StepReflectionForm(request.POST)
    if form.is_valid() and not step_actions(request.user, progress).reflect:
        # The journal takes a reflection on any step; this page writes the one it asks for.
        form.add_error(
            None,
            _(
                "This step asks for no reflection now: it is not open, or something else "
                "completes it. Your journal takes reflections on any step."
            ),
        )
    if form.is_valid() and save_form(
        request,
        form,
        reflection_write,
        enrolment=progress.enrolment,
        step=progress.step,
        **form.cleaned_data,
        done=_("Reflection saved with this step."),
    ):
        return redirect("learn:step", pk=progress.pk)
    return _render(request, progress, reflection_form=form, status=400)


@login_required
@require_POST
def step_done(request, pk):
    """Mark a self-paced step done, with a short note; progression completes it."""
    progress = get_progress_or_404(request.user, pk)
    require_perm(request.user, "programs.sign_off_step", progress, step_refusal(progress))
    form = StepDoneForm(request.POST)
    if form.is_valid() and save_form(
        request,
        form,
        step_sign_off,
        progress=progress,
        by=request.user,
        note=form.cleaned_data["note"],
        done=_("Step marked done."),
    ):
        return redirect("learn:step", pk=progress.pk)
    return _render(request, progress, done_form=form, status=400)
