"""`make demo` runs its processes under supervisord: one that dies is started again, and Ctrl-C
stops them all. Started here as `make demo` starts it (scripts/demo.sh), on a free port, a
database of its own and queues of its own. The banner it prints once the web server answers."""

import os
import signal
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import ConnectionHandler

from tests.services import free_port, wait_for

needs_proc = pytest.mark.skipif(
    not Path("/proc/self/environ").exists(), reason="finds the demo's processes in /proc (Linux)"
)

ROOT = Path(__file__).resolve().parent.parent
STARTUP = 90  # seconds: five Django processes start at once, on two cores in CI


def _database_with_every_table(path):
    """A SQLite file with the tables of every model, migrations marked applied.

    Built from the models rather than by running the migrations, which takes 14 s; the demo's
    processes only need the tables to be there.
    """
    # A handler of its own, so the test's database is left alone; for the same reason nothing
    # here looks a connection up by its alias (atomic blocks, the migration recorder's model).
    connection = ConnectionHandler(
        {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path)}}
    )["default"]
    try:
        with connection.schema_editor(atomic=False) as editor:
            for model in [*apps.get_models(), MigrationRecorder.Migration]:
                if model._meta.managed and not model._meta.proxy:
                    editor.create_model(model)
        with connection.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO django_migrations (app, name, applied) VALUES (%s, %s, %s)",
                [
                    (app_label, name, "2000-01-01 00:00:00")
                    for app_label, name in MigrationLoader(None).disk_migrations
                ],
            )
    finally:
        connection.close()


def _processes_marked(marker):
    """Pids of the processes whose environment holds marker (every process the demo starts)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:  # gone meanwhile, or a zombie
            continue
        if marker in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def _survivors(marker, output):
    lines = []
    for pid in _processes_marked(marker):
        try:
            lines.append(f"{pid}: {Path(f'/proc/{pid}/cmdline').read_bytes()!r}")
        except OSError:
            pass
    return "\n".join(["still running:", *lines, output])


def _children(pid):
    """(pid, command line) of each process whose parent is pid."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        parent = int(stat.rpartition(")")[2].split()[1])
        if parent == pid:
            found.append((int(entry.name), cmdline))
    return found


def _child(parent, command):
    """The one process started by parent whose command line holds command."""
    pids = [pid for pid, cmdline in _children(parent) if command in cmdline]
    return pids[0] if len(pids) == 1 else None


def _answers(url):
    try:
        with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - loopback
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def _as_from_a_terminal():
    """A terminal's shell starts `make demo` with Ctrl-C's default action; a test run started
    in the background inherits SIGINT ignored, and a signal ignored on entry no script can
    trap, so the script is given the terminal's."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


@pytest.fixture
def demo(tmp_path, django_db_blocker):
    """The demo as `make demo` runs it, in a session of its own as a terminal would run it."""
    database = tmp_path / "demo.sqlite3"
    with django_db_blocker.unblock():
        _database_with_every_table(database)
    port = free_port()
    prefix = f"supervision-{uuid.uuid4().hex[:8]}-"  # the repo's var/celery, queues of its own
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"REDIS_URL", "TALENTDEV_ENV", "EMAIL_URL"}
    }
    env.update(
        HOST="127.0.0.1",
        PORT=str(port),
        DATABASE_URL=f"sqlite:///{database}",
        CELERY_QUEUE_PREFIX=prefix,
    )
    log = tmp_path / "demo.log"
    with log.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603 - the project's own script
            [ROOT / "scripts" / "demo.sh"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            preexec_fn=_as_from_a_terminal,  # noqa: PLW1509 - the only thread that starts it
        )
    marker = f"CELERY_QUEUE_PREFIX={prefix}".encode()
    try:
        yield process, f"http://127.0.0.1:{port}/", log, marker
    finally:
        # A failed test leaves nothing running either, nor its files in var/.
        for pid in _processes_marked(marker):
            os.kill(pid, signal.SIGKILL)
        process.wait(timeout=10)
        for exchange in (ROOT / "var" / "celery" / "control").glob(f"{prefix}*"):
            exchange.unlink()
        (ROOT / "var" / f"supervisord-{port}.pid").unlink(missing_ok=True)


@needs_proc
def test_a_killed_worker_is_started_again_and_ctrl_c_stops_everything(demo):
    script, url, log, marker = demo
    output = log.read_text

    assert wait_for(lambda: _answers(f"{url}healthz"), STARTUP), output()
    supervisord = _child(script.pid, "supervisord")
    assert supervisord, output()
    worker = wait_for(lambda: _child(supervisord, "-n jobs@"), STARTUP)
    assert worker, output()
    pool = wait_for(lambda: [pid for pid, _ in _children(worker)], STARTUP)
    assert pool, output()
    web = _child(supervisord, "runserver")
    assert web, output()
    assert wait_for(lambda: "talentdev is running at" in output(), STARTUP), output()

    os.kill(worker, signal.SIGKILL)

    def another_worker():
        pid = _child(supervisord, "-n jobs@")
        return pid if pid not in (None, worker) else None

    assert wait_for(another_worker, STARTUP), output()

    def running_again():  # as supervisord sees it
        after_kill = output().partition("exited: worker (terminated by SIGKILL; not expected)")[2]
        return "success: worker entered RUNNING state" in after_kill

    assert wait_for(running_again, 10), output()
    # Its pool went with the killed worker rather than living on as orphans (on two busy
    # cores that once took more than 10 s).
    assert wait_for(lambda: not set(pool) & set(_processes_marked(marker)), 30), output()
    # The web server is the same process as before, and answers.
    assert _child(supervisord, "runserver") == web
    assert _answers(f"{url}healthz")

    # Ctrl-C: the terminal sends SIGINT to the foreground process group.
    os.killpg(script.pid, signal.SIGINT)
    script.wait(timeout=60)

    # A pool process killed along with a worker that was still starting may take a moment.
    assert wait_for(lambda: not _processes_marked(marker), 5), _survivors(marker, output())
    assert not _answers(f"{url}healthz")


class _Healthy(BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - the name http.server calls
        self.send_response(200 if self.path == "/healthz" else 404)
        self.end_headers()

    def log_message(self, *args):
        pass


def test_the_banner_waits_for_the_web_server_then_prints_the_logins():
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    out = StringIO()
    banner = threading.Thread(
        target=call_command, args=["demo_banner"], kwargs={"url": url, "wait": 10, "stdout": out}
    )
    banner.start()
    time.sleep(1)
    assert out.getvalue() == ""  # nothing answers yet

    with HTTPServer(("127.0.0.1", port), _Healthy) as server:
        threading.Thread(target=server.serve_forever, daemon=True).start()
        banner.join(timeout=10)
        server.shutdown()

    assert f"talentdev is running at {url}" in out.getvalue()
    assert "hradmin" in out.getvalue()


def test_the_banner_gives_up_on_a_web_server_that_never_answers():
    nothing_listens = f"http://127.0.0.1:{free_port()}/"
    out = StringIO()

    with pytest.raises(CommandError, match=r"did not answer within 0\.5 s"):
        call_command("demo_banner", url=nothing_listens, wait=0.5, stdout=out)
    assert out.getvalue() == ""
