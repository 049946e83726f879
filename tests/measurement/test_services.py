"""Assessments, outcome metrics and their measurements."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone

from measurement.models import Assessment, Measurement, OutcomeMetric, SuccessStory
from measurement.services import (
    assessment_record,
    measurement_record,
    outcome_metric_create,
    success_story_create,
    success_story_update,
)
from tests.factories import (
    AssignmentFactory,
    CompetencyFactory,
    EnrolmentFactory,
    LearningObjectiveFactory,
    MeasurementFactory,
    OutcomeMetricFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    StepFactory,
)
from tests.kept_counts import assert_values_counted

pytestmark = pytest.mark.django_db

TARGET_MESSAGE = "The target must be better than the baseline in the metric's direction."


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


@pytest.fixture
def competency(enrolment):
    """A competency the enrolment's program builds through a learning objective."""
    return LearningObjectiveFactory(program=enrolment.program).competency


def record(enrolment, competency, **kwargs):
    kwargs.setdefault("kind", Assessment.Kind.BASELINE)
    kwargs.setdefault("assessed_level", competency.scale.levels.get(rank=2))
    kwargs.setdefault("assessor", enrolment.supervisor)
    kwargs.setdefault("assessed_on", dt.date(2026, 1, 10))
    return assessment_record(enrolment=enrolment, competency=competency, **kwargs)


# assessment_record


def test_a_baseline_assessment_is_recorded_at_a_level_of_the_competencys_scale(
    enrolment, competency
):
    lo = LearningObjectiveFactory(program=enrolment.program, competency=competency)

    assessment = record(enrolment, competency, learning_objective=lo, score=Decimal("64.5"))

    assessment.refresh_from_db()
    assert assessment.assessed_level.rank == 2
    assert assessment.assessor == enrolment.supervisor
    assert assessment.score == Decimal("64.5")


def test_an_assessment_at_a_level_of_another_scale_is_refused_and_not_saved(enrolment, competency):
    other_level = CompetencyFactory().scale.levels.get(rank=2)

    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, assessed_level=other_level)

    assert excinfo.value.message_dict == {
        "assessed_level": ["The level must come from the competency's scale."]
    }
    assert not Assessment.objects.exists()


def test_a_self_assessment_is_recorded_when_the_learner_makes_it(enrolment, competency):
    assessment = record(
        enrolment, competency, kind=Assessment.Kind.SELF, assessor=enrolment.learner
    )

    assert assessment.pk is not None


def test_a_self_assessment_made_by_someone_else_is_refused(enrolment, competency):
    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, kind=Assessment.Kind.SELF, assessor=enrolment.supervisor)

    assert excinfo.value.message_dict == {"assessor": ["A self-assessment is made by the learner."]}
    assert not Assessment.objects.exists()


def test_a_learner_assessing_themselves_must_record_a_self_assessment(enrolment, competency):
    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, kind=Assessment.Kind.CHECKPOINT, assessor=enrolment.learner)

    assert excinfo.value.message_dict == {
        "kind": ["When learners assess themselves, record it as a self-assessment."]
    }


def test_an_assessment_against_a_learning_objective_of_another_competency_is_refused(
    enrolment, competency
):
    lo = LearningObjectiveFactory(program=enrolment.program)

    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, learning_objective=lo)

    assert excinfo.value.message_dict == {
        "learning_objective": ["The learning objective must be of this competency."]
    }


def test_an_assessment_against_a_learning_objective_of_another_program_is_refused(
    enrolment, competency
):
    lo = LearningObjectiveFactory(competency=competency)  # of another program

    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, learning_objective=lo)

    assert excinfo.value.message_dict == {
        "learning_objective": ["The learning objective must be one of the learner's program."]
    }


def test_an_assessment_of_a_competency_the_program_does_not_build_is_refused(enrolment):
    LearningObjectiveFactory(program=enrolment.program)
    elsewhere = LearningObjectiveFactory().competency  # another program's

    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, elsewhere)

    assert excinfo.value.message_dict == {
        "competency": ["Choose a competency the learner's program builds."]
    }
    assert not Assessment.objects.exists()


