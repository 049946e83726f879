"""Writes for programs, pathways, enrolments and assignments."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from objectives.models import Competency
from people.models import Notification
from people.notifications import notify
from talentdev.core.audit import bulk_history, update_recorded
from talentdev.core.services import locked, model_create, model_update
from talentdev.core.validators import check_due_ahead

from .models import (
    Assignment,
    Cohort,
    Enrolment,
    Pathway,
    Program,
    ProgressEvent,
    Step,
    StepProgress,
    StepSignOff,
    SuccessCriterion,
)
from .notices import assignment_cancelled_notify, assignment_given_notify, progress_notify
from .progression import evaluate_on_commit, evaluate_program_on_commit

STEP_FIELDS = (
    "kind",
    "title",
    "description",
    "difficulty",
    "expected_duration",
    "gate_min_observations",
    "gate_min_rating",
    "gate_min_observers",
    "gate_within_days",
    "completed_by",
    "assessment_min_rank",
    "with_previous",
    "skippable",
    "due_days",
    "due_from",
)


def _require_draft(pathway: Pathway):
    if not pathway.is_editable:
        raise ValidationError(
            _("Version %(version)s is %(status)s: learners are on it, so start a new version.")
            % {"version": pathway.version, "status": pathway.get_status_display().lower()}
        )


@transaction.atomic
def pathway_create(*, program, change_note: str = "") -> Pathway:
    """Start a new draft version of a program's pathway, copying the latest version's steps."""
    latest = program.pathways.order_by("-version").first()
    if latest is not None and latest.is_editable:
        raise ValidationError(_("Version %(v)s is still a draft: edit it.") % {"v": latest.version})
    pathway = model_create(
        Pathway,
        program=program,
        version=(latest.version + 1) if latest else 1,
        change_note=change_note,
    )
    if latest is not None:
        for step in latest.steps.prefetch_related("learning_objectives", "performance_objectives"):
            copy = Step.objects.create(
                pathway=pathway,
                position=step.position,
                **{name: getattr(step, name) for name in STEP_FIELDS},
            )
            copy.learning_objectives.set(step.learning_objectives.all())
            copy.performance_objectives.set(step.performance_objectives.all())
    return pathway


@transaction.atomic
def pathway_publish(*, pathway: Pathway, at=None) -> Pathway:
    """Publish a draft; the version published before it retires, and its learners stay on it."""
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    _require_draft(pathway)
    if not pathway.steps.exists():
        raise ValidationError(_("A pathway needs at least one step before it is published."))
    now = timezone.now()
    update_recorded(
        Pathway.objects.filter(program_id=pathway.program_id, status=Pathway.Status.PUBLISHED),
        status=Pathway.Status.RETIRED,
        updated_at=now,
    )
    pathway.status = Pathway.Status.PUBLISHED
    # `at` records a publication made earlier, e.g. when history is loaded from elsewhere.
    pathway.published_at = at or now
    pathway.save(update_fields=["status", "published_at", "updated_at"])
    return pathway


@transaction.atomic
def step_add(
    *, pathway: Pathway, learning_objectives=(), performance_objectives=(), **fields
) -> Step:
    """Append a step to a draft pathway, serving the given objectives."""
    # Decide on the stored status, not the caller's copy: a pathway published since it was
    # loaded must refuse. The lock also keeps two concurrent adds from taking one position.
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    _require_draft(pathway)
    last = pathway.steps.aggregate(last=Max("position"))["last"] or 0
    step = model_create(Step, pathway=pathway, position=last + 1, **fields)
    program_id = pathway.program_id
    for objective in [*learning_objectives, *performance_objectives]:
        if objective.program_id != program_id:
            raise ValidationError(_("A step can only serve objectives of its own program."))
    _check_step_level(step, learning_objectives)
    step.learning_objectives.set(learning_objectives)
    step.performance_objectives.set(performance_objectives)
    return step


@transaction.atomic
def program_step_add(*, program, learning_objectives=(), performance_objectives=(), **fields):
    """Add a step to the program's draft pathway; when its newest version is published (or
    there is none yet), a new draft version, a copy of the last, is started for it."""
    pathway = program.pathways.order_by("-version").first()
    if pathway is None or not pathway.is_editable:
        pathway = pathway_create(program=program)
    return step_add(
        pathway=pathway,
        learning_objectives=learning_objectives,
        performance_objectives=performance_objectives,
        **fields,
    )


@transaction.atomic
def step_move(*, step: Step, offset: int) -> None:
    """Move a step of a draft pathway up (offset -1) or down (+1); at either end it stays."""
    order = list(step.pathway.steps.order_by("position").values_list("pk", flat=True))
    index = order.index(step.pk)
    target = index + offset
    if 0 <= target < len(order):
        order[index], order[target] = order[target], order[index]
        pathway_reorder(pathway=step.pathway, step_ids=order)


def _check_coach_is_another(supervisor, coach) -> None:
    # A coach is a second person beside the learner: a second observer, too.
    if coach is not None and supervisor is not None and coach.pk == supervisor.pk:
        raise ValidationError(
            {"coach": _("The coach is already the supervisor: choose someone else, or none.")}
        )


@transaction.atomic
def enrolment_create(
    *, learner, program, enrolled_on, supervisor=None, coach=None, cohort=None
) -> Enrolment:
    """Enrol a learner on the program's published pathway, with a progress row per step."""
    pathway = program.pathways.filter(status=Pathway.Status.PUBLISHED).first()
    if pathway is None:
        raise ValidationError(_("Publish the program's pathway before enrolling learners."))
    _check_enrolment_day(program, enrolled_on)
    _check_coach_is_another(supervisor, coach)
    enrolment = model_create(
        Enrolment,
        learner=learner,
        program=program,
        pathway=pathway,
        supervisor=supervisor,
        coach=coach,
        cohort=cohort,
        enrolled_on=enrolled_on,
    )
    StepProgress.objects.bulk_create(
        StepProgress(enrolment=enrolment, step=step, due_on=_due_from_enrolment(step, enrolled_on))
        for step in pathway.steps.all()
    )
    # The first steps open at once; those already evidenced complete.
    evaluate_on_commit([enrolment.pk])
    return enrolment


