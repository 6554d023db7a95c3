"""Dask helpers (extra ``nisba[dask]``): link a text column across a cluster.

Tasks carry the gazetteer's *path*, never its bytes: each worker process memory-maps the file once and
reuses its :class:`nisba.Linker` for every partition it receives (see ``nisba._workers``). With
``gazetteer_path=None`` workers use the embedded default gazetteer, which costs nothing to open.

    import dask.dataframe as dd, nisba.dask
    ddf = dd.read_parquet("news/*.parquet")
    mentions = nisba.dask.link_frame(ddf, "text", gazetteer_path="/data/iraq.nisba")  # long, lazy
    mentions.to_parquet("mentions/")
    per_row = nisba.dask.link_series(ddf["text"])  # one list of Mention per row, same index
"""

from __future__ import annotations

import os
from typing import Any

import dask.dataframe as dd
import pandas as pd

from nisba._frames import LINK_COLUMNS, to_backend
from nisba._workers import link_pandas, worker_linker

__all__ = ["link_series", "link_frame"]


def _link_partition(
    part: pd.Series, gazetteer_path: str | None, threads: int | None, options: dict[str, Any]
) -> pd.Series:
    linker = worker_linker(gazetteer_path, **options)
    values = part.tolist()
    idx = [i for i, v in enumerate(values) if isinstance(v, str)]
    found = linker.link_batch([values[i] for i in idx], threads=threads) if idx else []
    out: list[Any] = [[] for _ in values]
    for i, mentions in zip(idx, found):
        out[i] = mentions
    return pd.Series(out, index=part.index, name=part.name, dtype=object)


def link_series(
    series: dd.Series,
    gazetteer_path: str | os.PathLike[str] | None = None,
    *,
    threads: int | None = 1,
    **options: Any,
) -> dd.Series:
    """A lazy Series of ``list[Mention]``, one per input row, with the input's index and partitions.

    Nulls get an empty list. ``threads`` is per task (default 1: Dask already runs one task per worker
    thread); ``options`` are :class:`nisba.Linker` keywords (``score_cutoff``, ``kinds``…).
    """
    path = os.fspath(gazetteer_path) if gazetteer_path is not None else None
    meta = pd.Series([], dtype=object, name=series.name)
    return series.map_partitions(_link_partition, path, threads, options, meta=meta)


def link_frame(
    ddf: dd.DataFrame,
    column: str = "text",
    gazetteer_path: str | os.PathLike[str] | None = None,
    *,
    threads: int | None = 1,
    **options: Any,
) -> dd.DataFrame:
    """:func:`nisba.link_frame` over every partition: a lazy long frame (row, start, end, text, id, name,
    kind, score), ``row`` being the input's index label."""
    path = os.fspath(gazetteer_path) if gazetteer_path is not None else None
    index_meta = ddf._meta.index
    meta = to_backend({c: [] for c in LINK_COLUMNS}, "pandas", row_values=index_meta)
    return ddf.map_partitions(link_pandas, column, path, threads, options, meta=meta)
