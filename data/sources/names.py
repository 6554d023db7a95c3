"""Build data/names/name_parts.jsonl: name-part entities (kind NAME) from the name lexicon.

Sources (both already pinned and extracted by data/sources/lexicon.py / common.fetch):

* ``data/lexicon/units.tsv`` and ``data/lexicon/heldout.tsv`` — normalised Arabic name parts with the
  Latin spellings attested for them, counts, majority role and countries (arabic-name-romanizer==0.2.0
  ``units`` table, MIT code / CC0 data, plus rigour==2.6.1 pairs; see lexicon.py).
* ``rigour==2.6.1`` ``rust/data/names/person_names.txt`` (MIT) — Wikidata name items,
  ``spelling, spelling, ... => Qid``; the only source of the QIDs written here.

Rules
  * one entity per Arabic name part, keyed by its normalised form with the article removed
    (الكاظمي and كاظمي are one name: Kadhimi, al-Kadhimi, Kazemi, Kazimi);
  * kept when its spellings are attested at least MIN_COUNT times in all (rarer parts add size, not
    recall: the transliteration rules and keys already cover them);
  * every Latin spelling with the article also gives its bare form (al-Kadhimi → Kadhimi, same count);
    spellings differing only in case are one;
  * name: the most attested Latin spelling without the article (ties: fewest non-ASCII, shortest,
    code-point order), title-cased as attested; aliases: the other Latin spellings (at most
    MAX_LATIN, most attested first), the bare Arabic form, and the article form when attested;
    rigour's ASCII spellings of the same Arabic form are added as Latin spellings (count 1);
  * qid: the rigour item whose Arabic spelling is the bare form, else the article form; several
    items → the one with most spellings, then the lowest number; none → no qid;
  * role: "given" or "family" when at least 75% of the attestations say so, else "any";
  * countries: up to three, most attested first; prior: clamp(log10(count) / 3, 0, 1) × 0.3 (name parts
    are weak evidence of any particular entity);
  * id ``name:<sha1(bare Arabic form)[:12]>`` (independent of row order).

Run through build_tables.py.
"""

from __future__ import annotations

import collections
import hashlib
import math
import re
import unicodedata

from common import DATA, alias_obj, fetch, finish_aliases, to_jsonl

OUT = "names/name_parts.jsonl"
MIN_COUNT = 3
MAX_LATIN = 10

HARAKAT = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
FOLD = str.maketrans(
    {
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ې": "ي", "ک": "ك", "ة": "ه",
        "ۀ": "ه", "ھ": "ه", "ؤ": "و", "ئ": "ي", "ە": "ه",
    }
)  # the same folding as lexicon.py (and nisba::normalize)
ARABIC_OK = re.compile("^[\u0621-\u064a\u067e\u0686\u0698\u06af\u06a4]+$")
LATIN_ARTICLE = re.compile(r"^(?:al|el|ul)[- ']", re.IGNORECASE)


def fold_arabic(s: str) -> str:
    return HARAKAT.sub("", unicodedata.normalize("NFC", s)).translate(FOLD).strip()


def bare(arabic: str) -> str:
    return arabic[2:].strip() if arabic.startswith("ال") and len(arabic) >= 4 else arabic


def read_units() -> list[tuple[str, str, int, str, list[str]]]:
    rows = []
    for name in ("units.tsv", "heldout.tsv"):
        for line in (DATA / "lexicon" / name).open(encoding="utf-8"):
            if line.startswith("#") or not line.strip():
                continue
            arabic, latin, count, role, countries = line.rstrip("\n").split("\t")
            # The lexicon keeps some forms with a stray leading space: collapse whitespace.
            arabic, latin = " ".join(arabic.split()), " ".join(latin.split())
            rows.append((arabic, latin, int(count), role, [c for c in countries.split(",") if c]))
    return rows


