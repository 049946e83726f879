"""Pages keep to the Content-Security-Policy: no inline script, event handler or style in a
template, and the headers that say so on every response."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

TEMPLATES = Path(settings.BASE_DIR, "templates")
# Email is read by mail clients, not under the site's policy, and needs inline styles.
EMAIL = TEMPLATES / "email"

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc=)[^>]*>\s*\S", re.IGNORECASE)
EVENT_HANDLER = re.compile(r"<[a-z][^>]*\s(on[a-z]+|hx-on[:\w-]*)\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ATTRIBUTE = re.compile(r"<[a-z][^>]*\sstyle\s*=", re.IGNORECASE | re.DOTALL)
STYLE_ELEMENT = re.compile(r"<style\b", re.IGNORECASE)
EVAL_VALUE = re.compile(r"""=\s*["']\s*(js|javascript):""", re.IGNORECASE)


def offences(text: str) -> list[str]:
    """What in one template the policy would block."""
    found = []
    for name, pattern in (
        ("inline script", INLINE_SCRIPT),
        ("event handler", EVENT_HANDLER),
        ("style attribute", STYLE_ATTRIBUTE),
        ("style element", STYLE_ELEMENT),
        ("eval value", EVAL_VALUE),
    ):
        found += [f"{name}: {match.group(0)[:60]!r}" for match in pattern.finditer(text)]
    return found


def page_templates():
    return sorted(
        path
        for path in TEMPLATES.rglob("*.html")
        if EMAIL not in path.parents and path.name != "password_reset_email.html"
    )


def test_no_template_has_inline_script_handlers_or_styles():
    found = {
        str(path.relative_to(TEMPLATES)): offences(path.read_text()) for path in page_templates()
    }
    assert {name: what for name, what in found.items() if what} == {}


@pytest.mark.parametrize(
    "markup",
    [
        "<script>alert(1)</script>",
        '<script type="module">\n  go()\n</script>',
        '<button onclick="go()">Go</button>',
        '<button type="button"\n        hx-on:click="go()">Go</button>',
        '<td style="width: 5%">',
        "<style>p { color: red }</style>",
        '<div hx-vals="js:{a: 1}">',
    ],
)
def test_the_check_finds_what_the_policy_blocks(markup):
    assert offences(markup)


@pytest.mark.parametrize(
    "markup",
    [
        '<script src="/static/js/talentdev.js"></script>',
        '<button type="button" data-print>Print</button>',
        '<form method="post" action="/x">',
        '<div class="progress-bar pct-40"></div>',
        "<p>Style matters; so does onboarding.</p>",
    ],
)
def test_the_check_passes_what_the_policy_allows(markup):
    assert offences(markup) == []


@pytest.mark.django_db
def test_every_response_carries_the_policy_headers(client):
    response = client.get(reverse("login"))

    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["object-src"] == "'none'"
    assert policy["base-uri"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in response["Permissions-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_only_the_api_documentation_may_add_styles(client):
    for name in ("api:swagger", "api:redoc"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        policy = response["Content-Security-Policy"]
        assert "style-src 'self' 'unsafe-inline'" in policy
        assert "script-src 'self';" in policy
        assert "<script>" not in response.text


def _directives(**environment) -> dict:
    """The policy's directives as settings read them from this environment."""
    script = (
        "import django, json; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.CONTENT_SECURITY_POLICY['DIRECTIVES']))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "talentdev.settings", **environment},
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_a_deployment_can_add_sources_to_a_directive():
    directives = _directives(CSP_IMG_SRC_EXTRA="https://cdn.example.com,data:")
    assert directives["img-src"] == ["'self'", "data:", "https://cdn.example.com"]
    assert directives["script-src"] == ["'self'"]
    assert _directives()["img-src"] == ["'self'", "data:"]
