"""Recording a baseline or checkpoint assessment of a learner: the pathway and competency
move on it."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from measurement.models import Assessment
from objectives.models import Competency
from programs.models import Step, StepProgress
from programs.services import enrolment_create
from tests import factories as f

pytestmark = pytest.mark.django_db

C, S = Step.Completion, StepProgress.Status
TODAY = timezone.localdate()


@pytest.fixture
def enrolment(django_capture_on_commit_callbacks):
    """A learner whose first step a checkpoint at level 3 completes; the program counts
    them competent at level 3 in both the competencies its learning objectives build."""
    program = f.ProgramFactory(competency_needs_objectives=False, competency_min_rank=3)
    objective = f.LearningObjectiveFactory(
        program=program,
        competency=f.CompetencyFactory(name="Giving feedback", code="FB"),
        statement="Explain why feedback lands",
    )
    f.LearningObjectiveFactory(
        program=program, competency=f.CompetencyFactory(name="Coaching", code="CO")
    )
    pathway = f.PathwayFactory(program=program)
    checkpoint = f.StepFactory(
        pathway=pathway,
        position=1,
        title="Feedback checkpoint",
        completed_by=C.ASSESSMENT,
        assessment_min_rank=3,
    )
    checkpoint.learning_objectives.add(objective)
    f.StepFactory(pathway=pathway, position=2, title="Run a review", completed_by=C.SUPERVISOR)
    with django_capture_on_commit_callbacks(execute=True):
        return enrolment_create(
            learner=f.UserFactory(first_name="Lena"),
            program=program,
            enrolled_on=TODAY - timedelta(days=5),
            supervisor=f.UserFactory(),
        )


def program_competency(code):
    return Competency.objects.get(code=code)


def _url(enrolment):
    return reverse("team:assessment_new", args=[enrolment.pk])


def _level(code, rank):
    return program_competency(code).scale.levels.get(rank=rank)


def _data(code="FB", rank=3, **changes):
    data = {
        "competency": program_competency(code).pk,
        "kind": Assessment.Kind.CHECKPOINT,
        "assessed_level": _level(code, rank).pk,
        "assessed_on": TODAY.isoformat(),
        "score": "",
        "learning_objective": "",
        "notes": "Gave feedback within the hour in both role plays.",
    }
    data.update(changes)
    return data


def _step_status(enrolment, position):
    return enrolment.progress.get(step__position=position).status


def test_the_supervisor_records_a_checkpoint_and_the_open_assessment_step_completes(
    client, enrolment, django_capture_on_commit_callbacks
):
    client.force_login(enrolment.supervisor)
    assert _step_status(enrolment, 1) == S.IN_PROGRESS

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(enrolment), _data(score="82.5"), follow=True)

    assert response.redirect_chain == [(reverse("team:learner", args=[enrolment.pk]), 302)]
    assert "Checkpoint of Lena" in response.text
    assert "in Giving feedback recorded: 3. Proficient." in response.text
    assessment = Assessment.objects.get()
    assert assessment.assessor == enrolment.supervisor
    assert str(assessment.score) == "82.50"
    assert _step_status(enrolment, 1) == S.COMPLETED
    assert _step_status(enrolment, 2) == S.IN_PROGRESS
    # The record lists it among the latest assessments.
    assert "Latest assessments" in response.text
    assert "Gave feedback within the hour" in response.text
    enrolment.refresh_from_db()
    assert enrolment.competent_on is None  # Coaching is not assessed yet


def test_competency_is_reached_when_every_competency_is_assessed_at_the_level(
    client, enrolment, django_capture_on_commit_callbacks
):
    client.force_login(enrolment.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(enrolment), _data("FB", 3))
    record = client.get(reverse("team:learner", args=[enrolment.pk])).text
    assert "Coaching" in record  # the standing names the competency still below the level

    with django_capture_on_commit_callbacks(execute=True):
        client.post(_url(enrolment), _data("CO", 4))

    enrolment.refresh_from_db()
    assert enrolment.competent_on == TODAY
    record = client.get(reverse("team:learner", args=[enrolment.pk])).text
    assert "Competent since" in record


def test_a_checkpoint_below_the_steps_level_leaves_the_step_open(
    client, enrolment, django_capture_on_commit_callbacks
):
    client.force_login(enrolment.supervisor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(enrolment), _data(rank=2))
    assert response.status_code == 302
    assert _step_status(enrolment, 1) == S.IN_PROGRESS


def test_the_form_offers_the_programs_competencies_and_the_chosen_ones_levels(client, enrolment):
    f.CompetencyFactory(name="Negotiating")  # not built by the program
    client.force_login(enrolment.supervisor)

    page = client.get(_url(enrolment)).text

    assert "Giving feedback" in page
    assert "Coaching" in page
    assert "Negotiating" not in page
    assert "Self-assessment" not in page
    assert f'value="{TODAY.isoformat()}"' in page  # assessed today unless changed
    # Coaching sorts first by code: its levels and (no) objectives are offered.
    assert f'value="{_level("CO", 3).pk}"' in page
    assert f'value="{_level("FB", 3).pk}"' not in page
    assert "Explain why feedback lands" not in page


def test_choosing_another_competency_reloads_its_levels_and_objectives(client, enrolment):
    client.force_login(enrolment.supervisor)
    chosen = program_competency("FB")

    response = client.get(_url(enrolment), {"competency": chosen.pk}, HTTP_HX_REQUEST="true")

    assert response.status_code == 200
    assert response.text.strip().startswith('<div id="scale-fields">')
    assert "<form" not in response.text
    assert f'value="{_level("FB", 3).pk}"' in response.text
    assert f'value="{_level("CO", 3).pk}"' not in response.text
    assert "Explain why feedback lands" in response.text


@pytest.mark.parametrize(
    ("changes", "field_message"),
    [
        # Without JS the levels offered stay those of the competency first shown.
        ({"assessed_level": "other scale"}, "The level must come from the competency&#x27;s"),
        ({"competency": "outside"}, "Choose a competency the learner&#x27;s program builds."),
        (
            {"assessed_on": (TODAY + timedelta(days=1)).isoformat()},
            "The day is in the future: choose today or an earlier day.",
        ),
        (
            {"assessed_on": (TODAY - timedelta(days=6)).isoformat()},
            "The day is before the enrolment on",
        ),
        ({"kind": Assessment.Kind.SELF}, "Record a baseline or a checkpoint"),
        ({"learning_objective": "other competency"}, "must be of this competency"),
        ({"score": "101"}, "Ensure this value is less than or equal to 100."),
    ],
)
def test_bad_input_is_refused_beside_its_field_and_the_typed_values_stay(
    client, enrolment, django_capture_on_commit_callbacks, changes, field_message
):
    (field,) = changes
    replacements = {
        "other scale": _level("CO", 3).pk,
        "outside": f.CompetencyFactory(name="Negotiating").pk,
        "other competency": f.LearningObjectiveFactory(
            program=enrolment.program, competency=program_competency("CO")
        ).pk,
    }
    value = changes[field]
    data = _data(**{field: replacements.get(value, value)})
    client.force_login(enrolment.supervisor)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url(enrolment), data)

    assert response.status_code == 400
    assert not Assessment.objects.exists()
    assert _step_status(enrolment, 1) == S.IN_PROGRESS
    # The message stands beside its field, and what was typed is kept.
    assert field_message in _field_html(response.text, field)
    assert "Gave feedback within the hour in both role plays." in response.text
    assert f'value="{data["assessed_on"]}"' in response.text
    if field not in ("competency", "assessed_level"):
        assert f'<option value="{_level("FB", 3).pk}" selected>' in response.text


def _field_html(page, field):
    """The part of the page crispy-forms renders for one field, its errors included."""
    start = page.index(f'id="div_id_{field}"')
    end = page.find('id="div_id_', start + 1)
    return page[start : end if end != -1 else None]


def test_the_level_error_offers_the_chosen_competencys_levels(client, enrolment):
    client.force_login(enrolment.supervisor)
    response = client.post(_url(enrolment), _data("FB", assessed_level=_level("CO", 3).pk))
    assert response.status_code == 400
    assert f'value="{_level("FB", 3).pk}"' in response.text
    assert f'value="{_level("CO", 3).pk}"' not in response.text


@pytest.mark.parametrize("who", ["program_owner", "hr_admin"])
def test_the_program_owner_and_hr_record_assessments(client, enrolment, who):
    person = enrolment.program.owner if who == "program_owner" else f.HRAdminFactory()
    client.force_login(person)
    assert client.post(_url(enrolment), _data()).status_code == 302
    assert Assessment.objects.get().assessor == person


def test_the_learner_cannot_record_an_assessment_of_themselves(client, enrolment):
    client.force_login(enrolment.learner)
    assert client.get(_url(enrolment)).status_code == 403
    assert client.post(_url(enrolment), _data()).status_code == 403
    assert not Assessment.objects.exists()


@pytest.mark.parametrize("who", ["stranger", "sponsor"])
def test_people_outside_the_learners_work_do_not_find_the_page(client, enrolment, who):
    person = f.UserFactory()
    if who == "sponsor":
        enrolment.program.sponsors.add(person)
    client.force_login(person)
    assert client.get(_url(enrolment)).status_code == 404
    assert client.post(_url(enrolment), _data()).status_code == 404
    assert not Assessment.objects.exists()


def test_the_record_offers_the_page_to_those_who_may_assess_while_the_learner_works(
    client, enrolment
):
    record = reverse("team:learner", args=[enrolment.pk])
    client.force_login(enrolment.supervisor)
    assert "Record an assessment" in client.get(record).text
    enrolment.status = enrolment.Status.WITHDRAWN
    enrolment.save(update_fields=["status"])
    assert "Record an assessment" not in client.get(record).text


def test_the_open_assessment_step_offers_the_page_with_its_competency(client, enrolment):
    step = reverse("learn:step", args=[enrolment.progress.get(step__position=1).pk])
    link = f"{_url(enrolment)}?competency={program_competency('FB').pk}"
    client.force_login(enrolment.supervisor)
    assert link in client.get(step).text
    client.force_login(enrolment.learner)
    assert "Record an assessment" not in client.get(step).text
    other_step = reverse("learn:step", args=[enrolment.progress.get(step__position=2).pk])
    client.force_login(enrolment.supervisor)
    assert "Record an assessment" not in client.get(other_step).text


@pytest.mark.parametrize("size", [2, 12])
def test_the_page_runs_the_same_queries_at_any_size(
    client, django_assert_num_queries, django_capture_on_commit_callbacks, size
):
    """`size` competencies the program builds, each with an objective, on scales of `size`
    levels."""
    program = f.ProgramFactory()
    for n in range(size):
        scale = f.ScaleFactory(levels=[f"Level {rank}" for rank in range(1, size + 1)])
        competency = f.CompetencyFactory(framework=scale.framework, scale=scale, code=f"K{n:02}")
        f.LearningObjectiveFactory(program=program, competency=competency)
    f.StepFactory(pathway=f.PathwayFactory(program=program), position=1)
    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrolment_create(
            learner=f.UserFactory(), program=program, enrolled_on=TODAY, supervisor=f.UserFactory()
        )
    client.force_login(enrolment.supervisor)
    # the page shell (5); the enrolment; the program's competencies; the chosen one's
    # levels and objectives
    with django_assert_num_queries(9):
        response = client.get(_url(enrolment))
    assert response.status_code == 200
    assert response.text.count("Level ") >= size
