"""Liveness, readiness, the landing page and the production settings mode."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import unreachable_broker
from tests.factories import EnrolmentFactory, ProgramFactory, UserFactory

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.django_db
def test_healthz_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_healthz_refuses_writes(client):
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_reports_the_database_reachable(client, settings):
    settings.REDIS_URL = ""
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_checks_the_broker_when_one_is_configured(client):
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_readyz_answers_503_when_the_broker_is_unreachable(client, settings):
    with unreachable_broker() as url:
        settings.REDIS_URL = url
        response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "broker": "unreachable"}


@pytest.mark.django_db
def test_programs_page_lists_only_the_programs_a_person_takes_part_in(client):
    mine = EnrolmentFactory()
    other = ProgramFactory(name="Someone else's program")
    client.force_login(mine.learner)
    response = client.get(reverse("programs"))
    assert response.status_code == 200
    assert mine.program.name in response.text
    assert other.name not in response.text


@pytest.mark.django_db
def test_programs_page_asks_an_anonymous_visitor_to_log_in(client):
    response = client.get(reverse("programs"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "home"),
    [("learner", "learn:home"), ("supervisor", "team:home"), ("owner", "design:home")],
)
def test_home_sends_each_person_to_the_home_of_their_role(client, role, home):
    enrolment = EnrolmentFactory()
    person = enrolment.program.owner if role == "owner" else getattr(enrolment, role)
    client.force_login(person)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(home)


@pytest.mark.django_db
def test_home_sends_a_sponsor_to_their_dashboards(client):
    program = ProgramFactory()
    sponsor = UserFactory()
    program.sponsors.add(sponsor)
    client.force_login(sponsor)
    assert client.get(reverse("home"))["Location"] == reverse("sponsor:home")


@pytest.mark.django_db
def test_home_invites_an_anonymous_visitor_to_log_in(client):
    ProgramFactory(name="Hidden program")
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert "Hidden program" not in response.text
    assert reverse("login") in response.text


@pytest.mark.django_db
def test_login_page_signs_a_person_in(client):
    user = UserFactory(username="ada")
    response = client.post(reverse("login"), {"username": "ada", "password": "wrong"})
    assert response.status_code == 200
    assert "enter a correct username and password" in response.text
    response = client.post(
        reverse("login"), {"username": "ada", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def _manage(*args, **env):
    return subprocess.run(  # noqa: S603 - fixed arguments, our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_mode_passes_the_deployment_checks(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        TALENTDEV_ENV="production",
        SECRET_KEY="a-long-random-production-secret-key-" + "x" * 40,
        ALLOWED_HOSTS="talent.example.com",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_mode_refuses_to_start_without_a_secret_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**env, "TALENTDEV_ENV": "production", "ALLOWED_HOSTS": "talent.example.com"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


@pytest.mark.django_db
def test_pages_show_times_in_the_viewers_time_zone(client):
    from django.utils import timezone

    seen = {}

    def capture(request):
        seen["zone"] = timezone.get_current_timezone_name()

    from talentdev.middleware import UserTimeZoneMiddleware

    user = UserFactory(time_zone="Asia/Singapore")
    request = type("Request", (), {"user": user})()
    UserTimeZoneMiddleware(capture)(request)
    assert seen["zone"] == "Asia/Singapore"
    timezone.deactivate()
