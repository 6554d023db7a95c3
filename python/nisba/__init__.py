"""nisba: resolve the many spellings of Arabic-origin names and find them in running text.

>>> import nisba
>>> nisba.normalize("إِرْبِيل")
'اربيل'
>>> [t.text for t in nisba.tokenize("Mustafa al-Kadhimi’s office")]
['Mustafa', 'al', 'Kadhimi', 'office']
>>> nisba.key("al-Kadhimi") == nisba.key("Kazimi") == nisba.key("الكاظمي")
True
>>> nisba.transliterate("مصطفى الكاظمي", "ala-lc")
'Muṣṭafá al-Kāẓimī'
>>> nisba.Gazetteer.default().lookup("أربيل")[0].name
'Erbil'
"""

from __future__ import annotations

from nisba._native import (
    Entity,
    Gazetteer,
    GazetteerBuilder,
    NamePart,
    Stem,
    Token,
    Variant,
    __version__,
    key,
    normalize,
    parse_name,
    to_arabic,
    tokenize,
    transliterate,
    transliterate_batch,
    variants,
)
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
    "transliterate",
    "transliterate_batch",
    "to_arabic",
    "variants",
    "Variant",
    "key",
    "parse_name",
    "NamePart",
    "Gazetteer",
    "GazetteerBuilder",
    "Entity",
    "NisbaError",
    "InvalidInputError",
    "UnknownValueError",
    "ParseError",
    "FormatError",
    "VersionError",
    "ConflictError",
    "NisbaIOError",
]
