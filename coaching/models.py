"""Coaching: observations, the feedback windows they open, feedback, debriefs and reflections."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from programs.models import Rating
from talentdev.core.access import VisibleToQuerySet
from talentdev.core.audit import tracked
from talentdev.core.changes import shown_within
from talentdev.core.models import PublicIdModel, TimeStampedModel, check, unique


class Observation(PublicIdModel, TimeStampedModel):
    """Someone saw a learner perform (or not) against a performance objective."""

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.PROTECT, related_name="observations"
    )
    # Denormalised from the enrolment: evidence is read by learner far more than by enrolment.
    # Each leads a composite index below, which serves the foreign key too.
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observations_received",
        db_index=False,
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="observations_made",
        db_index=False,
    )
    performance_objective = models.ForeignKey(
        "objectives.PerformanceObjective",
        on_delete=models.PROTECT,
        related_name="observations",
        db_index=False,  # the (performance objective, time) index serves it
    )
    assignment = models.ForeignKey(
        "programs.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="observations",
    )
    observed_at = models.DateTimeField()
    rating = models.PositiveSmallIntegerField(choices=Rating.choices)
    behaviour = models.TextField(
        help_text=_("What was seen or heard, as specifically as possible.")
    )
    evidence = models.TextField(blank=True, help_text=_("A work sample, quote or link."))

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["-observed_at"]
        constraints = [
            check(
                "observer_not_learner",
                ~Q(observer=F("learner")),
                _("Learners cannot observe themselves; write a reflection."),
            ),
            check(
                "rating_in_scale",
                Q(rating__gte=1, rating__lte=4),
                _("Rating must be one of the four levels."),
            ),
        ]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="observation_by_change"),
            # a learner's evidence against one objective, newest first (gates, pathway page)
            models.Index(
                fields=["learner", "performance_objective", "-observed_at"],
                name="observation_learner_po_time",
            ),
            models.Index(fields=["enrolment", "-observed_at"], name="observation_enrolment_time"),
            models.Index(fields=["observer", "-observed_at"], name="observation_observer_time"),
            # observer calibration: a program's ratings since a date, read from the index
            # alone (who rated whom, and how)
            models.Index(
                fields=["performance_objective", "observed_at", "learner", "observer", "rating"],
                name="observation_po_time_ratings",
            ),
            # sponsor reviews: the enrolment of each observation whose feedback window closed
            # in the period, read from the index alone rather than from every observation
            models.Index(fields=["id"], include=["enrolment"], name="observation_enrolment"),
        ]

    def __str__(self):
        return f"{self.observer} observed {self.learner} ({self.get_rating_display()})"

    def clean(self):
        errors = {}
        if self.enrolment_id and self.learner_id and self.enrolment.learner_id != self.learner_id:
            errors["learner"] = _("The learner must be the enrolment's learner.")
        if (
            self.enrolment_id
            and self.performance_objective_id
            and self.performance_objective.program_id != self.enrolment.program_id
        ):
            errors["performance_objective"] = _(
                "Choose a performance objective of the learner's program."
            )
        if (
            self.assignment_id
            and self.enrolment_id
            and self.assignment.enrolment_id != self.enrolment_id
        ):
            errors["assignment"] = _("The assignment must be one of this learner's assignments.")
        if errors:
            raise ValidationError(errors)


class FeedbackWindow(PublicIdModel, TimeStampedModel):
    """The time an observation leaves for feedback; met or missed once it is decided."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        MET = "met", _("Met")
        MISSED = "missed", _("Missed")

    observation = models.OneToOneField(
        Observation, on_delete=models.PROTECT, related_name="feedback_window"
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.OPEN)
    resolved_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["closes_at"]
        constraints = [
            check(
                "closes_after_opens",
                Q(closes_at__gt=F("opens_at")),
                _("A feedback window must close after it opens."),
            ),
            check(
                "resolved_iff_not_open",
                Q(status="open", resolved_at__isnull=True)
                | (~Q(status="open") & Q(resolved_at__isnull=False)),
                _("A met or missed window records when; an open one not."),
            ),
        ]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="window_by_change"),
            # the reminder scan: open windows by closing time
            models.Index(
                fields=["closes_at"], condition=Q(status="open"), name="feedbackwindow_open_closes"
            ),
            # the reminder scan: windows missed lately, whose observers' managers it tells
            models.Index(
                fields=["resolved_at"],
                condition=Q(status="missed"),
                name="feedbackwindow_missed_resolved",
            ),
            # sponsor reviews: the windows that closed in a period, met or missed, and their
            # observations, read from the index alone
            models.Index(
                fields=["closes_at"],
                include=["status", "observation"],
                name="feedbackwindow_closes",
            ),
        ]

    def __str__(self):
        return f"Window for {self.observation} ({self.get_status_display()})"


