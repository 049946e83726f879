"""Runs the reminder scan by hand: marks missed windows and creates due reminders."""

from django.core.management.base import BaseCommand

from coaching.reminders import reminders_scan
from people.notifications import notification_emails_deliver


class Command(BaseCommand):
    help = "Create due reminders (and mark missed feedback windows), then send their emails."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be sent; change nothing."
        )

    def handle(self, *args, dry_run, **options):
        reminders = reminders_scan(dry_run=dry_run)
        verb = "Would send" if dry_run else "Created"
        for reminder in reminders:
            self.stdout.write(f"{verb}: to {reminder.recipient.username}: {reminder.title}")
        self.stdout.write(self.style.SUCCESS(f"{verb} {len(reminders)} reminder(s)."))
        if not dry_run:
            sent = notification_emails_deliver()
            self.stdout.write(f"Emailed {sent} notification(s).")
