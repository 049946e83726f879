"""The network address a request came from, as every limit that counts by address reads it."""

import ipaddress

from django.conf import settings


def client_address(request) -> str:
    """The address a request came from: behind TRUSTED_PROXY_COUNT proxies, the one the
    outermost proxy saw (the rest of X-Forwarded-For is the client's to forge), written as
    an address is (so one address is one count); the connection's own when the header holds
    no address there."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count and (address := _address(hops[-count])):
            return address
    return request.META.get("REMOTE_ADDR", "")


def _address(text: str) -> str | None:
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:  # not an address (a port, a name, garbage): not believed
        return None
