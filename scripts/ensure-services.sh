#!/usr/bin/env bash
# Starts the local PostgreSQL and Redis the test suite talks to, if they are installed here but not running.
set -u

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

if ! answers 5432; then
  if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    echo "Starting PostgreSQL…"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start || true
  fi
fi
if ! answers 6379; then
  if command -v redis-server >/dev/null 2>&1; then
    echo "Starting Redis…"
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null || true
  fi
fi

for _ in $(seq 1 30); do
  answers 5432 && answers 6379 && exit 0
  sleep 1
done
answers 5432 || echo "PostgreSQL is not answering on 127.0.0.1:5432 (set TEST_DATABASE_URL, or install it: apt-get install postgresql)." >&2
answers 6379 || echo "Redis is not answering on 127.0.0.1:6379 (set TEST_REDIS_URL, or install it: apt-get install redis-server)." >&2
exit 1
