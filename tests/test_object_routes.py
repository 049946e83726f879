"""Every page and action that names an object refuses whoever may not see or change it.

The routes come from the URL resolver (talentdev.bench.pages.area_routes): a new route that
takes an id fails here until ROUTES says where its ids come from and whose it is. Each is
requested by every role around one learner's enrolment, the refused ones by GET and by POST;
a refused request answers 403 or 404 (a stranger never learns the object exists, a person
who sees it learns they may not act), sends the signed-out to sign in, and changes nothing.
"""

import pytest
from django.apps import apps
from django.conf import settings
from django.db.models import Count, Max
from django.urls import reverse

from talentdev.bench.pages import area_routes
from tests.routes import ROLES, ROUTES, RouteWorld

pytestmark = pytest.mark.django_db


OBJECT_ROUTES = {route.name: route for route in area_routes() if route.params}


def test_every_route_that_names_an_object_says_whose_it_is():
    missing = sorted(set(OBJECT_ROUTES) - set(ROUTES))
    gone = sorted(set(ROUTES) - set(OBJECT_ROUTES))
    assert not missing, f"add these routes to ROUTES: {missing}"
    assert not gone, f"these routes no longer exist: {gone}"


def _state() -> dict:
    """How many rows each of the product's models holds and when one last changed: what a
    refused request must leave as it found it."""
    state = {}
    for label in ("people", "objectives", "programs", "coaching", "measurement"):
        for model in apps.get_app_config(label).get_models():
            figures = {"rows": Count("pk")}
            if any(field.name == "updated_at" for field in model._meta.concrete_fields):
                figures["last"] = Max("updated_at")
            state[model._meta.label] = model.objects.aggregate(**figures)
    return state


def _refused(response) -> bool:
    return response.status_code in (403, 404, 405)


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_each_route_refuses_whoever_may_not_see_or_change_its_object(client, name):
    entry = ROUTES[name]
    world = RouteWorld()
    path = reverse(name, kwargs=entry.kwargs(world))
    route = OBJECT_ROUTES[name]
    before = _state()

    for method in ("get", "post") if route.allows_get else ("post",):
        signed_out = getattr(client, method)(path)
        assert signed_out.status_code == 302
        assert signed_out["Location"].startswith(reverse(settings.LOGIN_URL))

    for role in sorted(entry.refused):
        client.force_login(ROLES[role](world))
        if route.allows_get:
            response = client.get(path)
            assert _refused(response), f"{role} opened {path}: {response.status_code}"
        response = client.post(path, {"form": "x", "reason": "x", "confirm": "on"})
        assert _refused(response), f"{role} posted to {path}: {response.status_code}"
    assert _state() == before, f"a refused request to {path} changed something"

    if route.allows_get:
        for role in sorted(entry.opens):
            client.force_login(ROLES[role](world))
            response = client.get(path)
            assert response.status_code == 200, f"{role} could not open {path}"
