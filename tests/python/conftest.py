"""Shared pytest fixtures: the table fixtures in data/test/, read the same way as the Rust tests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parents[2] / "data" / "test"
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\t")


def unescape(cell: str) -> str:
    """Decode the fixtures' ``\\uXXXX`` and ``\\t`` escapes."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)) if m.group(1) else "\t", cell)


def read_tsv(name: str) -> list[tuple[int, list[str]]]:
    """Rows of a TSV fixture as (line number, cells), skipping ``#`` comment lines."""
    rows = []
    text = (DATA / name).read_text(encoding="utf-8")
    for i, line in enumerate(text.split("\n"), start=1):
        if line.startswith("#") or (line == "" and i == len(text.split("\n"))):
            continue
        rows.append((i, [unescape(c) for c in line.split("\t")]))
    return rows


@pytest.fixture(scope="session")
def tsv():
    """The fixture reader, as a pytest fixture."""
    return read_tsv
