"""Time the sponsor's pages on a program with years of measurements; prints the figures.

Builds a synthetic program inside a transaction that is rolled back at the end, so it
leaves the database as it found it:

    python manage.py bench_dashboard --learners 200 --years 5
"""

import datetime as dt
import random
import statistics
import time
from collections import Counter
from decimal import Decimal

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from measurement.models import BenefitEstimate, CostItem, Measurement, OutcomeMetric
from measurement.rollups import sponsor_review_rollup
from measurement.services import values_counted
from people.models import User
from programs.models import Enrolment, Pathway, Program, ProgressEvent, Step, StepProgress


class Command(BaseCommand):
    help = "Time the sponsor dashboard, overview and ROI on years of synthetic data."

    def add_arguments(self, parser):
        parser.add_argument("--learners", type=int, default=200)
        parser.add_argument("--years", type=int, default=5)
        parser.add_argument("--runs", type=int, default=7)

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("bench_dashboard writes synthetic data: not in production.")
        if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        with transaction.atomic():
            started = time.perf_counter()
            program, sponsor, rows = _build(options["learners"], options["years"])
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("ANALYZE")  # planner statistics, as a live database has
            self.stdout.write(
                f"Built {rows:,} measurements for {options['learners']} learners over "
                f"{options['years']} years in {time.perf_counter() - started:.1f} s "
                f"({connection.vendor})."
            )
            client = Client()
            client.force_login(sponsor)
            pages = {
                "sponsor overview": reverse("sponsor:home"),
                "program dashboard": reverse("sponsor:dashboard", args=[program.pk]),
                "ROI CSV": reverse("sponsor:export", args=[program.pk, "roi"]),
            }
            self.stdout.write(f"{'page':<20}{'queries':>8}{'median ms':>11}{'max ms':>9}")
            for name, url in pages.items():
                timings = []
                for _ in range(options["runs"]):
                    with CaptureQueriesContext(connection) as queries:
                        begun = time.perf_counter()
                        response = client.get(url)
                        timings.append((time.perf_counter() - begun) * 1000)
                    if response.status_code != 200:
                        raise CommandError(f"{url} answered {response.status_code}")
                self.stdout.write(
                    f"{name:<20}{len(queries):>8}{statistics.median(timings):>11.1f}"
                    f"{max(timings):>9.1f}"
                )
            transaction.set_rollback(True)


def _build(learners: int, years: int):
    """A program with learners, steps, daily program values and monthly personal values."""
    rng = random.Random(1)  # noqa: S311 - synthetic figures, not security
    stamp = int(time.time())
    owner = User.objects.create(username=f"bench-owner-{stamp}")
    sponsor = User.objects.create(username=f"bench-sponsor-{stamp}")
    program = Program.objects.create(
        name=f"Benchmark {stamp}",
        slug=f"bench-{stamp}",
        business_goal="Measure how the dashboard scales.",
        owner=owner,
        starts_on=dt.date(2020, 1, 1),
        status=Program.Status.ACTIVE,
    )
    program.sponsors.add(sponsor)
    pathway = Pathway.objects.create(
        program=program, status=Pathway.Status.PUBLISHED, published_at=timezone.now()
    )
    steps = Step.objects.bulk_create(
        Step(pathway=pathway, position=i + 1, kind=kind, title=f"Step {i + 1}", difficulty=1)
        for i, kind in enumerate(Step.Kind.values[:6])
    )
    people = User.objects.bulk_create(
        User(username=f"bench-{stamp}-{i}", employee_id=f"B{stamp}-{i}") for i in range(learners)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            learner=person,
            program=program,
            pathway=pathway,
            supervisor=owner,
            enrolled_on=dt.date(2021, 1, 1),
            competent_on=dt.date(2021, 1, 1) + dt.timedelta(days=rng.randint(20, 400))
            if rng.random() < 0.6
            else None,
        )
        for person in people
    )
    now = timezone.now()
    progress = StepProgress.objects.bulk_create(
        StepProgress(
            enrolment=enrolment,
            step=step,
            status=StepProgress.Status.COMPLETED,
            completed_at=now,
        )
        for enrolment in enrolments
        for step in steps
        if rng.random() < 0.7
    )
    # The history the sponsor figures are read from, as progression would have written it.
    ProgressEvent.objects.bulk_create(
        [
            ProgressEvent(
                type=ProgressEvent.Type.STEP_COMPLETED,
                enrolment=row.enrolment,
                step=row.step,
                to_status=StepProgress.Status.COMPLETED,
                occurred_at=row.completed_at,
                cause=ProgressEvent.Cause.RULE,
            )
            for row in progress
        ]
        + [
            ProgressEvent(
                type=ProgressEvent.Type.COMPETENCY_REACHED,
                enrolment=enrolment,
                occurred_at=dt.datetime.combine(enrolment.competent_on, dt.time(12), dt.UTC),
                cause=ProgressEvent.Cause.RULE,
            )
            for enrolment in enrolments
            if enrolment.competent_on
        ],
        batch_size=5000,
    )
    metrics = [
        OutcomeMetric.objects.create(
            program=program,
            name=f"Metric {i}",
            kind=OutcomeMetric.Kind.QUALITY,
            unit="points",
            direction=OutcomeMetric.Direction.INCREASE,
            baseline=Decimal(50),
            target=Decimal(70),
            money_value_per_unit=Decimal(100),
        )
        for i in range(3)
    ]
    for metric in metrics:
        BenefitEstimate.objects.create(
            metric=metric,
            isolation_method=BenefitEstimate.Isolation.TREND_LINE,
            attribution_percent=Decimal(50),
        )
    CostItem.objects.bulk_create(
        CostItem(
            program=program,
            category=CostItem.Category.DELIVERY,
            description=f"Session {i}",
            incurred_on=dt.date(2021, 1, 1),
            amount=Decimal(500),
        )
        for i in range(100)
    )
    days = years * 365
    measurements = [
        Measurement(
            metric=metric,
            measured_at=now - dt.timedelta(days=day),
            value=Decimal(50 + rng.randint(0, 25)),
        )
        for metric in metrics
        for day in range(days)
    ] + [
        Measurement(
            metric=metrics[0],
            enrolment=enrolment,
            measured_at=now - dt.timedelta(days=30 * month),
            value=Decimal(50 + rng.randint(0, 25)),
        )
        for enrolment in enrolments
        for month in range(years * 12)
    ]
    Measurement.objects.bulk_create(measurements, batch_size=5000)
    values_counted(Counter(row.metric_id for row in measurements))
    today = timezone.localdate()
    sponsor_review_rollup(
        program=program, period_start=today - dt.timedelta(days=7), period_end=today
    )
    return program, sponsor, len(measurements)
