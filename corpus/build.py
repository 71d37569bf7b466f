#!/usr/bin/env python3
"""Regenerate the corpus: python3 corpus/build.py [--formats txt,html,docx,pdf,flat,md,framed,titles,runin,scan,degraded] [--out corpus]

The specs are generated once (deterministically) and handed to each format's
``corpus/builder/render_<fmt>.py`` ``render_all(specs, out_dir)``; a format whose
renderer does not exist yet is skipped with a message. Runs from any directory.
"""
from __future__ import annotations

import argparse
import importlib
import importlib.util
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from corpus.builder.content import generate_specs  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formats", default="txt,html,docx,pdf,flat,md,framed,titles,runin,scan,degraded")  # scan: from pdf
    ap.add_argument("--out", default=str(ROOT / "corpus"))
    args = ap.parse_args(argv)
    specs = generate_specs()
    out = Path(args.out)
    for fmt in [f.strip() for f in args.formats.split(",") if f.strip()]:
        name = f"corpus.builder.render_{fmt}"
        if importlib.util.find_spec(name) is None:
            print(f"{fmt}: no renderer yet (corpus/builder/render_{fmt}.py), skipped")
            continue
        module = importlib.import_module(name)
        paths = module.render_all(specs, out / fmt)
        print(f"{fmt}: {len(paths)} documents in {out / fmt}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
