"""The designer's pages: backwards design, pathway builder, enrolment and the audit."""

import datetime as dt

import pytest
from django.urls import reverse

from objectives.models import LearningObjective, PerformanceObjective
from programs.models import Enrolment, Pathway, Program, Step
from tests import factories as f

pytestmark = pytest.mark.django_db

SMART = {
    "statement": "Participants will deliver feedback within 24 hours of observing a behavior",
    "action": "deliver feedback",
    "condition": "after observing a team member's behaviour",
    "measure": "hours from the behaviour to the feedback",
    "measure_unit": "hours",
    "target_comparator": "lte",
    "target_value": "24",
    "time_window": "24",
    "time_window_anchor": "of observing the behaviour",
    "evidence_method": "observation",
    "feedback_window": "24",
}


@pytest.fixture
def program():
    program = f.ProgramFactory()
    f.PathwayFactory(program=program)
    return program


@pytest.fixture
def designer(client, program):
    client.force_login(program.owner)
    return program.owner


def test_the_design_home_lists_the_programs_a_person_designs(client, designer, program):
    other = f.ProgramFactory(name="Not mine")
    response = client.get(reverse("design:home"))
    assert program.name in response.text
    assert other.name not in response.text


@pytest.mark.parametrize("size", [2, 50])
def test_design_pages_run_the_same_queries_at_any_size(
    client, designer, program, django_assert_num_queries, size
):
    pathway = program.pathways.get()
    for n in range(size):
        po = f.PerformanceObjectiveFactory(program=program)
        lo = f.LearningObjectiveFactory(program=program)
        po.learning_objectives.add(lo)
        step = f.StepFactory(pathway=pathway, position=n + 1)
        step.performance_objectives.add(po)
        f.EnrolmentFactory(program=program, pathway=pathway)
    with django_assert_num_queries(7):
        assert client.get(reverse("design:home")).status_code == 200
    with django_assert_num_queries(28):
        assert client.get(reverse("design:program", args=[program.pk])).status_code == 200
    with django_assert_num_queries(17):
        assert client.get(reverse("design:audit", args=[program.pk])).status_code == 200
    with django_assert_num_queries(12):
        assert client.get(reverse("design:enrol", args=[program.pk])).status_code == 200


def test_people_who_may_not_design_a_program_are_refused(client, program):
    enrolment = f.EnrolmentFactory(program=program, pathway=program.pathways.get())
    url = reverse("design:program", args=[program.pk])
    client.force_login(f.UserFactory())
    assert client.get(url).status_code == 404
    client.force_login(enrolment.learner)  # sees the program, may not change it
    assert client.get(url).status_code == 403
    response = client.post(reverse("design:objective_new", args=[program.pk]), SMART)
    assert response.status_code == 403
    assert not PerformanceObjective.objects.exists()
    assert client.get(reverse("design:program_new")).status_code == 403


def test_an_hr_admin_starts_a_program(client):
    client.force_login(f.HRAdminFactory())
    data = {
        "name": "Coaching Basics",
        "slug": "coaching-basics",
        "business_goal": "Retention",
        "starts_on": "2026-12-01",
        "status": "draft",
        "cost": "0",
        "currency": "EUR",
    }
    response = client.post(reverse("design:program_new"), {**data, "ends_on": "2026-11-01"})
    assert "A program cannot end before it starts." in response.text
    assert not Program.objects.filter(slug="coaching-basics").exists()
    response = client.post(reverse("design:program_new"), data)
    program = Program.objects.get(slug="coaching-basics")
    assert response["Location"] == reverse("design:program", args=[program.pk])


def test_a_vague_performance_objective_says_what_is_missing_and_keeps_the_text(
    client, designer, program
):
    response = client.post(
        reverse("design:objective_new", args=[program.pk]),
        {
            "statement": "Participants will understand feedback",
            "action": "understand feedback",
            "feedback_window": "24",
        },
    )
    assert response.status_code == 200
    text = response.text
    assert "Participants will understand feedback" in text
    assert "&#x27;understand&#x27; cannot be observed" in text
    assert "State the condition" in text
    assert "Say what is measured" in text
    assert "Make it time-bound" in text
    assert "Choose how it will be evidenced" in text
    assert not PerformanceObjective.objects.exists()