def _check_enrolment_day(program: Program, enrolled_on) -> None:
    """A learner joins a program while it runs: an enrolment dated before the program starts
    would count its due dates from before there was a program, and start overdue."""
    if enrolled_on < program.starts_on:
        raise ValidationError(
            {
                "enrolled_on": _("%(program)s starts on %(day)s: enrol from that day on.")
                % {"program": program, "day": formats.date_format(program.starts_on, "j M Y")}
            }
        )
    if program.ends_on is not None and enrolled_on > program.ends_on:
        raise ValidationError(
            {
                "enrolled_on": _("%(program)s ends on %(day)s: enrol on that day at the latest.")
                % {"program": program, "day": formats.date_format(program.ends_on, "j M Y")}
            }
        )


def _due_from_enrolment(step: Step, enrolled_on):
    if step.due_days and step.due_from == Step.DueFrom.ENROLMENT:
        return enrolled_on + timedelta(days=step.due_days)
    return None


ENROLMENT_FIELDS = ("supervisor", "coach", "cohort", "status")
# The statuses a person gives an enrolment; progression alone completes one.
PERSON_STATUSES = (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED, Enrolment.Status.WITHDRAWN)
DECIDED_BY_PROGRESSION = {
    "status": gettext_lazy(
        "An enrolment is completed by progression once every step is done; it cannot be "
        "completed by hand."
    ),
    "completed_on": gettext_lazy(
        "The completion day is when progression found every step done; it cannot be set by hand."
    ),
    "competent_on": gettext_lazy(
        "Competency is reached by the program's rule, on the evidence; its day cannot be set "
        "by hand."
    ),
}


# The statuses a person may move an enrolment to, and from which: pause an active one,
# resume a paused one (or take back a withdrawal), withdraw one still on the program.
STATUS_MOVES = {
    Enrolment.Status.PAUSED: (Enrolment.Status.ACTIVE,),
    Enrolment.Status.ACTIVE: (Enrolment.Status.PAUSED, Enrolment.Status.WITHDRAWN),
    Enrolment.Status.WITHDRAWN: (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED),
}


def _check_status_move(before, after) -> None:
    if after == before:
        raise ValidationError(
            {
                "status": _("This enrolment is already %(status)s.")
                % {"status": Enrolment.Status(before).label.lower()}
            }
        )
    if after in STATUS_MOVES and before not in STATUS_MOVES[after]:
        raise ValidationError(
            {
                "status": _("A %(before)s enrolment cannot be %(after)s.")
                % {
                    "before": Enrolment.Status(before).label.lower(),
                    "after": Enrolment.Status(after).label.lower(),
                }
            }
        )


