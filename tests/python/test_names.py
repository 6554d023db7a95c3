"""Stage 2 through the bindings, on the fixtures shared with cargo test (data/test/*.tsv)."""

from __future__ import annotations

import pytest

import nisba
from conftest import read_tsv

TRANSLIT = read_tsv("translit.tsv")
KEYS = read_tsv("keys.tsv")
VARIANTS = read_tsv("variants.tsv")
NAMES = read_tsv("names.tsv")


def _ids(rows):
    return [str(n) for n, _ in rows]


@pytest.mark.parametrize("line,cells", TRANSLIT, ids=_ids(TRANSLIT))
def test_translit_table(line, cells):
    text, scheme, want = cells[:3]
    if scheme == "to-arabic":
        assert nisba.to_arabic(text, limit=5)[0][0] == want, f"line {line}"
    else:
        assert nisba.transliterate(text, scheme) == want, f"line {line}"


@pytest.mark.parametrize("line,cells", KEYS, ids=_ids(KEYS))
def test_keys_table(line, cells):
    kind, names = cells[0], cells[1].split(" | ")
    tier = "strict" if "strict" in kind else "loose"
    keys = {nisba.key(n, tier=tier) for n in names}
    if kind.startswith("not-"):
        assert len(keys) == len(names), f"line {line}: {keys}"
    else:
        assert len(keys) == 1, f"line {line}: {keys}"


@pytest.mark.parametrize("line,cells", VARIANTS, ids=_ids(VARIANTS))
def test_variants_table(line, cells):
    text, region, variant, rule, max_rank = cells[:5]
    got = nisba.variants(text, limit=50, region=None if region == "-" else region)
    found = [i for i, v in enumerate(got) if v.text.lower() == variant.lower()]
    if int(max_rank) == 0:
        assert not found, f"line {line}"
        return
    assert found and found[0] < int(max_rank), f"line {line}: {[v.text for v in got[:10]]}"
    if rule != "-":
        assert rule in got[found[0]].rules, f"line {line}: {got[found[0]].rules}"


def _part(p) -> str:
    particle = f"({p.particle})" if p.particle else ""
    return f"{p.role}{particle}{'+' if p.article else ''}:{p.norm}"


@pytest.mark.parametrize("line,cells", NAMES, ids=_ids(NAMES))
def test_names_table(line, cells):
    parts = nisba.parse_name(cells[0])
    assert " | ".join(_part(p) for p in parts) == cells[1], f"line {line}"
    for p in parts:
        assert cells[0][p.start : p.end] == p.text


def test_translit_options_and_errors():
    assert nisba.transliterate("مصطفى الكاظمي", detail=True)[1] in {"lexicon", "rules", "mixed"}
    bw = nisba.transliterate("مُحَمَّد", "buckwalter")
    assert nisba.transliterate(bw, "buckwalter", reverse=True) == "مُحَمَّد"
    with pytest.raises(nisba.UnknownValueError):
        nisba.transliterate("x", "klingon")
    with pytest.raises(ValueError):
        nisba.variants("Kadhimi", region="atlantis")
    assert nisba.transliterate("") == "" and nisba.variants("") == []
    assert nisba.transliterate_batch(["قيس", "محمد"]) == [nisba.transliterate("قيس"), nisba.transliterate("محمد")]


@pytest.mark.parametrize("threads", [None, 1, 2])
def test_transliterate_batch_threads_equal_serial(threads):
    texts = [cells[0] for _, cells in TRANSLIT if cells[1] in ("simple", "ala-lc")]
    want = [nisba.transliterate(t) for t in texts]
    assert nisba.transliterate_batch(texts, threads=threads) == want
