from django.contrib import admin

from talentdev.core.admin import AuditedAdmin, ReadOnlyAdmin, ReadOnlyTabularInline, ServiceAdmin

from . import models
from .services import (
    LEARNING_OBJECTIVE_FIELDS,
    PERFORMANCE_OBJECTIVE_FIELDS,
    learning_objective_create,
    learning_objective_update,
    performance_objective_create,
    performance_objective_update,
    proficiency_level_update,
)

# Frameworks, scales, competencies and indicators are written on the design pages, through
# services that keep a published framework as it was; here they are only read. A level's
# name and description, which no page edits, are changed here through their service.


@admin.register(models.CompetencyFramework)
class CompetencyFrameworkAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("name", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("name",)


class ProficiencyLevelInline(ReadOnlyTabularInline):
    model = models.ProficiencyLevel


@admin.register(models.ProficiencyScale)
class ProficiencyScaleAdmin(ReadOnlyAdmin):
    list_display = ("name", "framework")
    list_filter = ("framework",)
    search_fields = ("name",)
    list_select_related = ("framework",)
    inlines = (ProficiencyLevelInline,)


@admin.register(models.ProficiencyLevel)
class ProficiencyLevelAdmin(ServiceAdmin):
    list_display = ("name", "rank", "scale")
    list_filter = ("scale",)
    search_fields = ("name", "scale__name")
    list_select_related = ("scale",)

    service_update_fields = ("name", "description")

    def has_add_permission(self, request):
        return False  # a scale is made with its levels, in order

    def service_update(self, request, obj, data):
        return proficiency_level_update(level=obj, **data)


class BehaviouralIndicatorInline(ReadOnlyTabularInline):
    model = models.BehaviouralIndicator


@admin.register(models.Competency)
class CompetencyAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("code", "name", "framework", "parent", "scale")
    list_filter = ("framework",)
    search_fields = ("code", "name", "strategic_rationale")
    list_select_related = ("framework", "parent", "scale")
    inlines = (BehaviouralIndicatorInline,)


@admin.register(models.BehaviouralIndicator)
class BehaviouralIndicatorAdmin(ReadOnlyAdmin):
    list_display = ("description", "competency", "level")
    list_filter = ("competency__framework",)
    search_fields = ("description", "competency__code", "competency__name")
    list_select_related = ("competency", "level")


@admin.register(models.LearningObjective)
class LearningObjectiveAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("statement", "program", "competency", "bloom_level", "assessment_method")
    list_filter = ("bloom_level", "assessment_method", "program")
    search_fields = ("statement", "competency__code", "program__name")
    autocomplete_fields = ("program", "competency")
    list_select_related = ("program", "competency")

    service_create_fields = ("program", *LEARNING_OBJECTIVE_FIELDS)
    service_update_fields = LEARNING_OBJECTIVE_FIELDS

    def service_create(self, request, data):
        return learning_objective_create(**data)

    def service_update(self, request, obj, data):
        return learning_objective_update(objective=obj, **data)


@admin.register(models.PerformanceObjective)
class PerformanceObjectiveAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("statement", "program", "action", "target_display", "evidence_method")
    list_filter = ("evidence_method", "program")
    search_fields = ("statement", "action", "program__name")
    autocomplete_fields = ("program", "learning_objectives")
    list_select_related = ("program",)
    fieldsets = (
        (None, {"fields": ("program", "statement", "learning_objectives")}),
        (
            "SMART",
            {
                "description": "Observable action, condition, measure, target, time bound "
                "and evidence: each is required.",
                "fields": (
                    "action",
                    "condition",
                    ("measure", "measure_unit"),
                    ("target_comparator", "target_value"),
                    ("time_window", "time_window_anchor"),
                    "review_date",
                    "evidence_method",
                    "feedback_window",
                ),
            },
        ),
    )

    service_create_fields = ("program", "learning_objectives", *PERFORMANCE_OBJECTIVE_FIELDS)
    service_update_fields = ("learning_objectives", *PERFORMANCE_OBJECTIVE_FIELDS)

    def service_create(self, request, data):
        return performance_objective_create(**data)

    def service_update(self, request, obj, data):
        return performance_objective_update(objective=obj, **data)
