"""The network address a request came from, as every limit that counts by address reads it."""

from django.conf import settings


def client_address(request) -> str:
    """The address a request came from: behind TRUSTED_PROXY_COUNT proxies, the one the
    outermost proxy saw (the rest of X-Forwarded-For is the client's to forge)."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")
