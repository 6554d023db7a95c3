"""pandas and polars helpers: :func:`link_frame` and :func:`resolve_frame`.

Neither library is imported by ``import nisba``: the frame's own module tells which one it is, and that
library is imported only when a frame arrives. pandas in, pandas out; polars in, polars out.
"""

from __future__ import annotations

import math

# `import typing` costs milliseconds at `import nisba`: names for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterable, Sequence

    from nisba._native import Gazetteer, Linker, Mention

MENTION_COLUMNS = ("start", "end", "text", "id", "name", "kind", "score")
LINK_COLUMNS = ("row",) + MENTION_COLUMNS
RESOLVE_FIELDS = ("id", "name", "kind", "score")


def _library(obj: Any) -> str:
    """``"pandas"`` or ``"polars"`` from the object's type, without importing either."""
    module = type(obj).__module__.split(".")[0]
    if module in ("pandas", "polars"):
        return module
    raise TypeError(f"expected a pandas or polars DataFrame or Series, got {type(obj).__name__}")


def _is_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    # pandas.NA and NaT: their truth value raises or they compare unequal to themselves
    return type(value).__name__ in ("NAType", "NaTType")


def _texts(values: Iterable[Any], column: str) -> tuple[list[int], list[str]]:
    """Positions and values of the non-null cells; a cell that is neither null nor a string is an error."""
    positions, texts = [], []
    for i, v in enumerate(values):
        if _is_null(v):
            continue
        if not isinstance(v, str):
            raise TypeError(f"column {column!r} row {i}: expected str or null, got {type(v).__name__}")
        positions.append(i)
        texts.append(v)
    return positions, texts


def mention_columns(mentions: Iterable[Mention]) -> dict[str, list[Any]]:
    """Column lists (start, end, text, id, name, kind, score) for mentions."""
    cols: dict[str, list[Any]] = {c: [] for c in MENTION_COLUMNS}
    for m in mentions:
        cols["start"].append(m.start)
        cols["end"].append(m.end)
        cols["text"].append(m.text)
        cols["id"].append(m.id)
        cols["name"].append(m.name)
        cols["kind"].append(m.kind)
        cols["score"].append(float(m.score))
    return cols


def to_backend(cols: dict[str, list[Any]], backend: str, row_values: Sequence[Any] | None = None) -> Any:
    """A pandas or polars frame from column lists, with stable dtypes even when empty."""
    if backend == "pandas":
        import pandas as pd

        data: dict[str, Any] = {}
        for name, values in cols.items():
            if name in ("row",) and row_values is not None:
                data[name] = pd.Series(values, dtype=getattr(row_values, "dtype", None))
            elif name in ("start", "end"):
                data[name] = pd.Series(values, dtype="int64")
            elif name == "score":
                data[name] = pd.Series(values, dtype="float64")
            else:
                data[name] = pd.Series(values, dtype="object")
        return pd.DataFrame(data, columns=list(cols))
    if backend == "polars":
        import polars as pl

        types = {"row": pl.Int64, "start": pl.Int64, "end": pl.Int64, "score": pl.Float64}
        schema = {name: types.get(name, pl.Utf8) for name in cols}
        return pl.DataFrame(cols, schema=schema)
    raise ValueError(f"unknown backend {backend!r}: expected 'pandas' or 'polars'")


def _column_values(df: Any, column: str, library: str) -> tuple[list[Any], Any]:
    """The cells of ``column`` (or of the Series itself) and the pandas index labels (None for polars)."""
    if library == "pandas":
        import pandas as pd

        series = df if isinstance(df, pd.Series) else df[column]
        return series.tolist(), series.index
    import polars as pl

    series = df if isinstance(df, pl.Series) else df.get_column(column)
    return series.to_list(), None


