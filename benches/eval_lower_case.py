#!/usr/bin/env python3
"""The linker on lower-cased text: every capitalised sentence of ``data/test/link.tsv`` (our own
sentences) lower-cased and linked, scored against its expected mentions (surfaces lower-cased).

Usage:  python benches/eval_lower_case.py [--errors]

A check of the linker's lower-case mode (a text written without capitals, as much social-media
writing is): prints precision and recall of (surface, entity) pairs, and with ``--errors`` each miss
and each spurious mention. The development corpus can be scored the same way with
``cargo run --release --example score_corpus -- ../shared/corpus --lower``.
"""

import sys
from pathlib import Path

import nisba

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "test" / "link.tsv"


def main():
    show = "--errors" in sys.argv[1:]
    tp = fp = fn = 0
    for line in FIXTURE.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        text, _, expected = line.partition("\t")
        low = text.lower()
        if low == text:
            continue  # already lower case: the test suite covers it as written
        gold = set()
        for item in filter(None, expected.split(" ;; ")):
            surface, _, ident = item.rpartition("|")
            gold.add((surface.lower(), ident))
        got = {(m.text, m.id) for m in nisba.link(low)}
        tp += len(gold & got)
        fp += len(got - gold)
        fn += len(gold - got)
        if show:
            for m in sorted(got - gold):
                print("FP", *m, low, sep="\t")
            for m in sorted(gold - got):
                print("FN", *m, low, sep="\t")
    p = tp / max(tp + fp, 1)
    r = tp / max(tp + fn, 1)
    print(f"lower-cased fixture sentences: precision {p:.3f}, recall {r:.3f} (tp {tp}, fp {fp}, fn {fn})")


if __name__ == "__main__":
    main()
