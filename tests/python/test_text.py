"""normalize and tokenize through the bindings, on the fixtures shared with cargo test."""

from __future__ import annotations

import threading

import pytest

import nisba
from conftest import read_tsv

NORMALIZE = read_tsv("normalize.tsv")
TOKENIZE = read_tsv("tokenize.tsv")


def test_fixture_sizes():
    assert len(NORMALIZE) >= 80 and len(TOKENIZE) >= 40


@pytest.mark.parametrize("line,cells", NORMALIZE, ids=[str(n) for n, _ in NORMALIZE])
def test_normalize_table(line, cells):
    assert nisba.normalize(cells[0]) == cells[1], f"line {line}"


def _split(cell: str) -> list[str]:
    return [] if not cell.strip() else cell.split(" | ")


@pytest.mark.parametrize("line,cells", TOKENIZE, ids=[str(n) for n, _ in TOKENIZE])
def test_tokenize_table(line, cells):
    text = cells[0]
    tokens = nisba.tokenize(text)
    assert [t.text for t in tokens] == _split(cells[1])
    assert [t.norm for t in tokens] == _split(cells[2])
    for t in tokens:
        assert text[t.start : t.end] == t.text
        for s in t.stems:
            assert text[s.start : s.end] == s.text
    checks = cells[3].split() if len(cells) > 3 else []
    for check in checks:
        what, idx, *arg = check.split(":", 2)
        t = tokens[int(idx)]
        ok = {
            "article": lambda: t.article,
            "possessive": lambda: t.possessive,
            "cap": lambda: t.capitalized,
            "caps": lambda: t.all_caps,
            "script": lambda: t.script == arg[0],
            "stem": lambda: any(s.norm == arg[0] for s in t.stems),
            "nostems": lambda: not t.stems,
        }[what]()
        assert ok, f"line {line}: {check}"


@pytest.mark.parametrize(
    "text",
    [
        "Muṣṭafá al-Kāẓimī met Qays al-Khazʿali",
        "مصطفى الكاظمي وللكاظمي بالعراق",
        "The PM (مصطفى الكاظمي) visited Erbil/أربيل 😀👍🏽 today",
        "🇮🇶 Baghdad 🧕🏽 Baṣra e\u0301 إِرْبِيل",
        "\u200fالعراق\u200f and \u2067أربيل\u2069",
    ],
)
def test_offsets_are_code_points(text):
    tokens = nisba.tokenize(text)
    assert tokens
    for t in tokens:
        assert text[t.start : t.end] == t.text


def test_lone_surrogate_is_a_value_error():
    with pytest.raises(nisba.InvalidInputError) as info:
        nisba.tokenize("Kadhimi \ud800 Baghdad")
    assert isinstance(info.value, ValueError) and isinstance(info.value, nisba.NisbaError)
    with pytest.raises(ValueError):
        nisba.normalize("\udfff")


def test_empty_nul_and_large():
    assert nisba.tokenize("") == []
    assert nisba.normalize("") == ""
    assert [t.text for t in nisba.tokenize("a\x00b")] == ["a", "b"]
    big = "Mustafa al-Kadhimi مصطفى الكاظمي 😀 " * 300_000
    tokens = nisba.tokenize(big)
    assert len(tokens) == 5 * 300_000
    last = tokens[-1]
    assert big[last.start : last.end] == "الكاظمي"


def test_options_turn_folds_off():
    assert nisba.normalize("Kāẓimī", case_fold=False) == "Kazimi"
    assert nisba.normalize("Kāẓimī", latin_diacritics=False) == "kāẓimī"
    assert nisba.normalize("أَ", arabic_diacritics=False, arabic_letters=False) == "أَ"
    assert nisba.normalize("١٢", digits=False) == "١٢"


def test_results_are_frozen_values():
    a, b = nisba.tokenize("Erbil"), nisba.tokenize("Erbil")
    assert a == b and hash(a[0]) == hash(b[0])
    assert a[0].to_dict()["norm"] == "erbil"
    with pytest.raises(AttributeError):
        a[0].norm = "x"  # type: ignore[misc]
    assert "Erbil" in repr(a[0])


def test_threads_share_the_module():
    text = "Mustafa al-Kadhimi مصطفى الكاظمي " * 2000
    want = nisba.tokenize(text)
    results = []
    threads = [threading.Thread(target=lambda: results.append(nisba.tokenize(text))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(r == want for r in results)
