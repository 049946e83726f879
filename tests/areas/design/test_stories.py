"""A program's success stories on its designer's pages: told, corrected, published to the
sponsors, and refused to everyone else."""

import pytest
from django.urls import reverse

from measurement.models import SuccessStory
from measurement.services import success_story_create
from tests import factories as f

pytestmark = pytest.mark.django_db

QUERIES = (
    8  # session, person, their permissions (2), program, navigation (with the notices), count,
)
# stories
TOLD = {
    "title": "A platform trade-off decided in three days",
    "story": "Sara used the options paper from the case study on the live Q3 trade-off.",
    "result": "Decided in 3 days instead of 8",
}


@pytest.fixture
def program(client):
    program = f.ProgramFactory(name="Leading Through Real Work")
    client.force_login(program.owner)
    return program


@pytest.fixture
def step(program):
    return f.StepFactory(
        pathway=f.PathwayFactory(program=program, version=2), position=3, title="Case study"
    )


def _url(name, program, *args):
    return reverse(f"design:{name}", args=[program.pk, *args])


def _tell(program, step, **fields):
    return success_story_create(program=program, step=step, **{**TOLD, **fields})


def test_a_designer_tells_a_story_then_publishes_it_for_the_sponsors(client, program, step):
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    metric = f.OutcomeMetricFactory(program=program, name="Decision time")

    response = client.post(_url("story_new", program), {**TOLD, "step": step.pk})
    assert response.status_code == 302
    story = SuccessStory.objects.get()
    assert (story.program, story.step, story.metric, story.published) == (
        program,
        step,
        None,
        False,
    )
    listing = client.get(response.url, follow=True).text
    assert "is saved as a draft: sponsors do not see it yet." in listing
    assert "Step: version 2 · 3. Case study" in listing
    assert "Draft" in listing
    client.force_login(sponsor)
    dashboard = reverse("sponsor:dashboard", args=[program.pk])
    assert TOLD["title"] not in client.get(dashboard).text

    client.force_login(program.owner)
    edit = _url("story_edit", program, story.pk)
    assert 'value="A platform trade-off decided in three days"' in client.get(edit).text
    response = client.post(
        edit, {**TOLD, "step": step.pk, "metric": metric.pk, "published": "on"}, follow=True
    )
    assert "is published: sponsors see it on their dashboard." in response.text
    story.refresh_from_db()
    assert (story.metric, story.published) == (metric, True)
    client.force_login(sponsor)
    page = client.get(dashboard).text
    assert TOLD["title"] in page
    assert TOLD["result"] in page


def test_a_published_story_taken_back_to_a_draft_leaves_the_dashboard(client, program, step):
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    story = _tell(program, step, published=True)

    client.post(_url("story_edit", program, story.pk), {**TOLD, "step": step.pk}, follow=True)

    story.refresh_from_db()
    assert not story.published
    client.force_login(sponsor)
    assert TOLD["title"] not in client.get(reverse("sponsor:dashboard", args=[program.pk])).text


def test_the_program_page_leads_to_its_stories(client, program):
    page = client.get(reverse("design:program", args=[program.pk])).text
    assert f'href="{_url("stories", program)}">Success stories</a>' in page


def test_an_assignment_is_found_by_title_learner_or_number_and_only_in_this_program(
    client, program, step
):
    learner = f.UserFactory(first_name="Sara", last_name="Okafor")
    enrolment = f.EnrolmentFactory(program=program, pathway=step.pathway, learner=learner)
    trade_off = f.AssignmentFactory(enrolment=enrolment, title="Q3 platform trade-off")
    f.AssignmentFactory(enrolment=enrolment, title="Escalation review")
    f.AssignmentFactory(enrolment=enrolment, title="Platform trade-off", status="cancelled")
    elsewhere = f.AssignmentFactory(title="Q3 platform trade-off")
    label = f"#{trade_off.pk} · Q3 platform trade-off · Sara Okafor"
    search = _url("story_assignments", program)

    for typed in ("platform", "okafor trade", f"#{trade_off.pk}", label):
        options = client.get(search, {"assignment": typed}).text
        assert options.count("<option") == 1, typed
        assert f'value="{label}"' in options
    # a bare number may also be part of a title or a username
    assert f'value="{label}"' in client.get(search, {"assignment": str(trade_off.pk)}).text
    assert "<option" not in client.get(search, {"assignment": f"#{elsewhere.pk}"}).text
    assert "<option" not in client.get(search, {"assignment": ""}).text
    assert "<option" not in client.get(search, {"assignment": "9" * 30}).text  # no such id

    response = client.post(_url("story_new", program), {**TOLD, "assignment": label})
    assert response.status_code == 302
    story = SuccessStory.objects.get()
    assert (story.step, story.assignment, story.enrolment) == (None, trade_off, enrolment)
    page = client.get(_url("story_edit", program, story.pk)).text
    assert f'value="{label}"' in page  # the assignment reads back as it was picked


def test_the_assignment_search_offers_at_most_ten(client, program, step):
    enrolment = f.EnrolmentFactory(program=program, pathway=step.pathway)
    f.AssignmentFactory.create_batch(12, enrolment=enrolment, title="Lead the review")

    options = client.get(_url("story_assignments", program), {"assignment": "review"}).text

    assert options.count("<option") == 10


def test_empty_fields_are_explained_beside_each_and_what_was_typed_stays(client, program, step):
    response = client.post(
        _url("story_new", program), {"title": "", "story": "", "result": "", "metric": ""}
    )
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "title": ["Give the story a title."],
        "story": ["Tell the story: what the learner did and what changed."],
        "result": ["Write the measured result in one line."],
        "step": ["A success story names the step or assignment that led to the result."],
    }

    response = client.post(_url("story_new", program), TOLD)
    assert response.context["form"].errors == {
        "step": ["A success story names the step or assignment that led to the result."]
    }
    assert 'value="A platform trade-off decided in three days"' in response.text
    assert "Sara used the options paper" in response.text
    assert not SuccessStory.objects.exists()


