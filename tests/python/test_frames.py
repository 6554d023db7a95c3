"""link_frame and resolve_frame on pandas and polars: same type back, nulls, empty frames, odd indexes."""

from __future__ import annotations

import subprocess
import sys

import pytest

import nisba

TEXTS = [
    "Mustafa al-Kadhimi met Qais al-Khazali in Erbil.",
    None,
    "وصل الكاظمي إلى بغداد 😀 ثم أربيل",
    "",
    "no names here",
    "🇮🇶 Protests in Basra; al-Sadr’s movement said.",
]
NAMES = ["Mostafa al-Kazemi", None, "أربيل", "Erbil", "Erbil", "xqzv", "قيس الخزعلي"]
LONG_COLUMNS = ["row", "start", "end", "text", "id", "name", "kind", "score"]


def expected_mentions(texts, rows):
    out = []
    for row, t in zip(rows, texts):
        if isinstance(t, str):
            out += [(row, m.start, m.end, m.text, m.id, m.name, m.kind) for m in nisba.link(t)]
    return out


def test_import_nisba_does_not_import_frame_libraries():
    code = "import sys, nisba; nisba.link('Erbil'); print(sorted(m for m in ('pandas','polars','spacy','dask','pyspark') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_not_a_frame():
    with pytest.raises(TypeError):
        nisba.link_frame(["a list"])
    with pytest.raises(TypeError):
        nisba.resolve_frame({"name": ["Erbil"]})


# --- pandas -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "index",
    [None, [10, 20, 30, 40, 50, 60], ["a", "b", "c", "d", "e", "f"], [5, 4, 3, 2, 1, 0]],
    ids=["range", "ints", "strings", "reversed"],
)
def test_link_frame_pandas(index):
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": TEXTS, "other": range(len(TEXTS))}, index=index)
    out = nisba.link_frame(df)
    assert isinstance(out, pd.DataFrame) and list(out.columns) == LONG_COLUMNS
    rows = list(df.index)
    got = [tuple(r) for r in out[LONG_COLUMNS[:-1]].itertuples(index=False)]
    assert got == expected_mentions(TEXTS, rows)
    assert out["start"].dtype == "int64" and out["score"].dtype == "float64"
    for r in out.itertuples(index=False):
        assert df.loc[r.row, "text"][r.start : r.end] == r.text
    # the Series form gives the same frame; a custom column name works
    pd.testing.assert_frame_equal(nisba.link_frame(df["text"]), out)
    pd.testing.assert_frame_equal(nisba.link_frame(df.rename(columns={"text": "body"}), "body"), out)


@pytest.mark.parametrize("null", [None, float("nan"), "NA"])
def test_link_frame_pandas_nulls(null):
    pd = pytest.importorskip("pandas")
    null = pd.NA if null == "NA" else null
    df = pd.DataFrame({"text": pd.Series(["Erbil", null, "Basra"], dtype="object")})
    out = nisba.link_frame(df)
    assert list(out["row"]) == [0, 2] and list(out["text"]) == ["Erbil", "Basra"]
    df2 = pd.DataFrame({"text": pd.Series(["Erbil", None], dtype="string")})
    assert list(nisba.link_frame(df2)["row"]) == [0]


def test_link_frame_pandas_empty_and_errors():
    pd = pytest.importorskip("pandas")
    out = nisba.link_frame(pd.DataFrame({"text": pd.Series([], dtype=object)}))
    assert list(out.columns) == LONG_COLUMNS and len(out) == 0
    assert out["start"].dtype == "int64" and out["score"].dtype == "float64"
    with pytest.raises(KeyError):
        nisba.link_frame(pd.DataFrame({"body": ["Erbil"]}))
    with pytest.raises(TypeError):
        nisba.link_frame(pd.DataFrame({"text": ["Erbil", 3]}))
    with pytest.raises(TypeError):
        nisba.link_frame(pd.DataFrame({"text": ["Erbil"]}), linker=nisba.Linker(), kinds=["LOC"])


def test_link_frame_options_and_threads():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"text": TEXTS * 20})
    base = nisba.link_frame(df)
    pd.testing.assert_frame_equal(nisba.link_frame(df, threads=1), base)
    pd.testing.assert_frame_equal(nisba.link_frame(df, threads=2), base)
    locs = nisba.link_frame(df, kinds=["LOC"])
    assert set(locs["kind"]) == {"LOC"}
    pd.testing.assert_frame_equal(nisba.link_frame(df, linker=nisba.Linker(kinds=["LOC"])), locs)


