"""Exceptions raised by nisba.

Every error is a :class:`NisbaError`. Errors caused by the caller's input also subclass
:class:`ValueError`; errors reading or writing files also subclass :class:`OSError`, so code that already
catches those keeps working.

>>> import nisba
>>> issubclass(nisba.InvalidInputError, ValueError)
True
"""

from __future__ import annotations

__all__ = [
    "NisbaError",
    "InvalidInputError",
    "UnknownValueError",
    "ParseError",
    "FormatError",
    "VersionError",
    "ConflictError",
    "NisbaIOError",
]


class NisbaError(Exception):
    """Base class of every nisba error."""


class InvalidInputError(NisbaError, ValueError):
    """The input is not acceptable (e.g. a ``str`` holding a lone surrogate)."""


class UnknownValueError(InvalidInputError):
    """An unknown name for a closed set: a scheme, a kind, a region, a source format."""


class ParseError(NisbaError, ValueError):
    """A record in a source file could not be parsed; the message names the file and line."""


class FormatError(NisbaError, ValueError):
    """A file or byte buffer is not a valid nisba gazetteer (bad magic, truncated, checksum…)."""


class VersionError(FormatError):
    """A gazetteer was written by an incompatible format, key or normaliser version."""


class ConflictError(NisbaError, ValueError):
    """The same entity id was given twice with conflicting data."""


class NisbaIOError(NisbaError, OSError):
    """Reading or writing a file failed."""
