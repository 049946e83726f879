"""A real worker lives through a real Redis restart while it holds an unacknowledged
message, and runs that message once the broker is back."""

import socket
import uuid

import pytest

from people.models import Notification
from people.tasks import deliver_notification_emails
from talentdev.celery import app
from tests import factories as f
from tests.services import RedisServer, SmtpSink, Worker, database_url, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _unacked(redis: RedisServer) -> int:
    with socket.create_connection(("127.0.0.1", redis.port), timeout=2) as conn:
        conn.sendall(b"HLEN unacked\r\n")
        return int(conn.recv(32).strip().lstrip(b":"))


def test_a_worker_holding_a_message_survives_a_broker_restart_and_runs_it(tmp_path):
    redis = RedisServer(tmp_path)
    redis.start()
    prefix = f"restart-{uuid.uuid4().hex[:8]}-"
    with SmtpSink() as sink:
        worker = Worker(
            "mail",
            prefix=prefix,
            queues=["email"],
            env={
                "DATABASE_URL": database_url(),
                "REDIS_URL": redis.url,
                "EMAIL_URL": f"smtp://127.0.0.1:{sink.port}",
            },
        ).start(tmp_path / "worker.log")
        try:
            Notification.objects.create(
                recipient=f.UserFactory(email="lena@example.com"),
                kind=Notification.Kind.FEEDBACK_DUE,
                key="restart",
                title="Feedback due",
                body="Feedback for Sam is due.",
            )
            with app.connection_for_write(redis.url) as connection:
                deliver_notification_emails.apply_async(
                    countdown=8, connection=connection, queue=f"{prefix}email"
                )
            # The worker holds the message, unacknowledged, until its countdown ends.
            assert wait_for(lambda: _unacked(redis) == 1, 20)

            redis.stop()
            assert not wait_for(lambda: not worker.alive, 3), "the worker exited"
            redis.start()

            sent = Notification.objects.filter(key="restart", emailed_at__isnull=False)
            assert wait_for(sent.exists, 40), (tmp_path / "worker.log").read_text()[-3000:]
            assert worker.alive
            assert [to for _, to, _ in sink.messages] == [("lena@example.com",)]
        finally:
            worker.stop()
            redis.stop()
