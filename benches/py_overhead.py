#!/usr/bin/env python3
"""Python-side costs of nisba: link_batch against the bare Rust call, threads, and link_frame against a
flashtext + rapidfuzz notebook pipeline.

    python benches/py_overhead.py [--quick] [--json OUT.json]

Peers (optional; reported as skipped when missing): ``pip install pandas flashtext rapidfuzz``;
for section 4 ``pip install 'dask[dataframe,distributed]' pyspark pyarrow`` (and Java for Spark).

1. **Overhead**: ``Linker().link_batch(texts)`` on 10 k generated news paragraphs, against the same core
   linker timed inside Rust with no Python objects made (``nisba._native._link_rust_seconds``). The
   difference is what the bindings add: extracting the strings, code-point offsets, Mention objects.
2. **Threads**: the same call with ``threads=1`` and ``threads=2``.
3. **DataFrame**: ``nisba.link_frame`` on 100 k rows, and beside it what a notebook user would write
   without nisba: a flashtext ``KeywordProcessor`` over every name and alias of the same gazetteer, a
   ``df["text"].apply(kp.extract_keywords, span_info=True)``, ``explode`` to one row per hit, and a
   rapidfuzz ``WRatio`` score of the surface against the canonical name. The peer builds its keyword
   table once (timed apart); it finds exact aliases only (no Arabic clitics, variants or fuzzy spellings).
4. **Scale-out** (skipped with ``--quick``): ``nisba.dask.link_frame`` on a
   ``LocalCluster(n_workers=2, threads_per_worker=1, processes=True)`` and ``nisba.spark.link_dataframe``
   on ``local[2]``, against ``nisba.link_frame(..., threads=1)`` in this process, on the same rows;
   cluster start-up is excluded, data transfer to the workers is included.

Paragraphs come from this script's own templates and name lists (seeded, so runs are comparable).
Times are the best of ``--repeat`` runs (default 3). The first row records the machine's load average:
on a busy machine trust the CPU-second rows (overhead) over the wall-clock ones (speed-ups).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import sys
import time
from datetime import datetime, timezone

import nisba
from nisba import _native

PEOPLE = [
    "Mustafa al-Kadhimi", "Kadhimi", "Qais al-Khazali", "Muqtada al-Sadr", "al-Sadr", "Nouri al-Maliki",
    "Mohammed Shia al-Sudani", "Haider al-Abadi", "Masoud Barzani", "Hadi al-Amiri", "Ammar al-Hakim",
    "مصطفى الكاظمي", "مقتدى الصدر", "Mostafa Kazemi", "Moqtada Sadr", "Nuri al-Maliki",
]
PLACES = [
    "Baghdad", "Erbil", "Arbil", "Basra", "Mosul", "Kirkuk", "Najaf", "Karbala", "Fallujah", "Ramadi",
    "Tikrit", "Sulaymaniyah", "Anbar", "Diyala", "بغداد", "أربيل", "البصرة", "الموصل",
]
ORGS = ["the PMF", "the Popular Mobilization Forces", "Kataib Hezbollah", "Asaib Ahl al-Haq",
        "the Sadrist movement", "الحشد الشعبي"]
FILLER = [
    "Officials said talks would resume next week.",
    "The statement gave no further details.",
    "Prices of fuel rose again on Tuesday, traders said.",
    "A spokesman declined to comment on the reports.",
    "Security was tightened around government buildings.",
    "Residents reported power cuts in several districts.",
]
TEMPLATES = [
    "{per} met {per2} in {loc} on Sunday to discuss the budget. {fill}",
    "Protesters gathered in {loc} and {loc2}, demanding that {org} withdraw. {fill} {fill2}",
    "In a televised speech from {loc}, {per} said {org} would be integrated into the army. {fill}",
    "{fill} Rockets struck near {loc} airport; {org} denied involvement, according to {per}.",
    "وصل {per} إلى {loc} حيث التقى قادة {org}. {fill}",
    "{fill} {fill2} No group claimed the attack.",
]


def paragraphs(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        t = rng.choice(TEMPLATES)
        out.append(
            t.format(
                per=rng.choice(PEOPLE), per2=rng.choice(PEOPLE), loc=rng.choice(PLACES),
                loc2=rng.choice(PLACES), org=rng.choice(ORGS), fill=rng.choice(FILLER),
                fill2=rng.choice(FILLER),
            )
        )
    return out


def best_of(repeat: int, fn):
    best, result = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - t0)
    return best, result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="1 k paragraphs and 10 k rows, one run each")
    ap.add_argument("--json", metavar="OUT", help="write the rows as JSON (benches/report.py contract)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--section", choices=["all", "batch", "frame", "scale"], default="all",
                    help="run one section only")
    args = ap.parse_args()
    repeat = 1 if args.quick else args.repeat
    n_par, n_rows = (1_000, 10_000) if args.quick else (10_000, 100_000)
    rows: list[dict] = []

    def row(section: str, tool: str, metric: str, value: float, unit: str) -> None:
        rows.append({"section": section, "tool": tool, "metric": metric, "value": round(value, 4), "unit": unit})
        print(f"{section:<34} {tool:<26} {metric:<26} {value:>12.4g} {unit}")

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    row("machine", "-", "1-min load average at start", load, f"on {os.cpu_count()} CPUs")
    if args.section in ("all", "batch"):
        batch_section(n_par, repeat, row)
    if args.section in ("all", "frame"):
        frame_section(n_rows, repeat, row)
    if not args.quick and args.section in ("all", "scale"):
        scale_out(paragraphs(n_rows // 5, seed=13), repeat, row)

    if args.json:
        doc = {
            "title": "Python overhead, threads and DataFrames",
            "machine": f"{platform.machine()} {platform.processor() or ''} {platform.system()} "
            f"Python {platform.python_version()}".strip(),
            "date": datetime.now(timezone.utc).strftime("%Y-%m-%d"),
            "rows": rows,
        }
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=2)
    return 0


def batch_section(n_par: int, repeat: int, row) -> None:
    texts = paragraphs(n_par)
    mb = sum(len(t.encode()) for t in texts) / 1e6
    linker = nisba.Linker()
    linker.link_batch(texts[:100])  # warm the embedded gazetteer's pages

    sec = f"link_batch, {n_par // 1000} k paragraphs"
    for threads in (1, 2):
        # CPU seconds (all threads of this process) as well as wall seconds: on a shared machine the
        # CPU time is what tells the bindings' overhead; the wall time is what tells the thread speed-up.
        rust_wall, rust_cpu, py_wall, py_cpu = [], [], [], []
        for _ in range(repeat):
            c0 = time.process_time()
            inner, found_rust = _native._link_rust_seconds(texts, threads=threads)
            rust_cpu.append(time.process_time() - c0)
            rust_wall.append(inner)
            c0, w0 = time.process_time(), time.perf_counter()
            found = linker.link_batch(texts, threads=threads)
            py_wall.append(time.perf_counter() - w0)
            py_cpu.append(time.process_time() - c0)
        n_found = sum(map(len, found))
        assert n_found == found_rust, (n_found, found_rust)
        t_rust, t_py = min(rust_wall), min(py_wall)
        c_rust, c_py = min(rust_cpu), min(py_cpu)
        row(sec, "rust (core only)", f"wall s, {threads} thread(s)", t_rust, "s")
        row(sec, "python link_batch", f"wall s, {threads} thread(s)", t_py, "s")
        row(sec, "rust (core only)", f"CPU s, {threads} thread(s)", c_rust, "s")
        row(sec, "python link_batch", f"CPU s, {threads} thread(s)", c_py, "s")
        row(sec, "python link_batch", f"CPU overhead, {threads} thread(s)", 100 * (c_py - c_rust) / c_rust, "%")
        row(sec, "python link_batch", f"throughput, {threads} thread(s)", mb / t_py, "MB/s")
        if threads == 1:
            one_py, one_rust = t_py, t_rust
    row(sec, "python link_batch", "wall speed-up 2 threads / 1", one_py / t_py, "x")
    row(sec, "rust (core only)", "wall speed-up 2 threads / 1", one_rust / t_rust, "x")


def frame_section(n_rows: int, repeat: int, row) -> None:
    sec = f"{n_rows // 1000} k-row frame"
    try:
        import pandas as pd
    except ImportError:
        print("pandas missing: DataFrame section skipped")
        pd = None
    if pd is not None:
        df = pd.DataFrame({"text": paragraphs(n_rows, seed=11)})
        t, out = best_of(repeat, lambda: nisba.link_frame(df))
        row(sec, "nisba.link_frame", "seconds", t, "s")
        row(sec, "nisba.link_frame", "rows/s", n_rows / t, "rows/s")
        row(sec, "nisba.link_frame", "mentions", len(out), "mentions")
        try:
            from flashtext import KeywordProcessor
            from rapidfuzz import fuzz
        except ImportError:
            print("flashtext or rapidfuzz missing: peer skipped")
        else:
            def build():
                kp = KeywordProcessor(case_sensitive=True)
                for e in nisba.Gazetteer.default():
                    if e.kind in ("PER", "ORG", "LOC"):
                        for alias in [e.name, *e.aliases]:
                            kp.add_keyword(alias, (e.id, e.name, e.kind))
                return kp

            t_build, kp = best_of(1, build)
            row(sec, "flashtext+rapidfuzz", "keyword table build", t_build, "s")

            def notebook():
                hits = df["text"].apply(lambda t: kp.extract_keywords(t, span_info=True))
                long = hits.explode().dropna().reset_index().rename(columns={"index": "row"})
                long[["entity", "start", "end"]] = pd.DataFrame(long["text"].tolist(), index=long.index)
                long["text"] = [df["text"].iat[r][s:e] for r, s, e in zip(long["row"], long["start"], long["end"])]
                long["id"] = long["entity"].str[0]
                long["name"] = long["entity"].str[1]
                long["kind"] = long["entity"].str[2]
                long["score"] = [fuzz.WRatio(a, b) / 100 for a, b in zip(long["text"], long["name"])]
                return long[["row", "start", "end", "text", "id", "name", "kind", "score"]]

            t, peer = best_of(repeat, notebook)
            row(sec, "flashtext+rapidfuzz", "seconds", t, "s")
            row(sec, "flashtext+rapidfuzz", "rows/s", n_rows / t, "rows/s")
            row(sec, "flashtext+rapidfuzz", "mentions", len(peer), "mentions")


def scale_out(texts: list[str], repeat: int, row) -> None:
    try:
        import pandas as pd
    except ImportError:
        print("pandas missing: scale-out section skipped")
        return
    sec = f"scale-out, {len(texts) // 1000} k rows"
    mb = sum(len(t.encode()) for t in texts) / 1e6
    pdf = pd.DataFrame({"doc_id": range(len(texts)), "text": texts})
    t, serial = best_of(repeat, lambda: nisba.link_frame(pdf, threads=1))
    row(sec, "link_frame, 1 thread", "throughput", mb / t, "MB/s")
    row(sec, "link_frame, 1 thread", "rows/s", len(texts) / t, "rows/s")
    try:
        import dask.dataframe as dd
        from dask.distributed import Client, LocalCluster

        import nisba.dask as nisba_dask
    except ImportError:
        print("dask missing: Dask skipped")
    else:
        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                          silence_logs=40) as cluster, Client(cluster):
            ddf = dd.from_pandas(pdf, npartitions=8, sort=False).persist()
            nisba_dask.link_frame(ddf, "text").compute()  # warm the workers' linkers
            t, out = best_of(repeat, lambda: nisba_dask.link_frame(ddf, "text").compute())
            assert len(out) == len(serial), (len(out), len(serial))
            row(sec, "nisba.dask, 2 workers", "throughput", mb / t, "MB/s")
            row(sec, "nisba.dask, 2 workers", "rows/s", len(texts) / t, "rows/s")
    try:
        import pyspark  # noqa: F401
        from pyspark.sql import SparkSession

        import nisba.spark as nisba_spark
    except ImportError:
        print("pyspark missing: Spark skipped")
        return
    try:
        spark = (SparkSession.builder.master("local[2]").appName("nisba-bench")
                 .config("spark.ui.enabled", "false").config("spark.python.worker.reuse", "true")
                 .getOrCreate())
    except Exception as e:  # no Java
        print(f"Spark could not start ({type(e).__name__}): skipped")
        return
    try:
        sdf = spark.createDataFrame(pdf).repartition(8).cache()
        sdf.count()
        nisba_spark.link_dataframe(sdf, "text", key="doc_id").count()  # warm the Python workers
        t, n = best_of(repeat, lambda: nisba_spark.link_dataframe(sdf, "text", key="doc_id").count())
        assert n == len(serial), (n, len(serial))
        row(sec, "nisba.spark, local[2]", "throughput", mb / t, "MB/s")
        row(sec, "nisba.spark, local[2]", "rows/s", len(texts) / t, "rows/s")
    finally:
        spark.stop()


if __name__ == "__main__":
    sys.exit(main())