class Feedback(PublicIdModel, TimeStampedModel):
    """Feedback on an observation, given once: a specific example and its impact on team
    goals."""

    observation = models.ForeignKey(Observation, on_delete=models.PROTECT, related_name="feedback")
    giver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="feedback_given"
    )
    # blank=True: clean() gives the specific message; the check constraint still holds.
    specific_example = models.TextField(
        blank=True, help_text=_("The specific moment: what was said or done, when.")
    )
    impact_on_team_goals = models.TextField(
        blank=True, help_text=_("How the behaviour helped or hurt the team's goals.")
    )
    suggestion = models.TextField(blank=True, help_text=_("What to keep doing or try next."))
    delivered_at = models.DateTimeField()

    objects = VisibleToQuerySet.as_manager()

    history = tracked()

    class Meta:
        ordering = ["-delivered_at"]
        verbose_name_plural = "feedback"
        constraints = [
            # One person's word on one observation: a second would contradict the first.
            unique(
                "one_per_observation",
                "observation",
                message=_("This observation already has its feedback."),
            ),
            check(
                "specific_and_impact",
                ~Q(specific_example="") & ~Q(impact_on_team_goals=""),
                _("Feedback cites a specific example and its impact on team goals."),
            ),
        ]
        indexes = [
            # the API's sync: rows changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="feedback_by_change"),
        ]

    def __str__(self):
        return f"Feedback from {self.giver} on {self.observation}"

    def clean(self):
        errors = {}
        if not (self.specific_example or "").strip():
            errors["specific_example"] = _("Cite a specific example of the behaviour.")
        if not (self.impact_on_team_goals or "").strip():
            errors["impact_on_team_goals"] = _("Describe the behaviour's impact on team goals.")
        if (
            self.observation_id
            and self.delivered_at
            and self.delivered_at < self.observation.observed_at
        ):
            errors["delivered_at"] = _("Feedback cannot come before the behaviour was observed.")
        if errors:
            raise ValidationError(errors)

    @property
    def inside_window(self) -> bool:
        """Whether this feedback arrived before the observation's window closed."""
        return self.delivered_at <= self.observation.feedback_window.closes_at


class Debrief(PublicIdModel, TimeStampedModel):
    """A structured debrief after an assignment or practice: what happened and what next."""

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.PROTECT, related_name="debriefs"
    )
    assignment = models.ForeignKey(
        "programs.Assignment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="debriefs",
    )
    facilitator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debriefs_facilitated"
    )
    held_at = models.DateTimeField()
    what_happened = models.TextField()
    what_went_well = models.TextField()
    what_to_change = models.TextField()
    lessons = models.TextField()

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at"]

    def __str__(self):
        return f"Debrief for {self.enrolment} on {self.held_at:%Y-%m-%d}"

    def clean(self):
        if (
            self.assignment_id
            and self.enrolment_id
            and self.assignment.enrolment_id != self.enrolment_id
        ):
            raise ValidationError({"assignment": _("The assignment must be this learner's.")})


@shown_within("debrief")
class DebriefAction(TimeStampedModel):
    """A next action agreed in a debrief, with an owner and a date."""

    debrief = models.ForeignKey(Debrief, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="debrief_actions"
    )
    due_on = models.DateField()
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:80]


class CoachingSession(PublicIdModel, TimeStampedModel):
    """A coaching conversation that ends in commitments with measurable targets."""

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.PROTECT, related_name="coaching_sessions"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_sessions_held"
    )
    held_at = models.DateTimeField()
    focus = models.CharField(max_length=200)
    notes = models.TextField(blank=True)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["-held_at"]
        constraints = [
            check("has_focus", ~Q(focus=""), _("Say what the session focused on.")),
        ]

    def __str__(self):
        return f"{self.focus} ({self.held_at:%Y-%m-%d})"


