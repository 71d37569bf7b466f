"""The PostgreSQL test fixture (import ``pg_url`` into a test module to use it).

The server: GAIEXTRACT_TEST_PG_URL, else the one .ci/postgres.sh starts. When none
is reachable the tests skip locally but FAIL in CI (CI=true).
"""
import os
import uuid

import pytest
from sqlalchemy import create_engine, text

from gaiextract.sinks.sql import normalize_url

DEFAULT_PG = "postgresql+psycopg://gaiextract:gaiextract@127.0.0.1:5432/gaiextract"


def pg_base_url() -> str:
    url = os.environ.get("GAIEXTRACT_TEST_PG_URL", DEFAULT_PG)
    try:
        engine = create_engine(normalize_url(url))
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
    except Exception as exc:
        msg = f"no PostgreSQL at {url}: {type(exc).__name__}: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(msg + " (CI must run the PostgreSQL tests; see .ci/postgres.sh)")
        pytest.skip(msg)
    return normalize_url(url)


@pytest.fixture
def pg_url():
    """A fresh schema on the test server (as the URL's search_path), dropped afterwards."""
    base = pg_base_url()
    schema = "t_" + uuid.uuid4().hex[:12]
    engine = create_engine(base)
    with engine.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    yield f"{base}{sep}options=-csearch_path%3D{schema}"
    with engine.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()
