"""The app under gunicorn on loopback, as production runs it, for the benchmark to call.

Production settings (TALENTDEV_ENV=production, DEBUG off, the manifest static storage,
persistent database connections) over plain HTTP: the HTTPS redirect is off, since the
server answers only on 127.0.0.1. Static files are collected into a temporary folder
first, as the image does at build time.
"""

import contextlib
import http.client
import os
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

HOST = "127.0.0.1"


@dataclass(frozen=True)
class Server:
    host: str
    port: int
    log: Path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


# Requests an API client may make a minute, in the served app: far above what the bench
# makes, so it measures the API's work rather than its refusals (the default, 600 a minute,
# is reached within seconds under the load run).
BENCH_API_RATE_PER_MINUTE = 10_000_000


def production_env(static_root: str) -> dict[str, str]:
    """The environment of the server: production mode with the benchmark's timing header
    and an API rate limit it never reaches. It shares this process's SECRET_KEY, so the
    sessions made here sign it in."""
    env = dict(os.environ)
    env.update(
        TALENTDEV_ENV="production",
        DEBUG="false",
        SECRET_KEY=settings.SECRET_KEY,
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="false",
        BENCH_TIMING="true",
        STATIC_ROOT=static_root,
        LOG_LEVEL="WARNING",
        API_RATE_PER_MINUTE=str(BENCH_API_RATE_PER_MINUTE),
    )
    if "DATABASE_URL" not in env:
        env["DATABASE_URL"] = _database_url()
    return env


def _database_url() -> str:
    # Production requires DATABASE_URL; the embedded SQLite default is spelled out for it.
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{database['NAME']}"
    raise RuntimeError("Set DATABASE_URL for the benchmark.")


def _wait_until_up(process, port: int, log: Path, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}):\n{_tail(log)}")
        with contextlib.suppress(OSError):
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer within {timeout:.0f} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 20) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])


def _stop(process) -> None:
    """SIGTERM lets the workers finish their request; a server that hangs is killed."""
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def running_server(*, workers: int = 2):
    """Start gunicorn on a free loopback port, yield it, and stop it however the block
    ends (an error, Ctrl-C)."""
    with tempfile.TemporaryDirectory(prefix="talentdev-bench-") as scratch:
        static_root = Path(scratch) / "static"
        log = Path(scratch) / "gunicorn.log"
        env = production_env(str(static_root))
        manage = str(Path(settings.BASE_DIR) / "manage.py")
        subprocess.run(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, manage, "collectstatic", "--no-input", "--verbosity", "0"],
            env=env,
            check=True,
            cwd=settings.BASE_DIR,
        )
        port = free_port()
        with log.open("w") as output:
            process = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "talentdev.wsgi:application",
                    "--bind",
                    f"{HOST}:{port}",
                    "--workers",
                    str(workers),
                ],
                env=env,
                cwd=settings.BASE_DIR,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                _wait_until_up(process, port, log)
                yield Server(host=HOST, port=port, log=log)
            finally:
                _stop(process)
