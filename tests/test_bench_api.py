"""The benchmark's API rows: a client made for the run and deleted after it, its token asked
for over HTTP, the people list walked along its cursor and timed on its first and deep
pages, and the list endpoint under load, against the app served on loopback."""

import threading
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from allauth.idp.oidc.models import Client as OAuthClient
from allauth.idp.oidc.models import Token
from django.core.handlers.wsgi import WSGIHandler
from django.test import Client as DjangoClient

from api.models import ApiClient
from talentdev.bench.api import (
    PEOPLE,
    READ_SCOPES,
    THROUGHPUT_PATH,
    api_caller,
    api_rows,
    request_token,
    walk,
)
from talentdev.bench.measure import parse_server_timing, throughput
from talentdev.bench.server import Server, production_env
from tests.factories import JobRoleFactory, OrgUnitFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

TIMING = "talentdev.middleware.ServerTimingMiddleware"


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def server(settings):
    """The app with the benchmark's timing header, served on a loopback port from a thread
    (its handler built after the setting is on; the rows it reads are committed)."""
    settings.BENCH_TIMING = True
    settings.MIDDLEWARE = [TIMING, *settings.MIDDLEWARE]
    httpd = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield Server(host="127.0.0.1", port=httpd.server_port, log=None)
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.fixture
def company():
    unit = OrgUnitFactory()
    role = JobRoleFactory()
    return UserFactory.create_batch(7, org_unit=unit, job_role=role)


def _nothing_left():
    return not (
        ApiClient.objects.exists() or OAuthClient.objects.exists() or Token.objects.exists()
    )


@pytest.mark.usefixtures("company")
def test_the_people_list_is_timed_on_its_first_and_deep_pages_and_the_client_is_removed(server):
    with api_caller(server) as client:
        made = ApiClient.objects.get()
        assert made.scopes == READ_SCOPES
        assert Token.objects.filter(client=made.oauth_client).count() == 1
        rows = api_rows(client, runs=3, page_size=2, pages=(1, 2, 4, 9))
    assert _nothing_left()

    by_label = {row.what: row for row in rows}
    pages = [f"GET {PEOPLE}?page_size=2 (page {n})" for n in (1, 2, 4)]
    assert list(by_label) == [
        *pages,  # there is no page 9 of 7 people
        f"GET {PEOPLE}?page_size=2, every page",
        "GET /api/v1/me",
        "GET /api/v1/org-units",
        "GET /api/v1/job-roles",
    ]
    for row in rows:
        assert row.who == "API client"
        assert row.p50 > 0, row
        assert row.p95 >= row.p50, row
        assert row.queries.isdigit(), row  # the same count on every run
    # a keyset page runs the same queries wherever along the cursor it starts
    assert len({by_label[label].queries for label in pages}) == 1
    whole = by_label[f"GET {PEOPLE}?page_size=2, every page"]
    assert whole.note.startswith("4 pages, 7 people (each once), ")
    assert all(row.note == "" for label, row in by_label.items() if "every page" not in label)


@pytest.mark.usefixtures("company")
def test_the_timing_header_counts_every_query_of_an_api_request(server, django_assert_num_queries):
    with api_caller(server) as client:
        path = f"{PEOPLE}?page_size=5"
        walked = walk(client, path)
        browser = DjangoClient(HTTP_AUTHORIZATION=client.headers["Authorization"])
        response = browser.get(walked.paths[2])
        total_ms, queries = parse_server_timing(response["Server-Timing"])
        assert response.status_code == 200
        assert len(response.json()["results"]) == 2
        with django_assert_num_queries(queries):
            browser.get(walked.paths[2])
    assert total_ms > 0
    assert walked.queries == [queries, queries]


def test_a_wrong_secret_gets_no_token_and_the_answer_is_told(server):
    with api_caller(server) as client:
        made = ApiClient.objects.get()
        with pytest.raises(RuntimeError, match="The token endpoint answered 401"):
            request_token(server, made.client_id, "not-the-secret")
        # the client made for the run still works; only the wrong secret was refused
        assert client.get("/api/v1/me").status == 200
    assert _nothing_left()


def test_rows_not_wanted_are_not_measured(server):
    with api_caller(server) as client:
        rows = api_rows(client, runs=1, wanted=lambda label: "org-units" in label)
    assert [row.what for row in rows] == ["GET /api/v1/org-units"]


@pytest.mark.usefixtures("company")
def test_the_list_endpoint_under_load_is_refused_only_by_a_rate_limit_the_bench_lifts(
    server, settings
):
    # the served app the bench starts has a limit it never reaches ...
    env = production_env("/tmp/static")  # noqa: S108 - only named, not written to
    settings.API_RATE_PER_MINUTE = int(env["API_RATE_PER_MINUTE"])
    with api_caller(server) as client:
        loaded = throughput(client, THROUGHPUT_PATH, seconds=0.5, clients=2)
        assert loaded.requests > 0
        assert loaded.errors == 0
        # ... where a limit it reaches would have it time refusals, counted as failures
        settings.API_RATE_PER_MINUTE = 3
        limited = throughput(client, THROUGHPUT_PATH, seconds=0.5, clients=2)
        assert limited.errors > 0
    assert _nothing_left()
