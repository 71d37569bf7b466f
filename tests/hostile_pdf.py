"""Small hostile PDFs built in the tests (a few hundred bytes each): circular
references and content streams that inflate to millions of operations."""
from __future__ import annotations

import zlib


def pdf_bytes(objects: list[bytes]) -> bytes:
    """A PDF with these objects (numbered from 1; object 1 is the catalog) and a
    correct cross-reference table."""
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % n + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for off in offsets:
        out += b"%010d 00000 n \n" % off
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


FONT = b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"


def page_with(content: bytes, compress: bool = True) -> bytes:
    """One page whose content stream is ``content``."""
    data = zlib.compress(content, 9) if compress else content
    filt = b" /Filter /FlateDecode" if compress else b""
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d%s >>\nstream\n" % (len(data), filt) + data + b"\nendstream",
        FONT,
    ])


def circular(kind: str) -> bytes:
    """A PDF with a reference cycle: ``length`` (a stream's /Length is an object that
    refers to itself), ``contents`` (the page's /Contents likewise), ``pages`` (a
    page tree whose kid is its own parent), ``parent`` (inherited attributes looked
    up through a /Parent cycle)."""
    content = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"
    if kind == "length":
        return pdf_bytes([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"<< /Length 5 0 R >>\nstream\n" + content + b"\nendstream",
            b"5 0 R",
        ])
    if kind == "contents":
        return pdf_bytes([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R >>",
            b"4 0 R",
        ])
    if kind == "pages":
        return pdf_bytes([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 >>",
        ])
    if kind == "parent":
        return pdf_bytes([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 /Parent 4 0 R >>",
            b"<< /Type /Page /Parent 2 0 R /Contents 5 0 R >>",
            b"<< /Type /Pages /Kids [2 0 R] /Count 1 /Parent 2 0 R >>",
            b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        ])
    if kind == "xobject":  # a form XObject that draws itself
        form = b"/X1 Do"
        return pdf_bytes([
            b"<< /Type /Catalog /Pages 2 0 R >>",
            b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /X1 5 0 R >> >>"
            b" /Contents 4 0 R >>",
            b"<< /Length 6 >>\nstream\n/X1 Do\nendstream",
            b"<< /Type /XObject /Subtype /Form /BBox [0 0 10 10] /Resources << /XObject << /X1 5 0 R >> >>"
            b" /Length %d >>\nstream\n" % len(form) + form + b"\nendstream",
        ])
    raise ValueError(kind)


CIRCULAR_KINDS = ("length", "contents", "pages", "parent", "xobject")


def op_bomb(n_ops: int, op: bytes = b"0 0 m 1 1 l S\n") -> bytes:
    """A page whose (compressed) content stream holds ``n_ops`` drawing operations."""
    return page_with(op * n_ops)


def text_bomb(n_chars: int) -> bytes:
    return page_with(b"BT /F1 1 Tf (" + b"a" * n_chars + b") Tj ET")


def flate_bomb(n_bytes: int) -> bytes:
    """A content stream of ``n_bytes`` spaces: tiny compressed, huge inflated."""
    return page_with(b" " * n_bytes)


# -- issue 24: whole-document limits ------------------------------------------------
def infinite_coordinate(where: str = "Tm") -> bytes:
    """Text placed at a 310-digit coordinate (a float overflows to infinity) in ``Tm``,
    ``cm`` or ``Tf``, next to ordinary text."""
    big = b"1" + b"0" * 309 + b".0"
    ops = {"Tm": b"BT /F1 12 Tf 1 0 0 1 %s 700 Tm (far) Tj ET" % big,
           "cm": b"q %s 0 0 1 0 0 cm BT /F1 12 Tf 72 700 Td (far) Tj ET Q" % big,
           "Tf": b"BT /F1 %s Tf 72 700 Td (far) Tj ET" % big}[where]
    return page_with(ops + b"\nBT /F1 12 Tf 72 720 Td (hello world) Tj ET")


def shared_content(n_pages: int, n_ops: int, op: bytes = b"0 g\n") -> bytes:
    """``n_pages`` pages that all draw one content stream of ``n_ops`` cheap operations."""
    data = zlib.compress(op * n_ops + b"BT /F1 12 Tf 72 720 Td (hello) Tj ET", 9)
    first = 4
    kids = b" ".join(b"%d 0 R" % (first + i) for i in range(n_pages))
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d /MediaBox [0 0 595 842] /Resources << /Font << /F1 3 0 R >> >> >>"
               % (kids, n_pages),
               FONT]
    content = first + n_pages
    objects += [b"<< /Type /Page /Parent 2 0 R /Contents %d 0 R >>" % content] * n_pages
    objects.append(b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(data) + data + b"\nendstream")
    return pdf_bytes(objects)


def many_pages(n_pages: int) -> bytes:
    """``n_pages`` pages of one short line each (all share one content stream)."""
    return shared_content(n_pages, 0)


def wide_tounicode(n_codes: int) -> bytes:
    """A font whose ToUnicode CMap maps one ``bfrange`` of ``n_codes`` codes."""
    width = max(2, (max(1, n_codes - 1).bit_length() + 7) // 8)
    hi = b"%0*X" % (2 * width, n_codes - 1)
    lo = b"0" * (2 * width)
    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /X def "
            b"1 begincodespacerange <%s> <%s> endcodespacerange "
            b"1 beginbfrange <%s> <%s> <0041> endbfrange endcmap CMapName currentdict /CMap defineresource pop end end"
            % (lo, b"F" * (2 * width), lo, hi))
    font = (b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /ToUnicode 6 0 R >>")
    content = b"BT /F1 12 Tf 72 720 Td (hello) Tj ET"
    return pdf_bytes([
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 5 0 R >> >>"
        b" /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        font,
        b"<< /Length %d >>\nstream\n" % len(cmap) + cmap + b"\nendstream",
    ])
