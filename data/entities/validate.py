#!/usr/bin/env python3
"""Validate the curated entity tables in data/entities/*.jsonl.

Usage: python3 data/entities/validate.py [DIR]   (DIR defaults to this file's directory)

Checks, per line: valid JSON object; the TEAM.md entity schema (id, name, kind, aliases, countries,
prior, description, source); curated id format `nisba:<per|org|loc>:<ascii-slug>` matching the kind;
no `qid` (curated entries have no source for one); ids unique across all files; each file sorted by
id; no alias repeated within an entry (nor equal to the name; a Persian and an Arabic spelling that
fold alike may both stay, tagged with their lang); no name/alias shared by two entities
unless every occurrence but one is marked weak. Entries without any Arabic-script name are listed as
warnings. Prints counts per file and per kind. Exit status 1 on any error, 0 otherwise (warnings do
not fail). Standard library only.
"""
from __future__ import annotations

import json
import re
import sys
import unicodedata
from collections import Counter, defaultdict
from pathlib import Path

KINDS = {"PER", "ORG", "LOC", "NAME", "OTHER"}
CURATED_KINDS = {"per": "PER", "org": "ORG", "loc": "LOC"}
ID_RE = re.compile(r"^nisba:(per|org|loc):[a-z0-9]+(?:-[a-z0-9]+)*$")
COUNTRY_RE = re.compile(r"^[A-Z]{2}$")
LANG_RE = re.compile(r"^[a-z]{2,3}$")
TOP_KEYS = {"id", "name", "kind", "aliases", "countries", "qid", "geonames_id", "prior", "population",
            "description", "source", "role"}
ALIAS_KEYS = {"name", "lang", "script", "weak"}
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
HARAKAT = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # short vowels, shadda, sukun, dagger alif, tatweel
ARABIC_FOLD = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه", "ؤ": "و",
                             "ئ": "ي", "ک": "ك", "ی": "ي", "ە": "ه",
                             "\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u02bf": "'", "\u02be": "'",
                             "\u2013": "-", "\u2014": "-", "\u2010": "-", "\u2011": "-"})
PRIOR_RANGE = (0.3, 1.0)


def fold(text: str) -> str:
    """Comparison key: casefold, strip Latin diacritics and harakat, unify Arabic letter variants."""
    text = unicodedata.normalize("NFKC", text).translate(ARABIC_FOLD)
    text = HARAKAT.sub("", text)
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return " ".join(text.casefold().split())


def alias_parts(alias):
    """(name, weak, lang) of a string or object alias, or None when malformed."""
    if isinstance(alias, str):
        return alias, False, None
    if isinstance(alias, dict) and isinstance(alias.get("name"), str):
        return alias["name"], bool(alias.get("weak", False)), alias.get("lang")
    return None


