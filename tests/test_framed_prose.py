"""Framed prose (issue 14): a ruled frame around running text is not a table.

Whole documents are in corpus/framed (built by corpus/builder/render_framed.py)
and checked by tests/test_corpus.py like every corpus document — all six sections,
every overview subsection and the fees of 六. Here: the decision itself.
"""
from __future__ import annotations

from pathlib import Path

import pytest

import gaiextract
from gaiextract.document import Table
from gaiextract.readers.pdf_tables import (PageTable, RawCell, is_framed_prose, is_shading, ruled_edges,
                                          split_prose_bands)

from conftest import FIXTURES, load_json

FRAMED = Path(__file__).resolve().parents[1] / "corpus" / "framed"


def _one_column(texts: list[str]) -> PageTable:
    cells = [RawCell(72, 100 + 20 * i, 520, 120 + 20 * i, t, 1) for i, t in enumerate(texts)]
    return PageTable(page=1, bbox=(72, 100, 520, 100 + 20 * len(texts)), cells=cells)


def _grid(rows: list[list[str]]) -> PageTable:
    cells = []
    for r, row in enumerate(rows):
        for c, t in enumerate(row):
            cells.append(RawCell(72 + 150 * c, 100 + 20 * r, 222 + 150 * c, 120 + 20 * r, t, 1))
    return PageTable(page=1, bbox=(72, 100, 72 + 150 * len(rows[0]), 100 + 20 * len(rows)), cells=cells)


def test_lines_of_a_paragraph_in_a_frame_are_prose():
    assert is_framed_prose(_one_column(["一、总体情况", "2023年，本局认真贯彻落实《条例》，进一步",
                                        "规范政府信息公开工作，推动各项工作提质增效。"]))


def test_one_column_list_with_counts_stays_a_table():
    assert not is_framed_prose(_one_column(["行政许可", "12", "行政处罚", "3"]))


def test_one_column_rows_with_values_apart_stay_a_table():
    # ruled across only, columns not (yet) rebuilt: the values stand apart in the text
    assert not is_framed_prose(_one_column(["信息内容 上一年项目数量 本年增/减",
                                            "行政事业性收费 5 3.26"]))


def test_template_table_with_value_columns_stays_a_table():
    assert not is_framed_prose(_grid([["信息内容", "本年新制作数量", "本年新公开数量"],
                                      ["规章", "3", "—"], ["规范性文件", "6", "14"]]))


def test_two_columns_of_sentences_are_prose():
    assert is_framed_prose(_grid([["制定印发年度工作要点，细化工作任务。", "明确责任科室和完成时限。"],
                                  ["建立健全信息发布协调、保密审查制度，", "确保各项工作有章可循。"]]))


def test_header_only_table_part_stays_a_table():
    assert not is_framed_prose(_grid([["行政复议", "行政诉讼"], ["结果维持", "结果纠正"]]))


@pytest.mark.parametrize("path", sorted(FRAMED.glob("*.pdf")), ids=lambda p: p.name)
def test_framed_documents_have_only_the_three_tables(path):
    doc = gaiextract.read(path)
    # the template's three tables (a table may continue over pages: stitched into one)
    assert sum(isinstance(b, Table) for b in doc.blocks) == 3


# ------------------------------------------------------------- shading and page-wide frames (issue 20)

def _h(x0: float, y: float, x1: float, **kw) -> dict:
    return {"orientation": "h", "x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0, **kw}


def _v(x: float, top: float, bottom: float, **kw) -> dict:
    return {"orientation": "v", "x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0,
            "height": bottom - top, **kw}


def test_shading_sides_are_not_rules_on_a_page_with_rules():
    shade = dict(fill_only=True, thickness=27.0)
    thin = dict(fill_only=True, thickness=0.5)  # a rule drawn as a filled bar
    edges = [_h(74, 80, 518, **shade), _h(74, 107, 518, **shade), _v(74, 80, 107, **shade),
             _h(75, 459, 517), _v(75, 459, 779), _v(517, 459, 779, **thin)]
    kept = ruled_edges(edges)
    assert [e for e in kept if e.get("thickness") == 27.0] == []
    assert len(kept) == 3 and not is_shading(edges[-1])


def test_a_page_drawn_with_backgrounds_only_keeps_them():
    shade = dict(fill_only=True, thickness=20.0)
    edges = [_h(72, 100, 500, **shade), _h(72, 120, 500, **shade), _v(72, 100, 120, **shade),
             _v(500, 100, 120, **shade)]
    assert ruled_edges(edges) == edges


def _framed_grid(bands: dict[int, str]) -> PageTable:
    """A 3-column table whose full-width rows ``bands`` (row index -> text) are frame regions."""
    cells = []
    for r in range(8):
        top, bottom = 100 + 20 * r, 120 + 20 * r
        if r in bands:
            cells.append(RawCell(72, top, 522, bottom, bands[r], 1))
            continue
        for c, t in enumerate(["行政许可", "12", "3"] if r % 2 else ["信息内容", "本年新制作数量", "本年新公开数量"]):
            cells.append(RawCell(72 + 150 * c, top, 222 + 150 * c, bottom, t, 1))
    return PageTable(page=1, bbox=(72, 100, 522, 260), cells=cells)


def test_prose_heading_and_subhead_rows_across_a_grid_are_cut_off():
    pt = _framed_grid({0: "2023年，本局认真贯彻落实《条例》，进一步\n规范政府信息公开工作。",
                       1: "（五）政府信息公开监督保障情况", 2: "二、主动公开政府信息情况",
                       5: "四、政府信息公开行政复议、行政诉讼情况"})
    parts = split_prose_bands(pt)
    assert [(p.bbox[1], p.bbox[3]) for p in parts] == [(160, 200), (220, 260)]
    assert all(len(p.xs(2.5)) == 4 for p in parts)


def test_a_tables_own_caption_row_is_kept():
    pt = _framed_grid({0: "第二十条第（一）项", 4: ""})
    assert split_prose_bands(pt) == [pt]


def test_one_column_frames_are_judged_whole():
    pt = _one_column(["一、总体情况", "2023年，本局认真贯彻落实《条例》。"])
    assert split_prose_bands(pt) == [pt]


def test_real_wps_pdf_with_line_shading_is_exact():
    from test_real_samples import compare

    real_wps = FIXTURES / "real" / "022_hongze_district_2023.pdf"
    out = gaiextract.extract(real_wps).to_dict()
    exp = load_json(real_wps.with_name("022_hongze_district_2023.expected.json"))
    diffs = compare(out, exp)
    assert not diffs, "\n".join(diffs[:40])
