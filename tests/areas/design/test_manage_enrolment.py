"""Managing one enrolment from the design area: who works with the learner, their cohort,
pausing, resuming and withdrawing, and the warning when a step lacks observers."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from coaching.services import observation_log
from programs.models import Enrolment, ProgressEvent, Step, StepProgress
from programs.services import enrolment_create
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S = Step.Completion, StepProgress.Status
TODAY = timezone.localdate()
GATE = {
    "gate_min_observations": 3,
    "gate_min_rating": 3,
    "gate_min_observers": 2,
    "gate_within_days": 60,
}


@pytest.fixture
def program():
    """A pathway whose first step needs observations from two different people, with a
    supervisor's sign-off running beside it."""
    program = f.ProgramFactory(competency_needs_objectives=False, starts_on=TODAY)
    pathway = f.PathwayFactory(program=program)
    practise = f.StepFactory(
        pathway=pathway,
        position=1,
        title="Give feedback on the job",
        completed_by=C.EVIDENCE,
        **GATE,
    )
    practise.performance_objectives.add(f.PerformanceObjectiveFactory(program=program))
    f.StepFactory(
        pathway=pathway,
        position=2,
        title="Supervisor's review",
        completed_by=C.SUPERVISOR,
        with_previous=True,
    )
    return program


@pytest.fixture
def enrolment(program, django_capture_on_commit_callbacks):
    """A learner enrolled without a coach, their line manager supervising."""
    manager = f.UserFactory(first_name="Mo", last_name="Manager")
    learner = f.UserFactory(first_name="Lee", last_name="Learner", manager=manager)
    with django_capture_on_commit_callbacks(execute=True):
        return enrolment_create(
            learner=learner, program=program, enrolled_on=TODAY, supervisor=manager
        )


def _url(enrolment, action=None):
    if action is None:
        return reverse("design:enrolment", args=[enrolment.program_id, enrolment.pk])
    return reverse("design:enrolment_status", args=[enrolment.program_id, enrolment.pk, action])


def _people(enrolment, **typed):
    data = {
        "supervisor": enrolment.supervisor.username,
        "coach": enrolment.coach.username if enrolment.coach else "",
        "cohort": enrolment.cohort_id or "",
    }
    return data | typed


