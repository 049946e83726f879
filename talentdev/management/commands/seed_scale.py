"""Build a generated company at a large employer's scale, to measure the product on:

    python manage.py seed_scale [--scale 1.0] [--seed 1] [--reset]

PostgreSQL only, never in production, and only into an empty database (at most a handful
of people, no programs) unless --reset first empties the product's tables.
"""

import time

from django.core.management.base import BaseCommand, CommandError

from talentdev.scale.build import Refused, build


class Command(BaseCommand):
    help = "Build a generated company (51,000 people, 79,000 enrolments at --scale 1) with COPY."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=float, default=1.0, help="1.0: 51,000 people; sizes scale linearly."
        )
        parser.add_argument("--seed", type=int, default=1, help="The same seed builds the same.")
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Empty the product's tables first (every person, program and record).",
        )

    def handle(self, *args, **options):
        started = time.perf_counter()
        self.stdout.write(f"Building a generated company at scale {options['scale']}:")
        try:
            built = build(
                scale=options["scale"],
                seed=options["seed"],
                empty_first=options["reset"],
                say=self.stdout.write,
            )
        except Refused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"  {'total':<34}{time.perf_counter() - started:>8.1f} s")
        self.stdout.write("Rows written:")
        for label, count in built.rows.items():
            if count:
                self.stdout.write(f"  {label:<40}{count:>12,}")
        self.stdout.write("Log in as (password: the DEMO_PASSWORD setting):")
        for role, username in built.logins.items():
            self.stdout.write(f"  {username:<16}{role}")
        self.stdout.write(
            "  Usernames by role: sponsor001…, designer001…, hr001…, manager0001…, learner00001…"
        )