def test_a_program_without_learning_objectives_is_assessed_in_its_frameworks_competencies():
    framework_competency = CompetencyFactory()
    enrolment = EnrolmentFactory(program__framework=framework_competency.framework)

    assert record(enrolment, framework_competency).pk is not None
    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, CompetencyFactory())  # of another framework
    assert list(excinfo.value.message_dict) == ["competency"]


def test_an_assessment_is_dated_from_the_enrolment_day_to_today(enrolment, competency):
    assert record(enrolment, competency, assessed_on=enrolment.enrolled_on).pk is not None
    assert record(enrolment, competency, assessed_on=timezone.localdate()).pk is not None


def test_an_assessment_dated_in_the_future_is_refused(enrolment, competency):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)

    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, assessed_on=tomorrow)

    assert excinfo.value.message_dict == {
        "assessed_on": ["The day is in the future: choose today or an earlier day."]
    }
    assert not Assessment.objects.exists()


def test_an_assessment_dated_before_the_enrolment_is_refused(enrolment, competency):
    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, assessed_on=enrolment.enrolled_on - dt.timedelta(days=1))

    assert excinfo.value.message_dict == {
        "assessed_on": ["The day is before the enrolment on 5 Jan 2026: choose a later day."]
    }
    assert not Assessment.objects.exists()


def test_a_score_above_100_is_refused(enrolment, competency):
    with pytest.raises(ValidationError) as excinfo:
        record(enrolment, competency, score=Decimal("101"))

    assert excinfo.value.message_dict["score"] == [
        "Ensure this value is less than or equal to 100."
    ]
    assert not Assessment.objects.exists()


# outcome_metric_create


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [
        (OutcomeMetric.Direction.INCREASE, Decimal("70"), Decimal("80")),
        (OutcomeMetric.Direction.DECREASE, Decimal("48"), Decimal("24")),
    ],
)
def test_an_outcome_metric_with_a_target_better_than_its_baseline_is_created(
    direction, baseline, target
):
    program = ProgramFactory()
    po = PerformanceObjectiveFactory(program=program)

    metric = outcome_metric_create(
        program=program,
        performance_objectives=[po],
        name="Escalation cycle time",
        kind=OutcomeMetric.Kind.CYCLE_TIME,
        unit="hours",
        direction=direction,
        baseline=baseline,
        target=target,
    )

    assert metric.pk is not None
    assert list(metric.performance_objectives.all()) == [po]


@pytest.mark.parametrize(
    ("direction", "baseline", "target"),
    [
        (OutcomeMetric.Direction.INCREASE, Decimal("70"), Decimal("60")),
        (OutcomeMetric.Direction.INCREASE, Decimal("70"), Decimal("70")),
        (OutcomeMetric.Direction.DECREASE, Decimal("48"), Decimal("60")),
        (OutcomeMetric.Direction.DECREASE, Decimal("48"), Decimal("48")),
    ],
)
def test_an_outcome_metric_whose_target_does_not_beat_its_baseline_is_refused(
    direction, baseline, target
):
    with pytest.raises(ValidationError) as excinfo:
        outcome_metric_create(
            program=ProgramFactory(),
            name="Escalation cycle time",
            kind=OutcomeMetric.Kind.CYCLE_TIME,
            unit="hours",
            direction=direction,
            baseline=baseline,
            target=target,
        )

    assert excinfo.value.message_dict == {NON_FIELD_ERRORS: [TARGET_MESSAGE]}
    assert not OutcomeMetric.objects.exists()


def test_a_second_outcome_metric_with_the_same_name_is_refused():
    existing = OutcomeMetricFactory(name="CSAT")

    with pytest.raises(ValidationError) as excinfo:
        outcome_metric_create(
            program=existing.program,
            name="CSAT",
            kind=OutcomeMetric.Kind.CUSTOMER_SATISFACTION,
            unit="points",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal("70"),
            target=Decimal("80"),
        )

    assert excinfo.value.messages == ["This program already has a metric with that name."]


# measurement_record


def test_a_measurement_of_a_learner_on_the_metrics_program_is_recorded():
    metric = OutcomeMetricFactory()
    enrolment = EnrolmentFactory(program=metric.program)
    measured_at = timezone.now()

    measurement = measurement_record(
        metric=metric,
        value=Decimal("74.5"),
        measured_at=measured_at,
        enrolment=enrolment,
        note="March survey",
        recorded_by=enrolment.supervisor,
    )

    measurement.refresh_from_db()
    assert measurement.value == Decimal("74.5")
    assert measurement.measured_at == measured_at
    assert measurement.source == Measurement.Source.MANUAL
    metric.refresh_from_db()
    assert metric.values_count == 1 == metric.measurements.count()


