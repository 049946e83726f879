"""Defences found on review: no sync takes over an account with access, no NUL reaches
the database, two writers of one key get a conflict, and a key left by a killed request is
given back."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from api.models import IdempotentRequest
from measurement.models import Measurement
from people.models import User
from tests.factories import HRAdminFactory, OrgUnitFactory, OutcomeMetricFactory, UserFactory

from .conftest import fields_of, problem_of

pytestmark = pytest.mark.django_db

SIGN_IN = (
    "This person holds access in the product (staff, an admin or a group): their sign-in "
    "details change in the product, not through a sync."
)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"email": "attacker@example.com"}, "email"),
        ({"active": False}, "active"),
        ({"username": "x"}, "username"),
    ],
)
def test_a_sync_cannot_change_how_an_hr_admin_signs_in(client_with, change, field):
    unit = OrgUnitFactory()
    admin = HRAdminFactory(employee_id="A1", org_unit=unit, email="admin@example.com")
    caller = client_with(["people:read", "people:write"], data_scope="org_units", org_units=[unit])

    patched = caller.patch(f"/api/v1/people/{admin.uuid}", change, format="json")
    put = caller.put("/api/v1/people/by-employee-id/A1", change, format="json")

    assert patched.status_code == put.status_code == 400
    assert fields_of(put) == {field: SIGN_IN}
    admin.refresh_from_db()
    assert (admin.email, admin.is_active, admin.username) == (
        "admin@example.com",
        True,
        admin.username,
    )


def test_a_sync_still_changes_an_hr_admins_other_details(client_with):
    HRAdminFactory(employee_id="A1", job_title="")
    caller = client_with(["people:read", "people:write"])

    response = caller.put(
        "/api/v1/people/by-employee-id/A1", {"job_title": "Head of HR"}, format="json"
    )

    assert response.status_code == 200
    assert User.objects.get(employee_id="A1").job_title == "Head of HR"


def test_a_member_of_a_group_is_guarded_too(client_with):
    person = UserFactory(employee_id="G1")
    person.groups.add(Group.objects.create(name="Designers"))
    caller = client_with(["people:read", "people:write"])

    response = caller.put("/api/v1/people/by-employee-id/G1", {"active": False}, format="json")

    assert fields_of(response) == {"active": SIGN_IN}
    person.refresh_from_db()
    assert person.is_active


def test_a_plain_learner_is_still_deactivated_by_a_sync(client_with):
    UserFactory(employee_id="L1")
    caller = client_with(["people:read", "people:write"])

    response = caller.put("/api/v1/people/by-employee-id/L1", {"active": False}, format="json")

    assert response.json()["active"] is False


@pytest.mark.parametrize(
    "address",
    [
        "/api/v1/people/by-employee-id/A%00B",
        "/api/v1/people?employee_id=A%00B",
        "/api/v1/people?q=%00",
        "/api/v1/org-units?code=%00",
        "/api/v1/enrolments?q=a%00",
    ],
)
def test_a_nul_character_anywhere_in_the_address_is_refused_plainly(client_with, address):
    caller = client_with(["people:read", "evidence:read"])

    response = caller.get(address)

    assert response.status_code in (400, 404)
    assert problem_of(response)["status"] == response.status_code


def test_a_key_left_running_by_a_killed_request_is_given_back_after_its_lease(client_with):
    caller = client_with(["people:read", "people:write"])
    IdempotentRequest.objects.create(
        caller=f"client:{caller.api_client.client_id}",
        key="k",
        method="POST",
        path="/",
        fingerprint="x",
    )
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(minutes=6))

    response = caller.post(
        "/api/v1/people", {"employee_id": "E1"}, format="json", HTTP_IDEMPOTENCY_KEY="k"
    )

    assert response.status_code == 201
    assert User.objects.filter(employee_id="E1").exists()


def test_a_key_still_within_its_lease_is_still_running(client_with):
    caller = client_with(["people:read", "people:write"])
    body = {"employee_id": "E1"}
    first = caller.post("/api/v1/people", body, format="json", HTTP_IDEMPOTENCY_KEY="k")
    IdempotentRequest.objects.update(
        completed_at=None, created_at=timezone.now() - timedelta(minutes=4)
    )

    again = caller.post("/api/v1/people", body, format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert (first.status_code, again.status_code) == (201, 409)


def test_a_value_an_hr_admin_writes_in_the_browser_is_not_labelled_as_the_hr_system(client_with):
    from rest_framework.test import APIClient

    metric = OutcomeMetricFactory()
    admin = APIClient()
    admin.force_login(HRAdminFactory())
    record = {"metric_id": str(metric.uuid), "measured_at": "2026-03-01T00:00:00Z", "value": "5"}

    admin.post("/api/v1/measurements/bulk", {"records": [record]}, format="json")
    client_with(["measurements:write"]).post(
        "/api/v1/measurements/bulk",
        {"records": [{**record, "measured_at": "2026-04-01T00:00:00Z"}]},
        format="json",
    )

    sources = dict(Measurement.objects.values_list("measured_at__month", "source"))
    assert sources == {3: "manual", 4: "api"}
