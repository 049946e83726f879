"""The OpenAPI schema: every operation documents its problem responses and its scope."""

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import force_instance
from drf_spectacular.utils import OpenApiParameter
from rest_framework import permissions

from . import idempotency
from .scopes import SCOPES, scope_needed
from .views.base import StrictSerializer

PROBLEM = {"$ref": "#/components/schemas/Problem"}
PROBLEM_CONTENT = {"application/problem+json": {"schema": PROBLEM}}
_ERRORS_READ = {
    "400": "Invalid input: a filter, the cursor or the page size",
    "401": "No valid token or session",
    "403": "The client's scopes or data scope do not allow this",
    "404": "No such row, or not one the caller may see",
    "406": "Not acceptable",
    "429": "Rate limit reached: wait Retry-After seconds",
}
_ERRORS_WRITE = {
    **_ERRORS_READ,
    "400": "Invalid input, with field errors; nothing was saved",
    "409": "A request with the same Idempotency-Key is still running",
    "413": "The body is too large",
    "415": "Send application/json",
    "422": "The Idempotency-Key was used for another request",
}


class ProblemAutoSchema(AutoSchema):
    def get_override_parameters(self):
        parameters = super().get_override_parameters()
        if self.method not in permissions.SAFE_METHODS:
            parameters = [
                *parameters,
                OpenApiParameter(
                    idempotency.HEADER,
                    {
                        "type": "string",
                        "minLength": 1,
                        "maxLength": idempotency.MAX_KEY_LENGTH,
                        "pattern": f"^{idempotency.KEY_PATTERN.pattern}$",
                    },
                    OpenApiParameter.HEADER,
                    description=(
                        "Retry safely: the same key and body replay the first response. "
                        "Visible ASCII characters; a new UUID for each new request is best."
                    ),
                ),
            ]
        return parameters

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request" and isinstance(force_instance(serializer), StrictSerializer):
            schema["additionalProperties"] = False  # it refuses a field it does not know
        for field in schema.get("properties", {}).values():
            _without_column_limits(field)
        return schema

    def _get_filter_parameters(self):
        # A filter sent empty is a filter left out (django-filter's rule, which the lists'
        # forms in the pages rely on): `?updated_since=` lists every row.
        return [
            {**parameter, "allowEmptyValue": True} for parameter in super()._get_filter_parameters()
        ]

    def _get_response_bodies(self, direction="response"):
        bodies = super()._get_response_bodies(direction)
        table = _ERRORS_READ if self.method in permissions.SAFE_METHODS else _ERRORS_WRITE
        for code, description in table.items():
            if code == "404" and not self._is_detail():
                continue
            bodies.setdefault(code, {"description": description, "content": PROBLEM_CONTENT})
        return bodies

    def _is_detail(self) -> bool:
        return "{" in self.path

    def get_auth(self):
        needed = scope_needed(self.view, self.method)
        return [{"oauth2": [needed] if needed else []}, {"cookieAuth": []}]

    def get_description(self):
        text = super().get_description() or ""
        needed = scope_needed(self.view, self.method)
        if needed:
            text = f"{text}\n\nScope: `{needed}`.".strip()
        return text


# The bounds Django gives an integer field from its database column: 32767 for a small
# integer on PostgreSQL, 2**63 - 1 for any integer on SQLite. Left in, they would make the
# schema depend on the database it was generated with; the field's own bounds stay.
_COLUMN_LIMITS = {
    limit for bits in (16, 32, 64) for limit in (2 ** (bits - 1) - 1, -(2 ** (bits - 1)))
}


def _without_column_limits(schema: dict) -> None:
    if schema.get("type") == "integer":
        for bound in ("maximum", "minimum"):
            if schema.get(bound) in _COLUMN_LIMITS:
                del schema[bound]
        int32 = range(-(2**31), 2**31)
        if schema.get("format") == "int64" and all(  # drf-spectacular's mark of a wide bound
            schema.get(bound, 0) in int32 for bound in ("maximum", "minimum")
        ):
            del schema["format"]
    for key in ("oneOf", "anyOf", "allOf"):
        for part in schema.get(key, []):
            _without_column_limits(part)


def add_problem_component(result, generator, request, public):
    """The Problem schema (RFC 9457) and the scopes, which the operations above refer to."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Problem"] = {
        "type": "object",
        "required": ["type", "title", "status", "detail"],
        "properties": {
            "type": {"type": "string", "format": "uri"},
            "title": {"type": "string"},
            "status": {"type": "integer"},
            "detail": {"type": "string"},
            "errors": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["field", "code", "message"],
                    "properties": {
                        "field": {"type": "string"},
                        "code": {"type": "string"},
                        "message": {"type": "string"},
                    },
                },
            },
        },
    }
    schemes = result["components"].setdefault("securitySchemes", {})
    schemes["oauth2"]["flows"]["clientCredentials"]["scopes"] = {
        name: str(text) for name, text in SCOPES.items()
    }
    schemes["cookieAuth"] = {"type": "apiKey", "in": "cookie", "name": "sessionid"}
    return result