@transaction.atomic
def enrolment_update(
    *, enrolment: Enrolment, by=None, at=None, reason: str = "", **fields
) -> Enrolment:
    """Change an enrolment's supervisor, coach or cohort, or pause, resume or withdraw it.

    A change of status is a person's (`by`, at `at`: now unless it was made earlier, with
    their `reason`) and is recorded as an event. Completion and competency are
    progression's to decide.
    """
    decided = {
        name: message
        for name, message in DECIDED_BY_PROGRESSION.items()
        if name in fields and (name != "status" or fields[name] == Enrolment.Status.COMPLETED)
    }
    if decided:
        raise ValidationError(decided)
    enrolment = locked(enrolment)
    before = enrolment.status
    if fields.get("status", before) != before and before == Enrolment.Status.COMPLETED:
        raise ValidationError(
            {
                "status": _(
                    "Progression completed this enrolment when every step was done: its "
                    "status stays completed."
                )
            }
        )
    if "status" in fields:
        _check_status_move(before, fields["status"])
    if "coach" in fields or "supervisor" in fields:
        # Checked when either changes: a row from before the rule still pauses and resumes.
        _check_coach_is_another(
            fields.get("supervisor", enrolment.supervisor), fields.get("coach", enrolment.coach)
        )
    model_update(enrolment, allowed=ENROLMENT_FIELDS, fields=fields)
    if enrolment.status != before:
        event = model_create(
            ProgressEvent,
            type=ProgressEvent.Type.ENROLMENT_STATUS,
            enrolment=enrolment,
            from_status=before,
            to_status=enrolment.status,
            occurred_at=at or timezone.now(),
            cause=ProgressEvent.Cause.PERSON,
            actor=by,
            # As a step's skip: the reason is what the learner and the history read.
            detail={"reason": reason.strip()} if reason.strip() else {},
        )
        progress_notify([event])
        if enrolment.status == Enrolment.Status.ACTIVE:
            # Resumed: what was recorded while it stood still may move the learner on.
            evaluate_on_commit([enrolment.pk])
    return enrolment


@transaction.atomic
def step_progress_due_set(*, progress: StepProgress, due_on) -> StepProgress:
    """Move the day a learner's step is due (None: no due date)."""
    return model_update(locked(progress), allowed=("due_on",), fields={"due_on": due_on})


@transaction.atomic
def step_sign_off(*, progress: StepProgress, by, note: str, at=None) -> StepSignOff:
    """Say a step is done: the learner for a step they mark done themselves, the people who
    work with them for a step the supervisor signs off. Progression completes it."""
    progress = _progress_to_decide(progress)
    rule, enrolment = progress.step.completed_by, progress.enrolment
    if rule == Step.Completion.LEARNER:
        if by.pk != enrolment.learner_id:
            raise ValidationError(_("Only the learner marks this step done."))
    elif rule == Step.Completion.SUPERVISOR:
        if by.pk == enrolment.learner_id:
            raise ValidationError(_("The supervisor signs this step off, not the learner."))
    else:
        raise ValidationError(
            _("This step is completed by its own evidence (%(rule)s), not by a sign-off.")
            % {"rule": progress.step.get_completed_by_display().lower()}
        )
    return _step_decide(progress, StepSignOff.Decision.SIGNED_OFF, by, note, at)


@transaction.atomic
def step_skip(*, progress: StepProgress, by, reason: str, at=None) -> StepSignOff:
    """Skip a step the designer allows to be skipped, with the reason; progression moves on."""
    progress = _progress_to_decide(progress)
    if not progress.step.skippable:
        raise ValidationError(_("This step may not be skipped: its designer requires it."))
    if by.pk == progress.enrolment.learner_id:
        raise ValidationError(_("A learner cannot skip their own step."))
    return _step_decide(progress, StepSignOff.Decision.SKIPPED, by, reason, at)


def _progress_to_decide(progress) -> StepProgress:
    # Decisions on one learner queue behind each other and behind progression, which also
    # locks the enrolment first: two people cannot sign off and skip the same step at once.
    enrolment = Enrolment.objects.select_for_update().get(pk=progress.enrolment_id)
    progress = StepProgress.objects.select_related("step").get(pk=progress.pk)
    progress.enrolment = enrolment
    return progress


