#!/usr/bin/env bash
# System packages and services the test suite uses. Each part is best effort only where
# the tests themselves skip cleanly without it; otherwise a failure here fails CI.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive
need=()
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-writer-nogui fonts-wqy-zenhei)
command -v pg_ctlcluster >/dev/null 2>&1 || need+=(postgresql)
# headless Chromium for the inspection page's browser tests (tests/test_inspect_browser.py),
# with a CJK font so page images and screenshots show Chinese text
command -v chromium >/dev/null 2>&1 || need+=(chromium fonts-wqy-zenhei)
if [ ${#need[@]} -gt 0 ]; then
  apt-get update -q >/dev/null
  apt-get install -y -q --no-install-recommends "${need[@]}" >/dev/null
fi
# PostgreSQL on loopback for the batch sink tests (see tests/test_sinks_sql.py)
if [ -f .ci/postgres.sh ]; then bash .ci/postgres.sh; fi
