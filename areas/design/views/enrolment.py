"""Enrolling one learner or a cohort, finding people to enrol, and managing an enrolment:
who works with the learner, their cohort, a pause, a resumption or a withdrawal."""

from itertools import groupby

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from areas.design.forms.enrolment import EnrolForm, EnrolmentPeopleForm, EnrolmentStatusForm
from areas.support import require_perm, save_form
from people.selectors import people_search
from programs.design import (
    observer_shortfalls,
    pathway_published,
    pathway_versions,
    program_roster,
    roster_with_versions,
)
from programs.models import Enrolment, ProgressEvent
from programs.services import cohort_enrol, enrolment_update

from .base import program_for_designer, require_designer

ROSTER_PAGE_SIZE = 50
# The latest pauses, resumptions and withdrawals shown on an enrolment's page.
HISTORY_SHOWN = 10


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    """Enrol one learner or a cohort, choosing supervisor and coach; the roster below."""
    program = program_for_designer(request, pk)
    require_perm(request.user, "programs.enrol_learners", program)
    form = EnrolForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        supervisor = data.pop("supervisor")
        enrolled = save_form(
            request,
            form,
            cohort_enrol,
            program=program,
            supervisor_for=(lambda learner: supervisor) if supervisor else None,
            **data,
            done=lambda enrolled: (
                ngettext(
                    "Enrolled %(n)d learner on pathway version %(v)s.",
                    "Enrolled %(n)d learners on pathway version %(v)s.",
                    len(enrolled),
                )
                % {"n": len(enrolled), "v": enrolled[0].pathway.version}
            ),
        )
        if enrolled is not None:
            # Enrolled all the same: a coach can be added on each enrolment's page.
            for warning in observer_warnings(observer_shortfalls(enrolments=enrolled)):
                messages.warning(request, warning)
            return redirect("design:enrol", pk=program.pk)
    versions = pathway_versions(program=program)
    page = Paginator(program_roster(program=program), ROSTER_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    page.object_list = roster_with_versions(page.object_list, versions=versions)
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "design/enrol.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "published": pathway_published(versions=versions),
            "query": query,
            "found": people_search(viewer=request.user, text=query) if query else None,
        },
    )


@login_required
@require_GET
def people_search_view(request):
    """People matching what is typed, as <option>s for a suggestion list or as a list to add
    from (`?as=list`); only people the designer may see are offered."""
    require_designer(request.user)
    text = request.GET.get("q") or next(
        (value for key, value in request.GET.items() if key not in ("as", "page")), ""
    )
    template = (
        "design/partials/_people_found.html"
        if request.GET.get("as") == "list"
        else "shared/_people_options.html"
    )
    found = people_search(viewer=request.user, text=text)
    return render(request, template, {"found": found, "query": text})


def observer_warnings(shortfalls) -> list[str]:
    """One warning per step some learners cannot complete for want of observers."""
    warnings = []
    by_step = groupby(sorted(shortfalls, key=lambda s: s.step.pk), key=lambda s: s.step)
    for step, short in by_step:
        short = list(short)
        words = {"step": step.title, "need": step.gate_min_observers}
        if len(short) == 1:
            words |= {"learner": short[0].enrolment.learner, "have": short[0].observers}
            text = _(
                "“%(step)s” needs observations from %(need)d different people, but only "
                "%(have)d can observe %(learner)s (supervisor, coach, line manager). Add a "
                "coach, or the step cannot complete."
            )
        else:
            words["n"] = len(short)
            text = _(
                "“%(step)s” needs observations from %(need)d different people, but fewer can "
                "observe %(n)d of these learners (supervisor, coach, line manager). Add a coach "
                "to their enrolments, or the step cannot complete."
            )
        warnings.append(text % words)
    return warnings


