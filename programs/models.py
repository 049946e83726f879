"""Programs, their versioned pathways of steps, cohorts, enrolments and on-the-job assignments."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, F, Q
from django.utils.translation import gettext_lazy as _

from objectives.models import Competency, LearningObjective
from talentdev.core.access import VisibleToQuerySet
from talentdev.core.audit import tracked
from talentdev.core.changes import m2m_shown_by, shown_within
from talentdev.core.models import PublicIdModel, TimeStampedModel, check, unique


class Rating(models.IntegerChoices):
    """How well a behaviour was performed; shared by observations and evidence rules."""

    BELOW = 1, _("Below expectations")
    APPROACHING = 2, _("Approaching")
    MEETS = 3, _("Meets")
    EXCEEDS = 4, _("Exceeds")


class Program(PublicIdModel, TimeStampedModel):
    """A talent development program with a business goal, an owner and sponsors."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ACTIVE = "active", _("Active")
        COMPLETED = "completed", _("Completed")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=80, unique=True)
    business_goal = models.TextField(help_text=_("The business result the program exists for."))
    description = models.TextField(blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_programs"
    )
    sponsors = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="sponsored_programs"
    )
    framework = models.ForeignKey(
        "objectives.CompetencyFramework",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="programs",
    )
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    cost = models.DecimalField(
        max_digits=14,
        decimal_places=2,
        default=0,
        validators=[MinValueValidator(0)],
        help_text=_("Budgeted program cost."),
    )
    currency = models.CharField(max_length=3, default="USD")
    # When a learner has reached competency (programs/progression.py reads these).
    competency_needs_objectives = models.BooleanField(
        _("every performance objective met on the job"),
        default=True,
        help_text=_(
            "Each of the program's performance objectives observed at Meets or better, or a "
            "success criterion tied to it met in the debrief that completed an assignment."
        ),
    )
    competency_min_rank = models.PositiveSmallIntegerField(
        _("assessed level needed in every competency"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_(
            "The learner's latest baseline or checkpoint assessment must reach this level (1 is "
            "the lowest) in every competency the learning objectives build. Empty: not needed."
        ),
    )

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["name"]
        constraints = [
            check(
                "ends_after_start",
                Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                _("A program cannot end before it starts."),
            ),
            check("cost_not_negative", Q(cost__gte=0), _("Cost cannot be negative.")),
        ]

    def __str__(self):
        return self.name

    def competencies(self):
        """The competencies the program builds: those its learning objectives build, or,
        before it has any, those of its framework. Its rules and its assessments read them."""
        objectives = LearningObjective.objects.filter(program_id=self.pk)
        return Competency.objects.filter(
            Q(pk__in=objectives.values("competency_id"))
            | (Q(framework_id=self.framework_id) & ~Exists(objectives))
        )


class Pathway(PublicIdModel, TimeStampedModel):
    """One version of a program's pathway; enrolments keep the version they started on."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="pathways")
    version = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    change_note = models.TextField(blank=True, help_text=_("What changed from the last version."))

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["program_id", "-version"]
        constraints = [
            unique(
                "unique_version",
                "program",
                "version",
                message=_("This program already has a pathway with that version."),
            ),
            unique(
                "one_published_per_program",
                "program",
                message=_("A program has only one published pathway at a time."),
                condition=Q(status="published"),
            ),
            check("version_positive", Q(version__gte=1), _("Versions start at 1.")),
            check(
                "published_has_date",
                Q(status="draft") | Q(published_at__isnull=False),
                _("A published or retired pathway has a publish date."),
            ),
        ]

    def __str__(self):
        return f"{self.program} pathway v{self.version}"

    @property
    def is_editable(self) -> bool:
        # Learners on a published version keep it as it was: only drafts change.
        return self.status == self.Status.DRAFT


@shown_within("pathway")
class Step(PublicIdModel, TimeStampedModel):
    """A step of a pathway: the objectives it serves, what completes it, when it unlocks and
    when it is due.

    `completed_by` names the rule that completes it (programs/progression.py applies it).
    The evidence gate, for a step completed by evidence: at least `gate_min_observations`
    observations against the step's performance objectives rated `gate_min_rating` or
    better, from `gate_min_observers` different observers, within `gate_within_days` days.
    """

    class Completion(models.TextChoices):
        EVIDENCE = "evidence", _("Observations meet its evidence rule")
        DEBRIEF = "debrief", _("Its on-the-job assignment is debriefed as done")
        ASSESSMENT = "assessment", _("An assessment is recorded (at a level, if one is set)")
        REFLECTION = "reflection", _("The learner writes a reflection on it")
        COACHING = "coaching", _("A coaching session is held while it is open")
        LEARNER = "learner", _("The learner marks it done")
        SUPERVISOR = "supervisor", _("The supervisor signs it off")

    class DueFrom(models.TextChoices):
        UNLOCK = "unlock", _("after it unlocks")
        ENROLMENT = "enrolment", _("after enrolment")

    class Kind(models.TextChoices):
        BASELINE_ASSESSMENT = "baseline_assessment", _("Baseline assessment")
        MICRO_LEARNING = "micro_learning", _("Micro-learning")
        ROLE_PLAY = "role_play", _("Practice: role-play")
        SIMULATION = "simulation", _("Practice: simulation")
        CASE_STUDY = "case_study", _("Practice: case study")
        ON_THE_JOB = "on_the_job", _("On-the-job assignment")
        DEBRIEF = "debrief", _("Debrief")
        REFLECTION = "reflection", _("Reflection")
        CHECKPOINT_REVIEW = "checkpoint_review", _("Checkpoint review")
        COACHING = "coaching", _("Coaching session")

    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="steps")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=32, choices=Kind.choices)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    difficulty = models.PositiveSmallIntegerField(
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
        help_text=_("1 (introductory) to 5 (hardest); it should rise along the pathway."),
    )
    expected_duration = models.DurationField(null=True, blank=True)
    learning_objectives = models.ManyToManyField(
        "objectives.LearningObjective", blank=True, related_name="steps"
    )
    performance_objectives = models.ManyToManyField(
        "objectives.PerformanceObjective", blank=True, related_name="steps"
    )
    gate_min_observations = models.PositiveSmallIntegerField(null=True, blank=True)
    gate_min_rating = models.PositiveSmallIntegerField(
        choices=Rating.choices, null=True, blank=True
    )
    gate_min_observers = models.PositiveSmallIntegerField(null=True, blank=True)
    gate_within_days = models.PositiveSmallIntegerField(null=True, blank=True)
    completed_by = models.CharField(
        _("completed when"), max_length=16, choices=Completion.choices, default=Completion.LEARNER
    )
    assessment_min_rank = models.PositiveSmallIntegerField(
        _("assessed at least at level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("For a step an assessment completes; empty: any recorded assessment."),
    )
    with_previous = models.BooleanField(
        _("runs alongside the step before it"),
        default=False,
        help_text=_("Unlocks together with the step before it instead of after it is done."),
    )
    skippable = models.BooleanField(
        _("the supervisor may skip it"),
        default=False,
        help_text=_("With a reason, e.g. when the learner already does it on the job."),
    )
    due_days = models.PositiveSmallIntegerField(
        _("due within (days)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    due_from = models.CharField(
        _("counted from"), max_length=16, choices=DueFrom.choices, default=DueFrom.UNLOCK
    )

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["pathway_id", "position"]
        constraints = [
            unique(
                "unique_position",
                "pathway",
                "position",
                message=_("Another step already holds this position."),
            ),
            check(
                "difficulty_1_to_5",
                Q(difficulty__gte=1, difficulty__lte=5),
                _("Difficulty runs from 1 to 5."),
            ),
            # A gate is all or nothing: a count of observations with a rating and a span.
            check(
                "evidence_gate_complete",
                Q(
                    gate_min_observations__isnull=True,
                    gate_min_rating__isnull=True,
                    gate_min_observers__isnull=True,
                    gate_within_days__isnull=True,
                )
                # NULL makes a check unknown, which passes: demand every part explicitly.
                | Q(
                    gate_min_observations__isnull=False,
                    gate_min_observers__isnull=False,
                    gate_within_days__isnull=False,
                    gate_min_observations__gte=1,
                    gate_min_rating__isnull=False,
                    gate_min_observers__gte=1,
                    gate_min_observers__lte=F("gate_min_observations"),
                    gate_within_days__gte=1,
                ),
                _(
                    "An evidence rule needs a number of observations (1 or more), a minimum "
                    "rating, a number of observers no larger than the number of observations, "
                    "and a span in days."
                ),
            ),
        ]

    def __str__(self):
        return f"{self.position}. {self.title}"

    @property
    def is_evidence_gated(self) -> bool:
        return self.gate_min_observations is not None

    @property
    def expected_hours(self) -> float | None:
        """The effort the step expects, in hours, as people say it."""
        if self.expected_duration is None:
            return None
        return round(self.expected_duration.total_seconds() / 3600, 2)

    def clean(self):
        if self.is_evidence_gated and self.completed_by == self.Completion.LEARNER:
            # An evidence rule left with the default completion means observations complete it.
            self.completed_by = self.Completion.EVIDENCE
        evidence = self.completed_by == self.Completion.EVIDENCE
        if evidence and not self.is_evidence_gated:
            raise ValidationError(
                {"gate_min_observations": _("Say how many observations complete this step.")}
            )
        if self.is_evidence_gated and not evidence:
            raise ValidationError(
                {
                    "completed_by": _(
                        "An evidence rule completes only a step completed by observations."
                    )
                }
            )
        if self.assessment_min_rank is not None and self.completed_by != self.Completion.ASSESSMENT:
            raise ValidationError(
                {
                    "assessment_min_rank": _(
                        "A level applies only to a step an assessment completes."
                    )
                }
            )


class Cohort(PublicIdModel, TimeStampedModel):
    """A group of learners who go through a program together."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="cohorts")
    name = models.CharField(max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField(null=True, blank=True)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["program_id", "starts_on"]
        constraints = [
            unique(
                "unique_name",
                "program",
                "name",
                message=_("This program already has a cohort with that name."),
            ),
            check(
                "ends_after_start",
                Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                _("A cohort cannot end before it starts."),
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.name}"


def current_enrolment(prefix: str = "") -> Q:
    """An enrolment still on its program: every status but withdrawn. `prefix` reaches the
    enrolment from a related row, e.g. "enrolment__" from a step's progress."""
    return ~Q(**{f"{prefix}status": Enrolment.Status.WITHDRAWN})


def unfinished_enrolment() -> Q:
    """In progress, or through the pathway without having reached competency yet: a learner
    evidence still counts for."""
    S = Enrolment.Status
    return Q(status__in=[S.ACTIVE, S.PAUSED]) | Q(status=S.COMPLETED, competent_on__isnull=True)


class EnrolmentQuerySet(VisibleToQuerySet):
    def current(self):
        """Learners still on their program, whether active, paused or completed."""
        return self.filter(current_enrolment())

    def unfinished(self):
        """Learners still working on their program (Enrolment.is_unfinished)."""
        return self.filter(unfinished_enrolment())


SUPERVISOR_NOT_LEARNER = _("A learner cannot supervise their own enrolment.")
COACH_NOT_LEARNER = _("A learner cannot coach themselves.")


class Enrolment(PublicIdModel, TimeStampedModel):
    """A learner on a program, pinned to the pathway version they started on."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        COMPLETED = "completed", _("Completed")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    # The (learner, status) and (program, status) indexes serve these foreign keys.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="enrolments",
        db_index=False,
    )
    program = models.ForeignKey(
        Program, on_delete=models.PROTECT, related_name="enrolments", db_index=False
    )
    pathway = models.ForeignKey(Pathway, on_delete=models.PROTECT, related_name="enrolments")
    cohort = models.ForeignKey(
        Cohort, null=True, blank=True, on_delete=models.PROTECT, related_name="enrolments"
    )
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_enrolments",
        help_text=_("Observes the learner at work and coaches them."),
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="coached_enrolments",
    )
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ACTIVE)
    enrolled_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    competent_on = models.DateField(
        null=True, blank=True, help_text=_("When the learner reached the required proficiency.")
    )

    objects = EnrolmentQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["program_id", "learner_id"]
        constraints = [
            unique(
                "one_current_per_program",
                "learner",
                "program",
                message=_("This person is already enrolled in this program."),
                condition=~Q(status="withdrawn"),
            ),
            check("supervisor_not_learner", ~Q(supervisor=F("learner")), SUPERVISOR_NOT_LEARNER),
            check("coach_not_learner", ~Q(coach=F("learner")), COACH_NOT_LEARNER),
            check(
                "completed_after_enrolled",
                Q(completed_on__isnull=True) | Q(completed_on__gte=F("enrolled_on")),
                _("Completion cannot come before enrolment."),
            ),
            check(
                "competent_after_enrolled",
                Q(competent_on__isnull=True) | Q(competent_on__gte=F("enrolled_on")),
                _("Competency cannot be reached before enrolment."),
            ),
            check(
                "completed_has_date",
                ~Q(status="completed") | Q(completed_on__isnull=False),
                _("A completed enrolment needs its completion date."),
            ),
        ]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="enrolment_by_change"),
            # a learner's own programs, and a program's roster by status
            models.Index(fields=["learner", "status"], name="enrolment_learner_status"),
            models.Index(fields=["program", "status"], name="enrolment_program_status"),
            # the supervisor's team page
            models.Index(fields=["supervisor", "status"], name="enrolment_supervisor_status"),
        ]

    def __str__(self):
        return f"{self.learner} in {self.program}"

    @property
    def takes_assignments(self) -> bool:
        """New on-the-job work goes to learners in progress: active or paused."""
        return self.status in (Enrolment.Status.ACTIVE, Enrolment.Status.PAUSED)

    @property
    def is_unfinished(self) -> bool:
        """unfinished_enrolment() for one enrolment in memory."""
        S = Enrolment.Status
        return self.status in (S.ACTIVE, S.PAUSED) or (
            self.status == S.COMPLETED and self.competent_on is None
        )

    def clean(self):
        errors = {}
        if self.pathway_id and self.program_id and self.pathway.program_id != self.program_id:
            errors["pathway"] = _("The pathway must belong to the enrolment's program.")
        if self.cohort_id and self.program_id and self.cohort.program_id != self.program_id:
            errors["cohort"] = _("The cohort must belong to the enrolment's program.")
        # The database refuses these too; said here, the message stands beside its field.
        if self.learner_id and self.supervisor_id == self.learner_id:
            errors["supervisor"] = SUPERVISOR_NOT_LEARNER
        if self.learner_id and self.coach_id == self.learner_id:
            errors["coach"] = COACH_NOT_LEARNER
        if errors:
            raise ValidationError(errors)


class StepProgress(PublicIdModel, TimeStampedModel):
    """Where one enrolment stands on one step of its pathway."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        COMPLETED = "completed", _("Completed")
        SKIPPED = "skipped", _("Skipped")

    # Steps the learner has moved past; sponsors' figures count only the completed ones.
    DONE_STATUSES = (Status.COMPLETED, Status.SKIPPED)

    @classmethod
    def overdue_on(cls, today) -> Q:
        """Progress overdue on `today`: due before it, not done, and of a learner still
        active (a paused or ended enrolment owes nothing). As `is_overdue_on`."""
        return cls.open_and_due_before(today) & Q(enrolment__status=Enrolment.Status.ACTIVE)

    @classmethod
    def open_and_due_before(cls, day, *, via: str = "") -> Q:
        """Progress due before `day` and not done, whatever its enrolment's status: overdue
        on `day` when the enrolment is active (`overdue_on`). A query that already holds the
        enrolment asks its status itself rather than joining it again (from the enrolment,
        `via="progress__"`)."""
        return Q(**{f"{via}due_on__lt": day}) & ~Q(**{f"{via}status__in": cls.DONE_STATUSES})

    def is_overdue_on(self, today) -> bool:
        """Whether this step is overdue on `today`; reads the enrolment's status."""
        return (
            self.due_on is not None
            and self.due_on < today
            and self.status not in self.DONE_STATUSES
            and self.enrolment.status == Enrolment.Status.ACTIVE
        )

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="progress")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="progress")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.NOT_STARTED)
    due_on = models.DateField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["enrolment_id", "step_id"]
        verbose_name_plural = "step progress"
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="progress_by_change"),
            # the roster's "only with a step overdue": an enrolment's open steps by due date
            # (the statuses are DONE_STATUSES, which Meta cannot read from the class body)
            models.Index(
                fields=["enrolment", "due_on"],
                condition=Q(due_on__isnull=False) & ~Q(status__in=["completed", "skipped"]),
                name="progress_open_due",
            ),
        ]
        constraints = [
            unique(
                "unique_step",
                "enrolment",
                "step",
                message=_("Progress on this step is already recorded."),
            ),
            check(
                "completed_iff_date",
                Q(status="completed", completed_at__isnull=False)
                | (~Q(status="completed") & Q(completed_at__isnull=True)),
                _("A completed step has a completion time, and only then."),
            ),
            check(
                "completed_after_started",
                Q(started_at__isnull=True)
                | Q(completed_at__isnull=True)
                | Q(completed_at__gte=F("started_at")),
                _("A step cannot be completed before it was started."),
            ),
        ]

    def __str__(self):
        return f"{self.enrolment}: {self.step} ({self.get_status_display()})"

    def clean(self):
        if self.step_id and self.enrolment_id and self.step.pathway_id != self.enrolment.pathway_id:
            raise ValidationError(
                {"step": _("The step must be on the enrolment's pathway version.")}
            )