def _observe(enrolment, observer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        observation_log(
            observer=observer,
            enrolment=enrolment,
            performance_objective=enrolment.program.performance_objectives.get(),
            rating=3,
            behaviour="Named what went well in the hand-off, on the spot.",
            observed_at=timezone.now() - timedelta(minutes=5),
        )


def _status(enrolment, position):
    return enrolment.progress.get(step__position=position).status


def _texts(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# Enrolling, and the warning about observers


def test_enrolling_without_a_coach_warns_that_a_step_lacks_a_second_observer(client, program):
    manager = f.UserFactory()
    learner = f.UserFactory(first_name="Lee", last_name="Learner", manager=manager)
    client.force_login(program.owner)

    response = client.post(
        reverse("design:enrol", args=[program.pk]),
        {"learners": learner.username, "enrolled_on": TODAY.isoformat()},
        follow=True,
    )

    assert Enrolment.objects.get(learner=learner).supervisor == manager  # enrolled all the same
    assert _texts(response) == [
        "Enrolled 1 learner on pathway version 1.",
        "“Give feedback on the job” needs observations from 2 different people, but only 1 "
        "can observe Lee Learner (supervisor, coach, line manager). Add a coach, or the step "
        "cannot complete.",
    ]


def test_enrolling_a_cohort_with_a_coach_gives_no_warning_and_without_one_counts_them(
    client, program
):
    boss = f.UserFactory()
    learners = [f.UserFactory(manager=boss) for _ in range(3)]
    client.force_login(program.owner)
    url = reverse("design:enrol", args=[program.pk])
    coached = {
        "learners": learners[0].username,
        "coach": f.UserFactory().username,
        "enrolled_on": TODAY.isoformat(),
    }

    with_coach = client.post(url, coached, follow=True)
    without = client.post(
        url,
        {"learners": f"{learners[1].username}\n{learners[2].username}", "enrolled_on": TODAY},
        follow=True,
    )

    assert _texts(with_coach) == ["Enrolled 1 learner on pathway version 1."]
    assert _texts(without)[1] == (
        "“Give feedback on the job” needs observations from 2 different people, but fewer "
        "can observe 2 of these learners (supervisor, coach, line manager). Add a coach to "
        "their enrolments, or the step cannot complete."
    )


# The page and changing who works with the learner


def test_the_owner_reads_the_enrolment_and_is_warned_until_a_coach_is_added(client, enrolment):
    client.force_login(enrolment.program.owner)

    page = client.get(_url(enrolment))

    assert page.status_code == 200
    text = page.text
    for shown in ("Lee Learner", "Active", "Version 1", "Mo Manager"):
        assert shown in text
    assert "“Give feedback on the job” needs observations from 2 different people" in text
    coach = f.UserFactory(first_name="Cat", last_name="Coach")
    response = client.post(_url(enrolment), _people(enrolment, coach=coach.username))
    assert response.status_code == 302
    page = client.get(_url(enrolment))
    assert "Cat Coach" in page.text
    assert "needs observations from 2 different people" not in page.text


def test_the_supervisor_is_refused_as_coach_a_coach_being_a_second_person(client, enrolment):
    client.force_login(enrolment.program.owner)

    response = client.post(_url(enrolment), _people(enrolment, coach=enrolment.supervisor.username))

    assert response.status_code == 400
    assert "The coach is already the supervisor: choose someone else, or none." in response.text
    enrolment.refresh_from_db()
    assert enrolment.coach is None
    page = client.get(_url(enrolment))
    assert "but only 1 can observe Lee Learner" in page.text


def test_a_coach_added_on_the_page_is_the_second_observer_the_step_needed(
    client, enrolment, django_capture_on_commit_callbacks
):
    # the manager observes three times: three observations, one observer
    for _ in range(3):
        _observe(enrolment, enrolment.supervisor, django_capture_on_commit_callbacks)
    assert _status(enrolment, 1) == S.IN_PROGRESS
    coach = f.UserFactory()
    client.force_login(enrolment.program.owner)

    client.post(_url(enrolment), _people(enrolment, coach=coach.username))
    _observe(enrolment, coach, django_capture_on_commit_callbacks)

    enrolment.refresh_from_db()
    assert enrolment.coach == coach
    assert _status(enrolment, 1) == S.COMPLETED
    completed = ProgressEvent.objects.get(enrolment=enrolment, type="step.completed")
    assert completed.detail == {"observations": 4, "observers": 2}
    # changing people is no change of status
    assert not enrolment.events.filter(type=ProgressEvent.Type.ENROLMENT_STATUS).exists()


def test_the_coach_is_cleared_and_the_supervisor_and_cohort_changed(client, enrolment):
    enrolment.coach = f.UserFactory()
    enrolment.save()
    supervisor, cohort = (
        f.UserFactory(employee_id="E-77"),
        f.CohortFactory(program=enrolment.program),
    )
    client.force_login(enrolment.program.owner)

    response = client.post(
        _url(enrolment), {"supervisor": "E-77", "coach": "", "cohort": cohort.pk}
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert (enrolment.supervisor, enrolment.coach, enrolment.cohort) == (supervisor, None, cohort)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            {"supervisor": "LEARNER"},
            "supervisor",
            "A learner cannot supervise their own enrolment.",
        ),
        ({"coach": "LEARNER"}, "coach", "A learner cannot coach themselves."),
        (
            {"coach": "nobody-here"},
            "coach",
            "Nobody active has this username, email or employee ID: nobody-here.",
        ),
        (
            {"supervisor": ""},
            "supervisor",
            "A supervisor can be replaced, not removed: name who takes over.",
        ),
        (
            {"cohort": "OTHER"},
            "cohort",
            "Select a valid choice. That choice is not one of the available choices.",
        ),
    ],
)
def test_a_bad_person_or_cohort_is_refused_beside_its_field_and_nothing_changes(
    client, enrolment, typed, field, message
):
    other_cohort = f.CohortFactory()
    stand_in = {"LEARNER": enrolment.learner.username, "OTHER": other_cohort.pk}
    typed = {name: stand_in.get(value, value) for name, value in typed.items()}
    coach = f.UserFactory(username="kept-coach")
    client.force_login(enrolment.program.owner)

    response = client.post(_url(enrolment), _people(enrolment, coach=coach.username) | typed)

    assert response.status_code == 400
    assert response.context["people_form"].errors == {field: [message]}
    # what was typed stays
    for name, value in {"coach": "kept-coach", **typed}.items():
        if name != "cohort" and value:
            assert f'value="{value}"' in response.text
    enrolment.refresh_from_db()
    assert (enrolment.coach, enrolment.cohort) == (None, None)
    assert enrolment.supervisor.first_name == "Mo"


