"""Debriefs, coaching sessions and peer feedback from the manager's side."""

import datetime as dt
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from coaching.models import CoachingSession, Debrief, PeerFeedbackRequest
from people.models import Notification
from programs.models import Assignment
from programs.services import assignment_cancel, assignment_create, assignment_submit_evidence
from tests import factories as f

pytestmark = pytest.mark.django_db

IN_TWO_WEEKS = (timezone.localdate() + timedelta(days=14)).isoformat()
YESTERDAY = (timezone.localdate() - timedelta(days=1)).isoformat()
PASSED = "The due date has passed: choose a day from today."


@pytest.fixture
def assignment():
    enrolment = f.EnrolmentFactory()
    po = f.PerformanceObjectiveFactory(program=enrolment.program)
    given = assignment_create(
        enrolment=enrolment,
        title="Lead the escalation",
        brief="Run it.",
        scenario_kind=Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        due_on=timezone.localdate() + dt.timedelta(days=30),
        criteria=[
            {"description": "Options in writing", "performance_objective": po},
            {"description": "Owner for every hand-off", "performance_objective": po},
        ],
    )
    # Only submitted work is debriefed.
    return assignment_submit_evidence(assignment=given, evidence="Ran the escalation review.")


def _debrief_data(assignment, **overrides):
    first, second = assignment.success_criteria.order_by("position")
    data = {
        f"criterion_{first.pk}_notes": "Paper sent on day 2.",
        f"criterion_{first.pk}_met": "yes",
        f"criterion_{second.pk}_notes": "Two hand-offs had no owner.",
        f"criterion_{second.pk}_met": "no",
        "what_happened": "Led the review.",
        "what_went_well": "Fast decision.",
        "what_to_change": "Involve finance.",
        "lessons": "Name the customer impact.",
        "actions-TOTAL_FORMS": "3",
        "actions-INITIAL_FORMS": "0",
        "actions-0-description": "Invite finance",
        "actions-0-owner": assignment.enrolment.learner_id,
        "actions-0-due_on": IN_TWO_WEEKS,
    }
    data.update(overrides)
    return data


def test_a_debrief_is_laid_out_from_the_criteria_and_judges_them(client, assignment):
    client.force_login(assignment.enrolment.supervisor)
    url = reverse("team:debrief", args=[assignment.pk])
    page = client.get(url).text
    assert "How did it go against: Options in writing" in page
    assert "How did it go against: Owner for every hand-off" in page
    assert "Ran the escalation review." in page  # the evidence being judged, beside the form
    response = client.post(url, _debrief_data(assignment))
    assert response.status_code == 302
    debrief = Debrief.objects.get()
    assert "Options in writing: Paper sent on day 2." in debrief.what_happened
    assert [a.description for a in debrief.actions.all()] == ["Invite finance"]
    assert list(assignment.success_criteria.order_by("position").values_list("met", flat=True)) == [
        True,
        False,
    ]


def test_a_debrief_with_every_criterion_met_completes_the_assignment_and_clears_the_queue(
    client, assignment
):
    supervisor = assignment.enrolment.supervisor
    client.force_login(supervisor)
    first, second = assignment.success_criteria.order_by("position")
    assert "Lead the escalation" in client.get(reverse("team:home")).text
    client.post(
        reverse("team:debrief", args=[assignment.pk]),
        _debrief_data(assignment, **{f"criterion_{second.pk}_met": "yes"}),
    )
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.COMPLETED
    awaiting = client.get(reverse("team:home")).text.split("awaiting")[-1]
    assert "Lead the escalation" not in awaiting


def test_a_debrief_with_a_criterion_unmet_sends_the_work_back_for_rework(client, assignment):
    client.force_login(assignment.enrolment.supervisor)
    told = client.post(
        reverse("team:debrief", args=[assignment.pk]), _debrief_data(assignment), follow=True
    )
    learner = assignment.enrolment.learner
    assert f"the assignment went back to {learner} for rework" in told.text
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.IN_PROGRESS
    assert assignment.evidence == "Ran the escalation review."  # kept for the rework
    page = client.get(reverse("team:debrief", args=[assignment.pk])).text
    assert "went back to the learner for rework" in page
    assert "has not submitted evidence" not in page
    # the learner reads which criterion is not met yet, and the debrief's next actions
    client.force_login(assignment.enrolment.learner)
    page = client.get(reverse("learn:assignment", args=[assignment.pk])).text
    assert "Not met yet" in page
    assert "Debriefs" in page
    assert "Submit evidence" in page  # the rework can be submitted again