# What each action on an enrolment's page makes its status.
STATUS_ACTIONS = {
    "pause": Enrolment.Status.PAUSED,
    "resume": Enrolment.Status.ACTIVE,
    "withdraw": Enrolment.Status.WITHDRAWN,
}
# The actions offered on an enrolment in each status; a completed one keeps its status.
ACTIONS_FROM = {
    Enrolment.Status.ACTIVE: ("pause", "withdraw"),
    Enrolment.Status.PAUSED: ("resume", "withdraw"),
    Enrolment.Status.WITHDRAWN: ("resume",),
}


def _enrolment_for_designer(request, pk, enrolment_pk):
    """The program's enrolment, for its designer: 404 for one of another program."""
    program = program_for_designer(request, pk)
    enrolment = get_object_or_404(
        Enrolment.objects.select_related("learner", "supervisor", "coach", "cohort", "pathway"),
        program=program,
        pk=enrolment_pk,
    )
    enrolment.program = program
    require_perm(request.user, "programs.change_enrolment", enrolment)
    return program, enrolment


def _manage(request, program, enrolment, *, people_form=None, status_form=None, status=200):
    forms = {
        action: EnrolmentStatusForm(action=action, learner=enrolment.learner)
        for action in ACTIONS_FROM.get(enrolment.status, ())
    }
    if status_form is not None:
        forms[status_form.prefix] = status_form
    shortfalls = observer_shortfalls(enrolments=[enrolment])
    history = (
        enrolment.events.filter(type=ProgressEvent.Type.ENROLMENT_STATUS)
        .select_related("actor")
        .order_by("-occurred_at", "-recorded_at")[:HISTORY_SHOWN]
    )
    context = {
        "program": program,
        "enrolment": enrolment,
        "people_form": people_form or EnrolmentPeopleForm(enrolment=enrolment),
        "status_forms": forms,
        "warnings": observer_warnings(shortfalls),
        "history": history,
    }
    return render(request, "design/enrolment.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def enrolment_manage(request, pk, enrolment_pk):
    """One enrolment: change who works with the learner and their cohort; pause, resume or
    withdraw it."""
    program, enrolment = _enrolment_for_designer(request, pk, enrolment_pk)
    if request.method == "GET":
        return _manage(request, program, enrolment)
    form = EnrolmentPeopleForm(request.POST, enrolment=enrolment)
    if form.is_valid() and save_form(
        request,
        form,
        enrolment_update,
        enrolment=enrolment,
        by=request.user,
        **form.cleaned_data,
        done=_("Saved who works with %(learner)s.") % {"learner": enrolment.learner},
    ):
        return redirect("design:enrolment", pk=program.pk, enrolment_pk=enrolment.pk)
    # The service changed only its own copy: the page shows what is stored, the form what
    # was typed.
    return _manage(request, program, enrolment, people_form=form, status=400)


@login_required
@require_POST
def enrolment_status(request, pk, enrolment_pk, action):
    """Pause (with a reason), resume or withdraw (with a reason, confirmed) an enrolment."""
    if action not in STATUS_ACTIONS:
        raise Http404("No such change of status.")
    program, enrolment = _enrolment_for_designer(request, pk, enrolment_pk)
    learner = enrolment.learner
    form = EnrolmentStatusForm(request.POST, action=action, learner=learner)
    done = {
        "pause": _("Paused: %(learner)s's steps stand still until you resume the enrolment."),
        "resume": _("Resumed: %(learner)s moves on with the evidence recorded meanwhile."),
        "withdraw": _("Withdrawn: %(learner)s has left %(program)s."),
    }[action] % {"learner": learner, "program": program.name}
    if form.is_valid() and save_form(
        request,
        form,
        enrolment_update,
        enrolment=enrolment,
        by=request.user,
        status=STATUS_ACTIONS[action],
        reason=form.cleaned_data.get("reason", ""),
        done=done,
    ):
        return redirect("design:enrolment", pk=program.pk, enrolment_pk=enrolment.pk)
    return _manage(request, program, enrolment, status_form=form, status=400)
