"""Writes for observations, feedback windows and feedback."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Feedback, FeedbackWindow, Observation


@transaction.atomic
def observation_log(
    *,
    observer,
    enrolment,
    performance_objective,
    rating: int,
    behaviour: str,
    observed_at=None,
    evidence: str = "",
    assignment=None,
) -> Observation:
    """Record what was seen and open the feedback window it starts."""
    observed_at = observed_at or timezone.now()
    if observed_at > timezone.now():
        raise ValidationError({"observed_at": _("An observation cannot be in the future.")})
    observation = Observation(
        observer=observer,
        enrolment=enrolment,
        learner_id=enrolment.learner_id,
        performance_objective=performance_objective,
        assignment=assignment,
        observed_at=observed_at,
        rating=rating,
        behaviour=behaviour,
        evidence=evidence,
    )
    observation.full_clean()
    observation.save()
    FeedbackWindow.objects.create(
        observation=observation,
        opens_at=observed_at,
        closes_at=observed_at + performance_objective.feedback_window,
    )
    return observation


@transaction.atomic
def feedback_give(
    *,
    observation,
    giver,
    specific_example: str,
    impact_on_team_goals: str,
    suggestion: str = "",
    delivered_at=None,
) -> Feedback:
    """Record feedback; the first feedback inside the window closes it as met."""
    delivered_at = delivered_at or timezone.now()
    feedback = Feedback(
        observation=observation,
        giver=giver,
        specific_example=specific_example,
        impact_on_team_goals=impact_on_team_goals,
        suggestion=suggestion,
        delivered_at=delivered_at,
    )
    feedback.full_clean()
    feedback.save()
    # Claimed by a conditional update, so a concurrent "missed" scan and this cannot both win.
    FeedbackWindow.objects.filter(
        observation=observation,
        status=FeedbackWindow.Status.OPEN,
        closes_at__gte=delivered_at,
    ).update(status=FeedbackWindow.Status.MET, resolved_at=delivered_at, updated_at=timezone.now())
    # Late feedback still counts as feedback, but the window it missed is decided now.
    feedback_windows_mark_missed(now=delivered_at, observation=observation)
    return feedback


def feedback_windows_mark_missed(*, now=None, observation=None) -> int:
    """Mark open windows that closed before `now` as missed (at their closing time).

    Returns how many it marked. A conditional update, so running it twice, or beside
    feedback being given, decides each window once.
    """
    now = now or timezone.now()
    windows = FeedbackWindow.objects.filter(status=FeedbackWindow.Status.OPEN, closes_at__lt=now)
    if observation is not None:
        windows = windows.filter(observation=observation)
    return windows.update(
        status=FeedbackWindow.Status.MISSED, resolved_at=F("closes_at"), updated_at=timezone.now()
    )