def test_another_programs_step_metric_or_assignment_is_refused_and_nothing_is_saved(
    client, program, step
):
    other = f.EnrolmentFactory()
    elsewhere = f.AssignmentFactory(enrolment=other)
    response = client.post(
        _url("story_new", program),
        {
            **TOLD,
            "step": f.StepFactory(pathway=other.pathway).pk,
            "metric": f.OutcomeMetricFactory(program=other.program).pk,
            "assignment": f"#{elsewhere.pk} · {elsewhere.title}",
        },
    )
    errors = response.context["form"].errors
    assert errors["assignment"] == [
        f"No assignment numbered {elsewhere.pk} was given on this program."
    ]
    assert errors["metric"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert errors["step"] == [
        "Select a valid choice. That choice is not one of the available choices."
    ]
    assert f'value="#{elsewhere.pk} · {elsewhere.title}"' in response.text

    for typed in ("the review", "9" * 30):
        response = client.post(
            _url("story_new", program), {**TOLD, "step": step.pk, "assignment": typed}
        )
        assert response.context["form"].errors == {
            "assignment": [
                "Type the assignment's number, or its title or learner and pick a suggestion."
            ]
        }
    assert not SuccessStory.objects.exists()


def test_an_edit_that_breaks_a_rule_changes_nothing(client, program, step):
    story = _tell(program, step)

    response = client.post(
        _url("story_edit", program, story.pk),
        {**TOLD, "title": "", "result": "Faster", "step": step.pk},
    )

    assert response.context["form"].errors == {"title": ["Give the story a title."]}
    assert 'value="Faster"' in response.text
    story.refresh_from_db()
    assert (story.title, story.result) == (TOLD["title"], TOLD["result"])


def test_stories_are_listed_newest_first_twenty_a_page_drafts_included(client, program, step):
    for number in range(21):
        _tell(program, step, title=f"Story {number}", published=number % 2 == 0)

    first = client.get(_url("stories", program))
    second = client.get(_url("stories", program), {"page": 2})

    titles = [story.title for story in first.context["page"].object_list]
    assert titles == [f"Story {number}" for number in range(20, 0, -1)]
    assert [story.title for story in second.context["page"].object_list] == ["Story 0"]
    assert "Page 1 of 2" in first.text
    assert "21 stories, newest first" in first.text
    assert first.text.count(">Draft</span>") == 10
    assert first.text.count(">Published</span>") == 10


@pytest.mark.parametrize("size", [2, 50])
def test_the_stories_page_runs_the_same_queries_at_any_size(
    client, program, step, django_assert_num_queries, size
):
    enrolment = f.EnrolmentFactory(program=program, pathway=step.pathway)
    metric = f.OutcomeMetricFactory(program=program)
    for number in range(size):
        assignment = f.AssignmentFactory(enrolment=enrolment, title=f"Work {number}")
        _tell(program, step, title=f"Story {number}", assignment=assignment, metric=metric)

    with django_assert_num_queries(QUERIES):
        response = client.get(_url("stories", program))

    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(size, 20)


def test_an_hr_admin_tells_stories_of_any_program(client, program, step):
    client.force_login(f.HRAdminFactory())

    response = client.post(_url("story_new", program), {**TOLD, "step": step.pk})

    assert response.status_code == 302
    assert SuccessStory.objects.get().program == program


def test_sponsors_learners_and_other_owners_may_not_tell_or_read_the_stories(client, program, step):
    story = _tell(program, step)
    sponsor = f.UserFactory()
    program.sponsors.add(sponsor)
    learner = f.EnrolmentFactory(program=program, pathway=step.pathway).learner
    other_owner = f.ProgramFactory().owner
    urls = [
        ("get", _url("stories", program)),
        ("get", _url("story_new", program)),
        ("post", _url("story_new", program)),
        ("get", _url("story_edit", program, story.pk)),
        ("post", _url("story_edit", program, story.pk)),
        ("get", _url("story_assignments", program)),
    ]
    for person, status in ((sponsor, 403), (learner, 403), (other_owner, 404)):
        client.force_login(person)
        for method, url in urls:
            data = {**TOLD, "step": step.pk, "published": "on"} if method == "post" else None
            assert getattr(client, method)(url, data).status_code == status, (person, url)
    assert SuccessStory.objects.get() == story
    story.refresh_from_db()
    assert not story.published


def test_a_story_of_another_program_is_not_found_through_this_ones_address(client, program, step):
    theirs = f.StepFactory()
    their_story = _tell(theirs.pathway.program, theirs)
    url = _url("story_edit", program, their_story.pk)

    assert client.get(url).status_code == 404
    assert client.post(url, {**TOLD, "step": step.pk}).status_code == 404
    their_story.refresh_from_db()
    assert their_story.step == theirs


@pytest.mark.parametrize("size", [2, 50])
def test_the_new_story_form_runs_the_same_queries_at_any_size(
    client, program, step, django_assert_num_queries, size
):
    enrolment = f.EnrolmentFactory(program=program, pathway=step.pathway)
    for number in range(size):
        f.StepFactory(pathway=step.pathway, position=number + 4)
        f.OutcomeMetricFactory(program=program)
        f.AssignmentFactory(enrolment=enrolment, title=f"Work {number}")
    with django_assert_num_queries(8):
        assert client.get(_url("story_new", program)).status_code == 200
