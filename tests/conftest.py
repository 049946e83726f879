"""Shared fixtures, and the rule that a test needing a service skips locally but fails in CI."""

import os

import pytest
from django.conf import settings
from django.db import connection

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def pytest_configure(config):
    # Hashing every factory user's password with the production hasher dominates the suite.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _missing(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (required here: REQUIRE_SERVICES=1)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def _require_services(request):
    if request.node.get_closest_marker("postgres") and connection.vendor != "postgresql":
        _missing("needs PostgreSQL: set DATABASE_URL")
    if request.node.get_closest_marker("redis") and not settings.REDIS_URL:
        _missing("needs Redis: set REDIS_URL")
