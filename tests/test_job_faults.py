"""Reminders through a fault run: two job workers and two mail workers on a Redis of the
test's own, the schedule sent twice (two beats), workers killed with SIGKILL, Redis
stopped and started, every worker's database connection terminated, and a mail server
that hangs. Every expected notification must exist once, every email be sent at least
once, duplicates stay within one per killed mail worker, and the time from due to sent
is printed."""

import threading
import time
import uuid
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from coaching.models import FeedbackWindow, Observation
from coaching.tasks import scan_reminders
from people.models import Notification
from people.notifications import message_id
from people.tasks import deliver_notification_emails
from talentdev.celery import app
from tests import factories as f
from tests.services import JOB_QUEUES, RedisServer, SmtpSink, Worker, database_url, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WINDOWS = 300
LEAD = timedelta(seconds=20)  # the reminder's lead time before a window closes
MAIL_KILLS = 2
SCHEDULE = ((scan_reminders, "reminders"), (deliver_notification_emails, "email"))


def _windows(start):
    """Windows whose reminders fall due 3 to 15 s after `start` and which close (missed,
    their observer's manager told) 20 s after that."""
    manager = f.UserFactory(email="manager@example.com", manager=None)
    observer = f.UserFactory(email="observer@example.com", manager=manager)
    enrolment = f.EnrolmentFactory(supervisor=observer)
    po = f.PerformanceObjectiveFactory(program=enrolment.program)
    observations = Observation.objects.bulk_create(
        Observation(
            enrolment=enrolment,
            learner=enrolment.learner,
            observer=observer,
            performance_objective=po,
            observed_at=start - timedelta(hours=1),
            rating=3,
            behaviour=f"Moment {i}",
        )
        for i in range(WINDOWS)
    )
    return FeedbackWindow.objects.bulk_create(
        FeedbackWindow(
            observation=o,
            opens_at=o.observed_at,
            closes_at=start + LEAD + timedelta(seconds=3 + 12 * i / WINDOWS),
        )
        for i, o in enumerate(observations)
    )


class TwoBeats(threading.Thread):
    """The schedule, sent twice a second as two beats by mistake would: the scan and the
    email sweep. A send while the broker is down is lost, as a beat's would be."""

    def __init__(self, broker_url, prefix):
        super().__init__(daemon=True)
        self.broker_url, self.prefix = broker_url, prefix
        self.done = threading.Event()

    def run(self):
        while not self.done.wait(0.5):
            for task, queue in SCHEDULE:
                try:
                    with app.connection_for_write(self.broker_url) as conn:
                        queue = f"{self.prefix}{queue}"
                        task.apply_async(connection=conn, queue=queue, retry=False)
                except Exception:  # noqa: S112 - the broker is down: this beat's tick is lost
                    continue


def _terminate_other_connections():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_reminders_come_through_killed_workers_a_broker_restart_and_a_hung_mail_server(
    tmp_path, capsys
):
    redis = RedisServer(tmp_path)
    redis.start()
    prefix = f"faults-{uuid.uuid4().hex[:8]}-"
    with SmtpSink() as sink:
        env = {
            "DATABASE_URL": database_url(),
            "REDIS_URL": redis.url,
            "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            "EMAIL_TIMEOUT": "1",
            "EMAIL_CLAIM_LEASE": "3",
            "BROKER_RETRY_AFTER": "1",
            "FEEDBACK_REMINDER_LEAD_HOURS": str(LEAD.total_seconds() / 3600),
        }
        workers = {
            name: Worker(name, prefix=prefix, queues=queues, env=env)
            for name, queues in (
                ("jobs-1", JOB_QUEUES),
                ("jobs-2", JOB_QUEUES),
                ("mail-1", ["email"]),
                ("mail-2", ["email"]),
            )
        }
        logs = {name: tmp_path / f"{name}.log" for name in workers}

        def ready(name):
            return logs[name].exists() and " ready." in logs[name].read_text()

        def restart(name):
            workers[name].kill()
            workers[name].start(logs[name])

        for name, worker in workers.items():
            worker.start(logs[name])
        assert wait_for(lambda: all(ready(name) for name in workers), 30)

        start = timezone.now()
        windows = _windows(start)
        beats = TwoBeats(redis.url, prefix)
        beats.start()
        faults = [
            (4, "SIGKILL a job worker", lambda: restart("jobs-1")),
            (7, "Redis stopped", redis.stop),
            (12, "Redis started", redis.start),
            (14, "database connections terminated", _terminate_other_connections),
            (16, "mail server hangs", sink.hanging.set),
            (19, "SIGKILL a mail worker", lambda: restart("mail-1")),
            (22, "mail server answers", sink.hanging.clear),
            (27, "SIGKILL the other mail worker", lambda: restart("mail-2")),
        ]
        try:
            for at, _, inject in faults:
                time.sleep(max(0, at - (timezone.now() - start).total_seconds()))
                inject()
            expected = {f"feedback-window:{w.pk}:{int(LEAD.total_seconds())}" for w in windows}
            expected |= {f"feedback-missed:{w.pk}" for w in windows}
            notifications = Notification.objects.filter(key__in=expected)

            def all_sent():
                return notifications.filter(emailed_at__isnull=False).count() == len(expected)

            done = wait_for(all_sent, 75, every=0.5)
            time.sleep(2)  # any duplicate still on its way arrives
        finally:
            beats.done.set()
            for worker in workers.values():
                worker.stop()
            redis.stop()

    tail = {name: log.read_text()[-2000:] for name, log in logs.items() if log.exists()}
    assert done, tail
    # Every expected notification exists once (its key is unique), and nothing else.
    assert set(Notification.objects.values_list("key", flat=True)) == expected
    assert FeedbackWindow.objects.filter(status=FeedbackWindow.Status.MISSED).count() == WINDOWS

    by_notification = {message_id(n): n for n in Notification.objects.all()}
    received = {}
    for mid, _, at in sink.messages:
        received.setdefault(mid, []).append(at)
    assert set(received) == set(by_notification)  # every email at least once
    duplicates = sum(len(times) - 1 for times in received.values())
    assert duplicates <= MAIL_KILLS, f"{duplicates} duplicate emails"

    def due(notification):
        window = int(notification.key.split(":")[1])
        closes = next(w.closes_at for w in windows if w.pk == window)
        moment = closes - LEAD if notification.kind == "feedback_due" else closes
        return max(moment, start).timestamp()

    latencies = sorted(min(received[mid]) - due(n) for mid, n in by_notification.items())
    # The duplicate window: from the mail server accepting an email to its being recorded.
    unrecorded = sorted(
        n.emailed_at.timestamp() - min(received[mid]) for mid, n in by_notification.items()
    )
    faults_run = ", ".join(f"{at} s {what}" for at, what, _ in faults)
    with capsys.disabled():
        print(
            f"\nfault run ({faults_run}): {len(expected)} notifications, "
            f"{len(sink.messages)} emails, {duplicates} duplicate(s); due to sent "
            f"p50 {_percentile(latencies, 50):.1f} s, p95 {_percentile(latencies, 95):.1f} s, "
            f"max {latencies[-1]:.1f} s; accepted to recorded p50 "
            f"{_percentile(unrecorded, 50) * 1000:.1f} ms, p99 "
            f"{_percentile(unrecorded, 99) * 1000:.1f} ms, max {unrecorded[-1] * 1000:.1f} ms"
        )


def _percentile(ordered, percent):
    return ordered[round(percent / 100 * (len(ordered) - 1))]