# Pausing, resuming, withdrawing


def test_a_pause_stops_the_steps_and_a_resume_moves_the_learner_on(
    client, enrolment, django_capture_on_commit_callbacks
):
    owner = enrolment.program.owner
    client.force_login(owner)

    paused = client.post(_url(enrolment, "pause"), {"pause-reason": "Parental leave."})

    assert paused.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.PAUSED
    event = enrolment.events.get(type=ProgressEvent.Type.ENROLMENT_STATUS)
    assert (event.from_status, event.to_status, event.actor, event.detail) == (
        "active",
        "paused",
        owner,
        {"reason": "Parental leave."},
    )
    # nobody signs off a step while the learner is paused…
    review = enrolment.progress.get(step__position=2)
    client.force_login(enrolment.supervisor)
    refused = client.post(
        reverse("team:step_sign_off", args=[review.pk]), {f"s{review.pk}-note": "Saw it."}
    )
    assert refused.status_code == 400
    assert "its steps do not move until it is active" in refused.text
    assert _status(enrolment, 2) == S.IN_PROGRESS
    # …while evidence recorded meanwhile is kept, and counts once they are back
    coach = f.UserFactory()
    enrolment.coach = coach
    enrolment.save()
    for observer in (enrolment.supervisor, coach, coach):
        _observe(enrolment, observer, django_capture_on_commit_callbacks)
    assert _status(enrolment, 1) == S.IN_PROGRESS
    client.force_login(owner)

    with django_capture_on_commit_callbacks(execute=True):
        resumed = client.post(_url(enrolment, "resume"))

    assert resumed.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.ACTIVE
    assert _status(enrolment, 1) == S.COMPLETED
    assert list(
        enrolment.events.filter(type="enrolment.status").values_list("to_status", "actor")
    ) == [
        ("paused", owner.pk),
        ("active", owner.pk),
    ]


def test_a_withdrawn_learner_leaves_their_supervisors_team_page(client, enrolment):
    supervisor = enrolment.supervisor
    client.force_login(supervisor)
    assert list(client.get(reverse("team:home")).context["enrolments"]) == [enrolment]
    client.force_login(enrolment.program.owner)

    response = client.post(
        _url(enrolment, "withdraw"),
        {"withdraw-reason": "Moved to another role.", "withdraw-confirm": "on"},
    )

    assert response.status_code == 302
    enrolment.refresh_from_db()
    assert enrolment.status == Enrolment.Status.WITHDRAWN
    event = enrolment.events.get(type=ProgressEvent.Type.ENROLMENT_STATUS)
    assert (event.to_status, event.actor, event.detail) == (
        "withdrawn",
        enrolment.program.owner,
        {"reason": "Moved to another role."},
    )
    assert "Moved to another role." in client.get(_url(enrolment)).text
    client.force_login(supervisor)
    assert list(client.get(reverse("team:home")).context["enrolments"]) == []


