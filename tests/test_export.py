"""``gaiextract export DB OUT`` (issue 16): every format loads in pandas with the
expected columns and one row per report identity.

The database is a real batch run over corpus documents: the same report in two
formats (corpus g01: txt and html) and another report (g02). Expected identities
and values come from the corpus's expected JSON files, written by the builder.
"""
import csv
import io
import json
import subprocess
import sys

import pytest
from batch_support import CORPUS, subprocess_env
from batch_support.pg import pg_url  # noqa: F401 - fixture

from gaiextract.batch import BatchOptions, run_batch
from gaiextract.sinks.sql import SqlSink

pd = pytest.importorskip("pandas", reason="the export tests read the files with pandas (test extra)")

DOCS = [CORPUS / "txt" / "g01_txt_cells.txt", CORPUS / "html" / "g01_html_gov.html",
        CORPUS / "txt" / "g02_txt.txt"]


def expected(doc):
    return json.loads(doc.with_name(doc.name.rsplit(".", 1)[0] + ".expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    root = tmp_path_factory.mktemp("export")
    folder = root / "in"
    folder.mkdir()
    for d in DOCS:
        (folder / d.name).write_bytes(d.read_bytes())
    path = root / "r.db"
    summary = run_batch(BatchOptions(inputs=[folder], workers=1, progress=False), [SqlSink(str(path))])
    assert summary.converted == len(DOCS)
    return path


def identities():
    return {(expected(d)["report"]["agency"], expected(d)["report"]["year"]) for d in DOCS}


class Result:
    def __init__(self, res):
        self.returncode, self.stdout, self.stderr = res.exit_code, res.stdout, res.stderr


def cli(*args):
    """The command in this process (the subprocess form is tested once, below)."""
    from click.testing import CliRunner

    from gaiextract.cli import main
    return Result(CliRunner().invoke(main, [str(a) for a in args]))


def test_command_runs_as_a_process(db, tmp_path):
    out = tmp_path / "p.csv"
    res = subprocess.run([sys.executable, "-m", "gaiextract", "export", str(db), str(out)],
                         env=subprocess_env(), capture_output=True, text=True, timeout=120)
    assert res.returncode == 0 and "2 rows written" in res.stderr and out.exists()


def load(path):
    if path.suffix == ".csv":
        return pd.read_csv(path)
    if path.suffix == ".xlsx":  # a sheet per edition, headed by labels; 字段说明 maps them to keys
        pytest.importorskip("openpyxl", reason="xlsx extra")
        sheets = pd.read_excel(path, sheet_name=None)
        *data, dictionary = sheets.values()
        to_key = dict(zip(dictionary.iloc[:, 1], dictionary.iloc[:, 0]))
        return pd.concat([d.rename(columns=to_key) for d in data], ignore_index=True)
    pytest.importorskip("pyarrow", reason="parquet extra")
    return pd.read_parquet(path)


@pytest.mark.parametrize("ext", [".csv", ".xlsx", ".parquet"])
def test_wide_export_one_row_per_identity(db, tmp_path, ext):
    out = tmp_path / f"wide{ext}"
    res = cli("export", db, out)
    assert res.returncode == 0, res.stderr
    frame = load(out)
    for col in ("identity", "title", "agency", "year", "edition", "fees.notices",
                "fees.amount_collected", "requests.new.total", "proactive.rules.issued"):
        assert col in frame.columns, col
    assert len(frame) == len(identities()) == 2
    assert {(a, int(y)) for a, y in zip(frame["agency"], frame["year"])} == identities()
    for doc in (DOCS[0], DOCS[2]):
        exp = expected(doc)
        row = frame[frame["year"] == exp["report"]["year"]].iloc[0]
        assert row["title"] == exp["report"]["title"]
        assert str(row["edition"]) == exp["report"]["edition"]  # CSV: pandas reads 2021 as a number
        assert row["requests.new.total"] == exp["tables"]["requests"]["new.total"]
        for k, v in exp["fees"].items():
            assert (pd.isna(row[f"fees.{k}"]) if v is None else row[f"fees.{k}"] == v), k


def test_all_copies_and_duplicates_marked(db, tmp_path):
    out = tmp_path / "all.csv"
    assert cli("export", db, out, "--all-copies").returncode == 0
    frame = pd.read_csv(out)
    assert len(frame) == len(DOCS)
    # the two g01 copies share one identity: one is the best copy, the other points at it
    same = frame[frame["year"] == expected(DOCS[0])["report"]["year"]]
    assert len(same) == 2 and same["identity"].nunique() == 1
    assert same["duplicate_of"].isna().sum() == 1
    best = same[same["duplicate_of"].isna()].iloc[0]
    assert (same["duplicate_of"].dropna() == best["id"]).all()


@pytest.mark.parametrize("ext", [".csv", ".parquet"])
def test_long_export_has_template_labels(db, tmp_path, ext):
    out = tmp_path / f"long{ext}"
    assert cli("export", db, out, "--shape", "long").returncode == 0
    frame = load(out)
    assert list(frame.columns) == ["identity", "id", "sha256", "agency", "year", "edition", "table", "key", "value",
                                   "raw", "row_label", "column_label", "label", "unit", "page", "how"]
    assert frame["identity"].nunique() == 2
    exp = expected(DOCS[0])
    row = frame[(frame["year"] == exp["report"]["year"]) & (frame["table"] == "requests")
                & (frame["key"] == "carried_in.natural_person")].iloc[0]
    # the printed form's own wording (corpus/txt/g01_txt_cells.txt prints these labels)
    assert "上年结转政府信息公开申请数量" in row["row_label"] and row["column_label"] == "自然人"
    assert row["value"] == exp["tables"]["requests"]["carried_in.natural_person"]
    per_report = frame.groupby("identity").size()
    assert (per_report > 100).all()


def test_dash_is_csv_on_stdout(db):
    res = cli("export", db, "-")
    assert res.returncode == 0, res.stderr
    rows = list(csv.reader(io.StringIO(res.stdout)))
    assert rows[0][:3] == ["identity", "title", "agency"] and len(rows) == 1 + 2


def test_missing_database_is_one_line_and_creates_nothing(tmp_path):
    res = cli("export", tmp_path / "none.db", tmp_path / "o.csv")
    assert res.returncode == 2
    assert len(res.stderr.strip().splitlines()) == 1 and "not_found" in res.stderr
    assert list(tmp_path.iterdir()) == []


def test_existing_output_refused_unknown_extension_usage(db, tmp_path):
    out = tmp_path / "o.csv"
    out.write_text("mine\n")
    res = cli("export", db, out)
    assert res.returncode == 1 and "output_exists" in res.stderr and out.read_text() == "mine\n"
    assert cli("export", db, out, "--overwrite").returncode == 0 and out.read_text() != "mine\n"
    res = cli("export", db, tmp_path / "o.txt")
    assert res.returncode == 2 and ".csv, .xlsx or .parquet" in res.stderr


def test_missing_extra_named(db, tmp_path, monkeypatch):
    from gaiextract.sinks import export as ex
    monkeypatch.setitem(ex.EXTRAS, "parquet", ("no_such_module_gaiextract", "parquet"))
    with pytest.raises(ex.ExportError) as err:
        ex.export(str(db), str(tmp_path / "o.parquet"))
    assert "gaiextract[parquet]" in err.value.message and not (tmp_path / "o.parquet").exists()


def test_old_form_still_works(db, tmp_path):
    out = tmp_path / "old.csv"
    res = cli("export", "--db", db, "--wide", out)
    assert res.returncode == 0 and "deprecated" in res.stderr
    assert len(pd.read_csv(out)) == len(DOCS)


def test_export_and_series_on_postgresql(pg_url, tmp_path):  # noqa: F811 - fixture
    import gaiextract
    from gaiextract.sinks.export import export
    sink = SqlSink(pg_url)
    sink.open(False)
    for d in DOCS:
        sink.write(gaiextract.extract(d).to_dict())
    sink.close()
    out = tmp_path / "pg.csv"
    assert export(pg_url, str(out)) == 2
    frame = pd.read_csv(out)
    assert {(a, int(y)) for a, y in zip(frame["agency"], frame["year"])} == identities()
    for doc in (DOCS[0], DOCS[2]):                   # fees read from the JSONB column
        exp = expected(doc)
        row = frame[frame["year"] == exp["report"]["year"]].iloc[0]
        for k, v in exp["fees"].items():
            assert (pd.isna(row[f"fees.{k}"]) if v is None else row[f"fees.{k}"] == v), k
    assert export(pg_url, str(tmp_path / "all.csv"), all_copies=True) == len(DOCS)
    result = gaiextract.series(pg_url, store=True)
    assert len(result.agencies) == 2 and result.checks == []


def test_a_database_of_the_first_release_gains_identity_columns(tmp_path):
    import sqlite3

    import gaiextract
    from gaiextract.sinks.export import export
    path = tmp_path / "old.db"
    sink = SqlSink(str(path))
    sink.open(False)
    for d in DOCS:
        sink.write(gaiextract.extract(d).to_dict())
    sink.close()
    with sqlite3.connect(path) as conn:  # back to the first release's schema
        conn.execute("DROP INDEX ix_reports_identity")
        for col in ("agency_key", "identity", "cells_count", "duplicate_of"):
            conn.execute(f"ALTER TABLE reports DROP COLUMN {col}")
        conn.execute("ALTER TABLE cells DROP COLUMN how")
    assert export(str(path), str(tmp_path / "w.csv")) == 2
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT identity, duplicate_of IS NULL FROM reports ORDER BY id").fetchall()
    assert len({i for i, _ in rows}) == 2 and sum(best for _, best in rows) == 2


def test_export_reads_a_read_only_database(db, tmp_path):
    import shutil
    import stat
    copy = tmp_path / "ro.db"
    shutil.copy(db, copy)
    copy.chmod(stat.S_IRUSR)
    uri = f"sqlite:///file:{copy}?mode=ro&uri=true"   # read-only even for root
    from gaiextract.sinks.export import export
    assert export(uri, str(tmp_path / "w.csv")) == 2


# ------------------------------------------------------------------ the grammar the reports were read with

#: a user's export wording: another joiner, another short name, another fixed column label
USER_EXPORT = ('joiner = "/"\n[tables]\nrequests = "依申请"\n'
               '[columns.title]\nlabel = "报告名称"\nmeaning = "报告的标题"\n')
#: a user's agency rule: 住房和城乡建设局 is written 住建局 in the identity
USER_AGENCIES = '[normalise]\nreplace = [["住房和城乡建设局", "住建局"]]\n'


def _user_grammar(tmp_path, **files):
    d = tmp_path / "g"
    d.mkdir(exist_ok=True)
    for name, text in files.items():
        (d / f"{name}.toml").write_text(text, encoding="utf-8")
    return d


def test_a_user_export_toml_names_the_columns(db, tmp_path):
    d = _user_grammar(tmp_path, export=USER_EXPORT)
    heads = {}
    for name, extra in (("shipped", []), ("user", ["--grammar", d])):
        out = tmp_path / f"{name}.csv"
        res = cli("export", db, out, "--header", "both", *extra)
        assert res.returncode == 0, res.stderr
        keys, labels = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))[:2]
        heads[name] = dict(zip(keys, labels))
    assert heads["shipped"]["title"] == "标题" and heads["user"]["title"] == "报告名称"
    assert heads["shipped"]["requests.new.total"].startswith("依申请公开·")
    assert heads["user"]["requests.new.total"].startswith("依申请/")
    assert heads["user"]["agency"] == heads["shipped"]["agency"] == "机关"  # the rest is the shipped wording


