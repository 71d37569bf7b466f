"""Mutate corpus documents and check that every outcome is a Report or an
ExtractError with a documented code, within a time and memory bound per input.

Mutations (fixed seed, so a failure is reproducible by its number): bit flips,
truncation, byte insertion, and for DOCX changes inside the zip (a member's XML
cut, a tag's attribute set to a huge number, a central-directory offset shifted).

    python3 tests/fuzz/fuzz_corpus.py --budget 60 --seed 1     # a longer campaign
    python3 tests/fuzz/fuzz_corpus.py --budget 3               # what CI runs (via pytest)
"""
from __future__ import annotations

import argparse
import io
import random
import resource
import struct
import sys
import time
import zipfile
from pathlib import Path
from typing import Callable, Iterator, Optional

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

import gaiextract  # noqa: E402
from gaiextract.errors import ERROR_CODES, ExtractError  # noqa: E402

#: seconds one mutated input may take; peak memory growth (MB) over the whole run
PER_INPUT_SECONDS = 20.0
MAX_RSS_MB = 500


def corpus_files() -> list[Path]:
    """A few corpus documents of each format and the reader fixtures (already odd:
    GBK pages, Word HTML, MHTML, encrypted and damaged files). Legacy .doc files
    are left out: with LibreOffice installed each would cost a conversion."""
    out = []
    for fmt in ("txt", "html", "docx", "pdf"):
        files = sorted(p for p in (ROOT / "corpus" / fmt).glob("*") if not p.name.endswith(".json")
                       and p.suffix != ".doc")
        out.extend(files[:3])
        out.extend(p for p in sorted((ROOT / "tests" / "fixtures" / fmt).glob("*"))
                   if p.suffix not in (".json", ".doc", ".wps") and p.stat().st_size > 1)
    return out


def bit_flips(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    if not b:
        return data
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(b))
        b[i] ^= 1 << rng.randrange(8)
    return bytes(b)


def truncate(rng: random.Random, data: bytes) -> bytes:
    return data[: rng.randrange(1, len(data))] if len(data) > 1 else data


def insert_bytes(rng: random.Random, data: bytes) -> bytes:
    i = rng.randrange(len(data) + 1)
    junk = rng.choice([b"\x00" * rng.randint(1, 64), bytes(rng.randrange(256) for _ in range(16)),
                       b"\xff\xfe", b"<", b"(", b"9" * 30])
    return data[:i] + junk + data[i:]


def docx_xml(rng: random.Random, data: bytes) -> bytes:
    """Rewrite one member: cut its XML, or give an attribute a huge value."""
    try:
        src = zipfile.ZipFile(io.BytesIO(data))
        names = src.namelist()
        parts = {n: src.read(n) for n in names}
    except Exception:  # a damaged fixture (encrypted, truncated): flip bits instead
        return bit_flips(rng, data)
    target = rng.choice(names)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for n in names:
            part = parts[n]
            if n == target:
                if rng.random() < 0.5:
                    part = part[: rng.randrange(1, max(2, len(part)))]
                else:
                    part = part.replace(b'w:val="1"', b'w:val="100000000000000000000"', 1)
            z.writestr(n, part)
    return buf.getvalue()


def docx_offsets(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    eocd = b.rfind(b"PK\x05\x06")
    if eocd < 0:
        return bit_flips(rng, data)
    off = struct.unpack("<I", b[eocd + 16:eocd + 20])[0]
    struct.pack_into("<I", b, eocd + 16, (off + rng.choice([-7, 1, 100, 1_000_000])) % 2**32)
    return bytes(b)


MUTATORS: dict[str, list[Callable[[random.Random, bytes], bytes]]] = {
    "any": [bit_flips, truncate, insert_bytes],
    ".docx": [docx_xml, docx_offsets],
}


def cases(seed: int) -> Iterator[tuple[int, str, bytes]]:
    rng = random.Random(seed)
    files = corpus_files()
    n = 0
    while True:
        path = rng.choice(files)
        data = path.read_bytes()
        muts = MUTATORS["any"] + MUTATORS.get(path.suffix, [])
        mut = rng.choice(muts)
        yield n, f"{path.name}:{mut.__name__}", mut(rng, data)
        n += 1


def check_one(name: str, data: bytes) -> Optional[str]:
    """None if the outcome is acceptable, else what went wrong."""
    t0 = time.monotonic()
    try:
        # the readers are fuzzed, not the OCR engine (whose model alone takes ~0.6-0.9 GB:
        # docs/ocr.md); a mutated scan is still read by the PDF reader
        gaiextract.extract(data, name=name.split(":")[0], ocr="never")
    except ExtractError as exc:
        if exc.code not in ERROR_CODES:
            return f"undocumented code {exc.code}"
    except Exception as exc:  # a traceback a user would see
        return f"{type(exc).__name__}: {exc}"[:300]
    secs = time.monotonic() - t0
    if secs > PER_INPUT_SECONDS:
        return f"took {secs:.1f} s"
    return None


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(budget_s: float, seed: int) -> tuple[int, list[str]]:
    deadline = time.monotonic() + budget_s
    failures: list[str] = []
    done = 0
    # ru_maxrss is a peak: measure growth over what the process had already used
    # (under pytest, earlier tests may have peaked higher than any fuzz input)
    rss_limit = rss_mb() + MAX_RSS_MB
    for n, name, data in cases(seed):
        if time.monotonic() > deadline:
            break
        why = check_one(name, data)
        if why is None and rss_mb() > rss_limit:
            why = f"peak RSS {rss_mb():.0f} MB"
        if why:
            failures.append(f"#{n} {name} (seed {seed}): {why}")
        done += 1
    return done, failures


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--budget", type=float, default=30.0, help="seconds to run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    done, failures = run(args.budget, args.seed)
    for f in failures:
        print(f)
    print(f"{done} mutated inputs, {len(failures)} failures, peak RSS {rss_mb():.0f} MB")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
