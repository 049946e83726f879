"""Evidence on a learner, made once through the services and moved along the clock after.

Each helper finds its row by a natural key (an observation by its enrolment, objective and
behaviour; an assessment by its enrolment, competency and kind; ...). A row not there yet
is made through the service a person would use; one already there has its times moved to
the new clock, so a later run shows the same history relative to its `now`.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from coaching.models import CoachingSession, Debrief, Observation, PeerFeedbackRequest, Reflection
from coaching.services import (
    coaching_session_record,
    debrief_record,
    feedback_give,
    feedback_window_decide,
    observation_log,
    peer_feedback_request_create,
    peer_feedback_respond,
    reflection_write,
)
from measurement.models import Assessment, Measurement
from measurement.services import assessment_record, measurement_record
from programs.models import Assignment
from programs.services import (
    assignment_create,
    assignment_record_presentation,
    assignment_submit_evidence,
)

from . import clock
from .run import Run


@dataclass(frozen=True)
class Said:
    """Feedback on an observation, `after` the behaviour; given by the observer."""

    after: timedelta
    example: str
    impact: str
    suggestion: str = ""


def observe(
    run: Run,
    enrolment,
    observer,
    objective,
    behaviour,
    ago: timedelta,
    rating,
    *,
    evidence="",
    assignment=None,
    feedback: Said | None = None,
) -> Observation:
    """Log an observation once (its feedback window opens), with feedback if given."""
    observed_at = run.ago(ago)
    observer = run.person(observer)
    observation = Observation.objects.filter(
        enrolment=enrolment, performance_objective=objective, behaviour=behaviour
    ).first()
    if observation is not None:
        _move_observation(run, observation, observed_at, feedback)
        return observation
    observation = observation_log(
        observer=observer,
        enrolment=enrolment,
        performance_objective=objective,
        rating=rating,
        behaviour=behaviour,
        observed_at=observed_at,
        evidence=evidence,
        assignment=assignment,
        now=run.now,
    )
    if feedback is not None:
        feedback_give(
            observation=observation,
            giver=observer,
            specific_example=feedback.example,
            impact_on_team_goals=feedback.impact,
            suggestion=feedback.suggestion,
            delivered_at=observed_at + feedback.after,
        )
    return observation


def _move_observation(run: Run, observation, observed_at, feedback: Said | None) -> None:
    """Move an observation, its feedback and its window to the new clock; the window is
    then decided again, so one meant to be open is open at the new time."""
    clock.move(observation, observed_at=observed_at)
    given = observation.feedback.order_by("id").first()
    if feedback is not None and given is not None:
        clock.move(given, delivered_at=observed_at + feedback.after)
    window = observation.feedback_window
    closes_at = observed_at + observation.performance_objective.feedback_window
    clock.move(window, opens_at=observed_at, closes_at=closes_at)
    feedback_window_decide(window=window, now=run.now)


def assess(run: Run, enrolment, code, kind, rank, when, assessor, *, score=None, objective=None):
    """One assessment per enrolment, competency and kind."""
    competency = run.competencies[code]
    found = Assessment.objects.filter(enrolment=enrolment, competency=competency, kind=kind).first()
    if found is not None:
        return clock.move(found, assessed_on=when)
    return assessment_record(
        enrolment=enrolment,
        competency=competency,
        kind=kind,
        assessed_level=run.levels[rank],
        assessor=run.person(assessor),
        assessed_on=when,
        learning_objective=objective,
        score=None if score is None else Decimal(score),
    )


def series(metric, values, moments, *, enrolment=None, source, recorded_by=None) -> None:
    """A metric's values at the given moments, matched to stored ones in time order."""
    stored = list(
        Measurement.objects.filter(metric=metric, enrolment=enrolment).order_by("measured_at", "id")
    )
    for index, (value, moment) in enumerate(zip(values, moments, strict=True)):
        if index < len(stored):
            clock.move(stored[index], measured_at=moment)
            continue
        measurement_record(
            metric=metric,
            value=Decimal(str(value)),
            measured_at=moment,
            enrolment=enrolment,
            source=source,
            note="Monthly figure" if enrolment is None else "",
            recorded_by=recorded_by,
        )


