"""What the API answers at the edges of HTTP, each case once found by the conformance run:
OPTIONS, a method an address does not take, an address that names nothing, the form of
an Idempotency-Key, and a filter given a word it does not know."""

import base64

import pytest
from rest_framework.test import APIClient

from api.models import IdempotentRequest
from api.services import client_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PROBLEM = "application/problem+json"


@pytest.fixture
def hris():
    """An APIClient sending the token of a client with the people scopes."""
    client, secret = client_create(
        name="HRIS", scopes=["people:read", "people:write"], data_scope="company", created_by=None
    )
    basic = base64.b64encode(f"{client.client_id}:{secret}".encode()).decode()
    answer = APIClient().post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials"},
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    assert answer.status_code == 200, answer.content
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION=f"Bearer {answer.json()['access_token']}")
    return caller


def test_options_on_an_action_keyed_by_employee_id_describes_it(hris):
    answer = hris.options("/api/v1/people/by-employee-id/E-1")

    assert answer.status_code == 200
    assert answer.json()["name"]
    assert "actions" not in answer.json()  # the schema documents the fields
    assert {"GET", "PUT"} <= {m.strip() for m in answer["Allow"].split(",")}


def test_a_method_the_address_does_not_take_is_405_and_leaves_its_key_unused(hris):
    body = {"records": [{"employee_id": "E-1", "first_name": "Ada"}]}

    refused = hris.put("/api/v1/people/bulk", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert refused.status_code == 405
    assert refused["Content-Type"] == PROBLEM
    assert refused["Allow"] == "POST, OPTIONS"
    assert not IdempotentRequest.objects.exists()

    taken = hris.post("/api/v1/people/bulk", body, format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert taken.status_code == 200, taken.content
    assert taken.json()["created"] == 1


@pytest.mark.parametrize(
    ("method", "address"),
    [
        ("get", "/api/v1/people/0.5"),  # not a UUID
        ("get", "/api/v1/org-units/a%20b"),  # not a code
        ("post", "/api/v1/no-such-things"),  # no such resource
        ("get", "/api/v1/people/"),  # no trailing slashes here
    ],
)
def test_an_address_that_names_no_endpoint_answers_a_404_problem(hris, method, address):
    answer = getattr(hris, method)(address)

    assert answer.status_code == 404
    assert answer["Content-Type"] == PROBLEM
    assert answer.json()["type"] == "urn:talentdev:problem:not-found"


def test_an_unknown_address_is_404_to_a_caller_without_a_token_too():
    answer = APIClient().post("/api/v1/nowhere", {}, format="json")

    assert answer.status_code == 404
    assert answer["Content-Type"] == PROBLEM


@pytest.mark.parametrize("key", ["8d2c1f0e-6a4b-4c55-9a77-0e4f3b2d1c9a", "batch/2026-11-30#1"])
def test_an_idempotency_key_of_visible_ascii_is_taken(hris, key):
    answer = hris.put(
        "/api/v1/people/by-employee-id/E-1", {}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert answer.status_code == 201, answer.content
    assert IdempotentRequest.objects.filter(key=key).exists()


@pytest.mark.parametrize("key", ["", "two words", "x" * 201, "tab\there"])
def test_an_idempotency_key_with_a_space_or_too_long_is_refused_and_saves_nothing(hris, key):
    answer = hris.put(
        "/api/v1/people/by-employee-id/E-1", {}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {
            "field": "Idempotency-Key",
            "code": "invalid",
            "message": "Give a key of 1 to 200 visible ASCII characters, a UUID say.",
        }
    ]
    assert not IdempotentRequest.objects.exists()


def test_the_active_filter_takes_true_or_false_and_an_empty_one_is_left_out(hris):
    UserFactory(employee_id="E-1", is_active=True)
    UserFactory(employee_id="E-2", is_active=False)

    def listed(query):
        answer = hris.get(f"/api/v1/people?{query}")
        assert answer.status_code == 200, answer.content
        return sorted(person["employee_id"] for person in answer.json()["results"])

    assert listed("active=true") == ["E-1"]
    assert listed("active=false") == ["E-2"]
    assert listed("active=") == ["E-1", "E-2"]
    assert listed("updated_since=") == ["E-1", "E-2"]


def test_the_active_filter_refuses_another_word_rather_than_listing_everyone(hris):
    UserFactory(employee_id="E-1", is_active=True)

    answer = hris.get("/api/v1/people?active=flase")

    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {"field": "active", "code": "invalid", "message": "Give true or false."}
    ]


@pytest.mark.parametrize("offset", ["-18:46", "+23:59", "+00:00"])
def test_a_changed_since_moment_is_taken_with_any_offset_iso_allows(hris, offset):
    UserFactory(employee_id="E-1")  # changed now, after the moment in every offset

    answer = hris.get("/api/v1/people", {"updated_since": f"2026-01-15T09:00:00{offset}"})

    assert answer.status_code == 200, answer.content
    assert [person["employee_id"] for person in answer.json()["results"]] == ["E-1"]


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+05:00", "9999-12-31T23:00:00-05:00"])
def test_a_changed_since_moment_outside_the_calendar_in_utc_is_refused(hris, moment):
    answer = hris.get("/api/v1/people", {"updated_since": moment})

    assert answer.status_code == 400
    assert answer.json()["errors"] == [
        {
            "field": "updated_since",
            "code": "invalid",
            "message": "Give a moment from the year 1 to 9999 in UTC.",
        }
    ]
