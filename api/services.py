"""Writes for API clients: made, given a new secret and revoked by HR admins."""

from allauth.idp.oidc.adapter import get_adapter
from allauth.idp.oidc.models import Client
from django.db import transaction
from django.utils import timezone

from talentdev.core.services import locked, model_update

from .models import ApiClient
from .scopes import SCOPES


@transaction.atomic
def client_create(
    *, name: str, scopes, data_scope: str, org_units=(), created_by
) -> tuple[ApiClient, str]:
    """A new client and its secret. The secret is returned this once and stored only as a
    hash: whoever loses it asks for a new one."""
    unknown = set(scopes) - set(SCOPES)
    if unknown:
        raise ValueError(f"unknown scopes: {sorted(unknown)}")
    oauth = Client(
        name=name[:100],
        type=Client.Type.CONFIDENTIAL,
        skip_consent=True,
        redirect_uris="",
    )
    oauth.set_grant_types([Client.GrantType.CLIENT_CREDENTIALS])
    oauth.set_scopes(sorted(scopes))
    oauth.set_default_scopes(sorted(scopes))
    secret = _new_secret(oauth)
    oauth.full_clean()
    oauth.save()
    client = ApiClient(
        name=name,
        oauth_client=oauth,
        client_id=oauth.pk,
        scopes=sorted(scopes),
        data_scope=data_scope,
        created_by=created_by,
    )
    client.full_clean()
    client.save()
    if data_scope == ApiClient.DataScope.ORG_UNITS:
        client.org_units.set(org_units)
    return client, secret


def _new_secret(oauth: Client) -> str:
    secret = get_adapter().generate_client_secret()
    oauth.set_secret(secret)
    return secret


@transaction.atomic
def client_secret_reset(*, client: ApiClient) -> str:
    """A new secret for a client in use; the old one stops working, as do its tokens."""
    client = locked(client)
    if client.is_revoked:
        raise ValueError("a revoked client gets no new secret")
    oauth = client.oauth_client
    secret = _new_secret(oauth)
    oauth.save(update_fields=["secret"])
    oauth.token_set.all().delete()
    model_update(client, allowed=(), fields={})
    return secret


@transaction.atomic
def client_revoke(*, client: ApiClient) -> ApiClient:
    """Stop a client for good: its credentials and every token it holds are deleted at
    once; the record stays, to say who it was and when it last called."""
    client = locked(client)
    if client.is_revoked:
        return client
    oauth = client.oauth_client
    client = model_update(
        client,
        allowed=("revoked_at", "oauth_client"),
        fields={"revoked_at": timezone.now(), "oauth_client": None},
    )
    if oauth is not None:
        oauth.delete()  # its tokens go with it
    return client