@pytest.mark.parametrize(
    ("status", "action", "data", "errors"),
    [
        (
            "active",
            "pause",
            {"pause-reason": "  "},
            {"reason": ["Say why the enrolment is paused."]},
        ),
        (
            "active",
            "withdraw",
            {"withdraw-reason": "Left the company."},
            {"confirm": ["Tick the box to confirm the withdrawal."]},
        ),
        (
            "active",
            "withdraw",
            {"withdraw-confirm": "on"},
            {"reason": ["Say why the learner is withdrawn."]},
        ),
        ("active", "resume", {}, {"__all__": ["This enrolment is already active."]}),
        (
            "withdrawn",
            "withdraw",
            {"withdraw-reason": "Again.", "withdraw-confirm": "on"},
            {"__all__": ["This enrolment is already withdrawn."]},
        ),
        (
            "withdrawn",
            "pause",
            {"pause-reason": "Leave."},
            {"__all__": ["A withdrawn enrolment cannot be paused."]},
        ),
    ],
)
def test_a_status_change_that_is_incomplete_or_makes_no_sense_is_refused(
    client, enrolment, status, action, data, errors
):
    Enrolment.objects.filter(pk=enrolment.pk).update(status=status)
    client.force_login(enrolment.program.owner)

    response = client.post(_url(enrolment, action), data)

    assert response.status_code == 400
    assert response.context["status_forms"][action].errors == errors
    for typed in data.values():
        if typed.strip() and typed != "on":
            assert typed in response.text  # the reason typed stays
    enrolment.refresh_from_db()
    assert enrolment.status == status
    assert not enrolment.events.filter(type=ProgressEvent.Type.ENROLMENT_STATUS).exists()


def test_an_unknown_action_is_not_found(client, enrolment):
    client.force_login(enrolment.program.owner)

    assert client.post(_url(enrolment, "complete")).status_code == 404
    assert client.get(_url(enrolment, "pause")).status_code == 405


# Who may manage an enrolment


def _refused_people(enrolment):
    sponsor = f.UserFactory()
    enrolment.program.sponsors.add(sponsor)
    return {
        "sponsor": (sponsor, 403),
        "supervisor": (enrolment.supervisor, 403),
        "learner": (enrolment.learner, 403),
        "another program's owner": (f.ProgramFactory().owner, 404),
        "someone unrelated": (f.UserFactory(), 404),
    }


def test_only_the_programs_designer_manages_its_enrolments(client, enrolment):
    for who, (person, code) in _refused_people(enrolment).items():
        client.force_login(person)
        assert client.get(_url(enrolment)).status_code == code, who
        changed = client.post(_url(enrolment), _people(enrolment, coach=person.username))
        assert changed.status_code == code, who
        paused = client.post(_url(enrolment, "pause"), {"pause-reason": "Because."})
        assert paused.status_code == code, who
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.coach) == (Enrolment.Status.ACTIVE, None)
    client.force_login(f.HRAdminFactory())
    assert client.get(_url(enrolment)).status_code == 200


def test_an_enrolment_is_not_found_under_another_program(client, enrolment):
    other = f.ProgramFactory(owner=enrolment.program.owner)
    client.force_login(other.owner)

    url = reverse("design:enrolment", args=[other.pk, enrolment.pk])

    assert client.get(url).status_code == 404


# Links to the page


def test_the_roster_and_the_learners_record_lead_the_designer_to_the_page(client, enrolment):
    client.force_login(enrolment.program.owner)

    roster = client.get(reverse("design:roster", args=[enrolment.program_id]))
    record = client.get(reverse("team:learner", args=[enrolment.pk]))
    client.force_login(enrolment.supervisor)
    supervisors_record = client.get(reverse("team:learner", args=[enrolment.pk]))

    assert _url(enrolment) in roster.text
    assert "Manage enrolment" in record.text
    assert _url(enrolment) in record.text
    assert "Manage enrolment" not in supervisors_record.text


@pytest.mark.parametrize("size", [2, 50])
def test_the_page_runs_the_same_queries_at_any_size(
    client, enrolment, django_assert_num_queries, size
):
    for number in range(size):
        f.CohortFactory(program=enrolment.program, name=f"Wave {number}")
    for _ in range(size):
        enrolment.events.create(
            type=ProgressEvent.Type.ENROLMENT_STATUS,
            from_status="active",
            to_status="paused",
            occurred_at=timezone.now(),
            cause=ProgressEvent.Cause.PERSON,
            actor=f.UserFactory(),
            detail={"reason": "On leave."},
        )
    client.force_login(enrolment.program.owner)

    with django_assert_num_queries(10):
        response = client.get(_url(enrolment))

    assert response.status_code == 200
    assert len(response.context["people_form"].fields["cohort"].queryset) == size
    assert response.text.count("“On leave.”") == min(size, 10)  # the latest changes of status
