"""The API's own records: the HR systems allowed in, and the responses kept for retries."""

import uuid as uuid_module

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from talentdev.core.models import TimeStampedModel, check, unique


class ApiClient(TimeStampedModel):
    """An HR system that calls the API with OAuth 2.0 client credentials.

    It acts as a service identity, never as a person: it may do what its scopes name, to
    the rows its data scope covers. The OAuth client (id, hashed secret, tokens) belongs to
    the OAuth server; revoking removes it, with every token it holds, and keeps this record.
    """

    class DataScope(models.TextChoices):
        COMPANY = "company", _("The whole company")
        ORG_UNITS = "org_units", _("People in chosen org units and the units below them")

    name = models.CharField(max_length=100)
    oauth_client = models.OneToOneField(
        "allauth_idp_oidc.Client",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="api_client",
    )
    # The OAuth client id, kept after revocation so the list still says which client it was.
    client_id = models.CharField(max_length=100, unique=True)
    scopes = models.JSONField(default=list)
    data_scope = models.CharField(
        max_length=16, choices=DataScope.choices, default=DataScope.COMPANY
    )
    org_units = models.ManyToManyField("people.OrgUnit", blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            check(
                "revoked_has_no_oauth_client",
                Q(revoked_at__isnull=True) | Q(oauth_client__isnull=True),
                _("A revoked client keeps no OAuth credentials."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


class IdempotentRequest(models.Model):
    """A write sent with an Idempotency-Key, and the response it got.

    A retry with the same key and body gets this response again rather than doing the
    write twice; while `completed_at` is empty the first request is still running.
    """

    # "client:<id>" or "person:<id>": a key is only ever looked up for whoever sent it.
    caller = models.CharField(max_length=120)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    # SHA-256 of the method, path and body: the same key with another request is refused.
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(blank=True, default=b"")
    created_at = models.DateTimeField(auto_now_add=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            unique(
                "one_per_key",
                "caller",
                "key",
                message=_("This Idempotency-Key was already used."),
            ),
        ]
        indexes = [
            # the sweep of keys older than API_IDEMPOTENCY_TTL
            models.Index(fields=["created_at"], name="idempotent_request_age"),
        ]

    def __str__(self):
        return f"{self.caller} {self.key}"


class Deletion(models.Model):
    """A row the API showed that no longer exists, so a sync can drop it too.

    Few rows are ever deleted (evidence is protected; people are deactivated), but a draft
    pathway's step or a row removed in the admin would otherwise vanish unseen.
    """

    # What the row was, as the API names its resources ("people", "pathways", ...).
    resource = models.CharField(max_length=50)
    object_id = models.UUIDField()
    # For a person: their org unit, so a client limited to org units learns only of its own.
    org_unit_id = models.BigIntegerField(null=True, blank=True)
    deleted_at = models.DateTimeField(auto_now_add=True)
    uuid = models.UUIDField(default=uuid_module.uuid4, unique=True, editable=False)

    class Meta:
        indexes = [
            # the API's sync: deletions since a time, in the order pages are read
            models.Index(fields=["deleted_at", "uuid"], name="deletion_by_time"),
        ]

    def __str__(self):
        return f"{self.resource} {self.object_id}"
