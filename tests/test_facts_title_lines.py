"""The agency of a report whose title reaches the facts broken over lines (OCR lines of
a scan, a narrow cover): corpus/scan/g20_scan_wps.pdf and the ways its title may break.

The default run reads no image: the fixture holds the paragraphs the OCR reader gave for
page 1 of the scan (tests/fixtures/ocr/g20_scan_wps_p1.json); the expected title and
agency are those the corpus builder printed (corpus/scan/g20_scan_wps.expected.json).
The whole scan is read only with GAIEXTRACT_OCR_ALL=1.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from conftest import CORPUS

import gaiextract
from gaiextract.document import Document, Paragraph
from gaiextract.layout.facts import find_agency, find_title
from gaiextract.pipeline import build_report
from gaiextract.source import as_source

FIXTURE = Path(__file__).parent / "fixtures" / "ocr" / "g20_scan_wps_p1.json"
SCAN = CORPUS / "scan" / "g20_scan_wps.pdf"
EXPECTED = json.loads(SCAN.with_suffix(".expected.json").read_text(encoding="utf-8"))["report"]
PAGE1: list[str] = json.loads(FIXTURE.read_text(encoding="utf-8"))["paragraphs"]
#: the OCR'd page: the title in its first two lines, the body calling the agency by a
#: short form ("2020年，区政府办公室…")
TITLE_LINES = 2


def _report(paragraphs: list[str]) -> dict:
    doc = Document(blocks=[Paragraph(text=t, page=1) for t in paragraphs], format="pdf", pages=1)
    return build_report(doc, as_source(FIXTURE, format="pdf")).to_dict()


def test_the_ocr_read_page_gives_the_titles_agency():
    out = _report(PAGE1)
    assert out["report"]["title"] == EXPECTED["title"]
    assert out["report"]["agency"] == EXPECTED["agency"]
    assert out["report"]["year"] == EXPECTED["year"]
    assert not [w for w in out["warnings"] if w["code"] == "agency_uncertain"]


def _rebroken(cuts: tuple[int, ...]) -> list[str]:
    """Page 1 with the title broken at ``cuts`` (offsets into the title) instead."""
    title = "".join(PAGE1[:TITLE_LINES])
    bounds = (0, *cuts, len(title))
    return [title[a:b] for a, b in zip(bounds, bounds[1:])] + PAGE1[TITLE_LINES:]


def _cuts() -> list[tuple[int, ...]]:
    """Every break into two lines, and into three, after the agency's name (the template
    prints the agency first: a narrow line breaks in the year or the core wording), never
    inside the year's digits (a number is not broken over lines)."""
    title = EXPECTED["title"]
    name, n = len(EXPECTED["agency"]), len(title)
    at = [i for i in range(name, n) if not (title[i - 1].isdigit() and title[i].isdigit())]
    return [(i,) for i in at] + [(i, j) for i in at for j in at if j > i]


def test_a_title_broken_anywhere_after_the_agency_gives_the_agency():
    wrong = []
    for cuts in _cuts():
        lines = _rebroken(cuts)
        preamble = lines[:lines.index(PAGE1[TITLE_LINES])]
        title, _ = find_title(preamble)
        agency, why = find_agency(title, preamble, lines)
        if (title, agency, why) != (EXPECTED["title"], EXPECTED["agency"], []):
            wrong.append(f"{preamble}: {title!r} {agency!r} {why}")
    assert not wrong, f"{len(wrong)} of {len(_cuts())} breaks:\n" + "\n".join(wrong[:10])


def test_the_pipeline_reads_a_title_in_three_lines():
    out = _report(_rebroken((len(EXPECTED["agency"]), len(EXPECTED["agency"]) + len("2020年政府信息公开"))))
    assert (out["report"]["title"], out["report"]["agency"]) == (EXPECTED["title"], EXPECTED["agency"])


def _misread_core() -> list[str]:
    """Page 1 with the last character of the title misread (告 as 吿): no line holds the
    title's core wording any more, the first still shows the agency before the year."""
    head, rest = PAGE1[0], PAGE1[1]
    assert rest.endswith("告")
    return [head, rest[:-1] + "吿", *PAGE1[TITLE_LINES:]]


def test_a_heading_naming_another_agency_than_the_body_leaves_it_null_with_a_warning():
    out = _report(_misread_core())
    assert out["report"]["title"] is None
    assert out["report"]["agency"] is None  # never the body's short form 区政府办公室
    unsure = [w for w in out["warnings"] if w["code"] == "agency_uncertain"]
    assert len(unsure) == 1 and EXPECTED["agency"] in unsure[0]["detail"]


@pytest.mark.parametrize("said", ["福州市鼓楼区人民政府办公室", "鼓楼区政府办公室"])
def test_a_heading_and_a_body_naming_one_agency_give_the_headings_name(said):
    lines = _misread_core()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("2020年，区政府办公室"))
    lines[at] = lines[at].replace("区政府办公室", said, 1)
    preamble = lines[:TITLE_LINES + 2]
    assert find_agency(None, preamble, lines) == (EXPECTED["agency"], [])


def test_without_a_heading_naming_one_the_bodys_agency_stays():
    body = ["2021年，昆明市人民政府办公室坚持以人民为中心的发展思想"]
    assert find_agency(None, ["依据《条例》第五十条规定，编制本报告。"], body) == ("昆明市人民政府办公室", [])
    assert find_agency("政府信息公开工作年度报告", ["政府信息公开工作年度报告"], body) == ("昆明市人民政府办公室", [])


@pytest.mark.skipif(os.environ.get("GAIEXTRACT_OCR_ALL") != "1",
                    reason="reads the whole scan (about a minute): runs with GAIEXTRACT_OCR_ALL=1")
def test_the_whole_scan_gives_the_titles_agency():
    from gaiextract.readers import ocr

    if not ocr.available():
        pytest.skip(f"the OCR extra is not installed ({ocr.INSTALL_HINT})")
    out = gaiextract.extract(SCAN).to_dict()
    assert {k: out["report"][k] for k in ("title", "agency", "year")} == \
        {k: EXPECTED[k] for k in ("title", "agency", "year")}