class Assignment(PublicIdModel, TimeStampedModel):
    """A stretch assignment on the job that mirrors a real problem, with success criteria."""

    class ScenarioKind(models.TextChoices):
        CROSS_FUNCTIONAL = "cross_functional", _("Cross-functional collaboration")
        CUSTOMER_ESCALATION = "customer_escalation", _("Customer escalation")
        PROJECT_TRADEOFF = "project_tradeoff", _("Project trade-offs")
        STAKEHOLDER_COMMUNICATION = "stakeholder_communication", _("Stakeholder communication")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        ASSIGNED = "assigned", _("Assigned")
        IN_PROGRESS = "in_progress", _("In progress")
        SUBMITTED = "submitted", _("Evidence submitted")
        COMPLETED = "completed", _("Completed")
        CANCELLED = "cancelled", _("Cancelled")

    # Work not yet done: the learner still owes its evidence (due-date reminders, "open").
    OPEN_STATUSES = (Status.ASSIGNED, Status.IN_PROGRESS)
    # Work counted as done in rollups and comparisons: evidence submitted, or signed off.
    # Only done work can be presented.
    DONE_STATUSES = (Status.SUBMITTED, Status.COMPLETED)
    # Closed: no more evidence, no change to the brief.
    CLOSED_STATUSES = (Status.COMPLETED, Status.CANCELLED)

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="assignments")
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="assignments"
    )
    title = models.CharField(max_length=200)
    brief = models.TextField()
    scenario_kind = models.CharField(max_length=32, choices=ScenarioKind.choices)
    stakeholders = models.TextField(
        blank=True, help_text=_("Who the work is for and who will hear the results.")
    )
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.ASSIGNED)
    evidence = models.TextField(blank=True, help_text=_("What the learner did and produced."))
    evidence_url = models.URLField(blank=True)
    outcome = models.TextField(blank=True, help_text=_("The result the work achieved."))
    submitted_at = models.DateTimeField(null=True, blank=True)
    presented_on = models.DateField(null=True, blank=True)
    presented_to = models.CharField(max_length=300, blank=True)
    cancel_reason = models.TextField(
        blank=True, help_text=_("Why the assignment was cancelled, told to the learner.")
    )

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["due_on", "id"]
        constraints = [
            check(
                "submitted_has_time",
                ~Q(status__in=["submitted", "completed"]) | Q(submitted_at__isnull=False),
                _("Submitted work records when it was submitted."),
            ),
        ]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="assignment_by_change"),
            # the due-date reminder scan
            models.Index(fields=["status", "due_on"], name="assignment_status_due"),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.step_id and self.enrolment_id and self.step.pathway_id != self.enrolment.pathway_id:
            raise ValidationError(
                {"step": _("The step must be on the enrolment's pathway version.")}
            )