def test_a_second_debrief_of_a_completed_assignment_is_refused_and_changes_nothing(
    client, assignment
):
    client.force_login(assignment.enrolment.supervisor)
    first, second = assignment.success_criteria.order_by("position")
    url = reverse("team:debrief", args=[assignment.pk])
    client.post(url, _debrief_data(assignment, **{f"criterion_{second.pk}_met": "yes"}))
    response = client.post(url, _debrief_data(assignment))
    assert response.status_code == 200
    assert "already debriefed and completed" in response.text
    assert Debrief.objects.count() == 1
    assert list(assignment.success_criteria.values_list("met", flat=True)) == [True, True]
    # opened again, the page says so before anything is typed, with the verdicts
    page = client.get(url).text
    assert "already debriefed and completed: its verdicts stand" in page
    assert "Record debrief" not in page
    assert page.count(">Met</span>") == 2


def test_work_not_yet_submitted_is_not_debriefed(client, assignment):
    Assignment.objects.filter(pk=assignment.pk).update(
        status=Assignment.Status.ASSIGNED, evidence="", submitted_at=None
    )
    client.force_login(assignment.enrolment.supervisor)
    response = client.post(reverse("team:debrief", args=[assignment.pk]), _debrief_data(assignment))
    assert response.status_code == 200
    assert "has not submitted evidence" in response.text
    assert not Debrief.objects.exists()


def test_a_debriefs_next_action_is_marked_done_once_from_the_learners_record(client, assignment):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    client.post(reverse("team:debrief", args=[assignment.pk]), _debrief_data(assignment))
    action = Debrief.objects.get().actions.get()
    done = reverse("team:debrief_action_done", args=[action.pk])
    assert f'action="{done}"' in client.get(reverse("team:learner", args=[enrolment.pk])).text

    response = client.post(done, follow=True)

    action.refresh_from_db()
    assert action.done_at is not None
    assert [str(m) for m in response.context["messages"]][-1] == "Next action marked done."
    assert f'action="{done}"' not in response.text
    response = client.post(done, follow=True)
    assert [str(m) for m in response.context["messages"]][-1] == (
        "This next action is already done."
    )
    client.force_login(f.UserFactory())
    assert client.post(done).status_code == 404
    client.force_login(enrolment.learner)
    assert client.post(done).status_code == 403


def test_a_debrief_missing_a_criterion_note_keeps_everything_and_saves_nothing(client, assignment):
    client.force_login(assignment.enrolment.supervisor)
    first = assignment.success_criteria.order_by("position").first()
    response = client.post(
        reverse("team:debrief", args=[assignment.pk]),
        _debrief_data(assignment, **{f"criterion_{first.pk}_notes": ""}),
    )
    assert response.status_code == 200
    assert "This field is required." in response.text
    assert "Two hand-offs had no owner." in response.text
    assert not Debrief.objects.exists()
    assert not assignment.success_criteria.filter(met__isnull=False).exists()


def test_a_next_action_due_in_the_past_is_refused_beside_its_date_and_nothing_is_judged(
    client, assignment
):
    client.force_login(assignment.enrolment.supervisor)
    url = reverse("team:debrief", args=[assignment.pk])
    data = _debrief_data(
        assignment,
        **{
            "actions-1-description": "Share the template",
            "actions-1-owner": assignment.enrolment.supervisor_id,
            "actions-1-due_on": YESTERDAY,
        },
    )

    response = client.post(url, data)

    actions = response.context["actions"]
    assert [form.errors for form in actions] == [{}, {"due_on": [PASSED]}, {}]
    assert f'value="{YESTERDAY}"' in response.text
    assert "Share the template" in response.text
    assert not Debrief.objects.exists()
    assert not assignment.success_criteria.filter(met__isnull=False).exists()
    today = timezone.localdate().isoformat()
    assert client.post(url, {**data, "actions-1-due_on": today}).status_code == 302
    assert Debrief.objects.get().actions.count() == 2


