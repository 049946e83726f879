"""Rate limits per client, counted in the shared cache, with the headers clients read."""

import pytest
from django.core.cache import caches
from django.test import override_settings

from .conftest import problem_of

pytestmark = pytest.mark.django_db


@override_settings(API_RATE_PER_MINUTE=3)
def test_a_client_over_its_rate_gets_429_with_retry_after(client_with):
    caller = client_with(["people:read"])

    answers = [caller.get("/api/v1/me") for _ in range(4)]

    assert [a.status_code for a in answers] == [200, 200, 200, 429]
    assert [a["RateLimit-Remaining"] for a in answers[:3]] == ["2", "1", "0"]
    assert all(a["RateLimit-Limit"] == "3" for a in answers[:3])
    refused = answers[3]
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert problem_of(refused)["type"] == "urn:talentdev:problem:rate-limited"


@override_settings(API_RATE_PER_MINUTE=2)
def test_each_client_has_its_own_rate(client_with):
    busy, quiet = (
        client_with(["people:read"], name="busy"),
        client_with(["people:read"], name="quiet"),
    )
    for _ in range(3):
        busy.get("/api/v1/me")

    assert busy.get("/api/v1/me").status_code == 429
    assert quiet.get("/api/v1/me").status_code == 200


@pytest.mark.redis
@override_settings(API_RATE_PER_MINUTE=5)
def test_the_count_is_kept_in_redis_where_every_worker_sees_it(client_with):
    caller = client_with(["people:read"])
    caller.get("/api/v1/me")

    backend = caches["default"]
    client = backend._cache.get_client()
    keys = [key.decode() for key in client.scan_iter(match="cache:*api-rate:client:*")]

    assert len(keys) == 1
    assert caller.api_client.client_id in keys[0]
    assert int(client.get(keys[0])) == 1


SCHEMA = "/api/v1/schema/"  # open to anyone: an anonymous caller is counted by address


def _anonymous(client, forwarded):
    # Every request reaches the app from the proxy's address; it appends the one it saw.
    return client.get(
        SCHEMA,
        REMOTE_ADDR="10.0.0.2",
        HTTP_X_FORWARDED_FOR=forwarded,
        HTTP_ACCEPT="application/json",
    )


@override_settings(API_RATE_PER_MINUTE=1, TRUSTED_PROXY_COUNT=1)
def test_behind_the_proxy_each_anonymous_caller_is_counted_by_the_address_it_saw(client):
    assert _anonymous(client, "203.0.113.7").status_code == 200
    assert _anonymous(client, "198.51.100.4").status_code == 200  # another caller
    assert _anonymous(client, "203.0.113.7").status_code == 429


@override_settings(API_RATE_PER_MINUTE=1, TRUSTED_PROXY_COUNT=1)
def test_an_address_forged_before_the_proxys_is_not_believed(client):
    assert _anonymous(client, "203.0.113.7").status_code == 200
    # The caller sends a made-up X-Forwarded-For; the proxy appends the address it saw.
    refused = _anonymous(client, "192.0.2.99, 203.0.113.7")
    assert refused.status_code == 429
    assert problem_of(refused)["type"] == "urn:talentdev:problem:rate-limited"


@override_settings(API_RATE_PER_MINUTE=1)
def test_a_refusal_of_the_yaml_schema_is_a_json_problem(client):
    assert client.get(SCHEMA).status_code == 200  # the schema as YAML, the default
    refused = client.get(SCHEMA)
    assert refused.status_code == 429
    assert problem_of(refused)["detail"].startswith("Request was throttled")