def read_rigour() -> dict[str, list[tuple[str, list[str]]]]:
    """Bare Arabic form → [(QID, ASCII spellings)] from rigour's Wikidata name items."""
    path = fetch("rigour") / "rigour-2.6.1" / "rust" / "data" / "names" / "person_names.txt"
    out: dict[str, list[tuple[str, list[str], bool]]] = collections.defaultdict(list)
    for line in path.open(encoding="utf-8"):
        if "=>" not in line:
            continue
        forms, qid = line.rsplit("=>", 1)
        qid = qid.strip()
        spellings = [s.strip() for s in forms.split(",") if s.strip()]
        latin = [s for s in spellings if re.fullmatch(r"[A-Za-z][A-Za-z' -]*[A-Za-z]", s)]
        for s in spellings:
            f = fold_arabic(s)
            if ARABIC_OK.match(f):
                out[bare(f)].append((qid, latin, f == bare(f)))
    return out


def pick_name(counts: dict[str, int]) -> str:
    return min(counts, key=lambda s: (-counts[s], sum(ord(c) > 127 for c in s), len(s), s))


def build() -> dict[str, str]:
    rigour = read_rigour()
    latin_counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    roles: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    countries: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    arabic_forms: dict[str, set[str]] = collections.defaultdict(set)
    for arabic, latin, count, role, ccs in read_units():
        b = bare(arabic)
        if len(b) < 2:
            continue
        arabic_forms[b].add(arabic)
        latin_counts[b][latin] += count
        roles[b][role] += count
        for cc in ccs:
            countries[b][cc] += count
    entities = []
    for b, counts in latin_counts.items():
        total = sum(counts.values())
        if total < MIN_COUNT:
            continue
        items = sorted(rigour.get(b, []), key=lambda t: (not t[2], -len(t[1]), int(t[0][1:]) if t[0][1:].isdigit() else 0))
        for _, spellings, _ in items:
            for s in spellings:
                key = s.lower()
                if not any(k.lower() == key for k in counts):
                    counts[s.title() if s.islower() else s] += 0
        # Every article form also gives its bare form (al-Kadhimi → Kadhimi); one spelling per lower-case form.
        merged: collections.Counter = collections.Counter()
        for s, c in counts.items():
            bare_latin = LATIN_ARTICLE.sub("", s)
            for form in {s, bare_latin[:1].upper() + bare_latin[1:]}:
                merged[form] += c
        by_lower: dict[str, str] = {}
        for s in sorted(merged, key=lambda s: (-merged[s], s)):
            by_lower.setdefault(s.lower(), s)
        counts = collections.Counter({s: merged[s] for s in by_lower.values()})
        # Name: the most attested spelling without the article; keep the article forms as aliases.
        no_article = {s: c for s, c in counts.items() if not LATIN_ARTICLE.match(s)} or dict(counts)
        name = pick_name(no_article)
        latin_aliases = sorted((s for s in counts if s != name), key=lambda s: (-counts[s], s))[:MAX_LATIN]
        aliases = [alias_obj(s) for s in latin_aliases]
        aliases += [alias_obj(a, "ar") for a in sorted(arabic_forms[b] | {b})]
        r = roles[b]
        given, family = r.get("given", 0), r.get("surname", 0)
        role = "given" if given >= 0.75 * total else "family" if family >= 0.75 * total else "any"
        e = {
            "id": "name:" + hashlib.sha1(b.encode("utf-8")).hexdigest()[:12],
            "kind": "NAME",
            "name": name,
            "aliases": finish_aliases(name, aliases),
            "role": role,
            "prior": round(min(1.0, max(0.0, math.log10(total) / 3)) * 0.3, 4),
        }
        ccs = [cc for cc, _ in sorted(countries[b].items(), key=lambda t: (-t[1], t[0]))[:3]]
        if ccs:
            e["countries"] = ccs
        if items:
            e["qid"] = items[0][0]
        entities.append(e)
    return {OUT: to_jsonl(entities)}