def test_only_those_who_work_with_the_learner_run_a_debrief(client, assignment):
    url = reverse("team:debrief", args=[assignment.pk])
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(assignment.enrolment.learner)
    assert client.post(url, _debrief_data(assignment)).status_code == 403
    assert not Debrief.objects.exists()


def _session_data(**overrides):
    data = {
        "focus": "Reviews that end with owners",
        "notes": "",
        "commitments-TOTAL_FORMS": "2",
        "commitments-INITIAL_FORMS": "0",
        "commitments-0-description": "Close every review with owners",
        "commitments-0-measure": "hand-offs with an owner",
        "commitments-0-target_value": "100",
        "commitments-0-target_unit": "%",
        "commitments-0-due_on": IN_TWO_WEEKS,
    }
    data.update(overrides)
    return data


def test_a_coaching_session_is_recorded_with_measurable_commitments(client, assignment):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    url = reverse("team:coaching_session", args=[enrolment.pk])
    assert client.post(url, _session_data()).status_code == 302
    session = CoachingSession.objects.get()
    commitment = session.commitments.get()
    assert (commitment.target_value, commitment.target_unit) == (100, "%")


def test_the_supervisor_marks_a_commitment_kept_once_and_the_learner_reads_it(client, assignment):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    client.post(reverse("team:coaching_session", args=[enrolment.pk]), _session_data())
    commitment = CoachingSession.objects.get().commitments.get()
    client.force_login(enrolment.learner)
    assert "Open" in client.get(reverse("learn:home")).text  # their pathway, kept rendered
    client.force_login(enrolment.supervisor)
    kept = reverse("team:commitment_settle", args=[commitment.pk, "kept"])
    assert f'action="{kept}"' in client.get(reverse("team:learner", args=[enrolment.pk])).text

    response = client.post(kept, follow=True)

    commitment.refresh_from_db()
    assert commitment.status == "kept"
    assert [str(m) for m in response.context["messages"]] == ["Commitment marked kept."]
    assert f'action="{kept}"' not in response.text
    # settled once: a second word on it is refused and changes nothing
    response = client.post(
        reverse("team:commitment_settle", args=[commitment.pk, "not_kept"]), follow=True
    )
    commitment.refresh_from_db()
    assert commitment.status == "kept"
    assert [str(m) for m in response.context["messages"]] == [
        "This commitment is already marked Kept."
    ]
    client.force_login(enrolment.learner)
    page = client.get(reverse("learn:home")).text
    assert ">Kept<" in page
    assert f'action="{kept}"' not in page  # the learner reads it, does not judge it


def test_a_commitment_is_kept_or_not_kept_and_nothing_else(client, assignment):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    client.post(reverse("team:coaching_session", args=[enrolment.pk]), _session_data(), follow=True)
    commitment = CoachingSession.objects.get().commitments.get()

    response = client.post(
        reverse("team:commitment_settle", args=[commitment.pk, "open"]), follow=True
    )

    commitment.refresh_from_db()
    assert commitment.status == "open"
    assert [str(m) for m in response.context["messages"]] == [
        "Say whether the commitment was kept or not kept."
    ]


def test_only_those_who_work_with_the_learner_settle_a_commitment(client, assignment):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    client.post(reverse("team:coaching_session", args=[enrolment.pk]), _session_data())
    commitment = CoachingSession.objects.get().commitments.get()
    url = reverse("team:commitment_settle", args=[commitment.pk, "kept"])
    client.force_login(enrolment.learner)
    assert client.post(url).status_code == 403
    client.force_login(f.UserFactory())
    assert client.post(url).status_code == 404
    commitment.refresh_from_db()
    assert commitment.status == "open"


