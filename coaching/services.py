"""Writes for observations, feedback windows and feedback."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from people.models import Notification
from people.notifications import Notice, notify_many
from programs.models import Enrolment
from programs.notices import assignment_debriefed_notify
from programs.progression import evaluate_on_commit
from programs.services import assignment_judge
from talentdev.core.services import locked, model_create, model_update
from talentdev.core.validators import check_due_ahead

from .models import (
    CoachingSession,
    Commitment,
    Debrief,
    DebriefAction,
    Feedback,
    FeedbackWindow,
    Observation,
    PeerFeedbackRequest,
    Reflection,
)
from .selectors import peer_reviewers_for


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
    now=None,
) -> Observation:
    """Record what was seen and open the feedback window it starts."""
    # `now` is the moment "the future" is judged from: the present unless a caller replays history.
    now = now or timezone.now()
    observed_at = observed_at or now
    if observed_at > now:
        raise ValidationError({"observed_at": _("An observation cannot be in the future.")})
    observation = model_create(
        Observation,
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
    FeedbackWindow.objects.create(
        observation=observation,
        opens_at=observed_at,
        closes_at=observed_at + performance_objective.feedback_window,
    )
    evaluate_on_commit([enrolment.pk])
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
    """Record the feedback on an observation, given once; inside the window it closes the
    window as met."""
    delivered_at = delivered_at or timezone.now()
    # Two people giving feedback at once queue on the observation: the second is told.
    observation = locked(observation)
    refusal = feedback_refusal(observation)
    if refusal:
        raise ValidationError(refusal)
    feedback = model_create(
        Feedback,
        observation=observation,
        giver=giver,
        specific_example=specific_example,
        impact_on_team_goals=impact_on_team_goals,
        suggestion=suggestion,
        delivered_at=delivered_at,
    )
    # Claimed by a conditional update, so a concurrent "missed" scan and this cannot both win.
    FeedbackWindow.objects.filter(
        observation=observation,
        status=FeedbackWindow.Status.OPEN,
        closes_at__gte=delivered_at,
    ).update(status=FeedbackWindow.Status.MET, resolved_at=delivered_at, updated_at=timezone.now())
    # Late feedback still counts as feedback, but the window it missed is decided now.
    feedback_windows_mark_missed(now=delivered_at, observation=observation)
    return feedback


def feedback_refusal(observation) -> str | None:
    """Why no feedback can be given on the observation now, or None when it can: it is
    given once, and a second would contradict the first."""
    given = observation.feedback.select_related("giver").first()
    if given is None:
        return None
    return _("%(giver)s already gave feedback on this observation on %(day)s.") % {
        "giver": given.giver,
        "day": formats.date_format(timezone.localtime(given.delivered_at), "j M Y"),
    }


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


@transaction.atomic
def feedback_window_decide(*, window: FeedbackWindow, now=None) -> FeedbackWindow:
    """Decide a window afresh from its times and feedback, as feedback_give and the scan do."""
    window = locked(window)
    now = now or timezone.now()
    first = (
        Feedback.objects.filter(observation_id=window.observation_id)
        .order_by("delivered_at")
        .values_list("delivered_at", flat=True)
        .first()
    )
    # Met by the first feedback inside the window; missed at its close by late feedback or
    # none; open until then. Only a window whose times were corrected can change here.
    if first is not None and first <= window.closes_at:
        status, resolved_at = FeedbackWindow.Status.MET, first
    elif first is not None or window.closes_at < now:
        status, resolved_at = FeedbackWindow.Status.MISSED, window.closes_at
    else:
        status, resolved_at = FeedbackWindow.Status.OPEN, None
    if (window.status, window.resolved_at) == (status, resolved_at):
        return window
    return model_update(
        window,
        allowed=("status", "resolved_at"),
        fields={"status": status, "resolved_at": resolved_at},
    )


@transaction.atomic
def debrief_record(
    *,
    enrolment,
    facilitator,
    held_at,
    what_happened: str,
    what_went_well: str,
    what_to_change: str,
    lessons: str,
    assignment=None,
    actions=(),
    criteria_verdicts=None,
) -> Debrief:
    """Record a structured debrief and its next actions (each: description, owner, due_on,
    due on the day it is held or later).

    An assignment's debrief judges it: `criteria_verdicts` (criterion id -> met) gives a
    verdict on every success criterion, and the assignment is completed or goes back to
    the learner (programs.services.assignment_judge), who is told which.
    """
    verdicts = criteria_verdicts or {}
    for action in actions:
        check_due_ahead(action["due_on"], held_at)
    if assignment is not None:
        assignment = assignment_judge(assignment=assignment, verdicts=verdicts)
    elif criteria_verdicts:
        raise ValidationError(_("Only an assignment's debrief judges success criteria."))
    debrief = model_create(
        Debrief,
        enrolment=enrolment,
        assignment=assignment,
        facilitator=facilitator,
        held_at=held_at,
        what_happened=what_happened,
        what_went_well=what_went_well,
        what_to_change=what_to_change,
        lessons=lessons,
    )
    for action in actions:
        model_create(DebriefAction, debrief=debrief, **action)
    if assignment is not None:
        assignment_debriefed_notify(
            assignment=assignment, debrief_id=debrief.pk, by=facilitator, verdicts=verdicts
        )
    evaluate_on_commit([enrolment.pk])
    return debrief


@transaction.atomic
def coaching_session_record(
    *, enrolment, coach, held_at, focus: str, notes: str = "", commitments=()
) -> CoachingSession:
    """Record a coaching session and the commitments it ended in (each with a target, due
    on the day it is held or later)."""
    if not commitments:
        raise ValidationError(_("A coaching session ends in at least one commitment."))
    for commitment in commitments:
        check_due_ahead(commitment["due_on"], held_at)
    session = model_create(
        CoachingSession, enrolment=enrolment, coach=coach, held_at=held_at, focus=focus, notes=notes
    )
    for commitment in commitments:
        model_create(Commitment, session=session, **commitment)
    evaluate_on_commit([enrolment.pk])
    return session


@transaction.atomic
def debrief_action_done(*, action: DebriefAction, at=None) -> DebriefAction:
    """Mark a debrief's next action done, once, at `at` (now unless said)."""
    action = locked(action)
    if action.done_at is not None:
        raise ValidationError(_("This next action is already done."))
    return model_update(action, allowed=("done_at",), fields={"done_at": at or timezone.now()})