def _step_decide(progress, decision, by, note, at) -> StepSignOff:
    enrolment = progress.enrolment
    if enrolment.status != Enrolment.Status.ACTIVE:
        raise ValidationError(
            _("This learner's enrolment is %(status)s: its steps do not move until it is active.")
            % {"status": enrolment.get_status_display().lower()}
        )
    earlier = progress.sign_offs.select_related("by").first()
    if earlier is not None:
        raise ValidationError(
            _("%(who)s already %(decision)s this step on %(day)s.")
            % {
                "who": earlier.by,
                "decision": earlier.get_decision_display().lower(),
                "day": formats.date_format(timezone.localtime(earlier.at), "j M Y"),
            }
        )
    if progress.status in StepProgress.DONE_STATUSES:
        raise ValidationError(
            _("This step is already %(status)s.")
            % {"status": progress.get_status_display().lower()}
        )
    if progress.status == StepProgress.Status.NOT_STARTED:
        raise ValidationError(_("This step is not open yet: the steps before it come first."))
    if not note.strip():
        if decision == StepSignOff.Decision.SKIPPED:
            raise ValidationError({"reason": _("Say why it is skipped.")})
        raise ValidationError({"note": _("Say what was done.")})
    sign_off = model_create(
        StepSignOff, progress=progress, decision=decision, by=by, note=note, at=at or timezone.now()
    )
    evaluate_on_commit([progress.enrolment_id])
    return sign_off


@transaction.atomic
def assignment_submit_evidence(
    *, assignment: Assignment, evidence: str, outcome: str = "", evidence_url: str = "", at=None
) -> Assignment:
    """Record what the learner did and achieved on an assignment. Everything wrong with
    what was sent is said at once."""
    # The stored row, not the caller's copy: a refusal leaves the page's assignment as it was.
    assignment = locked(assignment)
    if assignment.status in Assignment.CLOSED_STATUSES:
        raise ValidationError(
            _("This assignment is %(status)s; evidence can no longer be submitted.")
            % {"status": assignment.get_status_display().lower()}
        )
    errors = {}
    if not evidence.strip():
        errors["evidence"] = [_("Describe what you did and produced.")]
    assignment.evidence = evidence
    assignment.outcome = outcome
    assignment.evidence_url = evidence_url
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submitted_at = at or timezone.now()
    try:
        assignment.full_clean()
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    assignment.save(
        update_fields=[
            "evidence",
            "outcome",
            "evidence_url",
            "status",
            "submitted_at",
            "updated_at",
        ]
    )
    _tell_supervisor_of_evidence(assignment)
    return assignment


def _tell_supervisor_of_evidence(assignment: Assignment) -> None:
    supervisor = assignment.enrolment.supervisor
    if supervisor is None:
        return
    learner = assignment.enrolment.learner
    notify(
        recipient=supervisor,
        kind=Notification.Kind.EVIDENCE_SUBMITTED,
        key=f"evidence:{assignment.pk}:{assignment.submitted_at.isoformat()}",
        title=_("%(learner)s submitted evidence") % {"learner": learner},
        body=_("%(learner)s submitted evidence for “%(title)s”. Review it and run the debrief.")
        % {"learner": learner, "title": assignment.title},
        url=reverse("learn:assignment", args=[assignment.pk]),
    )


@transaction.atomic
def step_update(
    *, step: Step, learning_objectives=None, performance_objectives=None, **fields
) -> Step:
    """Change a step of a draft pathway."""
    step = Step.objects.select_related("pathway").select_for_update().get(pk=step.pk)
    _require_draft(step.pathway)
    model_update(step, allowed=STEP_FIELDS, fields=fields)
    program_id = step.pathway.program_id
    for objective in [*(learning_objectives or ()), *(performance_objectives or ())]:
        if objective.program_id != program_id:
            raise ValidationError(_("A step can only serve objectives of its own program."))
    _check_step_level(
        step,
        step.learning_objectives.all() if learning_objectives is None else learning_objectives,
    )
    if learning_objectives is not None:
        step.learning_objectives.set(learning_objectives)
    if performance_objectives is not None:
        step.performance_objectives.set(performance_objectives)
    return step


