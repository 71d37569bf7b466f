"""Accuracy on the hand-labelled evaluation set (corpus/eval/, labels written by a
person from realistic variants, never by the classifier).

Section headings: every heading must be matched to its section, and every
`none` line must match no section — 100 %. Subsections: top-1 category must be
one of the labelled categories on at least 95 %.
"""
import csv
import json

from gaiextract import grammar
from gaiextract.document import Paragraph
from gaiextract.layout.classify import classify_subsection
from gaiextract.layout.sections import FAMILIES, find_sections

from conftest import CORPUS

G = grammar.load()
EVAL = CORPUS / "eval"


OFFICIAL = ["总体情况", "主动公开政府信息情况", "收到和处理政府信息公开申请情况",
            "政府信息公开行政复议、行政诉讼情况", "存在的主要问题及改进情况", "其他需要报告的事项"]
CN = "一二三四五六"
NUMBERING = {"dun": lambda i: f"{CN[i]}、", "part": lambda i: f"第{CN[i]}部分 ", "arabic": lambda i: f"{i + 1}.",
             "paren": lambda i: f"（{CN[i]}）", "paren_arabic": lambda i: f"（{i + 1}）", "none": lambda i: ""}
IDS = [s.id for s in G.sections]


def family_of(text):
    for fam, pat in FAMILIES.items():
        if pat.match(text):
            return fam
    return "none"


def segment(lines):
    blocks = [Paragraph(text=t) for t in lines]
    return [(s.id, s.block) for s in find_sections(blocks, G)]


def skeleton(family, replace=None, insert=None):
    """Six headings of one numbering family, each followed by a body line;
    ``replace`` = (index, text) swaps in a heading; ``insert`` = (index, text) adds a
    line to that section's body. Returns (lines, {section id: heading line index})."""
    lines, where = [], {}
    for i in range(6):
        where[IDS[i]] = len(lines)
        lines.append(replace[1] if replace and replace[0] == i else NUMBERING[family](i) + OFFICIAL[i])
        lines.append("本年度相关工作按要求推进。")
        if insert and insert[0] == i:
            lines.append(insert[1])
    return lines, where


def heading_rows():
    return list(csv.DictReader((EVAL / "section_headings.tsv").open(encoding="utf-8"), delimiter="\t"))


def judge(row):
    """None when the segmenter treats the line as labelled, else what went wrong.

    A section heading must open its section in a report numbered like it; a
    `none` line placed in the body of any section must not open a section."""
    text, want = row["text"], row["section"]
    if want != "none":
        lines, where = skeleton(family_of(text), replace=(IDS.index(want), text))
        got = segment(lines)
        return None if (want, where[want]) in got else f"{text!r}: want {want}, segments {got}"
    for i in range(6):
        lines, where = skeleton("dun", insert=(i, text))
        got = segment(lines)
        if got != [(sid, where[sid]) for sid in IDS]:
            return f"{text!r} (in section {i + 1}) opened a section: {got}"
    return None


def test_section_heading_accuracy():
    rows = heading_rows()
    assert len(rows) >= 90
    wrong = [w for r in rows if (w := judge(r))]
    print(f"section headings: {1 - len(wrong) / len(rows):.1%} of {len(rows)}")
    assert not wrong, "\n".join(wrong)


def test_subsection_top1_accuracy():
    items = [json.loads(line) for line in (EVAL / "subsections.jsonl").open(encoding="utf-8") if line.strip()]
    assert len(items) >= 60
    wrong = []
    for it in items:
        cats, _ = classify_subsection(it["heading"], it["body"], G)
        if cats[0] not in it["categories"]:
            wrong.append(f"{it['heading']}: want {it['categories']} got {cats}")
    accuracy = 1 - len(wrong) / len(items)
    print(f"subsections top-1: {accuracy:.1%} of {len(items)}")
    assert accuracy >= 0.95, "\n".join(wrong)
