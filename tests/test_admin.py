"""Every model is in the admin, and its list and add pages open."""

import pytest
from django.apps import apps
from django.contrib import admin
from django.urls import reverse

from tests.factories import FeedbackWindowFactory, UserFactory

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")


def test_every_product_model_is_registered_or_edited_inline():
    inline_models = {
        inline.model
        for model_admin in admin.site._registry.values()
        for inline in model_admin.inlines
    }
    missing = [
        model._meta.label
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
        if model not in admin.site._registry and model not in inline_models
    ]
    assert missing == []


def test_every_changelist_and_add_page_opens_for_a_superuser(admin_client, admin_user, rf):
    request = rf.get("/")
    request.user = admin_user
    FeedbackWindowFactory()  # rows in most tables, so list columns really render
    failures = []
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in PRODUCT_APPS:
            continue
        info = (model._meta.app_label, model._meta.model_name)
        pages = [reverse("admin:{}_{}_changelist".format(*info))]
        if model_admin.has_add_permission(request):
            pages.append(reverse("admin:{}_{}_add".format(*info)))
        for url in pages:
            status = admin_client.get(url).status_code
            if status != 200:
                failures.append(f"{url}: {status}")
    assert failures == []


def test_observation_search_and_autocomplete_work(admin_client):
    window = FeedbackWindowFactory()
    learner = window.observation.learner
    response = admin_client.get(
        reverse("admin:coaching_observation_changelist"), {"q": learner.username}
    )
    assert response.status_code == 200
    assert learner.username in response.text
    response = admin_client.get(
        reverse("admin:autocomplete"),
        {
            "app_label": "coaching",
            "model_name": "observation",
            "field_name": "learner",
            "term": learner.username,
        },
    )
    assert response.status_code == 200
    assert any(r["text"] == str(learner) for r in response.json()["results"])


def test_a_person_without_admin_access_is_sent_to_the_admin_login(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:programs_program_changelist"))
    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


def test_the_admin_refuses_a_vague_performance_objective_with_the_smart_messages(admin_client):
    from tests.factories import ProgramFactory

    program = ProgramFactory()
    response = admin_client.post(
        reverse("admin:objectives_performanceobjective_add"),
        {
            "program": program.pk,
            "statement": "Participants will understand feedback",
            "action": "understand feedback",
            "feedback_window": "1 00:00:00",
        },
    )
    assert response.status_code == 200
    assert "happens inside the head" in response.text
    assert "Say what is measured" in response.text
    assert not program.performance_objectives.exists()
