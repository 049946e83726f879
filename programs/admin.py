from django.contrib import admin

from talentdev.core.admin import (
    AuditedAdmin,
    ReadOnlyAdmin,
    ReadOnlyStackedInline,
    ReadOnlyTabularInline,
    ServiceAdmin,
    ServiceTabularInline,
)

from . import models
from .services import (
    ASSIGNMENT_FIELDS,
    ENROLMENT_FIELDS,
    PERSON_STATUSES,
    PROGRAM_UPDATE_FIELDS,
    assignment_create,
    assignment_update,
    cohort_create,
    cohort_update,
    enrolment_create,
    enrolment_update,
    program_create,
    program_update,
    step_progress_due_set,
)

# Pathways and their steps are written by the design pages, through services that keep a
# published pathway as learners started it; here they are only read. Cohorts, enrolments,
# step progress and assignments are saved through their services here too. Where a learner
# stands (step statuses, completion, competency) is progression's to decide, so it is shown
# and never edited: a person pauses, resumes or withdraws an enrolment and moves due dates.


@admin.register(models.Program)
class ProgramAdmin(ServiceAdmin, AuditedAdmin):
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
class PathwayAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("program", "version", "status", "published_at")
    list_filter = ("status",)
    search_fields = ("program__name",)
    list_select_related = ("program",)
    inlines = (StepInline,)


@admin.register(models.Step)
class StepAdmin(ReadOnlyAdmin, AuditedAdmin):
    list_display = ("title", "pathway", "position", "kind", "difficulty", "gate_min_observations")
    list_filter = ("kind", "difficulty")
    search_fields = ("title", "pathway__program__name")
    list_select_related = ("pathway__program",)


@admin.register(models.Cohort)
class CohortAdmin(ServiceAdmin):
    list_display = ("name", "program", "starts_on", "ends_on")
    search_fields = ("name", "program__name")
    autocomplete_fields = ("program",)
    list_select_related = ("program",)

    service_create_fields = ("program", "name", "starts_on", "ends_on")
    service_update_fields = ("name", "starts_on", "ends_on")

    def service_create(self, request, data):
        return cohort_create(**data)

    def service_update(self, request, obj, data):
        return cohort_update(cohort=obj, **data)


@admin.register(models.Enrolment)
class EnrolmentAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("learner", "program", "pathway", "status", "supervisor", "enrolled_on")
    list_filter = ("status", "program")
    search_fields = ("learner__username", "learner__last_name", "program__name")
    autocomplete_fields = ("learner", "program", "cohort", "supervisor", "coach")
    list_select_related = ("learner", "program", "pathway__program", "supervisor")
    date_hierarchy = "enrolled_on"

    # A new enrolment starts on the program's published pathway, with its steps' progress.
    service_create_fields = ("learner", "program", "enrolled_on", "supervisor", "coach", "cohort")
    service_update_fields = ENROLMENT_FIELDS

    def get_fields(self, request, obj=None):
        # Status and dates come later: a new enrolment is active from the day it starts.
        return list(self.service_create_fields) if obj is None else super().get_fields(request, obj)

    def get_readonly_fields(self, request, obj=None):
        readonly = super().get_readonly_fields(request, obj)
        if obj is not None and obj.status == models.Enrolment.Status.COMPLETED:
            return [*readonly, "status"]  # progression completed it; it stays completed
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "status":
            kwargs["choices"] = [
                (value, label)
                for value, label in models.Enrolment.Status.choices
                if value in PERSON_STATUSES
            ]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def service_create(self, request, data):
        return enrolment_create(**data)

    def service_update(self, request, obj, data):
        return enrolment_update(enrolment=obj, by=request.user, **data)


@admin.register(models.StepProgress)
class StepProgressAdmin(ServiceAdmin):
    list_display = ("enrolment", "step", "status", "due_on", "completed_at")
    list_filter = ("status",)
    search_fields = ("enrolment__learner__username", "step__title")
    list_select_related = ("enrolment__learner", "enrolment__program", "step")

    # Its status and times are progression's; a person moves only the due date.
    service_update_fields = ("due_on",)

    def has_add_permission(self, request):
        return False  # each enrolment starts with a row per step of its pathway

    def service_update(self, request, obj, data):
        if "due_on" in data:
            obj = step_progress_due_set(progress=obj, due_on=data["due_on"])
        return obj


class SuccessCriterionInline(ReadOnlyTabularInline):
    model = models.SuccessCriterion


class NewSuccessCriterionInline(ServiceTabularInline):
    """The criteria a new assignment is given with it; once given they are judged, not edited."""

    model = models.SuccessCriterion
    fields = ("description", "performance_objective")
    autocomplete_fields = ("performance_objective",)
    extra = 1

    def service_save(self, request, parent, rows):
        raise NotImplementedError("criteria are saved with their assignment")


@admin.register(models.Assignment)
class AssignmentAdmin(ServiceAdmin, AuditedAdmin):
    list_display = ("title", "enrolment", "scenario_kind", "due_on", "status", "presented_on")
    list_filter = ("status", "scenario_kind")
    search_fields = ("title", "brief", "enrolment__learner__username")
    autocomplete_fields = ("enrolment", "step")
    list_select_related = ("enrolment__learner", "enrolment__program")
    date_hierarchy = "due_on"
    inlines = (NewSuccessCriterionInline, SuccessCriterionInline)

    service_create_fields = ("enrolment", "step", *ASSIGNMENT_FIELDS)
    service_update_fields = ASSIGNMENT_FIELDS
    service_create_rows = (NewSuccessCriterionInline, "criteria")

    def get_fields(self, request, obj=None):
        # Evidence, outcome and presentation are the learner's to add once it is given.
        return list(self.service_create_fields) if obj is None else super().get_fields(request, obj)

    def get_inlines(self, request, obj):
        return [NewSuccessCriterionInline if obj is None else SuccessCriterionInline]

    def service_create(self, request, data):
        criteria = [
            {
                "description": row["description"],
                "performance_objective": row["performance_objective"],
            }
            for row in data.pop("criteria")
        ]
        return assignment_create(criteria=criteria, by=request.user, **data)

    def service_update(self, request, obj, data):
        return assignment_update(assignment=obj, **data)


@admin.register(models.StepSignOff)
class StepSignOffAdmin(ReadOnlyAdmin):
    list_display = ("progress", "decision", "by", "at")
    list_filter = ("decision",)
    search_fields = ("progress__enrolment__learner__username", "note")
    list_select_related = ("progress__enrolment__learner", "progress__step", "by")
    date_hierarchy = "at"


@admin.register(models.ProgressEvent)
class ProgressEventAdmin(ReadOnlyAdmin):
    """Progress history is appended by progression and never edited."""

    list_display = ("occurred_at", "type", "enrolment", "step", "from_status", "to_status", "cause")
    list_filter = ("type", "cause")
    search_fields = ("enrolment__learner__username", "enrolment__program__name")
    list_select_related = ("enrolment__learner", "enrolment__program", "step")
    date_hierarchy = "occurred_at"
