"""Competency frameworks, learning objectives (the why) and performance objectives (the what)."""

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from talentdev.core.access import VisibleToQuerySet
from talentdev.core.audit import tracked
from talentdev.core.changes import m2m_shown_by, shown_within
from talentdev.core.models import PublicIdModel, TimeStampedModel, check, ensure_no_cycle, unique

from .smart import validate_smart


class CompetencyFramework(PublicIdModel, TimeStampedModel):
    """A versioned set of competencies; only a draft may still change."""

    objects = VisibleToQuerySet.as_manager()

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    description = models.TextField(blank=True)
    published_at = models.DateTimeField(null=True, blank=True)

    history = tracked()

    class Meta:
        ordering = ["name", "-version"]
        constraints = [
            unique(
                "unique_version",
                "name",
                "version",
                message=_("This framework already has that version."),
            ),
            check("version_positive", Q(version__gte=1), _("Versions start at 1.")),
            check(
                "published_has_date",
                Q(status="draft") | Q(published_at__isnull=False),
                _("A published or retired framework has a publish date."),
            ),
        ]

    def __str__(self):
        return f"{self.name} v{self.version}"


class ProficiencyScale(PublicIdModel, TimeStampedModel):
    """An ordered set of proficiency levels used to rate competencies."""

    objects = VisibleToQuerySet.as_manager()

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="scales"
    )
    name = models.CharField(max_length=200)

    class Meta:
        ordering = ["name"]
        constraints = [
            unique(
                "unique_name",
                "framework",
                "name",
                message=_("This framework already has a scale with that name."),
            ),
        ]

    def __str__(self):
        return self.name


@shown_within("scale")
class ProficiencyLevel(TimeStampedModel):
    """One level of a scale; a higher rank means more proficient."""

    scale = models.ForeignKey(ProficiencyScale, on_delete=models.CASCADE, related_name="levels")
    rank = models.PositiveSmallIntegerField(validators=[MinValueValidator(1)])
    name = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["scale_id", "rank"]
        constraints = [
            unique(
                "unique_rank",
                "scale",
                "rank",
                message=_("This scale already has a level at that rank."),
            ),
            unique(
                "unique_name",
                "scale",
                "name",
                message=_("This scale already has a level with that name."),
            ),
            check("rank_positive", Q(rank__gte=1), _("Ranks start at 1.")),
        ]

    def __str__(self):
        return f"{self.rank}. {self.name}"


class Competency(PublicIdModel, TimeStampedModel):
    """A capability that matters to the strategy, described by observable behaviours."""

    objects = VisibleToQuerySet.as_manager()

    framework = models.ForeignKey(
        CompetencyFramework, on_delete=models.PROTECT, related_name="competencies"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    code = models.CharField(max_length=32)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    strategic_rationale = models.TextField(
        help_text=_("Why this competency matters to the business strategy.")
    )
    scale = models.ForeignKey(ProficiencyScale, on_delete=models.PROTECT, related_name="+")

    history = tracked()

    class Meta:
        ordering = ["framework_id", "code"]
        verbose_name_plural = "competencies"
        constraints = [
            unique(
                "unique_code",
                "framework",
                "code",
                message=_("This framework already has a competency with that code."),
            ),
            check(
                "not_own_parent", ~Q(parent=F("id")), _("A competency cannot be its own parent.")
            ),
        ]

    def __str__(self):
        return f"{self.code} {self.name}"

    def clean(self):
        errors = {}
        if self.parent_id and self.framework_id and self.parent.framework_id != self.framework_id:
            errors["parent"] = _("The parent competency must belong to the same framework.")
        if self.scale_id and self.framework_id and self.scale.framework_id != self.framework_id:
            errors["scale"] = _("The scale must belong to the same framework.")
        if errors:
            raise ValidationError(errors)
        ensure_no_cycle(self, "parent", _("This parent would make the competency tree a loop."))


@shown_within("competency")
class BehaviouralIndicator(TimeStampedModel):
    """An observable behaviour that shows a competency at one proficiency level."""

    competency = models.ForeignKey(Competency, on_delete=models.CASCADE, related_name="indicators")
    level = models.ForeignKey(ProficiencyLevel, on_delete=models.PROTECT, related_name="+")
    description = models.TextField()

    class Meta:
        ordering = ["competency_id", "level_id", "id"]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if self.level_id and self.competency_id and self.level.scale_id != self.competency.scale_id:
            raise ValidationError({"level": _("The level must come from the competency's scale.")})


class LearningObjective(PublicIdModel, TimeStampedModel):
    """What a learner must understand (inside the head): the why behind a performance."""

    class BloomLevel(models.TextChoices):
        REMEMBER = "remember", _("Remember")
        UNDERSTAND = "understand", _("Understand")
        APPLY = "apply", _("Apply")
        ANALYZE = "analyze", _("Analyze")
        EVALUATE = "evaluate", _("Evaluate")
        CREATE = "create", _("Create")

    class AssessmentMethod(models.TextChoices):
        QUIZ = "quiz", _("Quiz")
        DISCUSSION = "discussion", _("Discussion")
        CASE_ANALYSIS = "case_analysis", _("Case analysis")
        SELF_ASSESSMENT = "self_assessment", _("Self-assessment")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="learning_objectives"
    )
    competency = models.ForeignKey(
        Competency, on_delete=models.PROTECT, related_name="learning_objectives"
    )
    statement = models.TextField()
    bloom_level = models.CharField(max_length=16, choices=BloomLevel.choices)
    assessment_method = models.CharField(max_length=32, choices=AssessmentMethod.choices)

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["program_id", "id"]

    def __str__(self):
        return self.statement[:80]

    def clean(self):
        framework_id = self.program.framework_id if self.program_id else None
        if framework_id and self.competency_id and self.competency.framework_id != framework_id:
            raise ValidationError(
                {"competency": _("Choose a competency from the program's framework.")}
            )