def test_each_measurement_recorded_adds_one_to_its_metrics_count_only():
    metric, other = OutcomeMetricFactory(), OutcomeMetricFactory()
    MeasurementFactory(metric=metric)
    for value in ("70", "71"):
        measurement_record(metric=metric, value=Decimal(value), measured_at=timezone.now())

    metric.refresh_from_db()
    other.refresh_from_db()
    assert (metric.values_count, other.values_count) == (3, 0)
    assert_values_counted()


def test_a_program_level_measurement_needs_no_enrolment():
    measurement = measurement_record(
        metric=OutcomeMetricFactory(),
        value=Decimal("71"),
        measured_at=timezone.now(),
        source=Measurement.Source.API,
    )

    assert measurement.enrolment is None


def test_a_measurement_of_a_learner_on_another_program_is_refused_and_not_saved():
    metric = OutcomeMetricFactory()
    stranger = EnrolmentFactory()

    with pytest.raises(ValidationError) as excinfo:
        measurement_record(
            metric=metric, value=Decimal("74"), measured_at=timezone.now(), enrolment=stranger
        )

    assert excinfo.value.message_dict == {
        "enrolment": ["The learner must be on the metric's program."]
    }
    assert not Measurement.objects.exists()
    metric.refresh_from_db()
    assert metric.values_count == 0


# success stories


def test_a_success_story_is_told_and_its_text_edited_later(enrolment):
    step = StepFactory(pathway=enrolment.pathway)
    told = success_story_create(
        program=enrolment.program,
        enrolment=enrolment,
        step=step,
        title="Same-day feedback ended repeat hand-off misses",
        story="Tom gave feedback on escalation notes within hours.",
        result="Reopened escalations fell by a third.",
    )

    success_story_update(
        success_story=told, story="Tom opened the ticket and named the line.", published=True
    )

    told.refresh_from_db()
    assert told.story == "Tom opened the ticket and named the line."
    assert told.published


def test_a_success_story_naming_no_step_or_assignment_is_refused(enrolment):
    with pytest.raises(ValidationError) as excinfo:
        success_story_create(
            program=enrolment.program,
            title="It worked",
            story="Things got better.",
            result="Better.",
        )

    assert excinfo.value.message_dict == {
        "step": ["A success story names the step or assignment that led to the result."]
    }
    assert not SuccessStory.objects.exists()


def test_a_success_story_about_a_learner_of_another_program_is_refused_on_edit(enrolment):
    story = success_story_create(
        program=enrolment.program,
        step=StepFactory(pathway=enrolment.pathway),
        title="It worked",
        story="Things got better.",
        result="Better.",
    )

    with pytest.raises(ValidationError) as excinfo:
        success_story_update(success_story=story, enrolment=EnrolmentFactory())

    assert excinfo.value.message_dict == {"enrolment": ["The learner must be on this program."]}
    story.refresh_from_db()
    assert story.enrolment is None


def _story_fields():
    return {"title": "It worked", "story": "Things got better.", "result": "Better."}


def test_a_success_story_naming_another_programs_step_assignment_or_metric_is_refused(
    enrolment,
):
    elsewhere = EnrolmentFactory()
    with pytest.raises(ValidationError) as excinfo:
        success_story_create(
            program=enrolment.program,
            step=StepFactory(pathway=elsewhere.pathway),
            assignment=AssignmentFactory(enrolment=elsewhere),
            metric=OutcomeMetricFactory(program=elsewhere.program),
            **_story_fields(),
        )

    assert excinfo.value.message_dict == {
        "step": ["The step must be on a pathway of this program."],
        "assignment": ["The assignment must be one given on this program."],
        "metric": ["The metric must be one of this program's."],
    }
    assert not SuccessStory.objects.exists()


