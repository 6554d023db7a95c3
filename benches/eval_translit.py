#!/usr/bin/env python3
"""Quality report for stage 2 (transliteration, keys, variants). Prints a report; asserts nothing.

    python benches/eval_translit.py [--shared /work/shared/data] [--limit N]

1. On the held-out 20% of the lexicon's Arabic units (data/lexicon/heldout.tsv, never used by the
   library's tables):
   * variants top-10 recall: the share of attested Latin spellings of each Arabic form found among
     ``nisba.variants(arabic, limit=10)`` (case-insensitive), unweighted and weighted by attestation count;
   * transliterate top-1: the share of forms whose ``nisba.transliterate(arabic, scheme="simple")`` equals
     the most frequent attested spelling (case-insensitive), and equals any attested spelling;
   * to_arabic: the share of held-out (Latin, Arabic) pairs whose Arabic form is the first, or among the
     first five, of ``nisba.to_arabic(latin, limit=5)``.
2. On the development clusters (shared data, dev_name_clusters.jsonl and dev_negative_pairs.jsonl):
   the share of same-cluster name pairs sharing a loose key, against the share of hard-negative pairs
   sharing one — for the whole-name key and for "at least one name part in common" (part keys, titles
   dropped), which is how candidates are generated.
"""

from __future__ import annotations

import argparse
import os
import collections
import itertools
import json
import sys
import time
from pathlib import Path

# Score against tables built without the held-out units: the library leaves them out of every
# lexicon table when this is set before its first use (nisba::translit::TRAIN_ONLY_ENV).
os.environ["NISBA_LEXICON_TRAIN_ONLY"] = "1"

import nisba  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def loose_key(name: str) -> str:
    f = getattr(nisba, "loose_key", None)
    return f(name) if f else nisba.key(name)


def part_loose_keys(name: str) -> set[str]:
    f = getattr(nisba, "part_keys", None)
    if f:
        return {loose for _strict, loose in f(name)}
    # Fallback: the words of the whole-name loose key.
    return set(loose_key(name).split())


def text_of(x) -> str:
    """The spelling of a result: a str, a (text, score) pair from to_arabic, or a Variant."""
    if isinstance(x, str):
        return x
    if isinstance(x, tuple):
        return x[0]
    return x.text


def heldout_report(limit: int | None) -> None:
    rows = collections.defaultdict(list)
    with open(ROOT / "data/lexicon/heldout.tsv", encoding="utf-8") as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            arabic, latin, count, *_ = line.rstrip("\n").split("\t")
            rows[arabic].append((latin, int(count)))
    forms = sorted(rows)
    if limit:
        forms = forms[:limit]
    found = total = found_w = total_w = 0
    top1 = top1_any = 0
    t0 = time.perf_counter()
    for arabic in forms:
        spellings = rows[arabic]
        got = {text_of(v).lower() for v in nisba.variants(arabic, limit=10)}
        for latin, count in spellings:
            hit = latin.lower() in got
            found += hit
            total += 1
            found_w += count * hit
            total_w += count
        best = max(spellings, key=lambda x: (x[1], x[0]))[0].lower()
        tr = text_of(nisba.transliterate(arabic, scheme="simple")).lower()
        top1 += tr == best
        top1_any += tr in {s.lower() for s, _ in spellings}
    # Latin → Arabic on the held-out pairs: the Arabic form among to_arabic(latin, 5)?
    ar1 = ar5 = pairs = 0
    for arabic in forms:
        want = nisba.normalize(arabic)
        for latin, _count in rows[arabic]:
            got = [nisba.normalize(text_of(a)) for a in nisba.to_arabic(latin, limit=5)]
            pairs += 1
            ar1 += bool(got) and got[0] == want
            ar5 += want in got
    dt = time.perf_counter() - t0
    n = len(forms)
    print(f"## Held-out lexicon units ({n} Arabic forms, {total} attested spellings; {dt:.1f} s)")
    print(f"variants top-10 recall: {found / max(total, 1):.3f} of spellings, "
          f"{found_w / max(total_w, 1):.3f} weighted by attestation count")
    print(f"transliterate simple top-1 = most frequent spelling: {top1 / max(n, 1):.3f}; "
          f"= any attested spelling: {top1_any / max(n, 1):.3f}")
    print(f"to_arabic on {pairs} held-out (latin, arabic) pairs: top-1 {ar1 / max(pairs, 1):.3f}, "
          f"top-5 {ar5 / max(pairs, 1):.3f} (compared after nisba.normalize)")


def cluster_report(shared: Path) -> None:
    clusters = [json.loads(l) for l in open(shared / "dev_name_clusters.jsonl", encoding="utf-8")]
    negatives = [json.loads(l) for l in open(shared / "dev_negative_pairs.jsonl", encoding="utf-8")]
    pos = pos_whole = pos_part = 0
    for c in clusters:
        names = list(dict.fromkeys(c.get("names", []) + c.get("arabic_names", [])))
        for a, b in itertools.combinations(names, 2):
            pos += 1
            pos_whole += loose_key(a) == loose_key(b)
            pos_part += bool(part_loose_keys(a) & part_loose_keys(b))
    neg = neg_whole = neg_part = 0
    by_type = collections.Counter()
    by_type_hit = collections.Counter()
    for p in negatives:
        a, b = p["a"], p["b"]
        neg += 1
        neg_whole += loose_key(a) == loose_key(b)
        shared_part = bool(part_loose_keys(a) & part_loose_keys(b))
        neg_part += shared_part
        by_type[p.get("type", "?")] += 1
        by_type_hit[p.get("type", "?")] += shared_part
    print(f"## Development clusters ({len(clusters)} clusters, {pos} same-cluster pairs, {neg} hard negatives)")
    print(f"whole-name loose key shared: positives {pos_whole / max(pos, 1):.3f}, "
          f"hard negatives {neg_whole / max(neg, 1):.3f}")
    print(f">= 1 part loose key shared:  positives {pos_part / max(pos, 1):.3f}, "
          f"hard negatives {neg_part / max(neg, 1):.3f}")
    for t in sorted(by_type):
        print(f"  negatives {t}: {by_type_hit[t] / by_type[t]:.3f} share a part key ({by_type[t]} pairs)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--limit", type=int, default=None, help="at most this many held-out forms")
    args = ap.parse_args()
    heldout_report(args.limit)
    if (args.shared / "dev_name_clusters.jsonl").exists():
        cluster_report(args.shared)
    else:
        shared = Path("/work/shared/data")
        if (shared / "dev_name_clusters.jsonl").exists():
            cluster_report(shared)
        else:
            print(f"(no development clusters at {args.shared})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
