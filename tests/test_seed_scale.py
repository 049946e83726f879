"""seed_scale: a generated company in the proportions promised, every row one the product
could have written, and the refusals that keep it off databases it must not touch."""

import os
import re
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Min
from django.utils import timezone

from api.models import ApiClient
from api.services import client_create
from areas.navigation import roles_of
from coaching.calibration import calibration_since
from coaching.models import Feedback, FeedbackWindow, KeptCalibrationRow, Observation
from measurement.models import Assessment, Measurement, ProgramFigures, SponsorReview
from objectives.models import PerformanceObjective
from people.models import OrgUnit, User
from programs.audit import Severity, program_audit
from programs.models import Enrolment, Program, ProgressEvent, Step
from programs.progression import progress_sweep
from programs.rules import ids_working_with
from talentdev.core.access import is_hr_admin
from talentdev.core.models import PublicIdModel
from talentdev.scale.build import REVIEW_WEEKS
from tests.kept_counts import assert_values_counted

SCALE = 0.005
# What --scale 1 builds; a small build keeps these proportions.
FULL = {
    "people": 51_000,
    "enrolments": 79_000,
    "observations": 1_000_000,
    "feedback": 760_000,
    "measurements": 1_000_000,
    "assessments": 470_000,
}


def _seed(*args) -> str:
    out = StringIO()
    call_command("seed_scale", *args, stdout=out)
    return out.getvalue()