def test_a_session_without_a_commitment_is_refused_keeping_its_focus(client, assignment):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    response = client.post(
        reverse("team:coaching_session", args=[enrolment.pk]),
        _session_data(
            **{
                "commitments-0-description": "",
                "commitments-0-measure": "",
                "commitments-0-target_value": "",
                "commitments-0-target_unit": "",
                "commitments-0-due_on": "",
            }
        ),
    )
    assert "A coaching session ends in at least one commitment." in response.text
    assert "Reviews that end with owners" in response.text
    assert not CoachingSession.objects.exists()
    client.force_login(f.UserFactory())
    assert client.get(reverse("team:coaching_session", args=[enrolment.pk])).status_code == 404


def test_a_commitment_due_in_the_past_is_refused_beside_its_date_keeping_the_session(
    client, assignment
):
    enrolment = assignment.enrolment
    client.force_login(enrolment.supervisor)
    url = reverse("team:coaching_session", args=[enrolment.pk])

    response = client.post(url, _session_data(**{"commitments-0-due_on": YESTERDAY}))

    commitments = response.context["commitments"]
    assert [form.errors for form in commitments] == [{"due_on": [PASSED]}, {}]
    assert f'value="{YESTERDAY}"' in response.text
    assert "Reviews that end with owners" in response.text
    assert not CoachingSession.objects.exists()


@pytest.mark.parametrize("size", [2, 50])
def test_the_coaching_session_form_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    """`size` sessions held before, with a commitment each."""
    enrolment = f.EnrolmentFactory()
    for _ in range(size):
        session = f.CoachingSessionFactory(enrolment=enrolment)
        session.commitments.create(
            description="Same day",
            measure="hours",
            target_value=24,
            target_unit="h",
            due_on=timezone.localdate(),
        )
    client.force_login(enrolment.supervisor)
    url = reverse("team:coaching_session", args=[enrolment.pk])
    # the page shell (6) and the enrolment
    with django_assert_num_queries(6):
        assert client.get(url).status_code == 200


def test_a_peer_is_asked_anonymously_and_answers_from_their_inbox(client, assignment):
    enrolment = assignment.enrolment
    peer = f.colleague_of(enrolment.learner)
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_request", args=[enrolment.pk])
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    past = (timezone.localtime() - timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        url, {"reviewer": peer.username, "prompt": "How specific?", "due_at": past}
    )
    assert "The due date must be in the future." in response.text
    assert not PeerFeedbackRequest.objects.exists()
    client.post(
        url,
        {"reviewer": peer.username, "prompt": "How specific?", "due_at": due, "anonymous": "on"},
    )
    request = PeerFeedbackRequest.objects.get()
    assert request.anonymous

    client.force_login(peer)
    inbox = reverse("team:peer_inbox")
    assert "How specific?" in client.get(inbox).text
    response = client.post(inbox, {"request": request.pk, "response": " "})
    assert "Write the feedback before sending it." in response.text
    client.post(inbox, {"request": request.pk, "response": "Very specific."})
    request.refresh_from_db()
    assert (request.status, request.response) == ("submitted", "Very specific.")


def test_nobody_answers_a_request_addressed_to_someone_else(client, assignment):
    request = PeerFeedbackRequest.objects.create(
        enrolment=assignment.enrolment,
        requested_by=assignment.enrolment.supervisor,
        reviewer=f.UserFactory(),
        prompt="?",
        due_at=timezone.now() + timedelta(days=1),
    )
    client.force_login(f.UserFactory())
    response = client.post(reverse("team:peer_inbox"), {"request": request.pk, "response": "x"})
    assert response.status_code == 404
    request.refresh_from_db()
    assert request.status == "requested"
    # A learner may not be asked about themselves.
    client.force_login(assignment.enrolment.supervisor)
    response = client.post(
        reverse("team:peer_request", args=[assignment.enrolment.pk]),
        {
            "reviewer": assignment.enrolment.learner.username,
            "prompt": "?",
            "due_at": "2030-01-01T10:00",
        },
    )
    assert "Learners cannot give peer feedback to themselves." in response.text
    assert PeerFeedbackRequest.objects.count() == 1


