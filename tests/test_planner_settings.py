"""The planner settings every PostgreSQL connection of the app starts with, added to the
server settings DATABASE_URL's own `options` carry rather than replacing them."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from talentdev.settings import pg_options_with, pg_setting_names

PLANNER = {"random_page_cost": "1.1", "cursor_tuple_fraction": "1", "jit": "off"}


def _setting(name: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {name}")
        return cursor.fetchone()[0]


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_connection_prices_an_index_probe_as_memory_or_ssd_does():
    # The server's default (4) assumes a disk seek for every random read.
    assert float(_setting("random_page_cost")) == pytest.approx(1.1)


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_server_side_cursor_is_planned_to_be_read_to_the_end():
    assert float(_setting("cursor_tuple_fraction")) == 1.0


@pytest.mark.postgres
@pytest.mark.django_db
def test_queries_are_not_compiled_with_jit():
    assert _setting("jit") == "off"


# Merging a DATABASE_URL's options with the planner settings


def test_no_options_of_its_own_gives_the_planner_settings():
    assert (
        pg_options_with("", PLANNER)
        == "-c random_page_cost=1.1 -c cursor_tuple_fraction=1 -c jit=off"
    )


def test_the_urls_options_are_kept_and_the_planner_settings_added():
    merged = pg_options_with("-c statement_timeout=5000", PLANNER)
    assert merged == (
        "-c statement_timeout=5000 -c random_page_cost=1.1 -c cursor_tuple_fraction=1 -c jit=off"
    )


@pytest.mark.parametrize(
    "own",
    [
        "-c random_page_cost=4",
        "-crandom_page_cost=4",
        "--random_page_cost=4",
        "--random-page-cost=4",
        "-c Random_Page_Cost=4",
        "  -c   random_page_cost=4  ",
    ],
)
def test_a_setting_the_url_makes_itself_is_not_added_again(own):
    merged = pg_options_with(own, PLANNER)
    assert merged == f"{own.strip()} -c cursor_tuple_fraction=1 -c jit=off"
    assert pg_setting_names(merged) == {"random_page_cost", "cursor_tuple_fraction", "jit"}


def test_a_value_with_an_escaped_space_is_one_setting():
    own = r"-c search_path=a,\ b -c jit=on"
    assert pg_setting_names(own) == {"search_path", "jit"}
    assert pg_options_with(own, PLANNER) == (
        rf"{own} -c random_page_cost=1.1 -c cursor_tuple_fraction=1"
    )


READ_OPTIONS = (
    "import json, django; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default']['OPTIONS']))"
)
SHOW_SETTINGS = """
import json, django
django.setup()
from django.db import connection
shown = {}
with connection.cursor() as cursor:
    for name in ["statement_timeout", "random_page_cost", "cursor_tuple_fraction", "jit"]:
        cursor.execute(f"SHOW {name}")
        shown[name] = cursor.fetchone()[0]
print(json.dumps(shown))
"""


def _database_options(url: str, code: str = READ_OPTIONS) -> dict:
    """DATABASES["default"]["OPTIONS"] as the settings make them from `url` (or what `code`
    prints), in a new process: settings are read once."""
    environment = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "talentdev.settings",
    }
    environment.pop("DATABASE_JIT", None)
    environment.pop("DATABASE_RANDOM_PAGE_COST", None)
    done = subprocess.run(  # noqa: S603 - our own settings, fixed arguments
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_settings_merge_the_urls_options_with_the_planner_settings():
    options = _database_options(
        "postgres://app@db.example:5432/talentdev"
        "?sslmode=require&options=-c%20statement_timeout%3D5000%20-c%20jit%3Don"
    )
    assert options["sslmode"] == "require"
    assert options["options"] == (
        "-c statement_timeout=5000 -c jit=on -c random_page_cost=1.1 -c cursor_tuple_fraction=1"
    )


def test_the_settings_without_options_in_the_url_start_with_the_planner_settings():
    options = _database_options("postgres://app@db.example:5432/talentdev")
    assert options["options"] == "-c random_page_cost=1.1 -c cursor_tuple_fraction=1 -c jit=off"


@pytest.mark.postgres
@pytest.mark.django_db
def test_a_connection_opened_from_a_url_with_options_has_both_its_own_and_the_planners():
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
        "?options=-c%20statement_timeout%3D4321%20-c%20random_page_cost%3D3"
    )
    shown = _database_options(url, SHOW_SETTINGS)
    assert shown == {
        "statement_timeout": "4321ms",
        "random_page_cost": "3",  # the URL's own
        "cursor_tuple_fraction": "1",
        "jit": "off",
    }
