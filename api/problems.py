"""Every error the API answers, as RFC 9457 problem details (application/problem+json).

{"type": ".../problems/validation", "title": "Invalid input", "status": 400,
 "detail": "...", "errors": [{"field": "manager", "code": "unknown", "message": "..."}]}
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
# A URN per kind of problem: stable names a client can branch on, documented in the README.
TYPE_BASE = "urn:talentdev:problem:"

# status -> (type slug, title): one type per kind of problem a client handles differently.
_KINDS = {
    400: ("validation", "Invalid input"),
    401: ("unauthenticated", "Not authenticated"),
    403: ("forbidden", "Not allowed"),
    404: ("not-found", "Not found"),
    405: ("method-not-allowed", "Method not allowed"),
    406: ("not-acceptable", "Not acceptable"),
    409: ("conflict", "Conflict"),
    413: ("too-large", "Request too large"),
    415: ("unsupported-media-type", "Unsupported media type"),
    422: ("unprocessable", "Unprocessable request"),
    429: ("rate-limited", "Too many requests"),
}


class ProblemRenderer(JSONRenderer):
    media_type = PROBLEM_CONTENT_TYPE


class ProblemResponse(Response):
    """A problem is JSON whatever the view renders otherwise: the schema view would write it
    as YAML under the problem's JSON content type."""

    @property
    def rendered_content(self):
        self.accepted_renderer = ProblemRenderer()
        self.accepted_media_type = PROBLEM_CONTENT_TYPE
        return super().rendered_content


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with another."
    default_code = "conflict"


class Unprocessable(exceptions.APIException):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = "The request cannot be processed."
    default_code = "unprocessable"


class Refused(exceptions.APIException):
    """Input refused with field errors already in the problem's form ({field, code, message})."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"

    def __init__(self, errors: list[dict]):
        self.errors = errors
        count = len(errors)
        super().__init__(
            errors[0]["message"]
            if count == 1
            else f"{count} fields are invalid; nothing was saved."
        )


class TooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is too large."
    default_code = "too_large"


def field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list of {field, code, message}; `field` is a
    dotted path ("records.3.manager"), empty for an error of the whole request."""
    if isinstance(detail, dict):
        found = []
        for name, inner in detail.items():
            name = "" if name in ("non_field_errors", "__all__") else str(name)
            path = ".".join(part for part in (prefix, name) if part)
            found.extend(field_errors(inner, path))
        return found
    if isinstance(detail, list):
        if all(isinstance(item, exceptions.ErrorDetail | str) for item in detail):
            return [_one(prefix, item) for item in detail]
        found = []
        for index, inner in enumerate(detail):
            if inner:
                found.extend(field_errors(inner, f"{prefix}.{index}" if prefix else str(index)))
        return found
    return [_one(prefix, detail)]


def _one(field: str, message) -> dict:
    return error(field, str(message), getattr(message, "code", "invalid"))


def error(field: str, message: str, code: str = "invalid") -> dict:
    return {"field": field, "code": code, "message": message}


def problem(status_code: int, detail: str, *, errors=None, headers=None, kind=None) -> Response:
    slug, title = kind or _KINDS.get(status_code, ("error", "Error"))
    body = {"type": TYPE_BASE + slug, "title": title, "status": status_code, "detail": detail}
    if errors is not None:
        body["errors"] = errors
    response = ProblemResponse(body, status=status_code, headers=headers)
    response.content_type = PROBLEM_CONTENT_TYPE
    return response


def problem_response(exc, context):
    """DRF's exception handler, answering problem details."""
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"": exc.messages}
        )
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    handled = exception_handler(exc, context)
    if handled is None:
        return None  # an error of ours: a 500, logged, never a made-up problem
    if isinstance(exc, Refused):
        response = problem(400, str(exc.detail), errors=exc.errors)
    elif isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        count = len(errors)
        detail = errors[0]["message"] if count == 1 else f"{count} fields are invalid."
        response = problem(400, detail, errors=errors)
    else:
        detail = exc.detail if isinstance(exc.detail, str) else str(exc.detail)
        response = problem(handled.status_code, detail)
    for name in ("WWW-Authenticate", "Retry-After", "Allow"):
        if name in handled:
            response[name] = handled[name]
    return response
