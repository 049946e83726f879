"""Who may see and change what: the one place the product's access rules live.

Roles are contextual. A learner sees their own records. A supervisor or coach sees the
enrolments they are named on; a line manager sees their direct reports' enrolments. A
program owner sees everything in their program. A sponsor sees their programs, their
reviews, metrics and program-level measurements, never another person's records. An HR
admin (the `people.administer_programs` permission, or a superuser) sees everything.

Reading goes through `Model.objects.visible_to(user)`; acting on one object asks a
`rules` permission, e.g. `user.has_perm("coaching.give_feedback", observation)`.
"""

import rules
from django.apps import apps
from django.db import models
from django.db.models import Q

HR_ADMIN_PERMISSION = "people.administer_programs"


def is_hr_admin(user) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.has_perm(HR_ADMIN_PERMISSION))
    )


# Visibility, as Q objects. Sub-selects rather than joins keep rows distinct.


def enrolment_scope(user, prefix: str = "") -> Q:
    """Enrolments a person may follow individually: as learner, supervisor, coach,
    line manager of the learner, or owner of the program."""
    return (
        Q(**{f"{prefix}learner": user})
        | Q(**{f"{prefix}supervisor": user})
        | Q(**{f"{prefix}coach": user})
        | Q(**{f"{prefix}learner__manager": user})
        | Q(**{f"{prefix}program__owner": user})
    )


def _enrolments(user):
    return apps.get_model("programs", "Enrolment").objects.filter(enrolment_scope(user))


def _sponsored_program_ids(user):
    through = apps.get_model("programs", "Program").sponsors.through
    return through.objects.filter(user=user).values("program_id")


def _visible_program_ids(user):
    return (
        apps.get_model("programs", "Program")
        .objects.filter(
            Q(owner=user)
            | Q(pk__in=_sponsored_program_ids(user))
            | Q(pk__in=_enrolments(user).values("program_id"))
        )
        .values("pk")
    )


def _visible_observation_ids(user):
    return (
        apps.get_model("coaching", "Observation")
        .objects.filter(enrolment_scope(user, "enrolment__") | Q(observer=user))
        .values("pk")
    )


def _in_program(lookup):
    return lambda user: Q(**{f"{lookup}__in": _visible_program_ids(user)})


def _of_enrolment(user):
    return enrolment_scope(user, "enrolment__")


def _users(user):
    mine = apps.get_model("programs", "Enrolment").objects.filter(learner=user)
    return (
        Q(pk=user.pk)
        | Q(manager=user)
        | Q(pk=user.manager_id)
        | Q(pk__in=_enrolments(user).values("learner_id"))
        | Q(pk__in=mine.values("supervisor_id"))
        | Q(pk__in=mine.values("coach_id"))
    )


VISIBILITY = {
    "people.user": _users,
    "programs.program": lambda user: Q(pk__in=_visible_program_ids(user)),
    "programs.pathway": _in_program("program_id"),
    "programs.step": _in_program("pathway__program_id"),
    "programs.cohort": _in_program("program_id"),
    "objectives.learningobjective": _in_program("program_id"),
    "objectives.performanceobjective": _in_program("program_id"),
    "measurement.outcomemetric": _in_program("program_id"),
    "programs.enrolment": enrolment_scope,
    "programs.stepprogress": _of_enrolment,
    "programs.assignment": _of_enrolment,
    "coaching.debrief": _of_enrolment,
    "coaching.coachingsession": _of_enrolment,
    "coaching.reflection": _of_enrolment,
    "measurement.assessment": _of_enrolment,
    "coaching.observation": lambda user: _of_enrolment(user) | Q(observer=user),
    "coaching.feedbackwindow": lambda user: Q(observation_id__in=_visible_observation_ids(user)),
    "coaching.feedback": lambda user: (
        Q(observation_id__in=_visible_observation_ids(user)) | Q(giver=user)
    ),
    "coaching.peerfeedbackrequest": lambda user: (
        _of_enrolment(user) | Q(reviewer=user) | Q(requested_by=user)
    ),
    # Sponsors see program-level values; individual values stay with the people around the learner.
    "measurement.measurement": lambda user: (
        Q(enrolment__isnull=True, metric__program_id__in=_visible_program_ids(user))
        | _of_enrolment(user)
    ),
    "measurement.sponsorreview": lambda user: (
        Q(program__owner=user) | Q(program_id__in=_sponsored_program_ids(user))
    ),
    "measurement.successstory": lambda user: (
        Q(published=True, program_id__in=_visible_program_ids(user)) | _of_enrolment(user)
    ),
}


