#!/usr/bin/env bash
# Start PostgreSQL (the Debian package's cluster) on loopback and create the test
# role and database the batch sink tests use:
#   postgresql+psycopg://gaiextract:gaiextract@127.0.0.1:5432/gaiextract
# (tests/test_sinks_sql_postgres.py; override with GAIEXTRACT_TEST_PG_URL).
set -euo pipefail
command -v pg_lsclusters >/dev/null 2>&1 || { echo "postgres.sh: PostgreSQL is not installed" >&2; exit 1; }
read -r ver name port status _ < <(pg_lsclusters --no-header | head -n1) || true
if [ -z "${ver:-}" ]; then
  ver=$(ls /usr/lib/postgresql | sort -V | tail -n1)
  pg_createcluster "$ver" main --port 5432 >/dev/null
  name=main; port=5432; status=down
fi
if [ "$status" != "online" ]; then
  pg_ctlcluster "$ver" "$name" start
fi
for _ in $(seq 1 30); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.5
done
pg_isready -h 127.0.0.1 -p "$port"
psql_() { su postgres -c "psql -v ON_ERROR_STOP=1 -qAt -p $port $*"; }
if [ "$(psql_ "-c \"SELECT 1 FROM pg_roles WHERE rolname='gaiextract'\"")" != "1" ]; then
  psql_ "-c \"CREATE ROLE gaiextract LOGIN PASSWORD 'gaiextract'\""
fi
if [ "$(psql_ "-c \"SELECT 1 FROM pg_database WHERE datname='gaiextract'\"")" != "1" ]; then
  psql_ "-c \"CREATE DATABASE gaiextract OWNER gaiextract\""
fi
echo "postgres.sh: PostgreSQL $ver/$name on 127.0.0.1:$port, database gaiextract ready"
