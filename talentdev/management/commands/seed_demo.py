"""Loads the demo data; safe to run again."""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talentdev.demo import DEMO_LOGINS, seed_demo


class Command(BaseCommand):
    help = "Create or refresh the demo programs, people and evidence (never in production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError(
                "seed_demo refuses to run in production: it creates users with a known password."
            )
        started = time.monotonic()
        counts = seed_demo(stdout=self.stdout if options["verbosity"] > 1 else None)
        elapsed = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data is ready ({elapsed:.1f} s):"))
        for name, count in counts.items():
            self.stdout.write(f"  {count:>4} {name}")
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
