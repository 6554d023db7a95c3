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
    Candidate,
    Comparison,
    Linker,
    Mention,
    compare,
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
from nisba._document import Document
from nisba._frames import link_frame, resolve_frame
from nisba import errors
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

from nisba._frames import _default_linker


def link(text: str) -> list[Mention]:
    """Link ``text`` with a shared :class:`Linker` on the embedded default gazetteer.

    >>> text = "Protesters marched in Baghdad and Erbil."
    >>> [(m.text, m.kind) for m in link(text)]
    [('Baghdad', 'LOC'), ('Erbil', 'LOC')]
    """
    return _default_linker().link(text)


def annotate(text: str) -> Document:
    """:func:`link` as a :class:`Document`, which a notebook shows with the mentions highlighted.

    >>> annotate("Protesters marched in Baghdad.").mentions[0].name
    'Baghdad'
    """
    return _default_linker().annotate(text)


def __getattr__(name: str) -> object:
    # nisba.dask and nisba.spark import their engines, so they load on first use, not with nisba.
    if name in ("dask", "spark", "spacy"):
        import importlib

        return importlib.import_module(f"nisba.{name}")
    raise AttributeError(f"module 'nisba' has no attribute {name!r}")


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
    "compare",
    "Comparison",
    "Candidate",
    "Linker",
    "Mention",
    "link",
    "annotate",
    "Document",
    "link_frame",
    "resolve_frame",
]
__all__ += errors.__all__
