"""The planner settings every PostgreSQL connection of the app starts with."""

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


def test_a_connection_prices_an_index_probe_as_memory_or_ssd_does():
    # The server's default (4) assumes a disk seek for every random read.
    assert float(_setting("random_page_cost")) == pytest.approx(1.1)


def test_a_server_side_cursor_is_planned_to_be_read_to_the_end():
    assert float(_setting("cursor_tuple_fraction")) == 1.0


def test_queries_are_not_compiled_with_jit():
    assert _setting("jit") == "off"
