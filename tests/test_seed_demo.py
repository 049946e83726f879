"""The demo data: complete, consistent with the product's rules, and idempotent."""

from datetime import timedelta
from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.utils import timezone

from coaching.models import FeedbackWindow
from objectives.models import PerformanceObjective
from people.models import User
from programs.audit import Severity, program_audit
from programs.models import Program
from talentdev.demo import DEMO_LOGINS, FEEDBACK_SLUG, seed_demo

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def _people():
    return dict(User.objects.values_list("username", "pk"))


def test_seeding_again_a_week_later_adds_no_rows_and_reopens_recent_windows():
    first_now = timezone.now()
    seed_demo(now=first_now)
    counts, people = _row_counts(), _people()
    # The demo is not empty anywhere.
    assert [label for label, count in counts.items() if count == 0] == []

    later = first_now + timedelta(days=8)
    seed_demo(now=later)

    assert _row_counts() == counts
    assert _people() == people
    # Times moved with the clock: the windows meant to be open are open at the new time.
    open_windows = FeedbackWindow.objects.filter(status=FeedbackWindow.Status.OPEN)
    assert open_windows.exists()
    assert all(w.opens_at <= later < w.closes_at for w in open_windows)


def test_the_command_seeds_a_demo_people_can_log_in_to_and_that_passes_the_audit(settings):
    out = StringIO()
    call_command("seed_demo", stdout=out)

    for username, role in DEMO_LOGINS:
        assert authenticate(username=username, password=settings.DEMO_PASSWORD) is not None
        assert role in out.getvalue()
    assert User.objects.get(username="hradmin").has_perm("people.administer_programs")
    assert not User.objects.get(username="manager").is_staff

    feedback = Program.objects.get(slug=FEEDBACK_SLUG)
    objectives = PerformanceObjective.objects.filter(program=feedback)
    assert objectives.count() == 3
    for objective in objectives:
        objective.full_clean()
    for program in Program.objects.all():
        errors = [f.message for f in program_audit(program=program) if f.severity == Severity.ERROR]
        assert errors == [], program

    statuses = set(FeedbackWindow.objects.values_list("status", flat=True))
    assert statuses == {"open", "met", "missed"}


def test_the_command_refuses_in_production_and_creates_nothing(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
    assert not User.objects.exists()
