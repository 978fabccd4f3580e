#!/usr/bin/env bash
# Makes sure what the tests need is here: PostgreSQL answering on 127.0.0.1 and the system
# Chromium for the browser tests. Starts or installs them when this machine allows it.
set -uo pipefail

if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
  if command -v pg_ctlcluster >/dev/null && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
fi
pg_isready -q -h 127.0.0.1 -p 5432 || echo "! PostgreSQL is not answering on 127.0.0.1:5432: database tests will fail." >&2

if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
fi
[ -x /usr/bin/chromium ] || echo "! /usr/bin/chromium is missing: browser tests will fail." >&2
exit 0