class VisibleToQuerySet(models.QuerySet):
    """A queryset that knows which of its rows a user may see."""

    def visible_to(self, user):
        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if is_hr_admin(user):
            return self.all()
        return self.filter(VISIBILITY[self.model._meta.label_lower](user))


# Predicates on one object. Each compares ids already on the object where it can, so a
# check costs no query; a sponsor check costs one.


@rules.predicate
def hr_admin(user):
    return is_hr_admin(user)


def _program_of(obj):
    if obj is None:
        return None
    if obj._meta.label_lower == "programs.program":
        return obj
    return getattr(obj, "program", None)


@rules.predicate
def owns_program(user, obj):
    program = _program_of(obj)
    return program is not None and program.owner_id == user.id


@rules.predicate
def sponsors_program(user, obj):
    program = _program_of(obj)
    return program is not None and program.sponsors.filter(pk=user.pk).exists()


def _enrolment_of(obj):
    if obj is None:
        return None
    if obj._meta.label_lower == "programs.enrolment":
        return obj
    return getattr(obj, "enrolment", None)


@rules.predicate
def is_learner(user, obj):
    enrolment = _enrolment_of(obj)
    return enrolment is not None and enrolment.learner_id == user.id


@rules.predicate
def supervises(user, obj):
    enrolment = _enrolment_of(obj)
    return enrolment is not None and enrolment.supervisor_id == user.id


@rules.predicate
def coaches(user, obj):
    enrolment = _enrolment_of(obj)
    return enrolment is not None and enrolment.coach_id == user.id


@rules.predicate
def manages_learner(user, obj):
    enrolment = _enrolment_of(obj)
    return enrolment is not None and enrolment.learner.manager_id == user.id


@rules.predicate
def owns_enrolment_program(user, obj):
    enrolment = _enrolment_of(obj)
    return enrolment is not None and enrolment.program.owner_id == user.id


@rules.predicate
def observed_it(user, obj):
    return obj is not None and getattr(obj, "observer_id", None) == user.id


@rules.predicate
def owns_a_program(user):
    """Owners of any program may start another; the design area is theirs."""
    return apps.get_model("programs", "Program").objects.filter(owner=user).exists()


# Those who work with a learner on the job.
works_with_learner = supervises | coaches | manages_learner
follows_enrolment = is_learner | works_with_learner | owns_enrolment_program | hr_admin
designs_program = owns_program | hr_admin

# Programs and their design
rules.add_perm("programs.add_program", owns_a_program | hr_admin)
rules.add_perm("programs.view_program", designs_program | sponsors_program)
rules.add_perm("programs.change_program", designs_program)
rules.add_perm("programs.enrol_learners", designs_program)
rules.add_perm("objectives.change_framework", hr_admin)
# Enrolments and the learner's own work
rules.add_perm("programs.view_enrolment", follows_enrolment)
rules.add_perm("programs.change_enrolment", owns_enrolment_program | hr_admin)
rules.add_perm("programs.submit_evidence", is_learner)
rules.add_perm("coaching.write_reflection", is_learner)
rules.add_perm("measurement.self_assess", is_learner)
# Coaching around the learner (the object is the enrolment)
rules.add_perm("coaching.log_observation", works_with_learner | owns_enrolment_program | hr_admin)
rules.add_perm("coaching.run_debrief", works_with_learner | hr_admin)
rules.add_perm("coaching.hold_session", works_with_learner | hr_admin)
rules.add_perm("coaching.request_peer_feedback", works_with_learner | is_learner | hr_admin)
rules.add_perm("measurement.assess", works_with_learner | owns_enrolment_program | hr_admin)
# An observation: its observer amends it; its observer or the supervisor gives feedback.
rules.add_perm("coaching.change_observation", observed_it | hr_admin)
rules.add_perm("coaching.give_feedback", observed_it | supervises | hr_admin)
# Measurement and sponsor reviews (the object is the program or carries one)
rules.add_perm("measurement.record_measurement", designs_program)
rules.add_perm("measurement.manage_roi", designs_program)
rules.add_perm("measurement.review_program", sponsors_program | hr_admin)
