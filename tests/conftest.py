"""Shared fixtures, and the rule that a test needing a service skips locally but fails in CI."""

import os
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

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


def _clear_cache():
    from django.core.cache import cache

    if not settings.REDIS_URL:
        cache.clear()
        return
    # The cache shares Redis with the broker: clearing the whole database would drop the
    # queues' bindings under a worker that a test has running. Only the cache's keys go.
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=f"{settings.CACHES['default']['KEY_PREFIX']}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with nothing kept from another (the pathway page keeps sections,
    the API counts requests)."""
    _clear_cache()
    yield
    _clear_cache()


@pytest.fixture(autouse=True)
def _default_time_zone():
    """Every test starts in the default zone: a request leaves its person's zone active in
    the thread (the next request sets its own), and the test client runs in the test's."""
    timezone.deactivate()
    yield
    timezone.deactivate()


@pytest.fixture(autouse=True)
def _broker_marked_up():
    """A test that found the broker down leaves the circuit breaker open: close it."""
    from talentdev.core.broker import breaker

    breaker.reset()
    yield
    breaker.reset()


@contextmanager
def unreachable_broker(url="redis://127.0.0.1:1/0"):
    """Point the Celery app at a loopback port nothing listens on (or at `url`), then
    restore it.

    The app caches connection and producer pools, and kombu keeps them in a registry keyed
    by broker. Both are emptied on the way in and out, so no later test inherits a closed
    pool or a connection to the wrong place.
    """
    from kombu import pools

    from talentdev.celery import app

    def drop_pools():
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    original = app.conf.broker_url
    drop_pools()
    app.conf.broker_url = url
    try:
        yield app.conf.broker_url
    finally:
        app.conf.broker_url = original
        drop_pools()
