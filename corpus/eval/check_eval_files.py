"""Format check for the hand-labelled eval files (no labelling logic)."""
import collections
import json
import pathlib
import sys

HERE = pathlib.Path(__file__).parent
SECTIONS = {"overview", "proactive", "requests", "review_litigation", "problems", "other", "none"}
CATS = {"proactive_disclosure", "request_disclosure", "information_management", "platform",
        "supervision", "organization", "training", "policy_interpretation", "other"}


def main():
    ok = True
    lines = (HERE / "section_headings.tsv").read_text(encoding="utf-8").split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    assert lines[0] == "text\tsection", lines[0]
    sec = collections.Counter()
    seen = {}
    for i, line in enumerate(lines[1:], 2):
        parts = line.split("\t")
        if len(parts) != 2 or parts[1] not in SECTIONS or not parts[0].strip():
            print(f"section_headings.tsv:{i}: bad row {line!r}"); ok = False; continue
        if parts[0] in seen and seen[parts[0]] != parts[1]:
            print(f"section_headings.tsv:{i}: conflicting label for {parts[0]!r}"); ok = False
        seen[parts[0]] = parts[1]
        sec[parts[1]] += 1
    print("section_headings.tsv:", sum(sec.values()), "rows", dict(sorted(sec.items())))

    first, anyc, n, multi = collections.Counter(), collections.Counter(), 0, 0
    for i, line in enumerate((HERE / "subsections.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        d = json.loads(line)
        cats = d.get("categories")
        if set(d) != {"heading", "body", "categories"} or not cats or not set(cats) <= CATS \
                or len(set(cats)) != len(cats) or not d["heading"].strip() or not d["body"].strip():
            print(f"subsections.jsonl:{i}: bad record"); ok = False; continue
        n += 1
        multi += len(cats) > 1
        first[cats[0]] += 1
        anyc.update(cats)
    print("subsections.jsonl:", n, "lines,", multi, "multi-label")
    print("  first category:", dict(sorted(first.items())))
    print("  any position:  ", dict(sorted(anyc.items())))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
