"""The demo data: complete, consistent with the product's rules, and idempotent."""

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from coaching.models import FeedbackWindow
from objectives.models import PerformanceObjective
from people.models import User
from programs.audit import Severity, program_audit
from programs.models import Program
from talentdev.demo import DEMO_LOGINS, seed_demo

pytestmark = pytest.mark.django_db

PRODUCT_APPS = ("people", "objectives", "programs", "coaching", "measurement")


def _row_counts():
    return {
        model._meta.label: model.objects.count()
        for app in PRODUCT_APPS
        for model in apps.get_app_config(app).get_models()
    }


def test_seeding_twice_leaves_the_same_rows_and_people(settings):
    seed_demo()
    first_counts = _row_counts()
    first_people = dict(User.objects.values_list("username", "pk"))
    seed_demo()
    assert _row_counts() == first_counts
    assert dict(User.objects.values_list("username", "pk")) == first_people
    # The demo is not empty anywhere that matters.
    assert all(first_counts[label] > 0 for label in first_counts), first_counts

    for username, _role in DEMO_LOGINS:
        assert authenticate(username=username, password=settings.DEMO_PASSWORD) is not None

    feedback = Program.objects.get(slug="timely-specific-feedback")
    objectives = PerformanceObjective.objects.filter(program=feedback)
    assert objectives.count() == 3
    for objective in objectives:
        objective.full_clean()
    for program in Program.objects.all():
        errors = [f for f in program_audit(program=program) if f.severity == Severity.ERROR]
        assert errors == [], [f.message for f in errors]

    statuses = set(FeedbackWindow.objects.values_list("status", flat=True))
    assert statuses == {"open", "met", "missed"}


def test_the_command_refuses_in_production_and_creates_nothing(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="refuses to run in production"):
        call_command("seed_demo")
    assert not User.objects.exists()
