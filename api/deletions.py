"""Deletions of rows the API shows, kept as tombstones a sync reads (GET /deletions)."""

from django.apps import apps
from django.db.models import Q
from django.db.models.signals import post_delete

from talentdev.core.access import is_hr_admin

from .identity import ServiceIdentity
from .models import Deletion

# model label -> (the resource that shows it, the scope that reads it)
RESOURCES = {
    "people.user": ("people", "people:read"),
    "people.orgunit": ("org-units", "people:read"),
    "people.jobrole": ("job-roles", "people:read"),
    "objectives.competencyframework": ("frameworks", "programs:read"),
    "objectives.proficiencyscale": ("scales", "programs:read"),
    "objectives.competency": ("competencies", "programs:read"),
    "objectives.learningobjective": ("learning-objectives", "programs:read"),
    "objectives.performanceobjective": ("performance-objectives", "programs:read"),
    "programs.program": ("programs", "programs:read"),
    "programs.pathway": ("pathways", "programs:read"),
    "programs.step": ("steps", "programs:read"),
    "programs.cohort": ("cohorts", "programs:read"),
    "measurement.outcomemetric": ("outcome-metrics", "programs:read"),
    "measurement.sponsorreview": ("sponsor-reviews", "programs:read"),
    "programs.enrolment": ("enrolments", "evidence:read"),
    "programs.stepprogress": ("step-progress", "evidence:read"),
    "programs.assignment": ("assignments", "evidence:read"),
    "coaching.observation": ("observations", "evidence:read"),
    "coaching.feedbackwindow": ("feedback-windows", "evidence:read"),
    "coaching.feedback": ("feedback", "evidence:read"),
    "coaching.debrief": ("debriefs", "evidence:read"),
    "coaching.coachingsession": ("coaching-sessions", "evidence:read"),
    "measurement.assessment": ("assessments", "evidence:read"),
    "measurement.measurement": ("measurements", "evidence:read"),
}
# What names no one: a deletion of it is every reader's business, as the row was.
_PROGRAM_LEVEL = {resource for resource, scope in RESOURCES.values() if scope == "programs:read"}
_PROGRAM_LEVEL.discard("sponsor-reviews")


def _recorded(sender, instance, **kwargs):
    resource, _ = RESOURCES[sender._meta.label_lower]
    Deletion.objects.create(
        resource=resource,
        object_id=instance.uuid,
        org_unit_id=getattr(instance, "org_unit_id", None) if resource == "people" else None,
    )


def connect() -> None:
    """Record a tombstone whenever a row of a shown model is deleted, however it is."""
    for label in RESOURCES:
        post_delete.connect(
            _recorded, sender=apps.get_model(label), dispatch_uid=f"api.deletion.{label}"
        )


def deletions_for(user):
    """The tombstones `user` may read: of the resources their scopes (or, in the browser,
    their role) let them read, and within a limited client's org units."""
    if isinstance(user, ServiceIdentity):
        readable = {resource for resource, scope in RESOURCES.values() if user.has_scope(scope)}
        if user.whole_company:
            return Deletion.objects.filter(resource__in=readable)
        people = (
            Q(resource="people", org_unit_id__in=user.org_unit_ids())
            if "people" in readable
            else Q(pk__in=[])
        )
        return Deletion.objects.filter(Q(resource__in=readable & _PROGRAM_LEVEL) | people)
    if is_hr_admin(user):
        return Deletion.objects.all()
    return Deletion.objects.filter(resource__in=_PROGRAM_LEVEL)
