from django.contrib import admin

from .models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    LearningObjective,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)


@admin.register(CompetencyFramework)
class CompetencyFrameworkAdmin(admin.ModelAdmin):
    list_display = ("name", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("name",)


class ProficiencyLevelInline(admin.TabularInline):
    model = ProficiencyLevel
    extra = 1


@admin.register(ProficiencyScale)
class ProficiencyScaleAdmin(admin.ModelAdmin):
    list_display = ("name", "framework")
    list_filter = ("framework",)
    search_fields = ("name",)
    autocomplete_fields = ("framework",)
    list_select_related = ("framework",)
    inlines = (ProficiencyLevelInline,)


@admin.register(ProficiencyLevel)
class ProficiencyLevelAdmin(admin.ModelAdmin):
    list_display = ("name", "rank", "scale")
    list_filter = ("scale",)
    search_fields = ("name", "scale__name")
    list_select_related = ("scale",)


class BehaviouralIndicatorInline(admin.TabularInline):
    model = BehaviouralIndicator
    extra = 1
    autocomplete_fields = ("level",)


@admin.register(Competency)
class CompetencyAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "framework", "parent", "scale")
    list_filter = ("framework",)
    search_fields = ("code", "name", "strategic_rationale")
    autocomplete_fields = ("framework", "parent", "scale")
    list_select_related = ("framework", "parent", "scale")
    inlines = (BehaviouralIndicatorInline,)


@admin.register(BehaviouralIndicator)
class BehaviouralIndicatorAdmin(admin.ModelAdmin):
    list_display = ("description", "competency", "level")
    list_filter = ("competency__framework",)
    search_fields = ("description", "competency__code", "competency__name")
    autocomplete_fields = ("competency", "level")
    list_select_related = ("competency", "level")


@admin.register(LearningObjective)
class LearningObjectiveAdmin(admin.ModelAdmin):
    list_display = ("statement", "program", "competency", "bloom_level", "assessment_method")
    list_filter = ("bloom_level", "assessment_method", "program")
    search_fields = ("statement", "competency__code", "program__name")
    autocomplete_fields = ("program", "competency")
    list_select_related = ("program", "competency")


@admin.register(PerformanceObjective)
class PerformanceObjectiveAdmin(admin.ModelAdmin):
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
