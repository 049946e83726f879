"""examples/sync_people.py, run as an integrator runs it, against the app on loopback."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from api import services as api_services
from api import throttling
from people import services
from people.models import User

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
SCRIPT = EXAMPLES / "sync_people.py"
SAMPLE = EXAMPLES / "people.csv"
HEADER = [
    "employee_id",
    "first_name",
    "last_name",
    "email",
    "job_title",
    "org_unit",
    "job_role",
    "manager_employee_id",
    "active",
]


@pytest.fixture
def hr_system(live_server, settings):
    """The org units and job roles the sample names, and a client that may write people:
    `run(csv_path, *args)` runs the script with its credentials in the environment."""
    settings.API_RATE_PER_MINUTE = 1000
    services.org_unit_create(code="customer-support", name="Customer Support")
    services.org_unit_create(code="platform", name="Platform")
    for code, title in [
        ("team-lead", "Team Lead"),
        ("support-specialist", "Support Specialist"),
        ("software-engineer", "Software Engineer"),
    ]:
        services.job_role_create(code=code, title=title)
    client, secret = api_services.client_create(
        name="HRIS", scopes=["people:read", "people:write"], data_scope="company", created_by=None
    )

    def run(csv_path, *args):
        return subprocess.run(  # noqa: S603 - our own script, with arguments we wrote
            [sys.executable, str(SCRIPT), str(csv_path), *args],
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
            env={
                "TALENTDEV_URL": live_server.url,
                "TALENTDEV_CLIENT_ID": client.client_id,
                "TALENTDEV_CLIENT_SECRET": secret,
                "PATH": "/usr/bin:/bin",
            },
        )

    return run


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def row(employee_id, *, email="", org_unit="customer-support", manager=""):
    first = employee_id.replace("-", "")
    return [employee_id, first, "Test", email, "", org_unit, "", manager, "true"]


@pytest.mark.django_db(transaction=True)
def test_the_sample_file_creates_its_people_then_a_second_run_updates_them(hr_system):
    first = hr_system(SAMPLE)

    assert first.returncode == 0, first.stdout + first.stderr
    assert "Done: 5 created, 0 updated, 0 not saved." in first.stdout
    lead = User.objects.get(employee_id="NW-2001")
    assert (lead.first_name, lead.org_unit.code, lead.job_role.code) == (
        "Hanna",
        "customer-support",
        "team-lead",
    )
    reports = User.objects.filter(manager=lead).order_by("employee_id")
    assert [p.employee_id for p in reports] == ["NW-2002", "NW-2003", "NW-2005"]
    leaver = User.objects.get(employee_id="NW-2005")
    assert (leaver.is_active, leaver.email) == (False, "")

    again = hr_system(SAMPLE)

    assert again.returncode == 0, again.stdout + again.stderr
    assert "Done: 0 created, 5 updated, 0 not saved." in again.stdout
    assert User.objects.filter(employee_id__startswith="NW-20").count() == 5


@pytest.mark.django_db(transaction=True)
def test_a_bad_row_is_reported_by_its_line_and_its_batch_is_not_saved(hr_system, tmp_path):
    people = write_csv(
        tmp_path / "people.csv",
        [
            row("E-1"),  # line 2, batch 1
            row("E-2", manager="E-1"),  # line 3, batch 1
            row("E-3"),  # line 4, batch 2
            row("E-4", email="not an address"),  # line 5, batch 2
            row("E-5", org_unit="atlantis"),  # line 6, batch 3
        ],
    )

    result = hr_system(people, "--batch-size", "2")

    assert result.returncode == 1, result.stdout + result.stderr
    assert "line 5 (record 1, E-4): email: Enter a valid email address." in result.stdout
    assert "line 6 (record 0, E-5): org_unit: No org unit has the code 'atlantis'." in (
        result.stdout
    )
    assert "Done: 2 created, 0 updated, 3 not saved." in result.stdout
    saved = User.objects.filter(employee_id__startswith="E-")
    assert sorted(saved.values_list("employee_id", flat=True)) == ["E-1", "E-2"]


@pytest.mark.django_db(transaction=True)
def test_a_batch_told_to_wait_is_sent_again_after_retry_after(
    hr_system, settings, monkeypatch, tmp_path
):
    # One request per two-second window: of three batches sent within a window's span, at
    # least two share a window, so one is told 429 with a Retry-After of a second or two.
    settings.API_RATE_PER_MINUTE = 1
    monkeypatch.setattr(throttling, "WINDOW_SECONDS", 2)
    people = write_csv(tmp_path / "people.csv", [row("E-1"), row("E-2"), row("E-3")])

    result = hr_system(people, "--batch-size", "1")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "429: waiting" in result.stderr
    assert "Done: 3 created, 0 updated, 0 not saved." in result.stdout
    assert User.objects.filter(employee_id__in=["E-1", "E-2", "E-3"]).count() == 3


def test_the_script_refuses_to_start_without_credentials(tmp_path):
    result = subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT), str(SAMPLE)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={"PATH": "/usr/bin:/bin"},
    )

    assert result.returncode == 2
    assert "give --url, --client-id and --client-secret" in result.stderr
