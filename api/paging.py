"""The one pagination of every list: keyset pages in sync order, behind an opaque cursor.

Rows come ordered by (updated_at, id). The cursor holds the last row's pair, signed, so
the next page starts strictly after it: a committed row that does not change is delivered
once in a pass however the others change meanwhile, and a row that changes moves behind
the cursor and is delivered again with what changed. `updated_at` is stamped when a write
begins, so a write still committing behind the cursor is read by the next sync, which
the README tells integrators to start a few minutes early. No page counts the table.
"""

from django.core import signing
from django.db.models import Q
from django.utils.dateparse import parse_datetime
from rest_framework import exceptions
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
_SALT = "api.cursor"


class SyncCursorPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        # (a moment, a unique id) that orders the rows; append-only rows name their own
        self.keys = when, which = getattr(view, "sync_keys", ("updated_at", "uuid"))
        size = self._page_size(request)
        after = self._after(request)
        if after is not None:
            stamp, uuid = after
            # The range on the moment alone lets the index start at the cursor.
            queryset = queryset.filter(**{f"{when}__gte": stamp}).filter(
                Q(**{f"{when}__gt": stamp}) | Q(**{f"{which}__gt": uuid})
            )
        rows = list(queryset.order_by(when, which)[: size + 1])
        self.has_next = len(rows) > size
        self.page = rows[:size]
        return self.page

    def get_paginated_response(self, data):
        return Response({"next": self._next_link(), "results": data})

    def _next_link(self) -> str | None:
        if not self.has_next:
            return None
        last = self.page[-1]
        when, which = self.keys
        # a list read as rows (api.rows) pages dicts; the others, instances
        value = last.__getitem__ if isinstance(last, dict) else lambda key: getattr(last, key)
        token = signing.dumps([value(when).isoformat(), str(value(which))], salt=_SALT)
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, token)

    def _page_size(self, request) -> int:
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return DEFAULT_PAGE_SIZE
        if not given.isdigit() or not 1 <= int(given) <= MAX_PAGE_SIZE:
            raise exceptions.ValidationError(
                {"page_size": [f"Give a whole number from 1 to {MAX_PAGE_SIZE}."]}
            )
        return int(given)

    def _after(self, request):
        token = request.query_params.get(self.cursor_query_param)
        if not token:
            return None
        try:
            stamp, uuid = signing.loads(token, salt=_SALT)
            moment = parse_datetime(stamp)
        except (signing.BadSignature, TypeError, ValueError):
            moment = None
        if moment is None:
            raise exceptions.ValidationError(
                {"cursor": ["This cursor is not one the API gave: follow the `next` link as is."]}
            )
        return moment, uuid

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "in": "query",
                "required": False,
                "description": "Where the page starts: take it from the previous page's `next`.",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_size_query_param,
                "in": "query",
                "required": False,
                "description": (
                    f"Rows a page ({DEFAULT_PAGE_SIZE} unless given, {MAX_PAGE_SIZE} at most)."
                ),
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "format": "uri", "nullable": True},
                "results": schema,
            },
        }
