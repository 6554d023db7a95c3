"""nisba: resolve the many spellings of Arabic-origin names and find them in running text.

>>> import nisba
>>> nisba.normalize("إِرْبِيل")
'اربيل'
>>> [t.text for t in nisba.tokenize("Mustafa al-Kadhimi’s office")]
['Mustafa', 'al', 'Kadhimi', 'office']
"""

from __future__ import annotations

from nisba._native import Stem, Token, __version__, normalize, tokenize
from nisba.errors import (
    ConflictError,
    FormatError,
    InvalidInputError,
    NisbaError,
    NisbaIOError,
    ParseError,
    UnknownValueError,
    VersionError,
)

__all__ = [
    "__version__",
    "normalize",
    "tokenize",
    "Token",
    "Stem",
    "NisbaError",
    "InvalidInputError",
    "UnknownValueError",
    "ParseError",
    "FormatError",
    "VersionError",
    "ConflictError",
    "NisbaIOError",
]
