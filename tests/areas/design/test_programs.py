"""The designer's pages: backwards design, pathway builder, enrolment and the audit."""

import datetime as dt
import re
from collections import Counter

import pytest
from django.urls import reverse

from objectives.models import LearningObjective, PerformanceObjective
from programs.audit import program_audit
from programs.models import Cohort, Enrolment, Pathway, Program, Step
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
VAGUE = {
    "statement": "Participants will understand feedback",
    "action": "understand feedback",
    "feedback_window": "24",
}
PROGRAM = {
    "name": "Coaching Basics",
    "slug": "coaching-basics",
    "business_goal": "Keep new managers in post for a year.",
    "starts_on": "2026-12-01",
    "status": "draft",
    "cost": "0",
    "currency": "EUR",
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


@pytest.fixture
def parts(program):
    """One of everything a designer edits inside the program."""
    po = f.PerformanceObjectiveFactory(program=program)
    lo = f.LearningObjectiveFactory(program=program)
    po.learning_objectives.add(lo)
    step = f.StepFactory(pathway=program.pathways.get(), position=1)
    return {"po": po, "lo": lo, "step": step, "pathway": program.pathways.get()}


def _program_urls(program, parts):
    pk = program.pk
    return [
        ("get", reverse("design:program", args=[pk])),
        ("get", reverse("design:program_edit", args=[pk])),
        ("get", reverse("design:objective_new", args=[pk])),
        ("post", reverse("design:objective_check", args=[pk])),
        ("get", reverse("design:objective_edit", args=[pk, parts["po"].pk])),
        ("get", reverse("design:learning_new", args=[pk, parts["po"].pk])),
        ("get", reverse("design:learning_edit", args=[pk, parts["lo"].pk])),
        ("get", reverse("design:step_new", args=[pk])),
        ("get", reverse("design:step_edit", args=[pk, parts["step"].pk])),
        ("post", reverse("design:step_move", args=[pk, parts["step"].pk, "up"])),
        ("post", reverse("design:step_delete", args=[pk, parts["step"].pk])),
        ("post", reverse("design:pathway_new", args=[pk])),
        ("post", reverse("design:pathway_publish", args=[pk, parts["pathway"].pk])),
        ("get", reverse("design:enrol", args=[pk])),
        ("get", reverse("design:audit", args=[pk])),
        ("get", reverse("design:audit_summary", args=[pk])),
        ("get", reverse("design:calibration", args=[pk])),
    ]


# Access


def test_anonymous_visitors_are_sent_to_log_in_from_every_design_page(client, program, parts):
    urls = [
        ("get", reverse("design:home")),
        ("get", reverse("design:program_new")),
        ("get", reverse("design:people_search")),
        *_program_urls(program, parts),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_program_is_not_found_by_someone_unrelated_to_it(client, program, parts):
    client.force_login(f.UserFactory())
    for method, url in _program_urls(program, parts):
        assert getattr(client, method)(url).status_code == 404, url
    assert Step.objects.filter(pk=parts["step"].pk).exists()


def test_a_learner_or_sponsor_who_sees_the_program_may_not_design_it(client, program, parts):
    learner = f.EnrolmentFactory(program=program, pathway=parts["pathway"]).learner
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    for person in (learner, sponsor):
        client.force_login(person)
        for method, url in _program_urls(program, parts):
            assert getattr(client, method)(url).status_code == 403, url
    response = client.post(reverse("design:objective_new", args=[program.pk]), SMART)
    assert response.status_code == 403
    assert PerformanceObjective.objects.count() == 1
    assert Step.objects.filter(pk=parts["step"].pk).exists()


def test_someone_who_designs_nothing_has_no_design_area(client):
    client.force_login(f.UserFactory())
    assert client.get(reverse("design:home")).status_code == 403
    assert client.get(reverse("design:program_new")).status_code == 403
    assert client.get(reverse("design:people_search"), {"q": "a"}).status_code == 403
    response = client.post(reverse("design:program_new"), PROGRAM)
    assert response.status_code == 403
    assert not Program.objects.exists()


def test_an_owner_cannot_reach_another_owners_program_through_their_own(client, designer, program):
    other = f.ProgramFactory()
    theirs = f.PerformanceObjectiveFactory(program=other)
    url = reverse("design:objective_edit", args=[program.pk, theirs.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, SMART).status_code == 404
    theirs.refresh_from_db()
    assert theirs.statement != SMART["statement"]


# The design home


def test_the_design_home_lists_the_programs_a_person_designs(client, designer, program):
    other = f.ProgramFactory(name="Not mine")
    f.PathwayFactory(program=program, version=2, status="draft", published_at=None)
    f.PerformanceObjectiveFactory(program=program)
    f.EnrolmentFactory(program=program, pathway=program.pathways.get(version=1))
    f.EnrolmentFactory(program=program, pathway=program.pathways.get(version=1), status="withdrawn")
    response = client.get(reverse("design:home"))
    text = response.text
    assert program.name in text
    assert other.name not in text
    assert "v1 published" in text
    assert "v2 draft" in text
    row = response.context["programs"][0]
    assert (row.performance_count, row.learning_count, row.learners) == (1, 0, 1)
    assert reverse("design:audit_summary", args=[program.pk]) in text


def test_an_hr_admin_sees_every_program_on_the_design_home(client, program):
    client.force_login(f.HRAdminFactory())
    other = f.ProgramFactory(name="Somebody else")
    text = client.get(reverse("design:home")).text
    assert program.name in text
    assert other.name in text


def test_the_audit_badge_counts_the_breaks_of_one_program(client, designer, program):
    response = client.get(
        reverse("design:audit_summary", args=[program.pk]), HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "breaks" in response.text
    assert "<html" not in response.text


@pytest.mark.parametrize("size", [2, 50])
def test_the_design_home_runs_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    admin = f.HRAdminFactory()
    for _ in range(size):
        program = f.ProgramFactory()
        pathway = f.PathwayFactory(program=program)
        f.PerformanceObjectiveFactory(program=program)
        f.LearningObjectiveFactory(program=program)
        f.EnrolmentFactory(program=program, pathway=pathway)
    client.force_login(admin)
    # session, user, roles (the page's, and the navigation's with the unread count),
    # permissions, the list
    with django_assert_num_queries(7):
        assert client.get(reverse("design:home")).status_code == 200


def test_the_design_home_lists_the_programs_a_page_at_a_time(client, django_assert_num_queries):
    admin = f.HRAdminFactory()
    for n in range(51):
        f.ProgramFactory(name=f"Program {n:03}")
    client.force_login(admin)
    first = client.get(reverse("design:home")).text
    assert "Program 049" in first
    assert "Program 050" not in first
    assert 'href="?page=2">Next' in first
    with django_assert_num_queries(7):  # the same queries as the first page
        second = client.get(reverse("design:home"), {"page": 2}).text
    assert "Program 050" in second
    assert "Program 049" not in second


# Starting and changing a program


def test_an_hr_admin_starts_a_program_for_another_owner(client):
    client.force_login(f.HRAdminFactory())
    owner = f.UserFactory(email="Owner@Example.com")
    sponsor = f.UserFactory(employee_id="E-77")
    response = client.post(
        reverse("design:program_new"),
        {**PROGRAM, "owner": "owner@example.com", "sponsors": "E-77"},
    )
    program = Program.objects.get(slug="coaching-basics")
    assert response["Location"] == reverse("design:program", args=[program.pk])
    assert program.owner == owner
    assert list(program.sponsors.all()) == [sponsor]


def test_a_program_owner_starts_a_program_they_own_and_its_slug_follows_the_name(client, designer):
    response = client.post(
        reverse("design:program_new"), {**PROGRAM, "slug": "", "owner": "someone-else"}
    )
    program = Program.objects.get(name="Coaching Basics")
    assert response.status_code == 302
    assert program.slug == "coaching-basics"
    assert program.owner == designer  # only HR admins hand a program to someone else


def test_a_program_with_impossible_dates_or_unknown_people_is_not_saved(client):
    client.force_login(f.HRAdminFactory())
    response = client.post(
        reverse("design:program_new"),
        {**PROGRAM, "ends_on": "2026-11-01", "owner": "nobody-here", "sponsors": "ghost"},
    )
    text = response.text
    assert response.status_code == 200
    assert "Nobody active has this username, email or employee ID: nobody-here." in text
    assert "Nobody active has this username, email or employee ID: ghost." in text
    assert 'value="Coaching Basics"' in text
    assert not Program.objects.filter(slug="coaching-basics").exists()
    response = client.post(
        reverse("design:program_new"), {**PROGRAM, "ends_on": "2026-11-01", "owner": ""}
    )
    assert "This field is required." in response.text
    response = client.post(
        reverse("design:program_new"),
        {**PROGRAM, "ends_on": "2026-11-01", "owner": f.UserFactory().username},
    )
    assert response.context["form"].errors["ends_on"] == ["A program cannot end before it starts."]
    assert not response.context["form"].non_field_errors()
    assert not Program.objects.filter(slug="coaching-basics").exists()


def test_a_designer_edits_the_program_but_not_its_framework_once_objectives_use_it(
    client, designer, program
):
    framework = f.FrameworkFactory()
    program.framework = framework
    program.save()
    f.LearningObjectiveFactory(program=program, competency=f.CompetencyFactory(framework=framework))
    url = reverse("design:program_edit", args=[program.pk])
    data = {**PROGRAM, "slug": program.slug, "framework": f.FrameworkFactory().pk}
    response = client.post(url, data)
    assert "Learning objectives already use this program&#x27;s framework" in response.text
    program.refresh_from_db()
    assert program.framework == framework
    response = client.post(url, {**data, "framework": framework.pk, "name": "Renamed"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert program.name == "Renamed"


def test_changing_the_competency_rule_says_the_learners_move_and_returns_to_the_rule(
    client, designer, program, django_capture_on_commit_callbacks
):
    url = reverse("design:program_edit", args=[program.pk])
    page = reverse("design:program", args=[program.pk])
    same_rule = {**PROGRAM, "slug": program.slug, "competency_needs_objectives": "on"}

    with django_capture_on_commit_callbacks() as unchanged:
        response = client.post(url, {**same_rule, "name": "Renamed"}, follow=True)
    assert response.redirect_chain == [(page, 302)]
    assert [str(m) for m in response.context["messages"]] == ["Program saved."]
    assert unchanged == []
    with django_capture_on_commit_callbacks() as evaluated:
        response = client.post(
            url,
            {k: v for k, v in same_rule.items() if k != "competency_needs_objectives"},
            follow=True,
        )

    assert response.redirect_chain == [(page + "#competency-rule", 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "Program saved. Its learners are being evaluated against the new competency rule and "
        "will move within a few minutes."
    ]
    assert len(evaluated) == 1  # the learners' evaluation, queued once the change commits
    assert '<section class="mt-4" id="competency-rule"' in response.text
    assert "when they complete the pathway" in response.text


def _framework_on_four_levels(program):
    framework = f.FrameworkFactory()
    competency = f.CompetencyFactory(framework=framework, name="Giving feedback")
    program.framework = framework
    program.save()
    return f.LearningObjectiveFactory(program=program, competency=competency)


def test_an_assessed_level_above_the_scale_is_refused_beside_it_and_kept_as_typed(
    client, designer, program
):
    _framework_on_four_levels(program)
    url = reverse("design:program_edit", args=[program.pk])
    data = {
        **PROGRAM,
        "slug": program.slug,
        "framework": program.framework_id,
        "name": "Renamed",
        "competency_min_rank": "9",
    }

    response = client.post(url, data)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "competency_min_rank": ["The scale of Giving feedback goes up to level 4."]
    }
    assert 'name="competency_min_rank" value="9"' in response.text
    assert 'value="Renamed"' in response.text
    program.refresh_from_db()
    assert program.name != "Renamed"
    assert program.competency_min_rank is None
    response = client.post(url, {**data, "competency_min_rank": "4"})
    assert response.status_code == 302
    program.refresh_from_db()
    assert (program.name, program.competency_min_rank) == ("Renamed", 4)


def test_a_steps_assessed_level_above_the_scale_is_refused_beside_it(client, designer, program):
    lo = _framework_on_four_levels(program)
    data = {
        "kind": "checkpoint_review",
        "title": "Checkpoint with your supervisor",
        "difficulty": "3",
        "learning_objectives": [lo.pk],
        "completed_by": "assessment",
        "assessment_min_rank": "9",
    }

    response = client.post(reverse("design:step_new", args=[program.pk]), data)

    assert response.context["form"].errors == {
        "assessment_min_rank": ["The scale of Giving feedback goes up to level 4."]
    }
    assert 'name="assessment_min_rank" value="9"' in response.text
    assert 'value="Checkpoint with your supervisor"' in response.text
    assert not Step.objects.exists()
    assert program.pathways.count() == 1  # the draft started for it was rolled back
    response = client.post(
        reverse("design:step_new", args=[program.pk]), {**data, "assessment_min_rank": "4"}
    )
    assert response.status_code == 302
    assert Step.objects.get().assessment_min_rank == 4


# Performance objectives first


def test_a_vague_performance_objective_says_what_is_missing_and_keeps_the_text(
    client, designer, program
):
    response = client.post(reverse("design:objective_new", args=[program.pk]), VAGUE)
    assert response.status_code == 200
    text = response.text
    assert "Participants will understand feedback" in text
    assert "Not yet SMART." in text
    assert "&#x27;understand&#x27; cannot be observed" in text
    assert "State the condition" in text
    assert "Say what is measured" in text
    assert "Make it time-bound" in text
    assert "Choose how it will be evidenced" in text
    assert not PerformanceObjective.objects.exists()


def test_each_missing_part_sits_in_the_box_next_to_its_field(client, designer, program):
    response = client.post(reverse("design:objective_new", args=[program.pk]), VAGUE)
    form = response.context["form"]
    assert "State the condition" in form.errors["condition"][0]
    text = response.text
    condition_box = text[text.index('id="check-condition"') :]
    assert condition_box.split("</div>")[0].count("State the condition") == 1
    assert 'aria-describedby="check-condition id_condition_helptext"' in text


def test_the_smart_check_answers_while_typing_with_only_the_message_boxes(
    client, designer, program
):
    response = client.post(
        reverse("design:objective_check", args=[program.pk]),
        {
            "statement": "Participants will deliver feedback",
            "action": "deliver feedback",
            "feedback_window": "24",
        },
        HTTP_HX_REQUEST="true",
    )
    text = response.text
    assert response.status_code == 200
    assert "<input" not in text
    assert "<textarea" not in text
    assert 'id="check-condition" class="smart-check" hx-swap-oob="true"' in text
    assert 'id="smart-summary"' in text
    assert "State the condition" in text
    assert "cannot be observed" not in text
    assert not PerformanceObjective.objects.exists()
    done = client.post(reverse("design:objective_check", args=[program.pk]), SMART)
    assert "observable, measurable and time-bound" in done.text
    assert not PerformanceObjective.objects.exists()


def test_a_smart_objective_is_saved_with_its_metrics_then_its_learning_objective(
    client, designer, program
):
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
    lo = {
        "statement": "",
        "competency": competency.pk,
        "bloom_level": "analyze",
        "assessment_method": "quiz",
    }
    response = client.post(learning_url, lo)
    assert "This field is required." in response.text
    assert not LearningObjective.objects.exists()
    response = client.post(learning_url, {**lo, "statement": "Why timely feedback works"})
    assert response["Location"] == (
        reverse("design:program", args=[program.pk]) + f"#po-{objective.pk}"
    )
    assert list(objective.learning_objectives.values_list("statement", flat=True)) == [
        "Why timely feedback works"
    ]


def test_an_objective_cannot_be_tied_to_another_programs_metric(client, designer, program):
    elsewhere = f.OutcomeMetricFactory()
    response = client.post(
        reverse("design:objective_new", args=[program.pk]),
        {**SMART, "outcome_metrics": [elsewhere.pk]},
    )
    assert "Select a valid choice." in response.text
    assert not PerformanceObjective.objects.exists()


def test_editing_an_objective_keeps_it_smart_and_changes_its_metrics(
    client, designer, program, parts
):
    po = parts["po"]
    metric = f.OutcomeMetricFactory(program=program)
    url = reverse("design:objective_edit", args=[program.pk, po.pk])
    assert metric.name in client.get(url).text
    response = client.post(url, {**SMART, "evidence_method": "", "outcome_metrics": [metric.pk]})
    assert "Choose how it will be evidenced" in response.text
    po.refresh_from_db()
    assert po.evidence_method == "observation"
    assert not po.outcome_metrics.exists()
    response = client.post(url, {**SMART, "target_value": "12", "outcome_metrics": [metric.pk]})
    assert response["Location"].endswith(f"#po-{po.pk}")
    po.refresh_from_db()
    assert po.target_value == 12
    assert list(po.outcome_metrics.all()) == [metric]


def test_a_learning_objective_is_linked_to_more_performance_objectives(
    client, designer, program, parts
):
    second = f.PerformanceObjectiveFactory(program=program, statement="Cite specific examples.")
    lo = parts["lo"]
    url = reverse("design:learning_edit", args=[program.pk, lo.pk])
    assert "Cite specific examples." in client.get(url).text
    data = {
        "statement": lo.statement,
        "competency": lo.competency_id,
        "bloom_level": "evaluate",
        "assessment_method": "discussion",
        "performance_objectives": [parts["po"].pk, second.pk],
    }
    response = client.post(url, {**data, "bloom_level": "guess"})
    assert "Select a valid choice." in response.text
    assert lo.performance_objectives.count() == 1
    client.post(url, data)
    lo.refresh_from_db()
    assert lo.bloom_level == "evaluate"
    assert set(lo.performance_objectives.all()) == {parts["po"], second}


def test_learning_objectives_offer_only_the_programs_framework(client, designer, program):
    framework = f.FrameworkFactory()
    program.framework = framework
    program.save()
    ours = f.CompetencyFactory(framework=framework, name="Ours")
    theirs = f.CompetencyFactory(name="Theirs")
    po = f.PerformanceObjectiveFactory(program=program)
    url = reverse("design:learning_new", args=[program.pk, po.pk])
    text = client.get(url).text
    assert str(ours) in text
    assert str(theirs) not in text
    response = client.post(
        url,
        {
            "statement": "Why it works",
            "competency": theirs.pk,
            "bloom_level": "apply",
            "assessment_method": "quiz",
        },
    )
    assert "Select a valid choice." in response.text
    assert "Why it works" in response.text
    assert not LearningObjective.objects.exists()


# The pathway builder


def test_adding_a_step_to_a_published_pathway_starts_a_new_version(client, designer, program):
    published = program.pathways.get()
    first = f.StepFactory(pathway=published, position=1, title="Old step")
    enrolment = f.EnrolmentFactory(program=program, pathway=published)
    po = f.PerformanceObjectiveFactory(program=program)
    assert (
        "this step starts version 2"
        in client.get(reverse("design:step_new", args=[program.pk])).text
    )
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


def test_a_bad_evidence_rule_is_refused_with_its_message_and_no_new_version(
    client, designer, program
):
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
    assert 'value="On the job"' in response.text
    assert not Step.objects.exists()
    assert program.pathways.count() == 1  # the draft started for it was rolled back


def test_a_step_for_an_objective_comes_with_it_and_its_why_ticked(client, designer, program, parts):
    f.StepFactory(pathway=parts["pathway"], position=2, difficulty=3)
    response = client.get(reverse("design:step_new", args=[program.pk]), {"serves": parts["po"].pk})
    form = response.context["form"]
    assert form.initial["performance_objectives"] == [parts["po"]]
    assert form.initial["learning_objectives"] == [parts["lo"]]
    assert form.initial["difficulty"] == 3  # as hard as the last step, never easier
    assert parts["lo"].statement in response.text  # whole statements, not cut short


def test_a_step_of_a_published_version_is_read_only(client, designer, program, parts):
    url = reverse("design:step_edit", args=[program.pk, parts["step"].pk])
    text = client.get(url).text
    assert "learners are on it, so it stays as it is" in text
    assert "Start version 2" in text
    response = client.post(url, {"kind": "role_play", "title": "Changed", "difficulty": "1"})
    assert "start a new version" in response.text
    parts["step"].refresh_from_db()
    assert parts["step"].title != "Changed"


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


def test_the_program_page_shows_each_version_and_who_is_on_it(client, designer, program, parts):
    f.EnrolmentFactory(program=program, pathway=parts["pathway"])
    client.post(reverse("design:pathway_new", args=[program.pk]))
    text = client.get(reverse("design:program", args=[program.pk])).text
    assert "Version 2: draft, 0 learners" in text
    assert "Version 1: published, 1 learner" in text
    assert "those on earlier versions keep theirs" in text


@pytest.mark.parametrize("size", [2, 50])
def test_program_and_audit_pages_run_the_same_queries_at_any_size(
    client, designer, program, django_assert_num_queries, size
):
    pathway = program.pathways.get()
    for n in range(size):
        po = f.PerformanceObjectiveFactory(program=program)
        lo = f.LearningObjectiveFactory(program=program)
        po.learning_objectives.add(lo)
        f.OutcomeMetricFactory(program=program).performance_objectives.add(po)
        step = f.StepFactory(pathway=pathway, position=n + 1)
        step.performance_objectives.add(po)
        f.EnrolmentFactory(program=program, pathway=pathway)
    with django_assert_num_queries(16):
        assert client.get(reverse("design:program", args=[program.pk])).status_code == 200
    with django_assert_num_queries(15):
        assert client.get(reverse("design:audit", args=[program.pk])).status_code == 200
    with django_assert_num_queries(14):
        assert client.get(reverse("design:audit_summary", args=[program.pk])).status_code == 200


@pytest.mark.parametrize("size", [2, 50])
def test_the_step_and_objective_forms_run_the_same_queries_at_any_size(
    client, designer, program, django_assert_num_queries, size
):
    pathway = program.pathways.get()
    for n in range(size):
        po = f.PerformanceObjectiveFactory(program=program)
        po.learning_objectives.add(f.LearningObjectiveFactory(program=program))
        f.OutcomeMetricFactory(program=program).performance_objectives.add(po)
        f.StepFactory(pathway=pathway, position=n + 1)
    objective = program.performance_objectives.first()
    # the page shell (5: session, user, permissions, the navigation), the program; the last
    # step's difficulty, the newest version, and the objectives to tick (2)
    with django_assert_num_queries(10):
        assert client.get(reverse("design:step_new", args=[program.pk])).status_code == 200
    # the shell and the program; the objective, the metrics to tick and those it moves
    # (the choices are read twice to render them), and the learning objectives behind it
    with django_assert_num_queries(11):
        response = client.get(reverse("design:objective_edit", args=[program.pk, objective.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [2, 50])
def test_the_new_program_form_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, size
):
    for _ in range(size):
        f.ProgramFactory()
    client.force_login(f.HRAdminFactory())
    # the page shell (6, with the design area's rule) and the frameworks to choose from
    with django_assert_num_queries(7):
        assert client.get(reverse("design:program_new")).status_code == 200


# Enrolment


def test_a_cohort_is_enrolled_with_line_managers_as_supervisors(client, designer, program):
    boss = f.UserFactory()
    learners = [f.UserFactory(manager=boss) for _ in range(3)]
    learners[1].employee_id = "E-2"
    learners[1].save()
    listed = f"{learners[0].username}\nE-2, {learners[2].email.upper()}"
    response = client.post(
        reverse("design:enrol", args=[program.pk]),
        {"learners": listed, "new_cohort": "Spring", "enrolled_on": "2026-03-01"},
        follow=True,
    )
    assert "Enrolled 3 learners on pathway version 1." in response.text
    enrolments = Enrolment.objects.filter(program=program)
    assert {e.learner for e in enrolments} == set(learners)
    assert {e.supervisor for e in enrolments} == {boss}
    assert {e.cohort.name for e in enrolments} == {"Spring"}


def test_one_learner_is_enrolled_with_a_named_supervisor_and_coach(client, designer, program):
    learner = f.UserFactory()
    supervisor = f.UserFactory(email="sup@example.com")
    coach = f.UserFactory(employee_id="C-1")
    client.post(
        reverse("design:enrol", args=[program.pk]),
        {
            "learners": learner.username,
            "supervisor": "sup@example.com",
            "coach": "C-1",
            "enrolled_on": "2026-03-01",
        },
    )
    enrolment = Enrolment.objects.get(learner=learner)
    assert (enrolment.supervisor, enrolment.coach) == (supervisor, coach)
    assert enrolment.pathway == program.pathways.get()


def test_enrolling_someone_twice_names_them_and_enrols_nobody(client, designer, program):
    already = f.EnrolmentFactory(program=program, pathway=program.pathways.get()).learner
    newcomer = f.UserFactory()
    response = client.post(
        reverse("design:enrol", args=[program.pk]),
        {
            "learners": f"{newcomer.username}\n{already.username}",
            "new_cohort": "Autumn",
            "enrolled_on": "2026-03-01",
        },
    )
    form = response.context["form"]
    assert form.errors["learners"] == [
        f"{already}: This person is already enrolled in this program."
    ]
    assert newcomer.username in response.text  # what was typed stays
    assert not Enrolment.objects.filter(learner=newcomer).exists()
    assert not Cohort.objects.filter(name="Autumn").exists()


def test_unknown_people_and_a_taken_cohort_name_are_reported_beside_their_fields(
    client, designer, program
):
    f.CohortFactory(program=program, name="Spring")
    learner = f.UserFactory()
    url = reverse("design:enrol", args=[program.pk])
    response = client.post(
        url, {"learners": "ghost", "supervisor": "two words", "enrolled_on": "2026-03-01"}
    )
    form = response.context["form"]
    assert form.errors["learners"] == [
        "Nobody active has this username, email or employee ID: ghost."
    ]
    assert form.errors["supervisor"] == ["Name one person: their username, email or employee ID."]
    response = client.post(
        url, {"learners": learner.username, "new_cohort": "Spring", "enrolled_on": "2026-03-01"}
    )
    assert response.context["form"].errors["new_cohort"] == [
        "This program already has a cohort with that name."
    ]
    assert not Enrolment.objects.exists()


def test_an_enrolment_before_the_program_starts_is_refused_beside_the_date(
    client, designer, program
):
    program.name, program.starts_on = "Feedback on the job", dt.date(2026, 1, 10)
    program.save()
    learner = f.UserFactory()
    url = reverse("design:enrol", args=[program.pk])
    data = {"learners": learner.username, "new_cohort": "Pilot", "enrolled_on": "2025-06-01"}

    response = client.post(url, data)

    assert response.context["form"].errors == {
        "enrolled_on": ["Feedback on the job starts on 10 Jan 2026: enrol from that day on."]
    }
    assert 'value="2025-06-01"' in response.text
    assert learner.username in response.text
    assert not Enrolment.objects.exists()
    assert not Cohort.objects.exists()
    assert client.post(url, {**data, "enrolled_on": "2026-01-10"}).status_code == 302
    assert Enrolment.objects.get().enrolled_on == dt.date(2026, 1, 10)


def test_without_a_published_pathway_nobody_can_be_enrolled(client, designer):
    program = f.ProgramFactory(owner=designer)
    f.PathwayFactory(program=program, status="draft", published_at=None)
    url = reverse("design:enrol", args=[program.pk])
    assert "Publish the pathway" in client.get(url).text
    learner = f.UserFactory()
    response = client.post(url, {"learners": learner.username, "enrolled_on": "2026-03-01"})
    assert "Publish the program&#x27;s pathway before enrolling learners." in response.text
    assert not Enrolment.objects.exists()


def test_the_roster_shows_who_keeps_an_earlier_version(client, designer, program):
    old = program.pathways.get()
    kept = f.EnrolmentFactory(program=program, pathway=old)
    old.status = "retired"
    old.save()
    f.PathwayFactory(program=program, version=2)
    text = client.get(reverse("design:enrol", args=[program.pk])).text
    assert "New learners start on pathway version 2" in text
    row = re.search(rf">{re.escape(str(kept.learner))}</a>.*?</tr>", text, re.DOTALL).group(0)
    assert re.search(r">\s*v1\s*<span[^>]*>earlier version</span>", row)


@pytest.mark.parametrize("size", [2, 50])
def test_the_enrol_page_runs_the_same_queries_at_any_size(
    client, designer, program, django_assert_num_queries, size
):
    pathway = program.pathways.get()
    cohort = f.CohortFactory(program=program)
    for _ in range(size):
        f.EnrolmentFactory(program=program, pathway=pathway, cohort=cohort, coach=f.UserFactory())
    with django_assert_num_queries(11):
        response = client.get(reverse("design:enrol", args=[program.pk]), {"q": "someone"})
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == size


def test_the_roster_is_split_into_pages(client, designer, program):
    pathway = program.pathways.get()
    for _ in range(51):
        f.EnrolmentFactory(program=program, pathway=pathway)
    response = client.get(reverse("design:enrol", args=[program.pk]), {"page": 2})
    assert len(response.context["page"].object_list) == 1
    assert "Page 2 of 2" in response.text


def test_people_search_offers_only_people_the_designer_may_see(client, designer, program):
    report = f.UserFactory(first_name="Dana", last_name="Liu", manager=designer)
    stranger = f.UserFactory(first_name="Dana", last_name="Stone")
    url = reverse("design:people_search")
    text = client.get(url, {"q": "dana"}, HTTP_HX_REQUEST="true").text
    assert f'<option value="{report.username}">' in text
    assert stranger.username not in text
    listed = client.get(url, {"q": "dana liu", "as": "list"}).text
    assert "Add<span" in listed
    assert report.username in listed
    client.force_login(f.HRAdminFactory())
    assert stranger.username in client.get(url, {"supervisor": "dana"}).text


# The audit


def test_the_audit_links_each_break_to_the_page_that_fixes_it(client, designer, program):
    pk = program.pk
    vague = PerformanceObjective.objects.create(program=program, statement="Understand feedback")
    unbacked = f.PerformanceObjectiveFactory(program=program)
    orphan = f.LearningObjectiveFactory(program=program)
    draft = f.PathwayFactory(program=program, version=2, status="draft", published_at=None)
    idle = f.StepFactory(pathway=draft, position=1)
    text = client.get(reverse("design:audit", args=[pk])).text
    assert "is not observable and measurable yet" in text
    assert reverse("design:objective_edit", args=[pk, vague.pk]) in text
    assert reverse("design:learning_new", args=[pk, unbacked.pk]) in text
    assert reverse("design:step_new", args=[pk]) + f"?serves={unbacked.pk}" in text
    assert reverse("design:learning_edit", args=[pk, orphan.pk]) in text
    assert reverse("design:step_edit", args=[pk, idle.pk]) in text
    assert reverse("design:metrics", args=[pk]) in text


def test_a_clean_program_says_its_line_of_sight_is_unbroken(client):
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
    badge = client.get(reverse("design:audit_summary", args=[clean.pk])).text
    assert "Unbroken" in badge


def test_the_program_page_marks_each_record_with_what_the_audit_found(client, designer, program):
    pathway = program.pathways.get()
    linked = f.PerformanceObjectiveFactory(program=program, statement="Cite a specific example")
    linked.learning_objectives.add(f.LearningObjectiveFactory(program=program))
    f.OutcomeMetricFactory(program=program).performance_objectives.add(linked)
    bare = f.PerformanceObjectiveFactory(program=program, statement="Describe the impact")
    f.StepFactory(pathway=pathway, position=1).performance_objectives.add(linked)
    f.StepFactory(pathway=pathway, position=2, title="Idle step")

    page = client.get(reverse("design:program", args=[program.pk])).text

    def card(objective):
        return page.split(f'id="po-{objective.pk}"')[1].split("</article>")[0]

    # what the audit says of the bare objective shows on its card, and only there
    assert "tied to no outcome metric" in card(bare)
    assert "No learning objective yet." in card(bare)
    assert "tied to no outcome metric" not in card(linked)
    assert " · moves " in " ".join(card(linked).split())  # set apart from the evidence method
    assert "No learning objective yet." not in card(linked)
    steps = page.split('id="pathway-heading"')[1]
    assert steps.count("Serves no objective yet.") == 1
    assert "Serves no objective yet." in steps.split("Idle step")[1]
    findings = len(program_audit(program=program))
    assert f"Line-of-sight audit: {findings} breaks" in page


def test_a_learning_objective_behind_several_performance_objectives_gives_no_id_twice(
    client, designer, program
):
    lo = f.LearningObjectiveFactory(program=program)
    for _ in range(3):
        f.PerformanceObjectiveFactory(program=program).learning_objectives.add(lo)

    page = client.get(reverse("design:program", args=[program.pk])).text

    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
