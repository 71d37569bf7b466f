"""One home per concept, checked: warning and error codes in their registries (and the
README tables and the JSON Schema agree with them), template wording and template ids
in the grammar, never in Python.

The scans read the source, so a new ``{"code": "x"}`` or a new Chinese phrase in a
layout module fails here until it is registered or moved to the grammar.
"""
import ast
import re
from pathlib import Path

import pytest

from gaiextract.errors import ERROR_CODES, WARNING_CODES, warning
from gaiextract.grammar import load
from gaiextract.schema import generate

ROOT = Path(__file__).resolve().parent.parent
SRC = ROOT / "src" / "gaiextract"
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")

#: modules that may hold Chinese literals, and why (each must still hold one: a stale
#: entry fails). Readers deal with formats, not with the template: the ones listed hold
#: format wording; page chrome is grammars/chrome.toml's
WORDING_HOMES = {
    "textnorm.py": "numerals, numbering patterns, CJK ranges",
    "readers/docx_numbering.py": "Word's list number formats (counting digits, 甲乙丙, 子丑寅, 拾佰仟)",
    "readers/docx_styles.py": "Word's Chinese heading style name (标题 N)",
    "readers/pdf_text.py": "Chinese bold font names (黑体, 小标宋) and a page-number footer (第 N 页)",
    "readers/page_meta.py": "an archiver's body separator (正文) and a page-number footer (第 N 页)",
    "readers/ocr.py": "一, OCR's reading of a lone dash in a cell",
    "readers/html_tree.py": "a numbered heading (第N部分) and a title's shape (…年…报告, 标题)",
}
#: single literals that are not template wording
NOT_WORDING = {("batch/preload.py", "預熱")}  # warms the traditional→simplified converter up
#: modules still naming tables in Python, and why (remove the entry when fixed)
ID_EXEMPT = {
    "grammar/model.py": "the section roles (a role shares its name with the problems section)",
    "report.py": "the contract's output keys (a section's 'problems' list)",
    "inspect_view/values_pane.py": "the contract's output keys (a section's 'problems' list)",
}


def _py_files():
    for p in sorted(SRC.rglob("*.py")):
        yield p.relative_to(SRC).as_posix(), p


def _string_literals(path: Path):
    """(line, value) of every str constant that is not a docstring."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docs = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docs.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs:
            yield node.lineno, node.value


# ------------------------------------------------------------------ warnings

#: the ways the code emits a warning code
EMITTERS = [re.compile(r'"code"\s*:\s*"([a-z_]+)"'), re.compile(r'\bwarning\(\s*"([a-z_]+)"'),
            re.compile(r'\b_warn\(\s*"([a-z_]+)"')]


def emitted_warning_codes() -> dict:
    found = {}
    for rel, path in _py_files():
        if rel == "errors.py":
            continue
        text = path.read_text(encoding="utf-8")
        for pat in EMITTERS:
            for m in pat.finditer(text):
                found.setdefault(m.group(1), f"{rel}:{text.count(chr(10), 0, m.start()) + 1}")
    return found


def test_every_emitted_warning_code_is_registered():
    found = emitted_warning_codes()
    assert len(found) >= 15  # the scan sees the emitters (readers, tables, pipeline)
    missing = {c: where for c, where in found.items() if c not in WARNING_CODES}
    assert not missing, f"register these in gaiextract.errors.WARNING_CODES: {missing}"


def test_registries_have_one_line_meanings_and_a_typed_constructor():
    for registry in (WARNING_CODES, ERROR_CODES):
        for code, meaning in registry.items():
            assert re.fullmatch(r"[a-z_]+", code) and meaning and "\n" not in meaning
    assert warning("table_not_found", table="requests", detail="x") == \
        {"code": "table_not_found", "table": "requests", "detail": "x"}
    with pytest.raises(ValueError):
        warning("no_such_code")


#: files that still build raw ``{"code": …}`` warning dicts, each being converted to
#: errors.warning() on another branch (owner in the value). PENDING: the lead removes
#: an entry when that branch is merged; an entry whose file is clean fails the test.
PENDING_RAW_WARNINGS: dict[str, str] = {}
#: dicts with a "code" key that are not warnings, and why
NOT_WARNINGS = {"sinks/sql.py": "rows of the warnings and errors tables (report_id, code, …)",
                "serve/app.py": "HTTP error bodies {code, message}",
                "serve/openapi.py": "the OpenAPI schema of those error bodies"}


def raw_code_dicts(path: Path) -> list:
    """Lines of dict displays and dict(...) calls with a ``code`` key."""
    hits = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict) and any(isinstance(k, ast.Constant) and k.value == "code"
                                              for k in node.keys):
            hits.append(node.lineno)
        elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "dict"
              and any(kw.arg == "code" for kw in node.keywords)):
            hits.append(node.lineno)
    return hits


def test_no_raw_warning_dicts_outside_errors_warning():
    found = {rel: raw_code_dicts(path) for rel, path in _py_files()
             if rel != "errors.py" and rel not in NOT_WARNINGS}
    raw = [f"{rel}:{line}" for rel, lines in found.items() if rel not in PENDING_RAW_WARNINGS
           for line in lines]
    assert not raw, "build warnings with gaiextract.errors.warning(code, **fields):\n" + "\n".join(raw)
    clean = sorted(rel for rel in PENDING_RAW_WARNINGS if not found.get(rel))
    assert not clean, f"no raw warning dicts left in {clean}: remove them from PENDING_RAW_WARNINGS"


def _warning_calls(path: Path):
    """(line, code, keyword names) of every ``warning("code", ...)`` / ``errors.warning(...)``."""
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        f = node.func
        if not ((isinstance(f, ast.Name) and f.id == "warning")
                or (isinstance(f, ast.Attribute) and f.attr == "warning"
                    and isinstance(f.value, ast.Name) and f.value.id == "errors")):
            continue
        code = node.args[0].value if node.args and isinstance(node.args[0], ast.Constant) else None
        yield node.lineno, code, [kw.arg for kw in node.keywords]


def test_every_warning_call_uses_the_typed_keys():
    from gaiextract.errors import WARNING_KEYS

    calls = [(rel, c) for rel, path in _py_files() for c in _warning_calls(path)]
    assert calls  # the scan sees the constructor's callers
    bad = [f"{rel}:{line}: {code} {kw}" for rel, (line, code, kws) in calls for kw in kws
           if kw is not None and kw not in WARNING_KEYS]
    assert not bad, f"keys outside errors.ReportWarning ({sorted(WARNING_KEYS)}):\n" + "\n".join(bad)


def test_the_warning_scans_can_fail(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text('W = {"code": "truncated", "detail": "x"}\nV = dict(code="truncated")\n'
                   'from gaiextract.errors import warning\nU = warning("truncated", row=3)\n', encoding="utf-8")
    assert raw_code_dicts(bad) == [1, 2]
    assert list(_warning_calls(bad)) == [(4, "truncated", ["row"])]


def _readme_table_codes(after: str) -> set:
    """Codes in the first markdown table after the line containing ``after``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    rest = text[text.index(after):]
    lines = rest.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith("| code"))
    codes = set()
    for ln in lines[start + 2:]:
        if not ln.startswith("|"):
            break
        codes |= set(re.findall(r"`([a-z_]+)`", ln.split("|")[1]))
    return codes


