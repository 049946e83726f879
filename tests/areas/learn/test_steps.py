"""A step of the learner's pathway on its own page: what it asks, what completes it, the
evidence so far, and the learner's actions on it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from coaching.models import Reflection
from coaching.services import reflection_write
from programs.models import Enrolment, ProgressEvent, Step, StepProgress, StepSignOff
from programs.progression import progress_evaluate
from programs.services import enrolment_create
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S = Step.Completion, StepProgress.Status
GATE = {
    "gate_min_observations": 3,
    "gate_min_rating": 3,
    "gate_min_observers": 2,
    "gate_within_days": 60,
}


@pytest.fixture
def enrolled(django_capture_on_commit_callbacks):
    """A learner on a published pathway: a gated step (open) run alongside a reflection
    step, then a step they mark done and one their supervisor signs off."""
    program = f.ProgramFactory(competency_needs_objectives=False)
    pathway = f.PathwayFactory(program=program)
    why = f.LearningObjectiveFactory(program=program, statement="Why feedback lands on time")
    what = f.PerformanceObjectiveFactory(program=program, statement="Feedback within a day")
    steps = [
        f.StepFactory(
            pathway=pathway,
            position=1,
            title="Give feedback on the job",
            description="Six weeks of same-day feedback.",
            difficulty=4,
            due_days=42,
            **GATE,
            completed_by=C.EVIDENCE,
        ),
        f.StepFactory(
            pathway=pathway, position=2, title="Reflect", completed_by=C.REFLECTION,
            with_previous=True,
        ),
        f.StepFactory(pathway=pathway, position=3, title="Read", completed_by=C.LEARNER),
        f.StepFactory(pathway=pathway, position=4, title="Checkpoint", completed_by=C.SUPERVISOR),
    ]  # fmt: skip
    steps[0].learning_objectives.add(why)
    steps[0].performance_objectives.add(what)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            learner=f.UserFactory(),
            program=program,
            enrolled_on=timezone.localdate() - timedelta(days=10),
            supervisor=f.UserFactory(),
        )
    return enrolment, what


def _progress(enrolment, position):
    return enrolment.progress.get(step__position=position)


def _url(progress, action=""):
    name = {"": "learn:step", "reflect": "learn:step_reflect", "done": "learn:step_done"}
    return reverse(name[action], args=[progress.pk])


def test_a_step_shows_what_it_asks_and_what_completes_it_with_the_evidence_so_far(client, enrolled):
    enrolment, what = enrolled
    f.ObservationFactory(
        enrolment=enrolment, performance_objective=what, behaviour="Named the hand-off."
    )
    f.ObservationFactory(enrolment=enrolment, performance_objective=what, rating=2)
    gated = _progress(enrolment, 1)
    client.force_login(enrolment.learner)
    text = client.get(_url(gated)).text
    assert "Give feedback on the job" in text
    assert "Six weeks of same-day feedback." in text
    assert "Why feedback lands on time" in text
    assert "Feedback within a day" in text
    assert "Difficulty 4/5" in text
    assert (gated.due_on).strftime("%-d %b %Y") in text
    # only the observation rated Meets counts: one, from one observer
    assert "3 observations rated Meets or better from 2 different observers within 60 days" in text
    assert "so far 1 from 1" in text
    assert "Named the hand-off." in text
    assert "Mark done" not in text
    assert "Save reflection" not in text


def test_the_learner_writes_the_reflection_a_step_asks_for_and_the_step_completes(
    client, enrolled, django_capture_on_commit_callbacks
):
    enrolment, _ = enrolled
    reflection_step = _progress(enrolment, 2)
    client.force_login(enrolment.learner)
    assert "Save reflection" in client.get(_url(reflection_step)).text
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            _url(reflection_step, "reflect"),
            {"body": "I waited a week; next time the same day.", "next_action": "Same day."},
        )
    assert response.status_code == 302
    reflection_step.refresh_from_db()
    assert reflection_step.status == S.COMPLETED
    assert ProgressEvent.objects.filter(
        enrolment=enrolment, step=reflection_step.step, type=ProgressEvent.Type.STEP_COMPLETED
    ).exists()
    assert "I waited a week" in client.get(_url(reflection_step)).text


def test_an_empty_reflection_is_refused_and_nothing_is_saved(client, enrolled):
    enrolment, _ = enrolled
    reflection_step = _progress(enrolment, 2)
    client.force_login(enrolment.learner)
    response = client.post(
        _url(reflection_step, "reflect"), {"body": " ", "next_action": "Keep this"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.text
    assert "Keep this" in response.text  # nothing typed is lost
    assert not Reflection.objects.exists()


def test_the_learner_marks_a_self_paced_step_done_with_a_note(
    client, enrolled, django_capture_on_commit_callbacks
):
    enrolment, what = enrolled
    # the two steps before it done as they would be: three observations from two
    # observers, and the reflection
    for observer in (enrolment.supervisor, enrolment.supervisor, f.UserFactory()):
        f.ObservationFactory(enrolment=enrolment, performance_objective=what, observer=observer)
    reflection_write(enrolment=enrolment, step=_progress(enrolment, 2).step, body="Noted.")
    progress_evaluate(enrolment_ids=[enrolment.pk])
    read = _progress(enrolment, 3)
    assert read.status == S.IN_PROGRESS
    client.force_login(enrolment.learner)
    blank = client.post(_url(read, "done"), {"note": "  "})
    assert blank.status_code == 400
    assert "Say what was done." in blank.text
    assert "why it is skipped" not in blank.text
    assert not StepSignOff.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(_url(read, "done"), {"note": "Read it and tried the model twice."})
    assert done.status_code == 302
    read.refresh_from_db()
    assert read.status == S.COMPLETED
    assert "Read it and tried the model twice." in client.get(_url(read)).text
    assert _progress(enrolment, 4).status == S.IN_PROGRESS


def test_a_learner_cannot_sign_off_a_step_their_supervisor_signs_off(client, enrolled):
    enrolment, _ = enrolled
    checkpoint = _progress(enrolment, 4)
    StepProgress.objects.filter(pk=checkpoint.pk).update(
        status=S.IN_PROGRESS, started_at=timezone.now()
    )
    client.force_login(enrolment.learner)
    response = client.post(_url(checkpoint, "done"), {"note": "I think I did it."})
    assert response.status_code == 403
    assert not StepSignOff.objects.exists()


def test_marking_a_step_not_yet_open_done_is_refused_with_the_reason(client, enrolled):
    enrolment, _ = enrolled
    read = _progress(enrolment, 3)  # the steps before it are not done
    client.force_login(enrolment.learner)
    response = client.post(_url(read, "done"), {"note": "Done early."})
    assert response.status_code == 400
    assert "This step is not open yet: the steps before it come first." in response.text
    assert not StepSignOff.objects.exists()


def test_a_reflection_on_a_step_of_another_enrolment_is_refused(client, enrolled):
    enrolment, _ = enrolled
    theirs, _ = _another_enrolment(f.UserFactory())
    client.force_login(enrolment.learner)
    # another learner's step is not theirs to see
    assert client.get(_url(_progress(theirs, 1))).status_code == 404
    assert client.post(_url(_progress(theirs, 1), "reflect"), {"body": "x"}).status_code == 404
    # and from the journal, a step of another of their own programs is refused
    mine_elsewhere, _ = _another_enrolment(enrolment.learner)
    response = client.post(
        reverse("learn:reflections"),
        {"enrolment": enrolment.pk, "step": _progress(mine_elsewhere, 1).step_id, "body": "x"},
    )
    assert "Choose a step of your own pathway." in response.text
    assert not Reflection.objects.exists()


def _another_enrolment(learner):
    program = f.ProgramFactory()
    step = f.StepFactory(
        pathway=f.PathwayFactory(program=program), position=1, completed_by=C.REFLECTION
    )
    enrolment = enrolment_create(
        learner=learner, program=program, enrolled_on=timezone.localdate(), supervisor=None
    )
    return enrolment, step


def test_the_supervisor_reads_the_step_without_the_learners_actions(client, enrolled):
    enrolment, _ = enrolled
    reflection_step = _progress(enrolment, 2)
    client.force_login(enrolment.supervisor)
    text = client.get(_url(reflection_step)).text
    assert "Reflect" in text
    assert "Save reflection" not in text
    assert reverse("team:learner", args=[enrolment.pk]) in text
    assert client.post(_url(reflection_step, "reflect"), {"body": "x"}).status_code == 403


@pytest.mark.parametrize("records", [1, 15])
def test_a_step_page_runs_the_same_queries_whatever_its_evidence(
    client, enrolled, django_assert_num_queries, records
):
    enrolment, what = enrolled
    gated = _progress(enrolment, 1)
    for _ in range(records):
        f.ObservationFactory(enrolment=enrolment, performance_objective=what)
        Reflection.objects.create(
            enrolment=enrolment, step=gated.step, body="Noted.", written_at=timezone.now()
        )
    client.force_login(enrolment.learner)
    # the page shell (5); the step, its objectives and sign-offs (3), the evidence rule,
    # its assignments; observations, reflections, debriefs, sessions, assessments
    with django_assert_num_queries(16):
        assert client.get(_url(gated)).status_code == 200


def test_a_paused_learner_sees_their_steps_without_actions(client, enrolled):
    enrolment, _ = enrolled
    Enrolment.objects.filter(pk=enrolment.pk).update(status=Enrolment.Status.PAUSED)
    reflection_step = _progress(enrolment, 2)
    client.force_login(enrolment.learner)
    assert "Save reflection" not in client.get(_url(reflection_step)).text
    assert "<strong>Now:</strong>" not in client.get(reverse("learn:home")).text


def test_a_reflection_is_refused_where_the_step_does_not_ask_for_one(client, enrolled):
    enrolment, _ = enrolled
    gated, later = _progress(enrolment, 1), _progress(enrolment, 3)
    client.force_login(enrolment.learner)
    for progress in (gated, later):  # open but completed by evidence; not open yet
        response = client.post(_url(progress, "reflect"), {"body": "Early thoughts."})
        assert response.status_code == 400
        assert "This step asks for no reflection now" in response.text
        assert "Early thoughts." in response.text
    assert not Reflection.objects.exists()


def test_a_step_not_yet_open_says_when_it_opens(client, enrolled):
    enrolment, _ = enrolled
    client.force_login(enrolment.learner)
    page = client.get(_url(_progress(enrolment, 3))).text
    assert "Opens" in page
    assert "When the steps before it are done" in page
    opened = client.get(_url(_progress(enrolment, 2))).text  # opened with the one before it
    assert "When the steps before it are done" not in opened
    assert "Opened" in opened