def _about(count, full, low=0.8, high=1.3):
    expected = full * SCALE
    assert low * expected <= count <= high * expected, (count, expected)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_small_company_keeps_the_proportions_and_every_rule_of_the_product(settings, rf):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_user("admin", password="x")  # a handful of people may be there
    started = timezone.now()
    output = _seed("--scale", str(SCALE), "--seed", "7")
    finished = timezone.now()

    assert User.objects.count() == 1 + round(FULL["people"] * SCALE)
    _about(Enrolment.objects.count(), FULL["enrolments"], 0.95, 1.05)
    _about(Observation.objects.count(), FULL["observations"])
    _about(Feedback.objects.count(), FULL["feedback"])
    _about(Measurement.objects.count(), FULL["measurements"])
    assert_values_counted()  # each metric's kept count of values, after the bulk load
    _about(Assessment.objects.count(), FULL["assessments"])
    assert Program.objects.count() == 102
    # The jobs' own code rolled up weeks of reviews and counted the sponsor figures.
    active = Program.objects.filter(status=Program.Status.ACTIVE).count()
    assert SponsorReview.objects.count() == REVIEW_WEEKS * active > 0
    assert ProgramFigures.objects.count() == 102
    # ... and kept the observer calibration of each program rated in the last quarter.
    kept = KeptCalibrationRow.objects.filter(days=90, rank=0)
    rated = Observation.objects.filter(
        observed_at__gte=calibration_since(90, now=kept.first().computed_at)
    ).values("performance_objective__program")
    assert kept.count() == rated.distinct().count() > 0

    # The four big programs are big, the rest a tail.
    sizes = sorted(
        Program.objects.annotate(n=Count("enrolments")).values_list("n", flat=True), reverse=True
    )
    assert min(sizes[:4]) >= 2 * max(sizes[4:]) > 0

    # One enrolment per learner and program.
    assert not (
        Enrolment.objects.values("learner", "program").annotate(n=Count("id")).filter(n__gt=1)
    )

    # Every window is what coaching decides from its times and its feedback.
    first = dict(
        Feedback.objects.values("observation")
        .annotate(at=Min("delivered_at"))
        .values_list("observation", "at")
    )
    statuses = set()
    for window in FeedbackWindow.objects.select_related("observation"):
        given = first.get(window.observation_id)
        assert window.opens_at == window.observation.observed_at
        assert window.closes_at > window.opens_at
        if given is not None and given <= window.closes_at:
            assert (window.status, window.resolved_at) == ("met", given), window.pk
        elif given is not None or window.closes_at < started:
            assert (window.status, window.resolved_at) == ("missed", window.closes_at), window.pk
        elif window.closes_at > finished:
            assert (window.status, window.resolved_at) == ("open", None), window.pk
        else:  # closed while the build ran: decided either way, consistently
            assert window.status in ("open", "missed"), window.pk
        statuses.add(window.status)
    assert {"met", "missed"} <= statuses

    # Every observer is one who may observe the learner: supervisor, coach or line manager.
    for observation in Observation.objects.select_related("enrolment__learner"):
        assert observation.observer_id in ids_working_with(observation.enrolment)
        assert observation.learner_id == observation.enrolment.learner_id

    # Every person has a record as the product keeps one: joined before any program began,
    # last changed between joining and the build, in an order an HR sync can page through.
    generated = User.objects.exclude(username="admin")
    first_enrolled = Enrolment.objects.aggregate(first=Min("enrolled_on"))["first"]
    assert not generated.filter(created_at__date__gte=first_enrolled)
    assert not generated.exclude(date_joined=F("created_at"))
    assert not generated.filter(updated_at__lt=F("created_at"))
    assert not generated.filter(updated_at__gt=finished)
    changes = generated.values_list("updated_at", flat=True)
    assert len(set(changes)) > 0.95 * len(changes)
    assert generated.filter(updated_at=F("created_at")).exists()  # some never changed
    # ... and every record other systems know by a public id has its own, new each build.
    for model in apps.get_models():
        if issubclass(model, PublicIdModel) and model.objects.exists():
            assert model.objects.values("uuid").distinct().count() == model.objects.count()
    kept_ids = set(generated.values_list("uuid", flat=True))

    # Objectives are SMART, steps as the designer's form saves them, the line of sight whole.
    for objective in PerformanceObjective.objects.all()[:20]:
        objective.full_clean()
    for step in Step.objects.all()[:20]:
        step.full_clean()
    for program in Program.objects.order_by("pk")[:3]:
        errors = [f.message for f in program_audit(program=program) if f.severity == Severity.ERROR]
        assert errors == [], program

    # Progression, run over all of it, finds nothing to change: every status, completion and
    # competency is the one it would have decided.
    events = ProgressEvent.objects.count()
    assert progress_sweep() > 0
    assert ProgressEvent.objects.count() == events
    assert Enrolment.objects.filter(status="completed").exists()
    assert Enrolment.objects.filter(competent_on__isnull=False).exists()

    # Each role has a person to log in as, named in the summary.
    logins = dict(
        re.findall(r"^  (\w+)\s+(sponsor|program designer|HR admin|manager|learner)", output, re.M)
    )
    people = {role: User.objects.get(username=name) for name, role in logins.items()}
    assert roles_of(people["sponsor"]).sponsor
    assert roles_of(people["program designer"]).designer
    assert is_hr_admin(people["HR admin"])
    assert roles_of(people["manager"]).manager
    assert roles_of(people["learner"]).learner
    request = rf.post("/accounts/login/")  # the lock-out counts sign-ins by their request
    assert authenticate(
        request, username=people["learner"].username, password=settings.DEMO_PASSWORD
    )

    # A database that holds a company already is refused; --reset empties it first, with
    # the API clients that point at its people and org units.
    admin = User.objects.get(username="admin")
    client_create(
        name="HR system",
        scopes=["people:read"],
        data_scope="org_units",
        org_units=[OrgUnit.objects.first()],
        created_by=admin,
    )
    with pytest.raises(CommandError, match="already holds 256 people and 102 programs"):
        _seed("--scale", "0.002")
    _seed("--scale", "0.002", "--seed", "8", "--reset")
    assert User.objects.count() == round(FULL["people"] * 0.002)
    assert not User.objects.filter(username="admin").exists()
    assert not ApiClient.objects.exists()
    # Another seed builds other people, with ids of their own.
    assert not kept_ids & set(User.objects.values_list("uuid", flat=True))


def test_it_refuses_to_run_in_production(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="never runs in production"):
        _seed("--scale", "0.001")
    assert not User.objects.exists()


def test_it_refuses_sqlite(tmp_path):
    # Run as its own process on a SQLite file, so the refusal is seen whatever the suite runs on.
    database = tmp_path / "refused.sqlite3"
    result = subprocess.run(  # noqa: S603 - the project's own command, fixed arguments
        [sys.executable, "manage.py", "seed_scale", "--scale", "0.001"],
        cwd=Path(__file__).resolve().parent.parent,
        env={**os.environ, "DATABASE_URL": f"sqlite:///{database}"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "needs PostgreSQL" in result.stderr
    assert not database.exists() or database.stat().st_size == 0
