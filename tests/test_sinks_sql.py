"""SQL sink on SQLite and a real PostgreSQL server: rows, replacement, resume, export.

PostgreSQL: GAIEXTRACT_TEST_PG_URL, else the server .ci/postgres.sh starts. Without
a reachable server these tests skip locally but FAIL in CI (CI=true).
"""
import copy
import csv

import pytest
from sqlalchemy import create_engine, text

from gaiextract.batch.worker import error_record
from gaiextract.sinks.sql import SqlSink, export_wide, normalize_url
from batch_support import CORPUS
from batch_support.pg import pg_url  # noqa: F401 - fixture

SEED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.txt"
SEED_EXPECTED = CORPUS / "txt" / "seed_000_5312fda51cfcd75e.expected.json"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path):
    if request.param == "sqlite":
        return str(tmp_path / "out.db")          # a plain path means SQLite
    return request.getfixturevalue("pg_url")


@pytest.fixture(scope="module")
def report():
    import gaiextract
    return gaiextract.extract(SEED).to_dict()


def variant(report, sha, **cells):
    """The same report as another file, with some cells changed."""
    rec = copy.deepcopy(report)
    rec["source"]["sha256"] = sha
    rec["source"]["path"] = f"in/{sha[:6]}.txt"
    for key, value in cells.items():
        table, _, k = key.partition(":")
        rec["tables"][table]["cells"][k] = value
    return rec


def query(url, sql, **params):
    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.execute(text(sql), params)]
    finally:
        engine.dispose()


def write(url, records, resume=False, batch_size=2):
    sink = SqlSink(url, batch_size=batch_size)
    sink.open(resume)
    for r in records:
        sink.write(r)
    sink.close()
    return sink


def test_report_rows_match_the_canonical_json(db_url, report):
    import json
    expected = json.loads(SEED_EXPECTED.read_text(encoding="utf-8"))
    write(db_url, [report])
    rows = query(db_url, "SELECT id, source_path, sha256, format, agency, year, edition, status, "
                         "warnings_count FROM reports")
    assert len(rows) == 1
    rid, path, sha, fmt, agency, year, edition, status, nwarn = rows[0]
    assert (path, sha, fmt) == (str(SEED), report["source"]["sha256"], "txt")
    assert (agency, year, edition) == ("密云区融媒体中心", 2025, "2021")
    assert status == ("warnings" if report["warnings"] else "ok") and nwarn == len(report["warnings"])
    n_cells = sum(len(t) for t in expected["tables"].values())
    assert query(db_url, "SELECT count(*) FROM cells WHERE report_id = :r", r=rid) == [(n_cells,)]
    got = query(db_url, "SELECT value, raw FROM cells WHERE table_name = 'proactive' "
                        "AND key = 'normative_documents.in_force'")
    assert got[0][0] == expected["tables"]["proactive"]["normative_documents.in_force"] == 16
    assert got[0][1] == "16"
    sections = query(db_url, "SELECT section_id FROM sections WHERE level = 1 ORDER BY ord")
    assert [s for (s,) in sections] == expected["section_ids"]
    n_checks = query(db_url, "SELECT count(*), sum(CASE WHEN ok THEN 0 ELSE 1 END) FROM checks")
    assert n_checks[0][0] == len(report["checks"]) and (n_checks[0][1] or 0) == len(expected["failing_checks"])


def test_nulls_decimals_errors_and_replacement(db_url, report):
    a = variant(report, "a" * 64, **{"proactive:fees.amount": 12.5, "proactive:rules.issued": None})
    b = variant(report, "b" * 64)
    bad = error_record("in/c.pdf", "c" * 64, "truncated", "ends early")
    gone = error_record("in/gone.pdf", None, "not_found", "missing")
    write(db_url, [a, b, bad, gone])
    cell = "SELECT value FROM cells c JOIN reports r ON r.id = c.report_id WHERE r.sha256 = :s AND c.key = :k"
    assert query(db_url, cell, s="a" * 64, k="fees.amount") == [(12.5,)]
    assert query(db_url, cell, s="a" * 64, k="rules.issued") == [(None,)]      # blank, not 0
    assert query(db_url, "SELECT source_path, code FROM errors ORDER BY source_path") == [
        ("in/c.pdf", "truncated"), ("in/gone.pdf", "not_found")]
    # re-running without resume replaces: c now reads fine, a changed, gone still gone
    c_ok = variant(report, "c" * 64)
    a2 = variant(report, "a" * 64, **{"proactive:fees.amount": 7})
    write(db_url, [a2, c_ok, error_record("in/gone.pdf", None, "not_found", "still missing")])
    assert query(db_url, "SELECT count(*) FROM reports") == [(3,)]
    assert query(db_url, "SELECT source_path, message FROM errors") == [("in/gone.pdf", "still missing")]
    assert query(db_url, cell, s="a" * 64, k="fees.amount") == [(7,)]
    per_report = query(db_url, "SELECT count(*) FROM cells GROUP BY report_id")
    assert len({n for (n,) in per_report}) == 1 and len(per_report) == 3   # no leftover rows


def test_resume_reads_done_keys_from_the_tables(db_url, report):
    write(db_url, [variant(report, "d" * 64), error_record("x.pdf", "e" * 64, "corrupt", "bad"),
                   error_record("y.pdf", None, "not_found", "missing")])
    sink = SqlSink(db_url)
    sink.open(resume=True)
    sink.close()
    assert sink.done == {"d" * 64, "e" * 64, "path:y.pdf"}


def test_wide_export_has_one_row_per_report_and_a_column_per_key(db_url, report, tmp_path):
    a = variant(report, "a" * 64, **{"proactive:rules.issued": 3})
    b = variant(report, "b" * 64, **{"proactive:rules.issued": None})
    write(db_url, [a, b, error_record("z.pdf", "f" * 64, "corrupt", "x")])
    out = tmp_path / "wide.csv"
    assert export_wide(db_url, out) == 2
    with open(out, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["sha256"] for r in rows] == ["a" * 64, "b" * 64]
    n_keys = sum(len(t["cells"]) for t in report["tables"].values())
    assert len(rows[0]) == 10 + n_keys
    assert [r["proactive.rules.issued"] for r in rows] == ["3", ""]
    assert rows[0]["proactive.normative_documents.in_force"] == "16"
    assert rows[0]["agency"] == "密云区融媒体中心"
    keys = [k for k in rows[0] if "." in k]
    assert keys[0].startswith("proactive.") and keys[-1].startswith("review_litigation.")


def test_indexes_exist(db_url):
    write(db_url, [])
    from sqlalchemy import inspect
    engine = create_engine(normalize_url(db_url))
    try:
        insp = inspect(engine)
        idx = {i["name"]: i["column_names"] for t in ("reports", "cells") for i in insp.get_indexes(t)}
    finally:
        engine.dispose()
    assert idx["ix_reports_agency_year"] == ["agency", "year"]
    assert idx["ix_cells_table_key"] == ["table_name", "key"]
