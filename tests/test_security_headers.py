"""Over HTTP, from gunicorn in production mode as deployed: pages and static files carry the
security headers, and the server names no version."""

import http.client
import re

import pytest

from talentdev.bench.server import running_server
from tests.services import database_url

# The server is another process: it reads what the test commits, in the test's database.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "frame-ancestors": "'none'",
    "form-action": "'self'",
}


def get(server, path):
    connection = http.client.HTTPConnection(server.host, server.port, timeout=10)
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read().decode(errors="replace")
    connection.close()
    return response, body


def assert_secured(response):
    directives = dict(
        part.strip().split(" ", 1)
        for part in response.getheader("Content-Security-Policy").split(";")
    )
    assert {name: directives.get(name) for name in POLICY} == POLICY
    permissions = response.getheader("Permissions-Policy")
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in permissions
    assert response.getheader("X-Content-Type-Options") == "nosniff"
    assert response.getheader("Referrer-Policy") == "same-origin"
    # gunicorn names itself without its version, and nothing else names the software.
    assert response.getheader("Server") == "gunicorn"
    assert response.getheader("X-Powered-By") is None


def test_pages_and_static_files_carry_the_security_headers(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", database_url())
    with running_server(workers=1) as server:
        page, body = get(server, "/accounts/login/")
        assert page.status == 200
        assert_secured(page)
        assert page.getheader("X-Frame-Options") == "DENY"

        stylesheet = re.search(r'href="(/static/css/talentdev\.[0-9a-f]+\.css)"', body).group(1)
        static, css = get(server, stylesheet)
        assert static.status == 200
        assert ".htmx-indicator" in css
        assert_secured(static)
