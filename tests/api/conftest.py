"""Callers of the HR API: clients that get their token from the token endpoint, as an HR
system does, and people signed in in the browser."""

import base64

import pytest
from rest_framework.test import APIClient

from api.scopes import SCOPES
from api.services import client_create

ALL_SCOPES = sorted(SCOPES)


def token_for(client_id: str, secret: str, **extra) -> tuple[int, dict]:
    basic = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    response = APIClient().post(
        "/api/v1/oauth/token",
        {"grant_type": "client_credentials", **extra},
        format=None,
        HTTP_AUTHORIZATION=f"Basic {basic}",
    )
    return response.status_code, response.json()


@pytest.fixture
def client_with():
    """`client_with(scopes, data_scope="company", org_units=())` -> an APIClient that sends
    a token of a new API client; `.api_client` and `.secret` say which."""

    def make(scopes=ALL_SCOPES, data_scope="company", org_units=(), name="HRIS"):
        api_client, secret = client_create(
            name=name,
            scopes=scopes,
            data_scope=data_scope,
            org_units=org_units,
            created_by=None,
        )
        status, body = token_for(api_client.client_id, secret)
        assert status == 200, body
        caller = APIClient()
        caller.credentials(HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
        caller.api_client, caller.secret, caller.token = api_client, secret, body["access_token"]
        return caller

    return make


@pytest.fixture
def person_caller():
    """`person_caller(user)` -> an APIClient signed in as that person, CSRF enforced."""

    def make(user):
        caller = APIClient(enforce_csrf_checks=True)
        caller.force_login(user)
        return caller

    return make


def problem_of(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response.content
    return response.json()


def fields_of(response) -> dict[str, str]:
    """{field: message} of a problem response's field errors."""
    return {error["field"]: error["message"] for error in problem_of(response)["errors"]}
