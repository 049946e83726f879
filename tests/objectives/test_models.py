"""Invariants of competency frameworks, scales, competencies and performance objectives."""

from datetime import timedelta

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from objectives.models import (
    BehaviouralIndicator,
    Competency,
    CompetencyFramework,
    PerformanceObjective,
    ProficiencyLevel,
    ProficiencyScale,
)
from tests.factories import (
    CompetencyFactory,
    FrameworkFactory,
    LearningObjectiveFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    ScaleFactory,
)
from tests.validation import constraint_errors, full_clean_errors

pytestmark = pytest.mark.django_db


# Competency frameworks


def test_a_framework_version_twice_is_refused_by_the_database():
    FrameworkFactory(name="Leadership", version=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyFramework.objects.create(name="Leadership", version=1)


def test_the_next_version_of_a_framework_is_stored():
    FrameworkFactory(name="Leadership", version=1)
    next_version = CompetencyFramework(name="Leadership", version=2)

    next_version.full_clean()
    next_version.save()


def test_a_framework_version_twice_is_reported_to_the_user():
    FrameworkFactory(name="Leadership", version=1)

    assert full_clean_errors(CompetencyFramework(name="Leadership", version=1)) == {
        NON_FIELD_ERRORS: ["This framework already has that version."]
    }


def test_a_framework_version_zero_is_refused_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyFramework.objects.create(name="Leadership", version=0)


def test_a_framework_version_zero_is_reported_to_the_user():
    framework = CompetencyFramework(name="Leadership", version=0)

    assert full_clean_errors(framework) == {
        "version": ["Ensure this value is greater than or equal to 1."]
    }
    assert constraint_errors(framework) == {NON_FIELD_ERRORS: ["Versions start at 1."]}


@pytest.mark.parametrize("status", ["published", "retired"])
def test_a_published_or_retired_framework_without_a_date_is_refused_by_the_database(status):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyFramework.objects.create(name="Leadership", status=status, published_at=None)


@pytest.mark.parametrize("status", ["published", "retired"])
def test_a_published_or_retired_framework_without_a_date_is_reported_to_the_user(status):
    framework = CompetencyFramework(name="Leadership", status=status, published_at=None)

    assert full_clean_errors(framework) == {
        NON_FIELD_ERRORS: ["A published or retired framework has a publish date."]
    }


@pytest.mark.parametrize(
    ("status", "published_at"),
    [("draft", None), ("published", timezone.now()), ("retired", timezone.now())],
)
def test_a_draft_or_a_dated_framework_is_stored(status, published_at):
    framework = CompetencyFramework(name="Leadership", status=status, published_at=published_at)

    framework.full_clean()
    framework.save()


# Proficiency scales and levels


def test_two_scales_with_one_name_in_a_framework_are_refused_by_the_database():
    scale = ScaleFactory(name="Proficiency")

    with pytest.raises(IntegrityError), transaction.atomic():
        ProficiencyScale.objects.create(framework=scale.framework, name="Proficiency")


def test_scales_with_one_name_in_two_frameworks_are_stored():
    ScaleFactory(name="Proficiency")
    other = ProficiencyScale(framework=FrameworkFactory(), name="Proficiency")

    other.full_clean()
    other.save()


def test_two_scales_with_one_name_in_a_framework_are_reported_to_the_user():
    scale = ScaleFactory(name="Proficiency")
    again = ProficiencyScale(framework=scale.framework, name="Proficiency")

    assert full_clean_errors(again) == {
        NON_FIELD_ERRORS: ["This framework already has a scale with that name."]
    }


@pytest.fixture
def scale():
    """Ranks 1 to 4: Foundational, Developing, Proficient, Expert."""
    return ScaleFactory()


def test_two_levels_at_one_rank_are_refused_by_the_database(scale):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProficiencyLevel.objects.create(scale=scale, rank=1, name="Novice")


def test_two_levels_at_one_rank_are_reported_to_the_user(scale):
    assert full_clean_errors(ProficiencyLevel(scale=scale, rank=1, name="Novice")) == {
        NON_FIELD_ERRORS: ["This scale already has a level at that rank."]
    }


def test_two_levels_with_one_name_are_refused_by_the_database(scale):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProficiencyLevel.objects.create(scale=scale, rank=5, name="Expert")


def test_two_levels_with_one_name_are_reported_to_the_user(scale):
    assert full_clean_errors(ProficiencyLevel(scale=scale, rank=5, name="Expert")) == {
        NON_FIELD_ERRORS: ["This scale already has a level with that name."]
    }


def test_a_level_at_rank_zero_is_refused_by_the_database(scale):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProficiencyLevel.objects.create(scale=scale, rank=0, name="Unaware")


def test_a_level_at_rank_zero_is_reported_to_the_user(scale):
    level = ProficiencyLevel(scale=scale, rank=0, name="Unaware")

    assert full_clean_errors(level) == {
        "rank": ["Ensure this value is greater than or equal to 1."]
    }
    assert constraint_errors(level) == {NON_FIELD_ERRORS: ["Ranks start at 1."]}


def test_a_new_level_with_its_own_rank_and_name_is_stored(scale):
    level = ProficiencyLevel(scale=scale, rank=5, name="Master")

    level.full_clean()
    level.save()


# Competencies


@pytest.fixture
def competency():
    return CompetencyFactory(code="FB")


def test_two_competencies_with_one_code_in_a_framework_are_refused_by_the_database(competency):
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetencyFactory(framework=competency.framework, scale=competency.scale, code="FB")


def test_two_competencies_with_one_code_in_a_framework_are_reported_to_the_user(competency):
    again = CompetencyFactory.build(
        framework=competency.framework, scale=competency.scale, code="FB"
    )

    assert full_clean_errors(again) == {
        NON_FIELD_ERRORS: ["This framework already has a competency with that code."]
    }


def test_a_competency_with_a_new_code_under_a_parent_is_stored(competency):
    child = CompetencyFactory.build(
        framework=competency.framework, scale=competency.scale, parent=competency, code="FB.1"
    )

    child.full_clean()
    child.save()


def test_a_competency_as_its_own_parent_is_refused_by_the_database(competency):
    with pytest.raises(IntegrityError), transaction.atomic():
        Competency.objects.filter(pk=competency.pk).update(parent=competency)


def test_a_competency_as_its_own_parent_is_reported_to_the_user(competency):
    competency.parent = competency

    # clean() finds the loop first; the constraint's own message is checked on its own.
    assert full_clean_errors(competency) == {
        "parent": ["This parent would make the competency tree a loop."]
    }
    with pytest.raises(ValidationError, match="A competency cannot be its own parent."):
        competency.validate_constraints()


def test_a_competency_under_its_own_child_is_rejected_as_a_loop(competency):
    child = CompetencyFactory(
        framework=competency.framework, scale=competency.scale, parent=competency
    )
    competency.parent = child

    assert "parent" in full_clean_errors(competency)


def test_a_parent_competency_from_another_framework_is_rejected(competency):
    child = CompetencyFactory.build(
        framework=competency.framework, scale=competency.scale, parent=CompetencyFactory()
    )

    assert full_clean_errors(child) == {
        "parent": ["The parent competency must belong to the same framework."]
    }


def test_a_scale_from_another_framework_is_rejected(competency):
    other = CompetencyFactory.build(framework=competency.framework, scale=ScaleFactory())

    assert full_clean_errors(other) == {"scale": ["The scale must belong to the same framework."]}


def test_a_scale_from_the_same_framework_is_accepted(competency):
    other = CompetencyFactory.build(
        framework=competency.framework, scale=ScaleFactory(framework=competency.framework)
    )

    other.full_clean()


# Behavioural indicators


def test_an_indicator_at_a_level_of_another_scale_is_rejected(competency):
    indicator = BehaviouralIndicator(
        competency=competency,
        level=ScaleFactory(framework=competency.framework).levels.first(),
        description="Gives feedback the same day.",
    )

    assert full_clean_errors(indicator) == {
        "level": ["The level must come from the competency's scale."]
    }


def test_an_indicator_at_a_level_of_the_competencys_scale_is_accepted(competency):
    indicator = BehaviouralIndicator(
        competency=competency,
        level=competency.scale.levels.first(),
        description="Gives feedback the same day.",
    )

    indicator.full_clean()


# Learning objectives


def test_a_learning_objective_on_a_competency_outside_the_programs_framework_is_rejected():
    program = ProgramFactory(framework=FrameworkFactory())
    objective = LearningObjectiveFactory.build(program=program, competency=CompetencyFactory())

    assert full_clean_errors(objective) == {
        "competency": ["Choose a competency from the program's framework."]
    }


def test_a_learning_objective_on_a_competency_of_the_programs_framework_is_accepted():
    competency = CompetencyFactory()
    program = ProgramFactory(framework=competency.framework)

    LearningObjectiveFactory.build(program=program, competency=competency).full_clean()


def test_a_learning_objective_of_a_program_without_a_framework_takes_any_competency():
    objective = LearningObjectiveFactory.build(
        program=ProgramFactory(framework=None), competency=CompetencyFactory()
    )

    objective.full_clean()


# Performance objectives: the windows (the SMART rule itself is in test_smart.py)


@pytest.fixture
def program():
    return ProgramFactory()


@pytest.mark.parametrize("window", [timedelta(0), timedelta(hours=-1)])
def test_a_feedback_window_of_zero_or_less_is_refused_by_the_database(program, window):
    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceObjectiveFactory(program=program, feedback_window=window)


def test_a_feedback_window_of_zero_is_reported_to_the_user(program):
    objective = PerformanceObjectiveFactory.build(program=program, feedback_window=timedelta(0))

    assert full_clean_errors(objective) == {
        NON_FIELD_ERRORS: ["The feedback window must be longer than zero."]
    }


@pytest.mark.parametrize("window", [timedelta(0), timedelta(hours=-1)])
def test_a_time_window_of_zero_or_less_is_refused_by_the_database(program, window):
    objective = PerformanceObjectiveFactory(program=program)

    with pytest.raises(IntegrityError), transaction.atomic():
        PerformanceObjective.objects.filter(pk=objective.pk).update(time_window=window)


def test_a_time_window_of_zero_is_reported_to_the_user(program):
    objective = PerformanceObjectiveFactory.build(program=program, time_window=timedelta(0))

    assert full_clean_errors(objective) == {
        NON_FIELD_ERRORS: ["The time window must be longer than zero."]
    }


def test_positive_windows_or_no_time_window_are_stored(program):
    PerformanceObjectiveFactory(program=program, time_window=None, time_window_anchor="")
    objective = PerformanceObjectiveFactory.build(
        program=program, feedback_window=timedelta(hours=48), time_window=timedelta(hours=48)
    )

    objective.full_clean()
    objective.save()
