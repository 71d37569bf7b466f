"""Structure-aware fuzzing (issue 24): inputs that are valid files with hostile
*structure*, rather than flipped bytes (tests/fuzz/fuzz_corpus.py does those).

Mutators (fixed seed, so a failure is reproducible by its number and seed):

* ``docx_xml``    — corpus DOCX edited at the XML level: integer attributes set to
  ``inf``/``1e400``/5,000 digits/``x``, ``w:sym`` codes past U+10FFFF, list levels
  and starts out of range in any number format, ``basedOn`` chains and loops,
  paragraphs multiplied;
* ``html``        — HTML and MHTML built to extremes (tests/hostile_structure.py) at
  random sizes, and corpus pages with random spans, charsets and nesting;
* ``numbers``     — the corpus text report with giant numbers in cells and sentences;
* ``report_json`` — canonical report JSON edited at random (keys dropped, values of
  the wrong type, huge and non-finite numbers) and fed to ``inspect``;
* ``pdf_objects`` — PDF pages whose text matrix, transform, font size, page box or
  page count holds giant or non-finite numbers.

Every outcome must be a Report (or an inspection page) or an ExtractError with a
documented code, with stdout-safe JSON (no NaN/Infinity), within a time bound per
input and a bound on the growth of peak memory (``ru_maxrss``) over the whole run.

    python3 tests/fuzz/fuzz_structure.py --budget 120 --seed 1   # a campaign
    python3 tests/fuzz/fuzz_structure.py --count 24 --seed 3     # what CI runs (via pytest)
"""
from __future__ import annotations

import argparse
import copy
import io
import json
import random
import re
import resource
import sys
import time
import zipfile
from pathlib import Path
from typing import Any, Callable, Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

import gaiextract  # noqa: E402
import hostile_structure as hs  # noqa: E402
from gaiextract.errors import ERROR_CODES, ExtractError  # noqa: E402

#: seconds one input may take; peak memory growth (MB) over the whole run
PER_INPUT_SECONDS = 20.0
MAX_RSS_MB = 500

#: values an integer attribute of WordprocessingML is set to
HOSTILE_INTS = ["inf", "-inf", "nan", "1e400", "-1e400", "9" * 5000, "x", "", "4294967296", "-2147483649",
                "0x10", "1.5", " 7 ", "+3", "-0"]
#: hex codes a w:sym may carry
HOSTILE_HEX = ["110000", "FFFFFFFF", "F" * 40, "D800", "DFFF", "0", "-1", "zz", ""]
NUM_FORMATS = ["decimal", "lowerLetter", "upperLetter", "lowerRoman", "upperRoman", "chineseCounting",
               "chineseLegalSimplified", "ideographDigital", "ideographTraditional", "decimalEnclosedCircle",
               "decimalFullWidth", "decimalZero", "bullet", "none", "bogus"]

Input = tuple[str, str, bytes]  # (kind, file name, bytes)


# -- DOCX at the XML level ----------------------------------------------------------------
def _docx_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as z:
        return {n: z.read(n) for n in z.namelist()}


