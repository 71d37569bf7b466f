"""Decoding bytes of unknown Chinese encoding without mojibake.

Order: BOM → declared charset (caller-supplied) → strict UTF-8 → charset-normalizer
→ strict GB18030. GB2312/GBK labels are widened to GB18030, a superset: pages
labelled gb2312 routinely contain GBK-only characters.
"""
from __future__ import annotations

import codecs
from typing import Optional

from .errors import ExtractError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
          "euc-cn": "gb18030", "gb_2312-80": "gb18030",
          "big5": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8"}


def canonical_encoding(label: str) -> Optional[str]:
    """Normalise an encoding label; None when Python does not know it."""
    label = label.strip().strip("\"'").lower()
    label = _WIDEN.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WIDEN.get(name, name)


def decode(data: bytes, declared: Optional[str] = None, name: Optional[str] = None) -> tuple:
    """Return ``(text, encoding)``; raise ExtractError('decode_failed') rather than guess badly."""
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return data.decode(enc), enc.replace("-sig", "")
    if declared:
        enc = canonical_encoding(declared)
        if enc:
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass  # the declaration lies; fall through to detection
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data[:2_000_000], cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
        if best is not None:
            enc = canonical_encoding(best.encoding) or best.encoding
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError:
                pass
    except ImportError:  # pragma: no cover - a hard dependency, but decode still works
        pass
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as exc:
        raise ExtractError(
            "decode_failed",
            f"cannot decode as UTF-8, GB18030 or Big5 (bad byte at offset {exc.start})",
            name,
        ) from None


def looks_binary(head: bytes) -> bool:
    """True for data no text reader should try: NUL bytes or many control bytes."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # UTF-16 (and UTF-32) text is full of NUL bytes by design
    if b"\x00" in head:
        return True
    ctrl = sum(1 for b in head if b < 9 or 13 < b < 32)
    return ctrl > len(head) * 0.05
