#!/usr/bin/env bash
# Runs the web server, a Celery worker and beat together; Ctrl-C stops all three.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=.venv/bin
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "Stopping talentdev…"
  kill "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
}
trap stop INT TERM EXIT

mkdir -p var/static var/celery/queue var/celery/processed var/celery/control
"$BIN/celery" -A talentdev worker --loglevel=warning --concurrency=2 &
pids+=($!)
"$BIN/celery" -A talentdev beat --loglevel=warning --pidfile= &
pids+=($!)
"$BIN/python" manage.py runserver --noreload "$HOST:$PORT" &
pids+=($!)

sleep 2
"$BIN/python" manage.py demo_banner --url "http://$HOST:$PORT/"
wait -n "${pids[@]}"