def reflect(run: Run, enrolment, step, body, next_action, ago: timedelta) -> Reflection:
    found = Reflection.objects.filter(enrolment=enrolment, step=step).first()
    if found is not None:
        return clock.move(found, written_at=run.ago(ago))
    return reflection_write(
        enrolment=enrolment, step=step, body=body, next_action=next_action, at=run.ago(ago)
    )


def ask_peer(
    run: Run,
    enrolment,
    requested_by,
    reviewer,
    prompt,
    *,
    due: timedelta,
    objective,
    anonymous=False,
    answer: tuple[str, timedelta] | None = None,
) -> PeerFeedbackRequest:
    """A peer feedback request due in `due`, answered `answer[1]` ago when an answer is given."""
    reviewer = run.person(reviewer)
    answered_at = None if answer is None else run.ago(answer[1])
    found = PeerFeedbackRequest.objects.filter(enrolment=enrolment, reviewer=reviewer).first()
    if found is not None:
        return clock.move(found, due_at=run.now + due, responded_at=answered_at)
    request = peer_feedback_request_create(
        enrolment=enrolment,
        requested_by=run.person(requested_by),
        reviewer=reviewer,
        prompt=prompt,
        due_at=run.now + due,
        anonymous=anonymous,
        performance_objective=objective,
        now=run.now,
    )
    if answer is not None:
        request = peer_feedback_respond(request=request, response=answer[0], at=answered_at)
    return request


def assignment(
    run: Run,
    enrolment,
    step,
    *,
    title,
    kind,
    brief,
    stakeholders,
    due_on,
    criteria,
    submitted=None,
    presented=None,
) -> Assignment:
    """An assignment with its success criteria (description, performance objective);
    with evidence submitted (`submitted`: how long ago, evidence, outcome) and results
    presented to stakeholders (`presented`: days ago, to whom) when given."""
    submitted_at = None if submitted is None else run.ago(submitted[0])
    presented_on = None if presented is None else run.day(presented[0])
    found = Assignment.objects.filter(enrolment=enrolment, title=title).first()
    if found is not None:
        return clock.move(
            found, due_on=due_on, submitted_at=submitted_at, presented_on=presented_on
        )
    found = assignment_create(
        enrolment=enrolment,
        step=step,
        title=title,
        brief=brief,
        scenario_kind=kind,
        stakeholders=stakeholders,
        due_on=due_on,
        criteria=[
            {"description": text, "performance_objective": objective}
            for text, objective in criteria
        ],
        # Given by the day it falls due at the latest, when that day was still ahead.
        now=run.ago(timedelta(days=max(0, (run.today - due_on).days))),
    )
    if submitted is not None:
        _, evidence, outcome = submitted
        found = assignment_submit_evidence(
            assignment=found, evidence=evidence, outcome=outcome, at=submitted_at
        )
    if presented is not None:
        found = assignment_record_presentation(
            assignment=found, presented_on=presented_on, presented_to=presented[1], now=run.now
        )
    return found


def debrief(run: Run, enrolment, assignment, facilitator, ago, *, actions, **fields) -> Debrief:
    """A structured debrief of an assignment, with its next actions."""
    found = Debrief.objects.filter(enrolment=enrolment, assignment=assignment).first()
    if found is None:
        return debrief_record(
            enrolment=enrolment,
            assignment=assignment,
            facilitator=run.person(facilitator),
            held_at=run.ago(ago),
            actions=actions,
            **fields,
        )
    clock.move(found, held_at=run.ago(ago))
    for stored, action in zip(found.actions.order_by("id"), actions, strict=False):
        clock.move(stored, due_on=action["due_on"], done_at=action.get("done_at"))
    return found


def coaching(run: Run, enrolment, focus, ago, notes, commitments) -> CoachingSession:
    """A coaching session by the enrolment's coach, with the commitments it ended in."""
    found = CoachingSession.objects.filter(enrolment=enrolment, focus=focus).first()
    if found is None:
        return coaching_session_record(
            enrolment=enrolment,
            coach=enrolment.coach,
            held_at=run.ago(ago),
            focus=focus,
            notes=notes,
            commitments=commitments,
        )
    clock.move(found, held_at=run.ago(ago))
    for stored, commitment in zip(found.commitments.order_by("id"), commitments, strict=False):
        clock.move(stored, due_on=commitment["due_on"])
    return found
