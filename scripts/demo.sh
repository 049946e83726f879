#!/usr/bin/env bash
# Runs the demo under supervisord (deploy/supervisord.demo.conf): the web server, a worker for
# the jobs, a worker for email and beat, each started again if it dies. Ctrl-C stops them all.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin

# The configuration reads these; each must be set, even if empty.
export HOST=${HOST:-127.0.0.1}
export PORT=${PORT:-8000}
export CELERY_QUEUE_PREFIX=${CELERY_QUEUE_PREFIX:-}

mkdir -p var/static var/celery/queue var/celery/processed var/celery/control

# supervisord is made for running in the background, not in a terminal that may close: it takes
# the SIGHUP a closing terminal sends to mean "reload", and it exits, leaving its processes
# running, when it cannot write their output. So it runs in a session of its own; this script
# turns Ctrl-C, SIGTERM and SIGHUP into a stop; and the output reaches the terminal through a
# relay that ignores those signals and reads on, dropping what it cannot write, to the end.
exec > >(
  trap '' INT HUP
  exec "$BIN/python" -c '
import os
while chunk := os.read(0, 65536):
    try:
        os.write(1, chunk)
    except OSError:  # the terminal is gone
        pass
'
) 2>&1
relay=$!

"$BIN/python" -c 'import os, sys; os.setsid(); os.execv(sys.argv[1], sys.argv[1:])' \
  "$BIN/supervisord" -c deploy/supervisord.demo.conf &
supervisord=$!
trap 'kill -TERM "$supervisord" 2>/dev/null || true' INT TERM HUP

# A signal ends `wait` early: wait again until supervisord has stopped everything and exited.
status=0
while kill -0 "$supervisord" 2>/dev/null; do
  if wait "$supervisord"; then status=0; else status=$?; fi
done
# The relay's last lines come before the shell's prompt.
exec >&- 2>&-
wait "$relay" || true
exit "$status"
