from django.contrib import admin

from talentdev.core.admin import (
    AuditedAdmin,
    ReadOnlyAdmin,
    ReadOnlyStackedInline,
    ReadOnlyTabularInline,
    ServiceAdmin,
)

from . import models
from .rollups import sponsor_review_rollup
from .services import (
    COST_ITEM_FIELDS,
    OUTCOME_METRIC_FIELDS,
    SUCCESS_STORY_FIELDS,
    cost_item_add,
    cost_item_remove,
    cost_item_update,
    outcome_metric_create,
    outcome_metric_update,
    success_story_create,
    success_story_update,
)

# Assessments, measurements and sponsor reviews are recorded on the product's pages and by the
# roll-up, through services; here they are only read.


@admin.register(models.Assessment)
class AssessmentAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("assessed_on", "enrolment", "competency", "kind", "assessed_level", "score")
    list_filter = ("kind",)
    search_fields = ("enrolment__learner__username", "competency__code", "competency__name")
    list_select_related = (
        "enrolment__learner",
        "enrolment__program",
        "competency",
        "assessed_level",
    )
    date_hierarchy = "assessed_on"


class BenefitEstimateInline(ReadOnlyStackedInline):
    # Estimated on the program's ROI page, through benefit_estimate_set.
    model = models.BenefitEstimate


@admin.register(models.OutcomeMetric)
class OutcomeMetricAdmin(ServiceAdmin, AuditedAdmin):
    inlines = (BenefitEstimateInline,)
    list_display = ("name", "program", "kind", "unit", "direction", "baseline", "target")
    list_filter = ("kind", "direction")
    search_fields = ("name", "program__name")
    autocomplete_fields = ("program", "performance_objectives")
    list_select_related = ("program",)

    service_create_fields = ("program", "performance_objectives", *OUTCOME_METRIC_FIELDS)
    service_update_fields = ("performance_objectives", *OUTCOME_METRIC_FIELDS)

    def service_create(self, request, data):
        return outcome_metric_create(**data)

    def service_update(self, request, obj, data):
        return outcome_metric_update(metric=obj, **data)


@admin.register(models.CostItem)
class CostItemAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("incurred_on", "program", "category", "description", "amount", "hours")
    list_filter = ("category",)
    search_fields = ("description", "program__name")
    autocomplete_fields = ("program",)
    # Whoever adds the line, as on the ROI page.
    readonly_fields = ("recorded_by",)
    list_select_related = ("program",)
    date_hierarchy = "incurred_on"

    service_create_fields = ("program", *COST_ITEM_FIELDS)
    service_update_fields = COST_ITEM_FIELDS

    def service_create(self, request, data):
        return cost_item_add(recorded_by=request.user, **data)

    def service_update(self, request, obj, data):
        return cost_item_update(item=obj, **data)

    def service_remove(self, request, obj):
        cost_item_remove(item=obj)


@admin.register(models.Measurement)
class MeasurementAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("measured_at", "metric", "value", "enrolment", "source")
    list_filter = ("source",)
    search_fields = ("metric__name", "enrolment__learner__username", "note")
    list_select_related = ("metric", "enrolment__learner", "enrolment__program")
    date_hierarchy = "measured_at"


class ReviewCommentInline(ReadOnlyTabularInline):
    model = models.ReviewComment


class ReviewDecisionInline(ReadOnlyTabularInline):
    model = models.ReviewDecision


@admin.action(description="Roll up the selected reviews' figures again")
def refresh_figures(modeladmin, request, queryset):
    for review in queryset.select_related("program"):
        sponsor_review_rollup(
            program=review.program,
            period_start=review.period_start,
            period_end=review.period_end,
        )
    modeladmin.message_user(request, "Figures rolled up again; reviewed reviews kept theirs.")


@admin.register(models.SponsorReview)
class SponsorReviewAdmin(ReadOnlyAdmin, AuditedAdmin):
    actions = (refresh_figures,)
    list_display = ("program", "period_start", "period_end", "status", "generated_at")
    list_filter = ("status",)
    search_fields = ("program__name",)
    readonly_fields = ("snapshot", "generated_at")
    list_select_related = ("program",)
    inlines = (ReviewCommentInline, ReviewDecisionInline)


@admin.register(models.SuccessStory)
class SuccessStoryAdmin(ServiceAdmin):
    list_display = ("title", "program", "result", "published")
    list_filter = ("published",)
    search_fields = ("title", "story", "program__name")
    autocomplete_fields = ("program", "enrolment", "step", "assignment", "metric")
    list_select_related = ("program",)

    service_create_fields = ("program", *SUCCESS_STORY_FIELDS)
    service_update_fields = SUCCESS_STORY_FIELDS

    def service_create(self, request, data):
        return success_story_create(**data)

    def service_update(self, request, obj, data):
        return success_story_update(success_story=obj, **data)


@admin.register(models.ProgramFigures)
class ProgramFiguresAdmin(ReadOnlyAdmin):
    """Counted by the sponsor-figures job; read here to see how fresh each program's are."""

    list_display = ("program", "computed_at")
    search_fields = ("program__name",)
    list_select_related = ("program",)
    readonly_fields = ("overview", "dashboard", "computed_at")
