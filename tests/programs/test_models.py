"""Invariants of programs, pathways, steps, cohorts, enrolments, progress and assignments."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import NON_FIELD_ERRORS
from django.db import IntegrityError, transaction
from django.db.models import ProtectedError
from django.utils import timezone

from programs.models import Cohort, Enrolment, Pathway, StepProgress, SuccessCriterion
from tests.factories import (
    AssignmentFactory,
    CohortFactory,
    EnrolmentFactory,
    PathwayFactory,
    PerformanceObjectiveFactory,
    ProgramFactory,
    StepFactory,
    StepProgressFactory,
    UserFactory,
)
from tests.validation import constraint_errors, full_clean_errors

pytestmark = pytest.mark.django_db

JAN_1 = dt.date(2026, 1, 1)
JAN_5 = dt.date(2026, 1, 5)
DEC_31_BEFORE = dt.date(2025, 12, 31)


@pytest.fixture
def owner():
    return UserFactory()


# Programs


def test_a_program_ending_before_it_starts_is_refused_by_the_database(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(owner=owner, starts_on=JAN_1, ends_on=DEC_31_BEFORE)


def test_a_program_ending_before_it_starts_is_reported_to_the_user(owner):
    program = ProgramFactory.build(owner=owner, starts_on=JAN_1, ends_on=DEC_31_BEFORE)

    assert full_clean_errors(program) == {
        NON_FIELD_ERRORS: ["A program cannot end before it starts."]
    }


@pytest.mark.parametrize("ends_on", [None, JAN_1, dt.date(2026, 6, 30)])
def test_an_open_ended_or_one_day_or_longer_program_is_stored(owner, ends_on):
    program = ProgramFactory.build(owner=owner, starts_on=JAN_1, ends_on=ends_on)

    program.full_clean()
    program.save()


def test_a_negative_cost_is_refused_by_the_database(owner):
    with pytest.raises(IntegrityError), transaction.atomic():
        ProgramFactory(owner=owner, cost=Decimal("-0.01"))


def test_a_negative_cost_is_reported_to_the_user(owner):
    program = ProgramFactory.build(owner=owner, cost=Decimal("-0.01"))

    assert full_clean_errors(program) == {
        "cost": ["Ensure this value is greater than or equal to 0."]
    }
    assert constraint_errors(program) == {NON_FIELD_ERRORS: ["Cost cannot be negative."]}


@pytest.mark.parametrize("cost", [Decimal("0"), Decimal("12500.00")])
def test_a_free_or_costed_program_is_stored(owner, cost):
    program = ProgramFactory.build(owner=owner, cost=cost)

    program.full_clean()
    program.save()


def test_a_program_with_enrolments_cannot_be_deleted():
    enrolment = EnrolmentFactory()

    with pytest.raises(ProtectedError) as excinfo:
        enrolment.program.delete()

    assert enrolment in excinfo.value.protected_objects
    assert Enrolment.objects.filter(pk=enrolment.pk).exists()


def test_a_pathway_learners_are_on_cannot_be_deleted():
    enrolment = EnrolmentFactory()

    with pytest.raises(ProtectedError):
        enrolment.pathway.delete()


# Pathways


@pytest.fixture
def program():
    return ProgramFactory()


def draft(program, version, **fields):
    return PathwayFactory(
        program=program, version=version, status=Pathway.Status.DRAFT, published_at=None, **fields
    )


def test_a_pathway_version_twice_in_a_program_is_refused_by_the_database(program):
    draft(program, 1)

    with pytest.raises(IntegrityError), transaction.atomic():
        draft(program, 1)


def test_a_pathway_version_twice_in_a_program_is_reported_to_the_user(program):
    draft(program, 1)
    again = PathwayFactory.build(
        program=program, version=1, status=Pathway.Status.DRAFT, published_at=None
    )

    assert full_clean_errors(again) == {
        NON_FIELD_ERRORS: ["This program already has a pathway with that version."]
    }


def test_the_next_pathway_version_is_stored(program):
    draft(program, 1)
    next_version = PathwayFactory.build(
        program=program, version=2, status=Pathway.Status.DRAFT, published_at=None
    )

    next_version.full_clean()
    next_version.save()


def test_a_second_published_pathway_in_a_program_is_refused_by_the_database(program):
    PathwayFactory(program=program, version=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        PathwayFactory(program=program, version=2)


def test_publishing_a_draft_next_to_the_published_pathway_is_refused_by_the_database(program):
    PathwayFactory(program=program, version=1)
    second = draft(program, 2)

    with pytest.raises(IntegrityError), transaction.atomic():
        Pathway.objects.filter(pk=second.pk).update(
            status=Pathway.Status.PUBLISHED, published_at=timezone.now()
        )


def test_a_second_published_pathway_in_a_program_is_reported_to_the_user(program):
    PathwayFactory(program=program, version=1)
    second = PathwayFactory.build(program=program, version=2)

    assert full_clean_errors(second) == {
        NON_FIELD_ERRORS: ["A program has only one published pathway at a time."]
    }


def test_a_published_pathway_next_to_drafts_and_retired_versions_is_stored(program):
    PathwayFactory(program=program, version=1, status=Pathway.Status.RETIRED)
    draft(program, 2)
    draft(program, 3)
    published = PathwayFactory.build(program=program, version=4)

    published.full_clean()
    published.save()


def test_published_pathways_in_two_programs_are_stored(program):
    PathwayFactory(program=program)
    PathwayFactory(program=ProgramFactory())

    assert Pathway.objects.filter(status=Pathway.Status.PUBLISHED).count() == 2


def test_a_pathway_version_zero_is_refused_by_the_database(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        draft(program, 0)


def test_a_pathway_version_zero_is_reported_to_the_user(program):
    pathway = PathwayFactory.build(
        program=program, version=0, status=Pathway.Status.DRAFT, published_at=None
    )

    assert full_clean_errors(pathway) == {NON_FIELD_ERRORS: ["Versions start at 1."]}


@pytest.mark.parametrize("status", ["published", "retired"])
def test_a_published_or_retired_pathway_without_a_date_is_refused_by_the_database(program, status):
    with pytest.raises(IntegrityError), transaction.atomic():
        PathwayFactory(program=program, status=status, published_at=None)


@pytest.mark.parametrize("status", ["published", "retired"])
def test_a_published_or_retired_pathway_without_a_date_is_reported_to_the_user(program, status):
    pathway = PathwayFactory.build(program=program, status=status, published_at=None)

    assert full_clean_errors(pathway) == {
        NON_FIELD_ERRORS: ["A published or retired pathway has a publish date."]
    }


# Steps


@pytest.fixture
def pathway():
    return PathwayFactory()


def test_two_steps_at_one_position_are_refused_by_the_database(pathway):
    StepFactory(pathway=pathway, position=1)

    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(pathway=pathway, position=1)


def test_two_steps_at_one_position_are_reported_to_the_user(pathway):
    StepFactory(pathway=pathway, position=1)

    assert full_clean_errors(StepFactory.build(pathway=pathway, position=1)) == {
        NON_FIELD_ERRORS: ["Another step already holds this position."]
    }


def test_the_same_position_on_another_pathway_version_is_stored(pathway):
    StepFactory(pathway=pathway, position=1)
    next_version = draft(pathway.program, 2)
    step = StepFactory.build(pathway=next_version, position=1)

    step.full_clean()
    step.save()


@pytest.mark.parametrize("difficulty", [0, 6])
def test_a_difficulty_outside_1_to_5_is_refused_by_the_database(pathway, difficulty):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(pathway=pathway, difficulty=difficulty)


@pytest.mark.parametrize(
    ("difficulty", "field_message"),
    [
        (0, "Ensure this value is greater than or equal to 1."),
        (6, "Ensure this value is less than or equal to 5."),
    ],
)
def test_a_difficulty_outside_1_to_5_is_reported_to_the_user(pathway, difficulty, field_message):
    step = StepFactory.build(pathway=pathway, difficulty=difficulty)

    assert full_clean_errors(step) == {"difficulty": [field_message]}
    assert constraint_errors(step) == {NON_FIELD_ERRORS: ["Difficulty runs from 1 to 5."]}


@pytest.mark.parametrize("difficulty", [1, 5])
def test_a_difficulty_from_1_to_5_is_stored(pathway, difficulty):
    step = StepFactory.build(pathway=pathway, difficulty=difficulty)

    step.full_clean()
    step.save()


NO_GATE = {
    "gate_min_observations": None,
    "gate_min_rating": None,
    "gate_min_observers": None,
    "gate_within_days": None,
}
FULL_GATE = {
    "gate_min_observations": 3,
    "gate_min_rating": 3,
    "gate_min_observers": 2,
    "gate_within_days": 30,
}
INCOMPLETE_GATES = [
    pytest.param({**NO_GATE, "gate_min_observations": 3}, id="only a number of observations"),
    pytest.param({**FULL_GATE, "gate_min_rating": None}, id="no minimum rating"),
    pytest.param(
        {**FULL_GATE, "gate_min_observations": 0, "gate_min_observers": 0}, id="zero observations"
    ),
    pytest.param({**FULL_GATE, "gate_min_observers": 0}, id="zero observers"),
    pytest.param({**FULL_GATE, "gate_min_observers": 4}, id="more observers than observations"),
    pytest.param({**FULL_GATE, "gate_within_days": 0}, id="a span of zero days"),
    # A NULL part leaves the complete branch unknown, and a CHECK passes on unknown.
    pytest.param(
        {**FULL_GATE, "gate_min_observations": None},
        id="no number of observations",
    ),
    pytest.param({**FULL_GATE, "gate_min_observers": None}, id="no number of observers"),
    pytest.param({**FULL_GATE, "gate_within_days": None}, id="no span in days"),
]
GATE_MESSAGE = (
    "An evidence rule needs a number of observations (1 or more), a minimum rating, a number "
    "of observers no larger than the number of observations, and a span in days."
)


@pytest.mark.parametrize("gate", INCOMPLETE_GATES)
def test_an_incomplete_evidence_gate_is_refused_by_the_database(pathway, gate):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepFactory(pathway=pathway, **gate)


@pytest.mark.parametrize("gate", INCOMPLETE_GATES)
def test_an_incomplete_evidence_gate_is_reported_to_the_user(pathway, gate):
    step = StepFactory.build(pathway=pathway, **gate)

    assert full_clean_errors(step) == {NON_FIELD_ERRORS: [GATE_MESSAGE]}


@pytest.mark.parametrize(
    "gate",
    [NO_GATE, FULL_GATE, {**FULL_GATE, "gate_min_observers": 3}],
    ids=["no gate", "a complete gate", "as many observers as observations"],
)
def test_no_gate_or_a_complete_gate_is_stored(pathway, gate):
    step = StepFactory.build(pathway=pathway, **gate)

    step.full_clean()
    step.save()


# Cohorts


def test_two_cohorts_with_one_name_in_a_program_are_refused_by_the_database(program):
    CohortFactory(program=program, name="Spring")

    with pytest.raises(IntegrityError), transaction.atomic():
        Cohort.objects.create(program=program, name="Spring", starts_on=JAN_1)


def test_two_cohorts_with_one_name_in_a_program_are_reported_to_the_user(program):
    CohortFactory(program=program, name="Spring")

    assert full_clean_errors(Cohort(program=program, name="Spring", starts_on=JAN_1)) == {
        NON_FIELD_ERRORS: ["This program already has a cohort with that name."]
    }


def test_cohorts_with_one_name_in_two_programs_are_stored(program):
    CohortFactory(program=program, name="Spring")
    other = Cohort(program=ProgramFactory(), name="Spring", starts_on=JAN_1)

    other.full_clean()
    other.save()


def test_a_cohort_ending_before_it_starts_is_refused_by_the_database(program):
    with pytest.raises(IntegrityError), transaction.atomic():
        CohortFactory(program=program, starts_on=JAN_1, ends_on=DEC_31_BEFORE)


def test_a_cohort_ending_before_it_starts_is_reported_to_the_user(program):
    cohort = CohortFactory.build(program=program, starts_on=JAN_1, ends_on=DEC_31_BEFORE)

    assert full_clean_errors(cohort) == {
        NON_FIELD_ERRORS: ["A cohort cannot end before it starts."]
    }


@pytest.mark.parametrize("ends_on", [None, JAN_1, dt.date(2026, 3, 31)])
def test_an_open_ended_or_dated_cohort_is_stored(program, ends_on):
    cohort = CohortFactory.build(program=program, starts_on=JAN_1, ends_on=ends_on)

    cohort.full_clean()
    cohort.save()


# Enrolments


@pytest.fixture
def enrolment():
    return EnrolmentFactory()


def enrolment_like(enrolment, **changes):
    """An unsaved enrolment on the same program, pathway and people as `enrolment`."""
    fields = {
        "learner": enrolment.learner,
        "program": enrolment.program,
        "pathway": enrolment.pathway,
        "supervisor": enrolment.supervisor,
        **changes,
    }
    return EnrolmentFactory.build(**fields)


def test_a_second_current_enrolment_on_a_program_is_refused_by_the_database(enrolment):
    with pytest.raises(IntegrityError), transaction.atomic():
        enrolment_like(enrolment).save()


def test_a_second_current_enrolment_on_a_program_is_reported_to_the_user(enrolment):
    assert full_clean_errors(enrolment_like(enrolment, status="paused")) == {
        NON_FIELD_ERRORS: ["This person is already enrolled in this program."]
    }


def test_re_enrolling_after_withdrawing_is_stored(enrolment):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.WITHDRAWN)
    again = enrolment_like(enrolment)

    again.full_clean()
    again.save()


def test_two_withdrawn_enrolments_next_to_a_current_one_are_stored(enrolment):
    for _ in range(2):
        withdrawn = enrolment_like(enrolment, status=Enrolment.Status.WITHDRAWN)
        withdrawn.full_clean()
        withdrawn.save()

    assert Enrolment.objects.filter(learner=enrolment.learner).count() == 3


def test_reactivating_a_withdrawn_enrolment_next_to_a_current_one_is_refused_by_the_database(
    enrolment,
):
    withdrawn = enrolment_like(enrolment, status=Enrolment.Status.WITHDRAWN)
    withdrawn.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=withdrawn.pk).update(status=Enrolment.Status.ACTIVE)


def test_the_same_learner_on_two_programs_is_stored(enrolment):
    other_pathway = PathwayFactory()
    other = enrolment_like(enrolment, program=other_pathway.program, pathway=other_pathway)

    other.full_clean()
    other.save()


@pytest.mark.parametrize("role", ["supervisor", "coach"])
def test_a_learner_supervising_or_coaching_themselves_is_refused_by_the_database(enrolment, role):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(**{role: enrolment.learner})


@pytest.mark.parametrize(
    ("role", "message"),
    [
        ("supervisor", "A learner cannot supervise their own enrolment."),
        ("coach", "A learner cannot coach themselves."),
    ],
)
def test_a_learner_supervising_or_coaching_themselves_is_reported_beside_the_field(
    enrolment, role, message
):
    setattr(enrolment, role, enrolment.learner)

    assert full_clean_errors(enrolment) == {role: [message]}


def test_an_enrolment_with_a_supervisor_and_a_coach_is_stored(enrolment):
    enrolment.coach = UserFactory()

    enrolment.full_clean()
    enrolment.save()


@pytest.mark.parametrize("field", ["completed_on", "competent_on"])
def test_a_date_before_enrolment_is_refused_by_the_database(enrolment, field):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(**{field: dt.date(2026, 1, 4)})


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("completed_on", "Completion cannot come before enrolment."),
        ("competent_on", "Competency cannot be reached before enrolment."),
    ],
)
def test_a_date_before_enrolment_is_reported_to_the_user(enrolment, field, message):
    setattr(enrolment, field, dt.date(2026, 1, 4))

    assert full_clean_errors(enrolment) == {NON_FIELD_ERRORS: [message]}


def test_competence_and_completion_on_or_after_enrolment_are_stored(enrolment):
    enrolment.competent_on = JAN_5
    enrolment.completed_on = dt.date(2026, 4, 1)
    enrolment.status = Enrolment.Status.COMPLETED

    enrolment.full_clean()
    enrolment.save()


def test_a_completed_enrolment_without_its_date_is_refused_by_the_database(enrolment):
    with pytest.raises(IntegrityError), transaction.atomic():
        Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.COMPLETED)


def test_a_completed_enrolment_without_its_date_is_reported_to_the_user(enrolment):
    enrolment.status = Enrolment.Status.COMPLETED

    assert full_clean_errors(enrolment) == {
        NON_FIELD_ERRORS: ["A completed enrolment needs its completion date."]
    }


def test_a_pathway_of_another_program_is_rejected(enrolment):
    enrolment.pathway = PathwayFactory()

    assert full_clean_errors(enrolment) == {
        "pathway": ["The pathway must belong to the enrolment's program."]
    }


def test_a_cohort_of_another_program_is_rejected(enrolment):
    enrolment.cohort = CohortFactory()

    assert full_clean_errors(enrolment) == {
        "cohort": ["The cohort must belong to the enrolment's program."]
    }


def test_a_cohort_and_pathway_of_the_enrolments_program_are_accepted(enrolment):
    enrolment.cohort = CohortFactory(program=enrolment.program)

    enrolment.full_clean()


# Step progress


@pytest.fixture
def progress():
    return StepProgressFactory()


def test_progress_on_one_step_twice_is_refused_by_the_database(progress):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepProgress.objects.create(enrolment=progress.enrolment, step=progress.step)


def test_progress_on_one_step_twice_is_reported_to_the_user(progress):
    again = StepProgress(enrolment=progress.enrolment, step=progress.step)

    assert full_clean_errors(again) == {
        NON_FIELD_ERRORS: ["Progress on this step is already recorded."]
    }


def test_progress_on_the_next_step_is_stored(progress):
    next_step = StepFactory(pathway=progress.enrolment.pathway)
    progress_on_next = StepProgress(enrolment=progress.enrolment, step=next_step)

    progress_on_next.full_clean()
    progress_on_next.save()


@pytest.mark.parametrize(
    ("status", "completed_at"),
    [("completed", None), ("in_progress", timezone.now()), ("skipped", timezone.now())],
    ids=["completed without a time", "in progress with a time", "skipped with a time"],
)
def test_completion_time_and_status_that_disagree_are_refused_by_the_database(
    progress, status, completed_at
):
    with pytest.raises(IntegrityError), transaction.atomic():
        StepProgress.objects.filter(pk=progress.pk).update(status=status, completed_at=completed_at)


@pytest.mark.parametrize(
    ("status", "completed_at"),
    [("completed", None), ("in_progress", timezone.now())],
    ids=["completed without a time", "in progress with a time"],
)
def test_completion_time_and_status_that_disagree_are_reported_to_the_user(
    progress, status, completed_at
):
    progress.status = status
    progress.completed_at = completed_at

    assert full_clean_errors(progress) == {
        NON_FIELD_ERRORS: ["A completed step has a completion time, and only then."]
    }


def test_a_step_completed_before_it_started_is_refused_by_the_database(progress):
    now = timezone.now()

    with pytest.raises(IntegrityError), transaction.atomic():
        StepProgress.objects.filter(pk=progress.pk).update(
            status="completed", started_at=now, completed_at=now - dt.timedelta(minutes=1)
        )


def test_a_step_completed_before_it_started_is_reported_to_the_user(progress):
    now = timezone.now()
    progress.status = StepProgress.Status.COMPLETED
    progress.started_at = now
    progress.completed_at = now - dt.timedelta(minutes=1)

    assert full_clean_errors(progress) == {
        NON_FIELD_ERRORS: ["A step cannot be completed before it was started."]
    }


def test_a_step_completed_after_it_started_is_stored(progress):
    now = timezone.now()
    progress.status = StepProgress.Status.COMPLETED
    progress.started_at = now - dt.timedelta(days=2)
    progress.completed_at = now

    progress.full_clean()
    progress.save()


@pytest.fixture
def next_pathway_version(enrolment):
    """A draft v2 of the enrolment's program, which the enrolment (on v1) is not on."""
    return draft(enrolment.program, 2)


