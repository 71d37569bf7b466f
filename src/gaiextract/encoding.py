"""Decoding bytes of unknown Chinese encoding without mojibake.

Order: BOM → declared charset (caller-supplied) → strict UTF-8 → GB18030 or Big5
(whichever reads as Chinese: see :func:`_cjk_share`; charset-normalizer breaks
ties) → the same with a few bad bytes replaced. GB2312/GBK labels are widened to
GB18030, a superset: pages labelled gb2312 routinely contain GBK-only characters.

A file that decodes cleanly except for a few bytes (a scraper's stray byte, a
cut multi-byte character) is read with those bytes replaced by U+FFFD and
:attr:`Decoded.replaced` counting them — the reader turns that into a
``bytes_replaced`` warning — instead of losing the whole document. Only when
more than ``Limits.max_replaced_bytes`` (or a share of the file) would be
replaced is it ``decode_failed``. A BOM that lies (a UTF-8 BOM before a GB18030
body) is treated as no BOM; a UTF-16 body with lone surrogates is read with
them replaced. No UnicodeDecodeError ever leaves this module.
"""
from __future__ import annotations

import codecs
import threading
from dataclasses import dataclass
from typing import Optional

from .errors import ExtractError, ReportWarning, warning
from .limits import DEFAULT_LIMITS, Limits, require_positive

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_WIDEN = {"gb2312": "gb18030", "gbk": "gb18030", "cp936": "gb18030", "x-gbk": "gb18030",
          "euc-cn": "gb18030", "gb_2312-80": "gb18030",
          "big5": "big5hkscs", "cp950": "big5hkscs", "utf8": "utf-8", "unicode": "utf-8"}

#: the Chinese multi-byte encodings tried after UTF-8
CHINESE = ("gb18030", "big5hkscs")
#: code points below this are ASCII (not counted by :func:`_cjk_share`)
_ASCII_END = 0x80
#: control bytes that no text holds (tab, line feed, vertical tab, form feed and
#: carriage return are text), as ``bytes.translate`` deletes them
_CONTROL_BYTES = bytes(b for b in range(0x20) if b not in b"\t\n\v\f\r")


@dataclass(frozen=True)
class DecodeSettings:
    """The tolerances of encoding detection."""

    #: characters looked at to tell GB18030 from Big5 (the start of the text says enough)
    score_chars: int = 65536
    #: a GB18030 and a Big5 reading whose Han shares differ by no more than this are a
    #: tie (charset-normalizer breaks it)
    cjk_share_margin: float = 0.02
    #: data more than this share control bytes is binary (no text reader tries it)
    max_control_share: float = 0.05

    def __post_init__(self) -> None:
        require_positive(self)


SETTINGS = DecodeSettings()


@dataclass
class Decoded:
    text: str
    encoding: str
    #: bytes replaced by U+FFFD because they are invalid in ``encoding``
    replaced: int = 0


def canonical_encoding(label: str) -> Optional[str]:
    """Normalise an encoding label; None when Python does not know it."""
    label = label.strip().strip("\"'").lower()
    label = _WIDEN.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WIDEN.get(name, name)


#: pseudo-encodings of the WHATWG list that decode no text (``replacement`` stands for
#: ISO-2022-KR, HZ and the like, whose declaration must not be trusted)
_NOT_TEXT = ("replacement", "x-user-defined")


def declared_encoding(label: str) -> Optional[str]:
    """The Python codec of a charset a *document* declares, or None when the label
    names no text encoding of the web. Python's codec registry also knows
    ``undefined``, ``palmos``, ``unicode_escape``, ``rot13`` … — a page declaring
    one of those is decoded as if it declared nothing. The labels are the WHATWG
    Encoding Standard's (the ``webencodings`` table) plus the Chinese aliases of
    :data:`_WIDEN` (``cp936``, ``euc-cn``)."""
    key = label.strip().strip("\"'").lower()
    if key not in _WIDEN:
        import webencodings

        found = webencodings.lookup(key)
        if found is None or found.name in _NOT_TEXT:
            return None
    return canonical_encoding(key)


# -- counting replacement --------------------------------------------------------
_state = threading.local()