@pytest.mark.parametrize("text,needle", [
    ('with_unit = "{label}"\n', "line 1: key with_unit"),
    ('[units]\namounts = { "proactive.fees.nope" = "元" }\n', "'proactive.fees.nope' is no cell"),
    ('[sheets]\nedition = "{year}"\n', "key sheets.edition"),
])
def test_a_broken_export_toml_is_a_grammar_error(db, tmp_path, text, needle):
    from gaiextract.grammar import GrammarError, load
    from gaiextract.sinks.export import ExportError, export

    d = _user_grammar(tmp_path, export=text)
    with pytest.raises(GrammarError, match="export.toml"):
        load(d)
    out = tmp_path / "x.csv"
    res = cli("export", db, out, "--grammar", d)
    assert res.returncode == 2 and "gaiextract: grammar: " in res.stderr and needle in res.stderr, res.stderr
    assert not out.exists()
    with pytest.raises(ExportError) as e:
        export(str(db), str(out), grammar=d)
    assert e.value.code == "grammar" and needle in str(e.value)


def test_identities_use_the_agency_rules_of_the_grammar(tmp_path):
    """A records file exported with a user grammar: the identity (computed by the SQL
    sink) follows the user's agencies.toml; without it, the shipped rules."""
    import gaiextract

    doc = DOCS[2]
    agency, year = expected(doc)["report"]["agency"], expected(doc)["report"]["year"]
    assert "住房和城乡建设局" in agency
    records = tmp_path / "r.jsonl"
    records.write_text(json.dumps(gaiextract.extract(doc).to_dict(), ensure_ascii=False) + "\n", encoding="utf-8")
    d = _user_grammar(tmp_path, agencies=USER_AGENCIES)
    for extra, want in (([], f"{agency}/{year}"), (["--grammar", d], f"{agency.replace('住房和城乡建设局', '住建局')}/{year}")):
        out = tmp_path / "i.csv"
        assert cli("export", records, out, "--overwrite", *extra).returncode == 0
        assert list(pd.read_csv(out)["identity"]) == [want]


