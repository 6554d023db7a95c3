#!/usr/bin/env python3
"""Cold start of the embedded default gazetteer: a fresh process, `import nisba`, `Gazetteer.default()`
and the first `link` call — the time a notebook user or a CLI run waits before the first answer.

    python benches/cold_start.py [--quick] [--json OUT.json]

Each measurement is a new interpreter (so nothing is cached in-process; the OS page cache is warm after
the first run, as it is for any user who ran nisba before). Reported: the median wall time of
`python -c "<work>"` minus the median of a bare `python -c "pass"`, for `import nisba` alone,
import + `Gazetteer.default()`, and import + default + the first `nisba.link(...)`; the peak RSS of the
last; and the default's entity count, name forms, file size and bytes per form (from its metadata).
Peers: rigour's name tooling is the usual Python alternative with a large embedded table (its cold
start is reported in the issue at 8.4 s); it is timed here too when installed (`import rigour.names`
+ the first `pick_name`), else reported as skipped.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _meta import write_json  # noqa: E402

WORK = {
    "import nisba": "import nisba",
    "import + Gazetteer.default()": "import nisba; nisba.Gazetteer.default()",
    "import + default + first link": (
        "import nisba; nisba.Gazetteer.default(); nisba.link('Kadhimi met Qais al-Khazali in Erbil; وصل الكاظمي')"
    ),
}
RSS = (
    "import nisba, resource; nisba.link('Kadhimi met Qais al-Khazali in Erbil');"
    "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
)
PEER = "import rigour.names as n; n.pick_name(['Mustafa al-Kadhimi', 'Mustafa Kazimi'])"


def run(code: str) -> float:
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def median_time(code: str, n: int) -> float:
    run(code)  # warm the page cache
    return statistics.median(run(code) for _ in range(n))




def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="5 runs per measurement instead of 21")
    ap.add_argument("--json", metavar="OUT", help="write the rows as JSON (benches/report.py contract)")
    args = ap.parse_args()
    n = 5 if args.quick else 21
    rows = []
    bare = median_time("pass", n)
    print(f"bare interpreter start: {bare * 1000:.1f} ms (median of {n})\n")
    print(f"{'work (fresh process)':<34}{'ms over bare start':>20}")
    for name, code in WORK.items():
        ms = (median_time(code, n) - bare) * 1000
        print(f"{name:<34}{ms:>20.1f}")
        rows.append({"section": "cold start", "tool": "nisba", "metric": name, "value": round(ms, 2), "unit": "ms"})
    rss_kb = int(subprocess.run([sys.executable, "-c", RSS], check=True, capture_output=True, text=True).stdout)
    print(f"{'peak RSS after first link':<34}{rss_kb / 1024:>17.1f} MB")
    rows.append({"section": "cold start", "tool": "nisba", "metric": "peak RSS", "value": round(rss_kb / 1024, 1), "unit": "MB"})
    try:
        ms = (median_time(PEER, max(3, n // 4)) - bare) * 1000
        print(f"{'rigour: import + pick_name':<34}{ms:>20.1f}")
        rows.append({"section": "cold start", "tool": "rigour", "metric": "import + first call", "value": round(ms, 2), "unit": "ms"})
    except subprocess.CalledProcessError:
        print(f"{'rigour':<34}{'skipped (not installed)':>20}")
        rows.append({"section": "cold start", "tool": "rigour", "metric": "skipped", "value": 0.0, "unit": ""})

    import nisba

    gz = nisba.Gazetteer.default()
    meta = gz.metadata
    size = len(gz.to_bytes()) if hasattr(gz, "to_bytes") else None
    forms = meta.get("name_forms") or meta.get("forms")
    print(f"\ndefault gazetteer: {len(gz):,} entities" + (f", {forms:,} name forms" if forms else ""))
    rows.append({"section": "default gazetteer", "tool": "nisba", "metric": "entities", "value": len(gz), "unit": "count"})
    if forms:
        rows.append({"section": "default gazetteer", "tool": "nisba", "metric": "name forms", "value": forms, "unit": "count"})
    if size:
        print(f"file size {size / 1e6:.1f} MB" + (f", {size / forms:.1f} bytes per name form" if forms else ""))
        rows.append({"section": "default gazetteer", "tool": "nisba", "metric": "file size", "value": size, "unit": "bytes"})
    write_json(args.json, "Cold start: fresh process to first link on the embedded default gazetteer", rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
