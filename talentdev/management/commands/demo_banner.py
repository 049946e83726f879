"""Prints where the demo runs and how to log in, once the web server answers if asked to wait."""

import time
import urllib.error
import urllib.request

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from talentdev.demo import DEMO_LOGINS


class Command(BaseCommand):
    help = "Print the demo URL and logins."

    def add_arguments(self, parser):
        parser.add_argument("--url", default="http://127.0.0.1:8000/")
        parser.add_argument(
            "--wait",
            type=float,
            default=0,
            metavar="SECONDS",
            help="First wait up to this long for the web server at --url to answer /healthz.",
        )

    def handle(self, *args, url, wait, **options):
        if wait and not _answers(f"{url}healthz", within=wait):
            raise CommandError(f"The web server at {url} did not answer within {wait:g} s.")
        self.stdout.write(self.style.SUCCESS(f"\ntalentdev is running at {url}"))
        self.stdout.write(f"Admin: {url}admin/")
        self.stdout.write(f"Demo logins (password: {settings.DEMO_PASSWORD}):")
        for username, role in DEMO_LOGINS:
            self.stdout.write(f"  {username:<10} {role}")
        self.stdout.write("Press Ctrl-C to stop the web server, the workers and beat.\n")


def _answers(url, *, within):
    deadline = time.monotonic() + within
    while True:
        try:
            # The demo's own address, given on the command line: http on this machine.
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310
                return True
        except urllib.error.HTTPError:
            return True  # it answered, if only to refuse a host name outside ALLOWED_HOSTS
        except OSError:  # not listening yet
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.25)
