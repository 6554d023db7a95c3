"""Every result class pickles by value, hashes consistently with ==, and crosses process boundaries
(multiprocessing spawn and fork pools)."""

from __future__ import annotations

import copy
import multiprocessing
import pickle
import sys

import pytest

import nisba

TEXT = "Mustafa al-Kadhimi met Qais al-Khazali in Erbil; وصل الكاظمي إلى بغداد 😀"


def _examples() -> dict[str, list[object]]:
    gz = nisba.Gazetteer.default()
    tokens = nisba.tokenize("وللكاظمي Mustafa al-Kadhimi’s 2024 😀")
    return {
        "Token": tokens,
        "Stem": [s for t in tokens for s in t.stems],
        "Variant": nisba.variants("Kadhimi", limit=5),
        "NamePart": nisba.parse_name("Sheikh Abu Bakr bin Abd al-Rahman al-Baghdadi"),
        "Entity": [gz.lookup("Erbil")[0], gz["nisba:per:mustafa-al-kadhimi"]],
        "Comparison": [nisba.compare("Qais al-Khazali", "Qays al-Khaz'ali"), nisba.compare("a", "b")],
        "Candidate": gz.resolve("Mostafa Kazemi", limit=3),
        "Mention": nisba.link(TEXT),
        "Document": [nisba.annotate(TEXT), nisba.annotate("")],
    }


EXAMPLES = _examples()
CASES = [(kind, i) for kind, values in EXAMPLES.items() for i in range(len(values))]


def test_every_class_has_examples():
    for kind, values in EXAMPLES.items():
        assert values, kind
        assert all(type(v).__name__ == kind for v in values), kind


@pytest.mark.parametrize("kind,i", CASES)
def test_pickle_round_trip_equal_and_hash(kind, i):
    value = EXAMPLES[kind][i]
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        back = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert type(back) is type(value)
        assert back == value and not (back != value)
        assert back.to_dict() == value.to_dict()
        assert repr(back) == repr(value)
        assert hash(back) == hash(value)
    assert copy.deepcopy(value) == value
    assert len({value, pickle.loads(pickle.dumps(value))}) == 1


@pytest.mark.parametrize("kind", sorted(EXAMPLES))
def test_distinct_values_are_unequal(kind):
    values = EXAMPLES[kind]
    if len(values) > 1:
        assert values[0] != values[1]


@pytest.mark.parametrize(
    "build,error",
    [
        (lambda: nisba.Token(0, 1, "a", "a", False, False, "klingon", False, False, []), ValueError),
        (lambda: nisba.NamePart("x", "x", "emperor", False, None, 0, 1), ValueError),
        (lambda: nisba.Candidate("Q1", "X", "PLANET", 0.5, "X", []), ValueError),
        (lambda: nisba.Entity("Q1", "X", "PLANET"), ValueError),
        (lambda: nisba.Token(0, 1, "a", "a", False, False, "latin", False, False, ["not a stem"]), TypeError),
    ],
)
def test_constructors_reject_bad_values(build, error):
    with pytest.raises(error):
        build()


def test_entity_constructor_keywords():
    e = nisba.Entity("Q1", "Erbil", "loc", aliases=["Arbil"], countries=["IQ"], population=5)
    assert (e.kind, e.aliases, e.countries, e.population, e.qid) == ("LOC", ["Arbil"], ["IQ"], 5, None)


def _roundtrip(values: list[object]) -> list[object]:
    """Runs in the child: returns what it got plus fresh results computed there."""
    return [values, nisba.link(TEXT), nisba.Gazetteer.default().resolve("Erbil", limit=1)]


def _parallel_calls(n: int) -> list[object]:
    """Runs in the child: every call that uses Rust threads (rayon) must work after fork too."""
    b = nisba.GazetteerBuilder()
    b.add("x:1", "Zubair Field", kind="LOC")
    return [
        nisba.Linker().link_batch([TEXT] * n),
        nisba.Linker().link_batch([TEXT] * n, threads=2),
        nisba.Gazetteer.default().resolve_batch(["Erbil", "قيس الخزعلي"] * n, limit=1),
        nisba.transliterate_batch(["بغداد"] * n),
        len(b.build()),
    ]


def _methods() -> list[str]:
    methods = ["spawn"]
    if sys.platform != "win32":
        methods.append("fork")
    return methods


@pytest.mark.parametrize("method", _methods())
def test_multiprocessing_pool(method):
    ctx = multiprocessing.get_context(method)
    payload = [v for values in EXAMPLES.values() for v in values]
    linker = nisba.Linker(kinds=["PER", "LOC"])
    want = _parallel_calls(20)  # the parent's rayon pool is running before the fork
    with ctx.Pool(2) as pool:
        got = pool.map_async(_roundtrip, [payload, payload]).get(timeout=120)
        linked = pool.map_async(linker.link, [TEXT, "Protests in Basra and Mosul."]).get(timeout=120)
        parallel = pool.map_async(_parallel_calls, [20, 20]).get(timeout=120)
    assert parallel == [want, want]
    for values, mentions, candidates in got:
        assert values == payload
        assert mentions == nisba.link(TEXT)
        assert candidates == nisba.Gazetteer.default().resolve("Erbil", limit=1)
    assert linked == [linker.link(TEXT), linker.link("Protests in Basra and Mosul.")]