def link_frame(
    df: Any,
    column: str = "text",
    *,
    linker: Linker | None = None,
    threads: int | None = None,
    **linker_options: Any,
) -> Any:
    """Link every text of a column; one row per mention: row, start, end, text, id, name, kind, score.

    ``row`` is the input row's index label for pandas (so ``df.join(out.set_index("row"))`` works with
    any index) and its position for polars. Null cells (None, NaN, pd.NA) have no mentions. A pandas or
    polars Series may be passed instead of a frame. ``linker_options`` (``score_cutoff``, ``kinds``,
    ``include_unlinked``, ``fuzzy``) build a :class:`Linker` on the default gazetteer when ``linker`` is
    None. Texts are linked in parallel in Rust (``threads`` caps the threads).

    >>> import pandas as pd, nisba
    >>> df = pd.DataFrame({"text": ["Talks in Erbil.", None, "Kadhimi flew to Basra."]}, index=[10, 11, 12])
    >>> nisba.link_frame(df)[["row", "start", "end", "text", "kind"]]
       row  start  end     text kind
    0   10      9   14    Erbil  LOC
    1   12      0    7  Kadhimi  PER
    2   12     16   21    Basra  LOC
    """
    from nisba._native import Linker as _Linker

    library = _library(df)
    if linker is None:
        linker = _default_linker() if not linker_options else _Linker(**linker_options)
    elif linker_options:
        raise TypeError(f"pass either linker= or linker options, not both: {sorted(linker_options)}")
    values, index = _column_values(df, column, library)
    positions, texts = _texts(values, column)
    found = linker.link_batch(texts, threads=threads) if texts else []
    cols: dict[str, list[Any]] = {c: [] for c in LINK_COLUMNS}
    labels = list(index) if index is not None else None
    for pos, mentions in zip(positions, found):
        row = labels[pos] if labels is not None else pos
        part = mention_columns(mentions)
        cols["row"].extend([row] * len(mentions))
        for c in MENTION_COLUMNS:
            cols[c].extend(part[c])
    return to_backend(cols, library, row_values=index)


def resolve_frame(
    df: Any,
    column: str = "name",
    *,
    gazetteer: Gazetteer | None = None,
    score_cutoff: float = 0.0,
    kind: str | None = None,
    country: str | None = None,
    prefix: str = "nisba_",
) -> Any:
    """The input frame plus the best entity for each name: ``{prefix}id``, ``name``, ``kind``, ``score``.

    The prefix keeps the default ``name`` column apart from the canonical ``nisba_name``; ``prefix=""``
    gives bare ``id, name, kind, score`` and is refused when one of them is already a column. Nulls and
    names with no candidate above ``score_cutoff`` get nulls. Each distinct name is resolved once, in
    parallel in Rust. The index (pandas) and row order are kept.

    >>> import pandas as pd, nisba
    >>> df = pd.DataFrame({"name": ["Mostafa al-Kazemi", "أربيل", None]})
    >>> out = nisba.resolve_frame(df)
    >>> out.columns.tolist()
    ['name', 'nisba_id', 'nisba_name', 'nisba_kind', 'nisba_score']
    >>> out["nisba_name"].tolist(), out["nisba_kind"].tolist()
    (['Mustafa al-Kadhimi', 'Erbil', None], ['PER', 'LOC', None])
    """
    from nisba._native import Gazetteer as _Gazetteer

    library = _library(df)
    gz = gazetteer if gazetteer is not None else _Gazetteer.default()
    values, _ = _column_values(df, column, library)
    positions, names = _texts(values, column)
    unique = list(dict.fromkeys(names))
    best = {}
    if unique:
        found = gz.resolve_batch(unique, limit=1, score_cutoff=score_cutoff, kind=kind, country=country)
        best = {n: cs[0] for n, cs in zip(unique, found) if cs}
    n = len(values)
    out: dict[str, list[Any]] = {f: [None] * n for f in RESOLVE_FIELDS}
    for pos, name in zip(positions, names):
        c = best.get(name)
        if c is not None:
            out["id"][pos], out["name"][pos], out["kind"][pos] = c.id, c.name, c.kind
            out["score"][pos] = float(c.score)
    new_names = {f: prefix + f for f in RESOLVE_FIELDS}
    existing = set(df.columns) if hasattr(df, "columns") else {getattr(df, "name", None) or column}
    clash = sorted(set(new_names.values()) & existing)
    if clash:
        raise ValueError(f"resolve_frame would overwrite column(s) {clash}: choose another prefix=")

    if library == "pandas":
        import pandas as pd

        result = df.to_frame() if isinstance(df, pd.Series) else df.copy()
        for f in RESOLVE_FIELDS:
            dtype = "float64" if f == "score" else "object"
            result[new_names[f]] = pd.Series(out[f], index=result.index, dtype=dtype)
        return result
    import polars as pl

    result = df.to_frame() if isinstance(df, pl.Series) else df
    return result.with_columns(
        [
            pl.Series(new_names[f], out[f], dtype=pl.Float64 if f == "score" else pl.Utf8)
            for f in RESOLVE_FIELDS
        ]
    )


_LINKER: Linker | None = None


def _default_linker() -> Linker:
    global _LINKER
    if _LINKER is None:
        from nisba._native import Linker as _Linker

        _LINKER = _Linker()
    return _LINKER
