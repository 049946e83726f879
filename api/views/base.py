"""What every API view does around its own work: body size, rate-limit headers,
idempotent retries, OPTIONS, and refusing fields it does not know."""

from django.conf import settings
from django.db import IntegrityError
from rest_framework import mixins, serializers, viewsets
from rest_framework.metadata import SimpleMetadata
from rest_framework.views import APIView

from talentdev.core.validators import (
    validate_multiline_text,
    validate_sane_date,
    validate_single_line_text,
)

from .. import idempotency
from ..problems import Conflict, TooLarge
from ..throttling import caller_of


class EndpointMetadata(SimpleMetadata):
    """What OPTIONS answers: the endpoint's name, description and formats; the schema
    documents its fields. (DRF's default also describes a form for each write method,
    which it builds by calling get_object(): that fails on an action such as
    /people/by-employee-id/{employee_id}, whose address holds no id.)"""

    def determine_actions(self, request, view):
        return {}


class ApiBehaviour:
    """Mixed into every API view, before DRF's view class."""

    metadata_class = EndpointMetadata

    def initial(self, request, *args, **kwargs):
        length = request.META.get("CONTENT_LENGTH") or "0"
        if length.isdigit() and int(length) > settings.API_MAX_BODY_BYTES:
            raise TooLarge(f"Send at most {settings.API_MAX_BODY_BYTES} bytes in one request.")
        if "\x00" in request.path or any(
            "\x00" in value for _name, values in request.query_params.lists() for value in values
        ):
            # PostgreSQL refuses a NUL inside text: it would fail deep in a query.
            raise serializers.ValidationError(
                {"": ["The address holds a NUL character, which no key or filter can."]}
            )
        super().initial(request, *args, **kwargs)
        # A method this address does not take is answered 405 next, and must not use up
        # (or be answered with the replay of) the key it was sent with.
        if hasattr(self, request.method.lower()):
            request.idempotent = idempotency.claim(request, caller_of(request))

    def handle_exception(self, exc):
        if isinstance(exc, idempotency.Replay):
            return exc.response
        if isinstance(exc, IntegrityError):
            # Two writers created the same key at once (an employee ID, a code): the
            # loser's transaction rolled back, and a retry finds the row the other made.
            exc = Conflict("Another request wrote the same record at the same moment: retry.")
        record = getattr(self.request, "idempotent", None)
        try:
            return super().handle_exception(exc)
        except Exception:
            if record is not None:
                idempotency.release(record)
            raise

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        for name, value in getattr(request, "rate_limit", {}).items():
            response[name] = value
        record = getattr(request, "idempotent", None)
        if record is not None:
            if hasattr(response, "render"):
                response.render()
            idempotency.complete(record, response)
        return response


class ApiView(ApiBehaviour, APIView):
    pass


class ApiViewSet(ApiBehaviour, viewsets.GenericViewSet):
    pass


# The style of a text field that takes several lines: DRF's own mark for a TextField.
MULTILINE = {"base_template": "textarea.html"}


class StrictSerializer(serializers.Serializer):
    """Refuses a field it does not know, rather than dropping it without a word."""

    # The docstring above is each input's description in the schema; this is why the
    # fields follow the input rules the pages follow (talentdev.core.forms): dates within
    # sane years, text without control characters, on one line unless the field is marked
    # MULTILINE (as a page's Textarea is, for text stored in a TextField).
    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            if field.read_only:
                continue
            if isinstance(field, serializers.CharField):
                multiline = field.style.get("base_template") == MULTILINE["base_template"]
                field.validators.append(
                    validate_multiline_text if multiline else validate_single_line_text
                )
            elif isinstance(field, serializers.DateField | serializers.DateTimeField):
                field.validators.append(validate_sane_date)
        return fields

    def to_internal_value(self, data):
        if isinstance(data, dict):
            known = {name for name, field in self.fields.items() if not field.read_only}
            unknown = sorted(set(data) - known)
            if unknown:
                raise serializers.ValidationError(
                    {name: ["This field is unknown here."] for name in unknown}
                )
        return super().to_internal_value(data)


UUID_PATTERN = r"[0-9a-fA-F-]{36}"


class ReadViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    """A resource read by its public id, listed in sync order.

    Subclasses name the `model`, the relations each row shows (`related` for keys,
    `prefetch` for lists), the serializer, the filter set and the scopes. Rows come from
    the model's `visible_to`, like every page's.
    """

    model = None
    related: tuple[str, ...] = ()
    prefetch: tuple = ()
    lookup_field = "uuid"
    lookup_url_kwarg = "id"
    lookup_value_regex = UUID_PATTERN

    def get_queryset(self):
        rows = self.visible_rows().select_related(*self.related)
        return rows.prefetch_related(*self.prefetch) if self.prefetch else rows

    def visible_rows(self):
        return self.model.objects.visible_to(self.request.user)


def ref(source: str, **options) -> serializers.UUIDField:
    """A related row by its public id: `program_id` from `program.uuid`."""
    return serializers.UUIDField(
        source=f"{source}.uuid", read_only=True, allow_null=True, **options
    )


class ReadSerializer(serializers.ModelSerializer):
    """Every resource shows its public id as `id`, and nothing is written through it."""

    id = serializers.UUIDField(source="uuid", read_only=True)

    def get_fields(self):
        fields = super().get_fields()
        for field in fields.values():
            field.read_only = True
        return fields
