"""The program designer's pages: backwards design, the pathway builder, enrolment, the audit.

Every page starts from `_program`: a program the person cannot see answers 404, one they
can see but not design (a learner or sponsor on it) answers 403.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from coaching.selectors import observer_calibration
from objectives.forms import LearningObjectiveForm, PerformanceObjectiveForm
from objectives.models import LearningObjective, PerformanceObjective
from objectives.services import (
    PERFORMANCE_OBJECTIVE_FIELDS,
    learning_objective_create,
    learning_objective_update,
    performance_objective_create,
    performance_objective_outcome_metrics_set,
    performance_objective_update,
)
from people.selectors import people_search
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
    program_update,
    step_add,
    step_remove,
    step_update,
)
from talentdev.access import is_hr_admin
from talentdev.views_support import add_service_errors, get_visible_or_404, require_perm

ROSTER_PAGE_SIZE = 50
CURRENT = ~Q(status=Enrolment.Status.WITHDRAWN)


def _designable(user):
    programs = Program.objects.visible_to(user)
    return programs if is_hr_admin(user) else programs.filter(owner=user)


def _program(request, pk):
    """A program the person may design: 404 if they cannot see it, 403 if they only see it."""
    program = get_visible_or_404(Program.objects.select_related("framework"), request.user, pk=pk)
    require_perm(request.user, "programs.change_program", program)
    return program


def _require_designer(user):
    require_perm(user, "programs.add_program")


def _per_program(queryset, value="n", **annotation):
    """A correlated subquery giving one value per program row (0 when there is none).

    Subqueries rather than joins: counting objectives, enrolments and versions through joins
    would multiply the rows by each other before counting.
    """
    rows = queryset.filter(program=OuterRef("pk")).order_by().values("program")
    if annotation:
        rows = rows.annotate(**annotation)
    return Coalesce(Subquery(rows.values(value)[:1]), 0, output_field=IntegerField())


def _latest(queryset, field):
    return Subquery(queryset.filter(program=OuterRef("pk")).order_by("-version").values(field)[:1])


def _to_pathway(program, anchor="pathway"):
    return redirect(reverse("design:program", args=[program.pk]) + f"#{anchor}")


@login_required
@require_GET
def home(request):
    """The programs a person designs: status, pathway versions and how big each one is."""
    _require_designer(request.user)
    pathways = Pathway.objects.all()
    programs = (
        _designable(request.user)
        .select_related("owner")
        .annotate(
            performance_count=_per_program(PerformanceObjective.objects.all(), n=Count("pk")),
            learning_count=_per_program(LearningObjective.objects.all(), n=Count("pk")),
            learners=_per_program(Enrolment.objects.filter(CURRENT), n=Count("pk")),
            latest_version=_latest(pathways, "version"),
            latest_status=_latest(pathways, "status"),
            published_version=_latest(pathways.filter(status=Pathway.Status.PUBLISHED), "version"),
        )
        .order_by("name")
    )
    return render(request, "design/home.html", {"programs": programs})


@login_required
@require_http_methods(["GET", "POST"])
def program_new(request):
    """Start a program; its owner is whoever starts it unless an HR admin names someone."""
    _require_designer(request.user)
    form = ProgramForm(
        request.POST or None,
        initial={"owner": request.user},
        may_choose_owner=is_hr_admin(request.user),
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.setdefault("owner", request.user)
        try:
            program = program_create(**data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _(
                    "Program created. Start with what people will do differently: write the "
                    "performance objectives first."
                ),
            )
            return redirect("design:program", pk=program.pk)
    return render(request, "design/program_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def program_edit(request, pk):
    program = _program(request, pk)
    form = ProgramForm(
        request.POST or None, instance=program, may_choose_owner=is_hr_admin(request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            program_update(program=Program.objects.get(pk=program.pk), **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Program saved."))
            return redirect("design:program", pk=program.pk)
    return render(request, "design/program_form.html", {"form": form, "program": program})


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
def program_detail(request, pk):
    """Backwards design in one place: performance objectives, the why behind each, the pathway."""
    program = _program(request, pk)
    objectives = PerformanceObjective.objects.filter(program=program).prefetch_related(
        Prefetch(
            "learning_objectives",
            queryset=LearningObjective.objects.select_related("competency").order_by("id"),
        ),
        "outcome_metrics",
    )
    orphans = LearningObjective.objects.filter(
        program=program, performance_objectives__isnull=True
    ).select_related("competency")
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
            "pathway": _latest_pathway(program),
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
        fields = {name: form.cleaned_data[name] for name in PERFORMANCE_OBJECTIVE_FIELDS}
        try:
            # Both writes or neither: an objective is not half-saved without its metrics.
            with transaction.atomic():
                if objective is None:
                    saved = performance_objective_create(program=program, **fields)
                else:
                    saved = performance_objective_update(
                        objective=PerformanceObjective.objects.get(pk=objective.pk), **fields
                    )
                performance_objective_outcome_metrics_set(
                    objective=saved, outcome_metrics=form.cleaned_data["outcome_metrics"]
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
    """Say what the objective still lacks while it is being written (htmx); saves nothing.

    Answers with the message boxes only, each swapped into place out of band.
    """
    program = _program(request, pk)
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
                learning_objective_update(
                    objective=LearningObjective.objects.get(pk=learning.pk), **data
                )
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
                return _to_pathway(program, f"po-{objective.pk}")
            messages.success(request, _("Learning objective saved."))
            return _to_pathway(program, "objectives")
    return render(
        request,
        "design/learning.html",
        {"program": program, "objective": objective, "learning": learning, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def learning_new(request, pk, objective_pk):
    """Work backwards: the understanding behind one performance objective."""
    program = _program(request, pk)
    objective = get_object_or_404(PerformanceObjective, program=program, pk=objective_pk)
    return _learning_page(request, program, objective)


@login_required
@require_http_methods(["GET", "POST"])
def learning_edit(request, pk, learning_pk):
    """Change a learning objective and which performance objectives it supports."""
    program = _program(request, pk)
    learning = get_object_or_404(
        LearningObjective.objects.select_related("competency"), program=program, pk=learning_pk
    )
    return _learning_page(request, program, None, learning)


def _draft(program):
    pathway = program.pathways.order_by("-version").first()
    if pathway is None or not pathway.is_editable:
        return None
    return pathway


def _step_initial(request, program):
    """`?serves=<performance objective>` ticks it and the learning objectives behind it."""
    serves = request.GET.get("serves", "")
    if not serves.isdigit():
        return {}
    objective = (
        PerformanceObjective.objects.filter(program=program, pk=serves)
        .prefetch_related("learning_objectives")
        .first()
    )
    if objective is None:
        return {}
    return {
        "performance_objectives": [objective],
        "learning_objectives": list(objective.learning_objectives.all()),
    }


def _next_difficulty(program):
    """A new step starts as hard as the last one: difficulty should not fall along the way."""
    return (
        Step.objects.filter(pathway__program=program)
        .order_by("-pathway__version", "-position")
        .values_list("difficulty", flat=True)
        .first()
    ) or 1


@login_required
@require_http_methods(["GET", "POST"])
def step_new(request, pk):
    """Add a step to the draft pathway; a published one gets a new draft version first."""
    program = _program(request, pk)
    pathway = _draft(program)
    initial = {"difficulty": _next_difficulty(program), **_step_initial(request, program)}
    form = StepForm(request.POST or None, program=program, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        los, pos = data.pop("learning_objectives"), data.pop("performance_objectives")
        try:
            with transaction.atomic():
                if pathway is None:
                    pathway = pathway_create(program=program)
                step = step_add(
                    pathway=pathway, learning_objectives=los, performance_objectives=pos, **data
                )
        except ValidationError as error:
            pathway = _draft(program)  # a version started inside the failed attempt is gone
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step added to version %(v)s.") % {"v": pathway.version})
            return _to_pathway(program, f"step-{step.pk}")
    return render(
        request,
        "design/step.html",
        {"program": program, "form": form, "pathway": pathway, "latest": _latest_version(program)},
    )


def _latest_version(program):
    return program.pathways.order_by("-version").first()


@login_required
@require_http_methods(["GET", "POST"])
def step_edit(request, pk, step_pk):
    program = _program(request, pk)
    step = get_object_or_404(
        Step.objects.select_related("pathway"), pathway__program=program, pk=step_pk
    )
    form = StepForm(request.POST or None, instance=step, program=program)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        los, pos = data.pop("learning_objectives"), data.pop("performance_objectives")
        try:
            step_update(step=step, learning_objectives=los, performance_objectives=pos, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Step saved."))
            return _to_pathway(program, f"step-{step.pk}")
    return render(
        request,
        "design/step.html",
        {
            "program": program,
            "form": form,
            "pathway": step.pathway,
            "step": step,
            "latest": _latest_version(program),
        },
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
    return _to_pathway(program, f"step-{step.pk}")


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
        messages.success(request, _("Step “%(title)s” removed.") % {"title": step.title})
    return _to_pathway(program)


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
                "Version %(v)s started as a copy of the last one. Learners stay on the version "
                "they are on, before and after you publish it."
            )
            % {"v": pathway.version},
        )
    return _to_pathway(program)


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
    return _to_pathway(program)


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
            with transaction.atomic():  # a new cohort only together with its learners
                cohort = data["cohort"]
                if data["new_cohort"]:
                    cohort = _cohort_named(form, program, data)
                enrolled = cohort_enrol(
                    program=program,
                    learners=data["learners"],
                    enrolled_on=data["enrolled_on"],
                    supervisor_for=(lambda learner: supervisor) if supervisor else None,
                    coach=data["coach"],
                    cohort=cohort,
                )
        except ValidationError as error:
            if not form.errors:
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
        .order_by("learner__last_name", "learner__first_name", "pk")
    )
    page = Paginator(roster, ROSTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.get("q", "").strip()
    return render(
        request,
        "design/enrol.html",
        {
            "program": program,
            "form": form,
            "page": page,
            "published": program.pathways.filter(status=Pathway.Status.PUBLISHED).first(),
            "query": query,
            "found": people_search(viewer=request.user, text=query) if query else None,
        },
    )


def _cohort_named(form, program, data):
    """Start the new cohort; a refusal (say, the name is taken) shows beside its name."""
    try:
        return cohort_create(
            program=program, name=data["new_cohort"], starts_on=data["enrolled_on"]
        )
    except ValidationError as error:
        form.add_error("new_cohort", error.messages)
        raise


@login_required
@require_GET
def people_search_view(request):
    """People matching what is typed, as <option>s for a suggestion list or as a list to add
    from (`?as=list`); only people the designer may see are offered."""
    _require_designer(request.user)
    text = request.GET.get("q") or next(
        (value for key, value in request.GET.items() if key not in ("as", "page")), ""
    )
    people = people_search(viewer=request.user, text=text)
    template = (
        "design/partials/_people_found.html"
        if request.GET.get("as") == "list"
        else "design/partials/_people_options.html"
    )
    return render(request, template, {"found": people, "query": text})


def _fix_url(program, finding):
    """Where to fix a break: the edit page of the record it is about, or the right section."""
    code, subject = finding.code, finding.subject
    label = subject._meta.label_lower
    if code == "performance_objective_without_learning":
        return reverse("design:learning_new", args=[program.pk, subject.pk])
    if code == "performance_objective_not_practised":
        return reverse("design:step_new", args=[program.pk]) + f"?serves={subject.pk}"
    if label == "objectives.performanceobjective":
        return reverse("design:objective_edit", args=[program.pk, subject.pk])
    if label == "objectives.learningobjective":
        return reverse("design:learning_edit", args=[program.pk, subject.pk])
    if label == "programs.step":
        return reverse("design:step_edit", args=[program.pk, subject.pk])
    if code == "no_outcome_metrics":
        return reverse("design:metrics", args=[program.pk])
    if code == "no_performance_objectives":
        return reverse("design:objective_new", args=[program.pk])
    if code in ("no_pathway", "empty_pathway"):
        return reverse("design:step_new", args=[program.pk])
    if code == "no_learning_objectives":
        return reverse("design:program", args=[program.pk]) + "#objectives"
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
def audit_summary(request, pk):
    """How many breaks a program has: a badge the design home loads row by row (htmx).

    The audit reads a whole program, so the home page asks for it once per visible row
    rather than running every program's audit before it can show anything.
    """
    program = _program(request, pk)
    return render(
        request,
        "design/partials/_audit_badge.html",
        {"program": program, "findings": len(program_audit(program=program))},
    )


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
