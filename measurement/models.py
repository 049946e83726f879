"""Measurement at both levels: assessments, outcome metrics, sponsor reviews, success stories."""

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from talentdev.core.access import VisibleToQuerySet
from talentdev.core.audit import tracked
from talentdev.core.models import PublicIdModel, TimeStampedModel, check, unique

COMPETENCY_OUTSIDE_PROGRAM = _("Choose a competency the learner's program builds.")


class Assessment(PublicIdModel, TimeStampedModel):
    """A learning-level assessment of one competency: baseline, checkpoint or self."""

    class Kind(models.TextChoices):
        BASELINE = "baseline", _("Baseline")
        CHECKPOINT = "checkpoint", _("Checkpoint")
        SELF = "self", _("Self-assessment")

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.PROTECT, related_name="assessments"
    )
    competency = models.ForeignKey(
        "objectives.Competency", on_delete=models.PROTECT, related_name="assessments"
    )
    learning_objective = models.ForeignKey(
        "objectives.LearningObjective",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assessments",
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    assessed_level = models.ForeignKey(
        "objectives.ProficiencyLevel", on_delete=models.PROTECT, related_name="+"
    )
    score = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Optional score out of 100, e.g. a quiz result."),
    )
    assessor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assessments_made"
    )
    assessed_on = models.DateField()
    notes = models.TextField(blank=True)

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["-assessed_on"]
        constraints = [
            check(
                "score_0_to_100",
                Q(score__isnull=True) | Q(score__gte=0, score__lte=100),
                _("A score lies between 0 and 100."),
            ),
        ]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="assessment_by_change"),
            # proficiency change: baseline and latest per enrolment and competency, newest
            # first as the rollup reads them, with what it reads, so it needs no table row
            models.Index(
                fields=["enrolment", "competency", "-assessed_on", "-id"],
                include=["kind", "assessed_level"],
                name="assessment_enrol_comp_date",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of {self.competency} for {self.enrolment}"

    def clean(self):
        errors = {}
        if (
            self.assessed_level_id
            and self.competency_id
            and self.assessed_level.scale_id != self.competency.scale_id
        ):
            errors["assessed_level"] = _("The level must come from the competency's scale.")
        if (
            self.enrolment_id
            and self.competency_id
            and not self.enrolment.program.competencies().filter(pk=self.competency_id).exists()
        ):
            errors["competency"] = COMPETENCY_OUTSIDE_PROGRAM
        if self.assessed_on and self.enrolment_id:
            errors.update(self._date_errors())
        if self.kind == self.Kind.SELF and self.enrolment_id and self.assessor_id:
            if self.assessor_id != self.enrolment.learner_id:
                errors["assessor"] = _("A self-assessment is made by the learner.")
        elif self.kind and self.enrolment_id and self.assessor_id == self.enrolment.learner_id:
            errors["kind"] = _("When learners assess themselves, record it as a self-assessment.")
        if (
            self.learning_objective_id
            and self.competency_id
            and self.learning_objective.competency_id != self.competency_id
        ):
            errors["learning_objective"] = _("The learning objective must be of this competency.")
        elif (
            self.learning_objective_id
            and self.enrolment_id
            and self.learning_objective.program_id != self.enrolment.program_id
        ):
            errors["learning_objective"] = _(
                "The learning objective must be one of the learner's program."
            )
        if errors:
            raise ValidationError(errors)

    def _date_errors(self) -> dict:
        # An assessment records what was seen, so not ahead of today, and where the learner
        # stands on the program, so not before they joined it.
        if self.assessed_on > timezone.localdate():
            return {"assessed_on": _("The day is in the future: choose today or an earlier day.")}
        if self.assessed_on < self.enrolment.enrolled_on:
            return {
                "assessed_on": _("The day is before the enrolment on %(day)s: choose a later day.")
                % {"day": formats.date_format(self.enrolment.enrolled_on, "j M Y")}
            }
        return {}


class OutcomeMetric(PublicIdModel, TimeStampedModel):
    """A business result a program should move, with baseline, target and direction."""

    class Kind(models.TextChoices):
        TIME_TO_COMPETENCY = "time_to_competency", _("Time to competency")
        QUALITY = "quality", _("Quality")
        STAKEHOLDER_SATISFACTION = "stakeholder_satisfaction", _("Stakeholder satisfaction")
        COST_SAVINGS = "cost_savings", _("Cost savings")
        CYCLE_TIME = "cycle_time", _("Cycle time")
        CUSTOMER_SATISFACTION = "customer_satisfaction", _("Customer satisfaction")
        REVENUE = "revenue", _("Revenue")
        RETENTION = "retention", _("Retention")
        OTHER = "other", _("Other")

    class Direction(models.TextChoices):
        INCREASE = "increase", _("Higher is better")
        DECREASE = "decrease", _("Lower is better")

    class Aggregation(models.TextChoices):
        MEAN = "mean", _("Mean of the period")
        SUM = "sum", _("Sum over the period")
        LATEST = "latest", _("Latest value")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="outcome_metrics"
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    unit = models.CharField(max_length=50)
    direction = models.CharField(max_length=16, choices=Direction.choices)
    aggregation = models.CharField(max_length=16, choices=Aggregation.choices, default="mean")
    baseline = models.DecimalField(max_digits=14, decimal_places=4)
    target = models.DecimalField(max_digits=14, decimal_places=4)
    money_value_per_unit = models.DecimalField(
        max_digits=14,
        decimal_places=4,
        null=True,
        blank=True,
        help_text=_("What one unit of improvement is worth, for return on investment."),
    )
    performance_objectives = models.ManyToManyField(
        "objectives.PerformanceObjective", blank=True, related_name="outcome_metrics"
    )
    # Kept by whatever adds measurements (measurement.services.values_counted), in the same
    # transaction: measurements are never changed or deleted, so it only ever grows, and
    # counting tens of thousands of values on each read of the metrics page is not needed.
    values_count = models.PositiveIntegerField(
        default=0, editable=False, help_text=_("How many values the metric has.")
    )

    objects = VisibleToQuerySet.as_manager()

    # values_count is a counter the measurements keep, not a change to the metric.
    history = tracked(excluded_fields=["values_count"])

    class Meta:
        ordering = ["program_id", "name"]
        constraints = [
            unique(
                "unique_name",
                "program",
                "name",
                message=_("This program already has a metric with that name."),
            ),
            check(
                "target_beats_baseline",
                Q(direction="increase", target__gt=F("baseline"))
                | Q(direction="decrease", target__lt=F("baseline")),
                _("The target must be better than the baseline in the metric's direction."),
            ),
            check(
                "money_value_positive",
                Q(money_value_per_unit__isnull=True) | Q(money_value_per_unit__gt=0),
                _(
                    "A money value per unit is more than zero; leave it empty for a metric "
                    "that is not turned into money."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.unit})"


# How far ahead of this server's clock a sender's "now" may be.
MEASUREMENT_CLOCK_SKEW = timedelta(minutes=5)


class Measurement(PublicIdModel, TimeStampedModel):
    """One value of an outcome metric at a point in time, for the program or one learner."""

    class Source(models.TextChoices):
        MANUAL = "manual", _("Entered by hand")
        IMPORT = "import", _("CSV import")
        API = "api", _("HR system")

    metric = models.ForeignKey(
        OutcomeMetric,
        on_delete=models.PROTECT,
        related_name="measurements",
        db_index=False,  # the (metric, measured_at) index serves it
    )
    enrolment = models.ForeignKey(
        "programs.Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="measurements",
        help_text=_("Empty for a program-level value."),
    )
    measured_at = models.DateTimeField()
    value = models.DecimalField(max_digits=14, decimal_places=4)
    source = models.CharField(max_length=16, choices=Source.choices, default=Source.MANUAL)
    note = models.CharField(max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["metric_id", "measured_at"]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="measurement_by_change"),
            # a metric's series over time (dashboards, rollups)
            models.Index(fields=["metric", "measured_at"], name="measurement_metric_time"),
            # a metric's program-level value at a moment, among many learners' (sponsor reviews)
            models.Index(
                fields=["metric", "measured_at"],
                condition=Q(enrolment__isnull=True),
                name="measurement_program_time",
            ),
            models.Index(fields=["enrolment", "measured_at"], name="measurement_enrolment_time"),
        ]

    def __str__(self):
        return f"{self.metric}: {self.value} at {self.measured_at:%Y-%m-%d}"

    def clean(self):
        if (
            self.enrolment_id
            and self.metric_id
            and self.enrolment.program_id != self.metric.program_id
        ):
            raise ValidationError({"enrolment": _("The learner must be on the metric's program.")})
        # Judged when the moment is set: a value stored ahead before this rule can still
        # have its note or value corrected.
        if self.measured_at and self._moment_changed() and self.is_in_future(self.measured_at):
            raise ValidationError(
                {
                    "measured_at": _(
                        "A value cannot be measured in the future: choose a moment up to now."
                    )
                }
            )

    def _moment_changed(self) -> bool:
        if self._state.adding:
            return True
        stored = type(self)._default_manager.filter(pk=self.pk).values_list("measured_at")
        return stored.get()[0] != self.measured_at

    @staticmethod
    def is_in_future(measured_at, now=None) -> bool:
        """Whether a value claims a moment still to come: a measurement is of what happened,
        and one dated ahead would stand as every chart's latest value. A sender's clock a
        little ahead of ours is allowed for."""
        return measured_at > (now or timezone.now()) + MEASUREMENT_CLOCK_SKEW


class SponsorReview(PublicIdModel, TimeStampedModel):
    """A rolled-up snapshot of one program period that sponsors read and decide from."""

    class Status(models.TextChoices):
        READY = "ready", _("Ready for review")
        IN_REVIEW = "in_review", _("In review")
        REVIEWED = "reviewed", _("Reviewed")

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="sponsor_reviews"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    snapshot = models.JSONField(
        default=dict, blank=True, help_text=_("The rolled-up figures as computed.")
    )
    generated_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.READY)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleToQuerySet.as_manager()

    # The snapshot is the rollup job's figures, regenerated weekly: the review's status,
    # who reviewed it and when are what changes.
    history = tracked(excluded_fields=["snapshot", "generated_at"])

    class Meta:
        ordering = ["program_id", "-period_end"]
        constraints = [
            unique(
                "one_per_period",
                "program",
                "period_start",
                "period_end",
                message=_("This program already has a review for that period."),
            ),
            check(
                "period_ends_after_start",
                Q(period_end__gt=F("period_start")),
                _("A review period must end after it starts."),
            ),
            check(
                "reviewed_has_who_and_when",
                Q(status="reviewed", reviewed_at__isnull=False, reviewed_by__isnull=False)
                | (~Q(status="reviewed") & Q(reviewed_at__isnull=True)),
                _("A reviewed review records who reviewed it and when."),
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.period_start} to {self.last_day}"

    @property
    def last_day(self):
        """The last day the period includes: `period_end` is the day after it, where the
        counting stops (measurement.rollups.period_bounds). People read periods by it."""
        return self.period_end - timedelta(days=1)


class ReviewComment(TimeStampedModel):
    """A sponsor's comment on a review."""

    review = models.ForeignKey(SponsorReview, on_delete=models.PROTECT, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField()

    objects = VisibleToQuerySet.as_manager()  # seen through its review

    history = tracked()

    class Meta:
        ordering = ["created_at"]

    def __str__(self):
        return self.body[:80]


class ReviewDecision(TimeStampedModel):
    """A decision taken in a review, e.g. recalibrate the pathway, with an owner and a date."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DONE = "done", _("Done")
        DROPPED = "dropped", _("Dropped")

    review = models.ForeignKey(SponsorReview, on_delete=models.PROTECT, related_name="decisions")
    description = models.TextField()
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleToQuerySet.as_manager()  # seen through its review

    history = tracked()

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:80]


STORY_NAMES_NO_STEP = _("A success story names the step or assignment that led to the result.")


class SuccessStory(TimeStampedModel):
    """A development step that led to a measured result, told for others to learn from."""

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="success_stories"
    )
    enrolment = models.ForeignKey(
        "programs.Enrolment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="success_stories",
    )
    step = models.ForeignKey(
        "programs.Step", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignment = models.ForeignKey(
        "programs.Assignment", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    metric = models.ForeignKey(
        OutcomeMetric, null=True, blank=True, on_delete=models.PROTECT, related_name="stories"
    )
    title = models.CharField(max_length=200)
    story = models.TextField()
    result = models.CharField(max_length=300, help_text=_("The measured result, in one line."))
    published = models.BooleanField(default=False)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "success stories"
        constraints = [
            check(
                "names_a_development_step",
                Q(step__isnull=False) | Q(assignment__isnull=False),
                STORY_NAMES_NO_STEP,
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        errors = {}
        # The database check refuses a story naming neither; said here, the refusal stands
        # beside the step a form asks for rather than above the whole form.
        if not (self.step_id or self.assignment_id):
            errors["step"] = STORY_NAMES_NO_STEP
        if self.program_id:
            errors.update(self._outside_the_program())
        if errors:
            raise ValidationError(errors)

    def _outside_the_program(self) -> dict:
        """What the story names that is not of its program, by field."""
        errors = {}
        if self.enrolment_id and self.enrolment.program_id != self.program_id:
            errors["enrolment"] = _("The learner must be on this program.")
        if self.step_id and self.step.pathway.program_id != self.program_id:
            errors["step"] = _("The step must be on a pathway of this program.")
        if self.assignment_id:
            assignment = self.assignment
            if assignment.enrolment.program_id != self.program_id:
                errors["assignment"] = _("The assignment must be one given on this program.")
            elif self.enrolment_id and assignment.enrolment_id != self.enrolment_id:
                errors["assignment"] = _(
                    "The assignment must be of the learner the story is about."
                )
            elif assignment.status == assignment.Status.CANCELLED:
                errors["assignment"] = _("This assignment was cancelled: it led to no result.")
            elif self.step_id and assignment.step_id and assignment.step_id != self.step_id:
                errors["step"] = _(
                    "The assignment was given on another step: name that step, or no step."
                )
        if self.metric_id and self.metric.program_id != self.program_id:
            errors["metric"] = _("The metric must be one of this program's.")
        return errors


class CostItem(TimeStampedModel):
    """One line of a program's fully loaded cost: an amount, or people's time at a loaded rate."""

    class Category(models.TextChoices):
        ANALYSIS = "analysis", _("Needs analysis")
        DESIGN = "design", _("Design and development")
        DELIVERY = "delivery", _("Delivery and facilitation")
        MATERIALS = "materials", _("Materials and technology")
        TRAVEL = "travel", _("Travel and facilities")
        PARTICIPANT_TIME = "participant_time", _("Participants' time")
        COACHING_TIME = "coaching_time", _("Managers' and coaches' time")
        EVALUATION = "evaluation", _("Evaluation")
        OVERHEAD = "overhead", _("Overhead and administration")

    # Time away from work is costed from hours and a loaded rate, so its sum can be checked.
    TIME_CATEGORIES = frozenset({Category.PARTICIPANT_TIME, Category.COACHING_TIME})

    program = models.ForeignKey(
        "programs.Program", on_delete=models.PROTECT, related_name="cost_items"
    )
    category = models.CharField(max_length=32, choices=Category.choices)
    description = models.CharField(max_length=200)
    incurred_on = models.DateField()
    amount = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("A cost paid, in the program's currency. Leave empty for time."),
    )
    hours = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Hours each person spent."),
    )
    people = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("How many people spent those hours.")
    )
    hourly_rate = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Loaded hourly rate: salary plus benefits."),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    objects = VisibleToQuerySet.as_manager()  # seen through its program

    history = tracked()

    class Meta:
        ordering = ["incurred_on", "id"]
        constraints = [
            check(
                "amount_or_time",
                Q(
                    amount__isnull=False,
                    hours__isnull=True,
                    people__isnull=True,
                    hourly_rate__isnull=True,
                )
                | Q(
                    amount__isnull=True,
                    hours__isnull=False,
                    people__isnull=False,
                    hourly_rate__isnull=False,
                ),
                _("Enter either an amount, or hours, people and an hourly rate."),
            ),
            check(
                "amount_not_negative",
                Q(amount__isnull=True) | Q(amount__gte=0),
                _("A cost cannot be negative."),
            ),
            check(
                "time_positive",
                Q(hours__isnull=True) | Q(hours__gt=0, people__gt=0, hourly_rate__gte=0),
                _("Hours and people must be more than zero, and the rate not negative."),
            ),
        ]

    def __str__(self):
        return f"{self.get_category_display()}: {self.description}"

    @property
    def is_time(self) -> bool:
        return self.amount is None

    def clean(self):
        timed = any(v is not None for v in (self.hours, self.people, self.hourly_rate))
        errors = {}
        if self.category in self.TIME_CATEGORIES and self.amount is not None:
            errors["amount"] = _(
                "Cost people's time from hours, people and a loaded hourly rate, not an amount."
            )
        elif self.amount is not None and timed:
            errors["amount"] = _("Enter either an amount, or hours, people and an hourly rate.")
        elif self.amount is None:
            for field in ("hours", "people", "hourly_rate"):
                if getattr(self, field) is None:
                    errors[field] = (
                        _("Needed to cost time.")
                        if timed or self.category in self.TIME_CATEGORIES
                        else _("Enter an amount, or hours, people and an hourly rate.")
                    )
        if errors:
            raise ValidationError(errors)


class BenefitEstimate(TimeStampedModel):
    """How one metric's improvement becomes money for return on investment (Phillips): how
    the program's effect was isolated, the share attributed to it and the confidence in that."""

    class Isolation(models.TextChoices):
        CONTROL_GROUP = "control_group", _("Control group")
        TREND_LINE = "trend_line", _("Trend-line analysis")
        FORECAST = "forecast", _("Forecasting model")
        PARTICIPANT_ESTIMATE = "participant_estimate", _("Participants' estimate")
        MANAGER_ESTIMATE = "manager_estimate", _("Managers' estimate")
        EXPERT_ESTIMATE = "expert_estimate", _("Expert estimate")

    metric = models.OneToOneField(
        OutcomeMetric, on_delete=models.PROTECT, related_name="benefit_estimate"
    )
    isolation_method = models.CharField(max_length=32, choices=Isolation.choices)
    isolation_note = models.TextField(
        blank=True,
        help_text=_("What the method found, e.g. “the comparison group improved by 0.4”."),
    )
    attribution_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Share of the improvement the isolation method credits to the program."),
    )
    confidence_percent = models.DecimalField(
        max_digits=5,
        decimal_places=2,
        default=100,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("How sure the estimators are; the benefit is discounted by it."),
    )
    occurrences_per_year = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        default=12,
        help_text=_("How often a year the improvement recurs: 12 for a monthly figure, 52 weekly."),
    )
    units_affected = models.PositiveIntegerField(
        default=1,
        help_text=_(
            "How many people or teams the value applies to: 1 for a program-wide figure, the "
            "number of participants for a per-person one."
        ),
    )

    objects = VisibleToQuerySet.as_manager()  # seen through its metric

    history = tracked()

    class Meta:
        constraints = [
            check(
                "attribution_0_to_100",
                Q(attribution_percent__gt=0, attribution_percent__lte=100),
                _("The share credited to the program lies above 0 and up to 100 %%."),
            ),
            check(
                "confidence_0_to_100",
                Q(confidence_percent__gt=0, confidence_percent__lte=100),
                _("Confidence lies above 0 and up to 100 %%."),
            ),
            check(
                "positive_scale",
                Q(occurrences_per_year__gt=0, units_affected__gt=0),
                _("Occurrences a year and units affected must be more than zero."),
            ),
        ]

    def __str__(self):
        return f"Benefit of {self.metric}"

    def clean(self):
        if self.metric_id and self.metric.money_value_per_unit is None:
            raise ValidationError(
                _("Give the metric a money value per unit before estimating its benefit.")
            )


class ProgramFigures(models.Model):
    """A program's learner figures as of `computed_at`: what its dashboard and the sponsor
    overview would compute from every learner's history, kept by a job so a page reads one
    row instead of recounting thousands of learners (measurement.figures).

    Counts are kept before privacy is applied: what may be shown is decided when they are
    read, as for figures computed live."""

    program = models.OneToOneField(
        "programs.Program", on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    computed_at = models.DateTimeField()
    overview = models.JSONField()  # the overview's counts (measurement.overview)
    dashboard = models.JSONField()  # the dashboard's learner sections (measurement.dashboard)

    class Meta:
        verbose_name_plural = "program figures"

    def __str__(self):
        return f"Figures of program {self.program_id} as of {self.computed_at:%Y-%m-%d %H:%M}"