def test_progress_on_a_step_of_another_pathway_version_is_rejected(enrolment, next_pathway_version):
    progress = StepProgress(enrolment=enrolment, step=StepFactory(pathway=next_pathway_version))

    assert full_clean_errors(progress) == {
        "step": ["The step must be on the enrolment's pathway version."]
    }


# Assignments


@pytest.mark.parametrize("status", ["submitted", "completed"])
def test_submitted_work_without_a_submission_time_is_refused_by_the_database(enrolment, status):
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(enrolment=enrolment, status=status, submitted_at=None)


@pytest.mark.parametrize("status", ["submitted", "completed"])
def test_submitted_work_without_a_submission_time_is_reported_to_the_user(enrolment, status):
    assignment = AssignmentFactory.build(enrolment=enrolment, status=status, submitted_at=None)

    assert full_clean_errors(assignment) == {
        NON_FIELD_ERRORS: ["Submitted work records when it was submitted."]
    }


@pytest.mark.parametrize(
    ("status", "submitted_at"),
    [("assigned", None), ("in_progress", None), ("submitted", timezone.now())],
)
def test_work_not_yet_submitted_or_submitted_with_a_time_is_stored(enrolment, status, submitted_at):
    assignment = AssignmentFactory.build(
        enrolment=enrolment, status=status, submitted_at=submitted_at
    )

    assignment.full_clean()
    assignment.save()