def _count_and_replace(exc: UnicodeError):
    """Codec error handler: replace with U+FFFD, count the bytes, give up past the cap."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    _state.count += exc.end - exc.start
    if _state.count > _state.cap:
        raise exc
    return "\ufffd", exc.end


codecs.register_error("gaiextract-count", _count_and_replace)


def _lenient(data: bytes, enc: str, cap: int) -> Optional[tuple[str, int]]:
    """``(text, replaced)`` decoding with at most ``cap`` bad bytes replaced; None past it."""
    _state.count, _state.cap = 0, cap
    try:
        return data.decode(enc, "gaiextract-count"), _state.count
    except (UnicodeDecodeError, LookupError):
        return None


def _strict(data: bytes, enc: str) -> Optional[str]:
    try:
        return data.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def _cjk_share(text: str) -> float:
    """Share of the non-ASCII characters that are Han or CJK punctuation.

    Big5 bytes read as GB18030 (and the reverse) decode without error far more
    often than not, but give kana, Greek, Cyrillic, box drawing and bopomofo for
    the other encoding's most frequent characters; a right reading is nearly all Han.
    """
    sample = text[:SETTINGS.score_chars]
    n = good = 0
    for ch in sample:
        o = ord(ch)
        if o < _ASCII_END:
            continue
        n += 1
        if 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFFEF:
            good += 1
    return good / n if n else 0.0


def _normalizer_guess(data: bytes) -> Optional[str]:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # pragma: no cover - a hard dependency
        return None
    best = from_bytes(data[:2_000_000], cp_isolation=["gb18030", "big5", "utf_16", "utf_8"]).best()
    return (canonical_encoding(best.encoding) or best.encoding) if best is not None else None


def _pick_chinese(data: bytes, cap: int) -> Optional[Decoded]:
    """The GB18030 or Big5 reading with the fewest bad bytes, then the most Chinese."""
    found = []
    for enc in CHINESE:
        got = _lenient(data, enc, cap)
        if got is not None:
            found.append(Decoded(got[0], enc, got[1]))
    if len(found) < 2:
        return found[0] if found else None
    a, b = found
    if a.replaced != b.replaced:
        return min(found, key=lambda d: d.replaced)
    sa, sb = _cjk_share(a.text), _cjk_share(b.text)
    if abs(sa - sb) > SETTINGS.cjk_share_margin:
        return a if sa > sb else b
    guess = _normalizer_guess(data)
    return b if guess == b.encoding else a


def _cap(data: bytes, limits: Limits) -> int:
    return min(limits.max_replaced_bytes,
               max(limits.replaced_bytes_floor, int(len(data) * limits.max_replaced_share)))


def decode_text(data: bytes, declared: Optional[str] = None, name: Optional[str] = None,
                limits: Limits = DEFAULT_LIMITS) -> Decoded:
    """Decode ``data``; raise ExtractError('decode_failed') rather than guess badly."""
    got = _by_bom(data, _cap(data, limits), name)
    if isinstance(got, Decoded):
        return got
    data = got  # no BOM, or a UTF-8 BOM before a body in another encoding (dropped)
    found = _as_declared(data, declared) or _strict_reading(data)
    if found is not None:
        return found
    return _least_replaced(data, _cap(data, limits), name)


def _by_bom(data: bytes, cap: int, name: Optional[str]) -> Decoded | bytes:
    """The reading a byte-order mark gives, or the bytes left to detect (the BOM of a
    UTF-8 mark that lies dropped)."""
    for bom, enc in _BOMS:
        if not data.startswith(bom):
            continue
        body = data[len(bom):]
        label = enc.replace("-le", "").replace("-be", "")
        text = _strict(body, enc)
        if text is not None:
            return Decoded(text, label)
        if enc == "utf-8":
            return body  # a UTF-8 BOM before a body in another encoding: ignore the BOM
        got = _lenient(body, enc, cap)  # UTF-16/32 for sure (half NUL bytes): bad units replaced
        if got is not None:
            return Decoded(got[0], label, got[1])
        raise _failed(name, f"invalid {enc} text after its byte-order mark")
    return data


def _as_declared(data: bytes, declared: Optional[str]) -> Optional[Decoded]:
    """The reading in the declared charset when it decodes cleanly (a declaration that
    lies, or a few bad bytes, fall through to detection)."""
    enc = declared_encoding(declared) if declared else None
    text = _strict(data, enc) if enc else None
    return Decoded(text, enc) if text is not None and enc else None


def _strict_reading(data: bytes) -> Optional[Decoded]:
    """A clean reading: UTF-8, then GB18030 or Big5, then charset-normalizer's guess."""
    text = _strict(data, "utf-8")
    if text is not None:
        return Decoded(text, "utf-8")
    clean = _pick_chinese(data, 0)
    if clean is not None:
        return clean
    guess = _normalizer_guess(data)
    if guess and guess not in CHINESE + ("utf-8",):
        text = _strict(data, guess)
        if text is not None:
            return Decoded(text, guess)
    return None


def _least_replaced(data: bytes, cap: int, name: Optional[str]) -> Decoded:
    """The reading with the fewest bytes replaced (at most ``cap``), the most Chinese of
    those tied."""
    candidates = []
    for enc in ("utf-8",) + CHINESE:
        got = _lenient(data, enc, cap)
        if got is not None:
            candidates.append(Decoded(got[0], enc, got[1]))
    if not candidates:
        raise _failed(name, "cannot decode as UTF-8, GB18030 or Big5 without replacing more than "
                            f"{cap} bytes")
    fewest = min(d.replaced for d in candidates)
    best = [d for d in candidates if d.replaced == fewest]
    return best[0] if len(best) == 1 else max(best, key=lambda d: _cjk_share(d.text))


def decode(data: bytes, declared: Optional[str] = None, name: Optional[str] = None) -> tuple[str, str]:
    """``(text, encoding)`` — :func:`decode_text` without the count of replaced bytes."""
    d = decode_text(data, declared, name)
    return d.text, d.encoding


def replaced_warning(d: Decoded) -> Optional[ReportWarning]:
    """The ``bytes_replaced`` warning for a decoding that replaced bytes, else None."""
    if not d.replaced:
        return None
    return warning("bytes_replaced", detail=f"{d.replaced} byte(s) invalid in {d.encoding} were replaced by U+FFFD")


def decode_member_name(raw: bytes) -> str:
    """A file name from an archive without a UTF-8 flag (zip members written by
    Chinese Windows tools are GBK; tar names are bytes): UTF-8 if valid, else GB18030,
    else Big5, else UTF-8 with the undecodable bytes escaped (``caf\\xe9.txt``, as a
    file name's label). Never raises."""
    for enc in ("utf-8",) + CHINESE:
        text = _strict(raw, enc)
        if text is not None:
            return text
    return raw.decode("utf-8", "backslashreplace")


def _failed(name: Optional[str], why: str) -> ExtractError:
    return ExtractError("decode_failed", why, name)


def looks_binary(head: bytes) -> bool:
    """True for data no text reader should try: NUL bytes or many control bytes."""
    if not head:
        return False
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False  # UTF-16 (and UTF-32) text is full of NUL bytes by design
    if b"\x00" in head:
        return True
    ctrl = len(head) - len(head.translate(None, _CONTROL_BYTES))  # counted in C, not per byte
    return ctrl > len(head) * SETTINGS.max_control_share
