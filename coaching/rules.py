"""Who may see and do what around a learner's coaching: observations, feedback, debriefs."""

import rules
from django.db.models import Q

from programs.rules import (
    follows_enrolment,
    is_learner,
    owns_enrolment_program,
    supervises,
    works_with,
)
from talentdev.core.access import hr_admin, visibility

from .models import Observation


def _of_enrolment(user):
    return follows_enrolment(user, "enrolment__")


def gives_feedback_each(user, prefix: str = "") -> dict[str, Q]:
    """Observations a person gives feedback on, one way at a time: as their observer, and
    as the learner's supervisor (the same people as the give_feedback permission below)."""
    return {
        "observer": Q(**{f"{prefix}observer": user}),
        "supervisor": Q(**{f"{prefix}enrolment__supervisor": user}),
    }


def gives_feedback(user, prefix: str = "") -> Q:
    """Observations a person gives feedback on: those they made, and those of the learners
    they supervise."""
    observer, supervisor = gives_feedback_each(user, prefix).values()
    return observer | supervisor


def _observation_ids(user):
    # An observer keeps seeing what they observed, whoever the learner works with now.
    return Observation.objects.filter(_of_enrolment(user) | Q(observer=user)).values("pk")


visibility("coaching.debrief")(_of_enrolment)
visibility("coaching.coachingsession")(_of_enrolment)
visibility("coaching.reflection")(_of_enrolment)
visibility("coaching.observation")(lambda user: _of_enrolment(user) | Q(observer=user))
visibility("coaching.feedbackwindow")(lambda user: Q(observation_id__in=_observation_ids(user)))
visibility("coaching.feedback")(
    lambda user: Q(observation_id__in=_observation_ids(user)) | Q(giver=user)
)
visibility("coaching.peerfeedbackrequest")(
    lambda user: _of_enrolment(user) | Q(reviewer=user) | Q(requested_by=user)
)


@rules.predicate
def observed_it(user, obj):
    return obj is not None and getattr(obj, "observer_id", None) == user.id


rules.add_perm("coaching.write_reflection", is_learner)
# Coaching around the learner (the object is the enrolment)
rules.add_perm("coaching.log_observation", works_with | owns_enrolment_program | hr_admin)
rules.add_perm("coaching.run_debrief", works_with | hr_admin)
rules.add_perm("coaching.hold_session", works_with | hr_admin)
# Whether a commitment made in a session was kept: those who coach the learner judge it.
rules.add_perm("coaching.settle_commitment", works_with | hr_admin)
rules.add_perm("coaching.request_peer_feedback", works_with | is_learner | hr_admin)
# An observation: its observer amends it; its observer or the supervisor gives feedback.
rules.add_perm("coaching.change_observation", observed_it | hr_admin)
rules.add_perm("coaching.give_feedback", observed_it | supervises | hr_admin)