def test_sql_sink_takes_the_grammar(tmp_path):
    import sqlite3

    import gaiextract

    record = gaiextract.extract(DOCS[2]).to_dict()
    d = _user_grammar(tmp_path, agencies=USER_AGENCIES)
    for name, grammar in (("a", None), ("b", d)):
        sink = SqlSink(str(tmp_path / f"{name}.db"), grammar=grammar)
        sink.open(resume=False)
        sink.write(record)
        sink.close()
    ident = {n: sqlite3.connect(tmp_path / f"{n}.db").execute("select identity, agency_key from reports").fetchone()
             for n in "ab"}
    assert "住房和城乡建设局" in ident["a"][0] and "住建局" in ident["b"][0] and "住建局" in ident["b"][1]


def test_to_frame_uses_the_grammar_the_report_was_extracted_with(tmp_path):
    import gaiextract

    d = _user_grammar(tmp_path, export=USER_EXPORT, agencies=USER_AGENCIES)
    shipped, user = gaiextract.extract(DOCS[2]).to_frame(), gaiextract.extract(DOCS[2], grammar=d).to_frame()
    req = (shipped["table"] == "requests") & (shipped["key"] == "new.total")
    assert shipped[req]["label"].iloc[0].startswith("依申请公开·")
    assert user[req]["label"].iloc[0].startswith("依申请/")
    assert "住建局" in user["identity"].iloc[0] and "住建局" not in shipped["identity"].iloc[0]
