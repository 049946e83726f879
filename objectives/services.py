"""Writes for competency frameworks and objectives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import CompetencyFramework, LearningObjective, PerformanceObjective

PERFORMANCE_OBJECTIVE_FIELDS = (
    "statement",
    "action",
    "condition",
    "measure",
    "measure_unit",
    "target_comparator",
    "target_value",
    "time_window",
    "time_window_anchor",
    "review_date",
    "evidence_method",
    "feedback_window",
)


def _require_same_program(program, objectives, field):
    if any(objective.program_id != program.pk for objective in objectives):
        raise ValidationError({field: _("Link only objectives of the same program.")})


@transaction.atomic
def performance_objective_create(*, program, learning_objectives=(), **fields):
    """Create a SMART performance objective; the SMART rule runs in full_clean."""
    unknown = set(fields) - set(PERFORMANCE_OBJECTIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown performance objective fields: {sorted(unknown)}")
    _require_same_program(program, learning_objectives, "learning_objectives")
    objective = PerformanceObjective(program=program, **fields)
    objective.full_clean()
    objective.save()
    if learning_objectives:
        objective.learning_objectives.set(learning_objectives)
    return objective


@transaction.atomic
def performance_objective_update(*, objective, **fields):
    unknown = set(fields) - set(PERFORMANCE_OBJECTIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown performance objective fields: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(objective, name, value)
    objective.full_clean()
    objective.save(update_fields=[*fields, "updated_at"])
    return objective


@transaction.atomic
def learning_objective_create(
    *, program, competency, statement, bloom_level, assessment_method, performance_objectives=()
):
    """Create the 'why' behind one or more performance objectives."""
    _require_same_program(program, performance_objectives, "performance_objectives")
    objective = LearningObjective(
        program=program,
        competency=competency,
        statement=statement,
        bloom_level=bloom_level,
        assessment_method=assessment_method,
    )
    objective.full_clean()
    objective.save()
    if performance_objectives:
        objective.performance_objectives.set(performance_objectives)
    return objective


@transaction.atomic
def framework_publish(*, framework: CompetencyFramework) -> CompetencyFramework:
    """Publish a draft framework; the published version of the same name before it retires."""
    framework = CompetencyFramework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != CompetencyFramework.Status.DRAFT:
        raise ValidationError({"status": "Only a draft framework can be published."})
    now = timezone.now()
    CompetencyFramework.objects.filter(
        name=framework.name, status=CompetencyFramework.Status.PUBLISHED
    ).update(status=CompetencyFramework.Status.RETIRED, updated_at=now)
    framework.status = CompetencyFramework.Status.PUBLISHED
    framework.published_at = now
    framework.full_clean()
    framework.save(update_fields=["status", "published_at", "updated_at"])
    return framework