def test_resolve_frame_pandas():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"name": NAMES, "n": range(len(NAMES))}, index=list("abcdefg"))
    out = nisba.resolve_frame(df)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == ["name", "n", "nisba_id", "nisba_name", "nisba_kind", "nisba_score"]
    assert list(out.index) == list(df.index)
    pd.testing.assert_frame_equal(out[["name", "n"]], df)  # the input is kept as it was
    gz = nisba.Gazetteer.default()
    for label, name in zip(df.index, NAMES):
        best = gz.resolve(name, limit=1) if isinstance(name, str) else []
        row = out.loc[label]
        if best:
            assert (row.nisba_id, row.nisba_name, row.nisba_kind) == (best[0].id, best[0].name, best[0].kind)
            assert row.nisba_score == pytest.approx(best[0].score)
        else:
            assert row.nisba_id is None and pd.isna(row.nisba_score)
    assert df.columns.tolist() == ["name", "n"]  # not modified in place


def test_resolve_frame_pandas_options():
    pd = pytest.importorskip("pandas")
    df = pd.DataFrame({"who": ["Erbil", "Mostafa al-Kazemi", float("nan")]})
    out = nisba.resolve_frame(df, "who", kind="PER", score_cutoff=0.5, prefix="")
    assert list(out.columns) == ["who", "id", "name", "kind", "score"]
    assert out["kind"].tolist()[1] == "PER" and all(k in (None, "PER") for k in out["kind"])
    with pytest.raises(ValueError):
        nisba.resolve_frame(pd.DataFrame({"name": ["Erbil"]}), prefix="")
    with pytest.raises(ValueError):
        nisba.resolve_frame(df, "who", kind="PLANET")
    empty = nisba.resolve_frame(pd.DataFrame({"name": pd.Series([], dtype=object)}))
    assert len(empty) == 0 and "nisba_id" in empty.columns


# --- polars -----------------------------------------------------------------------------------------

def test_link_frame_polars():
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"text": TEXTS, "other": list(range(len(TEXTS)))})
    out = nisba.link_frame(df)
    assert isinstance(out, pl.DataFrame) and out.columns == LONG_COLUMNS
    got = [tuple(r[:-1]) for r in out.iter_rows()]
    assert got == expected_mentions(TEXTS, range(len(TEXTS)))
    assert out.schema["start"] == pl.Int64 and out.schema["score"] == pl.Float64
    assert nisba.link_frame(df.get_column("text")).equals(out)
    empty = nisba.link_frame(pl.DataFrame({"text": pl.Series([], dtype=pl.Utf8)}))
    assert empty.columns == LONG_COLUMNS and empty.height == 0


def test_resolve_frame_polars():
    pl = pytest.importorskip("polars")
    df = pl.DataFrame({"name": NAMES})
    out = nisba.resolve_frame(df)
    assert isinstance(out, pl.DataFrame)
    assert out.columns == ["name", "nisba_id", "nisba_name", "nisba_kind", "nisba_score"]
    assert out.get_column("name").to_list() == NAMES
    ids = out.get_column("nisba_id").to_list()
    gz = nisba.Gazetteer.default()
    assert ids[0] == gz.resolve(NAMES[0], limit=1)[0].id and ids[1] is None
    assert ids[3] == ids[4]
    assert out.schema["nisba_score"] == pl.Float64
    empty = nisba.resolve_frame(pl.DataFrame({"name": pl.Series([], dtype=pl.Utf8)}))
    assert empty.height == 0 and "nisba_kind" in empty.columns


def test_document_to_frame_backends():
    pd = pytest.importorskip("pandas")
    pl = pytest.importorskip("polars")
    doc = nisba.annotate(TEXTS[0])
    a, b = doc.to_frame(), doc.to_frame("polars")
    assert isinstance(a, pd.DataFrame) and isinstance(b, pl.DataFrame)
    assert a["text"].tolist() == b.get_column("text").to_list() == [m.text for m in doc.mentions]
    with pytest.raises(ValueError):
        doc.to_frame("excel")
