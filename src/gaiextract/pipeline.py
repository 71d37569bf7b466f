"""extract(): bytes → reader → Document → layout stages → Report.

Everything after the reader works on the common document model only.
"""
from __future__ import annotations

from dataclasses import replace

from . import grammar as grammar_mod
from .document import Block, Document, Paragraph, Table
from .errors import ExtractError, warning
from .layout import checks, classify, facts, problems, reread, sections, tables
from .readers import read_document
from .report import Report, Section, Subsection, TableResult
from .source import DEFAULT_MAX_BYTES, InputLike, Source, as_source, ocr_mode, require_ocr
from .source import pdf_engine as pdf_engine_mode


def extract(source: InputLike, format: str | None = None, name: str | None = None,
            max_bytes: int = DEFAULT_MAX_BYTES, grammar: grammar_mod.GrammarLike = None,
            ocr: str | None = None, pdf_engine: str | None = None) -> Report:
    """Extract one report from a path, bytes or binary file object.

    ``format`` ("pdf", "docx", "html", "txt", "md") skips sniffing. ``grammar`` is a user
    grammar directory merged over the shipped grammar, or a loaded
    :class:`gaiextract.grammar.Grammar` (see docs/grammar.md). ``ocr`` says which
    PDF pages are read from their image: ``auto`` (pages without usable text),
    ``always`` or ``never`` (needs the ``gaiextract[ocr]`` extra); default
    ``$GAIEXTRACT_OCR`` or ``auto``. ``pdf_engine`` says which library reads PDF
    pages: ``pdfium`` (fast; the default, or ``$GAIEXTRACT_PDF_ENGINE``) or
    ``pdfminer`` (under pdfplumber; also used for a file pdfium refuses). Raises :class:`gaiextract.ExtractError` when
    the input cannot be read at all, and :class:`gaiextract.grammar.GrammarError`
    when the grammar is invalid.
    """
    ocr = ocr_mode(ocr)
    engine = pdf_engine_mode(pdf_engine)
    g = grammar_mod.load(grammar)  # a bad grammar fails before any input is read
    src = as_source(source, format=format, name=name, max_bytes=max_bytes)
    src.ocr = ocr
    src.pdf_engine = engine
    try:
        require_ocr(ocr, src.name)
        document = read_document(src)
        return build_report(document, src, g)
    except ExtractError as exc:  # every message names its input
        if exc.path is None:
            exc.path = src.name
        raise


def read(source: InputLike, format: str | None = None, name: str | None = None,
         ocr: str | None = None, pdf_engine: str | None = None) -> Document:
    """Only read: the common document model, for inspection and debugging."""
    src = as_source(source, format=format, name=name)
    src.ocr = ocr_mode(ocr)
    src.pdf_engine = pdf_engine_mode(pdf_engine)
    return read_document(src)


def _has_text(document: Document) -> bool:
    """A document with any text at all (a scanned PDF has none: it stays a report
    with its no_text_layer warning, since OCR may still find one)."""
    for b in document.blocks:
        if isinstance(b, Paragraph) and b.text.strip():
            return True
        if isinstance(b, Table):
            return True
    return False


def build_report(document: Document, src: Source, grammar: grammar_mod.GrammarLike = None) -> Report:
    """The report of a read document: sections (with what their role reads), facts,
    tables and checks."""
    g = grammar_mod.load(grammar)
    # headings inside running text (a body saved on one line) become paragraphs of their own
    split, spans = sections.split_and_find(document.blocks, g)
    document = replace(document, blocks=split)
    report = Report(source={"path": src.name, "format": document.format, "sha256": src.sha256,
                            "pages": document.pages}, grammar=g)
    report.warnings.extend(w.copy() for w in document.warnings)
    fee_texts = _add_sections(report, document.blocks, spans, g)
    _add_facts(report, document, spans, fee_texts, g)
    _add_tables(report, document, src, spans, g)
    return report


def _add_sections(report: Report, blocks: list[Block], spans: list[sections.SectionSpan],
                  g: grammar_mod.Grammar) -> list[str]:
    """Each found section, read by its role; ``section_not_found`` for the others.
    Returns the texts of the sections whose role is fees."""
    fee_texts = []
    for sp in spans:
        sec = Section(id=sp.id, heading=sp.heading, text=sp.text(blocks),
                      location={"page": sp.page} if sp.page else {})
        role = g.role(sp.id)
        if role == grammar_mod.ROLE_SUBSECTIONS:
            for sub in sections.find_subsections(blocks, sp):
                body = sub.text(blocks)
                cats, scores = classify.classify_subsection(sub.heading, body, g)
                sec.subsections.append(Subsection(heading=sub.heading, text=body, categories=cats, scores=scores))
        elif role == grammar_mod.ROLE_PROBLEMS:
            sec.problems, sec.measures = problems.split_problems(sp.paragraphs(blocks), g)
        elif role == grammar_mod.ROLE_FEES:
            fee_texts.append(sec.text)
        report.sections.append(sec)
    found = {s.id for s in report.sections}
    for sdef in g.sections:
        if sdef.id not in found:
            report.warnings.append(warning("section_not_found", section=sdef.id,
                                           detail=f"no heading like {sdef.heading}"))
    return fee_texts


def _add_facts(report: Report, document: Document, spans: list[sections.SectionSpan], fee_texts: list[str],
               g: grammar_mod.Grammar) -> None:
    """Title, agency and year (title first, body second) and the fees."""
    blocks = document.blocks
    first = spans[0].block if spans else len(blocks)
    preamble = [b.text for b in blocks[:first] if isinstance(b, Paragraph)]
    title, _ = facts.find_title(preamble, g, meta_title=document.meta.get("title"),
                                page_title=document.meta.get("page_title"))
    report.title = title
    first_subsections = next((sp for sp in spans if g.role(sp.id) == grammar_mod.ROLE_SUBSECTIONS), None)
    body = first_subsections.paragraphs(blocks) if first_subsections else \
        [b.text for b in blocks if isinstance(b, Paragraph)][:g.facts.body_lines]
    body = preamble + body
    if title:
        report.year = facts.year_from_title(title, g)
    report.agency, unsure = facts.find_agency(title, preamble, body, g)
    report.warnings.extend(unsure)
    if report.year is None:
        report.year = facts.year_from_body(body, g)
    if fee_texts:
        report.fees = facts.find_fees("\n".join(fee_texts), g)


def _add_tables(report: Report, document: Document, src: Source, spans: list[sections.SectionSpan],
                g: grammar_mod.Grammar) -> None:
    """The three tables and their checks; ``not_a_report`` for a document with text but
    neither a section nor a table of the template."""
    found_tables = tables.find_tables_in(document, g, spans)
    if not spans and not found_tables.tables and _has_text(document):
        raise ExtractError("not_a_report", "no section heading and no table of the disclosure report "
                           "template were found (is this a report?)", src.name)
    report.edition = found_tables.edition
    for name, mt in found_tables.tables.items():
        report.tables[name] = TableResult(cells=mt.cells, provenance=mt.provenance,
                                          location={"page": mt.page} if mt.page else {})
    report.warnings.extend(found_tables.warnings)
    if document.reread is not None:  # OCR numbers that break a rule are read again
        report.warnings.extend(reread.reread_broken_rules(report.tables, document.reread, g))
    report.checks = checks.run_checks({n: t.cells for n, t in report.tables.items()}, g)
