"""Requests to the running server and what they tell: each page's server time and query
count from its Server-Timing header, and requests a second under concurrent clients."""

import http.client
import json
import math
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

# Statuses that mean the person may not open the page: their role has no such page.
NOT_THEIRS = {403, 404}
TIMING = re.compile(r"(?P<name>\w+);dur=(?P<dur>[\d.]+)(?:;count=(?P<count>\d+))?")


@dataclass(frozen=True)
class Hit:
    """One response: its status and what the server says it spent on it."""

    status: int
    total_ms: float
    queries: int


@dataclass(frozen=True)
class PageFigures:
    """A page's figures over its runs; `queries` is (fewest, most)."""

    status: int
    queries: tuple[int, int]
    p50: float
    p95: float


@dataclass(frozen=True)
class Throughput:
    requests: int
    seconds: float
    errors: int
    p50: float
    p95: float

    @property
    def per_second(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def parse_server_timing(header: str | None) -> tuple[float, int]:
    """(total milliseconds, queries) from `total;dur=12.3, db;dur=4.5;count=7`."""
    if not header:
        raise ValueError("no Server-Timing header: is BENCH_TIMING on in the server?")
    parts = {match["name"]: match for match in TIMING.finditer(header)}
    return float(parts["total"]["dur"]), int(parts["db"]["count"])


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile: the smallest value at least `share` of them reach."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


class Client:
    """GETs to the server as one signed-in person, an API client with its bearer token, or
    nobody; a new connection each, as gunicorn's sync workers close them."""

    def __init__(self, server, cookie: str = "", *, token: str = ""):
        self.server = server
        self.headers = {"Cookie": cookie} if cookie else {}
        if token:
            self.headers["Authorization"] = f"Bearer {token}"

    def get(self, path: str) -> Hit:
        return self.get_with_body(path)[0]

    def get_json(self, path: str) -> tuple[Hit, dict]:
        """The response and its JSON body: what an API client reads its next page from."""
        hit, body = self.get_with_body(path)
        return hit, json.loads(body) if hit.status == 200 else {}

    def get_with_body(self, path: str) -> tuple[Hit, bytes]:
        connection = http.client.HTTPConnection(self.server.host, self.server.port, timeout=300)
        try:
            connection.request("GET", path, headers=self.headers)
            response = connection.getresponse()
            body = response.read()
        finally:
            connection.close()
        if response.status >= 500:
            return Hit(status=response.status, total_ms=0.0, queries=0), body
        total, queries = parse_server_timing(response.getheader("Server-Timing"))
        return Hit(status=response.status, total_ms=total, queries=queries), body


def measure_page(client: Client, path: str, *, runs: int, warmup: int = 2) -> PageFigures | None:
    """The page's figures over `runs` sequential requests after `warmup` (each worker's
    first request loads code and templates); None when the person may not open it."""
    first = client.get(path)
    if first.status in NOT_THEIRS:
        return None
    if first.status >= 500:
        return PageFigures(status=first.status, queries=(0, 0), p50=math.nan, p95=math.nan)
    for _ in range(warmup - 1):
        client.get(path)
    hits = [client.get(path) for _ in range(runs)]
    failed = next((hit for hit in hits if hit.status != first.status), None)
    times = [hit.total_ms for hit in hits]
    counts = [hit.queries for hit in hits]
    return PageFigures(
        status=failed.status if failed else first.status,
        queries=(min(counts), max(counts)),
        p50=percentile(times, 0.5),
        p95=percentile(times, 0.95),
    )


def throughput(client: Client, path: str, *, seconds: float, clients: int) -> Throughput:
    """Requests completed a second by `clients` concurrent clients requesting one page
    back to back for `seconds`."""
    stop_at = time.monotonic() + seconds
    lock = threading.Lock()
    times: list[float] = []
    errors = 0

    def keep_requesting():
        nonlocal errors
        while time.monotonic() < stop_at:
            hit = client.get(path)
            with lock:
                if hit.status == 200:
                    times.append(hit.total_ms)
                else:
                    errors += 1

    began = time.monotonic()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(keep_requesting) for _ in range(clients)]:
            future.result()
    elapsed = time.monotonic() - began
    return Throughput(
        requests=len(times),
        seconds=elapsed,
        errors=errors,
        p50=percentile(times, 0.5) if times else math.nan,
        p95=percentile(times, 0.95) if times else math.nan,
    )
