"""Writes for programs, pathways, enrolments and assignments."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Assignment, Enrolment, Pathway, Step, StepProgress

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
    pathway = Pathway(
        program=program,
        version=(latest.version + 1) if latest else 1,
        change_note=change_note,
    )
    pathway.full_clean()
    pathway.save()
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
def pathway_publish(*, pathway: Pathway) -> Pathway:
    """Publish a draft; the version published before it retires, and its learners stay on it."""
    pathway = Pathway.objects.select_for_update().get(pk=pathway.pk)
    _require_draft(pathway)
    if not pathway.steps.exists():
        raise ValidationError(_("A pathway needs at least one step before it is published."))
    now = timezone.now()
    Pathway.objects.filter(program_id=pathway.program_id, status=Pathway.Status.PUBLISHED).update(
        status=Pathway.Status.RETIRED, updated_at=now
    )
    pathway.status = Pathway.Status.PUBLISHED
    pathway.published_at = now
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
    step = Step(pathway=pathway, position=last + 1, **fields)
    step.full_clean()
    step.save()
    program_id = pathway.program_id
    for objective in [*learning_objectives, *performance_objectives]:
        if objective.program_id != program_id:
            raise ValidationError(_("A step can only serve objectives of its own program."))
    step.learning_objectives.set(learning_objectives)
    step.performance_objectives.set(performance_objectives)
    return step


@transaction.atomic
def enrolment_create(
    *, learner, program, enrolled_on, supervisor=None, coach=None, cohort=None
) -> Enrolment:
    """Enrol a learner on the program's published pathway, with a progress row per step."""
    pathway = program.pathways.filter(status=Pathway.Status.PUBLISHED).first()
    if pathway is None:
        raise ValidationError(_("Publish the program's pathway before enrolling learners."))
    enrolment = Enrolment(
        learner=learner,
        program=program,
        pathway=pathway,
        supervisor=supervisor,
        coach=coach,
        cohort=cohort,
        enrolled_on=enrolled_on,
    )
    enrolment.full_clean()
    enrolment.save()
    StepProgress.objects.bulk_create(
        StepProgress(enrolment=enrolment, step=step) for step in pathway.steps.all()
    )
    return enrolment


@transaction.atomic
def step_progress_update(*, progress: StepProgress, status: str, at=None) -> StepProgress:
    """Move a learner's step to a new status, stamping when it started and finished."""
    at = at or timezone.now()
    progress.status = status
    if status in (StepProgress.Status.IN_PROGRESS, StepProgress.Status.COMPLETED):
        progress.started_at = progress.started_at or at
    progress.completed_at = at if status == StepProgress.Status.COMPLETED else None
    progress.full_clean()
    progress.save(update_fields=["status", "started_at", "completed_at", "updated_at"])
    return progress


@transaction.atomic
def assignment_submit_evidence(
    *, assignment: Assignment, evidence: str, outcome: str = "", evidence_url: str = "", at=None
) -> Assignment:
    """Record what the learner did and achieved on an assignment."""
    if assignment.status in (Assignment.Status.COMPLETED, Assignment.Status.CANCELLED):
        raise ValidationError(
            _("This assignment is %(status)s; evidence can no longer be submitted.")
            % {"status": assignment.get_status_display().lower()}
        )
    if not evidence.strip():
        raise ValidationError({"evidence": _("Describe what you did and produced.")})
    assignment.evidence = evidence
    assignment.outcome = outcome
    assignment.evidence_url = evidence_url
    assignment.status = Assignment.Status.SUBMITTED
    assignment.submitted_at = at or timezone.now()
    assignment.full_clean()
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
    return assignment
