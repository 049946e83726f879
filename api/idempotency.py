"""Idempotency-Key on POST, PUT and PATCH: a retry replays the first response.

The key is claimed by inserting its row, which the database lets only one request do. A
retry with the same key and the same request gets the stored response; with another
request, 422; while the first is still running, 409. A request that failed with a server
error gives its key back, so the retry runs.
"""

import hashlib
import re
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from rest_framework import exceptions

from .models import IdempotentRequest
from .problems import Conflict, Unprocessable

HEADER = "Idempotency-Key"
# Longer than any request may run: a worker is stopped well before.
IN_FLIGHT_LEASE = timedelta(minutes=5)
METHODS = {"POST", "PUT", "PATCH"}
MAX_KEY_LENGTH = 200
# Visible ASCII, as the schema documents it: a space at either end would not survive the
# trip through HTTP, and a letter outside ASCII reaches the server in whichever encoding.
KEY_PATTERN = re.compile(rf"[!-~]{{1,{MAX_KEY_LENGTH}}}")


class Replay(Exception):  # noqa: N818 - not an error: it carries the response to send again
    def __init__(self, response: HttpResponse):
        self.response = response


def claim(request, caller: str) -> IdempotentRequest | None:
    """The row this request's key now holds, or None when it sent no key.

    Raises Replay with the first response, or a problem when the key cannot be used.
    """
    key = request.headers.get(HEADER)
    if request.method not in METHODS or key is None:
        return None
    if not KEY_PATTERN.fullmatch(key):
        raise exceptions.ValidationError(
            {HEADER: [f"Give a key of 1 to {MAX_KEY_LENGTH} visible ASCII characters, a UUID say."]}
        )
    path = request.get_full_path()[:500]
    fingerprint = hashlib.sha256(
        b"\n".join([request.method.encode(), path.encode(), request.body])
    ).hexdigest()
    now = timezone.now()
    # A key past its day is forgotten; one whose request never finished (its worker was
    # killed) is given back after a lease far longer than any request runs.
    IdempotentRequest.objects.filter(caller=caller, key=key).filter(
        Q(created_at__lt=now - settings.API_IDEMPOTENCY_TTL)
        | Q(completed_at__isnull=True, created_at__lt=now - IN_FLIGHT_LEASE)
    ).delete()
    try:
        with transaction.atomic():
            return IdempotentRequest.objects.create(
                caller=caller, key=key, method=request.method, path=path, fingerprint=fingerprint
            )
    except IntegrityError:
        pass
    first = IdempotentRequest.objects.filter(caller=caller, key=key).first()
    if first is None:  # given back by a failed first request just now: try once more
        return claim(request, caller)
    if first.fingerprint != fingerprint:
        raise Unprocessable(
            f"This {HEADER} was used for another request: use a new key for a new request."
        )
    if first.completed_at is None:
        raise Conflict(f"A request with this {HEADER} is still running: retry in a moment.")
    replay = HttpResponse(
        bytes(first.body), status=first.status_code, content_type=first.content_type
    )
    replay["Idempotent-Replayed"] = "true"
    raise Replay(replay)


def complete(record: IdempotentRequest, response) -> None:
    """Keep the response for retries, or give the key back after a server error."""
    if response.status_code >= 500:
        release(record)
        return
    IdempotentRequest.objects.filter(pk=record.pk).update(
        status_code=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=response.content,
        completed_at=timezone.now(),
    )


def release(record: IdempotentRequest) -> None:
    IdempotentRequest.objects.filter(pk=record.pk).delete()
