"""Request middleware: each viewer's own time zone, and the benchmark's server timing."""

import time
import zoneinfo

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.utils import timezone


class UserTimeZoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            try:
                # The person's zone, safe for times at the calendar's ends (people.User.zone).
                timezone.activate(user.zone)
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


class QueryCounter:
    """Counts the queries a connection runs, and the time they take, without DEBUG.

    Used as `with connection.execute_wrapper(counter):`; it keeps counting across
    reconnects, since the wrapper belongs to the connection object, not the socket.
    """

    def __init__(self):
        self.count = 0
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.count += 1
            self.seconds += time.perf_counter() - began


class ServerTimingMiddleware:
    """Tells the benchmark each response's server time and query count in a `Server-Timing`
    header: `total;dur=<ms>, db;dur=<ms>;count=<queries>`. Only with BENCH_TIMING on, and
    listed first, so it times every other middleware too.

    A streamed response (the roster's CSV) is read to its end here, so its figures cover
    writing every row rather than only the first; this costs memory, which is why it is for
    a benchmark only.
    """

    def __init__(self, get_response):
        if not getattr(settings, "BENCH_TIMING", False):
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        counter = QueryCounter()
        began = time.perf_counter()
        with connection.execute_wrapper(counter):
            response = self.get_response(request)
            if response.streaming:
                response.streaming_content = [b"".join(response.streaming_content)]
        total = (time.perf_counter() - began) * 1000
        response["Server-Timing"] = (
            f"total;dur={total:.3f}, db;dur={counter.seconds * 1000:.3f};count={counter.count}"
        )
        return response
