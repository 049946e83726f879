"""Invariants of assessments, outcome metrics, measurements, sponsor reviews and stories."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from measurement.models import Assessment, Measurement, SponsorReview, SuccessStory
from tests.factories import (
    AssessmentFactory,
    AssignmentFactory,
    EnrolmentFactory,
    LearningObjectiveFactory,
    MeasurementFactory,
    OutcomeMetricFactory,
    ProgramFactory,
    ScaleFactory,
    SponsorReviewFactory,
    StepFactory,
    UserFactory,
)
from tests.validation import constraint_errors, full_clean_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def competency(enrolment):
    """A competency the enrolment's program builds through a learning objective."""
    return LearningObjectiveFactory(program=enrolment.program).competency


def assessment_of(enrolment, competency, **changes):
    """An unsaved baseline of the learner by their supervisor, at the scale's first level."""
    return AssessmentFactory.build(enrolment=enrolment, competency=competency, **changes)


# Assessments


@pytest.mark.parametrize("score", [Decimal("-0.01"), Decimal("100.01")])
def test_a_score_outside_0_to_100_is_refused_by_the_database(enrolment, competency, score):
    with pytest.raises(IntegrityError), transaction.atomic():
        assessment_of(enrolment, competency, score=score).save()


@pytest.mark.parametrize(
    ("score", "field_message"),
    [
        (Decimal("-0.01"), "Ensure this value is greater than or equal to 0."),
        (Decimal("100.01"), "Ensure this value is less than or equal to 100."),
    ],
)
def test_a_score_outside_0_to_100_is_reported_to_the_user(
    enrolment, competency, score, field_message
):
    assessment = assessment_of(enrolment, competency, score=score)

    assert full_clean_errors(assessment) == {"score": [field_message]}
    assert constraint_errors(assessment) == {NON_FIELD_ERRORS: ["A score lies between 0 and 100."]}


@pytest.mark.parametrize("score", [None, Decimal("0"), Decimal("100")])
def test_no_score_or_a_score_from_0_to_100_is_stored(enrolment, competency, score):
    assessment = assessment_of(enrolment, competency, score=score)

    assessment.full_clean()
    assessment.save()


def test_a_level_from_another_scale_is_rejected(enrolment, competency):
    elsewhere = ScaleFactory(framework=competency.framework).levels.first()
    assessment = assessment_of(enrolment, competency, assessed_level=elsewhere)

    assert full_clean_errors(assessment) == {
        "assessed_level": ["The level must come from the competency's scale."]
    }


def test_a_level_from_the_competencys_scale_is_accepted(enrolment, competency):
    assessment = assessment_of(enrolment, competency, assessed_level=competency.scale.levels.last())

    assessment.full_clean()


def test_a_self_assessment_made_by_someone_else_is_rejected(enrolment, competency):
    assessment = assessment_of(
        enrolment, competency, kind=Assessment.Kind.SELF, assessor=enrolment.supervisor
    )

    assert full_clean_errors(assessment) == {
        "assessor": ["A self-assessment is made by the learner."]
    }


def test_a_self_assessment_made_by_the_learner_is_accepted(enrolment, competency):
    assessment = assessment_of(
        enrolment, competency, kind=Assessment.Kind.SELF, assessor=enrolment.learner
    )

    assessment.full_clean()


@pytest.mark.parametrize("kind", [Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT])
def test_a_learner_assessing_themselves_outside_a_self_assessment_is_rejected(
    enrolment, competency, kind
):
    assessment = assessment_of(enrolment, competency, kind=kind, assessor=enrolment.learner)

    assert full_clean_errors(assessment) == {
        "kind": ["When learners assess themselves, record it as a self-assessment."]
    }


@pytest.mark.parametrize("kind", [Assessment.Kind.BASELINE, Assessment.Kind.CHECKPOINT])
def test_a_baseline_or_checkpoint_by_the_supervisor_is_accepted(enrolment, competency, kind):
    assessment_of(enrolment, competency, kind=kind, assessor=enrolment.supervisor).full_clean()


def test_a_learning_objective_of_another_competency_is_rejected(enrolment, competency):
    objective = LearningObjectiveFactory(program=enrolment.program)
    assessment = assessment_of(enrolment, competency, learning_objective=objective)

    assert full_clean_errors(assessment) == {
        "learning_objective": ["The learning objective must be of this competency."]
    }


def test_a_learning_objective_of_the_competency_is_accepted(enrolment, competency):
    objective = LearningObjectiveFactory(program=enrolment.program, competency=competency)

    assessment_of(enrolment, competency, learning_objective=objective).full_clean()


# Outcome metrics


@pytest.fixture
def program():
    return ProgramFactory()


def test_two_metrics_with_one_name_in_a_program_are_refused_by_the_database(program):
    OutcomeMetricFactory(program=program, name="CSAT")

    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeMetricFactory(program=program, name="CSAT")