def test_the_smart_check_answers_while_typing_without_saving(client, designer, program):
    response = client.post(
        reverse("design:objective_check", args=[program.pk]),
        {
            "statement": "Participants will deliver feedback",
            "action": "deliver feedback",
            "feedback_window": "24",
        },
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith("<form")
    assert "State the condition" in response.text
    assert "cannot be observed" not in response.text
    assert not PerformanceObjective.objects.exists()


def test_a_smart_objective_is_saved_then_its_learning_objective(client, designer, program):
    metric = f.OutcomeMetricFactory(program=program)
    response = client.post(
        reverse("design:objective_new", args=[program.pk]),
        {**SMART, "outcome_metrics": [metric.pk]},
    )
    objective = PerformanceObjective.objects.get()
    assert objective.time_window == dt.timedelta(hours=24)
    assert list(objective.outcome_metrics.all()) == [metric]
    learning_url = reverse("design:learning_new", args=[program.pk, objective.pk])
    assert response["Location"] == learning_url
    assert "What do they need to understand" in client.get(learning_url).text
    competency = f.CompetencyFactory()
    response = client.post(
        learning_url,
        {
            "statement": "",
            "competency": competency.pk,
            "bloom_level": "analyze",
            "assessment_method": "quiz",
        },
    )
    assert "This field is required." in response.text
    assert not LearningObjective.objects.exists()
    client.post(
        learning_url,
        {
            "statement": "Why timely feedback works",
            "competency": competency.pk,
            "bloom_level": "analyze",
            "assessment_method": "quiz",
        },
    )
    assert list(objective.learning_objectives.values_list("statement", flat=True)) == [
        "Why timely feedback works"
    ]


def test_adding_a_step_to_a_published_pathway_starts_a_new_version(client, designer, program):
    published = program.pathways.get()
    first = f.StepFactory(pathway=published, position=1, title="Old step")
    enrolment = f.EnrolmentFactory(program=program, pathway=published)
    po = f.PerformanceObjectiveFactory(program=program)
    response = client.post(
        reverse("design:step_new", args=[program.pk]),
        {
            "kind": "role_play",
            "title": "Role-play",
            "difficulty": "2",
            "performance_objectives": [po.pk],
        },
    )
    assert response.status_code == 302
    draft = program.pathways.get(version=2)
    assert draft.status == Pathway.Status.DRAFT
    assert list(draft.steps.values_list("title", flat=True)) == ["Old step", "Role-play"]
    assert list(published.steps.all()) == [first]
    client.post(reverse("design:pathway_publish", args=[program.pk, draft.pk]))
    draft.refresh_from_db()
    published.refresh_from_db()
    assert (draft.status, published.status) == ("published", "retired")
    enrolment.refresh_from_db()
    assert enrolment.pathway == published


def test_a_bad_evidence_rule_is_refused_with_its_message(client, designer, program):
    response = client.post(
        reverse("design:step_new", args=[program.pk]),
        {
            "kind": "on_the_job",
            "title": "On the job",
            "difficulty": "3",
            "gate_min_observations": "3",
        },
    )
    assert "An evidence rule needs" in response.text
    assert "On the job" in response.text
    assert not Step.objects.exists()


def test_steps_are_reordered_and_removed_only_in_a_draft(client, designer, program):
    draft = f.PathwayFactory(program=program, version=2, status="draft", published_at=None)
    a = f.StepFactory(pathway=draft, position=1, title="A")
    b = f.StepFactory(pathway=draft, position=2, title="B")
    client.post(reverse("design:step_move", args=[program.pk, b.pk, "up"]))
    assert list(draft.steps.order_by("position").values_list("title", flat=True)) == ["B", "A"]
    client.post(reverse("design:step_delete", args=[program.pk, a.pk]))
    assert list(draft.steps.values_list("title", flat=True)) == ["B"]
    assert (
        client.post(reverse("design:step_move", args=[program.pk, b.pk, "sideways"])).status_code
        == 404
    )
    old = f.StepFactory(pathway=program.pathways.get(version=1), position=1, title="Kept")
    response = client.post(reverse("design:step_delete", args=[program.pk, old.pk]), follow=True)
    assert "start a new version" in response.text
    assert Step.objects.filter(pk=old.pk).exists()


def test_a_cohort_is_enrolled_with_line_managers_as_supervisors(client, designer, program):
    boss = f.UserFactory()
    learners = [f.UserFactory(manager=boss) for _ in range(3)]
    response = client.post(
        reverse("design:enrol", args=[program.pk]),
        {"learners": [u.pk for u in learners], "new_cohort": "Spring", "enrolled_on": "2026-03-01"},
    )
    assert response.status_code == 302
    enrolments = Enrolment.objects.filter(program=program)
    assert enrolments.count() == 3
    assert {e.supervisor for e in enrolments} == {boss}
    assert {e.cohort.name for e in enrolments} == {"Spring"}


def test_enrolling_someone_twice_names_them_and_enrols_nobody(client, designer, program):
    already = f.EnrolmentFactory(program=program, pathway=program.pathways.get()).learner
    newcomer = f.UserFactory()
    response = client.post(
        reverse("design:enrol", args=[program.pk]),
        {"learners": [newcomer.pk, already.pk], "enrolled_on": "2026-03-01"},
    )
    assert f"{already}: This person is already enrolled in this program." in response.text
    assert not Enrolment.objects.filter(learner=newcomer).exists()


def test_the_audit_lists_breaks_with_links_and_says_when_clean(client, designer, program):
    po = PerformanceObjective.objects.create(program=program, statement="Understand feedback")
    response = client.get(reverse("design:audit", args=[program.pk]))
    assert "is not observable and measurable yet" in response.text
    assert reverse("design:objective_edit", args=[program.pk, po.pk]) in response.text

    clean = f.ProgramFactory()
    pathway = f.PathwayFactory(program=clean)
    good = f.PerformanceObjectiveFactory(program=clean)
    lo = f.LearningObjectiveFactory(program=clean)
    good.learning_objectives.add(lo)
    f.OutcomeMetricFactory(program=clean).performance_objectives.add(good)
    step = f.StepFactory(pathway=pathway)
    step.performance_objectives.add(good)
    step.learning_objectives.add(lo)
    client.force_login(clean.owner)
    assert "Line of sight is unbroken" in client.get(reverse("design:audit", args=[clean.pk])).text
