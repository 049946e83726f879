"""What sponsors read: last week's reviews, the decision to recalibrate, and success stories."""

from measurement.models import SponsorReview, SuccessStory
from measurement.rollups import sponsor_review_rollup
from measurement.services import (
    review_comment_add,
    review_decision_add,
    success_story_create,
    success_story_update,
)
from programs.models import Step
from programs.services import pathway_create, pathway_reorder

from . import clock, design
from .design import Built, StepSpec
from .run import Run

# What the sponsor review decided: a practice step on specific examples before the role-play.
RECALIBRATION_STEP = StepSpec(
    Step.Kind.CASE_STUDY,
    "Practice: turn vague feedback into specific examples",
    "Rewrite five pieces of vague feedback so that each names what was said or done, and when.",
    2,
    1,
    7,
    learning=("why",),
    performance=("cite",),
)
RECALIBRATION_NOTE = (
    "Sponsor review decision: add a practice step on citing specific examples before the "
    "role-play, where learners stalled."
)


def seed_reviews(run: Run, *, feedback: Built, leadership: Built) -> None:
    """Both programs' reviews, the feedback program's recalibration and the success stories."""
    run.say("Sponsor reviews, success stories and the recalibrated pathway")
    _sponsor_reviews(run, feedback, leadership)
    _recalibration(feedback)
    _success_stories(feedback, leadership)


def _sponsor_reviews(run: Run, feedback: Built, leadership: Built) -> None:
    sponsor = run.person("sponsor")
    review = _review(run, feedback.program)
    if not review.comments.filter(author=sponsor).exists():
        review_comment_add(
            review=review,
            author=sponsor,
            body="Timeliness keeps climbing (71% of feedback within 24 hours, from 35%), "
            "but 'cite specific examples' is the lowest-rated objective: learners soften "
            "their examples in the role-play and keep them vague on the job.",
        )
    decision = review.decisions.filter(decided_by=sponsor).first()
    if decision is None:
        review_decision_add(
            review=review,
            decided_by=sponsor,
            description="Recalibrate the pathway: add a practice step on citing specific "
            "examples before the role-play.",
            owner=run.person("hradmin"),
            due_on=run.in_days(21),
        )
    else:
        clock.move(decision, due_on=run.in_days(21))
    _review(run, leadership.program)


def _review(run: Run, program) -> SponsorReview:
    """The program's review of the last full week, rolled up from the data.

    The demo keeps one review per program (its first): a later run moves it to the new
    last week, unless the scheduled rollup has already made that week's review.
    """
    start, end = run.last_week
    review = SponsorReview.objects.filter(program=program).order_by("id").first()
    if review is not None and (review.period_start, review.period_end) != (start, end):
        taken = SponsorReview.objects.filter(
            program=program, period_start=start, period_end=end
        ).exists()
        if taken:
            start, end = review.period_start, review.period_end
        else:
            clock.move(review, period_start=start, period_end=end)
    return sponsor_review_rollup(program=program, period_start=start, period_end=end)


def _recalibration(feedback: Built) -> None:
    """The decision in progress: a draft version 2 of the feedback pathway with the new
    practice step before the role-play. Learners stay on version 1."""
    program = feedback.program
    if program.pathways.filter(version=2).exists():
        return
    draft = pathway_create(program=program, change_note=RECALIBRATION_NOTE)
    step = design.step(draft, RECALIBRATION_STEP, feedback.learning, feedback.performance)
    order = list(draft.steps.order_by("position").values_list("pk", flat=True))
    order.remove(step.pk)
    order.insert(2, step.pk)  # after the case study, before the role-play
    pathway_reorder(pathway=draft, step_ids=order)


def _success_stories(feedback: Built, leadership: Built) -> None:
    _story(
        leadership.program,
        "A platform trade-off decided in three days",
        enrolment=leadership.enrolments["learner7"],
        step=leadership.pathway.steps.get(position=5),
        assignment=leadership.assignments["sara"],
        metric=leadership.metrics["savings"],
        story="Sara used the options paper she practised in the case study on the live Q3 "
        "platform trade-off, and presented the decision to the Head of Platform, the "
        "Product Director and finance.",
        result="Decided in 3 days instead of 8; about USD 18,000 saved by avoiding a "
        "second release train.",
        published=True,
    )
    _story(
        feedback.program,
        "Same-day feedback ended repeat hand-off misses",
        enrolment=feedback.enrolments["learner4"],
        step=feedback.pathway.steps.get(position=4),
        metric=feedback.metrics["timeliness"],
        story="During the on-the-job step Tom gave feedback on escalation notes within "
        "hours, opening the ticket and naming the missing line.",
        result="His team's feedback within 24 hours rose from 40% to 92%; reopened "
        "escalations fell by a third.",
        published=True,
    )


def _story(program, title, **fields) -> SuccessStory:
    found = SuccessStory.objects.filter(program=program, title=title).first()
    if found is None:
        return success_story_create(program=program, title=title, **fields)
    return success_story_update(success_story=found, **fields)
