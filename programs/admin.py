from django.contrib import admin

from .models import (
    Assignment,
    Cohort,
    Enrolment,
    Pathway,
    Program,
    Step,
    StepProgress,
    SuccessCriterion,
)


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ("name", "status", "owner", "starts_on", "ends_on", "cost")
    list_filter = ("status",)
    search_fields = ("name", "slug", "business_goal")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("owner", "sponsors", "framework")
    list_select_related = ("owner",)


class StepInline(admin.StackedInline):
    model = Step
    extra = 0
    autocomplete_fields = ("learning_objectives", "performance_objectives")


@admin.register(Pathway)
class PathwayAdmin(admin.ModelAdmin):
    list_display = ("program", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("program__name",)
    autocomplete_fields = ("program",)
    list_select_related = ("program",)
    inlines = (StepInline,)


@admin.register(Step)
class StepAdmin(admin.ModelAdmin):
    list_display = ("title", "pathway", "position", "kind", "difficulty", "gate_min_observations")
    list_filter = ("kind", "difficulty")
    search_fields = ("title", "pathway__program__name")
    autocomplete_fields = ("pathway", "learning_objectives", "performance_objectives")
    list_select_related = ("pathway__program",)


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name", "program", "starts_on", "ends_on")
    search_fields = ("name", "program__name")
    autocomplete_fields = ("program",)
    list_select_related = ("program",)


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ("learner", "program", "pathway", "status", "supervisor", "enrolled_on")
    list_filter = ("status", "program")
    search_fields = ("learner__username", "learner__last_name", "program__name")
    autocomplete_fields = ("learner", "program", "pathway", "cohort", "supervisor", "coach")
    list_select_related = ("learner", "program", "pathway__program", "supervisor")
    date_hierarchy = "enrolled_on"


@admin.register(StepProgress)
class StepProgressAdmin(admin.ModelAdmin):
    list_display = ("enrolment", "step", "status", "due_on", "completed_at")
    list_filter = ("status",)
    search_fields = ("enrolment__learner__username", "step__title")
    autocomplete_fields = ("enrolment", "step")
    list_select_related = ("enrolment__learner", "enrolment__program", "step")


class SuccessCriterionInline(admin.TabularInline):
    model = SuccessCriterion
    extra = 1
    autocomplete_fields = ("performance_objective",)


@admin.register(Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ("title", "enrolment", "scenario_kind", "due_on", "status", "presented_on")
    list_filter = ("status", "scenario_kind")
    search_fields = ("title", "brief", "enrolment__learner__username")
    autocomplete_fields = ("enrolment", "step")
    list_select_related = ("enrolment__learner", "enrolment__program")
    date_hierarchy = "due_on"
    inlines = (SuccessCriterionInline,)
