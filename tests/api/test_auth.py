"""Who may call the API: clients with a live token and the scope an endpoint needs, and
people signed in in the browser."""

from datetime import timedelta

import pytest
from allauth.idp.oidc.models import Token
from axes.models import AccessAttempt
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from api.models import ApiClient
from api.services import client_revoke, client_secret_reset
from tests.factories import HRAdminFactory, UserFactory

from .conftest import problem_of, token_for

pytestmark = pytest.mark.django_db


def test_a_client_gets_an_hour_long_token_for_its_scopes(client_with):
    caller = client_with(["people:read"])
    stored = Token.objects.get(client_id=caller.api_client.client_id)

    assert stored.get_scopes() == ["people:read"]
    assert timedelta(minutes=59) < stored.expires_at - timezone.now() <= timedelta(hours=1)
    # Only the token's hash is kept.
    assert caller.token not in stored.hash
    assert caller.secret not in caller.api_client.oauth_client.secret


def test_a_wrong_secret_gets_no_token(client_with):
    caller = client_with(["people:read"])

    status, body = token_for(caller.api_client.client_id, "not-the-secret")

    assert status == 401
    assert body["error"] == "invalid_client"


def test_the_token_endpoint_is_no_sign_in_the_lock_out_counts_or_blocks(client_with, client):
    caller = client_with(["people:read"])
    for _ in range(6):
        assert token_for(caller.api_client.client_id, "not-the-secret")[0] == 401
    assert not AccessAttempt.objects.exists()

    # Even from an address locked for guessing people's passwords, a client gets its token.
    for number in range(20):
        client.post(reverse("login"), {"username": f"guess{number}", "password": "wrong"})
    assert AccessAttempt.objects.filter(ip_address="127.0.0.1").count() == 20
    status, body = token_for(caller.api_client.client_id, caller.secret)
    assert status == 200, body


def test_a_client_cannot_ask_for_a_scope_it_was_not_given(client_with):
    caller = client_with(["people:read"])

    status, body = token_for(caller.api_client.client_id, caller.secret, scope="people:write")

    assert status == 400
    assert body["error"] == "invalid_scope"


def test_me_says_which_client_calls_and_what_it_may_do(client_with):
    caller = client_with(["people:read", "programs:read"])

    body = caller.get("/api/v1/me").json()

    assert body["kind"] == "client"
    assert body["client_id"] == caller.api_client.client_id
    assert body["scopes"] == ["people:read", "programs:read"]
    assert body["data_scope"] == "company"


def test_using_a_token_marks_the_client_used(client_with):
    caller = client_with(["people:read"])
    assert ApiClient.objects.get(pk=caller.api_client.pk).last_used_at is None

    caller.get("/api/v1/me")

    assert ApiClient.objects.get(pk=caller.api_client.pk).last_used_at is not None


def test_a_request_without_credentials_is_refused_with_a_bearer_challenge():
    response = APIClient().get("/api/v1/people")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert problem_of(response)["type"] == "urn:talentdev:problem:unauthenticated"


def test_an_unknown_token_is_refused():
    caller = APIClient()
    caller.credentials(HTTP_AUTHORIZATION="Bearer made-up")

    response = caller.get("/api/v1/me")

    assert response.status_code == 401
    assert "unknown, expired or revoked" in problem_of(response)["detail"]


def test_an_expired_token_is_refused(client_with):
    caller = client_with(["people:read"])
    Token.objects.filter(client_id=caller.api_client.client_id).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert caller.get("/api/v1/me").status_code == 401


def test_revoking_a_client_refuses_its_tokens_at_once(client_with):
    caller = client_with(["people:read"])
    assert caller.get("/api/v1/me").status_code == 200

    client_revoke(client=caller.api_client)

    assert caller.get("/api/v1/me").status_code == 401
    status, _ = token_for(caller.api_client.client_id, caller.secret)
    assert status == 401
    revoked = ApiClient.objects.get(pk=caller.api_client.pk)
    assert revoked.revoked_at is not None
    assert revoked.oauth_client is None


def test_a_new_secret_retires_the_old_one_and_its_tokens(client_with):
    caller = client_with(["people:read"])

    secret = client_secret_reset(client=caller.api_client)

    assert caller.get("/api/v1/me").status_code == 401
    assert token_for(caller.api_client.client_id, caller.secret)[0] == 401
    assert token_for(caller.api_client.client_id, secret)[0] == 200


def test_a_client_without_the_scope_is_refused_and_told_which(client_with):
    caller = client_with(["programs:read"])

    response = caller.get("/api/v1/people")

    assert response.status_code == 403
    assert problem_of(response)["detail"] == "This needs the scope people:read."


def test_a_read_scope_does_not_allow_writing(client_with):
    caller = client_with(["people:read"])

    response = caller.put("/api/v1/people/by-employee-id/E1", {"first_name": "A"}, format="json")

    assert response.status_code == 403
    assert problem_of(response)["detail"] == "This needs the scope people:write."


def test_a_person_in_the_browser_reads_what_the_pages_show_them(person_caller):
    me = UserFactory(first_name="Ines")
    report = UserFactory(manager=me)
    stranger = UserFactory()

    response = person_caller(me).get("/api/v1/people")

    ids = {row["id"] for row in response.json()["results"]}
    assert str(me.uuid) in ids
    assert str(report.uuid) in ids
    assert str(stranger.uuid) not in ids
    assert person_caller(me).get(f"/api/v1/people/{stranger.uuid}").status_code == 404
    assert person_caller(me).get("/api/v1/me").json()["person_id"] == str(me.uuid)


def test_a_browser_write_without_the_csrf_token_is_refused(person_caller):
    forged = person_caller(HRAdminFactory())

    response = forged.put("/api/v1/people/by-employee-id/E1", {"first_name": "A"}, format="json")

    assert response.status_code == 403
    assert "CSRF" in problem_of(response)["detail"]


def test_an_hr_admin_writes_through_the_api_in_the_browser():
    admin = APIClient()  # the test client's session passes CSRF, as the product's forms do
    admin.force_login(HRAdminFactory())

    response = admin.put("/api/v1/people/by-employee-id/E1", {"first_name": "Ada"}, format="json")

    assert response.status_code == 201


def test_a_person_who_is_no_hr_admin_is_told_so_on_writing():
    caller = APIClient()  # the test client's session skips CSRF, as a same-site form would send it
    caller.force_login(UserFactory())

    response = caller.put("/api/v1/people/by-employee-id/E1", {"first_name": "A"}, format="json")

    assert response.status_code == 403
    assert problem_of(response)["detail"] == "Only HR admins change records through the API."
