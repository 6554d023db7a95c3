#!/usr/bin/env python3
"""Linking peers side by side: nisba's Linker against exact-string matchers on the same name forms.

Usage:  python benches/peers_link.py [--quick] [--json OUT.json]

Peers (install with pip; a peer that fails to import is reported as skipped):
    pip install flashtext pyahocorasick ahocorasick_rs

What is measured, each tool in its own subprocess so RSS figures do not mix:

- ``rss``: resident set size after loading the tool with the name forms, and after linking the text
  (MiB; the interpreter, ``nisba`` and the test text are in every worker; ``rss added by the tool`` is
  the growth from loading alone — nisba's gazetteer is embedded and paged in lazily as it is used);
- ``build``: seconds to load the name forms into the tool (nisba: open the embedded gazetteer);
- ``throughput``: characters per second of single-threaded passes over a Latin news-like text (the first
  pass, and the best of three: nisba's caches are filled by then, as in a long-running process): our own
  template sentences filled with gazetteer names, plus the development corpus articles read at run time
  from ``/work/shared/corpus`` (or ``$NISBA_CORPUS``; their text never enters the repository);
- ``precision`` / ``recall``: (span, entity) pairs on the corpus's ``gold.jsonl``, scored like
  ``score_corpus.py`` (each gold entity maps to the id the tool gives most often on its mentions);
- nisba ``link_batch`` on 1 and 2 threads (characters per second, speed-up), after one warm-up batch, the
  best of three alternating runs each, results freed outside the timed region.

The exact-string peers get every name form of the default gazetteer (canonical names, aliases and weak
aliases, exported through the Python API), lower-cased, matched leftmost-longest on word boundaries; a
hit maps to the entity of that form (the most prominent one when several share it). nisba runs twice:
``exact+variant`` (``fuzzy=False``) and ``fuzzy`` (the default).
"""

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import time
from collections import Counter, defaultdict
from datetime import datetime, timezone
from pathlib import Path

CORPUS = Path(os.environ.get("NISBA_CORPUS", "/work/shared/corpus"))
TOOLS = ["nisba", "nisba-fuzzy", "flashtext", "pyahocorasick", "ahocorasick_rs"]

# Our own sentence templates; {PER}, {ORG}, {LOC} are filled with gazetteer names.
TEMPLATES = [
    "{PER} met officials from {ORG} in {LOC} on Tuesday, according to a statement from his office.",
    "Protesters gathered outside the offices of {ORG} in {LOC} after {PER} spoke to reporters.",
    "The talks between {PER} and {PER} ended without agreement, a spokesman said in {LOC}.",
    "Flights between {LOC} and {LOC} resumed on Sunday after a two-day suspension.",
    "{ORG} said it would not take part in the vote, while {PER} called for calm.",
    "In a televised speech, {PER} thanked the people of {LOC} and the volunteers of {ORG}.",
    "Security forces closed the main road to {LOC} as the convoy of {PER} passed.",
    "Analysts in {LOC} said the statement by {ORG} was aimed at voters in {LOC}.",
    "the market reopened and traders said prices had fallen since last week.",
    "Officials declined to comment on the report, which was published late on Monday.",
]


def rss_mib():
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def corpus_docs():
    if not (CORPUS / "gold.jsonl").exists():
        return {}, []
    gold = [json.loads(l) for l in (CORPUS / "gold.jsonl").open(encoding="utf-8")]
    docs = {d: (CORPUS / d).read_text(encoding="utf-8") for d in sorted({g["doc"] for g in gold})}
    return docs, gold


def news_text(n_chars, gz_entities, docs):
    """A repeatable Latin news-like text of about n_chars characters."""
    rnd = random.Random(7)
    pools = defaultdict(list)
    for e in gz_entities:
        if e.prior >= 0.5 and e.name.isascii():
            pools[e.kind].append(e.name)
    for k in pools:
        pools[k].sort()
    parts, size = [], 0
    corpus = list(docs.values())
    while size < n_chars:
        if corpus and rnd.random() < 0.2:
            chunk = corpus[rnd.randrange(len(corpus))]
        else:
            t = TEMPLATES[rnd.randrange(len(TEMPLATES))]
            for kind in ("PER", "ORG", "LOC"):
                while "{" + kind + "}" in t:
                    t = t.replace("{" + kind + "}", rnd.choice(pools[kind] or ["Baghdad"]), 1)
            chunk = t
        parts.append(chunk)
        size += len(chunk) + 1
    return " ".join(parts)


