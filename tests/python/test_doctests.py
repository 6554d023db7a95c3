"""Run the ``>>>`` examples in the installed package's docstrings (what users read is what works)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import nisba

MODULES = sorted(
    {"nisba"}
    | {f"nisba.{m.name}" for m in pkgutil.iter_modules(nisba.__path__) if m.name not in {"__main__"}}
)

OPTIONAL = {"nisba.dask": ["dask.dataframe"], "nisba.spark": ["pyspark", "pandas"], "nisba.spacy": ["spacy"]}


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name in OPTIONAL:  # nisba.dask, nisba.spark, nisba.spacy need their extras
        for dependency in OPTIONAL[name]:
            pytest.importorskip(dependency)
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
