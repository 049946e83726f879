"""Competency frameworks in the browser: scales, competencies and behavioural indicators."""

import re
from collections import Counter

import pytest
from django.urls import reverse

from objectives.models import BehaviouralIndicator, Competency, CompetencyFramework
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def framework():
    return f.FrameworkFactory(name="Leadership", status="draft")


@pytest.fixture
def hr_admin(client):
    admin = f.HRAdminFactory()
    client.force_login(admin)
    return admin


def test_an_hr_admin_builds_a_framework_scale_competency_and_indicator(client, hr_admin):
    response = client.post(reverse("design:framework_new"), {"name": "Sales", "version": "1"})
    framework = CompetencyFramework.objects.get(name="Sales")
    assert response["Location"] == reverse("design:framework", args=[framework.pk])
    client.post(
        reverse("design:scale_new", args=[framework.pk]),
        {"name": "Four levels", "levels": "Foundational\nDeveloping\nProficient\nExpert"},
    )
    scale = framework.scales.get()
    assert list(scale.levels.values_list("name", flat=True)) == [
        "Foundational",
        "Developing",
        "Proficient",
        "Expert",
    ]
    client.post(
        reverse("design:competency_new", args=[framework.pk]),
        {
            "code": "NEG",
            "name": "Negotiation",
            "strategic_rationale": "Margins.",
            "scale": scale.pk,
        },
    )
    competency = Competency.objects.get(code="NEG")
    level = scale.levels.get(rank=3)
    client.post(
        reverse("design:indicator_new", args=[framework.pk]),
        {"competency": competency.pk, "level": level.pk, "description": "Trades, never concedes."},
    )
    assert BehaviouralIndicator.objects.get().level == level
    page = client.get(reverse("design:framework", args=[framework.pk])).text
    assert "Trades, never concedes." in page
    response = client.post(reverse("design:framework_publish", args=[framework.pk]), follow=True)
    framework.refresh_from_db()
    assert framework.status == "published"
    assert [str(m) for m in response.context["messages"]] == ["Framework published."]


def test_bad_framework_input_says_what_is_wrong_and_saves_nothing(client, hr_admin, framework):
    response = client.post(
        reverse("design:scale_new", args=[framework.pk]), {"name": "Thin", "levels": "Only"}
    )
    assert "A scale needs at least two levels, one per line." in response.text
    assert 'value="Thin"' in response.text
    assert not framework.scales.exists()
    existing = f.CompetencyFactory(framework=framework, code="FB")
    response = client.post(
        reverse("design:competency_new", args=[framework.pk]),
        {"code": "FB", "name": "Again", "strategic_rationale": "x", "scale": existing.scale_id},
    )
    assert "This framework already has a competency with that code." in response.text
    assert framework.competencies.count() == 1


def test_a_published_framework_cannot_change(client, hr_admin):
    published = f.FrameworkFactory(status="published", published_at="2026-01-01T00:00Z")
    competency = f.CompetencyFactory(framework=published)
    response = client.post(
        reverse("design:competency_edit", args=[published.pk, competency.pk]),
        {
            "code": "NEW",
            "name": "Renamed",
            "strategic_rationale": "x",
            "scale": competency.scale_id,
        },
    )
    assert "start a new version to change it" in response.text
    competency.refresh_from_db()
    assert competency.code != "NEW"


def test_only_hr_admins_change_frameworks_and_only_designers_read_them(client, framework):
    owner = f.ProgramFactory().owner
    client.force_login(owner)
    assert client.get(reverse("design:framework", args=[framework.pk])).status_code == 200
    response = client.post(
        reverse("design:scale_new", args=[framework.pk]), {"name": "S", "levels": "A\nB"}
    )
    assert response.status_code == 403
    assert not framework.scales.exists()
    client.force_login(f.UserFactory())
    assert client.get(reverse("design:frameworks")).status_code == 403


@pytest.mark.parametrize("size", [2, 50])
def test_the_framework_page_runs_the_same_queries_at_any_size(
    client, hr_admin, framework, django_assert_num_queries, size
):
    scale = f.ScaleFactory(framework=framework)
    for _ in range(size):
        competency = f.CompetencyFactory(framework=framework, scale=scale)
        BehaviouralIndicator.objects.create(
            competency=competency, level=scale.levels.first(), description="Does it."
        )
    with django_assert_num_queries(15):
        assert client.get(reverse("design:framework", args=[framework.pk])).status_code == 200
    with django_assert_num_queries(7):
        assert client.get(reverse("design:frameworks")).status_code == 200


def _framework_urls(framework, competency):
    pk = framework.pk
    return [
        ("get", reverse("design:framework_new")),
        ("get", reverse("design:framework_edit", args=[pk])),
        ("post", reverse("design:framework_new_version", args=[pk])),
        ("post", reverse("design:framework_publish", args=[pk])),
        ("post", reverse("design:scale_new", args=[pk])),
        ("post", reverse("design:competency_new", args=[pk])),
        ("get", reverse("design:competency_edit", args=[pk, competency.pk])),
        ("post", reverse("design:indicator_new", args=[pk])),
    ]