def name_forms(entities):
    """Lower-cased name form → entity id (the most prominent entity when several share a form)."""
    best = {}
    for e in entities:
        if e.kind == "NAME":
            continue
        for form in [e.name, *e.aliases, *e.weak_aliases]:
            f = form.lower()
            if len(f) < 2 or len(f) != len(form):
                continue
            if f not in best or e.prior > best[f][1]:
                best[f] = (e.id, e.prior)
    return {f: v[0] for f, v in best.items()}


def is_word_char(c):
    return c.isalnum() or c == "_"


def on_word_boundaries(text, start, end):
    return (start == 0 or not is_word_char(text[start - 1])) and (
        end == len(text) or not is_word_char(text[end])
    )


class Matcher:
    """A tool behind one interface: link(text) -> [(start, end, id)] in code points."""

    def __init__(self, tool, forms):
        self.tool = tool
        if tool.startswith("nisba"):
            import nisba

            self.linker = nisba.Linker(fuzzy=(tool == "nisba-fuzzy"))
            return
        if tool == "flashtext":
            from flashtext import KeywordProcessor

            kp = KeywordProcessor(case_sensitive=False)
            for f, i in forms.items():
                kp.add_keyword(f, i)
            self.kp = kp
        elif tool == "pyahocorasick":
            import ahocorasick

            a = ahocorasick.Automaton()
            for f, i in forms.items():
                a.add_word(f, (len(f), i))
            a.make_automaton()
            self.auto = a
        elif tool == "ahocorasick_rs":
            import ahocorasick_rs

            self.keys = list(forms)
            self.ids = [forms[k] for k in self.keys]
            self.auto = ahocorasick_rs.AhoCorasick(
                self.keys, matchkind=ahocorasick_rs.MatchKind.LeftmostLongest
            )
        else:
            raise ValueError(tool)

    def link(self, text):
        if self.tool.startswith("nisba"):
            return [(m.start, m.end, m.id) for m in self.linker.link(text)]
        low = text.lower()
        if len(low) != len(text):
            low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
        out = []
        if self.tool == "flashtext":
            for i, s, e in self.kp.extract_keywords(low, span_info=True):
                out.append((s, e, i))
            return out
        if self.tool == "pyahocorasick":
            last = -1
            for end, (n, i) in self.auto.iter_long(low):
                s, e = end - n + 1, end + 1
                if s >= last and on_word_boundaries(low, s, e):
                    out.append((s, e, i))
                    last = e
            return out
        for k, s, e in self.auto.find_matches_as_indexes(low):
            if on_word_boundaries(low, s, e):
                out.append((s, e, self.ids[k]))
        return out


def score(pred, gold, docs):
    votes = defaultdict(Counter)
    for g in gold:
        for s, e, i in pred[g["doc"]]:
            if s < g["end"] and g["start"] < e:
                votes[g["entity"]][i] += 1
    ent_id = {e: c.most_common(1)[0][0] for e, c in votes.items()}
    owner = Counter(ent_id.values())
    tp = sum(
        any(s < g["end"] and g["start"] < e and i == ent_id.get(g["entity"]) and owner[i] == 1
            for s, e, i in pred[g["doc"]])
        for g in gold
    )
    n_pred = sum(len(v) for v in pred.values())
    spurious = sum(
        1 for d in docs for s, e, _ in pred[d]
        if not any(s < g["end"] and g["start"] < e for g in gold if g["doc"] == d)
    )
    return (n_pred - spurious) / max(n_pred, 1), tp / max(len(gold), 1)


