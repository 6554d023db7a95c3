"""Per-process linkers for scale-out workers (Dask, Spark, multiprocessing).

A task ships only a gazetteer *path* and the linker options; the worker process memory-maps the file
the first time it sees that path and keeps the :class:`Linker` for every later partition. The map is
shared by all tasks of the process, so opening costs once per worker, not once per partition.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from nisba._native import Gazetteer, Linker

_LOCK = threading.Lock()
_LINKERS: dict[tuple[Any, ...], Linker] = {}
_OPENED: dict[str, int] = {}


def _options_key(options: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in options.items()))


def worker_linker(gazetteer_path: str | os.PathLike[str] | None, **options: Any) -> Linker:
    """The process's :class:`Linker` for this gazetteer file (the embedded default when None) and options."""
    path = os.fspath(gazetteer_path) if gazetteer_path is not None else None
    key = (path, _options_key(options))
    linker = _LINKERS.get(key)
    if linker is None:
        with _LOCK:
            linker = _LINKERS.get(key)
            if linker is None:
                gz = None
                if path is not None:
                    gz = _gazetteer(path)
                linker = Linker(gz, **options)
                _LINKERS[key] = linker
    return linker


_GAZETTEERS: dict[str, Gazetteer] = {}


def _gazetteer(path: str) -> Gazetteer:
    gz = _GAZETTEERS.get(path)
    if gz is None:
        gz = Gazetteer.open(path)
        _GAZETTEERS[path] = gz
        _OPENED[path] = _OPENED.get(path, 0) + 1
    return gz


def opened() -> dict[str, int]:
    """How many times this process opened each gazetteer path (tests check it is once)."""
    return dict(_OPENED)


def link_pandas(
    frame: Any,
    column: str,
    gazetteer_path: str | os.PathLike[str] | None,
    threads: int | None,
    options: dict[str, Any],
) -> Any:
    """:func:`nisba.link_frame` on one pandas partition with the process's cached linker."""
    from nisba._frames import link_frame

    return link_frame(frame, column, linker=worker_linker(gazetteer_path, **options), threads=threads)
