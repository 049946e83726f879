"""Prints where the demo runs and how to log in."""

from django.conf import settings
from django.core.management.base import BaseCommand

from talentdev.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the demo URL and logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")

    def handle(self, *args, url, **options):
        self.stdout.write(self.style.SUCCESS(f"\ntalentdev is running at {url}"))
        self.stdout.write(f"Admin: {url}admin/")
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write("Press Ctrl-C to stop the web server, worker and beat.\n")