@transaction.atomic
def pathway_reorder(*, pathway: Pathway, step_ids: list[int]) -> None:
    """Put a draft pathway's steps in the given order."""
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    _require_draft(pathway)
    current = {step.pk: step for step in pathway.steps.all()}
    if len(step_ids) != len(set(step_ids)) or set(step_ids) != set(current):
        raise ValidationError(_("The new order must name every step of the pathway once."))
    # Two passes keep (pathway, position) unique at every moment without a deferrable constraint.
    offset = len(step_ids) + 1000
    for position, step_id in enumerate(step_ids, start=1):
        Step.objects.filter(pk=step_id).update(position=offset + position)
    moved = []
    for position, step_id in enumerate(step_ids, start=1):
        Step.objects.filter(pk=step_id).update(position=position, updated_at=timezone.now())
        if current[step_id].position != position:
            current[step_id].position = position
            moved.append(current[step_id])
    bulk_history(Step, moved, update=True)
    # The pathway shows its steps in order: a new order is a change to it too.
    Pathway.objects.filter(pk=pathway.pk).update(updated_at=timezone.now())


@transaction.atomic
def step_remove(*, step: Step) -> None:
    """Remove a step from a draft pathway and close the gap in positions."""
    step = Step.objects.select_related("pathway").select_for_update().get(pk=step.pk)
    pathway = step.pathway
    _require_draft(pathway)
    step.learning_objectives.clear()
    step.performance_objectives.clear()
    step.delete()
    remaining = list(pathway.steps.order_by("position").values_list("id", flat=True))
    if remaining:
        pathway_reorder(pathway=pathway, step_ids=remaining)


def cohort_enrol(
    *,
    program,
    learners,
    enrolled_on,
    supervisor_for=None,
    coach=None,
    cohort=None,
    new_cohort: str = "",
) -> list[Enrolment]:
    """Enrol several learners at once; all or none.

    `supervisor_for(learner)` picks each learner's supervisor (by default their line
    manager). `new_cohort` names a cohort to start with them, on their enrolment date; it
    exists only if they are all enrolled.
    """
    supervisor_for = supervisor_for or (lambda learner: learner.manager)
    enrolments = []
    # Said once, beside the date, rather than once per learner.
    _check_enrolment_day(program, enrolled_on)
    with transaction.atomic():
        if new_cohort:
            if cohort is not None:
                raise ValidationError(
                    {"new_cohort": _("Choose a cohort or name a new one, not both.")}
                )
            try:
                cohort = cohort_create(program=program, name=new_cohort, starts_on=enrolled_on)
            except ValidationError as error:
                # Beside the name the designer typed: most often, the name is taken.
                raise ValidationError({"new_cohort": error.messages}) from error
        for learner in learners:
            try:
                enrolments.append(
                    enrolment_create(
                        learner=learner,
                        program=program,
                        enrolled_on=enrolled_on,
                        supervisor=supervisor_for(learner),
                        coach=coach,
                        cohort=cohort,
                    )
                )
            except ValidationError as error:
                # Name the person, so a cohort of fifty says which one was refused.
                raise ValidationError(
                    {"learners": [f"{learner}: {message}" for message in error.messages]}
                ) from error
    return enrolments


def _check_due_in_program(due_on, program) -> None:
    if program.ends_on and due_on > program.ends_on:
        raise ValidationError(
            {
                "due_on": _("%(program)s ends on %(day)s: set a due date by then.")
                % {"program": program, "day": formats.date_format(program.ends_on, "j M Y")}
            }
        )


@transaction.atomic
def assignment_create(
    *,
    enrolment,
    title,
    brief,
    scenario_kind,
    due_on,
    stakeholders="",
    step=None,
    criteria=(),
    by=None,
    now=None,
) -> Assignment:
    """Give a learner an on-the-job assignment with success criteria, each tied to the
    performance objective it shows (each criterion: description, performance_objective).
    The learner is told, and by whom (`by`) when a person gives it.

    `now` is the moment "the past" is judged from: the present unless a caller replays
    history."""
    if not criteria:
        raise ValidationError(_("Name at least one success criterion."))
    check_due_ahead(due_on, now)
    _check_due_in_program(due_on, enrolment.program)
    if not enrolment.takes_assignments:
        raise ValidationError(
            _("This learner's enrolment is %(status)s: it takes no new assignments.")
            % {"status": enrolment.get_status_display().lower()}
        )
    if step is not None:
        # One piece of work on a step at a time: its debrief is what completes the step.
        locked(enrolment)  # two people giving work on the same step at once queue here
        open_on_step = (
            Assignment.objects.filter(enrolment=enrolment, step=step)
            .exclude(status__in=Assignment.CLOSED_STATUSES)
            .first()
        )
        if open_on_step is not None:
            raise ValidationError(
                {
                    "step": _(
                        "“%(title)s” is still open on this step: cancel it first, or give this "
                        "one without a step."
                    )
                    % {"title": open_on_step.title}
                }
            )
    assignment = model_create(
        Assignment,
        enrolment=enrolment,
        step=step,
        title=title,
        brief=brief,
        scenario_kind=scenario_kind,
        due_on=due_on,
        stakeholders=stakeholders,
    )
    for position, criterion in enumerate(criteria, start=1):
        model_create(SuccessCriterion, assignment=assignment, position=position, **criterion)
    assignment_given_notify(assignment=assignment, by=by)
    return assignment


