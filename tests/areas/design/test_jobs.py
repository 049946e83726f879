"""The background jobs page: HR admins read how every schedule and job task fares."""

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from talentdev.jobs.services import job_failed, job_started, job_succeeded
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = reverse("design:jobs")
TOKYO = ZoneInfo("Asia/Tokyo")


@pytest.fixture
def now():
    return timezone.now().replace(microsecond=0)


def _in_tokyo(moment, seconds=True):
    return f"{moment.astimezone(TOKYO):%-d %b %Y, %H:%M{':%S' if seconds else ''}}"


def _rows(response) -> list[str]:
    """Each row of the table as its words, one space apart, without the markup."""
    body = response.text.split("<tbody>")[1].split("</tbody>")[0]
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def _ran(task, *, started, seconds, error=None, worker="worker-1@host"):
    job_started(task=task, worker=worker, at=started)
    finished = started + timedelta(seconds=seconds)
    if error is None:
        job_succeeded(task=task, duration=seconds, at=finished)
    else:
        job_failed(task=task, error=error, duration=seconds, at=finished)


def test_an_hr_admin_reads_each_schedule_and_how_its_job_went_in_their_time_zone(client, now):
    client.force_login(f.HRAdminFactory(time_zone="Asia/Tokyo"))  # UTC+9
    _ran("coaching.tasks.scan_reminders", started=now - timedelta(minutes=2), seconds=1.25)
    _ran("programs.tasks.sweep_progress", started=now - timedelta(hours=2), seconds=4)
    _ran(
        "programs.tasks.sweep_progress",
        started=now - timedelta(minutes=10),
        seconds=300,
        error=TimeoutError("the database did not answer"),
    )
    _ran("programs.tasks.evaluate_program", started=now - timedelta(days=1), seconds=0.5)
    deliver = PeriodicTask.objects.get(task="people.tasks.deliver_notification_emails")
    deliver.enabled = False
    deliver.save()  # as the admin does
    PeriodicTask.objects.filter(task="coaching.tasks.scan_reminders").update(
        last_run_at=now - timedelta(minutes=2, seconds=1)  # as beat does
    )

    response = client.get(URL)

    assert response.status_code == 200
    reminders, sweep = now - timedelta(minutes=2), now - timedelta(minutes=10)
    assert _rows(response) == [
        "API housekeeping api.tasks.forget_expired_api_records every hour Enabled Never run "
        "None 0 0 No (allowed 3 hours without a success)",
        "Deliver notification emails people.tasks.deliver_notification_emails every 30 seconds "
        "Disabled Never run None 0 0 —",
        "Progress of learners, from their evidence programs.tasks.sweep_progress "
        f"every 15 minutes Enabled {_in_tokyo(sweep)} Failed in 300.00 s on worker-1@host "
        f"TimeoutError: the database did not answer {_in_tokyo(sweep + timedelta(minutes=5))} "
        "2 1 Overdue no success for 45 minutes "
        f"(last {_in_tokyo(now - timedelta(hours=2, seconds=-4), seconds=False)})",
        "Reminders and missed feedback windows coaching.tasks.scan_reminders every 5 minutes "
        f"Enabled last sent {_in_tokyo(reminders - timedelta(seconds=1), seconds=False)} "
        f"{_in_tokyo(reminders)} Succeeded in 1.25 s on worker-1@host None 1 0 "
        "No (allowed 15 minutes without a success)",
        "Sponsor figures measurement.tasks.refresh_program_figures every 15 minutes Enabled "
        "Never run None 0 0 No (allowed 45 minutes without a success)",
        "Weekly sponsor reviews measurement.tasks.roll_up_sponsor_reviews "
        "At 06:00 AM, only on Monday UTC Enabled Never run None 0 0 "
        "No (allowed 1 week, 1 day without a success)",
        "programs.tasks.evaluate_program programs.tasks.evaluate_program on demand "
        f"{_in_tokyo(now - timedelta(days=1))} Succeeded in 0.50 s on worker-1@host None 1 0 —",
    ]


def test_a_timed_out_run_says_so(client, now):
    client.force_login(f.HRAdminFactory())
    job_started(task="programs.tasks.sweep_progress", worker="w@h", at=now)
    assert "Running" in _rows(client.get(URL))[2]
    job_failed(task="programs.tasks.sweep_progress", error=SoftTimeLimitExceeded(), duration=300)
    row = _rows(client.get(URL))[2]
    assert "Timed out in 300.00 s" in row
    assert "SoftTimeLimitExceeded" in row


def test_a_superuser_reads_the_page_too(client, admin_user):
    client.force_login(admin_user)
    assert client.get(URL).status_code == 200


def test_only_hr_admins_find_the_page_from_the_design_home(client):
    program = f.ProgramFactory()
    client.force_login(f.HRAdminFactory())
    assert f'href="{URL}"' in client.get(reverse("design:home")).text
    client.force_login(program.owner)  # designs a program, is no HR admin
    home = client.get(reverse("design:home"))
    assert home.status_code == 200
    assert f'href="{URL}"' not in home.text


def test_the_page_is_refused_to_everyone_but_hr_admins(client):
    enrolment = f.EnrolmentFactory(supervisor=f.UserFactory())
    sponsor = f.UserFactory()
    enrolment.program.sponsors.add(sponsor)
    people = {
        "learner": enrolment.learner,
        "manager": enrolment.supervisor,
        "sponsor": sponsor,
        "program designer": enrolment.program.owner,
        "staff": f.UserFactory(is_staff=True),
    }
    for who, person in people.items():
        client.force_login(person)
        response = client.get(URL)
        assert response.status_code == 403, who
        assert "Only HR admins see how the background jobs run." in response.text


def test_someone_not_signed_in_is_sent_to_log_in(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next={URL}"


def test_the_page_only_reads(client):
    client.force_login(f.HRAdminFactory())
    assert client.post(URL).status_code == 405


@pytest.mark.parametrize("size", [2, 50])
def test_the_page_runs_the_same_queries_at_any_size(client, django_assert_num_queries, size):
    every = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.MINUTES)
    for n in range(size):
        task = f"people.tasks.extra_{n}"
        PeriodicTask.objects.create(name=f"Extra {n}", task=task, interval=every)
        _ran(task, started=timezone.now(), seconds=1, error=RuntimeError("boom") if n % 2 else None)
        _ran(f"programs.tasks.on_demand_{n}", started=timezone.now(), seconds=1)
    client.force_login(f.HRAdminFactory())
    # session, user, permissions (the person's and their groups'), job records, schedules,
    # the navigation's roles and unread count
    with django_assert_num_queries(7):
        response = client.get(URL)
    assert len(_rows(response)) == 6 + 2 * size
