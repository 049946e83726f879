"""Measure every page of every role, the HR API as a client calls it, the busiest pages and
API list under load and the scheduled jobs, against the database in DATABASE_URL, with the
app served by gunicorn on loopback:

    python manage.py bench --runs 30 --markdown bench.md

It changes nothing: the sign-in sessions and the API client it makes are deleted and the
rollup is rolled back. See talentdev/bench/ for how each figure is taken.
"""

import contextlib
import platform
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.urls import reverse

from people.models import User
from talentdev.bench.api import THROUGHPUT_PATH, api_caller, api_rows
from talentdev.bench.api import WHO as API_WHO
from talentdev.bench.jobs import time_program_figures, time_reminder_scan, time_rollup_and_sql
from talentdev.bench.measure import Client, measure_page, throughput
from talentdev.bench.pages import pages_for
from talentdev.bench.people import cast_for_benchmark, session_for
from talentdev.bench.report import Row, queries_cell, render_markdown, render_text
from talentdev.bench.server import running_server


class Command(BaseCommand):
    help = (
        "Time every page of every role and the HR API under gunicorn, the busiest under load, "
        "and the jobs."
    )

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=30, help="requests per page")
        parser.add_argument("--seconds", type=float, default=10.0, help="per throughput run")
        parser.add_argument("--clients", type=int, default=4, help="concurrent clients")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
        parser.add_argument("--markdown", type=Path, help="also write the table here")
        parser.add_argument(
            "--only",
            action="append",
            default=[],
            metavar="TEXT",
            help="measure only what names TEXT (a route such as sponsor:, '/api/', "
            "'throughput', 'rollup', 'reminder'); repeat for more",
        )

    def handle(self, *args, **options):
        self.only = options["only"]
        cast = cast_for_benchmark()
        if cast is None:
            raise CommandError("There is no program to measure: seed the database first.")
        self.progress(
            f"Measuring {cast.program} ({connection.vendor}) as: "
            + ", ".join(f"{role} {user.username}" for role, user in cast.people.items())
        )
        sessions = {role: session_for(user) for role, user in cast.people.items()}
        cookies = {
            role: f"{settings.SESSION_COOKIE_NAME}={session.session_key}"
            for role, session in sessions.items()
        }
        try:
            with contextlib.ExitStack() as stack:
                server = stack.enter_context(running_server(workers=options["workers"]))
                api = stack.enter_context(api_caller(server)) if self.wanted_api() else None
                rows = self.pages(server, cast, cookies, options["runs"])
                if api is not None:
                    rows += self.api(api, options["runs"])
                rows += self.load(
                    server, cast, cookies, api, options["seconds"], options["clients"]
                )
        finally:
            for session in sessions.values():
                session.delete()
        rows += self.jobs()
        self.stdout.write(render_text(rows))
        if options["markdown"]:
            about = (
                f"{cast.program} ({cast.program.enrolments.count():,} enrolments), "
                f"{User.objects.count():,} people, {connection.vendor}, "
                f"gunicorn {options['workers']} workers, {options['runs']} runs a page, "
                f"{platform.node()} ({platform.machine()}, Python {platform.python_version()})."
            )
            options["markdown"].write_text(
                render_markdown(rows, title="talentdev benchmark", about=about)
            )

    def wanted(self, name: str) -> bool:
        return not self.only or any(text in name for text in self.only)

    def wanted_api(self) -> bool:
        # Every API row's name holds its path; the client is made only when one is wanted.
        return self.wanted("GET /api/v1/") or self.wanted(f"throughput {THROUGHPUT_PATH}")

    def progress(self, message: str) -> None:
        self.stderr.write(message)
        sys.stderr.flush()

    def pages(self, server, cast, cookies, runs) -> list[Row]:
        rows = []
        for role, user in cast.people.items():
            client = Client(server, cookies[role])
            pages = pages_for(user, cast.program)
            measured = 0
            for page in pages:
                if not self.wanted(page.label):
                    continue
                figures = measure_page(client, page.path, runs=runs)
                if figures is None:
                    continue  # not a page of their role
                measured += 1
                rows.append(
                    Row(
                        what=page.label,
                        who=role,
                        queries=queries_cell(*figures.queries),
                        p50=figures.p50,
                        p95=figures.p95,
                        note="" if figures.status == 200 else f"answered {figures.status}",
                    )
                )
            self.progress(
                f"  {role}: {measured} pages measured, {len(pages) - measured} not theirs"
            )
        return rows

    def api(self, client, runs) -> list[Row]:
        rows = api_rows(client, runs=runs, wanted=self.wanted)
        self.progress(f"  {API_WHO}: {len(rows)} API rows measured")
        return rows

    def load(self, server, cast, cookies, api, seconds, clients) -> list[Row]:
        def holder(role):
            return next((key for key in cookies if role in key.split(" / ")), None)

        busiest = []
        for role, path in [
            ("learner", reverse("learn:home")),
            ("manager", reverse("team:home")),
            ("sponsor", reverse("sponsor:dashboard", args=[cast.program.pk])),
        ]:
            key = holder(role)
            if key is not None:
                busiest.append((key, Client(server, cookies[key]), path))
        if api is not None:
            busiest.append((API_WHO, api, THROUGHPUT_PATH))
        busiest.append(("anyone", Client(server), reverse("healthz")))
        rows = []
        for who, client, path in busiest:
            if not self.wanted(f"throughput {path}"):
                continue
            result = throughput(client, path, seconds=seconds, clients=clients)
            errors = f", {result.errors} failed" if result.errors else ""
            rows.append(
                Row(
                    what=f"throughput {path}",
                    who=who,
                    p50=result.p50,
                    p95=result.p95,
                    note=f"{result.per_second:,.1f} req/s ({clients} clients, "
                    f"{result.seconds:.0f} s{errors})",
                )
            )
            self.progress(f"  throughput {path}: {result.per_second:,.1f} req/s")
        return rows

    def jobs(self) -> list[Row]:
        rows = []
        if self.wanted("reminder scan"):
            scan = time_reminder_scan()
            rows.append(
                Row("reminder scan", "job", str(scan.queries), scan.milliseconds, None, scan.note)
            )
        if self.wanted("sponsor figures"):
            counted = time_program_figures()
            rows.append(
                Row(
                    "sponsor figures",
                    "job",
                    str(counted.queries),
                    counted.milliseconds,
                    None,
                    counted.note,
                )
            )
        if not self.wanted("weekly rollup"):
            return rows
        rollup, sql = time_rollup_and_sql()
        return [
            *rows,
            Row(
                "weekly rollup", "job", str(rollup.queries), rollup.milliseconds, None, rollup.note
            ),
            Row(
                "rollup as plain SQL",
                "job",
                str(sql.queries),
                sql.milliseconds,
                None,
                sql.note,
            ),
        ]