@transaction.atomic
def assignment_cancel(*, assignment: Assignment, by, reason: str) -> Assignment:
    """Withdraw work given by mistake or overtaken by events, saying why; the learner is
    told. Completed work keeps its verdicts and cannot be cancelled."""
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    if assignment.status in Assignment.CLOSED_STATUSES:
        raise ValidationError(
            _("This assignment is %(status)s already: nothing to cancel.")
            % {"status": assignment.get_status_display().lower()}
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why it is cancelled: the learner is told.")})
    assignment = model_update(
        assignment,
        allowed=("status", "cancel_reason"),
        fields={"status": Assignment.Status.CANCELLED, "cancel_reason": reason.strip()},
    )
    assignment_cancelled_notify(assignment=assignment, by=by)
    return assignment


@transaction.atomic
def assignment_record_presentation(
    *, assignment: Assignment, presented_on, presented_to: str, now=None
):
    """Record when and to whom the learner presented the results."""
    if assignment.status not in Assignment.DONE_STATUSES:
        raise ValidationError(_("Submit the evidence before recording the presentation."))
    # `now` is the moment "the future" is judged from: the present unless a caller replays history.
    if presented_on > timezone.localdate(now):
        raise ValidationError({"presented_on": _("A presentation date cannot be in the future.")})
    if not presented_to.strip():
        raise ValidationError({"presented_to": _("Say who heard the results.")})
    assignment.presented_on = presented_on
    assignment.presented_to = presented_to
    assignment.save(update_fields=["presented_on", "presented_to", "updated_at"])
    return assignment


@transaction.atomic
def program_create(*, owner, sponsors=(), **fields) -> Program:
    """Create a program owned by `owner`."""
    program = model_create(Program, owner=owner, **fields)
    _check_program_level(program)
    program.sponsors.set(sponsors)
    return program


ASSIGNMENT_FIELDS = ("title", "brief", "scenario_kind", "stakeholders", "due_on")


@transaction.atomic
def assignment_update(*, assignment: Assignment, now=None, **fields) -> Assignment:
    """Change an assignment's brief, scenario, stakeholders or due date; its criteria and
    the learner's evidence stay as they are. A due date moves to today or later."""
    assignment = locked(assignment)
    if assignment.status in Assignment.CLOSED_STATUSES:
        raise ValidationError(
            _("This assignment is %(status)s; its brief can no longer change.")
            % {"status": assignment.get_status_display().lower()}
        )
    due_on = fields.get("due_on")
    if due_on is not None and due_on != assignment.due_on:
        check_due_ahead(due_on, now)
        _check_due_in_program(due_on, assignment.enrolment.program)
    return model_update(assignment, allowed=ASSIGNMENT_FIELDS, fields=fields)


@transaction.atomic
def cohort_create(*, program, name: str, starts_on, ends_on=None) -> Cohort:
    return model_create(Cohort, program=program, name=name, starts_on=starts_on, ends_on=ends_on)


@transaction.atomic
def cohort_update(*, cohort: Cohort, **fields) -> Cohort:
    """Rename a cohort or move its start and end."""
    return model_update(locked(cohort), allowed=("name", "starts_on", "ends_on"), fields=fields)


def assignment_judge_refusal(assignment: Assignment) -> str | None:
    """Why the assignment cannot be judged now, or None when it can: only submitted work
    is judged, once."""
    if assignment.status == Assignment.Status.COMPLETED:
        return _("This assignment was already debriefed and completed: its verdicts stand.")
    if assignment.status == Assignment.Status.CANCELLED:
        return _("This assignment was cancelled: nothing to judge.")
    if assignment.status != Assignment.Status.SUBMITTED:
        if assignment.submitted_at is not None:  # judged before, and sent back
            return _(
                "This assignment went back to the learner for rework: debrief it again once "
                "they submit it."
            )
        return _(
            "The learner has not submitted evidence for this assignment yet: nothing to judge."
        )
    return None


@transaction.atomic
def assignment_judge(*, assignment: Assignment, verdicts: dict[int, bool]) -> Assignment:
    """Judge a submitted assignment once, on every success criterion (criterion id -> met).

    With every criterion met it is completed; otherwise it goes back to the learner for
    rework, to be submitted and judged again. A completed assignment is never judged again.
    """
    assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
    refusal = assignment_judge_refusal(assignment)
    if refusal:
        raise ValidationError(refusal)
    criteria = {c.pk: c for c in assignment.success_criteria.all()}
    if set(verdicts) - set(criteria):
        raise ValidationError(_("Judge only this assignment's own success criteria."))
    if set(criteria) - set(verdicts):
        raise ValidationError(_("Give a verdict on every success criterion."))
    for pk, met in verdicts.items():
        criterion = criteria[pk]
        criterion.met = met
        criterion.save(update_fields=["met", "updated_at"])
    passed = all(verdicts.values())
    status = Assignment.Status.COMPLETED if passed else Assignment.Status.IN_PROGRESS
    return model_update(assignment, allowed=("status",), fields={"status": status})


COMPETENCY_RULE_FIELDS = ("competency_needs_objectives", "competency_min_rank")
PROGRAM_UPDATE_FIELDS = (
    "name",
    "slug",
    "business_goal",
    "description",
    "owner",
    "framework",
    "starts_on",
    "ends_on",
    "status",
    "cost",
    "currency",
    *COMPETENCY_RULE_FIELDS,
)


@transaction.atomic
def program_update(*, program: Program, sponsors=None, **fields) -> Program:
    """Change a program's description, dates, owner or framework; sponsors when given."""
    program = locked(program)
    if (
        "framework" in fields
        and fields["framework"] != program.framework
        and program.learning_objectives.exists()
    ):
        # Learning objectives name competencies of the framework they were written against.
        raise ValidationError(
            {
                "framework": _(
                    "Learning objectives already use this program's framework: keep it, or "
                    "start a new program."
                )
            }
        )
    rule_changed = any(
        name in fields and fields[name] != getattr(program, name) for name in COMPETENCY_RULE_FIELDS
    )
    model_update(program, allowed=PROGRAM_UPDATE_FIELDS, fields=fields)
    if "competency_min_rank" in fields or "framework" in fields:
        _check_program_level(program)
    if sponsors is not None:
        program.sponsors.set(sponsors)
    if rule_changed:
        # Learners the new rule is met for reach competency now, not at the next sweep.
        evaluate_program_on_commit(program.pk)
    return program


# An assessed level a rule asks for must exist on the proficiency scales it is assessed on:
# otherwise no assessment can ever meet the rule.


def _check_program_level(program: Program) -> None:
    """The program's level must be reachable in every competency its rule reads."""
    _check_level(
        program.competency_min_rank,
        program.competencies(),
        field="competency_min_rank",
        each=True,
    )


def _check_step_level(step: Step, learning_objectives) -> None:
    """A step's level must be reachable in one of the competencies an assessment completing
    it may be of: those its learning objectives build, or else the program's."""
    if step.assessment_min_rank is None:
        return
    if learning_objectives:
        competencies = Competency.objects.filter(learning_objectives__in=learning_objectives)
    else:
        competencies = step.pathway.program.competencies()
    _check_level(step.assessment_min_rank, competencies, field="assessment_min_rank", each=False)


def _check_level(rank, competencies, *, field: str, each: bool) -> None:
    """Refuse a level above the top of the competencies' scales: above the lowest top when
    `each` competency must reach it, above the highest when one is enough."""
    if rank is None:
        return
    tops = sorted(
        competencies.values("pk", "name")
        .annotate(top=Coalesce(Max("scale__levels__rank"), 0))
        .values_list("top", "name")
    )
    if not tops:
        return  # no competency yet: nothing says how far its scale goes
    top, name = tops[0] if each else tops[-1]
    if rank > top:
        raise ValidationError(
            {
                field: _("The scale of %(competency)s goes up to level %(top)s.")
                % {"competency": name, "top": top}
            }
        )