def _ask(client, enrolment, reviewer):
    """Post a peer feedback request naming `reviewer` as typed."""
    client.force_login(enrolment.supervisor)
    due = (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return client.post(
        reverse("team:peer_request", args=[enrolment.pk]),
        {"reviewer": reviewer, "prompt": "How clear are the hand-offs?", "due_at": due},
    )


@pytest.mark.parametrize("named_by", ["username", "email", "employee_id"])
def test_a_peer_is_named_by_username_email_or_employee_id(client, assignment, named_by):
    peer = f.colleague_of(
        assignment.enrolment.learner, employee_id="E-4711", email="Rosa.Peer@Example.com"
    )
    typed = getattr(peer, named_by).upper() if named_by == "email" else getattr(peer, named_by)

    response = _ask(client, assignment.enrolment, f"  {typed} ")

    assert response.status_code == 302
    assert PeerFeedbackRequest.objects.get().reviewer == peer


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Name the colleague to ask: their username, email or employee ID."),
        ("nobody-here", "Nobody active has this username, email or employee ID: nobody-here."),
        ("left", "Nobody active has this username, email or employee ID: left."),
        ("rosa dana", "Name one person: their username, email or employee ID."),
        ("same-id", "These name more than one person; use the username instead: same-id."),
    ],
)
def test_a_reviewer_who_cannot_be_asked_is_refused_saying_why(client, assignment, typed, message):
    f.UserFactory(username="left", is_active=False)
    f.UserFactory(username="same-id", employee_id="E-1")
    f.UserFactory(employee_id="same-id")

    response = _ask(client, assignment.enrolment, typed)

    assert response.status_code == 200
    assert response.context["form"].errors["reviewer"] == [message]
    assert f'value="{typed}"' in response.text or not typed  # what was typed stays
    assert not PeerFeedbackRequest.objects.exists()


def test_the_peer_request_form_lists_nobody_from_the_staff(client, assignment):
    for _ in range(3):
        f.UserFactory()
    client.force_login(assignment.enrolment.supervisor)
    text = client.get(reverse("team:peer_request", args=[assignment.enrolment.pk])).text
    assert '<select name="reviewer"' not in text
    assert '<input type="text" name="reviewer"' in text
    reviewers = reverse("team:peer_reviewers", args=[assignment.enrolment.pk])
    assert f'hx-get="{reviewers}"' in text


def test_reviewer_suggestions_are_the_learners_colleagues_never_the_learner(client):
    boss = f.UserFactory(first_name="Dana", last_name="Boss")
    unit = f.OrgUnitFactory()
    learner = f.UserFactory(first_name="Dana", last_name="Learner", manager=boss, org_unit=unit)
    teammate = f.UserFactory(first_name="Dana", last_name="Mate", manager=boss)
    report = f.UserFactory(first_name="Dana", last_name="Report", manager=learner)
    same_unit = f.UserFactory(first_name="Dana", last_name="Unit", org_unit=unit)
    left = f.UserFactory(first_name="Dana", last_name="Gone", manager=boss, is_active=False)
    stranger = f.UserFactory(first_name="Dana", last_name="Stranger")
    enrolment = f.EnrolmentFactory(learner=learner)
    fellow = f.EnrolmentFactory(
        program=enrolment.program,
        pathway=enrolment.pathway,
        learner__first_name="Dana",
        learner__last_name="Fellow",
    ).learner
    askers_report = f.UserFactory(first_name="Dana", last_name="Own", manager=enrolment.supervisor)
    # someone who left the program is no longer of it
    withdrawn = f.EnrolmentFactory(
        program=enrolment.program,
        pathway=enrolment.pathway,
        status="withdrawn",
        learner__first_name="Dana",
        learner__last_name="Withdrawn",
    ).learner
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_reviewers", args=[enrolment.pk])

    text = client.get(url, {"reviewer": "dana"}, HTTP_HX_REQUEST="true").text

    for person in (boss, teammate, report, same_unit, fellow):
        assert f'<option value="{person.username}">' in text
    for person in (learner, left, stranger, askers_report, withdrawn):
        assert person.username not in text
    assert "Mate" in client.get(url, {"reviewer": "dana mate"}).text
    assert "<option" not in client.get(url, {"reviewer": ""}).text


