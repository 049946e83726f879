"""Writes for competency frameworks and objectives."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from talentdev.core.audit import update_recorded
from talentdev.core.services import locked, model_create, model_update

from .models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)

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
def performance_objective_create(
    *, program, learning_objectives=(), outcome_metrics=(), **fields
) -> PerformanceObjective:
    """Create a SMART performance objective (the SMART rule runs in full_clean), with the
    learning objectives behind it and the outcome metrics it should move."""
    unknown = set(fields) - set(PERFORMANCE_OBJECTIVE_FIELDS)
    if unknown:
        raise TypeError(f"unknown performance objective fields: {sorted(unknown)}")
    _require_same_program(program, learning_objectives, "learning_objectives")
    objective = model_create(PerformanceObjective, program=program, **fields)
    if learning_objectives:
        objective.learning_objectives.set(learning_objectives)
    if outcome_metrics:
        _outcome_metrics_set(objective, outcome_metrics)
    return objective


@transaction.atomic
def performance_objective_update(
    *, objective, learning_objectives=None, outcome_metrics=None, **fields
) -> PerformanceObjective:
    """Change a performance objective; the links it has are replaced only when given."""
    objective = locked(objective)
    model_update(objective, allowed=PERFORMANCE_OBJECTIVE_FIELDS, fields=fields)
    if learning_objectives is not None:
        _require_same_program(objective.program, learning_objectives, "learning_objectives")
        objective.learning_objectives.set(learning_objectives)
    if outcome_metrics is not None:
        _outcome_metrics_set(objective, outcome_metrics)
    return objective


@transaction.atomic
def learning_objective_create(
    *, program, competency, statement, bloom_level, assessment_method, performance_objectives=()
):
    """Create the 'why' behind one or more performance objectives."""
    _require_same_program(program, performance_objectives, "performance_objectives")
    objective = model_create(
        LearningObjective,
        program=program,
        competency=competency,
        statement=statement,
        bloom_level=bloom_level,
        assessment_method=assessment_method,
    )
    if performance_objectives:
        objective.performance_objectives.set(performance_objectives)
    return objective


@transaction.atomic
def framework_publish(*, framework: CompetencyFramework, at=None) -> CompetencyFramework:
    """Publish a draft framework; the published version of the same name before it retires."""
    framework = CompetencyFramework.objects.select_for_update().get(pk=framework.pk)
    if framework.status != CompetencyFramework.Status.DRAFT:
        raise ValidationError({"status": "Only a draft framework can be published."})
    now = timezone.now()
    update_recorded(
        CompetencyFramework.objects.filter(
            name=framework.name, status=CompetencyFramework.Status.PUBLISHED
        ),
        status=CompetencyFramework.Status.RETIRED,
        updated_at=now,
    )
    framework.status = CompetencyFramework.Status.PUBLISHED
    # `at` records a publication made earlier, e.g. when history is loaded from elsewhere.
    framework.published_at = at or now
    framework.full_clean()
    framework.save(update_fields=["status", "published_at", "updated_at"])
    return framework


def _require_draft_framework(framework: CompetencyFramework):
    if framework.status != CompetencyFramework.Status.DRAFT:
        raise ValidationError(
            _("%(framework)s is %(status)s: start a new version to change it.")
            % {"framework": framework, "status": framework.get_status_display().lower()}
        )


@transaction.atomic
def framework_create(*, name: str, version: int = 1, description: str = "") -> CompetencyFramework:
    framework = model_create(
        CompetencyFramework, name=name, version=version, description=description
    )
    return framework


@transaction.atomic
def scale_create(*, framework, name: str, levels: list[str]) -> ProficiencyScale:
    """A scale with its levels in rising order (the first is rank 1)."""
    _require_draft_framework(framework)
    names = [level.strip() for level in levels if level.strip()]
    if len(names) < 2:
        raise ValidationError({"levels": _("A scale needs at least two levels, one per line.")})
    if len(set(names)) != len(names):
        raise ValidationError({"levels": _("Each level needs its own name.")})
    scale = model_create(ProficiencyScale, framework=framework, name=name)
    ProficiencyLevel.objects.bulk_create(
        ProficiencyLevel(scale=scale, rank=rank, name=level_name)
        for rank, level_name in enumerate(names, start=1)
    )
    return scale


@transaction.atomic
def proficiency_level_update(*, level: ProficiencyLevel, **fields) -> ProficiencyLevel:
    """Rename a level of a draft framework's scale or describe what it means."""
    level = locked(level)
    _require_draft_framework(level.scale.framework)
    return model_update(level, allowed=("name", "description"), fields=fields)


