"""An assessed level a rule asks for exists on the proficiency scales it is assessed on."""

import pytest
from django.core.exceptions import ValidationError

from programs.models import Program, Step
from programs.services import pathway_create, program_create, program_update, step_add, step_update
from tests.factories import (
    CompetencyFactory,
    FrameworkFactory,
    LearningObjectiveFactory,
    ProgramFactory,
    ScaleFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PROGRAM = {
    "name": "Feedback on the job",
    "slug": "feedback-on-the-job",
    "business_goal": "Cut repeat contacts by 15%.",
    "starts_on": "2026-01-10",
}
FIVE = ["Aware", "Foundational", "Developing", "Proficient", "Expert"]


@pytest.fixture
def framework():
    """Giving feedback on a four-level scale, Coaching on a five-level one."""
    framework = FrameworkFactory()
    CompetencyFactory(framework=framework, name="Giving feedback")
    CompetencyFactory(
        framework=framework, name="Coaching", scale=ScaleFactory(framework=framework, levels=FIVE)
    )
    return framework


def _competency(framework, name):
    return framework.competencies.get(name=name)


def _refusal(excinfo):
    return excinfo.value.message_dict


# The program's rule: every competency must reach the level


def test_a_new_program_asks_at_most_the_top_level_every_competency_of_its_framework_has(
    framework,
):
    program = program_create(
        owner=UserFactory(), framework=framework, competency_min_rank=4, **PROGRAM
    )

    assert program.competency_min_rank == 4
    with pytest.raises(ValidationError) as excinfo:
        program_create(
            owner=UserFactory(),
            framework=framework,
            competency_min_rank=5,
            **{**PROGRAM, "slug": "other"},
        )
    assert _refusal(excinfo) == {
        "competency_min_rank": ["The scale of Giving feedback goes up to level 4."]
    }
    assert not Program.objects.filter(slug="other").exists()


def test_a_programs_level_is_read_against_the_competencies_its_learning_objectives_build(
    framework,
):
    program = ProgramFactory(framework=framework, name="Coaching basics")
    LearningObjectiveFactory(program=program, competency=_competency(framework, "Coaching"))

    program_update(program=program, competency_min_rank=5)  # Giving feedback is not built

    program.refresh_from_db()
    assert program.competency_min_rank == 5
    with pytest.raises(ValidationError) as excinfo:
        program_update(program=program, competency_min_rank=6, name="Renamed")
    assert _refusal(excinfo) == {
        "competency_min_rank": ["The scale of Coaching goes up to level 5."]
    }
    program.refresh_from_db()
    assert (program.competency_min_rank, program.name) == (5, "Coaching basics")


def test_an_unchanged_level_is_checked_against_a_new_framework(framework):
    program = ProgramFactory(competency_min_rank=5)
    program_update(program=program, name="No framework: nothing to check against")

    with pytest.raises(ValidationError) as excinfo:
        program_update(program=program, framework=framework)

    assert _refusal(excinfo) == {
        "competency_min_rank": ["The scale of Giving feedback goes up to level 4."]
    }
    program.refresh_from_db()
    assert program.framework is None


def test_a_program_without_an_assessed_level_needs_no_scale(framework):
    program = ProgramFactory(framework=framework, competency_min_rank=3)

    program_update(program=program, competency_min_rank=None)

    program.refresh_from_db()
    assert program.competency_min_rank is None


# A step's level: one competency reaching it is enough


@pytest.fixture
def program(framework):
    return ProgramFactory(framework=framework)


def _assessment_step(pathway, rank, **objectives):
    return step_add(
        pathway=pathway,
        kind=Step.Kind.CHECKPOINT_REVIEW,
        title="Checkpoint",
        completed_by=Step.Completion.ASSESSMENT,
        assessment_min_rank=rank,
        **objectives,
    )


def test_a_step_asks_at_most_the_top_level_of_the_competencies_its_objectives_build(
    framework, program
):
    pathway = pathway_create(program=program)
    feedback = LearningObjectiveFactory(
        program=program, competency=_competency(framework, "Giving feedback")
    )

    step = _assessment_step(pathway, 4, learning_objectives=[feedback])

    assert step.assessment_min_rank == 4
    with pytest.raises(ValidationError) as excinfo:
        _assessment_step(pathway, 9, learning_objectives=[feedback])
    assert _refusal(excinfo) == {
        "assessment_min_rank": ["The scale of Giving feedback goes up to level 4."]
    }
    assert list(pathway.steps.all()) == [step]


def test_a_step_without_objectives_may_ask_a_level_any_competency_of_the_program_reaches(
    framework, program
):
    pathway = pathway_create(program=program)

    step = _assessment_step(pathway, 5)  # Coaching reaches 5

    assert step.assessment_min_rank == 5
    with pytest.raises(ValidationError) as excinfo:
        _assessment_step(pathway, 6)
    assert _refusal(excinfo) == {
        "assessment_min_rank": ["The scale of Coaching goes up to level 5."]
    }


def test_changing_a_steps_level_or_objectives_keeps_it_on_the_scale(framework, program):
    pathway = pathway_create(program=program)
    coaching = LearningObjectiveFactory(
        program=program, competency=_competency(framework, "Coaching")
    )
    feedback = LearningObjectiveFactory(
        program=program, competency=_competency(framework, "Giving feedback")
    )
    step = _assessment_step(pathway, 5, learning_objectives=[coaching])

    with pytest.raises(ValidationError) as excinfo:
        step_update(step=step, learning_objectives=[feedback])
    assert _refusal(excinfo) == {
        "assessment_min_rank": ["The scale of Giving feedback goes up to level 4."]
    }
    with pytest.raises(ValidationError):
        step_update(step=step, assessment_min_rank=6)

    step.refresh_from_db()
    assert step.assessment_min_rank == 5
    assert list(step.learning_objectives.all()) == [coaching]
    step_update(step=step, assessment_min_rank=3, learning_objectives=[feedback])
    step.refresh_from_db()
    assert step.assessment_min_rank == 3