@transaction.atomic
def commitment_settle(*, commitment: Commitment, status: str) -> Commitment:
    """Say, once, whether a coaching commitment was kept: its target met by its date or not."""
    settled = (Commitment.Status.KEPT, Commitment.Status.NOT_KEPT)
    if status not in settled:
        raise ValidationError(_("Say whether the commitment was kept or not kept."))
    commitment = locked(commitment)
    if commitment.status != Commitment.Status.OPEN:
        raise ValidationError(
            _("This commitment is already marked %(status)s.")
            % {"status": commitment.get_status_display()}
        )
    return model_update(commitment, allowed=("status",), fields={"status": status})


@transaction.atomic
def peer_feedback_request_create(
    *,
    enrolment,
    requested_by,
    reviewer,
    prompt: str,
    due_at,
    anonymous: bool = False,
    performance_objective=None,
    now=None,
) -> PeerFeedbackRequest:
    """Ask a peer for feedback on a learner by a due date."""
    # `now` is the moment "the future" is judged from: the present unless a caller replays history.
    if due_at <= (now or timezone.now()):
        raise ValidationError({"due_at": _("The due date must be in the future.")})
    if enrolment.status == Enrolment.Status.WITHDRAWN:
        raise ValidationError(
            _("%(learner)s has left this program.") % {"learner": enrolment.learner}
        )
    # The learner themselves and people who left are refused by the model, saying so.
    asked_elsewhere = reviewer.pk != enrolment.learner_id and reviewer.is_active
    if asked_elsewhere and not peer_reviewers_for(enrolment=enrolment).filter(pk=reviewer.pk):
        raise ValidationError(
            {
                # The person typed is not named back: asking must not reveal who they are.
                "reviewer": _(
                    "Ask a colleague of %(learner)s: someone from their org unit, their "
                    "reporting line or one of their programs."
                )
                % {"learner": enrolment.learner}
            }
        )
    request = model_create(
        PeerFeedbackRequest,
        enrolment=enrolment,
        requested_by=requested_by,
        reviewer=reviewer,
        prompt=prompt,
        due_at=due_at,
        anonymous=anonymous,
        performance_objective=performance_objective,
    )
    _peer_request_notify(request)
    return request