def test_a_reviewer_who_is_not_the_learners_colleague_is_refused_and_nothing_is_saved(
    client, assignment
):
    stranger = f.UserFactory(username="stranger", first_name="Quentin", last_name="Hidden")

    response = _ask(client, assignment.enrolment, stranger.username)

    assert response.status_code == 200
    learner = assignment.enrolment.learner
    assert response.context["form"].errors["reviewer"] == [
        f"Ask a colleague of {learner}: someone from their org unit, "
        "their reporting line or one of their programs."
    ]
    assert 'value="stranger"' in response.text
    # asking does not reveal who an identifier belongs to
    assert "Quentin" not in response.text
    assert not PeerFeedbackRequest.objects.exists()


def test_a_fellow_learner_on_the_program_may_be_asked(client, assignment):
    enrolment = assignment.enrolment
    fellow = f.EnrolmentFactory(program=enrolment.program, pathway=enrolment.pathway).learner

    response = _ask(client, assignment.enrolment, fellow.username)

    assert response.status_code == 302
    assert PeerFeedbackRequest.objects.get().reviewer == fellow


def test_reviewer_suggestions_are_bounded(client):
    boss = f.UserFactory()
    learner = f.UserFactory(manager=boss)
    for _ in range(15):
        f.UserFactory(first_name="Sam", manager=boss)
    enrolment = f.EnrolmentFactory(learner=learner)
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_reviewers", args=[enrolment.pk])
    assert client.get(url, {"reviewer": "sam"}).text.count("<option") == 10


@pytest.mark.parametrize("size", [2, 50])
def test_reviewer_suggestions_run_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    boss = f.UserFactory()
    enrolment = f.EnrolmentFactory(learner__manager=boss)
    for _ in range(size):
        f.UserFactory(first_name="Sam", manager=boss)
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_reviewers", args=[enrolment.pk])
    # the session, the person and their permissions (2), the enrolment, the suggestions
    with django_assert_num_queries(6):
        assert client.get(url, {"reviewer": "sam"}).status_code == 200


def test_reviewer_suggestions_answer_only_those_who_may_ask(client, assignment):
    url = reverse("team:peer_reviewers", args=[assignment.enrolment.pk])
    client.force_login(f.UserFactory())
    assert client.get(url, {"reviewer": "a"}).status_code == 404


@pytest.mark.parametrize("size", [2, 50])
def test_the_peer_request_form_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    enrolment = f.EnrolmentFactory(learner__manager=f.UserFactory())
    for _ in range(size):
        f.UserFactory(manager=enrolment.learner.manager)
        f.PerformanceObjectiveFactory(program=enrolment.program)
    client.force_login(enrolment.supervisor)
    url = reverse("team:peer_request", args=[enrolment.pk])
    with django_assert_num_queries(7):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [2, 50])
def test_the_peer_inbox_runs_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    reviewer = f.UserFactory()
    for _ in range(size):
        enrolment = f.EnrolmentFactory()
        PeerFeedbackRequest.objects.create(
            enrolment=enrolment,
            requested_by=enrolment.supervisor,
            reviewer=reviewer,
            prompt="?",
            due_at=timezone.now() + timedelta(days=1),
        )
    client.force_login(reviewer)
    # Seven, and the count of the requests for their pages.
    with django_assert_num_queries(5):
        assert client.get(reverse("team:peer_inbox")).status_code == 200


def test_the_peer_inbox_comes_a_page_at_a_time_open_requests_first(client):
    reviewer = f.UserFactory()
    enrolment = f.EnrolmentFactory()
    now = timezone.now()

    def ask(prompt, days, **more):
        return PeerFeedbackRequest.objects.create(
            enrolment=enrolment,
            requested_by=enrolment.supervisor,
            reviewer=reviewer,
            prompt=prompt,
            due_at=now + timedelta(days=days),
            **more,
        )

    answered = ask("Answered long ago", 1, status="submitted", response="Yes.", responded_at=now)
    for day in range(2, 23):
        ask(f"Open question {day}", day)
    client.force_login(reviewer)
    inbox = reverse("team:peer_inbox")

    first = client.get(inbox)
    second = client.get(inbox, {"page": 2})

    assert len(first.context["requests"]) == 20
    assert "Open question 2<" in first.text
    assert "Page 1 of 2" in first.text
    assert "Open question 22<" in second.text
    assert answered.prompt in second.text  # answered ones come after the open ones
    assert answered.prompt not in first.text


