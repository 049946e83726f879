"""The program designer's pages: backwards design, the pathway builder, enrolment, the audit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.selectors import observer_calibration
from objectives.forms import LearningObjectiveForm, PerformanceObjectiveForm
from objectives.models import LearningObjective, PerformanceObjective
from objectives.services import (
    learning_objective_create,
    performance_objective_create,
    performance_objective_update,
)
from programs.audit import program_audit
from programs.forms_design import EnrolForm, ProgramForm, StepForm
from programs.models import Enrolment, Pathway, Program, Step
from programs.services import (
    cohort_create,
    cohort_enrol,
    pathway_create,
    pathway_publish,
    pathway_reorder,
    program_create,
    step_add,
    step_remove,
    step_update,
)
from talentdev.access import is_hr_admin
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm


def _designable(user):
    programs = Program.objects.visible_to(user)
    return programs if is_hr_admin(user) else programs.filter(owner=user)


def _program(request, pk):
    """A program the person may design: 404 if they cannot see it, 403 if only see it."""
    program = get_visible_or_404(Program.objects.select_related("framework"), request.user, pk=pk)
    require_perm(request.user, "programs.change_program", program)
    return program


def _latest_pathway(program):
    return (
        Pathway.objects.filter(program=program)
        .order_by("-version")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=Step.objects.order_by("position").prefetch_related(
                    "learning_objectives", "performance_objectives"
                ),
            )
        )
        .first()
    )


@login_required
@require_GET
def home(request):
    """The programs a person designs, with the size of each and its pathway version."""
    programs = (
        _designable(request.user)
        .select_related("owner")
        .annotate(
            performance_count=Count("performance_objectives", distinct=True),
            learning_count=Count("learning_objectives", distinct=True),
            learners=Count(
                "enrolments",
                filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN),
                distinct=True,
            ),
            versions=Count("pathways", distinct=True),
        )
        .order_by("name")
    )
    return render(request, "design/home.html", {"programs": programs})


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    """Start a program (HR admins)."""
    if not is_hr_admin(request.user):
        raise PermissionDenied
    form = ProgramForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            program = program_create(owner=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Program created. Start with the performance objectives."))
            return redirect("design:program", pk=program.pk)
    return render(request, "design/program_form.html", {"form": form})


@login_required
@require_GET
def program_detail(request, pk):
    """Backwards design in one place: performance objectives, the why behind each, the pathway."""
    program = _program(request, pk)
    objectives = PerformanceObjective.objects.filter(program=program).prefetch_related(
        "learning_objectives__competency", "outcome_metrics"
    )
    orphans = LearningObjective.objects.filter(
        program=program, performance_objectives__isnull=True
    ).select_related("competency")
    pathway = _latest_pathway(program)
    versions = (
        Pathway.objects.filter(program=program)
        .annotate(
            learners=Count("enrolments", filter=~Q(enrolments__status=Enrolment.Status.WITHDRAWN))
        )
        .order_by("-version")
    )
    return render(
        request,
        "design/program.html",
        {
            "program": program,
            "objectives": objectives,
            "orphans": orphans,
            "pathway": pathway,
            "versions": versions,
            "findings": len(program_audit(program=program)),
            "metrics": program.outcome_metrics.order_by("name"),
        },
    )


def _objective_form_page(request, program, objective=None):
    form = PerformanceObjectiveForm(
        request.POST or None,
        instance=objective or PerformanceObjective(program=program),
        program=program,
    )
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in PerformanceObjectiveForm.Meta.fields}
        try:
            if objective is None:
                objective = performance_objective_create(program=program, **fields)
            else:
                objective = performance_objective_update(objective=objective, **fields)
            objective.outcome_metrics.set(form.cleaned_data["outcome_metrics"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Performance objective saved. Now: what do they need to understand to do "
                    "this well?"
                ),
            )
            return redirect("design:learning_new", pk=program.pk, objective_pk=objective.pk)
    template = "design/partials/_objective_form.html" if request.htmx else "design/objective.html"
    return render(request, template, {"program": program, "form": form, "objective": objective})


@login_required
@require_http_methods(["GET", "POST"])
def objective_new(request, pk):
    """Write a performance objective first: the SMART form."""
    return _objective_form_page(request, _program(request, pk))


@login_required
@require_http_methods(["GET", "POST"])
def objective_edit(request, pk, objective_pk):
    program = _program(request, pk)
    objective = get_object_or_404(PerformanceObjective, program=program, pk=objective_pk)
    return _objective_form_page(request, program, objective)


@login_required
@require_POST
def objective_check(request, pk):
    """Say what the objective still lacks while it is being written (htmx); saves nothing."""
    program = _program(request, pk)
    form = PerformanceObjectiveForm(
        request.POST, instance=PerformanceObjective(program=program), program=program
    )
    form.is_valid()
    return render(
        request, "design/partials/_objective_form.html", {"program": program, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_new(request, pk, objective_pk):
    """Work backwards: the understanding behind one performance objective."""
    program = _program(request, pk)
    objective = get_object_or_404(PerformanceObjective, program=program, pk=objective_pk)
    form = LearningObjectiveForm(
        request.POST or None, instance=LearningObjective(program=program), program=program
    )
    if request.method == "POST" and form.is_valid():
        try:
            learning_objective_create(
                program=program, performance_objectives=[objective], **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Learning objective saved."))
            return redirect(reverse("design:program", args=[program.pk]) + "#pathway")
    return render(
        request,
        "design/learning.html",
        {"program": program, "objective": objective, "form": form},
    )


def _draft(program):
    pathway = program.pathways.order_by("-version").first()
    if pathway is None or not pathway.is_editable:
        return None
    return pathway


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request, pk):
    """Add a step to the draft pathway; a published one gets a new draft version first."""
    program = _program(request, pk)
    pathway = _draft(program)
    form = StepForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        los, pos = data.pop("learning_objectives"), data.pop("performance_objectives")
        try:
            if pathway is None:
                pathway = pathway_create(program=program)
            step_add(pathway=pathway, learning_objectives=los, performance_objectives=pos, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step added to version %(v)s.") % {"v": pathway.version})
            return redirect(reverse("design:program", args=[program.pk]) + "#pathway")
    return render(
        request, "design/step.html", {"program": program, "form": form, "pathway": pathway}
    )


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, pk, step_pk):
    program = _program(request, pk)
    step = get_object_or_404(Step, pathway__program=program, pk=step_pk)
    form = StepForm(request.POST or None, instance=step, program=program)
    if not step.pathway.is_editable:
        messages.info(
            request,
            _(
                "Version %(v)s is published: learners are on it. Start a new version to change "
                "this step."
            )
            % {"v": step.pathway.version},
        )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        los, pos = data.pop("learning_objectives"), data.pop("performance_objectives")
        try:
            step_update(step=step, learning_objectives=los, performance_objectives=pos, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step saved."))
            return redirect(reverse("design:program", args=[program.pk]) + "#pathway")
    return render(
        request,
        "design/step.html",
        {"program": program, "form": form, "pathway": step.pathway, "step": step},
    )


@login_required
@require_POST
def step_move(request, pk, step_pk, direction):
    """Move a step up or down its draft pathway."""
    if direction not in ("up", "down"):
        raise Http404
    program = _program(request, pk)
    step = get_object_or_404(Step, pathway__program=program, pk=step_pk)
    order = list(step.pathway.steps.order_by("position").values_list("pk", flat=True))
    index = order.index(step.pk)
    target = index - 1 if direction == "up" else index + 1
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        try:
            pathway_reorder(pathway=step.pathway, step_ids=order)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
    return redirect(reverse("design:program", args=[program.pk]) + "#pathway")


@login_required
@require_POST
def step_delete(request, pk, step_pk):
    program = _program(request, pk)
    step = get_object_or_404(Step, pathway__program=program, pk=step_pk)
    try:
        step_remove(step=step)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Step removed."))
    return redirect(reverse("design:program", args=[program.pk]) + "#pathway")


@login_required
@require_POST
def pathway_new_version(request, pk):
    program = _program(request, pk)
    try:
        pathway = pathway_create(program=program, change_note=request.POST.get("change_note", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Version %(v)s started as a copy. Learners stay on their version until you "
                "publish, and after."
            )
            % {"v": pathway.version},
        )
    return redirect(reverse("design:program", args=[program.pk]) + "#pathway")


@login_required
@require_POST
def pathway_publish_view(request, pk, pathway_pk):
    program = _program(request, pk)
    pathway = get_object_or_404(Pathway, program=program, pk=pathway_pk)
    try:
        pathway_publish(pathway=pathway)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Version %(v)s is published: new learners start on it; everyone else keeps the "
                "version they are on."
            )
            % {"v": pathway.version},
        )
    return redirect(reverse("design:program", args=[program.pk]) + "#pathway")


@login_required
@require_http_methods(["GET", "POST"])
def enrol(request, pk):
    """Enrol one learner or a cohort, choosing supervisor and coach; the roster below."""
    program = _program(request, pk)
    require_perm(request.user, "programs.enrol_learners", program)
    form = EnrolForm(request.POST or None, program=program)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        supervisor = data["supervisor"]
        try:
            cohort = data["cohort"]
            if data["new_cohort"]:
                cohort = cohort_create(
                    program=program, name=data["new_cohort"], starts_on=data["enrolled_on"]
                )
            enrolled = cohort_enrol(
                program=program,
                learners=data["learners"],
                enrolled_on=data["enrolled_on"],
                supervisor_for=(lambda learner: supervisor) if supervisor else None,
                coach=data["coach"],
                cohort=cohort,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Enrolled %(n)d learner(s) on pathway version %(v)s.")
                % {"n": len(enrolled), "v": enrolled[0].pathway.version},
            )
            return redirect("design:enrol", pk=program.pk)
    roster = (
        Enrolment.objects.filter(program=program)
        .select_related("learner", "supervisor", "coach", "cohort", "pathway")
        .order_by("learner__last_name", "learner__first_name")
    )
    return render(
        request, "design/enrol.html", {"program": program, "form": form, "roster": roster}
    )


def _fix_url(program, finding):
    subject = finding.subject
    label = subject._meta.label_lower
    if label == "objectives.performanceobjective":
        return reverse("design:objective_edit", args=[program.pk, subject.pk])
    if label == "programs.step":
        return reverse("design:step_edit", args=[program.pk, subject.pk])
    if label == "objectives.learningobjective":
        return reverse("design:program", args=[program.pk]) + f"#lo-{subject.pk}"
    if finding.code == "no_outcome_metrics":
        return reverse("design:metrics", args=[program.pk])
    if finding.code in ("no_performance_objectives",):
        return reverse("design:objective_new", args=[program.pk])
    return reverse("design:program", args=[program.pk]) + "#pathway"


@login_required
@require_GET
def audit(request, pk):
    """Every break in the line of sight, in plain language, each with a link to fix it."""
    program = _program(request, pk)
    findings = [
        {"finding": finding, "url": _fix_url(program, finding)}
        for finding in program_audit(program=program)
    ]
    return render(request, "design/audit.html", {"program": program, "findings": findings})


@login_required
@require_GET
def calibration(request, pk):
    """How far observers agree when they rate the same learners on the same objective."""
    program = _program(request, pk)
    return render(
        request,
        "design/calibration.html",
        {
            "program": program,
            "rows": observer_calibration(program=program),
            "flag": FLAG_GAP,
            "harsh": -FLAG_GAP,
        },
    )


# A rater whose mean differs from the others' by a full level or more stands out.
FLAG_GAP = 1.0
