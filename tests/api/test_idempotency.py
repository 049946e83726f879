"""Idempotency-Key: a retried write replays its first response and writes nothing again."""

from datetime import timedelta

import pytest
from django.utils import timezone

from api.models import IdempotentRequest
from people.models import User

from .conftest import problem_of

pytestmark = pytest.mark.django_db

WRITE = ["people:read", "people:write"]


def post_person(caller, key, **fields):
    return caller.post(
        "/api/v1/people", {"employee_id": "E1", **fields}, format="json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_a_retry_with_the_same_key_replays_the_first_response(client_with):
    caller = client_with(WRITE)

    first = post_person(caller, "k-1", first_name="Ada")
    retry = post_person(caller, "k-1", first_name="Ada")

    assert first.status_code == retry.status_code == 201
    assert retry.json() == first.json()
    assert retry["Idempotent-Replayed"] == "true"
    assert User.objects.filter(employee_id="E1").count() == 1


def test_a_refused_write_is_replayed_as_refused(client_with):
    caller = client_with(WRITE)

    first = post_person(caller, "k-1", email="nope")
    retry = post_person(caller, "k-1", email="nope")

    assert first.status_code == retry.status_code == 400
    assert retry.content == first.content
    assert retry["Content-Type"] == "application/problem+json"


def test_the_same_key_with_another_body_is_refused(client_with):
    caller = client_with(WRITE)
    post_person(caller, "k-1", first_name="Ada")

    response = post_person(caller, "k-1", first_name="Grace")

    assert response.status_code == 422
    assert "used for another request" in problem_of(response)["detail"]
    assert User.objects.get(employee_id="E1").first_name == "Ada"


def test_a_key_still_in_flight_gets_a_conflict(client_with):
    caller = client_with(WRITE)
    post_person(caller, "k-1", first_name="Ada")
    # The first request with this key has started and not finished.
    IdempotentRequest.objects.filter(key="k-1").update(completed_at=None)

    response = post_person(caller, "k-1", first_name="Ada")

    assert response.status_code == 409
    assert "still running" in problem_of(response)["detail"]


def test_keys_belong_to_their_client(client_with):
    one, other = client_with(WRITE, name="one"), client_with(WRITE, name="two")
    post_person(one, "shared", first_name="Ada")

    response = other.post(
        "/api/v1/people", {"employee_id": "E2"}, format="json", HTTP_IDEMPOTENCY_KEY="shared"
    )

    assert response.status_code == 201
    assert User.objects.filter(employee_id="E2").exists()


def test_an_expired_key_runs_the_request_again(client_with):
    caller = client_with(WRITE)
    post_person(caller, "k-1", first_name="Ada")
    User.objects.filter(employee_id="E1").delete()
    IdempotentRequest.objects.update(created_at=timezone.now() - timedelta(days=2))

    response = post_person(caller, "k-1", first_name="Ada")

    assert response.status_code == 201
    assert "Idempotent-Replayed" not in response
    assert User.objects.filter(employee_id="E1").exists()


def test_a_key_that_is_too_long_is_refused(client_with):
    caller = client_with(WRITE)

    response = post_person(caller, "k" * 201, first_name="Ada")

    assert response.status_code == 400
    assert not User.objects.filter(employee_id="E1").exists()


def test_a_put_is_replayed_too(client_with):
    caller = client_with(WRITE)
    url = "/api/v1/people/by-employee-id/E5"

    first = caller.put(url, {"first_name": "Ada"}, format="json", HTTP_IDEMPOTENCY_KEY="p")
    retry = caller.put(url, {"first_name": "Ada"}, format="json", HTTP_IDEMPOTENCY_KEY="p")

    assert (first.status_code, retry.status_code) == (201, 201)
