#!/usr/bin/env bash
# Compiles the embedded default gazetteer data/default.nisba from the committed tables.
# Reproducible: the build time is pinned, so the same tables give the same bytes.
# Usage: bash data/build_default.sh   (from the repository root; needs cargo)
set -euo pipefail
cd "$(dirname "$0")/.."
export SOURCE_DATE_EPOCH=1763856000
cargo run --quiet --release --features cli -- build --from jsonl -q \
  data/entities/*.jsonl data/countries/countries.jsonl data/places/subdivisions.jsonl \
  data/places/cities.jsonl data/places/press_spellings.jsonl data/persons/full_names.jsonl data/names/name_parts.jsonl -o data/default.nisba
