from django.contrib import admin

from talentdev.core.admin import (
    ReadOnlyAdmin,
    ReadOnlyStackedInline,
    ReadOnlyTabularInline,
    ServiceAdmin,
)

from . import models
from .services import PROGRAM_UPDATE_FIELDS, program_create, program_update

# Pathways and their steps, cohorts, enrolments, progress and assignments are written by the
# design, team and learner pages, through services that keep a published pathway as learners
# started it; here they are only read.


@admin.register(models.Program)
class ProgramAdmin(ServiceAdmin):
    list_display = ("name", "status", "owner", "starts_on", "ends_on", "cost")
    list_filter = ("status",)
    search_fields = ("name", "slug", "business_goal")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("owner", "sponsors", "framework")
    list_select_related = ("owner",)

    service_create_fields = service_update_fields = (*PROGRAM_UPDATE_FIELDS, "sponsors")

    def service_create(self, request, data):
        return program_create(**data)

    def service_update(self, request, obj, data):
        return program_update(program=obj, **data)


class StepInline(ReadOnlyStackedInline):
    model = models.Step


@admin.register(models.Pathway)
class PathwayAdmin(ReadOnlyAdmin):
    list_display = ("program", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("program__name",)
    list_select_related = ("program",)
    inlines = (StepInline,)


@admin.register(models.Step)
class StepAdmin(ReadOnlyAdmin):
    list_display = ("title", "pathway", "position", "kind", "difficulty", "gate_min_observations")
    list_filter = ("kind", "difficulty")
    search_fields = ("title", "pathway__program__name")
    list_select_related = ("pathway__program",)


@admin.register(models.Cohort)
class CohortAdmin(ReadOnlyAdmin):
    list_display = ("name", "program", "starts_on", "ends_on")
    search_fields = ("name", "program__name")
    list_select_related = ("program",)


@admin.register(models.Enrolment)
class EnrolmentAdmin(ReadOnlyAdmin):
    list_display = ("learner", "program", "pathway", "status", "supervisor", "enrolled_on")
    list_filter = ("status", "program")
    search_fields = ("learner__username", "learner__last_name", "program__name")
    list_select_related = ("learner", "program", "pathway__program", "supervisor")
    date_hierarchy = "enrolled_on"


@admin.register(models.StepProgress)
class StepProgressAdmin(ReadOnlyAdmin):
    list_display = ("enrolment", "step", "status", "due_on", "completed_at")
    list_filter = ("status",)
    search_fields = ("enrolment__learner__username", "step__title")
    list_select_related = ("enrolment__learner", "enrolment__program", "step")


class SuccessCriterionInline(ReadOnlyTabularInline):
    model = models.SuccessCriterion


@admin.register(models.Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("title", "enrolment", "scenario_kind", "due_on", "status", "presented_on")
    list_filter = ("status", "scenario_kind")
    search_fields = ("title", "brief", "enrolment__learner__username")
    list_select_related = ("enrolment__learner", "enrolment__program")
    date_hierarchy = "due_on"
    inlines = (SuccessCriterionInline,)