def test_readme_tables_list_exactly_the_registries():
    assert _readme_table_codes("raises `gaiextract.ExtractError`") == set(ERROR_CODES)
    assert _readme_table_codes("Findings that are not fatal") == set(WARNING_CODES)


def test_schema_enums_agree_with_grammar_and_registries():
    text = generate.SCHEMA.read_text(encoding="utf-8")
    assert generate.render(text, generate.enums()) == text, \
        "run python3 -m gaiextract.schema.generate"
    assert generate.main(["--check"]) == 0


# ------------------------------------------------------------------ wording and ids

def test_no_template_wording_in_python():
    hits = []
    for rel, path in _py_files():
        if rel in WORDING_HOMES:
            continue
        for line, value in _string_literals(path):
            if HAN.search(value) and (rel, value) not in NOT_WORDING:
                hits.append(f"{rel}:{line}: {value[:40]!r}")
    assert not hits, "template wording belongs in grammars/*.toml:\n" + "\n".join(hits)


def test_every_wording_home_still_holds_wording():
    stale = [rel for rel in WORDING_HOMES
             if not any(HAN.search(v) for _, v in _string_literals(SRC / rel))]
    assert not stale, f"no Chinese literals left in {stale}: remove them from WORDING_HOMES"


#: page-chrome wording (breadcrumb, buttons, an archiver's metadata keys)
CHROME_WORDS = ("当前位置", "打印本页", "发布时间", "索引号", "您的位置", "版权所有", "浏览次数")


def test_page_chrome_wording_has_one_home():
    """Chrome wording lives in grammars/chrome.toml only: no other grammar file and no
    Python module spells it (the facts read it from chrome.toml)."""
    homes = {}
    for path in sorted((SRC / "grammars").glob("*.toml")):
        text = path.read_text(encoding="utf-8")
        for w in CHROME_WORDS:
            if w in text:
                homes.setdefault(w, []).append(path.name)
    for rel, path in _py_files():
        for _, value in _string_literals(path):
            for w in CHROME_WORDS:
                if w in value:
                    homes.setdefault(w, []).append(rel)
    assert homes == {w: ["chrome.toml"] for w in CHROME_WORDS}, homes


def test_no_section_id_table_or_category_named_in_python():
    g = load()
    ids = set(g.section_ids()) | set(g.table_names()) | {c.id for c in g.categories}
    assert {"overview", "requests", "other"} <= ids
    hits = []
    for rel, path in _py_files():
        if rel in ID_EXEMPT:
            continue
        for line, value in _string_literals(path):
            if value in ids:
                hits.append(f"{rel}:{line}: {value!r}")
    assert not hits, "section ids, table names and categories come from the grammar:\n" + "\n".join(hits)


def test_the_scans_can_fail(tmp_path):
    """The literal scan sees a phrase and an id in a module (guards the scans themselves)."""
    bad = tmp_path / "bad.py"
    bad.write_text('"""doc 中文"""\nX = "下一步"\nY = "overview"\n', encoding="utf-8")
    values = [v for _, v in _string_literals(bad)]
    assert values == ["下一步", "overview"]


#: the numbering digits and the Han range, written out
COPIES = re.compile(r"一二三四五六七八九|\\u4e00-\\u9fff|\\u3400-\\u4dbf|\\u2e80-\\u9fff")
#: modules that may spell them, and why
COPY_HOMES = {
    "textnorm.py": "the one home of numerals, numbering patterns and CJK ranges",
    "readers/docx_numbering.py": "Word's list number formats (counting digits with 零, 甲乙丙, 壹贰叁), "
                                 "which print numbers rather than recognise them",
}


def test_numerals_and_cjk_ranges_live_in_textnorm_only():
    hits = []
    for rel, path in _py_files():
        if rel in COPY_HOMES:
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if COPIES.search(line):
                hits.append(f"{rel}:{n}: {line.strip()[:60]}")
    assert not hits, "import CN_DIGITS / HAN / CJK / WIDE from gaiextract.textnorm:\n" + "\n".join(hits)
