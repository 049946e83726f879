"""Forgetting what the API no longer needs: expired tokens and old Idempotency-Keys."""

from allauth.idp.oidc.models import Token
from django.conf import settings
from django.utils import timezone

from .models import IdempotentRequest


def api_records_forget() -> dict[str, int]:
    """Delete access tokens past their expiry and keys older than API_IDEMPOTENCY_TTL.

    Deleting what is past its time is the same however often it runs, and two workers at
    once delete each row once. Returns how many of each went.
    """
    tokens, _ = Token.objects.expired().delete()
    keys, _ = IdempotentRequest.objects.filter(
        created_at__lt=timezone.now() - settings.API_IDEMPOTENCY_TTL
    ).delete()
    return {"tokens": tokens, "idempotency_keys": keys}