def _peer_request_notify(request: PeerFeedbackRequest) -> None:
    """Tell the colleague asked, at once: the reminder scan speaks only once the due date is
    near, and a request nobody hears of goes unanswered."""
    reviewer = request.reviewer
    words = {
        "learner": request.enrolment.learner,
        "prompt": request.prompt,
        "when": formats.date_format(
            timezone.localtime(request.due_at, reviewer.zone), "D j M, H:i"
        ),
    }
    notify_many(
        [
            Notice(
                reviewer.pk,
                Notification.Kind.PEER_FEEDBACK_DUE,
                f"peer-request:{request.pk}:asked",
                _("Your feedback on %(learner)s is asked for") % words,
                _("“%(prompt)s” Answer by %(when)s.") % words,
                reverse("team:peer_inbox"),
            )
        ]
    )


@transaction.atomic
def peer_feedback_respond(*, request: PeerFeedbackRequest, response: str, at=None):
    """The reviewer answers a peer feedback request."""
    request = PeerFeedbackRequest.objects.select_for_update().get(pk=request.pk)
    if request.status != PeerFeedbackRequest.Status.REQUESTED:
        raise ValidationError(_("This request has already been answered or declined."))
    if not response.strip():
        raise ValidationError({"response": _("Write the feedback before sending it.")})
    request.response = response
    request.responded_at = at or timezone.now()
    request.status = PeerFeedbackRequest.Status.SUBMITTED
    request.save(update_fields=["response", "responded_at", "status", "updated_at"])
    _peer_answer_notify(request)
    return request


def _peer_answer_notify(request: PeerFeedbackRequest) -> None:
    """Tell the learner the feedback is in, and whoever asked on their behalf: an answer
    nobody hears of is read late or never. An anonymous reviewer is not named."""
    learner = request.enrolment.learner
    words = {
        "reviewer": _("a colleague") if request.anonymous else request.reviewer,
        "learner": learner,
        "prompt": request.prompt,
    }
    asked_themselves = request.requested_by_id == learner.pk
    told = [
        Notice(
            learner.pk,
            Notification.Kind.PEER_FEEDBACK_GIVEN,
            f"peer-request:{request.pk}:answered",
            _("Feedback from %(reviewer)s is in") % words,
            (_("You asked: “%(prompt)s”") if asked_themselves else _("Asked for you: “%(prompt)s”"))
            % words,
            reverse("learn:feedback"),
        )
    ]
    if not asked_themselves:
        told.append(
            Notice(
                request.requested_by_id,
                Notification.Kind.PEER_FEEDBACK_GIVEN,
                f"peer-request:{request.pk}:answered:asker",
                _("Feedback on %(learner)s from %(reviewer)s is in") % words,
                _("You asked: “%(prompt)s”") % words,
                reverse("team:learner", args=[request.enrolment_id]),
            )
        )
    notify_many(told)


@transaction.atomic
def reflection_write(*, enrolment, body: str, next_action: str = "", step=None, at=None):
    """A learner's journal entry."""
    if step is not None and step.pathway_id != enrolment.pathway_id:
        raise ValidationError({"step": _("Choose a step of your own pathway.")})
    reflection = model_create(
        Reflection,
        enrolment=enrolment,
        step=step,
        body=body,
        next_action=next_action,
        written_at=at or timezone.now(),
    )
    evaluate_on_commit([enrolment.pk])
    return reflection
