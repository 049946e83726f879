from django.contrib import admin

from talentdev.core.admin import (
    AuditedAdmin,
    ReadOnlyAdmin,
    ReadOnlyStackedInline,
    ReadOnlyTabularInline,
)

from . import models

# Coaching is recorded on the team and learner pages, through services that do more than
# save a row: logging an observation opens its feedback window, feedback closes it, a debrief
# judges success criteria. Here it is only read.


class FeedbackWindowInline(ReadOnlyStackedInline):
    model = models.FeedbackWindow


@admin.register(models.Observation)
class ObservationAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("observed_at", "learner", "observer", "performance_objective", "rating")
    list_filter = ("rating",)
    search_fields = ("learner__username", "observer__username", "behaviour")
    list_select_related = ("learner", "observer", "performance_objective")
    date_hierarchy = "observed_at"
    inlines = (FeedbackWindowInline,)


@admin.register(models.FeedbackWindow)
class FeedbackWindowAdmin(ReadOnlyAdmin):
    list_display = ("observation", "opens_at", "closes_at", "status", "resolved_at")
    list_filter = ("status",)
    search_fields = ("observation__learner__username", "observation__observer__username")
    list_select_related = ("observation__learner", "observation__observer")
    date_hierarchy = "closes_at"


@admin.register(models.Feedback)
class FeedbackAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("delivered_at", "giver", "observation")
    search_fields = ("giver__username", "specific_example", "impact_on_team_goals")
    list_select_related = ("giver", "observation__learner", "observation__observer")
    date_hierarchy = "delivered_at"


class DebriefActionInline(ReadOnlyTabularInline):
    model = models.DebriefAction


@admin.register(models.Debrief)
class DebriefAdmin(ReadOnlyAdmin):
    list_display = ("held_at", "enrolment", "assignment", "facilitator")
    search_fields = ("enrolment__learner__username", "what_happened", "lessons")
    list_select_related = ("enrolment__learner", "enrolment__program", "assignment", "facilitator")
    date_hierarchy = "held_at"
    inlines = (DebriefActionInline,)


class CommitmentInline(ReadOnlyTabularInline):
    model = models.Commitment


@admin.register(models.CoachingSession)
class CoachingSessionAdmin(ReadOnlyAdmin):
    list_display = ("held_at", "focus", "enrolment", "coach")
    search_fields = ("focus", "enrolment__learner__username", "coach__username")
    list_select_related = ("enrolment__learner", "enrolment__program", "coach")
    date_hierarchy = "held_at"
    inlines = (CommitmentInline,)


@admin.register(models.PeerFeedbackRequest)
class PeerFeedbackRequestAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "reviewer", "due_at", "status", "anonymous")
    list_filter = ("status", "anonymous")
    search_fields = ("enrolment__learner__username", "reviewer__username", "prompt")
    list_select_related = ("enrolment__learner", "enrolment__program", "reviewer")


@admin.register(models.Reflection)
class ReflectionAdmin(ReadOnlyAdmin):
    list_display = ("written_at", "enrolment", "step")
    search_fields = ("enrolment__learner__username", "body")
    list_select_related = ("enrolment__learner", "enrolment__program", "step")
    date_hierarchy = "written_at"


@admin.register(models.KeptCalibrationRow)
class KeptCalibrationRowAdmin(ReadOnlyAdmin):
    """Counted by the sponsor-figures job; read here to see how fresh each program's are."""

    list_display = ("program", "days", "rank", "observer", "performance_objective", "computed_at")
    list_filter = ("days",)
    search_fields = ("program__name",)
    list_select_related = ("program", "observer", "performance_objective")
