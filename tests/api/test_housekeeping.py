"""The hourly job that forgets expired tokens and old Idempotency-Keys."""

from datetime import timedelta

import pytest
from allauth.idp.oidc.models import Token
from django.utils import timezone

from api.housekeeping import api_records_forget
from api.models import IdempotentRequest

pytestmark = pytest.mark.django_db


def test_expired_tokens_and_old_keys_are_forgotten_and_the_rest_kept(client_with):
    stale, fresh = client_with(name="stale"), client_with(name="fresh")
    Token.objects.filter(client_id=stale.api_client.client_id).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    for key, age in (("old", timedelta(days=2)), ("new", timedelta(hours=1))):
        row = IdempotentRequest.objects.create(
            caller="client:x", key=key, method="POST", path="/", fingerprint="f"
        )
        IdempotentRequest.objects.filter(pk=row.pk).update(created_at=timezone.now() - age)

    first = api_records_forget()
    again = api_records_forget()

    assert first == {"tokens": 1, "idempotency_keys": 1}
    assert again == {"tokens": 0, "idempotency_keys": 0}
    assert list(IdempotentRequest.objects.values_list("key", flat=True)) == ["new"]
    assert fresh.get("/api/v1/me").status_code == 200
    assert stale.get("/api/v1/me").status_code == 401