COMPETENCY_FIELDS = ("code", "name", "description", "strategic_rationale", "parent", "scale")


@transaction.atomic
def competency_create(*, framework, **fields) -> Competency:
    _require_draft_framework(framework)
    competency = model_create(Competency, framework=framework, **fields)
    return competency


@transaction.atomic
def competency_update(*, competency: Competency, **fields) -> Competency:
    competency = locked(competency)
    _require_draft_framework(competency.framework)
    return model_update(competency, allowed=COMPETENCY_FIELDS, fields=fields)


@transaction.atomic
def indicator_create(*, competency, level, description: str) -> BehaviouralIndicator:
    """An observable behaviour that shows the competency at one level."""
    _require_draft_framework(competency.framework)
    indicator = model_create(
        BehaviouralIndicator, competency=competency, level=level, description=description
    )
    return indicator


def _outcome_metrics_set(objective, outcome_metrics) -> None:
    # The outcome metrics a performance objective should move: its own program's only.
    outcome_metrics = list(outcome_metrics)
    if any(metric.program_id != objective.program_id for metric in outcome_metrics):
        raise ValidationError(
            {"outcome_metrics": _("Choose outcome metrics of the objective's own program.")}
        )
    objective.outcome_metrics.set(outcome_metrics)


LEARNING_OBJECTIVE_FIELDS = ("statement", "competency", "bloom_level", "assessment_method")


@transaction.atomic
def learning_objective_update(*, objective, performance_objectives=None, **fields):
    """Change a learning objective and, when given, the performance objectives it supports."""
    objective = locked(objective)
    model_update(objective, allowed=LEARNING_OBJECTIVE_FIELDS, fields=fields)
    if performance_objectives is not None:
        _require_same_program(objective.program, performance_objectives, "performance_objectives")
        objective.performance_objectives.set(performance_objectives)
    return objective


@transaction.atomic
def framework_update(*, framework: CompetencyFramework, **fields) -> CompetencyFramework:
    """Rename or re-describe a draft framework."""
    framework = locked(framework)
    _require_draft_framework(framework)
    return model_update(framework, allowed=("name", "description"), fields=fields)


@transaction.atomic
def framework_new_version(*, framework: CompetencyFramework) -> CompetencyFramework:
    """Start the next draft version of a published or retired framework, copying its scales,
    levels, competencies (with their hierarchy) and behavioural indicators.

    The old version stays as it is: programs and assessments that cite it keep meaning what
    they meant.
    """
    if framework.status == CompetencyFramework.Status.DRAFT:
        raise ValidationError(
            _("%(framework)s is still a draft: edit it.") % {"framework": framework}
        )
    newest = (
        CompetencyFramework.objects.select_for_update()
        .filter(name=framework.name)
        .order_by("-version")
        .first()
    )
    if newest.status == CompetencyFramework.Status.DRAFT:
        raise ValidationError(
            _("Version %(v)s of %(name)s is already a draft: edit that one.")
            % {"v": newest.version, "name": framework.name}
        )
    framework = newest  # copy the latest version, whichever one the designer started from
    copy = model_create(
        CompetencyFramework,
        name=framework.name,
        version=framework.version + 1,
        description=framework.description,
    )
    scales, levels = {}, {}
    for scale in framework.scales.prefetch_related("levels"):
        scales[scale.pk] = ProficiencyScale.objects.create(framework=copy, name=scale.name)
        for level in scale.levels.all():
            levels[level.pk] = ProficiencyLevel.objects.create(
                scale=scales[scale.pk],
                rank=level.rank,
                name=level.name,
                description=level.description,
            )
    competencies = {}
    originals = list(framework.competencies.prefetch_related("indicators"))
    for competency in originals:
        competencies[competency.pk] = Competency.objects.create(
            framework=copy,
            code=competency.code,
            name=competency.name,
            description=competency.description,
            strategic_rationale=competency.strategic_rationale,
            scale=scales[competency.scale_id],
        )
    for competency in originals:
        if competency.parent_id:
            twin = competencies[competency.pk]
            twin.parent = competencies[competency.parent_id]
            twin.save(update_fields=["parent", "updated_at"])
        BehaviouralIndicator.objects.bulk_create(
            BehaviouralIndicator(
                competency=competencies[competency.pk],
                level=levels[indicator.level_id],
                description=indicator.description,
            )
            for indicator in competency.indicators.all()
        )
    return copy
