#!/usr/bin/env bash
# Serves the demo: the web server and the background task worker together; Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${PORT:-8000}"
PY=.venv/bin/python


RECEIVER_PORT="${RECEIVER_PORT:-8025}"
SECRET="$(${PY} manage.py shell -v 0 -c 'from demo.seed import DEMO_WEBHOOK_SECRET; print(DEMO_WEBHOOK_SECRET)')"

# A stand-in for the forces' back offices: reports made on the demo sites arrive here.
${PY} manage.py demo_receiver --port "${RECEIVER_PORT}" --secret "${SECRET}" \
  --platform-url "http://127.0.0.1:${PORT}" &
receiver=$!
${PY} manage.py run_worker --no-reload &
worker=$!
${PY} manage.py runserver "0.0.0.0:${PORT}" &
web=$!
trap 'kill "$receiver" "$worker" "$web" 2>/dev/null; wait 2>/dev/null; exit 0' INT TERM
# The worker first works through the tasks the seed queued; show the banner after its output.
sleep 4
cat <<MSG

  Single Online Home demo
  ------------------------
  National hub                     http://localhost:${PORT}/
  Metropolitan Police Service      http://met.localhost:${PORT}/
  Thames Valley Police             http://thames-valley.localhost:${PORT}/
  Hampshire and Isle of Wight      http://hampshire.localhost:${PORT}/
  Dyfed-Powys Police (bilingual)   http://dyfed-powys.localhost:${PORT}/
    Heddlu Dyfed-Powys (Cymraeg)   http://dyfed-powys.localhost:${PORT}/cy/
  Admin (every site)               http://localhost:${PORT}/admin/
  Demo back office (reports)       http://127.0.0.1:${RECEIVER_PORT}/

  Demo logins (password for all: $(${PY} manage.py shell -v 0 -c 'from demo.seed import DEMO_PASSWORD; print(DEMO_PASSWORD)' 2>/dev/null)):
$(${PY} manage.py shell -v 0 -c 'from demo.seed import print_logins; print_logins()' 2>/dev/null | sed 's/^/    /')

  Press Ctrl-C to stop.

MSG
wait -n "$receiver" "$worker" "$web"
kill "$receiver" "$worker" "$web" 2>/dev/null || true
wait 2>/dev/null || true