class PerformanceObjective(PublicIdModel, TimeStampedModel):
    """What a learner will do on the job: observable, measurable and time-bound (SMART)."""

    class Comparator(models.TextChoices):
        AT_MOST = "lte", _("at most")
        AT_LEAST = "gte", _("at least")
        EXACTLY = "eq", _("exactly")

    class EvidenceMethod(models.TextChoices):
        OBSERVATION = "observation", _("Observation")
        WORK_SAMPLE = "work_sample", _("Work sample")
        METRIC = "metric", _("Performance metric")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="performance_objectives"
    )
    learning_objectives = models.ManyToManyField(
        LearningObjective, blank=True, related_name="performance_objectives"
    )
    statement = models.TextField(help_text=_("The objective as a sentence people read."))
    action = models.CharField(
        max_length=200, blank=True, help_text=_("Observable verb and object: 'deliver feedback'.")
    )
    condition = models.CharField(
        max_length=300, blank=True, help_text=_("When or where: 'after observing a behaviour'.")
    )
    measure = models.CharField(
        max_length=200,
        blank=True,
        help_text=_("What is counted: 'hours from behaviour to feedback'."),
    )
    measure_unit = models.CharField(max_length=50, blank=True, help_text=_("'hours', '%', …"))
    target_comparator = models.CharField(max_length=3, choices=Comparator.choices, blank=True)
    target_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    time_window = models.DurationField(
        null=True, blank=True, help_text=_("How soon after the triggering event, e.g. 24 hours.")
    )
    time_window_anchor = models.CharField(
        max_length=200, blank=True, help_text=_("The triggering event: 'of observing a behaviour'.")
    )
    review_date = models.DateField(null=True, blank=True)
    evidence_method = models.CharField(max_length=16, choices=EvidenceMethod.choices, blank=True)
    feedback_window = models.DurationField(
        default=timedelta(hours=24),
        help_text=_("How long after an observation feedback is due."),
    )

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["program_id", "id"]
        constraints = [
            check(
                "feedback_window_positive",
                Q(feedback_window__gt=timedelta(0)),
                _("The feedback window must be longer than zero."),
            ),
            check(
                "time_window_positive",
                Q(time_window__isnull=True) | Q(time_window__gt=timedelta(0)),
                _("The time window must be longer than zero."),
            ),
        ]

    def __str__(self):
        return self.statement[:80]

    def clean(self):
        validate_smart(self)

    @property
    def target_display(self) -> str:
        if not self.target_comparator or self.target_value is None:
            return ""
        value = self.target_value.normalize()
        return f"{self.get_target_comparator_display()} {value:f} {self.measure_unit}".strip()


# The API shows these links on the row that holds them (talentdev.core.changes).
m2m_shown_by(PerformanceObjective, "learning_objectives")