def test_two_metrics_with_one_name_in_a_program_are_reported_to_the_user(program):
    OutcomeMetricFactory(program=program, name="CSAT")

    assert full_clean_errors(OutcomeMetricFactory.build(program=program, name="CSAT")) == {
        NON_FIELD_ERRORS: ["This program already has a metric with that name."]
    }


def test_metrics_with_one_name_in_two_programs_are_stored(program):
    OutcomeMetricFactory(program=program, name="CSAT")
    other = OutcomeMetricFactory.build(program=ProgramFactory(), name="CSAT")

    other.full_clean()
    other.save()


TARGETS_NOT_BETTER = [
    pytest.param("increase", Decimal("70"), id="higher is better, target equals baseline"),
    pytest.param("increase", Decimal("65"), id="higher is better, target below baseline"),
    pytest.param("decrease", Decimal("70"), id="lower is better, target equals baseline"),
    pytest.param("decrease", Decimal("75"), id="lower is better, target above baseline"),
]


@pytest.mark.parametrize(("direction", "target"), TARGETS_NOT_BETTER)
def test_a_target_no_better_than_the_baseline_is_refused_by_the_database(
    program, direction, target
):
    with pytest.raises(IntegrityError), transaction.atomic():
        OutcomeMetricFactory(
            program=program, direction=direction, baseline=Decimal("70"), target=target
        )


@pytest.mark.parametrize(("direction", "target"), TARGETS_NOT_BETTER)
def test_a_target_no_better_than_the_baseline_is_reported_to_the_user(program, direction, target):
    metric = OutcomeMetricFactory.build(
        program=program, direction=direction, baseline=Decimal("70"), target=target
    )

    assert full_clean_errors(metric) == {
        NON_FIELD_ERRORS: ["The target must be better than the baseline in the metric's direction."]
    }


@pytest.mark.parametrize(
    ("direction", "target"),
    [("increase", Decimal("80")), ("decrease", Decimal("60"))],
    ids=["higher is better", "lower is better"],
)
def test_a_target_better_than_the_baseline_is_stored(program, direction, target):
    metric = OutcomeMetricFactory.build(
        program=program, direction=direction, baseline=Decimal("70"), target=target
    )

    metric.full_clean()
    metric.save()


def test_a_metric_with_measurements_cannot_be_deleted():
    measurement = MeasurementFactory()

    with pytest.raises(ProtectedError) as excinfo:
        measurement.metric.delete()

    assert measurement in excinfo.value.protected_objects


# Measurements


def test_a_measurement_of_a_learner_on_another_program_is_rejected(enrolment):
    measurement = MeasurementFactory.build(metric=OutcomeMetricFactory(), enrolment=enrolment)

    assert full_clean_errors(measurement) == {
        "enrolment": ["The learner must be on the metric's program."]
    }


@pytest.mark.parametrize("for_learner", [True, False], ids=["a learner's", "program-level"])
def test_a_learners_or_program_level_measurement_on_the_metrics_program_is_accepted(
    enrolment, for_learner
):
    measurement = MeasurementFactory.build(
        metric=OutcomeMetricFactory(program=enrolment.program),
        enrolment=enrolment if for_learner else None,
    )

    measurement.full_clean()
    measurement.save()

    assert Measurement.objects.count() == 1


# Sponsor reviews

JAN_1 = dt.date(2026, 1, 1)
JAN_8 = dt.date(2026, 1, 8)
# A review always carries its figures: an empty snapshot does not pass full_clean().
SNAPSHOT = {"enrolments": 12, "competent": 5, "metrics": {"CSAT": "74.5"}}


def review_of(program, **changes):
    return SponsorReviewFactory.build(program=program, snapshot=SNAPSHOT, **changes)


def test_two_reviews_of_one_period_are_refused_by_the_database(program):
    SponsorReviewFactory(program=program, period_start=JAN_1, period_end=JAN_8)

    with pytest.raises(IntegrityError), transaction.atomic():
        SponsorReviewFactory(program=program, period_start=JAN_1, period_end=JAN_8)


def test_two_reviews_of_one_period_are_reported_to_the_user(program):
    SponsorReviewFactory(program=program, period_start=JAN_1, period_end=JAN_8)
    again = review_of(program, period_start=JAN_1, period_end=JAN_8)

    assert full_clean_errors(again) == {
        NON_FIELD_ERRORS: ["This program already has a review for that period."]
    }


def test_reviews_of_the_next_period_or_another_program_are_stored(program):
    SponsorReviewFactory(program=program, period_start=JAN_1, period_end=JAN_8)
    next_period = review_of(program, period_start=JAN_8, period_end=dt.date(2026, 1, 15))
    same_period_elsewhere = review_of(ProgramFactory(), period_start=JAN_1, period_end=JAN_8)

    for review in (next_period, same_period_elsewhere):
        review.full_clean()
        review.save()


