"""Spark helpers (extra ``nisba[spark]``): link a text column with ``mapInPandas``.

Like ``nisba.dask``, only the gazetteer *path* travels with the task; each Python worker process
memory-maps the file once and keeps its :class:`nisba.Linker` for every batch (``nisba._workers``). The
path must be readable on every executor (a shared file system, or ``SparkContext.addFile`` +
``SparkFiles.get``). With ``gazetteer_path=None`` executors use the embedded default gazetteer.

    import nisba.spark
    mentions = nisba.spark.link_dataframe(sdf, "text", key="doc_id", gazetteer_path="/data/iraq.nisba")
    mentions.write.parquet("mentions/")
"""

from __future__ import annotations

import os
from typing import Any, Callable, Iterator

import pandas as pd

from nisba._frames import MENTION_COLUMNS
from nisba._workers import worker_linker

__all__ = ["MENTION_SCHEMA", "link_dataframe", "mention_mapper"]

#: The Spark schema (DDL) of the mention columns that :func:`link_dataframe` appends to the key.
MENTION_SCHEMA = "start long, end long, text string, id string, name string, kind string, score double"


def mention_mapper(
    column: str,
    key: str,
    gazetteer_path: str | os.PathLike[str] | None = None,
    *,
    threads: int | None = 1,
    **options: Any,
) -> Callable[[Iterator[pd.DataFrame]], Iterator[pd.DataFrame]]:
    """The function to hand to ``DataFrame.mapInPandas``: batches of (key, column) rows in, one row per
    mention out (key, start, end, text, id, name, kind, score). Usable without Spark too."""
    path = os.fspath(gazetteer_path) if gazetteer_path is not None else None

    def run(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        from nisba._frames import link_frame

        linker = worker_linker(path, **options)
        for batch in batches:
            frame = batch.set_index(key)[[column]] if key != column else batch[[column]]
            out = link_frame(frame, column, linker=linker, threads=threads)
            out = out.rename(columns={"row": key}) if key != "row" else out
            yield out[[key, *MENTION_COLUMNS]]

    return run


def link_dataframe(
    sdf: Any,
    column: str = "text",
    *,
    key: str | None = None,
    gazetteer_path: str | os.PathLike[str] | None = None,
    threads: int | None = 1,
    **options: Any,
) -> Any:
    """A Spark DataFrame with one row per mention: ``key``, start, end, text, id, name, kind, score.

    ``key`` names a column that identifies the input row (kept in the output so results join back);
    without one, a ``row`` column from ``monotonically_increasing_id()`` is added first. ``options`` are
    :class:`nisba.Linker` keywords; ``threads`` is per Python worker (default 1: Spark runs one per core).
    """
    from pyspark.sql import functions as F

    if key is None:
        key = "row"
        sdf = sdf.withColumn(key, F.monotonically_increasing_id())
    key_type = dict(sdf.dtypes)[key]
    schema = f"`{key}` {key_type}, {MENTION_SCHEMA}"
    mapper = mention_mapper(column, key, gazetteer_path, threads=threads, **options)
    return sdf.select(key, column).mapInPandas(mapper, schema)
