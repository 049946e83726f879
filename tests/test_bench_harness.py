"""The benchmark's parts: every page is found and filled for each role, the timing header
tells the truth and only when asked, and the table renders."""

import time

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from measurement.exports import DASHBOARD_TABLES
from measurement.models import ProgramFigures
from measurement.rollups import last_full_week, utc_today
from programs.models import Assignment, Program
from talentdev.bench.jobs import sql_figures, time_program_figures, time_rollup_and_sql
from talentdev.bench.measure import parse_server_timing, percentile
from talentdev.bench.pages import (
    AREA_ROLES,
    ROUTE_ARGUMENTS,
    MissingArguments,
    Route,
    area_routes,
    get_routes,
    pages_for,
)
from talentdev.bench.people import cast_for_benchmark
from talentdev.bench.report import Row, queries_cell, render_markdown, render_text
from talentdev.demo import seed_demo
from tests.factories import AssignmentFactory, HRAdminFactory, ProgramFactory

pytestmark = pytest.mark.django_db

TIMING = "talentdev.middleware.ServerTimingMiddleware"


@pytest.fixture(scope="module")
def _demo_data(django_db_setup, django_db_blocker):
    # Seeded once for the module, inside a transaction rolled back when it is done.
    with django_db_blocker.unblock(), transaction.atomic():
        seed_demo()
        yield
        transaction.set_rollback(True)


@pytest.fixture
def demo(_demo_data):
    return cast_for_benchmark()


@pytest.fixture
def timing_on(settings):
    settings.BENCH_TIMING = True
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]


def _dummy_kwargs(route):
    return {name: "x" if name in ("table", "direction", "action") else 1 for name in route.params}


def test_discovery_tells_get_pages_from_post_only_routes_as_the_server_does():
    client = Client()
    client.force_login(HRAdminFactory())
    routes = area_routes()
    assert {"learn:home", "team:home", "design:roster", "sponsor:export"} <= {
        route.name for route in get_routes()
    }
    assert not any(route.name == "team:observe" for route in get_routes())
    for route in routes:
        status = client.get(reverse(route.name, kwargs=_dummy_kwargs(route))).status_code
        assert (status == 405) == (not route.allows_get), (route.name, status)


def test_every_get_route_with_ids_says_where_the_benchmark_finds_them():
    missing = [r.name for r in get_routes() if r.params and r.name not in ROUTE_ARGUMENTS]
    assert missing == []


def test_a_route_added_without_a_way_to_fill_its_ids_fails():
    program = ProgramFactory()
    new = Route(name="design:something_new", params=("pk",), allows_get=True)
    with pytest.raises(MissingArguments, match="design:something_new takes pk"):
        pages_for(program.owner, program, routes=[new])
    known = Route(name="design:home", params=(), allows_get=True)
    assert [page.path for page in pages_for(program.owner, program, routes=[known])] == [
        reverse("design:home")
    ]


def test_each_role_gets_the_pages_of_its_areas_with_ids_it_may_open(demo):
    assert set(demo.people) == {"learner", "manager", "designer / HR admin", "sponsor"}
    # the demo's assignments are all on the other program: one for the manager to debrief
    AssignmentFactory(
        enrolment=demo.program.enrolments.filter(supervisor=demo.people["manager"]).first(),
        status=Assignment.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    client = Client()
    filled = set()
    for role, user in demo.people.items():
        pages = pages_for(user, demo.program)
        routes = {page.route for page in pages}
        filled |= routes
        areas = {area for area, needs in AREA_ROLES.items() if needs in role}
        for route in get_routes():
            area = route.name.split(":")[0] if ":" in route.name else None
            if not route.params and (area is None or area in areas):
                assert route.name in routes, (role, route.name)
            if area in AREA_ROLES and area not in areas:
                assert route.name not in routes, (role, route.name)
        client.force_login(user)
        for page in pages:
            status = client.get(page.path).status_code
            assert status in (200, 302), (role, page.path, status)
    # the demo has a record of every kind: some role opens each page, ids filled in
    assert filled == {route.name for route in get_routes()}
    sponsor_pages = pages_for(demo.people["sponsor"], demo.program)
    exports = [page for page in sponsor_pages if page.route == "sponsor:export"]
    assert len(exports) == len(DASHBOARD_TABLES)


def test_the_timing_header_is_absent_unless_enabled(settings, client, demo):
    client.force_login(demo.people["learner"])
    assert "Server-Timing" not in client.get(reverse("learn:home"))
    # listed but not switched on, it steps aside
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]
    assert "Server-Timing" not in Client().get(reverse("healthz"))


