from django.contrib import admin

from .models import (
    Assessment,
    BenefitEstimate,
    CostItem,
    Measurement,
    OutcomeMetric,
    ReviewComment,
    ReviewDecision,
    SponsorReview,
    SuccessStory,
)
from .rollups import sponsor_review_rollup


@admin.register(Assessment)
class AssessmentAdmin(admin.ModelAdmin):
    list_display = ("assessed_on", "enrolment", "competency", "kind", "assessed_level", "score")
    list_filter = ("kind",)
    search_fields = ("enrolment__learner__username", "competency__code", "competency__name")
    autocomplete_fields = (
        "enrolment",
        "competency",
        "learning_objective",
        "assessed_level",
        "assessor",
    )
    list_select_related = (
        "enrolment__learner",
        "enrolment__program",
        "competency",
        "assessed_level",
    )
    date_hierarchy = "assessed_on"


class BenefitEstimateInline(admin.StackedInline):
    model = BenefitEstimate
    extra = 0


@admin.register(OutcomeMetric)
class OutcomeMetricAdmin(admin.ModelAdmin):
    inlines = (BenefitEstimateInline,)
    list_display = ("name", "program", "kind", "unit", "direction", "baseline", "target")
    list_filter = ("kind", "direction")
    search_fields = ("name", "program__name")
    autocomplete_fields = ("program", "performance_objectives")
    list_select_related = ("program",)


@admin.register(CostItem)
class CostItemAdmin(admin.ModelAdmin):
    list_display = ("incurred_on", "program", "category", "description", "amount", "hours")
    list_filter = ("category",)
    search_fields = ("description", "program__name")
    autocomplete_fields = ("program", "recorded_by")
    list_select_related = ("program",)
    date_hierarchy = "incurred_on"


@admin.register(Measurement)
class MeasurementAdmin(admin.ModelAdmin):
    list_display = ("measured_at", "metric", "value", "enrolment", "source")
    list_filter = ("source",)
    search_fields = ("metric__name", "enrolment__learner__username", "note")
    autocomplete_fields = ("metric", "enrolment", "recorded_by")
    list_select_related = ("metric", "enrolment__learner", "enrolment__program")
    date_hierarchy = "measured_at"


class ReviewCommentInline(admin.TabularInline):
    model = ReviewComment
    extra = 0
    autocomplete_fields = ("author",)


class ReviewDecisionInline(admin.TabularInline):
    model = ReviewDecision
    extra = 0
    autocomplete_fields = ("owner", "decided_by")


@admin.action(description="Roll up the selected reviews' figures again")
def refresh_figures(modeladmin, request, queryset):
    for review in queryset.select_related("program"):
        sponsor_review_rollup(
            program=review.program,
            period_start=review.period_start,
            period_end=review.period_end,
        )
    modeladmin.message_user(request, "Figures rolled up again; reviewed reviews kept theirs.")


@admin.register(SponsorReview)
class SponsorReviewAdmin(admin.ModelAdmin):
    actions = (refresh_figures,)
    list_display = ("program", "period_start", "period_end", "status", "generated_at")
    list_filter = ("status",)
    search_fields = ("program__name",)
    autocomplete_fields = ("program", "reviewed_by")
    readonly_fields = ("snapshot", "generated_at")
    list_select_related = ("program",)
    inlines = (ReviewCommentInline, ReviewDecisionInline)


@admin.register(SuccessStory)
class SuccessStoryAdmin(admin.ModelAdmin):
    list_display = ("title", "program", "result", "published")
    list_filter = ("published",)
    search_fields = ("title", "story", "program__name")
    autocomplete_fields = ("program", "enrolment", "step", "assignment", "metric")
    list_select_related = ("program",)