def test_answering_on_a_later_page_keeps_that_page_with_the_error(client):
    reviewer = f.UserFactory()
    enrolment = f.EnrolmentFactory()
    requests = [
        PeerFeedbackRequest.objects.create(
            enrolment=enrolment,
            requested_by=enrolment.supervisor,
            reviewer=reviewer,
            prompt=f"Question {day}",
            due_at=timezone.now() + timedelta(days=day),
        )
        for day in range(1, 23)
    ]
    client.force_login(reviewer)
    last = requests[-1]

    response = client.post(
        reverse("team:peer_inbox") + "?page=2", {"request": last.pk, "response": " "}
    )

    assert "Write the feedback before sending it." in response.text
    assert "Question 22<" in response.text
    last.refresh_from_db()
    assert last.status == "requested"


def test_submitted_work_leads_the_people_who_debrief_it_to_the_debrief(client, assignment):
    url = reverse("learn:assignment", args=[assignment.pk])
    debrief = reverse("team:debrief", args=[assignment.pk])
    client.force_login(assignment.enrolment.supervisor)
    assert f'href="{debrief}"' in client.get(url).text
    client.force_login(assignment.enrolment.learner)
    assert f'href="{debrief}"' not in client.get(url).text  # the learner does not judge it
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.COMPLETED)
    client.force_login(assignment.enrolment.supervisor)
    assert f'href="{debrief}"' not in client.get(url).text  # judged: nothing to run


def test_work_given_by_mistake_is_cancelled_with_a_reason_the_learner_reads(client, assignment):
    url = reverse("learn:assignment", args=[assignment.pk])
    client.force_login(assignment.enrolment.learner)
    assert "Cancel this assignment" not in client.get(url).text
    assert client.post(url, {"reason": "Not mine to give."}).status_code == 403
    client.force_login(assignment.enrolment.supervisor)
    refused = client.post(url, {"reason": "  "})
    assert "Say why it is cancelled: the learner is told." in refused.text
    assignment.refresh_from_db()
    assert assignment.status == Assignment.Status.SUBMITTED  # nothing changed
    client.post(url, {"reason": "Given on the wrong step."})
    assignment.refresh_from_db()
    assert (assignment.status, assignment.cancel_reason) == (
        "cancelled",
        "Given on the wrong step.",
    )
    told = Notification.objects.get(kind=Notification.Kind.ASSIGNMENT_CANCELLED)
    assert told.recipient == assignment.enrolment.learner
    assert "Given on the wrong step." in told.body
    page = client.get(url).text
    assert "Cancelled:</strong> Given on the wrong step." in page
    assert "Cancel this assignment" not in page  # closed: nothing more to cancel
    with pytest.raises(ValidationError, match="cancelled already"):
        assignment_cancel(assignment=assignment, by=assignment.enrolment.supervisor, reason="x")


def test_a_step_takes_one_open_assignment_at_a_time():
    program = f.ProgramFactory()
    step = f.StepFactory(pathway=f.PathwayFactory(program=program), position=1)
    enrolment = f.EnrolmentFactory(program=program, pathway=step.pathway)
    po = f.PerformanceObjectiveFactory(program=program)
    given = {
        "enrolment": enrolment,
        "title": "Lead the escalation",
        "brief": "Run it.",
        "scenario_kind": Assignment.ScenarioKind.CUSTOMER_ESCALATION,
        "due_on": timezone.localdate() + dt.timedelta(days=30),
        "step": step,
        "criteria": [{"description": "Options in writing", "performance_objective": po}],
    }
    first = assignment_create(**given)
    with pytest.raises(ValidationError) as refused:
        assignment_create(**{**given, "title": "Lead it again"})
    assert "“Lead the escalation” is still open on this step" in str(refused.value)
    assert Assignment.objects.count() == 1
    assignment_cancel(assignment=first, by=enrolment.supervisor, reason="Wrong brief.")
    assert assignment_create(**{**given, "title": "Lead it again"}).step == step
    assert assignment_create(**{**given, "step": None}).step is None  # no step: no limit
