"""Rate limits per client (or per person in the browser), counted in the shared cache.

A fixed one-minute window counted with the cache's atomic increment, so two web workers
(or twenty) never both let the last request through. Every answer says where the caller
stands: RateLimit-Limit, RateLimit-Remaining and RateLimit-Reset (seconds); a refused one
adds Retry-After.
"""

import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.throttling import BaseThrottle

from talentdev.core.addresses import client_address

from .identity import ServiceIdentity

WINDOW_SECONDS = 60


def caller_of(request) -> str:
    """Who a request counts against: the client, the person, or the address (the one the
    outermost trusted proxy saw, as the sign-in lock-out counts it)."""
    user = request.user
    if isinstance(user, ServiceIdentity):
        return f"client:{user.client.client_id}"
    if user and user.is_authenticated:
        return f"person:{user.pk}"
    return f"address:{client_address(request)}"


class ClientRateThrottle(BaseThrottle):
    def allow_request(self, request, view) -> bool:
        limit = settings.API_RATE_PER_MINUTE
        now = time.time()
        window = int(now // WINDOW_SECONDS)
        key = f"api-rate:{caller_of(request)}:{window}"
        # add() sets the counter only if this is the window's first request; incr() is atomic.
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            used = cache.incr(key)
        except ValueError:  # expired between add and incr: this request starts the window
            cache.add(key, 1, timeout=WINDOW_SECONDS * 2)
            used = 1
        self.reset = max(1, int((window + 1) * WINDOW_SECONDS - now + 0.999))
        request.rate_limit = {
            "RateLimit-Limit": str(limit),
            "RateLimit-Remaining": str(max(0, limit - used)),
            "RateLimit-Reset": str(self.reset),
        }
        return used <= limit

    def wait(self) -> float:
        return self.reset
