from django.contrib import admin

from .models import (
    CoachingSession,
    Commitment,
    Debrief,
    DebriefAction,
    Feedback,
    FeedbackWindow,
    Observation,
    PeerFeedbackRequest,
    Reflection,
)


class FeedbackWindowInline(admin.StackedInline):
    # Opened by the observation service, decided by feedback and the missed-window scan.
    model = FeedbackWindow
    can_delete = False
    readonly_fields = ("opens_at", "closes_at", "status", "resolved_at")
    extra = 0
    max_num = 0


@admin.register(Observation)
class ObservationAdmin(admin.ModelAdmin):
    list_display = ("observed_at", "learner", "observer", "performance_objective", "rating")
    list_filter = ("rating",)
    search_fields = ("learner__username", "observer__username", "behaviour")
    autocomplete_fields = (
        "enrolment",
        "learner",
        "observer",
        "performance_objective",
        "assignment",
    )
    list_select_related = ("learner", "observer", "performance_objective")
    date_hierarchy = "observed_at"
    inlines = (FeedbackWindowInline,)


@admin.register(FeedbackWindow)
class FeedbackWindowAdmin(admin.ModelAdmin):
    list_display = ("observation", "opens_at", "closes_at", "status", "resolved_at")
    list_filter = ("status",)
    search_fields = ("observation__learner__username", "observation__observer__username")
    readonly_fields = ("observation", "opens_at", "closes_at", "status", "resolved_at")
    list_select_related = ("observation__learner", "observation__observer")
    date_hierarchy = "closes_at"

    def has_add_permission(self, request):
        return False


@admin.register(Feedback)
class FeedbackAdmin(admin.ModelAdmin):
    list_display = ("delivered_at", "giver", "observation")
    search_fields = ("giver__username", "specific_example", "impact_on_team_goals")
    autocomplete_fields = ("observation", "giver")
    list_select_related = ("giver", "observation__learner", "observation__observer")
    date_hierarchy = "delivered_at"


class DebriefActionInline(admin.TabularInline):
    model = DebriefAction
    extra = 1
    autocomplete_fields = ("owner",)


@admin.register(Debrief)
class DebriefAdmin(admin.ModelAdmin):
    list_display = ("held_at", "enrolment", "assignment", "facilitator")
    search_fields = ("enrolment__learner__username", "what_happened", "lessons")
    autocomplete_fields = ("enrolment", "assignment", "facilitator")
    list_select_related = ("enrolment__learner", "enrolment__program", "assignment", "facilitator")
    date_hierarchy = "held_at"
    inlines = (DebriefActionInline,)


class CommitmentInline(admin.TabularInline):
    model = Commitment
    extra = 1


@admin.register(CoachingSession)
class CoachingSessionAdmin(admin.ModelAdmin):
    list_display = ("held_at", "focus", "enrolment", "coach")
    search_fields = ("focus", "enrolment__learner__username", "coach__username")
    autocomplete_fields = ("enrolment", "coach")
    list_select_related = ("enrolment__learner", "enrolment__program", "coach")
    date_hierarchy = "held_at"
    inlines = (CommitmentInline,)


@admin.register(PeerFeedbackRequest)
class PeerFeedbackRequestAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "reviewer", "due_at", "status", "anonymous")
    list_filter = ("status", "anonymous")
    search_fields = ("enrolment__learner__username", "reviewer__username", "prompt")
    autocomplete_fields = ("enrolment", "requested_by", "reviewer", "performance_objective")
    list_select_related = ("enrolment__learner", "enrolment__program", "reviewer")


@admin.register(Reflection)
class ReflectionAdmin(admin.ModelAdmin):
    list_display = ("written_at", "enrolment", "step")
    search_fields = ("enrolment__learner__username", "body")
    autocomplete_fields = ("enrolment", "step")
    list_select_related = ("enrolment__learner", "enrolment__program", "step")
    date_hierarchy = "written_at"
