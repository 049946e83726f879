"""Progression: steps open, complete and are skipped on evidence and rules; enrolments
complete; competency is reached; every change is an event with its cause."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from coaching.services import (
    coaching_session_record,
    debrief_record,
    observation_log,
    reflection_write,
)
from measurement.models import Assessment
from measurement.services import assessment_record
from programs.models import Assignment, Enrolment, ProgressEvent, Step, StepProgress
from programs.progression import (
    competency_rule_in_words,
    competency_standings,
    progress_evaluate,
    progress_sweep,
)
from programs.services import (
    assignment_create,
    assignment_submit_evidence,
    enrolment_create,
    program_update,
    step_sign_off,
    step_skip,
)
from programs.tasks import evaluate_program
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S, E = Step.Completion, StepProgress.Status, ProgressEvent.Type
ENROLLED = timezone.localdate() - timedelta(days=20)


def _program(*rules, **program_fields):
    """A published pathway of one step per rule: a rule, or (rule, step fields)."""
    program_fields.setdefault("competency_needs_objectives", False)
    program = f.ProgramFactory(**program_fields)
    pathway = f.PathwayFactory(program=program)
    for position, rule in enumerate(rules, start=1):
        rule, fields = rule if isinstance(rule, tuple) else (rule, {})
        f.StepFactory(pathway=pathway, position=position, completed_by=rule, **fields)
    return program


def _enrol(program, **people):
    learner = people.pop("learner", None) or f.UserFactory()
    return enrolment_create(
        learner=learner,
        program=program,
        enrolled_on=ENROLLED,
        supervisor=people.pop("supervisor", None) or f.UserFactory(),
        **people,
    )


def _rows(enrolment):
    return list(enrolment.progress.select_related("step").order_by("step__position"))


def _statuses(enrolment):
    return [row.status for row in _rows(enrolment)]


def _events(enrolment, *types):
    events = ProgressEvent.objects.filter(enrolment=enrolment)  # in the order they happened
    return [(e.type, e.step.position if e.step else None) for e in events if e.type in types]


def test_enrolling_opens_the_first_step_only_with_its_due_date(django_capture_on_commit_callbacks):
    program = _program((C.LEARNER, {"due_days": 7}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first, second = _rows(enrolment)
    assert (first.status, second.status) == (S.IN_PROGRESS, S.NOT_STARTED)
    assert first.started_at == dt.datetime.combine(ENROLLED, dt.time.min, tzinfo=dt.UTC)
    assert first.due_on == ENROLLED + timedelta(days=7)
    assert _events(enrolment, E.STEP_UNLOCKED) == [(E.STEP_UNLOCKED, 1)]


def test_a_learners_sign_off_completes_their_step_and_opens_the_next(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, (C.LEARNER, {"due_days": 5}))
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first = _rows(enrolment)[0]
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=first, by=enrolment.learner, note="Read the guide and tried it.")
    first, second = _rows(enrolment)
    assert (first.status, second.status) == (S.COMPLETED, S.IN_PROGRESS)
    assert second.started_at == first.completed_at
    assert second.due_on == first.completed_at.date() + timedelta(days=5)
    completed = ProgressEvent.objects.get(enrolment=enrolment, type=E.STEP_COMPLETED)
    assert (completed.cause, completed.actor) == (ProgressEvent.Cause.SIGN_OFF, enrolment.learner)
    assert completed.detail == {"note": "Read the guide and tried it."}


def test_a_step_run_alongside_opens_with_the_step_before_it(django_capture_on_commit_callbacks):
    program = _program(C.LEARNER, (C.LEARNER, {"with_previous": True}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    assert _statuses(enrolment) == [S.IN_PROGRESS, S.IN_PROGRESS, S.NOT_STARTED]


def test_the_last_step_done_completes_the_enrolment(django_capture_on_commit_callbacks):
    program = _program(C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_rows(enrolment)[0], by=enrolment.learner, note="Done.")
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.COMPLETED
    assert enrolment.completed_on == timezone.localdate()
    # with no other requirement, finishing the pathway is competency
    assert enrolment.competent_on == timezone.localdate()
    assert _events(enrolment, E.ENROLMENT_COMPLETED, E.COMPETENCY_REACHED) == [
        (E.ENROLMENT_COMPLETED, None),
        (E.COMPETENCY_REACHED, None),
    ]


def test_observations_meeting_the_evidence_rule_complete_the_step(
    django_capture_on_commit_callbacks,
):
    gate = {
        "gate_min_observations": 2,
        "gate_min_rating": 3,
        "gate_min_observers": 2,
        "gate_within_days": 30,
    }
    program = _program((C.EVIDENCE, gate), C.LEARNER)
    objective = f.PerformanceObjectiveFactory(program=program)
    step = program.pathways.get().steps.get(position=1)
    step.performance_objectives.add(objective)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    observers = [enrolment.supervisor, f.UserFactory()]
    for days, observer in ((3, observers[0]), (1, observers[1])):
        with django_capture_on_commit_callbacks(execute=True):
            observation = observation_log(
                observer=observer,
                enrolment=enrolment,
                performance_objective=objective,
                rating=3,
                behaviour="Named the missed hand-off.",
                observed_at=timezone.now() - timedelta(days=days),
            )
        if days == 3:
            assert _statuses(enrolment)[0] == S.IN_PROGRESS  # one observer is not enough
    first = _rows(enrolment)[0]
    assert first.status == S.COMPLETED
    assert first.completed_at == observation.observed_at  # when the rule was met
    event = ProgressEvent.objects.get(enrolment=enrolment, type=E.STEP_COMPLETED)
    assert event.detail == {"observations": 2, "observers": 2}


def test_a_reflection_on_the_step_completes_a_reflection_step(django_capture_on_commit_callbacks):
    program = _program(C.REFLECTION)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
        reflection_write(enrolment=enrolment, step=_rows(enrolment)[0].step, body="I waited.")
    assert _statuses(enrolment) == [S.COMPLETED]


def test_a_reflection_written_before_its_step_opened_does_not_complete_it(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, C.REFLECTION)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first, second = _rows(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        reflection_write(enrolment=enrolment, step=second.step, body="Thinking ahead.")
        step_sign_off(progress=first, by=enrolment.learner, note="Read the guide.")
    assert _statuses(enrolment) == [S.COMPLETED, S.IN_PROGRESS]  # written while still locked

    with django_capture_on_commit_callbacks(execute=True):
        reflection = reflection_write(enrolment=enrolment, step=second.step, body="I waited.")
    assert _statuses(enrolment) == [S.COMPLETED, S.COMPLETED]
    assert _rows(enrolment)[1].completed_at == reflection.written_at


def test_a_coaching_session_held_while_the_step_is_open_completes_it(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, C.COACHING)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    session = {
        "enrolment": enrolment,
        "coach": enrolment.supervisor,
        "focus": "Feedback",
        "commitments": [
            {
                "description": "Same-day feedback",
                "measure": "hours",
                "target_value": 24,
                "target_unit": "hours",
                "due_on": ENROLLED + timedelta(days=30),
            }
        ],
    }
    with django_capture_on_commit_callbacks(execute=True):
        coaching_session_record(held_at=timezone.now() - timedelta(days=2), **session)
    assert _statuses(enrolment) == [S.IN_PROGRESS, S.NOT_STARTED]  # not open yet: no credit
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=_rows(enrolment)[0], by=enrolment.learner, note="Done.")
        coaching_session_record(held_at=timezone.now(), **session)
    assert _statuses(enrolment) == [S.COMPLETED, S.COMPLETED]


def test_an_assessment_at_the_steps_level_completes_it(django_capture_on_commit_callbacks):
    program = _program((C.ASSESSMENT, {"assessment_min_rank": 3}))
    competency = f.CompetencyFactory()
    program.pathways.get().steps.get().learning_objectives.add(
        f.LearningObjectiveFactory(program=program, competency=competency)
    )
    levels = {level.rank: level for level in competency.scale.levels.all()}
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    for rank in (2, 3):
        with django_capture_on_commit_callbacks(execute=True):
            assessment_record(
                enrolment=enrolment,
                competency=competency,
                kind=Assessment.Kind.CHECKPOINT,
                assessed_level=levels[rank],
                assessor=enrolment.supervisor,
                assessed_on=timezone.localdate(),
            )
        assert _statuses(enrolment) == [S.COMPLETED if rank == 3 else S.IN_PROGRESS]


def test_a_skippable_step_is_skipped_with_a_reason_and_the_next_opens(
    django_capture_on_commit_callbacks,
):
    program = _program((C.SUPERVISOR, {"skippable": True}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    with django_capture_on_commit_callbacks(execute=True):
        step_skip(
            progress=_rows(enrolment)[0],
            by=enrolment.supervisor,
            reason="She already runs these reviews every week.",
        )
    assert _statuses(enrolment) == [S.SKIPPED, S.IN_PROGRESS]
    skipped = ProgressEvent.objects.get(enrolment=enrolment, type=E.STEP_SKIPPED)
    assert skipped.actor == enrolment.supervisor
    assert skipped.detail == {"reason": "She already runs these reviews every week."}


@pytest.mark.parametrize(
    ("rule", "who", "message"),
    [
        (C.LEARNER, "supervisor", "Only the learner marks this step done."),
        (C.SUPERVISOR, "learner", "The supervisor signs this step off, not the learner."),
        (C.REFLECTION, "learner", "completed by its own evidence"),
    ],
)
def test_a_sign_off_the_rule_does_not_allow_is_refused_and_changes_nothing(
    django_capture_on_commit_callbacks, rule, who, message
):
    program = _program(rule)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    with pytest.raises(ValidationError, match=message):
        step_sign_off(progress=_rows(enrolment)[0], by=getattr(enrolment, who), note="Done.")
    assert _statuses(enrolment) == [S.IN_PROGRESS]


def test_skipping_needs_a_reason_a_skippable_step_and_someone_other_than_the_learner(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, (C.LEARNER, {"skippable": True}))
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first, second = _rows(enrolment)
    with pytest.raises(ValidationError, match="may not be skipped"):
        step_skip(progress=first, by=enrolment.supervisor, reason="Not needed.")
    with pytest.raises(ValidationError, match="not open yet"):
        step_skip(progress=second, by=enrolment.supervisor, reason="Not needed.")
    with pytest.raises(ValidationError) as blank:
        step_sign_off(progress=first, by=enrolment.learner, note="  ")
    assert blank.value.message_dict == {"note": ["Say what was done."]}
    assert _statuses(enrolment) == [S.IN_PROGRESS, S.NOT_STARTED]
    assert not first.sign_offs.exists()


def test_a_skip_without_a_reason_is_asked_for_its_reason(django_capture_on_commit_callbacks):
    program = _program((C.SUPERVISOR, {"skippable": True}))
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    (first,) = _rows(enrolment)

    with pytest.raises(ValidationError) as blank:
        step_skip(progress=first, by=enrolment.supervisor, reason="  ")

    assert blank.value.message_dict == {"reason": ["Say why it is skipped."]}
    assert _statuses(enrolment) == [S.IN_PROGRESS]
    assert not first.sign_offs.exists()
    with django_capture_on_commit_callbacks(execute=True):
        step_skip(progress=first, by=enrolment.supervisor, reason="Already runs these reviews.")
    assert _statuses(enrolment) == [S.SKIPPED]


def test_lowering_the_competency_rule_has_a_worker_evaluate_the_programs_learners(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, competency_min_rank=4)
    competency = f.CompetencyFactory()
    f.LearningObjectiveFactory(program=program, competency=competency)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment, other = _enrol(program), _enrol(program)
        assessment_record(
            enrolment=enrolment,
            competency=competency,
            kind=Assessment.Kind.CHECKPOINT,
            assessed_level=competency.scale.levels.get(rank=3),
            assessor=enrolment.supervisor,
            assessed_on=timezone.localdate() - timedelta(days=2),
        )
    enrolment.refresh_from_db()
    assert enrolment.competent_on is None  # level 3 of the 4 needed

    with django_capture_on_commit_callbacks() as unchanged:
        program_update(program=program, name="Renamed", competency_min_rank=4)
    assert unchanged == []  # the rule is the same: nobody to evaluate again

    with django_capture_on_commit_callbacks() as callbacks:
        program_update(program=program, competency_min_rank=3)
    assert len(callbacks) == 1  # the worker is asked once the change commits
    evaluate_program.apply(args=[program.pk])  # what the worker runs
    enrolment.refresh_from_db()
    other.refresh_from_db()
    assert enrolment.competent_on == timezone.localdate() - timedelta(days=2)
    assert other.competent_on is None  # never assessed
    assert ProgressEvent.objects.filter(type=E.COMPETENCY_REACHED).count() == 1


def test_competency_needs_every_objective_seen_at_meets_and_the_assessed_level(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, competency_min_rank=3)
    program.competency_needs_objectives = True
    program.save()
    objectives = f.PerformanceObjectiveFactory.create_batch(2, program=program)
    competency = f.CompetencyFactory()
    f.LearningObjectiveFactory(program=program, competency=competency)
    level = competency.scale.levels.get(rank=3)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    seen = []
    for objective in objectives:
        seen.append(
            observation_log(
                observer=enrolment.supervisor,
                enrolment=enrolment,
                performance_objective=objective,
                rating=3,
                behaviour="Did it.",
                observed_at=timezone.now() - timedelta(days=4),
            )
        )
        progress_evaluate(enrolment_ids=[enrolment.pk])
        enrolment.refresh_from_db()
        assert enrolment.competent_on is None  # the assessment is still missing
    assessment_record(
        enrolment=enrolment,
        competency=competency,
        kind=Assessment.Kind.CHECKPOINT,
        assessed_level=level,
        assessor=enrolment.supervisor,
        assessed_on=timezone.localdate() - timedelta(days=1),
    )
    progress_evaluate(enrolment_ids=[enrolment.pk])
    enrolment.refresh_from_db()
    assert enrolment.competent_on == timezone.localdate() - timedelta(days=1)
    assert enrolment.status == Enrolment.Status.ACTIVE  # competent before the pathway is done
    assert "level 3 or above" in competency_rule_in_words(program)


def test_evaluating_again_changes_nothing_and_a_paused_learner_stands_still(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
        paused = _enrol(program)
    events = ProgressEvent.objects.count()
    assert progress_evaluate(enrolment_ids=[enrolment.pk, paused.pk]) == []
    assert ProgressEvent.objects.count() == events
    row = _rows(paused)[0]
    step_sign_off(progress=row, by=paused.learner, note="Done.")  # its evaluation never ran
    Enrolment.objects.filter(pk=paused.pk).update(status=Enrolment.Status.PAUSED)
    progress_evaluate(enrolment_ids=[paused.pk])
    assert _statuses(paused) == [S.IN_PROGRESS, S.NOT_STARTED]


def test_the_sweep_moves_learners_whose_trigger_was_missed():
    program = _program(C.LEARNER, C.LEARNER)
    enrolment = _enrol(program)  # its evaluation after commit never ran
    assert _statuses(enrolment) == [S.NOT_STARTED, S.NOT_STARTED]
    assert progress_sweep() >= 1
    assert _statuses(enrolment) == [S.IN_PROGRESS, S.NOT_STARTED]
    assert progress_sweep() >= 1
    assert len(_events(enrolment, E.STEP_UNLOCKED)) == 1


@pytest.mark.parametrize("size", [2, 20])
def test_evaluating_any_number_of_enrolments_runs_the_same_queries(django_assert_num_queries, size):
    program = _program(C.LEARNER, C.REFLECTION, C.COACHING, C.ASSESSMENT)
    enrolments = [_enrol(program) for _ in range(size)]
    for enrolment in enrolments:
        step_sign_off_after_open = _rows(enrolment)[0]
        StepProgress.objects.filter(pk=step_sign_off_after_open.pk).update(
            status=S.IN_PROGRESS, started_at=timezone.now() - timedelta(days=3)
        )
        step_sign_off(progress=step_sign_off_after_open, by=enrolment.learner, note="Done.")
    # a savepoint and its release; lock, load enrolments, rows, their objectives (2),
    # sign-offs; one question per kind of evidence asked (the reflection step opened); the
    # competency rule (3) and its questions (observations and debriefed criteria, levels);
    # the progress rows and events written; the notices of the steps opened: their
    # enrolments, their progress rows, and the insert
    with django_assert_num_queries(20):
        progress_evaluate(enrolment_ids=[e.pk for e in enrolments])


def test_a_step_after_steps_run_alongside_opens_once_all_of_them_are_done(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, (C.LEARNER, {"with_previous": True}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first, second, _third = _rows(enrolment)
    earlier = timezone.now() - timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=second, by=enrolment.learner, note="Case analysed.", at=earlier)
    # the step run alongside is done, the first is not: the third waits for both
    assert _statuses(enrolment) == [S.IN_PROGRESS, S.COMPLETED, S.NOT_STARTED]
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=first, by=enrolment.learner, note="Read it.")
    first, second, third = _rows(enrolment)
    assert third.status == S.IN_PROGRESS
    assert third.started_at == first.completed_at  # when the last of the two was done


def test_a_learners_self_assessment_does_not_complete_an_assessment_step(
    django_capture_on_commit_callbacks,
):
    program = _program((C.ASSESSMENT, {"assessment_min_rank": 3}))
    competency = f.CompetencyFactory()
    program.pathways.get().steps.get().learning_objectives.add(
        f.LearningObjectiveFactory(program=program, competency=competency)
    )
    level = competency.scale.levels.get(rank=4)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(
            enrolment=enrolment,
            competency=competency,
            kind=Assessment.Kind.SELF,
            assessed_level=level,
            assessor=enrolment.learner,
            assessed_on=timezone.localdate(),
        )
    assert _statuses(enrolment) == [S.IN_PROGRESS]
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(
            enrolment=enrolment,
            competency=competency,
            kind=Assessment.Kind.CHECKPOINT,
            assessed_level=level,
            assessor=enrolment.supervisor,
            assessed_on=timezone.localdate(),
        )
    assert _statuses(enrolment) == [S.COMPLETED]


def test_a_skip_dated_before_the_step_opened_takes_effect_as_it_opens(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, (C.SUPERVISOR, {"skippable": True}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first, second, _ = _rows(enrolment)
    with django_capture_on_commit_callbacks(execute=True):
        step_sign_off(progress=first, by=enrolment.learner, note="Done.")
    second.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        step_skip(
            progress=second,
            by=enrolment.supervisor,
            reason="Already does it.",
            at=second.started_at - timedelta(days=5),
        )
    skipped = ProgressEvent.objects.get(enrolment=enrolment, type=E.STEP_SKIPPED)
    third = ProgressEvent.objects.get(enrolment=enrolment, type=E.STEP_UNLOCKED, step__position=3)
    assert skipped.occurred_at == second.started_at
    assert third.occurred_at == second.started_at


def _assignment_debriefed(enrolment, objective, *, met):
    assignment = assignment_create(
        enrolment=enrolment,
        title="Lead the escalation review",
        brief="Run it.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=timezone.localdate() + timedelta(days=10),
        criteria=[{"description": "Options in writing", "performance_objective": objective}],
        by=enrolment.supervisor,
    )
    assignment_submit_evidence(assignment=assignment, evidence="Ran it.")
    criterion = assignment.success_criteria.get()
    return debrief_record(
        enrolment=enrolment,
        assignment=assignment,
        facilitator=enrolment.supervisor,
        held_at=timezone.now(),
        what_happened="Led the review.",
        what_went_well="Fast decision.",
        what_to_change="Involve finance.",
        lessons="Name the customer impact.",
        criteria_verdicts={criterion.pk: met},
    )


def test_an_objective_met_in_a_completing_debrief_counts_as_met_on_the_job(
    django_capture_on_commit_callbacks,
):
    program = _program(C.LEARNER, competency_needs_objectives=True)
    observed, judged = f.PerformanceObjectiveFactory.create_batch(2, program=program)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
        observation_log(
            observer=enrolment.supervisor,
            enrolment=enrolment,
            performance_objective=observed,
            rating=3,
            behaviour="Gave the feedback the same day.",
        )
    # A criterion not met sends the work back: the objective is not met on the job yet.
    with django_capture_on_commit_callbacks(execute=True):
        _assignment_debriefed(enrolment, judged, met=False)
    enrolment.refresh_from_db()
    assert enrolment.competent_on is None
    standing = competency_standings([enrolment])[enrolment.pk]
    assert standing.objectives_missing == (judged,)

    with django_capture_on_commit_callbacks(execute=True):
        debrief = _assignment_debriefed(enrolment, judged, met=True)
    enrolment.refresh_from_db()
    assert enrolment.competent_on == timezone.localdate()
    reached = ProgressEvent.objects.get(enrolment=enrolment, type=E.COMPETENCY_REACHED)
    assert reached.occurred_at == debrief.held_at  # the debrief that met the last objective
    assert competency_standings([enrolment])[enrolment.pk].reached_on == timezone.localdate()


def test_the_standing_says_which_objectives_and_levels_are_still_missing():
    program = _program(C.LEARNER, competency_needs_objectives=True, competency_min_rank=3)
    seen, unseen = f.PerformanceObjectiveFactory.create_batch(2, program=program)
    assessed, unassessed = f.CompetencyFactory.create_batch(2)
    for competency in (assessed, unassessed):
        f.LearningObjectiveFactory(program=program, competency=competency)
    enrolment = _enrol(program)
    f.ObservationFactory(enrolment=enrolment, performance_objective=seen, rating=4)
    f.ObservationFactory(enrolment=enrolment, performance_objective=unseen, rating=2)
    assessment_record(
        enrolment=enrolment,
        competency=assessed,
        kind=Assessment.Kind.CHECKPOINT,
        assessed_level=assessed.scale.levels.get(rank=2),
        assessor=enrolment.supervisor,
        assessed_on=timezone.localdate(),
    )
    standing = competency_standings([enrolment])[enrolment.pk]
    assert standing.reached_on is None
    assert standing.objectives_missing == (unseen,)  # rated below Meets does not count
    assert standing.levels_missing == ((assessed, 2), (unassessed, None))
    assert standing.min_rank == 3
    assert not standing.pathway_pending  # the rule does not ask for the pathway


def test_with_no_other_requirement_the_standing_waits_for_the_pathway():
    enrolment = _enrol(_program(C.LEARNER))
    standing = competency_standings([enrolment])[enrolment.pk]
    assert standing.pathway_pending
    assert standing.objectives_missing == standing.levels_missing == ()


@pytest.mark.parametrize("learners", [1, 12])
def test_standings_ask_the_same_queries_for_any_number_of_learners(
    django_assert_num_queries, learners
):
    program = _program(C.LEARNER, competency_needs_objectives=True, competency_min_rank=2)
    f.PerformanceObjectiveFactory.create_batch(2, program=program)
    f.LearningObjectiveFactory(program=program)
    enrolments = [_enrol(program) for _ in range(learners)]
    # the rules (objectives, competencies, programs); the questions (observations, debriefed
    # criteria, levels); the objectives and competencies named
    with django_assert_num_queries(8):
        standings = competency_standings(enrolments)
    assert all(len(s.objectives_missing) == 2 for s in standings.values())


def test_a_step_whose_rule_was_met_before_it_was_skipped_is_completed_by_a_late_evaluation(
    django_capture_on_commit_callbacks,
):
    program = _program((C.REFLECTION, {"skippable": True}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first = _rows(enrolment)[0]
    written = timezone.now() - timedelta(days=2)
    # neither evaluation after commit runs: the sweep comes after both
    reflection_write(enrolment=enrolment, step=first.step, body="I waited.", at=written)
    step_skip(progress=first, by=enrolment.supervisor, reason="Already does it.")
    progress_sweep()
    first, second = _rows(enrolment)
    assert (first.status, first.completed_at) == (S.COMPLETED, written)
    assert second.started_at == written
    assert _events(enrolment, E.STEP_COMPLETED, E.STEP_SKIPPED) == [(E.STEP_COMPLETED, 1)]


def test_a_skip_before_the_rule_was_met_skips_the_step_whatever_came_after(
    django_capture_on_commit_callbacks,
):
    program = _program((C.REFLECTION, {"skippable": True}), C.LEARNER)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    first = _rows(enrolment)[0]
    skipped = timezone.now() - timedelta(days=2)
    step_skip(progress=first, by=enrolment.supervisor, reason="Already does it.", at=skipped)
    reflection_write(enrolment=enrolment, step=first.step, body="I waited.")
    progress_sweep()
    assert _statuses(enrolment) == [S.SKIPPED, S.IN_PROGRESS]
    assert _events(enrolment, E.STEP_COMPLETED, E.STEP_SKIPPED) == [(E.STEP_SKIPPED, 1)]


def test_competency_reached_stays_reached_when_a_late_evaluation_finds_a_lower_assessment():
    program = _program(C.LEARNER, competency_min_rank=3)
    competency = f.CompetencyFactory()
    f.LearningObjectiveFactory(program=program, competency=competency)
    levels = {level.rank: level for level in competency.scale.levels.all()}
    enrolment = _enrol(program)
    reached = timezone.localdate() - timedelta(days=5)
    # at the level, then below it: no evaluation ran in between, the sweep comes after both
    for rank, day in ((3, reached), (2, timezone.localdate() - timedelta(days=1))):
        assessment_record(
            enrolment=enrolment,
            competency=competency,
            kind=Assessment.Kind.CHECKPOINT,
            assessed_level=levels[rank],
            assessor=enrolment.supervisor,
            assessed_on=day,
        )
    progress_sweep()
    enrolment.refresh_from_db()
    assert enrolment.competent_on == reached
    assert len(_events(enrolment, E.COMPETENCY_REACHED)) == 1


def test_before_it_has_learning_objectives_a_program_asks_its_frameworks_competencies(
    django_capture_on_commit_callbacks,
):
    competency = f.CompetencyFactory()
    program = _program(C.LEARNER, competency_min_rank=2, framework=competency.framework)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = _enrol(program)
    standing = competency_standings([enrolment])[enrolment.pk]
    assert standing.levels_missing == ((competency, None),)
    with django_capture_on_commit_callbacks(execute=True):
        assessment_record(
            enrolment=enrolment,
            competency=competency,
            kind=Assessment.Kind.CHECKPOINT,
            assessed_level=competency.scale.levels.get(rank=2),
            assessor=enrolment.supervisor,
            assessed_on=timezone.localdate(),
        )
    enrolment.refresh_from_db()
    assert enrolment.competent_on == timezone.localdate()
