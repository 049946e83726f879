"""The access rules: each role sees and changes only what it may (talentdev/access.py)."""

import pytest
from django.contrib.auth.models import AnonymousUser

from coaching.models import (
    CoachingSession,
    Debrief,
    Feedback,
    FeedbackWindow,
    Observation,
    PeerFeedbackRequest,
    Reflection,
)
from measurement.models import Assessment, Measurement, OutcomeMetric, SponsorReview, SuccessStory
from objectives.models import LearningObjective, PerformanceObjective
from people.models import User
from programs.models import Assignment, Cohort, Enrolment, Pathway, Program, Step, StepProgress
from tests import factories as f
from tests.world import World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return World()


# Every model whose rows belong to one learner's enrolment, and the attribute in World.
PERSONAL = [
    (Enrolment, "enrolment"),
    (StepProgress, "progress"),
    (Assignment, "assignment"),
    (Observation, "observation"),
    (FeedbackWindow, "window"),
    (Feedback, "feedback"),
    (Assessment, "assessment"),
    (Debrief, "debrief"),
    (CoachingSession, "session"),
    (Reflection, "reflection"),
    (PeerFeedbackRequest, "peer_request"),
]


def visible(model, user):
    return set(model.objects.visible_to(user))


@pytest.mark.parametrize(("model", "attr"), PERSONAL)
def test_a_learner_sees_their_own_records_and_never_another_learners(world, model, attr):
    assert visible(model, world.a.learner) == {getattr(world.a, attr)}
    assert visible(model, world.b.learner) == {getattr(world.b, attr)}


@pytest.mark.parametrize(("model", "attr"), PERSONAL)
def test_a_supervisor_sees_only_the_enrolments_they_supervise(world, model, attr):
    assert visible(model, world.a.supervisor) == {getattr(world.a, attr)}


@pytest.mark.parametrize(("model", "attr"), PERSONAL)
def test_a_coach_and_a_line_manager_see_only_their_learners(world, model, attr):
    assert visible(model, world.coach) == {getattr(world.a, attr)}
    assert visible(model, world.line_manager) == {getattr(world.a, attr)}


@pytest.mark.parametrize(("model", "attr"), PERSONAL)
def test_a_program_owner_sees_everything_in_their_program_only(world, model, attr):
    assert visible(model, world.owner) == {getattr(world.a, attr), getattr(world.b, attr)}


@pytest.mark.parametrize(("model", "attr"), PERSONAL)
def test_a_sponsor_sees_no_ones_personal_records(world, model, attr):
    assert visible(model, world.sponsor) == set()


def test_a_sponsor_sees_their_program_its_design_metrics_reviews_and_aggregates(world):
    sponsor = world.sponsor
    assert visible(Program, sponsor) == {world.program}
    assert visible(Pathway, sponsor) == {world.pathway}
    assert visible(Step, sponsor) == {world.step}
    assert visible(Cohort, sponsor) == {world.cohort}
    assert visible(LearningObjective, sponsor) == {world.lo}
    assert world.po in visible(PerformanceObjective, sponsor)
    assert visible(OutcomeMetric, sponsor) == {world.metric}
    assert visible(SponsorReview, sponsor) == {world.review}
    # Program-level values only; a learner's own values stay with the people around them.
    assert visible(Measurement, sponsor) == {world.program_measurement}
    assert visible(SuccessStory, sponsor) == {world.story}


def test_a_learner_sees_their_program_but_not_its_sponsor_reviews(world):
    assert visible(Program, world.a.learner) == {world.program}
    assert visible(SponsorReview, world.a.learner) == set()
    assert visible(Measurement, world.a.learner) == {world.program_measurement, world.a.measurement}


@pytest.mark.parametrize("who", ["hr_admin", "superuser"])
def test_hr_admins_and_superusers_see_everything(world, who):
    user = f.HRAdminFactory() if who == "hr_admin" else f.UserFactory(is_superuser=True)
    assert visible(Program, user) == {world.program, world.other_program}
    assert Enrolment.objects.visible_to(user).count() == 3
    assert SponsorReview.objects.visible_to(user).count() == 2


@pytest.mark.parametrize("who", ["anonymous", "inactive"])
def test_anonymous_and_inactive_people_see_nothing(world, who):
    user = AnonymousUser() if who == "anonymous" else f.UserFactory(is_active=False)
    if who == "inactive":
        world.program.sponsors.add(user)
    assert not Program.objects.visible_to(user).exists()
    assert not Enrolment.objects.visible_to(user).exists()


def test_a_peer_observer_sees_what_they_observed_and_the_requests_addressed_to_them(world):
    peer = world.peer
    observation = f.ObservationFactory(
        enrolment=world.a.enrolment, observer=peer, performance_objective=world.po
    )
    feedback = f.FeedbackFactory(observation=observation, giver=peer)
    assert visible(Observation, peer) == {observation}
    assert visible(Feedback, peer) == {feedback}
    assert visible(PeerFeedbackRequest, peer) == {world.a.peer_request, world.b.peer_request}
    assert visible(Assessment, peer) == set()
    assert visible(Reflection, peer) == set()