def worker(tool, quick):
    """Runs one tool in this process and prints its rows as JSON."""
    import gc

    import nisba

    docs, gold = corpus_docs()
    # Text and name forms come from throw-away entity objects, freed before the tool is measured.
    entities = list(nisba.Gazetteer.default())
    text = news_text(200_000 if quick else 2_000_000, entities, docs)
    forms = None if tool.startswith("nisba") else name_forms(entities)
    del entities
    gc.collect()
    rss_base = rss_mib()
    t0 = time.perf_counter()
    m = Matcher(tool, forms)
    build = time.perf_counter() - t0
    rss_loaded = rss_mib()
    rows = [
        {"section": "load", "tool": tool, "metric": "build", "value": build, "unit": "s"},
        {"section": "load", "tool": tool, "metric": "rss", "value": rss_loaded, "unit": "MiB"},
        {"section": "load", "tool": tool, "metric": "rss added by the tool",
         "value": max(rss_loaded - rss_base, 0.0), "unit": "MiB"},
    ]
    m.link(text[:10_000])  # warm up
    passes = []
    for _ in range(3):
        t0 = time.perf_counter()
        out = m.link(text)
        passes.append(time.perf_counter() - t0)
        n = len(out)
        del out
    rows.append({"section": "throughput", "tool": tool, "metric": "chars/s first pass",
                 "value": len(text) / passes[0], "unit": "chars/s"})
    rows.append({"section": "throughput", "tool": tool, "metric": "chars/s",
                 "value": len(text) / min(passes), "unit": "chars/s"})
    rows.append({"section": "load", "tool": tool, "metric": "rss after linking",
                 "value": rss_mib(), "unit": "MiB"})
    rows.append({"section": "throughput", "tool": tool, "metric": "mentions",
                 "value": float(n), "unit": "count"})
    if gold:
        pred = {d: m.link(t) for d, t in docs.items()}
        p, r = score(pred, gold, docs)
        rows.append({"section": "quality", "tool": tool, "metric": "precision", "value": p, "unit": ""})
        rows.append({"section": "quality", "tool": tool, "metric": "recall", "value": r, "unit": ""})
    if tool == "nisba":
        batch = [t for t in text.split(". ")]
        size = 64 if quick else 400
        docs_b = [". ".join(batch[i:i + 8]) for i in range(0, len(batch), 8)][:size * 4]
        # One warm-up batch (so neither thread count profits from the other's caches), then the best
        # of three alternating runs each; the results are freed outside the timed region.
        m.linker.link_batch(docs_b, threads=1)
        times = {1: float("inf"), 2: float("inf")}
        for _ in range(3):
            for threads in (1, 2):
                t0 = time.perf_counter()
                out = m.linker.link_batch(docs_b, threads=threads)
                times[threads] = min(times[threads], time.perf_counter() - t0)
                del out
        for threads in (1, 2):
            rows.append({"section": "batch", "tool": tool, "metric": f"link_batch {threads} thread(s)",
                         "value": sum(map(len, docs_b)) / times[threads], "unit": "chars/s"})
        rows.append({"section": "batch", "tool": tool, "metric": "speed-up 2 vs 1 threads",
                     "value": times[1] / times[2], "unit": "x"})
    print(json.dumps(rows))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a 200k-character text instead of 2M")
    ap.add_argument("--json", help="write the rows here")
    ap.add_argument("--worker", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.worker:
        worker(args.worker, args.quick)
        return 0
    rows = []
    for tool in TOOLS:
        cmd = [sys.executable, __file__, "--worker", tool] + (["--quick"] if args.quick else [])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            reason = (proc.stderr.strip().splitlines() or ["failed"])[-1]
            print(f"skipped {tool}: {reason}", file=sys.stderr)
            rows.append({"section": "skipped", "tool": tool, "metric": reason, "value": 0.0, "unit": ""})
            continue
        rows.extend(json.loads(proc.stdout.strip().splitlines()[-1]))
    print(f"{'section':<11} {'tool':<15} {'metric':<28} {'value':>14} unit")
    for r in rows:
        v = r["value"]
        shown = f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.3f}"
        print(f"{r['section']:<11} {r['tool']:<15} {r['metric']:<28} {shown:>14} {r['unit']}")
    if args.json:
        out = {
            "title": "Linking: nisba vs exact-string matchers on the default gazetteer's name forms",
            "machine": f"{platform.machine()} {platform.processor() or ''} {os.cpu_count()} cpus".strip(),
            "date": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "rows": rows,
        }
        Path(args.json).write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