def _zip(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n, data in parts.items():
            z.writestr(n, data)
    return buf.getvalue()


_INT_ATTR = re.compile(rb'(w:(?:val|ilvl|char|numId|abstractNumId|gridSpan|start)=")([^"]*)(")')


def docx_xml(rng: random.Random) -> Input:
    base = rng.choice(sorted((ROOT / "corpus" / "docx").glob("*.docx")) + [ROOT / "tests/fixtures/docx/features.docx"])
    parts = _docx_parts(base)
    kind = rng.choice(["ints", "sym", "lists", "chain", "multiply", "builder"])
    if kind == "builder":
        pick = rng.choice([
            lambda: hs.docx_number_value(rng.choice(HOSTILE_INTS)),
            lambda: hs.docx_symbol(rng.choice(HOSTILE_HEX)),
            lambda: hs.docx_list_level(rng.choice(HOSTILE_INTS)),
            lambda: hs.docx_list_start(rng.choice(NUM_FORMATS), rng.choice([10**9, 10**12, -5, 0, 2**31, 780, 3999]),
                                       rng.randint(1, 30)),
            lambda: hs.docx_style_chain(rng.randint(1, 3000), rng.randint(1, 300)),
        ])
        return "docx", f"{kind}.docx", pick()
    main = "word/document.xml"
    if kind == "ints":
        target = rng.choice([n for n in parts if n.endswith(".xml")])
        matches = list(_INT_ATTR.finditer(parts[target]))
        for m in rng.sample(matches, min(len(matches), rng.randint(1, 20))):
            parts[target] = parts[target].replace(m.group(0), m.group(1) + rng.choice(HOSTILE_INTS).encode() + m.group(3), 1)
    elif kind == "sym":
        sym = b'<w:r><w:sym w:font="Symbol" w:char="%s"/></w:r>' % rng.choice(HOSTILE_HEX).encode()
        parts[main] = parts[main].replace(b"</w:p>", sym + b"</w:p>", rng.randint(1, 50))
    elif kind == "lists":
        num = hs._numbering(rng.choice(NUM_FORMATS), rng.choice(HOSTILE_INTS + ["1000000000", "1"]),
                            ilvl=rng.choice(HOSTILE_INTS + ["0"]), override_ilvl=rng.choice(HOSTILE_INTS + ["0"]),
                            override=rng.choice(HOSTILE_INTS + ["1000000000000"]))
        parts["word/numbering.xml"] = (f'<?xml version="1.0" encoding="UTF-8"?><w:numbering xmlns:w="{hs.W}">'
                                       f"{num}</w:numbering>").encode()
        numpr = b'<w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'
        parts[main] = parts[main].replace(b"<w:pPr>", numpr, rng.randint(1, 200))
    elif kind == "chain":
        styles = parts.get("word/styles.xml", b"")
        ids = re.findall(rb'w:styleId="([^"]+)"', styles)
        if ids:
            # every style based on a random other one: chains, loops, self-reference
            def based(m: "re.Match[bytes]") -> bytes:
                return m.group(0) + b'<w:basedOn w:val="%s"/>' % rng.choice(ids)
            styles = re.sub(rb"<w:style [^>]*>", based, styles)
            parts["word/styles.xml"] = styles
    elif kind == "multiply":
        body = parts[main]
        m = re.search(rb"<w:p[ >].*?</w:p>", body, re.S)
        if m:
            parts[main] = body.replace(m.group(0), m.group(0) * rng.randint(2, 5000), 1)
    return "docx", f"{base.stem}:{kind}.docx", _zip(parts)


# -- HTML and MHTML ----------------------------------------------------------------------
def html(rng: random.Random) -> Input:
    kind = rng.choice(["charset", "mhtml", "tables", "spans", "nesting", "corpus_spans"])
    if kind == "charset":
        label = rng.choice(["undefined", "palmos", "unicode_escape", "rot13", "base64", "hex", "zlib", "utf-7",
                            "x-user-defined", "replacement", "hz-gb-2312", "utf-32", "gbk", "", "'"])
        return "html", f"{kind}.html", hs.html_charset(label) if label else hs.html_charset("x")
    if kind == "mhtml":
        return "html", f"{kind}.mht", hs.mhtml_nested(rng.choice([1, 2, 50, 64, 65, 500, 3000]))
    if kind == "tables":
        return "html", f"{kind}.html", hs.html_tiny_tables(rng.randint(1, 1500))
    if kind == "spans":
        return "html", f"{kind}.html", hs.html_spans(rng.randint(1, 400), rng.choice([0, 1, 1000, 100_000, 2**40]))
    if kind == "nesting":
        depth = rng.choice([100, 3000, 10_000])
        tag = rng.choice(["div", "table><tr><td", "font", "ul><li"])
        close = "".join(f"</{t.split('>')[0]}>" for t in reversed(tag.split("><")))
        return "html", f"{kind}.html", hs.bare_page(f"<{tag}>" * depth + "x" + close * depth).encode("utf-8")
    page = (ROOT / "corpus" / "html" / "g01_html_gov.html").read_text("utf-8")

    def span(m: "re.Match[str]") -> str:
        return f'<td rowspan="{rng.choice([0, 2, 65534, 10**6])}" colspan="{rng.choice([0, 3, 1000, 10**9])}"'
    page = re.sub(r"<td", span, page, count=rng.randint(1, 100))
    return "html", f"{kind}.html", page.encode("utf-8")


# -- giant numbers -------------------------------------------------------------------------
def numbers(rng: random.Random) -> Input:
    digits = rng.choice([15, 16, 308, 309, 400, 4300, 4301, 20_000])
    if rng.random() < 0.5:
        return "text", "giant.txt", hs.giant_number_text(digits, decimal=rng.random() < 0.5)
    text = hs.corpus_text("g01_txt_fees.txt")
    lines = text.split("\n")
    for _ in range(rng.randint(1, 30)):
        i = rng.randrange(len(lines))
        if re.fullmatch(r"\d+ \|", lines[i]):
            lines[i] = "9" * digits + rng.choice(["", ".5", "e400", ",999"]) + " |"
    return "text", "numbers.txt", "\n".join(lines).encode("utf-8")


# -- report JSON for inspect ---------------------------------------------------------------
_REPORTS: dict[str, dict[str, Any]] = {}


def _report(name: str) -> dict[str, Any]:
    if name not in _REPORTS:
        path = next((ROOT / "corpus").glob(f"*/{name}"))
        d = gaiextract.extract(path, ocr="never").to_dict()
        d["source"]["path"] = str(path)  # absolute: inspect re-reads the source
        _REPORTS[name] = d
    return copy.deepcopy(_REPORTS[name])


_WEIRD = [None, "", "x", -1, 0, 2**70, 1e308, [], {}, [1, 2], {"a": 1}, True, "\u0000", 1.5, -0.0, "9" * 5000]


def _mutate(rng: random.Random, node: Any, depth: int = 0) -> Any:
    """One random edit somewhere in the JSON tree."""
    if isinstance(node, dict) and node and (depth < 2 or rng.random() < 0.7):
        key = rng.choice(sorted(node))
        action = rng.random()
        if action < 0.2:
            del node[key]
        elif action < 0.45:
            node[key] = copy.deepcopy(rng.choice(_WEIRD))
        else:
            node[key] = _mutate(rng, node[key], depth + 1)
        return node
    if isinstance(node, list) and node and (depth < 2 or rng.random() < 0.7):
        i = rng.randrange(len(node))
        if rng.random() < 0.3:
            node[i] = copy.deepcopy(rng.choice(_WEIRD))
        else:
            node[i] = _mutate(rng, node[i], depth + 1)
        return node
    return copy.deepcopy(rng.choice(_WEIRD))


def report_json(rng: random.Random) -> Input:
    name = rng.choice(["g01_pdf_drawn_rep_rule.pdf", "g01_html_gov.html", "g01_docx_official.docx", "g01_txt_cells.txt"])
    d = _report(name)
    for _ in range(rng.randint(1, 3)):
        d = _mutate(rng, d)
    return "inspect", f"{name}.json", json.dumps(d, ensure_ascii=False).encode("utf-8")


# -- PDF at the object level ---------------------------------------------------------------
#: numbers a content-stream operand or a dictionary value is set to
HOSTILE_REALS = [b"1e400", b"9" * 310 + b".5", b"-" + b"9" * 310, b"1" + b"0" * 400, b"nan", b"inf", b"0",
                 b"-0", b"4294967296", b"99999999999999999999"]


def pdf_objects(rng: random.Random) -> Input:
    """A page whose content stream, page box, font size or text matrix holds giant or
    non-finite numbers, or a page tree claiming a huge count (tests/hostile_pdf.py)."""
    from hostile_pdf import FONT, page_with, pdf_bytes

    big = rng.choice(HOSTILE_REALS)
    kind = rng.choice(["tm", "cm", "tf", "td", "mediabox", "count", "re"])
    if kind in ("mediabox", "count"):
        box = b"[0 0 %s 842]" % big if kind == "mediabox" else b"[0 0 595 842]"
        count = big if kind == "count" else b"1"
        return "pdf", f"{kind}.pdf", pdf_bytes([
            b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count %s >>" % count,
            b"<< /Type /Page /Parent 2 0 R /MediaBox " + box + b" /Resources << /Font << /F1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            b"<< /Length 44 >>\nstream\nBT /F1 12 Tf 72 720 Td (hello) Tj ET\nendstream", FONT])
    ops = {
        "tm": b"BT /F1 12 Tf %s 0 0 1 72 720 Tm (x) Tj ET" % big,
        "cm": b"q %s 0 0 1 0 0 cm BT /F1 12 Tf 72 720 Td (x) Tj ET Q" % big,
        "tf": b"BT /F1 %s Tf 72 720 Td (x) Tj ET" % big,
        "td": b"BT /F1 12 Tf %s 720 Td (x) Tj ET" % big,
        "re": b"0 0 m %s 10 l S 10 10 %s 20 re f" % (big, big),
    }
    return "pdf", f"{kind}.pdf", page_with(ops[kind] * rng.randint(1, 50))


MUTATORS: dict[str, Callable[[random.Random], Input]] = {
    "docx_xml": docx_xml, "html": html, "numbers": numbers, "report_json": report_json,
    "pdf_objects": pdf_objects,
}
#: the mutators CI runs (tests/test_fuzz.py)
CI_MUTATORS = ("docx_xml", "html", "numbers", "report_json", "pdf_objects")


def cases(seed: int, only: Optional[str] = None,
          names: Optional[tuple[str, ...]] = None) -> Iterator[tuple[int, str, Input]]:
    rng = random.Random(seed)
    names = [only] if only else sorted(names or MUTATORS)
    n = 0
    while True:
        mut = names[n % len(names)]  # round robin: a short budget still tries every kind
        yield n, mut, MUTATORS[mut](rng)
        n += 1


def check_one(inp: Input) -> Optional[str]:
    """None if the outcome is acceptable, else what went wrong."""
    kind, name, data = inp
    t0 = time.monotonic()
    try:
        if kind == "inspect":
            from gaiextract.inspect_view import inspect

            try:
                d = json.loads(data)
            except ValueError:
                return None
            inspect(d)
        else:
            report = gaiextract.extract(data, name=name, ocr="never")
            report.to_json()  # allow_nan=False: raises on a non-finite number
    except ExtractError as exc:
        if exc.code not in ERROR_CODES:
            return f"undocumented code {exc.code}"
        if "\n" in exc.message:
            return "error message is not one line"
    except Exception as exc:  # a traceback a user would see
        return f"{type(exc).__name__}: {exc}"[:300]
    secs = time.monotonic() - t0
    if secs > PER_INPUT_SECONDS:
        return f"took {secs:.1f} s"
    return None


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(budget_s: float, seed: int, only: Optional[str] = None, count: Optional[int] = None,
        names: Optional[tuple[str, ...]] = None) -> tuple[int, list[str], dict[str, float]]:
    """``(inputs run, failures, worst seconds per mutator)``: inputs until the budget is
    spent, or exactly ``count`` inputs (a reproducible set, as CI runs)."""
    deadline = time.monotonic() + budget_s
    failures: list[str] = []
    worst: dict[str, float] = {}
    done = 0
    # ru_maxrss is a peak: measure growth over what the process had already used
    rss_limit = rss_mb() + MAX_RSS_MB
    for n, mut, inp in cases(seed, only, names):
        if (count is None and time.monotonic() > deadline) or (count is not None and n >= count):
            break
        t0 = time.monotonic()
        why = check_one(inp)
        worst[mut] = max(worst.get(mut, 0.0), time.monotonic() - t0)
        if why is None and rss_mb() > rss_limit:
            why = f"peak RSS {rss_mb():.0f} MB"
        if why:
            failures.append(f"#{n} {mut} {inp[1]} (seed {seed}): {why}")
        done += 1
    return done, failures, worst


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=60.0, help="seconds to run")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--only", choices=sorted(MUTATORS), help="one mutator")
    ap.add_argument("--count", type=int, help="run exactly this many inputs (ignores --budget)")
    args = ap.parse_args(argv)
    start = rss_mb()
    done, failures, worst = run(args.budget, args.seed, args.only, args.count)
    for f in failures:
        print(f)
    slow = ", ".join(f"{k} {v:.1f} s" for k, v in sorted(worst.items()))
    print(f"{done} inputs, {len(failures)} failures, peak RSS {rss_mb():.0f} MB (+{rss_mb() - start:.0f}); "
          f"slowest per mutator: {slow}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
