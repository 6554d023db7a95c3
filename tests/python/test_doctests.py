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


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0
