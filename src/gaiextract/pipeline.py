"""extract(): bytes → reader → Document → layout stages → Report.

Everything after the reader works on the common document model only.
"""
from __future__ import annotations

import os
from typing import Optional

from . import grammar as grammar_mod
from .document import Document, Paragraph, Table
from .layout import checks, classify, facts, problems, sections, tables
from .readers import read_document
from .report import Report, Section, Subsection, TableResult
from .source import DEFAULT_MAX_BYTES, InputLike, Source, as_source


def extract(source: InputLike, format: Optional[str] = None, name: Optional[str] = None,
            max_bytes: int = DEFAULT_MAX_BYTES, ocr: Optional[str] = None) -> Report:
    """Extract one report from a path, bytes or binary file object.

    ``format`` ("pdf", "docx", "html", "txt") skips sniffing. ``ocr`` says which
    PDF pages are read from their image: ``auto`` (pages without usable text),
    ``always`` or ``never`` (needs the ``gaiextract[ocr]`` extra); default
    ``$GAIEXTRACT_OCR`` or ``auto`` (how `gaiextract batch --ocr` reaches its
    worker processes). Raises
    :class:`gaiextract.ExtractError` when the input cannot be read at all.
    """
    ocr = ocr or os.environ.get("GAIEXTRACT_OCR", "auto")
    if ocr not in ("auto", "always", "never"):
        raise ValueError(f"ocr must be auto, always or never, not {ocr!r}")
    src = as_source(source, format=format, name=name, max_bytes=max_bytes)
    src.ocr = ocr
    document = read_document(src)
    return build_report(document, src)


def read(source: InputLike, format: Optional[str] = None, name: Optional[str] = None) -> Document:
    """Only read: the common document model, for inspection and debugging."""
    return read_document(as_source(source, format=format, name=name))


def build_report(document: Document, src: Source) -> Report:
    g = grammar_mod.load()
    blocks = document.blocks
    report = Report(source={"path": src.name, "format": document.format, "sha256": src.sha256,
                            "pages": document.pages})
    report.warnings.extend(dict(w) for w in document.warnings)

    spans = sections.find_sections(blocks, g)
    first = spans[0].block if spans else len(blocks)
    preamble = [b.text for b in blocks[:first] if isinstance(b, Paragraph)]

    for sp in spans:
        sec = Section(id=sp.id, heading=sp.heading, text=sp.text(blocks),
                      location={"page": sp.page} if sp.page else {})
        if sp.id == "overview":
            for sub in sections.find_subsections(blocks, sp):
                body = sub.text(blocks)
                cats, scores = classify.classify_subsection(sub.heading, body, g)
                sec.subsections.append(Subsection(heading=sub.heading, text=body, categories=cats, scores=scores))
        if sp.id == "problems":
            sec.problems, sec.measures = problems.split_problems(sp.paragraphs(blocks))
        report.sections.append(sec)
    found = {s.id for s in report.sections}
    for sdef in g.sections:
        if sdef.id not in found:
            report.warnings.append({"code": "section_not_found", "section": sdef.id,
                                    "detail": f"no heading like {sdef.heading}"})

    # facts: title first, body second
    title, _ = facts.find_title(preamble)
    report.title = title
    overview = next((sp for sp in spans if sp.id == "overview"), None)
    body = overview.paragraphs(blocks) if overview else [b.text for b in blocks if isinstance(b, Paragraph)][:8]
    body = preamble + body
    if title:
        report.agency = facts.agency_from_title(title)
        report.year = facts.year_from_title(title)
    if report.agency is None:
        report.agency = facts.agency_from_body(body)
    if report.year is None:
        report.year = facts.year_from_body(body)
    other = report.section("other")
    if other is not None:
        report.fees = facts.find_fees(other.text)

    found_tables = tables.find_tables(list(document.tables()), g)
    report.edition = found_tables.edition
    for name, mt in found_tables.tables.items():
        report.tables[name] = TableResult(cells=mt.cells, provenance=mt.provenance,
                                          location={"page": mt.page} if mt.page else {})
    report.warnings.extend(found_tables.warnings)
    report.checks = checks.run_checks({n: t.cells for n, t in report.tables.items()}, g)
    return report