def check_entry(entry: dict, where: str, errors: list[str]) -> None:
    """Append schema errors of one entry to `errors`."""
    unknown = set(entry) - TOP_KEYS
    if unknown:
        errors.append(f"{where}: unknown keys {sorted(unknown)}")
    for key in ("id", "name", "kind"):
        if not isinstance(entry.get(key), str) or not entry.get(key, "").strip():
            errors.append(f"{where}: missing or empty {key!r}")
    ident, kind = entry.get("id", ""), entry.get("kind")
    if kind not in KINDS:
        errors.append(f"{where}: kind {kind!r} not in {sorted(KINDS)}")
    m = ID_RE.match(ident) if isinstance(ident, str) else None
    if not m:
        errors.append(f"{where}: id {ident!r} is not nisba:<per|org|loc>:<ascii-slug>")
    elif CURATED_KINDS[m.group(1)] != kind:
        errors.append(f"{where}: id prefix {m.group(1)!r} does not match kind {kind!r}")
    if "qid" in entry:
        errors.append(f"{where}: curated entries carry no qid (no source file for it)")
    aliases = entry.get("aliases", [])
    if not isinstance(aliases, list):
        errors.append(f"{where}: aliases must be a list")
        aliases = []
    for alias in aliases:
        parts = alias_parts(alias)
        if parts is None:
            errors.append(f"{where}: malformed alias {alias!r}")
            continue
        if isinstance(alias, dict):
            if set(alias) - ALIAS_KEYS:
                errors.append(f"{where}: alias {alias!r} has unknown keys")
            if "weak" in alias and not isinstance(alias["weak"], bool):
                errors.append(f"{where}: alias {alias!r} weak must be a boolean")
            if alias.get("lang") is not None and not LANG_RE.match(str(alias["lang"])):
                errors.append(f"{where}: alias {alias!r} has a bad lang code")
        name = parts[0]
        if not name.strip() or name != name.strip() or "  " in name:
            errors.append(f"{where}: alias {name!r} is empty or has stray whitespace")
        if ARABIC_SCRIPT.search(name) and not parts[2]:
            errors.append(f"{where}: Arabic-script alias {name!r} needs a lang")
    countries = entry.get("countries", [])
    if not isinstance(countries, list) or not all(
            isinstance(c, str) and COUNTRY_RE.match(c) for c in countries):
        errors.append(f"{where}: countries must be ISO 3166-1 alpha-2 codes, got {countries!r}")
    elif len(set(countries)) != len(countries):
        errors.append(f"{where}: repeated country code")
    prior = entry.get("prior")
    if prior is not None and (not isinstance(prior, (int, float)) or isinstance(prior, bool)
                              or not PRIOR_RANGE[0] <= prior <= PRIOR_RANGE[1]):
        errors.append(f"{where}: prior {prior!r} outside {PRIOR_RANGE}")
    if not isinstance(entry.get("description"), str) or not entry["description"].strip():
        errors.append(f"{where}: missing description")
    if entry.get("source") != "nisba-curated":
        errors.append(f"{where}: source must be 'nisba-curated'")


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    files = sorted(root.glob("*.jsonl"))
    if not files:
        print(f"no *.jsonl under {root}", file=sys.stderr)
        return 1
    errors: list[str] = []
    no_arabic: list[str] = []
    seen_ids: dict[str, str] = {}
    # folded surface form -> list of (entity id, weak)
    surfaces: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    counts: Counter = Counter()
    kinds: Counter = Counter()
    for path in files:
        ids_in_order = []
        for lineno, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            where = f"{path.name}:{lineno}"
            if not line.strip():
                errors.append(f"{where}: blank line")
                continue
            try:
                entry = json.loads(line)
            except json.JSONDecodeError as exc:
                errors.append(f"{where}: invalid JSON: {exc}")
                continue
            if not isinstance(entry, dict):
                errors.append(f"{where}: not a JSON object")
                continue
            check_entry(entry, where, errors)
            ident = entry.get("id", "")
            where = f"{where} {ident}"
            if ident in seen_ids:
                errors.append(f"{where}: duplicate id (also in {seen_ids[ident]})")
            seen_ids[ident] = where
            ids_in_order.append(ident)
            counts[path.name] += 1
            kinds[entry.get("kind")] += 1
            names = [(entry.get("name", ""), False, None)]
            for alias in entry.get("aliases", []) if isinstance(entry.get("aliases"), list) else []:
                parts = alias_parts(alias)
                if parts:
                    names.append(parts)
            local: dict[str, str] = {}
            for name, weak, lang in names:
                # A Persian and an Arabic spelling that fold alike are both kept: they differ in
                # display form (ی/ي, ک/ك) and carry their language; any other repeat is an error.
                key = fold(name)
                if (key, lang) in local:
                    errors.append(f"{where}: alias {name!r} repeats {local[(key, lang)]!r}")
                    continue
                local[(key, lang)] = name
                if all(owner != ident for owner, _ in surfaces[key]):
                    surfaces[key].append((ident, weak))
            if not any(ARABIC_SCRIPT.search(n) for n, _, _ in names):
                no_arabic.append(f"{where} ({entry.get('name')})")
        if ids_in_order != sorted(ids_in_order):
            errors.append(f"{path.name}: lines are not sorted by id")
    conflicts = []
    for key, owners in sorted(surfaces.items()):
        strong = sorted({i for i, weak in owners if not weak})
        if len(strong) > 1:
            conflicts.append(f"{key!r}: strong alias of {', '.join(strong)}")
    errors.extend(f"alias conflict {c}" for c in conflicts)
    shared_weak = sum(1 for owners in surfaces.values() if len({i for i, _ in owners}) > 1)

    for warning in no_arabic:
        print(f"warning: no Arabic-script name: {warning}")
    for error in errors:
        print(f"error: {error}")
    width = max(len(name) for name in counts) if counts else 0
    for name in sorted(counts):
        print(f"{name:<{width}}  {counts[name]:>5}")
    print(f"{'total':<{width}}  {sum(counts.values()):>5}  "
          + "  ".join(f"{k}={v}" for k, v in sorted(kinds.items())))
    print(f"surface forms: {len(surfaces)}; shared (ambiguous, weak) forms: {shared_weak}; "
          f"entries without Arabic script: {len(no_arabic)}; errors: {len(errors)}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
