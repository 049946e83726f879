"""Competency frameworks in the browser: scales, competencies and behavioural indicators."""

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
    client.post(reverse("design:framework_publish", args=[framework.pk]))
    framework.refresh_from_db()
    assert framework.status == "published"


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
    with django_assert_num_queries(16):
        assert client.get(reverse("design:framework", args=[framework.pk])).status_code == 200
    with django_assert_num_queries(8):
        assert client.get(reverse("design:frameworks")).status_code == 200
