"""Type stubs for the compiled module ``nisba._native``."""

from typing import Any, final

__all__ = ["Stem", "Token", "__version__", "normalize", "run_cli", "tokenize"]

__version__: str

@final
class Stem:
    """A candidate stem of an Arabic-script word behind its proclitics."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def norm(self) -> str: ...
    @property
    def proclitics(self) -> str: ...
    def to_dict(self) -> dict[str, Any]: ...

@final
class Token:
    """A word of the text, with code-point offsets into it."""

    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...
    @property
    def text(self) -> str: ...
    @property
    def norm(self) -> str: ...
    @property
    def capitalized(self) -> bool: ...
    @property
    def all_caps(self) -> bool: ...
    @property
    def script(self) -> str: ...
    @property
    def article(self) -> bool: ...
    @property
    def possessive(self) -> bool: ...
    @property
    def stems(self) -> list[Stem]: ...
    def to_dict(self) -> dict[str, Any]: ...

def normalize(
    text: str,
    *,
    case_fold: bool = True,
    latin_diacritics: bool = True,
    arabic_diacritics: bool = True,
    arabic_letters: bool = True,
    digits: bool = True,
    punctuation: bool = True,
) -> str: ...
def tokenize(
    text: str,
    *,
    case_fold: bool = True,
    latin_diacritics: bool = True,
    arabic_diacritics: bool = True,
    arabic_letters: bool = True,
    digits: bool = True,
    punctuation: bool = True,
) -> list[Token]: ...
def run_cli(argv: list[str]) -> int: ...
