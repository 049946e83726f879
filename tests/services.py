"""Real infrastructure on loopback for tests of the jobs: a Redis of the test's own (to stop
and start), Celery workers as processes, and mail servers that answer, refuse or hang."""

import asyncio
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
JOB_QUEUES = ("default", "reminders", "progress", "rollups")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for(condition, seconds=60.0, every=0.2):
    """What `condition` returns once it is true (False if it never is within `seconds`)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if result := condition():
            return result
        time.sleep(every)
    return False


def database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


class RedisServer:
    """A redis-server of the test's own, so stopping it stops nobody else's broker. It saves
    to its directory on shutdown, as a production Redis with persistence would."""

    def __init__(self, directory: Path):
        self.directory, self.port = directory, free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process = None

    def start(self):
        binary = shutil.which("redis-server") or "/usr/bin/redis-server"
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments, loopback only
            [
                binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.directory),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        assert wait_for(self._answers, 10), "redis-server did not start"

    def stop(self):
        """Shut down after saving what it holds (messages, unacknowledged ones too)."""
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=2) as conn:
                conn.sendall(b"SHUTDOWN SAVE\r\n")
                conn.recv(64)
        except OSError:
            pass
        self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False


class Worker:
    """`celery worker` as its own process, reading the given queues of a prefix."""

    def __init__(self, name, *, prefix, queues, env, pool="prefork", concurrency=1):
        self.name = name
        self.command = [
            sys.executable, "-m", "celery", "-A", "talentdev", "worker",
            "-Q", ",".join(f"{prefix}{queue}" for queue in queues),
            "-P", pool, "-c", str(concurrency), "-n", f"{name}-{prefix}@%h",
            "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=info",
        ]  # fmt: skip
        self.env = {**os.environ, "CELERY_QUEUE_PREFIX": prefix, **env}
        self.process = None

    def start(self, log_path: Path | None = None):
        self.log_file = open(log_path or os.devnull, "ab")  # noqa: SIM115 - closed on stop
        self.process = subprocess.Popen(  # noqa: S603 - our own worker, fixed arguments
            self.command,
            cwd=ROOT,
            env=self.env,
            stdout=self.log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its pool children share its process group
        )
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def kill(self):
        """SIGKILL to the worker and its pool at once, as an out-of-memory killer would."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self):
        if self.alive:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.kill()
        self.log_file.close()


class SmtpSink:
    """An SMTP server on loopback that keeps what it receives. While `hanging` is set it
    takes a message's data and then never answers, like a mail server that hung."""

    def __init__(self):
        self.messages = []  # (Message-ID, recipients, time received)
        self.sessions = 0
        self.hanging = threading.Event()
        self.refuse = set()  # addresses answered 550
        self.reject_subjects = {}  # subject → the reply to its data, e.g. "554 5.6.0 Bad"
        sink = self

        class Handler:
            async def handle_EHLO(self, server, session, envelope, hostname, responses):
                sink.sessions += 1
                session.host_name = hostname
                return responses

            async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
                if address in sink.refuse:
                    return "550 5.1.1 No such user"
                envelope.rcpt_tos.append(address)
                return "250 OK"

            async def handle_DATA(self, server, session, envelope):
                while sink.hanging.is_set():
                    await asyncio.sleep(0.05)
                text = envelope.content.decode("utf-8", "replace")
                for subject, reply in sink.reject_subjects.items():
                    if f"Subject: {subject}" in text:
                        return reply
                message_id = next(
                    (line.split(":", 1)[1].strip() for line in text.splitlines()
                     if line.lower().startswith("message-id:")),
                    "",
                )  # fmt: skip
                sink.messages.append((message_id, tuple(envelope.rcpt_tos), time.time()))
                return "250 Message accepted"

        self.controller = Controller(Handler(), hostname="127.0.0.1", port=free_port())

    @property
    def port(self) -> int:
        return self.controller.port

    def __enter__(self):
        self.controller.start()
        return self

    def __exit__(self, *exc_info):
        self.hanging.clear()
        self.controller.stop()


class _Listener:
    """A loopback port that accepts every connection on a thread and hands it to
    `_accepted`; what each kind of server does with it is all that differs."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.held = []
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            self._accepted(conn)

    def _accepted(self, conn):
        raise NotImplementedError

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self.listener.close()
        for conn in self.held:
            conn.close()


class SilentServer(_Listener):
    """Accepts connections and never says a word: a mail server that hung before greeting."""

    def _accepted(self, conn):
        self.held.append(conn)


class CountingRefuser(_Listener):
    """A port that accepts and at once closes every connection, counting them: a broker
    that is down, whose cost can be counted in connection attempts."""

    accepted = 0

    def _accepted(self, conn):
        self.accepted += 1
        conn.close()
