"""Services for competency frameworks and objectives."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from objectives.models import CompetencyFramework, LearningObjective, PerformanceObjective
from objectives.services import (
    framework_publish,
    learning_objective_create,
    performance_objective_create,
    performance_objective_update,
    proficiency_level_update,
)
from tests.factories import (
    CompetencyFactory,
    FrameworkFactory,
    LearningObjectiveFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    ScaleFactory,
)

pytestmark = pytest.mark.django_db

SMART_FIELDS = {
    "statement": "Participants will deliver feedback within 24 hours of observing a behavior.",
    "action": "deliver feedback",
    "condition": "after observing a team member's behaviour",
    "measure": "hours from the observed behaviour to the feedback",
    "measure_unit": "hours",
    "target_comparator": PerformanceObjective.Comparator.AT_MOST,
    "target_value": Decimal("24"),
    "time_window": timedelta(hours=24),
    "time_window_anchor": "of observing a behaviour",
    "evidence_method": PerformanceObjective.EvidenceMethod.OBSERVATION,
}


# framework_publish


def test_publishing_a_framework_retires_the_published_version_of_the_same_name():
    v1 = FrameworkFactory(
        name="Leadership",
        version=1,
        status=CompetencyFramework.Status.PUBLISHED,
        published_at=timezone.now() - timedelta(days=30),
    )
    v2 = FrameworkFactory(name="Leadership", version=2)
    other = FrameworkFactory(
        name="Sales", status=CompetencyFramework.Status.PUBLISHED, published_at=timezone.now()
    )

    published = framework_publish(framework=v2)

    assert published.status == CompetencyFramework.Status.PUBLISHED
    assert published.published_at is not None
    v1.refresh_from_db()
    v2.refresh_from_db()
    other.refresh_from_db()
    assert v1.status == CompetencyFramework.Status.RETIRED
    assert v2.status == CompetencyFramework.Status.PUBLISHED
    assert other.status == CompetencyFramework.Status.PUBLISHED


@pytest.mark.parametrize(
    "status", [CompetencyFramework.Status.PUBLISHED, CompetencyFramework.Status.RETIRED]
)
def test_publishing_a_framework_that_is_not_a_draft_is_refused(status):
    published_at = timezone.now() - timedelta(days=1)
    framework = FrameworkFactory(status=status, published_at=published_at)

    with pytest.raises(ValidationError) as excinfo:
        framework_publish(framework=framework)

    assert excinfo.value.message_dict == {"status": ["Only a draft framework can be published."]}
    framework.refresh_from_db()
    assert framework.status == status
    assert framework.published_at == published_at


def test_a_framework_published_earlier_records_when():
    framework = FrameworkFactory()
    at = timezone.now() - timedelta(days=240)

    published = framework_publish(framework=framework, at=at)

    assert published.status == CompetencyFramework.Status.PUBLISHED
    assert published.published_at == at


# proficiency levels


def test_a_level_of_a_draft_framework_is_given_its_description():
    level = ScaleFactory().levels.get(rank=3)

    proficiency_level_update(level=level, description="Uses it reliably and unprompted.")

    level.refresh_from_db()
    assert level.name == "Proficient"
    assert level.description == "Uses it reliably and unprompted."


def test_a_level_of_a_published_framework_is_not_changed():
    framework = FrameworkFactory(
        name="Leadership", status=CompetencyFramework.Status.PUBLISHED, published_at=timezone.now()
    )
    level = ScaleFactory(framework=framework).levels.get(rank=1)

    with pytest.raises(ValidationError) as excinfo:
        proficiency_level_update(level=level, description="Knows the practice.")

    assert excinfo.value.messages == [
        "Leadership v1 is published: start a new version to change it."
    ]
    level.refresh_from_db()
    assert level.description == ""


# performance and learning objectives


def test_a_smart_performance_objective_is_created_with_its_learning_objectives():
    program = ProgramFactory()
    lo = LearningObjectiveFactory(program=program)

    po = performance_objective_create(program=program, learning_objectives=[lo], **SMART_FIELDS)

    assert po.pk is not None
    assert list(po.learning_objectives.all()) == [lo]


def test_a_vague_performance_objective_is_refused_with_what_is_missing_and_not_saved():
    program = ProgramFactory()

    with pytest.raises(ValidationError) as excinfo:
        performance_objective_create(
            program=program, statement="Participants will understand feedback."
        )

    errors = excinfo.value.message_dict
    assert "'understand' happens inside the head" in errors["statement"][0]
    assert errors["action"] == [
        "Say what the learner will do: an observable verb and its object, e.g. 'deliver feedback'."
    ]
    assert {"condition", "measure", "measure_unit", "target_comparator", "target_value"} <= set(
        errors
    )
    assert errors["evidence_method"] == [
        "Choose how it will be evidenced: observation, work sample or performance metric."
    ]
    assert not PerformanceObjective.objects.exists()


def test_linking_objectives_of_another_program_is_refused_and_nothing_is_saved():
    program = ProgramFactory()
    foreign_lo = LearningObjectiveFactory()
    foreign_po = PerformanceObjectiveFactory()

    with pytest.raises(ValidationError) as excinfo:
        performance_objective_create(
            program=program, learning_objectives=[foreign_lo], **SMART_FIELDS
        )
    assert excinfo.value.message_dict == {
        "learning_objectives": ["Link only objectives of the same program."]
    }

    with pytest.raises(ValidationError) as excinfo:
        learning_objective_create(
            program=program,
            competency=CompetencyFactory(),
            statement="Explain why timely feedback changes behaviour.",
            bloom_level=LearningObjective.BloomLevel.UNDERSTAND,
            assessment_method=LearningObjective.AssessmentMethod.QUIZ,
            performance_objectives=[foreign_po],
        )
    assert excinfo.value.message_dict == {
        "performance_objectives": ["Link only objectives of the same program."]
    }
    assert not program.performance_objectives.exists()
    assert not program.learning_objectives.exists()


def test_creating_a_performance_objective_with_an_unknown_field_is_a_programming_error():
    with pytest.raises(TypeError, match="colour"):
        performance_objective_create(program=ProgramFactory(), colour="red", **SMART_FIELDS)


def test_updating_a_performance_objective_keeps_it_smart():
    po = PerformanceObjectiveFactory()

    performance_objective_update(objective=po, target_value=Decimal("12"))
    po.refresh_from_db()
    assert po.target_value == Decimal("12")

    with pytest.raises(ValidationError) as excinfo:
        performance_objective_update(objective=po, action="understand")
    assert "'understand' cannot be observed" in excinfo.value.message_dict["action"][0]
    po.refresh_from_db()
    assert po.action == "deliver feedback"


def test_a_learning_objective_is_created_supporting_performance_objectives():
    program = ProgramFactory()
    po = PerformanceObjectiveFactory(program=program)

    lo = learning_objective_create(
        program=program,
        competency=CompetencyFactory(),
        statement="Explain why timely feedback changes behaviour.",
        bloom_level=LearningObjective.BloomLevel.UNDERSTAND,
        assessment_method=LearningObjective.AssessmentMethod.QUIZ,
        performance_objectives=[po],
    )

    assert list(lo.performance_objectives.all()) == [po]


def test_a_learning_objective_without_a_bloom_level_is_refused_and_not_saved():
    with pytest.raises(ValidationError) as excinfo:
        learning_objective_create(
            program=ProgramFactory(),
            competency=CompetencyFactory(),
            statement="Explain why timely feedback changes behaviour.",
            bloom_level="",
            assessment_method=LearningObjective.AssessmentMethod.QUIZ,
        )

    assert excinfo.value.message_dict == {"bloom_level": ["This field cannot be blank."]}
    assert not LearningObjective.objects.exists()
