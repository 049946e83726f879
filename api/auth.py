"""How a request to the API says who it comes from: a client's bearer token, or a person's
browser session (with its CSRF token, as DRF's session authentication demands)."""

from datetime import timedelta

from allauth.idp.oidc.contrib.rest_framework import authentication as oidc
from django.utils import timezone
from rest_framework import authentication, exceptions

from talentdev.core.channel import source_named

from .identity import ServiceIdentity
from .models import ApiClient

# "Last used" is what an HR admin reads to find a forgotten client: to the minute is plenty,
# and writing it on every request would make each read a write.
LAST_USED_PRECISION = timedelta(minutes=1)


class ClientTokenAuthentication(oidc.TokenAuthentication):
    """An access token from /api/v1/oauth/token, checked by the OAuth server (hashed,
    unexpired, unrevoked), then mapped to its client's service identity."""

    def authenticate(self, request):
        found = super().authenticate(request)
        if found is None:
            if request.headers.get("Authorization", "").lower().startswith("bearer "):
                raise exceptions.AuthenticationFailed(
                    "The access token is unknown, expired or revoked: ask for a new one."
                )
            return None
        _, token = found
        client = ApiClient.objects.filter(oauth_client_id=token.client_id).first()
        if client is None or client.is_revoked:
            raise exceptions.AuthenticationFailed("This client has been revoked.")
        now = timezone.now()
        if client.last_used_at is None or now - client.last_used_at >= LAST_USED_PRECISION:
            ApiClient.objects.filter(pk=client.pk).update(last_used_at=now)
        # The client's changes are recorded as its own in the audit history.
        source_named(client.name)
        return ServiceIdentity(client), token

    def authenticate_header(self, request):
        return 'Bearer realm="api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """A signed-in person in the browser; they see through the API what the pages show."""