@pytest.mark.parametrize("period_end", [JAN_1, dt.date(2025, 12, 31)], ids=["same day", "before"])
def test_a_period_not_ending_after_it_starts_is_refused_by_the_database(program, period_end):
    with pytest.raises(IntegrityError), transaction.atomic():
        SponsorReviewFactory(program=program, period_start=JAN_1, period_end=period_end)


def test_a_period_not_ending_after_it_starts_is_reported_to_the_user(program):
    review = review_of(program, period_start=JAN_1, period_end=JAN_1)

    assert full_clean_errors(review) == {
        NON_FIELD_ERRORS: ["A review period must end after it starts."]
    }


@pytest.fixture
def sponsor():
    return UserFactory()


BAD_REVIEW_MARKS = [
    pytest.param("reviewed", False, True, id="reviewed without when"),
    pytest.param("reviewed", True, False, id="reviewed without who"),
    pytest.param("ready", True, False, id="ready with a review time"),
    pytest.param("in_review", True, True, id="in review with a review time"),
]


def mark(review, sponsor, status, with_time, with_reviewer):
    review.status = status
    review.reviewed_at = timezone.now() if with_time else None
    review.reviewed_by = sponsor if with_reviewer else None
    return review


@pytest.mark.parametrize(("status", "with_time", "with_reviewer"), BAD_REVIEW_MARKS)
def test_a_review_status_without_matching_who_and_when_is_refused_by_the_database(
    program, sponsor, status, with_time, with_reviewer
):
    review = mark(review_of(program), sponsor, status, with_time, with_reviewer)

    with pytest.raises(IntegrityError), transaction.atomic():
        review.save()


@pytest.mark.parametrize(("status", "with_time", "with_reviewer"), BAD_REVIEW_MARKS)
def test_a_review_status_without_matching_who_and_when_is_reported_to_the_user(
    program, sponsor, status, with_time, with_reviewer
):
    review = mark(review_of(program), sponsor, status, with_time, with_reviewer)

    assert full_clean_errors(review) == {
        NON_FIELD_ERRORS: ["A reviewed review records who reviewed it and when."]
    }


@pytest.mark.parametrize(
    ("status", "with_time", "with_reviewer"),
    [("ready", False, False), ("in_review", False, False), ("reviewed", True, True)],
)
def test_an_unreviewed_review_or_a_reviewed_one_with_who_and_when_is_stored(
    program, sponsor, status, with_time, with_reviewer
):
    review = mark(review_of(program), sponsor, status, with_time, with_reviewer)

    review.full_clean()
    review.save()

    assert SponsorReview.objects.filter(status=status).count() == 1


# Success stories


def story(program, **changes):
    fields = {
        "program": program,
        "title": "Escalations closed a day sooner",
        "story": "After the escalation-review assignment the team agreed owners in the meeting.",
        "result": "Median escalation age fell from 4 to 3 days.",
        **changes,
    }
    return SuccessStory(**fields)


def test_a_story_naming_no_step_or_assignment_is_refused_by_the_database(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        story(program).save()


def test_a_story_naming_no_step_or_assignment_is_reported_beside_the_step(program):
    assert full_clean_errors(story(program)) == {
        "step": ["A success story names the step or assignment that led to the result."]
    }


def test_a_story_naming_the_step_or_the_assignment_is_stored(enrolment):
    by_step = story(enrolment.program, step=StepFactory(pathway=enrolment.pathway))
    by_assignment = story(
        enrolment.program, enrolment=enrolment, assignment=AssignmentFactory(enrolment=enrolment)
    )

    for told in (by_step, by_assignment):
        told.full_clean()
        told.save()


def test_a_story_about_a_learner_on_another_program_is_rejected(enrolment):
    told = story(
        ProgramFactory(), enrolment=enrolment, assignment=AssignmentFactory(enrolment=enrolment)
    )

    assert full_clean_errors(told) == {
        "enrolment": ["The learner must be on this program."],
        "assignment": ["The assignment must be one given on this program."],
    }


def test_a_story_with_a_step_of_another_programs_pathway_is_rejected(program):
    told = story(program, step=StepFactory())

    assert full_clean_errors(told) == {"step": ["The step must be on a pathway of this program."]}


def test_a_story_with_another_programs_metric_is_rejected(enrolment):
    told = story(
        enrolment.program,
        assignment=AssignmentFactory(enrolment=enrolment),
        metric=OutcomeMetricFactory(),
    )

    assert full_clean_errors(told) == {"metric": ["The metric must be one of this program's."]}


def test_a_story_with_the_programs_learner_and_metric_is_accepted(enrolment):
    told = story(
        enrolment.program,
        enrolment=enrolment,
        assignment=AssignmentFactory(enrolment=enrolment),
        metric=OutcomeMetricFactory(program=enrolment.program),
    )

    told.full_clean()
