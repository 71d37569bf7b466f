"""readers/pdf_guard.fast_a85decode gives base64.a85decode's bytes (and errors)."""
import base64
import random

import pytest

from gaiextract.readers.pdf_guard import fast_a85decode


def _outcome(fn, data):
    try:
        return fn(data)
    except ValueError as exc:
        return type(exc)


@pytest.mark.parametrize("seed", range(40))
def test_same_bytes(seed):
    rng = random.Random(seed)
    raw = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 400)))
    if seed % 4 == 0:
        raw += b"\0" * 8  # zero groups: the encoder writes z
    enc = base64.a85encode(raw, wrapcol=rng.choice([0, 64, 75]))
    assert fast_a85decode(enc) == raw
    for cut in range(1, 6):  # partial last groups
        assert _outcome(fast_a85decode, enc[:-cut]) == _outcome(base64.a85decode, enc[:-cut])


@pytest.mark.parametrize("data", [b"", b"   ", b"s8W-", b"s8W-\"", b"uuuuu", b"abc~d", b"!!z!!", b"87cURD]i,\"Ebo80"])
def test_odd_input(data):
    assert _outcome(fast_a85decode, data) == _outcome(base64.a85decode, data)


def test_reportlab_corpus_pdf_reads_the_same():
    """A drawn corpus PDF (ASCII85 over Flate streams) reads through the guarded path."""
    import gaiextract
    from conftest import CORPUS

    path = sorted(CORPUS.glob("pdf/*drawn*.pdf"))[0]
    assert gaiextract.extract(path, ocr="never").to_dict()
