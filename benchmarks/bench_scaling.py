"""Cost of hostile inputs at 1x, 10x and 100x size: wall time and peak RSS, each
measured in a fresh subprocess and given as ratios to the 1x run (issue 10: cost
grows about linearly, or stops at a limit).

    python3 benchmarks/bench_scaling.py            # all cases
    python3 benchmarks/bench_scaling.py text_lines # one case
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: case -> Python expression building the input bytes for a scale factor k
CASES = {
    "pdf_ops": "hostile_pdf.op_bomb(20_000 * k)",
    "pdf_flate": "hostile_pdf.flate_bomb(2_000_000 * k)",
    "html_attrs": "('<html><body><div ' + ' '.join(f'a{i}=\"{i}\"' for i in range(2_000 * k)) "
                  "+ '>x</div><p>一、总体情况</p></body></html>').encode()",
    "html_rows": "('<html><body><p>一、总体情况</p><table>' + ''.join(f'<tr><td>行{i}</td><td>{i}</td></tr>' "
                 "for i in range(1_000 * k)) + '</table></body></html>').encode()",
    "text_lines": "'\\n'.join(f'第{i}行 正文内容' for i in range(2_000 * k)).encode()",
}
NAMES = {"pdf_ops": "x.pdf", "pdf_flate": "x.pdf", "html_attrs": "x.html", "html_rows": "x.html",
         "text_lines": "x.txt"}

CHILD = """
import resource, sys, time
sys.path[:0] = [{src!r}, {tests!r}]
import gaiextract, hostile_pdf
k = {k}
data = {expr}
t0 = time.perf_counter()
try:
    gaiextract.extract(data, name={name!r}); out = "report"
except gaiextract.ExtractError as e:
    out = e.code
print(time.perf_counter() - t0, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, out)
"""


def measure(case: str, k: int) -> tuple[float, float, str]:
    code = CHILD.format(src=str(ROOT / "src"), tests=str(ROOT / "tests"), k=k, expr=CASES[case],
                        name=NAMES[case])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(proc.stderr[-500:])
    secs, mb, out = proc.stdout.split()
    return float(secs), float(mb), out


def main(argv: list[str]) -> None:
    for case in argv or list(CASES):
        base = None
        for k in (1, 10, 100):
            secs, mb, out = measure(case, k)
            base = base or (secs, mb)
            print(f"{case:11s} {k:4d}x  {secs:7.2f} s ({secs / base[0]:6.1f}x)  "
                  f"{mb:6.0f} MB ({mb / base[1]:4.1f}x)  -> {out}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
