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
from gaiextract.readers.pdf_tables import PageTable, RawCell, is_framed_prose

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