@pytest.mark.usefixtures("timing_on")
@pytest.mark.parametrize("page", ["learn:home", "design:roster_csv"])
def test_the_timing_header_reports_the_time_and_exact_query_count(
    page, demo, django_assert_num_queries
):
    if page == "learn:home":
        user, path = demo.people["learner"], reverse("learn:home")
    else:
        user = demo.people["designer / HR admin"]
        path = reverse("design:roster", args=[demo.program.pk]) + "?format=csv"
    client = Client()
    client.force_login(user)
    client.get(path)  # anything cached on first use is cached now
    began = time.perf_counter()
    response = client.get(path)
    elapsed_ms = (time.perf_counter() - began) * 1000
    total_ms, queries = parse_server_timing(response["Server-Timing"])
    assert 0 < total_ms <= elapsed_ms
    assert queries > 0
    with django_assert_num_queries(queries):
        again = client.get(path)
    assert parse_server_timing(again["Server-Timing"])[1] == queries
    if page != "learn:home":
        # a streamed CSV is read to its end inside the timing
        assert b"".join(again.streaming_content).count(b"\n") > 1


def test_the_sponsor_figures_are_counted_and_rolled_back(demo):
    kept = {row.program_id: row.computed_at for row in ProgramFigures.objects.all()}
    counted = time_program_figures()
    assert counted.note == f"{Program.objects.count()} programs"
    assert counted.queries > 0
    assert {row.program_id: row.computed_at for row in ProgramFigures.objects.all()} == kept


def test_the_rollup_sql_computes_the_same_figures(demo):
    rollup, sql = time_rollup_and_sql()
    # the figures compared are there to compare: medians, proficiency and metric values too
    figures = sql_figures(*last_full_week(utc_today()))
    assert any(median is not None for _, median, _, _ in figures.values())
    assert any(proficiency for _, _, proficiency, _ in figures.values())
    assert any(value is not None for *_, metrics in figures.values() for _, value in metrics)
    assert sql.queries == 3
    assert rollup.queries > sql.queries
    assert sql.note.startswith("same figures for 2 reviews")


def test_the_table_renders_as_text_and_markdown():
    rows = [
        Row("learn:home", "learner", queries_cell(6, 6), 12.34, 20.5),
        Row("design:roster", "designer", queries_cell(9, 11), 40.0, 41.0),
        Row("throughput /healthz", "anyone", p50=0.4, p95=1.0, note="650.8 req/s"),
        Row("reminder scan", "job", "6", 36.0, None, "1 reminders due"),
    ]
    text = render_text(rows).splitlines()
    assert text[0].split() == ["page", "or", "job", "role", "queries", "p50", "ms", "p95", "ms"]
    # figures line up on the right under their heading
    assert text[0].index("p50 ms") + len("p50 ms") == text[2].index("12.3") + len("12.3")
    assert text[2].split() == ["learn:home", "learner", "6", "12.3", "20.5"]
    assert "9–11" in text[3]
    markdown = render_markdown(rows, title="Bench", about="on a laptop")
    assert "| reminder scan | job | 6 | 36.0 |  | 1 reminders due |" in markdown
    assert markdown.startswith("# Bench\n\non a laptop\n")


def test_percentiles_are_nearest_rank():
    values = [float(n) for n in range(1, 101)]
    assert (percentile(values, 0.5), percentile(values, 0.95)) == (50.0, 95.0)
    assert percentile([7.0], 0.95) == 7.0
    with pytest.raises(ValueError, match="BENCH_TIMING"):
        parse_server_timing(None)