class Commitment(TimeStampedModel):
    """What the learner commits to after a coaching session, with a measurable target."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        KEPT = "kept", _("Kept")
        NOT_KEPT = "not_kept", _("Not kept")

    session = models.ForeignKey(
        CoachingSession, on_delete=models.CASCADE, related_name="commitments"
    )
    description = models.TextField()
    measure = models.CharField(max_length=200, help_text=_("What will be counted."))
    target_value = models.DecimalField(max_digits=12, decimal_places=2)
    target_unit = models.CharField(max_length=50)
    due_on = models.DateField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.description[:80]


class PeerFeedbackRequest(TimeStampedModel):
    """A request for a peer to give feedback on a learner, named or anonymous to the learner."""

    class Status(models.TextChoices):
        REQUESTED = "requested", _("Requested")
        SUBMITTED = "submitted", _("Submitted")
        DECLINED = "declined", _("Declined")

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.PROTECT, related_name="peer_feedback_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="peer_requests_made"
    )
    # The inbox index below serves this foreign key.
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="peer_requests_received",
        db_index=False,
    )
    performance_objective = models.ForeignKey(
        "objectives.PerformanceObjective",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    prompt = models.TextField()
    anonymous = models.BooleanField(default=False, help_text=_("Hide the reviewer's name."))
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.REQUESTED)
    response = models.TextField(blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["due_at"]
        constraints = [
            check(
                "submitted_has_response",
                ~Q(status="submitted") | (Q(responded_at__isnull=False) & ~Q(response="")),
                _("A submitted request carries the response and its time."),
            ),
        ]
        indexes = [
            # the before-due reminder scan
            models.Index(
                fields=["due_at"], condition=Q(status="requested"), name="peerrequest_open_due"
            ),
            # a reviewer's inbox, a page at a time: open ones first, soonest due first
            models.Index(fields=["reviewer", "status", "due_at", "id"], name="peerrequest_inbox"),
        ]

    def __str__(self):
        return f"Peer feedback for {self.enrolment} from {self.reviewer}"

    def clean(self):
        # Who may be asked: anyone still at the company but the learner.
        if not self.reviewer_id:
            return
        if self.enrolment_id and self.enrolment.learner_id == self.reviewer_id:
            raise ValidationError(
                {"reviewer": _("Learners cannot give peer feedback to themselves.")}
            )
        if not self.reviewer.is_active:
            raise ValidationError(
                {
                    "reviewer": _("%(who)s is no longer active: ask someone who is.")
                    % {"who": self.reviewer}
                }
            )


class Reflection(TimeStampedModel):
    """A learner's journal entry: what they tried, noticed and will do next."""

    enrolment = models.ForeignKey(
        "programs.Enrolment", on_delete=models.PROTECT, related_name="reflections"
    )
    step = models.ForeignKey(
        "programs.Step", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    written_at = models.DateTimeField()
    body = models.TextField()
    next_action = models.TextField(blank=True)

    objects = VisibleToQuerySet.as_manager()

    class Meta:
        ordering = ["-written_at"]

    def __str__(self):
        return f"Reflection of {self.enrolment} on {self.written_at:%Y-%m-%d}"


class KeptCalibrationRow(models.Model):
    """One row of a program's observer calibration over the last `days` as of `computed_at`,
    at its place (`rank`, from 0) in the page's order: kept by the sponsor figures' job so
    the page reads a page of rows instead of aggregating a quarter's ratings
    (coaching.kept_calibration). Names and statements are read live beside it."""

    program = models.ForeignKey(
        "programs.Program",
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,  # the rank constraint's index leads with it
    )
    days = models.PositiveSmallIntegerField()
    computed_at = models.DateTimeField()
    rank = models.PositiveIntegerField()
    found = models.PositiveIntegerField()  # how many rows the program and period have in all
    performance_objective = models.ForeignKey(
        "objectives.PerformanceObjective", on_delete=models.CASCADE, related_name="+"
    )
    observer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    observations = models.PositiveIntegerField()
    learners = models.PositiveIntegerField()
    rating_total = models.PositiveIntegerField()
    shared = models.PositiveIntegerField()
    others_weighted = models.FloatField(null=True)

    class Meta:
        constraints = [
            # a page of the calibration: a program's rows of a period, by rank
            unique(
                "one_row_per_rank",
                "program",
                "days",
                "rank",
                message=_("A program's calibration has one row at each rank of a period."),
            ),
        ]

    def __str__(self):
        return f"Calibration of program {self.program_id}, {self.days} days, row {self.rank}"
