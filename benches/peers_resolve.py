#!/usr/bin/env python3
"""Name matching: nisba.compare against open matchers, on the development clusters.

    python benches/peers_resolve.py [--quick] [--json OUT.json] [--shared /work/shared/data]

The pairs are those of ``score_clusters.py`` (read from the shared data directory at run time, never
copied into the repository): Latin–Latin positives are each cluster's primary name against one random
other spelling (``random.Random(7)``), negatives the ``latin-latin`` hard negative pairs; cross-script
positives are the primary Latin name against the first Arabic-script name, negatives the
``latin-arabic`` hard negatives. Reported per matcher:

* Latin–Latin ROC AUC (positives against hard negatives);
* cross-script recall at the threshold that lets at most 1% of the latin-arabic negatives through;
* time per pair (wall clock, from Python, one pair per call).

Peers score the raw strings, Arabic script included — that is the point of the comparison:

* rapidfuzz ``fuzz.token_sort_ratio`` (``pip install rapidfuzz``)
* jellyfish ``jaro_winkler_similarity`` (``pip install jellyfish``)
* nomenklatura's ``NameMatcher`` on followthemoney ``Person``/``Organization`` entities
  (``pip install nomenklatura``)

A peer that fails to import is reported as skipped.
"""

from __future__ import annotations

import argparse
import datetime
import json
import platform
import random
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The shared data sit beside the repository (../shared/data); a worktree is one level deeper.
DEFAULT_SHARED = next(
    (p for p in (ROOT.parent / "shared" / "data", ROOT.parent.parent / "shared" / "data") if p.is_dir()),
    ROOT.parent / "shared" / "data",
)


def load_pairs(shared: Path):
    clusters = [json.loads(l) for l in (shared / "dev_name_clusters.jsonl").open(encoding="utf-8")]
    rows = [json.loads(l) for l in (shared / "dev_negative_pairs.jsonl").open(encoding="utf-8")]
    kinds = {c["cluster_id"]: c.get("kind") or "PER" for c in clusters}
    negs = [(p["a"], p["b"], kinds.get(p["cluster_a"], "PER")) for p in rows if p["type"] == "latin-latin"]
    xnegs = [(p["a"], p["b"], kinds.get(p["cluster_a"], "PER")) for p in rows if p["type"] == "latin-arabic"]
    rnd = random.Random(7)
    pos, xpos = [], []
    for c in clusters:
        ls, ar = c["names"], c.get("arabic_names", [])
        kind = c.get("kind") or "PER"
        if len(ls) >= 2:
            pos.append((ls[0], rnd.choice(ls[1:]), kind))
        if ls and ar:
            xpos.append((ls[0], ar[0], kind))
    return pos, negs[:2000], xpos, xnegs


def auc(pos, neg):
    if not pos or not neg:
        return float("nan")
    # Rank-based (Mann–Whitney), ties counted half.
    allv = sorted([(s, 1) for s in pos] + [(s, 0) for s in neg])
    rank_sum, i = 0.0, 0
    while i < len(allv):
        j = i
        while j < len(allv) and allv[j][0] == allv[i][0]:
            j += 1
        avg = (i + j + 1) / 2
        rank_sum += avg * sum(1 for k in range(i, j) if allv[k][1] == 1)
        i = j
    n1, n0 = len(pos), len(neg)
    return (rank_sum - n1 * (n1 + 1) / 2) / (n1 * n0)


def recall_at_fpr(pos, neg, fpr=0.01):
    s = sorted(neg)
    thr = s[int((1 - fpr) * len(s))] if s else 1.0
    return sum(x > thr for x in pos) / max(len(pos), 1)


def matchers():
    out = {}
    try:
        import nisba

        out["nisba.compare"] = lambda a, b, k: nisba.compare(a, b).score
    except Exception as e:  # pragma: no cover - reported
        out["nisba.compare"] = e
    try:
        from rapidfuzz import fuzz

        out["rapidfuzz token_sort_ratio"] = lambda a, b, k: fuzz.token_sort_ratio(a, b) / 100.0
    except Exception as e:
        out["rapidfuzz token_sort_ratio"] = e
    try:
        import jellyfish

        out["jellyfish jaro_winkler"] = lambda a, b, k: jellyfish.jaro_winkler_similarity(a, b)
    except Exception as e:
        out["jellyfish jaro_winkler"] = e
    try:
        from followthemoney import model
        from nomenklatura.matching import NameMatcher, ScoringConfig

        cfg = ScoringConfig.defaults()

        def entity(name, kind):
            e = model.make_entity("Organization" if kind == "ORG" else "Person")
            e.id = "q"
            e.add("name", name)
            return e

        out["nomenklatura NameMatcher"] = lambda a, b, k: NameMatcher.compare(
            entity(a, k), entity(b, k), cfg
        ).score
    except Exception as e:
        out["nomenklatura NameMatcher"] = e
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="a fifth of the pairs")
    ap.add_argument("--json", help="write the rows to this file")
    ap.add_argument("--shared", default=str(DEFAULT_SHARED), help="the shared data directory")
    args = ap.parse_args()
    pos, negs, xpos, xnegs = load_pairs(Path(args.shared))
    if args.quick:
        pos, negs, xpos, xnegs = pos[::5], negs[::5], xpos[::2], xnegs[::2]
    rows = []
    print(f"{len(pos)} Latin positives / {len(negs)} negatives; {len(xpos)} cross-script positives / {len(xnegs)} negatives")
    print(f"{'matcher':30} {'Latin AUC':>10} {'cross rec@1%':>13} {'µs/pair':>9}")
    for name, f in matchers().items():
        if isinstance(f, Exception):
            print(f"{name:30} skipped ({type(f).__name__}: {f})")
            rows.append({"section": "name matching", "tool": name, "metric": "skipped", "value": float("nan"), "unit": ""})
            continue
        f("warm", "up", "PER")
        t0 = time.perf_counter()
        sp = [f(a, b, k) for a, b, k in pos]
        sn = [f(a, b, k) for a, b, k in negs]
        sx = [f(a, b, k) for a, b, k in xpos]
        sxn = [f(a, b, k) for a, b, k in xnegs]
        n = len(sp) + len(sn) + len(sx) + len(sxn)
        us = (time.perf_counter() - t0) / n * 1e6
        a, r = auc(sp, sn), recall_at_fpr(sx, sxn)
        print(f"{name:30} {a:10.3f} {r:13.3f} {us:9.1f}")
        rows += [
            {"section": "name matching", "tool": name, "metric": "Latin-Latin ROC AUC", "value": a, "unit": ""},
            {"section": "name matching", "tool": name, "metric": "cross-script recall at 1% FP", "value": r, "unit": ""},
            {"section": "name matching", "tool": name, "metric": "time per pair", "value": us, "unit": "µs"},
        ]
    if args.json:
        out = {
            "title": "Name matching against peers (development clusters)",
            "machine": f"{platform.machine()} {platform.processor() or ''} {platform.python_implementation()} {platform.python_version()}".strip(),
            "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d"),
            "rows": rows,
        }
        Path(args.json).write_text(json.dumps(out, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
