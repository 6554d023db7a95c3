#!/usr/bin/env python3
"""Arabic → Latin romanisation, nisba side by side with its peers on the same Arabic names.

    pip install anyascii unidecode arabic-name-romanizer     # the peers (a missing one is skipped)
    python benches/peers_translit.py [--quick] [--json OUT.json]

Data: the held-out 20% of the name lexicon (``data/lexicon/heldout.tsv``: Arabic name parts that were
kept OUT of the tables nisba embeds, each with the Latin spellings attested for it). For each tool:

* ``exact@1`` — share of Arabic names whose single romanisation equals one of the attested Latin
  spellings (case, article, hyphens and apostrophes ignored);
* ``similarity`` — mean difflib ratio between the romanisation and its closest attested spelling;
* ``names/s`` — single-thread throughput over the same list (Python call per name, as a user would;
  nisba also through ``transliterate_batch``).

Caveat printed with the table: arabic-name-romanizer's dictionary was built from the same Wikidata
labels as nisba's lexicon, so the held-out names are *in its dictionary* — its figures are an upper
bound for a lookup, not a generalisation test. nisba never saw these names.
"""

from __future__ import annotations

import argparse
import os
import collections
import difflib
import re
import sys
import time
from pathlib import Path

# Score against tables built without the held-out units: the library leaves them out of every
# lexicon table when this is set before its first use (nisba::translit::TRAIN_ONLY_ENV).
os.environ["NISBA_LEXICON_TRAIN_ONLY"] = "1"

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _meta import write_json  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "data" / "lexicon" / "heldout.tsv"


def fold(s: str) -> str:
    s = s.lower().replace("’", "'")
    s = re.sub(r"^(al|el|al|ul)[- ']", "", s)
    return re.sub(r"[^a-z]", "", s)


def load(limit: int) -> list[tuple[str, set[str]]]:
    spellings: dict[str, set[str]] = collections.defaultdict(set)
    for line in HELDOUT.open(encoding="utf-8"):
        if line.startswith("#") or not line.strip():
            continue
        arabic, latin, *_ = line.rstrip("\n").split("\t")
        f = fold(latin)
        if f:
            spellings[arabic].add(f)
    items = sorted(spellings.items())
    step = max(1, len(items) // limit)
    return items[::step][:limit]




def tools() -> dict[str, object]:
    out: dict[str, object] = {}
    import nisba

    out["nisba (simple)"] = lambda s: nisba.transliterate(s, "simple")
    out["nisba (french)"] = lambda s: nisba.transliterate(s, "french")
    try:
        from anyascii import anyascii

        out["anyascii"] = anyascii
    except ImportError:
        out["anyascii"] = None
    try:
        from unidecode import unidecode

        out["unidecode"] = unidecode
    except ImportError:
        out["unidecode"] = None
    try:
        import arabic_name_romanizer as anr

        out["arabic-name-romanizer*"] = anr.transliterate
    except ImportError:
        out["arabic-name-romanizer*"] = None
    return out


def score(fn, items) -> tuple[float, float]:
    exact = sim = 0.0
    for arabic, attested in items:
        got = fold(str(fn(arabic)))
        if got in attested:
            exact += 1
            sim += 1
        else:
            sim += max(difflib.SequenceMatcher(None, got, a, autojunk=False).ratio() for a in attested)
    return exact / len(items), sim / len(items)


def throughput(fn, names: list[str], min_time: float) -> float:
    n = 0
    t0 = time.perf_counter()
    while True:
        for s in names:
            fn(s)
            n += 1
            if n % 16 == 0 and time.perf_counter() - t0 >= min_time:
                return n / (time.perf_counter() - t0)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="fewer names, shorter timing")
    ap.add_argument("--json", metavar="OUT", help="write the rows as JSON (benches/report.py contract)")
    args = ap.parse_args()
    items = load(500 if args.quick else 3000)
    names = [a for a, _ in items]
    min_time = 0.5 if args.quick else 2.0
    rows = []
    print(f"{len(items)} held-out Arabic name parts, {sum(len(s) for _, s in items)} attested spellings\n")
    print(f"{'tool':<26}{'exact@1':>9}{'similarity':>12}{'names/s':>12}")
    for name, fn in tools().items():
        if fn is None:
            print(f"{name:<26}{'skipped (not installed)':>33}")
            rows.append({"section": "translit", "tool": name, "metric": "skipped", "value": 0.0, "unit": ""})
            continue
        fn(names[0])  # warm caches / lazy loading outside the timing
        exact, sim = score(fn, items)
        rate = throughput(fn, names, min_time)
        print(f"{name:<26}{exact:>9.3f}{sim:>12.3f}{rate:>12,.0f}")
        rows += [
            {"section": "translit", "tool": name, "metric": "exact@1", "value": round(exact, 4), "unit": "share"},
            {"section": "translit", "tool": name, "metric": "similarity", "value": round(sim, 4), "unit": "ratio"},
            {"section": "translit", "tool": name, "metric": "throughput", "value": round(rate), "unit": "names/s"},
        ]
    import nisba

    nisba.transliterate_batch(names, "simple")
    t0 = time.perf_counter()
    reps = 0
    while time.perf_counter() - t0 < min_time:
        nisba.transliterate_batch(names, "simple")
        reps += 1
    batch = reps * len(names) / (time.perf_counter() - t0)
    print(f"{'nisba transliterate_batch':<26}{'':>21}{batch:>12,.0f}")
    rows.append(
        {"section": "translit", "tool": "nisba (transliterate_batch)", "metric": "throughput", "value": round(batch), "unit": "names/s"}
    )
    print("\n* arabic-name-romanizer's dictionary holds these names (same Wikidata source): an upper bound, not a")
    print("  generalisation test. anyascii/unidecode are letter-by-letter and write no short vowels.")
    write_json(args.json, "Arabic → Latin romanisation vs peers (held-out lexicon names)", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