def test_an_assignment_on_a_step_of_another_pathway_version_is_rejected(
    enrolment, next_pathway_version
):
    assignment = AssignmentFactory.build(
        enrolment=enrolment, step=StepFactory(pathway=next_pathway_version)
    )

    assert full_clean_errors(assignment) == {
        "step": ["The step must be on the enrolment's pathway version."]
    }


def test_an_assignment_on_a_step_of_the_enrolments_pathway_is_accepted(enrolment):
    assignment = AssignmentFactory.build(
        enrolment=enrolment, step=StepFactory(pathway=enrolment.pathway)
    )

    assignment.full_clean()


# Success criteria


@pytest.fixture
def assignment(enrolment):
    return AssignmentFactory(enrolment=enrolment)


@pytest.fixture
def objective(enrolment):
    return PerformanceObjectiveFactory(program=enrolment.program)


def criterion(assignment, objective, position=1):
    return SuccessCriterion(
        assignment=assignment,
        position=position,
        description="Agreed actions are sent to every stakeholder within a day.",
        performance_objective=objective,
    )


def test_two_criteria_at_one_position_are_refused_by_the_database(assignment, objective):
    criterion(assignment, objective).save()

    with pytest.raises(IntegrityError), transaction.atomic():
        criterion(assignment, objective).save()


def test_two_criteria_at_one_position_are_reported_to_the_user(assignment, objective):
    criterion(assignment, objective).save()

    assert full_clean_errors(criterion(assignment, objective)) == {
        NON_FIELD_ERRORS: ["Another criterion already holds this position."]
    }


def test_a_criterion_at_the_next_position_for_the_programs_objective_is_stored(
    assignment, objective
):
    criterion(assignment, objective).save()
    second = criterion(assignment, objective, position=2)

    second.full_clean()
    second.save()


def test_a_criterion_for_another_programs_objective_is_rejected(assignment):
    elsewhere = criterion(assignment, PerformanceObjectiveFactory())

    assert full_clean_errors(elsewhere) == {
        "performance_objective": ["Choose a performance objective of this program."]
    }


def test_a_performance_objective_named_by_a_success_criterion_cannot_be_deleted(
    assignment, objective
):
    saved = criterion(assignment, objective)
    saved.save()

    with pytest.raises(ProtectedError) as excinfo:
        objective.delete()

    assert saved in excinfo.value.protected_objects
