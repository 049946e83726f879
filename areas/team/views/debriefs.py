"""A structured debrief after an assignment."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from areas.support import (
    get_enrolment_or_404,
    get_visible_or_404,
    require_perm,
    run_command,
    save_form,
)
from areas.team.forms import DebriefForm, NextActionFormSet
from coaching.models import DebriefAction
from coaching.selectors import debrief_action_owners
from coaching.services import debrief_action_done, debrief_record
from programs.selectors import assignment_details
from programs.services import assignment_judge_refusal


def _debriefed(debrief) -> str:
    """What the person who ran the debrief reads: whether the work is done or went back."""
    assignment = debrief.assignment
    if assignment is None or assignment.status == assignment.Status.COMPLETED:
        return _("Debrief recorded with its next actions.")
    return _(
        "Debrief recorded: not every criterion is met, so the assignment went back to "
        "%(learner)s for rework."
    ) % {"learner": assignment.enrolment.learner}


@login_required
@require_http_methods(["GET", "POST"])
def debrief(request, pk):
    """A structured debrief after an assignment, one question per success criterion."""
    assignment = get_visible_or_404(assignment_details(), request.user, pk=pk)
    enrolment = assignment.enrolment
    require_perm(request.user, "coaching.run_debrief", enrolment)
    criteria = assignment.success_criteria.all()
    owners = debrief_action_owners(enrolment=enrolment, facilitator=request.user)
    form = DebriefForm(request.POST or None, criteria=criteria)
    actions = NextActionFormSet(
        request.POST or None, prefix="actions", form_kwargs={"owners": owners}
    )
    if request.method == "POST" and form.is_valid() and actions.is_valid():
        notes, verdicts = form.criteria_review()
        data = form.cleaned_data
        if save_form(
            request,
            form,
            debrief_record,
            enrolment=enrolment,
            assignment=assignment,
            facilitator=request.user,
            held_at=timezone.now(),
            what_happened=f"{data['what_happened']}\n\n{notes}".strip(),
            what_went_well=data["what_went_well"],
            what_to_change=data["what_to_change"],
            lessons=data["lessons"],
            actions=[a for a in actions.cleaned_data if a],
            criteria_verdicts=verdicts,
            done=_debriefed,
        ):
            return redirect("team:home")
    return render(
        request,
        "team/debrief.html",
        {
            "assignment": assignment,
            "form": form,
            "actions": actions,
            # Said before the form is filled in, not after: work is judged once.
            "refusal": None if form.is_bound else assignment_judge_refusal(assignment),
        },
    )


@login_required
@require_POST
def action_done(request, pk):
    """Mark a debrief's next action done, from the learner's record."""
    action = get_object_or_404(DebriefAction.objects.select_related("debrief"), pk=pk)
    # Those who run the learner's debriefs close their actions; 404 to whoever cannot see it.
    enrolment = get_enrolment_or_404(
        request.user, action.debrief.enrolment_id, "coaching.run_debrief"
    )
    run_command(request, debrief_action_done, action=action, done=_("Next action marked done."))
    return redirect("team:learner", pk=enrolment.pk)