def test_a_success_story_edited_to_name_another_programs_step_keeps_its_own(enrolment):
    step = StepFactory(pathway=enrolment.pathway)
    story = success_story_create(program=enrolment.program, step=step, **_story_fields())

    with pytest.raises(ValidationError) as excinfo:
        success_story_update(success_story=story, step=StepFactory())

    assert excinfo.value.message_dict == {
        "step": ["The step must be on a pathway of this program."]
    }
    story.refresh_from_db()
    assert story.step == step


def test_a_success_story_naming_an_assignment_is_about_the_learner_who_did_it(enrolment):
    assignment = AssignmentFactory(enrolment=enrolment)
    story = success_story_create(
        program=enrolment.program, assignment=assignment, **_story_fields()
    )
    assert (story.step, story.enrolment) == (None, enrolment)

    colleague = EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway)
    success_story_update(success_story=story, assignment=AssignmentFactory(enrolment=colleague))

    story.refresh_from_db()
    assert story.enrolment == colleague


def test_a_success_story_about_one_learner_naming_anothers_assignment_is_refused(enrolment):
    colleague = EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway)
    with pytest.raises(ValidationError) as excinfo:
        success_story_create(
            program=enrolment.program,
            enrolment=enrolment,
            assignment=AssignmentFactory(enrolment=colleague),
            **_story_fields(),
        )

    assert excinfo.value.message_dict == {
        "assignment": ["The assignment must be of the learner the story is about."]
    }
    assert not SuccessStory.objects.exists()


def test_a_success_story_names_neither_a_cancelled_assignment_nor_another_step_than_its_own(
    enrolment,
):
    own_step, other_step = (StepFactory(pathway=enrolment.pathway, position=n) for n in (1, 2))
    cancelled = AssignmentFactory(enrolment=enrolment, status="cancelled", step=own_step)
    with pytest.raises(ValidationError) as excinfo:
        success_story_create(program=enrolment.program, assignment=cancelled, **_story_fields())
    assert excinfo.value.message_dict == {
        "assignment": ["This assignment was cancelled: it led to no result."]
    }
    done = AssignmentFactory(
        enrolment=enrolment, status="completed", step=own_step, submitted_at=timezone.now()
    )
    with pytest.raises(ValidationError) as excinfo:
        success_story_create(
            program=enrolment.program, step=other_step, assignment=done, **_story_fields()
        )
    assert excinfo.value.message_dict == {
        "step": ["The assignment was given on another step: name that step, or no step."]
    }
    assert not SuccessStory.objects.exists()
    told = success_story_create(
        program=enrolment.program, step=own_step, assignment=done, **_story_fields()
    )
    assert (told.step, told.assignment) == (own_step, done)


def test_a_senders_clock_a_little_ahead_is_allowed_for_and_no_more():
    metric = OutcomeMetricFactory()
    now = timezone.now()

    measurement_record(
        metric=metric, value=Decimal("74"), measured_at=now + dt.timedelta(minutes=4)
    )
    with pytest.raises(ValidationError):
        measurement_record(
            metric=metric, value=Decimal("75"), measured_at=now + dt.timedelta(minutes=6)
        )

    assert list(Measurement.objects.values_list("value", flat=True)) == [Decimal("74")]


def test_a_value_stored_ahead_before_the_rule_can_still_have_its_note_corrected():
    metric = OutcomeMetricFactory()
    ahead = timezone.now() + dt.timedelta(days=30)
    stored = Measurement.objects.create(metric=metric, value=Decimal("70"), measured_at=ahead)

    stored.note = "Entered a month early by mistake"
    stored.full_clean()  # its moment is not being set: no refusal
    stored.measured_at = ahead + dt.timedelta(days=1)
    with pytest.raises(ValidationError):
        stored.full_clean()  # setting a moment ahead is refused


def test_a_measurement_dated_in_the_future_is_refused_and_not_saved():
    metric = OutcomeMetricFactory()
    now = timezone.now()

    with pytest.raises(ValidationError) as excinfo:
        measurement_record(
            metric=metric, value=Decimal("74"), measured_at=now + dt.timedelta(hours=1)
        )

    assert excinfo.value.message_dict == {
        "measured_at": ["A value cannot be measured in the future: choose a moment up to now."]
    }
    assert not Measurement.objects.exists()
    # a moment up to now is a measurement
    measurement_record(metric=metric, value=Decimal("74"), measured_at=now)
    assert Measurement.objects.count() == 1
