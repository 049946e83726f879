"""Rolls up sponsor reviews on demand."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from measurement.rollups import last_full_week, sponsor_reviews_rollup, utc_today
from programs.models import Program


class Command(BaseCommand):
    help = (
        "Create or refresh sponsor reviews (default: the last full week in UTC, every active "
        "program)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--program", help="Slug of one program.")
        parser.add_argument(
            "--start", type=dt.date.fromisoformat, help="YYYY-MM-DD, from 00:00 UTC"
        )
        parser.add_argument(
            "--end", type=dt.date.fromisoformat, help="YYYY-MM-DD, up to 00:00 UTC (exclusive)"
        )

    def handle(self, *args, program, start, end, **options):
        if bool(start) != bool(end):
            raise CommandError("Give both --start and --end, or neither.")
        if start and end <= start:
            raise CommandError("--end must come after --start.")
        if not start:
            start, end = last_full_week(utc_today())
        programs = Program.objects.filter(status=Program.Status.ACTIVE)
        if program:
            programs = Program.objects.filter(slug=program)
            if not programs.exists():
                raise CommandError(f"No program with the slug {program!r}.")
        reviews = sponsor_reviews_rollup(
            programs=programs.order_by("pk"), period_start=start, period_end=end
        )
        for review in reviews:
            self.stdout.write(f"{review.program}: review {review.pk} for {start} to {end}")
