"""People: the custom user, the org-unit tree and job roles with the levels they require."""

import zoneinfo

from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.translation import gettext_lazy as _

from talentdev.core.access import VisibleToQuerySet
from talentdev.core.audit import tracked
from talentdev.core.changes import shown_within
from talentdev.core.models import PublicIdModel, TimeStampedModel, check, ensure_no_cycle, unique
from talentdev.core.zones import ShownZone

TIME_ZONE_CHOICES = sorted((tz, tz) for tz in zoneinfo.available_timezones())


class OrgUnit(PublicIdModel, TimeStampedModel):
    """A unit of the organisation; units form a tree through parent."""

    objects = VisibleToQuerySet.as_manager()

    name = models.CharField(max_length=200)
    code = models.SlugField(max_length=50, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )

    history = tracked()

    class Meta:
        ordering = ["name"]
        constraints = [
            check("not_own_parent", ~Q(parent=F("id")), _("An org unit cannot be its own parent.")),
        ]

    def __str__(self):
        return self.name

    def clean(self):
        ensure_no_cycle(self, "parent", _("This parent would make the org tree a loop."))


class JobRole(PublicIdModel, TimeStampedModel):
    """A role people hold, stating the competency levels it requires."""

    objects = VisibleToQuerySet.as_manager()

    code = models.SlugField(max_length=50, unique=True)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)

    history = tracked()

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


@shown_within("job_role")
class RoleRequirement(TimeStampedModel):
    """The proficiency level a job role requires in one competency."""

    job_role = models.ForeignKey(JobRole, on_delete=models.CASCADE, related_name="requirements")
    competency = models.ForeignKey(
        "objectives.Competency", on_delete=models.PROTECT, related_name="role_requirements"
    )
    required_level = models.ForeignKey(
        "objectives.ProficiencyLevel", on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        constraints = [
            unique(
                "one_level_per_competency",
                "job_role",
                "competency",
                message=_("This role already states a level for that competency."),
            ),
        ]

    def __str__(self):
        return f"{self.job_role}: {self.competency} at {self.required_level}"

    def clean(self):
        if (
            self.competency_id
            and self.required_level_id
            and self.required_level.scale_id != self.competency.scale_id
        ):
            raise ValidationError(
                {"required_level": _("The level must come from the competency's own scale.")}
            )


class PersonManager(UserManager.from_queryset(VisibleToQuerySet)):
    """Django's user manager, with `visible_to(user)` from the shared access rules."""


class User(PublicIdModel, TimeStampedModel, AbstractUser):
    """A person: learner, manager, coach, sponsor or HR admin depending on context."""

    employee_id = models.CharField(
        _("employee ID"),
        max_length=64,
        blank=True,
        default="",
        help_text=_("The HR system's identifier; unique when set."),
    )
    job_title = models.CharField(max_length=200, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="members"
    )
    job_role = models.ForeignKey(
        JobRole, null=True, blank=True, on_delete=models.PROTECT, related_name="holders"
    )
    manager = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reports",
        help_text=_("The person this one reports to."),
    )
    time_zone = models.CharField(max_length=64, choices=TIME_ZONE_CHOICES, default="UTC")
    email_notifications = models.BooleanField(
        default=True, help_text=_("Send reminders and notices by email as well as in the app.")
    )

    objects = PersonManager()

    # Sign-in details and a person's own notification setting are not HR data.
    history = tracked(excluded_fields=["password", "last_login", "email_notifications"])

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [
            ("administer_programs", _("Can administer every program (HR admin)")),
        ]
        constraints = [
            unique(
                "unique_employee_id",
                "employee_id",
                message=_("Another person already has this employee ID."),
                condition=~Q(employee_id=""),
            ),
            check(
                "not_own_manager", ~Q(manager=F("id")), _("A person cannot be their own manager.")
            ),
        ]
        indexes = [
            # a program's learners by name, a page at a time (the roster, the enrol page):
            # read in this order until a page is found rather than sorting every learner
            models.Index(fields=["last_name", "first_name", "id"], name="person_by_name"),
            # the API's sync: people changed since a time, in the order pages are read
            models.Index(fields=["updated_at", "uuid"], name="person_by_change"),
        ]

    def __str__(self):
        return self.get_full_name() or self.username

    @property
    def zone(self) -> ShownZone:
        return ShownZone(self.time_zone)

    def clean(self):
        super().clean()
        self.employee_id = self.employee_id.strip()
        ensure_no_cycle(self, "manager", _("This manager would make the reporting line a loop."))


def shown_name(person: str = "") -> models.Expression:
    """A person's name as User.__str__ gives it, as a database expression, from the lookup
    prefix of their fields ("learner__"): their full name, else their username; no person:
    empty. (Trim takes spaces only where __str__ strips any whitespace; the forms, the admin
    and the API strip names as they save them, so the two agree on every stored name.)"""
    full = Trim(
        Concat(
            Coalesce(F(f"{person}first_name"), Value("")),
            Value(" "),
            Coalesce(F(f"{person}last_name"), Value("")),
            output_field=models.CharField(),
        )
    )
    return Coalesce(NullIf(full, Value("")), F(f"{person}username"), Value(""))


class Notification(TimeStampedModel):
    """Something a person should know or act on, shown in the app and, unless they opted
    out, sent by email. `key` makes each notification exist once, however often a scan runs."""

    class Kind(models.TextChoices):
        FEEDBACK_DUE = "feedback_due", _("Feedback due")
        FEEDBACK_MISSED = "feedback_missed", _("Feedback window missed")
        PEER_FEEDBACK_DUE = "peer_feedback_due", _("Peer feedback due")
        PEER_FEEDBACK_GIVEN = "peer_feedback_given", _("Peer feedback given")
        ASSIGNMENT_DUE = "assignment_due", _("Assignment due")
        EVIDENCE_SUBMITTED = "evidence_submitted", _("Evidence submitted")
        REVIEW_READY = "review_ready", _("Sponsor review ready")
        STEP_OPEN = "step_open", _("Step open")
        STEP_COMPLETED = "step_completed", _("Step completed")
        STEP_SKIPPED = "step_skipped", _("Step skipped")
        PATHWAY_COMPLETED = "pathway_completed", _("Pathway completed")
        COMPETENCY_REACHED = "competency_reached", _("Competency reached")
        ASSIGNMENT_GIVEN = "assignment_given", _("Assignment given")
        ASSIGNMENT_DEBRIEFED = "assignment_debriefed", _("Assignment debriefed")
        ASSIGNMENT_CANCELLED = "assignment_cancelled", _("Assignment cancelled")
        ENROLMENT_STATUS = "enrolment_status", _("Enrolment paused, resumed or withdrawn")
        DECISION_OWNED = "decision_owned", _("Review decision to follow up")

    recipient = models.ForeignKey(User, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    key = models.CharField(max_length=200, unique=True)
    title = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=300, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)
    email_claimed_at = models.DateTimeField(null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # Why the mail server refused the recipient for good: such an email is not tried again.
    email_error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            # the unread count in the navigation
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread"
            ),
            # the email delivery sweep
            models.Index(
                fields=["created_at"],
                condition=Q(emailed_at__isnull=True),
                name="notification_unsent",
            ),
        ]

    def __str__(self):
        return self.title
