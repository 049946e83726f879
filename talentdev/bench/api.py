"""The HR API as an HR system calls it: a client with every read scope, made for the run and
deleted after it, its token asked for over HTTP from the served app, and each list read as
a sync reads it, page after page along the `next` links.

The people list is timed on its first page and on pages deep along the cursor: a keyset
page should cost the same wherever it starts, and these rows show whether it does.
"""

import base64
import contextlib
import http.client
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from django.db import transaction
from django.urls import reverse

from api.models import ApiClient
from api.scopes import SCOPES
from api.services import client_create

from .measure import Client, measure_page, percentile
from .report import Row, queries_cell

READ_SCOPES = sorted(scope for scope in SCOPES if scope.endswith(":read"))
WHO = "API client"
PEOPLE = "/api/v1/people"
PAGE_SIZE = 500
# Which pages of the people list are timed, by their place along the cursor.
PEOPLE_PAGES = (1, 2, 10, 50, 100)
# The list an HR system reads most, timed under load beside /healthz.
THROUGHPUT_PATH = f"{PEOPLE}?page_size=100"
ME = "/api/v1/me"
OTHER_PATHS = (ME, "/api/v1/org-units", "/api/v1/job-roles")


@contextlib.contextmanager
def api_caller(server) -> Iterator[Client]:
    """A bench client of the whole company with every read scope, its token asked for from
    the server; the client and its tokens are deleted however the block ends."""
    client, secret = client_create(
        name="benchmark",
        scopes=READ_SCOPES,
        data_scope=ApiClient.DataScope.COMPANY,
        created_by=None,
    )
    try:
        caller = Client(server, token=request_token(server, client.client_id, secret))
        # A client's first call of a minute records that it was used (one UPDATE): made
        # here, so the rows time reads, as an HR system's calls are after its first.
        caller.get(ME)
        yield caller
    finally:
        _delete(client)


@transaction.atomic
def _delete(client: ApiClient) -> None:
    oauth = client.oauth_client
    client.delete()
    oauth.delete()  # its tokens go with it


def request_token(server, client_id: str, secret: str) -> str:
    """An access token by client credentials, sent as HTTP Basic as an HR system sends them."""
    credentials = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    connection = http.client.HTTPConnection(server.host, server.port, timeout=60)
    try:
        connection.request(
            "POST",
            reverse("api:token"),
            body=urlencode({"grant_type": "client_credentials"}),
            headers={
                "Authorization": f"Basic {credentials}",
                "Content-Type": "application/x-www-form-urlencoded",
            },
        )
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    if response.status != 200:
        raise RuntimeError(f"The token endpoint answered {response.status}: {body[:300]!r}")
    return json.loads(body)["access_token"]


@dataclass(frozen=True)
class Walk:
    """Every page of a list read along the cursor: the address of each page, by its place
    (1 for the first), the server's time and queries for each, and the rows delivered."""

    paths: dict[int, str]
    times: list[float]
    queries: list[int]
    rows: int
    distinct: int
    status: int


def walk(client: Client, first: str) -> Walk:
    """Follow `next` from `first` to the last page, as a sync reads the whole list."""
    paths, times, queries, ids = {}, [], [], []
    path, status = first, 200
    while path is not None:
        paths[len(paths) + 1] = path
        hit, body = client.get_json(path)
        if hit.status != 200:
            status = hit.status
            break
        times.append(hit.total_ms)
        queries.append(hit.queries)
        ids.extend(row["id"] for row in body["results"])
        path = _path_of(body["next"])
    return Walk(paths, times, queries, rows=len(ids), distinct=len(set(ids)), status=status)


def _path_of(link: str | None) -> str | None:
    """The path and query of an absolute `next` link, to request from the same server."""
    if link is None:
        return None
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def api_rows(
    client: Client,
    *,
    runs: int,
    wanted: Callable[[str], bool] = lambda label: True,
    page_size: int = PAGE_SIZE,
    pages: tuple[int, ...] = PEOPLE_PAGES,
) -> list[Row]:
    """The people list along its cursor (the chosen pages, then the whole walk), then the
    other endpoints, each with its queries, p50 and p95 as the pages report them."""
    rows = []
    first = f"{PEOPLE}?page_size={page_size}"
    whole = f"GET {first}, every page"
    if wanted(first) or wanted(whole):
        walked = walk(client, first)
        for place in pages:
            label = f"GET {first} (page {place})"
            if place in walked.paths and wanted(label):
                rows.append(_measured(client, label, walked.paths[place], runs))
        if wanted(whole):
            rows.append(_walk_row(whole, walked))
    for path in OTHER_PATHS:
        if wanted(f"GET {path}"):
            rows.append(_measured(client, f"GET {path}", path, runs))
    return rows


def _measured(client: Client, label: str, path: str, runs: int) -> Row:
    figures = measure_page(client, path, runs=runs)
    if figures is None:  # to a client, 403 and 404 are failures, not someone else's page
        return Row(label, WHO, note=f"answered {client.get(path).status}")
    return Row(
        what=label,
        who=WHO,
        queries=queries_cell(*figures.queries),
        p50=figures.p50,
        p95=figures.p95,
        note="" if figures.status == 200 else f"answered {figures.status}",
    )


def _walk_row(label: str, walked: Walk) -> Row:
    if walked.status != 200:
        return Row(label, WHO, note=f"page {len(walked.paths)} answered {walked.status}")
    once = "each once" if walked.distinct == walked.rows else f"{walked.distinct:,} distinct"
    return Row(
        what=label,
        who=WHO,
        queries=queries_cell(min(walked.queries), max(walked.queries)),
        p50=percentile(walked.times, 0.5),
        p95=percentile(walked.times, 0.95),
        note=f"{len(walked.times)} pages, {walked.rows:,} people ({once}), "
        f"{sum(walked.times):,.0f} ms of server time in all",
    )