class SuccessCriterion(TimeStampedModel):
    """One criterion an assignment is judged by, tied to the performance objective it shows."""

    assignment = models.ForeignKey(
        Assignment, on_delete=models.CASCADE, related_name="success_criteria"
    )
    position = models.PositiveSmallIntegerField(default=1)
    description = models.TextField()
    performance_objective = models.ForeignKey(
        "objectives.PerformanceObjective", on_delete=models.PROTECT, related_name="+"
    )
    met = models.BooleanField(null=True, blank=True, help_text=_("Unknown until judged."))

    class Meta:
        ordering = ["assignment_id", "position"]
        verbose_name_plural = "success criteria"
        constraints = [
            unique(
                "unique_position",
                "assignment",
                "position",
                message=_("Another criterion already holds this position."),
            ),
        ]

    def __str__(self):
        return self.description[:80]

    def clean(self):
        if (
            self.assignment_id
            and self.performance_objective_id
            and self.performance_objective.program_id != self.assignment.enrolment.program_id
        ):
            raise ValidationError(
                {"performance_objective": _("Choose a performance objective of this program.")}
            )


class StepSignOff(TimeStampedModel):
    """A person's word on a step: done (signed off) or skipped, with a note or reason. Never
    changed; progression reads it as evidence."""

    class Decision(models.TextChoices):
        SIGNED_OFF = "signed_off", _("Signed off")
        SKIPPED = "skipped", _("Skipped")

    progress = models.ForeignKey(StepProgress, on_delete=models.PROTECT, related_name="sign_offs")
    decision = models.CharField(max_length=16, choices=Decision.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    note = models.TextField(help_text=_("What was done, or why the step is skipped."))
    at = models.DateTimeField()

    class Meta:
        ordering = ["-at"]
        constraints = [
            check("note_given", ~Q(note=""), _("Say what was done, or why it is skipped.")),
        ]

    def __str__(self):
        return f"{self.get_decision_display()}: {self.progress}"


class ProgressEvent(models.Model):
    """One change of a step's or an enrolment's status, or of competency: what changed, from
    what to what, when, and what caused it. Append-only: the history time to competency,
    completion funnels and sponsor reviews are read from, and what integrations will be sent.
    """

    class Type(models.TextChoices):
        STEP_UNLOCKED = "step.unlocked", _("Step unlocked")
        STEP_COMPLETED = "step.completed", _("Step completed")
        STEP_SKIPPED = "step.skipped", _("Step skipped")
        ENROLMENT_STATUS = "enrolment.status", _("Enrolment status changed")
        ENROLMENT_COMPLETED = "enrolment.completed", _("Enrolment completed")
        COMPETENCY_REACHED = "enrolment.competent", _("Competency reached")

    class Cause(models.TextChoices):
        RULE = "rule", _("The step's or program's rule, on the evidence")
        SIGN_OFF = "sign_off", _("A person's sign-off")
        SKIP = "skip", _("A person's decision to skip")
        PERSON = "person", _("A person's change")
        BACKFILL = "backfill", _("Recorded before the history began")

    # A stable id, the same wherever the event is sent.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=32, choices=Type.choices)
    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="events")
    step = models.ForeignKey(
        Step, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    from_status = models.CharField(max_length=16, blank=True)
    to_status = models.CharField(max_length=16, blank=True)
    occurred_at = models.DateTimeField(help_text=_("When the change took effect."))
    cause = models.CharField(max_length=16, choices=Cause.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Who made it happen, when a person did."),
    )
    detail = models.JSONField(default=dict, blank=True, help_text=_("The evidence or reason."))
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["occurred_at", "recorded_at"]
        indexes = [
            # an enrolment's history, and its status at a date (sponsor reviews)
            models.Index(fields=["enrolment", "occurred_at"], name="event_enrolment_time"),
            # the API's sync: events recorded since a time, in the order pages are read
            models.Index(fields=["recorded_at", "id"], name="event_by_record"),
            # a program's events of a type in a period (rollups, funnels); with the enrolment,
            # so which learners had one by a moment (completed, competent) is read from the
            # index alone
            models.Index(
                fields=["type", "occurred_at"], include=["enrolment"], name="event_type_time"
            ),
            # an enrolment's status and competency at a moment (sponsor reviews, overview)
            models.Index(
                fields=["enrolment", "occurred_at"],
                condition=Q(
                    type__in=["enrolment.status", "enrolment.completed", "enrolment.competent"]
                ),
                name="event_enrolment_state",
            ),
            # whether a step was completed by a moment, for each step of many learners
            # (sponsor reviews, the completion funnel)
            models.Index(
                fields=["enrolment", "step", "occurred_at"],
                condition=Q(type="step.completed"),
                name="event_step_completed",
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} at {self.occurred_at:%Y-%m-%d %H:%M}"


# The API shows these links on the row that holds them (talentdev.core.changes).
m2m_shown_by(Program, "sponsors")
m2m_shown_by(Step, "learning_objectives")
m2m_shown_by(Step, "performance_objectives")