def test_anonymous_visitors_are_sent_to_log_in_from_every_framework_page(client, framework):
    competency = f.CompetencyFactory(framework=framework)
    urls = [
        ("get", reverse("design:frameworks")),
        ("get", reverse("design:framework", args=[framework.pk])),
        *_framework_urls(framework, competency),
    ]
    for method, url in urls:
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_program_owner_reads_frameworks_but_changes_none(client, framework):
    competency = f.CompetencyFactory(framework=framework)
    client.force_login(f.ProgramFactory().owner)
    assert client.get(reverse("design:frameworks")).status_code == 200
    page = client.get(reverse("design:framework", args=[framework.pk])).text
    assert "Publish" not in page
    assert "Add a competency" not in page
    for method, url in _framework_urls(framework, competency):
        assert getattr(client, method)(url).status_code == 403, url
    framework.refresh_from_db()
    assert framework.status == "draft"
    assert CompetencyFramework.objects.count() == 1


def test_an_unknown_framework_is_not_found(client, hr_admin):
    assert client.get(reverse("design:framework", args=[999])).status_code == 404
    assert client.get(reverse("design:framework_edit", args=[999])).status_code == 404


def test_a_draft_framework_is_renamed_but_its_version_stays(client, hr_admin, framework):
    url = reverse("design:framework_edit", args=[framework.pk])
    response = client.post(url, {"name": "", "description": "Kept"})
    assert "This field is required." in response.text
    assert "Kept" in response.text
    response = client.post(url, {"name": "Leading people", "description": "For managers"})
    assert response["Location"] == reverse("design:framework", args=[framework.pk])
    framework.refresh_from_db()
    assert (framework.name, framework.description, framework.version) == (
        "Leading people",
        "For managers",
        1,
    )


def test_an_existing_framework_version_cannot_be_created_twice(client, hr_admin, framework):
    response = client.post(reverse("design:framework_new"), {"name": "Leadership", "version": "1"})
    assert "This framework already has that version." in response.text
    assert CompetencyFramework.objects.count() == 1


def test_a_published_framework_is_read_only_and_offers_a_new_version(client, hr_admin):
    published = f.FrameworkFactory(
        name="Sales", status="published", published_at="2026-01-01T00:00Z"
    )
    scale = f.ScaleFactory(framework=published, name="Four levels")
    parent = f.CompetencyFactory(framework=published, scale=scale, code="SELL")
    child = f.CompetencyFactory(framework=published, scale=scale, code="NEG", parent=parent)
    f.IndicatorFactory(competency=child, level=scale.levels.get(rank=2), description="Trades.")
    page = client.get(reverse("design:framework", args=[published.pk])).text
    assert "read-only" in page
    assert "Start a new version" in page
    assert "Add a competency" not in page
    refused = client.post(reverse("design:framework_edit", args=[published.pk]), {"name": "X"})
    assert "Sales v1 is published: start a new version to change it." in refused.text
    published.refresh_from_db()
    assert published.name == "Sales"

    response = client.post(reverse("design:framework_new_version", args=[published.pk]))
    draft = CompetencyFramework.objects.get(name="Sales", version=2)
    assert response["Location"] == reverse("design:framework", args=[draft.pk])
    assert draft.status == "draft"
    copied = draft.competencies.get(code="NEG")
    assert copied.parent == draft.competencies.get(code="SELL")
    assert copied.scale.framework == draft
    indicator = copied.indicators.get()
    assert (indicator.description, indicator.level.rank, indicator.level.scale) == (
        "Trades.",
        2,
        copied.scale,
    )
    assert published.competencies.count() == 2  # the old version is untouched
    again = client.post(reverse("design:framework_new_version", args=[published.pk]), follow=True)
    assert "Version 2 of Sales is already a draft: edit that one." in again.text
    assert CompetencyFramework.objects.filter(name="Sales").count() == 2
    response = client.post(reverse("design:framework_publish", args=[draft.pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Framework published; version 1 before it is retired."
    ]
    published.refresh_from_db()
    assert published.status == "retired"


@pytest.mark.parametrize("size", [2, 50])
def test_a_competency_edit_page_runs_the_same_queries_at_any_size(
    client, hr_admin, framework, django_assert_num_queries, size
):
    scale = f.ScaleFactory(framework=framework)
    competencies = [f.CompetencyFactory(framework=framework, scale=scale) for _ in range(size)]
    for _ in range(size):
        f.ScaleFactory(framework=framework)
    url = reverse("design:competency_edit", args=[framework.pk, competencies[0].pk])
    with django_assert_num_queries(9):
        assert client.get(url).status_code == 200


def test_each_form_on_the_framework_page_has_fields_and_labels_of_its_own(client, hr_admin):
    framework = f.FrameworkFactory(status="draft")
    page = client.get(reverse("design:framework", args=[framework.pk])).text

    ids = Counter(re.findall(r'\sid="([^"]+)"', page))
    assert [i for i, n in ids.items() if n > 1] == []
    # the competency's "Name" label is for the competency's own name field
    start = page.index(f'action="{reverse("design:competency_new", args=[framework.pk])}"')
    competency_form = page[start : page.index("</form>", start)]
    label_for = re.search(r'<label\s+for="([^"]+)"[^>]*>\s*Name', competency_form).group(1)
    assert re.search(rf'<input[^>]*name="name"[^>]*id="{label_for}"', competency_form)