def test_people_see_themselves_and_those_they_work_with_but_not_strangers(world):
    stranger = f.UserFactory(username="stranger")
    alice = world.a.learner
    assert visible(User, alice) == {alice, world.line_manager, world.a.supervisor, world.coach}
    assert visible(User, world.line_manager) == {world.line_manager, alice}
    assert stranger not in visible(User, world.owner)
    assert {alice, world.b.learner} <= visible(User, world.owner)


def test_no_row_repeats_when_a_person_holds_several_roles_at_once(world):
    both = world.owner
    world.program.sponsors.add(both)
    f.EnrolmentFactory(program=world.other_program, pathway=world.other.pathway, supervisor=both)
    enrolments = list(Enrolment.objects.visible_to(both))
    programs = list(Program.objects.visible_to(both))
    assert len(enrolments) == len(set(enrolments)) == 3
    assert len(programs) == len(set(programs)) == 2


@pytest.mark.parametrize("size", [2, 50])
def test_visibility_costs_the_same_queries_at_any_size(
    size, django_assert_num_queries, django_user_model
):
    program = f.ProgramFactory()
    pathway = f.PathwayFactory(program=program)
    supervisor = f.UserFactory()
    program.sponsors.add(supervisor)
    for _ in range(size):
        f.EnrolmentFactory(program=program, pathway=pathway, supervisor=supervisor)
    supervisor = django_user_model.objects.get(pk=supervisor.pk)  # no cached permissions
    with django_assert_num_queries(4):
        # two for the person's permissions (are they an HR admin?), then one per list
        assert len(list(Enrolment.objects.visible_to(supervisor))) == size
        assert len(list(Program.objects.visible_to(supervisor))) == 1


# Permissions on one object: (perm, who is allowed, who is refused, object).
PERMISSIONS = [
    ("programs.add_program", "owner", "sponsor", None),
    ("programs.add_program", "hr_admin", "a_supervisor", None),
    ("programs.view_program", "sponsor", "stranger", "program"),
    ("programs.change_program", "owner", "sponsor", "program"),
    ("programs.enrol_learners", "owner", "a_supervisor", "program"),
    ("objectives.change_framework", "hr_admin", "owner", None),
    ("programs.view_enrolment", "line_manager", "b_learner", "a_enrolment"),
    ("programs.change_enrolment", "owner", "a_supervisor", "a_enrolment"),
    ("programs.submit_evidence", "a_learner", "a_supervisor", "a_enrolment"),
    ("coaching.write_reflection", "a_learner", "coach", "a_enrolment"),
    ("measurement.self_assess", "a_learner", "b_learner", "a_enrolment"),
    ("coaching.log_observation", "a_supervisor", "a_learner", "a_enrolment"),
    ("coaching.log_observation", "coach", "b_supervisor", "a_enrolment"),
    ("coaching.run_debrief", "line_manager", "sponsor", "a_enrolment"),
    ("coaching.hold_session", "coach", "b_learner", "a_enrolment"),
    ("coaching.request_peer_feedback", "a_learner", "b_learner", "a_enrolment"),
    ("measurement.assess", "a_supervisor", "a_learner", "a_enrolment"),
    ("coaching.change_observation", "a_supervisor", "owner", "a_observation"),
    ("coaching.give_feedback", "a_supervisor", "b_supervisor", "a_observation"),
    ("measurement.record_measurement", "owner", "sponsor", "program"),
    ("measurement.tell_story", "owner", "sponsor", "program"),
    ("measurement.tell_story", "owner", "a_learner", "program"),
    ("measurement.review_program", "sponsor", "owner", "program"),
]


def _resolve(world, name):
    if name is None:
        return None
    if name == "hr_admin":
        return f.HRAdminFactory()
    if name == "stranger":
        return f.UserFactory()
    if name[:2] in ("a_", "b_"):
        return getattr(getattr(world, name[0]), name[2:])
    return getattr(world, name)


@pytest.mark.parametrize(("perm", "allowed", "refused", "obj"), PERMISSIONS)
def test_each_permission_allows_its_role_and_refuses_another(world, perm, allowed, refused, obj):
    target = _resolve(world, obj)
    assert _resolve(world, allowed).has_perm(perm, target)
    assert not _resolve(world, refused).has_perm(perm, target)


def test_an_hr_admin_holds_every_design_and_coaching_permission(world):
    admin = f.HRAdminFactory()
    for perm in (
        "programs.change_program",
        "programs.enrol_learners",
        "coaching.log_observation",
        "measurement.review_program",
        "measurement.tell_story",
    ):
        target = (
            world.program if perm.startswith(("programs", "measurement")) else world.a.enrolment
        )
        assert admin.has_perm(perm, target), perm


@pytest.mark.parametrize("person", ["learner", "supervisor", "coach", "line_manager", "owner"])
def test_whoever_follows_an_enrolment_sees_its_program_and_its_objectives(world, person):
    user = {
        "learner": world.a.learner,
        "supervisor": world.a.supervisor,
        "coach": world.coach,
        "line_manager": world.line_manager,
        "owner": world.owner,
    }[person]
    assert visible(Program, user) == {world.program}
    assert visible(PerformanceObjective, user) == {world.po}
    assert visible(LearningObjective, user) == {world.lo}
    assert visible(Program, world.peer) == set()
