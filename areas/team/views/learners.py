"""A learner's record for the people who work with them: their pathway step by step, who
signed off what, their assignments, coaching sessions and debriefs; signing off or skipping
a step and giving an assignment."""

from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.support import (
    get_enrolment_or_404,
    get_progress_or_404,
    require_perm,
    save_form,
    step_refusal,
)
from areas.team.forms import AssignmentForm, CriterionFormSet, StepSignOffForm, StepSkipForm
from coaching.records import coaching_records
from measurement.learners import latest_assessments
from objectives.models import PerformanceObjective
from programs.progression import competency_standings
from programs.rules import step_actions, works_with
from programs.selectors import StepView, pathway_of
from programs.services import assignment_create, step_sign_off, step_skip
from talentdev.core.prepared import planned_once


@dataclass
class StepRow:
    """A step on the learner's record with what the reader may do on it."""

    view: StepView
    sign_off_form: StepSignOffForm | None
    skip_form: StepSkipForm | None


def _rows(user, pathway, bound=None):
    """Each step with its sign-off and skip forms where the reader may use them; `bound`
    is (progress id, form) of a form sent back with its errors."""
    rows = []
    for view in pathway.steps:
        progress = view.progress
        actions = step_actions(user, progress)
        sign_off = StepSignOffForm(prefix=f"s{progress.pk}") if actions.sign_off else None
        skip = StepSkipForm(prefix=f"k{progress.pk}") if actions.skip else None
        if bound and bound[0] == progress.pk:
            if isinstance(bound[1], StepSkipForm):
                skip = bound[1]
            else:
                sign_off = bound[1]
        rows.append(StepRow(view=view, sign_off_form=sign_off, skip_form=skip))
    return rows


def _render(request, enrolment, *, bound=None, status=200):
    pathway = pathway_of(enrolment)
    follows = works_with(request.user, enrolment)
    context = {
        "enrolment": pathway.enrolment,
        "pathway": pathway,
        "rows": _rows(request.user, pathway, bound),
        "record": coaching_records([pathway.enrolment], limit=10)[enrolment.pk],
        "standing": competency_standings([pathway.enrolment])[enrolment.pk],
        "assessments": latest_assessments(enrolment=enrolment),
        # The team page's observation form lists the unfinished learners one works with.
        "can_observe": pathway.enrolment.is_unfinished and follows,
        # A program's designer comes here from its roster, and goes back there.
        "from_roster": not follows
        and request.user.has_perm("programs.change_program", enrolment.program),
        # Work is given and coaching held while the learner is still on their way.
        "can_assign": pathway.enrolment.takes_assignments
        and request.user.has_perm("programs.give_assignment", pathway.enrolment),
        "can_coach": pathway.enrolment.is_unfinished
        and request.user.has_perm("coaching.hold_session", pathway.enrolment),
        "can_debrief": request.user.has_perm("coaching.run_debrief", pathway.enrolment),
        "can_settle": request.user.has_perm("coaching.settle_commitment", pathway.enrolment),
        "can_manage": request.user.has_perm("programs.change_enrolment", pathway.enrolment),
        "can_assess": pathway.enrolment.is_unfinished
        and request.user.has_perm("measurement.assess", pathway.enrolment),
    }
    return render(request, "team/learner.html", context, status=status)


@login_required
@require_GET
@planned_once("team_learner")
def learner(request, pk):
    """A learner's record on one program, for the people who follow them."""
    return _render(request, get_enrolment_or_404(request.user, pk, "programs.view_enrolment"))


def _decide(request, pk, *, perm, form_class, prefix, service, done):
    """A person's decision on a step (sign-off or skip), with what its form asks (a note
    or a reason): saved through `service`, or the record again with the form's errors."""
    progress = get_progress_or_404(request.user, pk)
    require_perm(request.user, perm, progress, step_refusal(progress))
    form = form_class(request.POST, prefix=f"{prefix}{progress.pk}")
    if form.is_valid() and save_form(
        request, form, service, progress=progress, by=request.user, **form.cleaned_data, done=done
    ):
        return redirect("team:learner", pk=progress.enrolment_id)
    # The record again, its enrolment read with what the record shows of it.
    enrolment = get_enrolment_or_404(request.user, progress.enrolment_id, "programs.view_enrolment")
    return _render(request, enrolment, bound=(progress.pk, form), status=400)


@login_required
@require_POST
def sign_off(request, pk):
    """Sign off a learner's step the supervisor completes, saying what was seen."""
    return _decide(
        request,
        pk,
        perm="programs.sign_off_step",
        form_class=StepSignOffForm,
        prefix="s",
        service=step_sign_off,
        done=_("Step signed off."),
    )


@login_required
@require_POST
def skip(request, pk):
    """Skip a step its designer allows to be skipped, with the reason."""
    return _decide(
        request,
        pk,
        perm="programs.skip_step",
        form_class=StepSkipForm,
        prefix="k",
        service=step_skip,
        done=_("Step skipped."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_new(request, pk):
    """Give the learner an on-the-job assignment, each success criterion tied to a
    performance objective of their program."""
    enrolment = get_enrolment_or_404(request.user, pk, "programs.give_assignment")
    objectives = PerformanceObjective.objects.filter(program=enrolment.program).order_by("id")
    data = request.POST or None
    form = AssignmentForm(data, enrolment=enrolment)
    criteria = CriterionFormSet(data, prefix="criteria", form_kwargs={"objectives": objectives})
    if request.method == "POST" and form.is_valid() and criteria.is_valid():
        given = [c for c in criteria.cleaned_data if c]
        if save_form(
            request,
            form,
            assignment_create,
            enrolment=enrolment,
            **form.cleaned_data,
            criteria=given,
            by=request.user,
            done=_("Assignment given to %(learner)s.") % {"learner": enrolment.learner},
        ):
            return redirect("team:learner", pk=enrolment.pk)
    return render(
        request,
        "team/assignment_form.html",
        {"enrolment": enrolment, "form": form, "criteria": criteria},
        status=400 if request.method == "POST" else 200,
    )
