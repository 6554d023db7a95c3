"""A linked text for notebooks: :class:`Document`, returned by ``Linker.annotate`` and ``nisba.annotate``."""

from __future__ import annotations

# `import typing` costs milliseconds at `import nisba`: names for annotations only.
TYPE_CHECKING = False
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Iterator, Sequence

    from nisba._native import Mention

# One colour per kind, light enough for black text in both Latin and Arabic script.
KIND_COLOURS = {
    "PER": "#ffd8a8",
    "ORG": "#b2f2bb",
    "LOC": "#a5d8ff",
    "NAME": "#eebefa",
    "OTHER": "#e9ecef",
}


class Document:
    """A text and the mentions found in it, shown with the mentions highlighted in Jupyter.

    Offsets are code points, so ``doc.text[m.start:m.end] == m.text`` for every mention.

    >>> import nisba
    >>> doc = nisba.annotate("Talks in Erbil with Mustafa al-Kadhimi.")
    >>> doc
    Document(text='Talks in Erbil with Mustafa al-Kadhimi.', mentions=2)
    >>> [(m.text, m.kind) for m in doc]
    [('Erbil', 'LOC'), ('Mustafa al-Kadhimi', 'PER')]
    >>> 'title="Mustafa al-Kadhimi' in doc._repr_html_()
    True
    """

    __slots__ = ("_text", "_mentions")

    def __init__(self, text: str, mentions: Sequence[Mention]) -> None:
        self._text = text
        self._mentions = tuple(sorted(mentions, key=lambda m: (m.start, -m.end)))
        for m in self._mentions:
            if not (0 <= m.start <= m.end <= len(text)) or text[m.start : m.end] != m.text:
                raise ValueError(f"mention {m!r} does not point into the text")

    @property
    def text(self) -> str:
        """The text that was linked."""
        return self._text

    @property
    def mentions(self) -> list[Mention]:
        """The mentions, in text order."""
        return list(self._mentions)

    def __len__(self) -> int:
        return len(self._mentions)

    def __iter__(self) -> Iterator[Mention]:
        return iter(self._mentions)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Document):
            return NotImplemented
        return self._text == other._text and self._mentions == other._mentions

    def __hash__(self) -> int:
        return hash((self._text, self._mentions))

    def __repr__(self) -> str:
        shown = self._text if len(self._text) <= 60 else self._text[:57] + "..."
        return f"Document(text={shown!r}, mentions={len(self._mentions)})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Document, (self._text, list(self._mentions)))

    def to_dict(self) -> dict[str, Any]:
        """``{"text": ..., "mentions": [mention.to_dict(), ...]}`` (JSON-ready)."""
        return {"text": self._text, "mentions": [m.to_dict() for m in self._mentions]}

    def to_frame(self, backend: str = "pandas") -> Any:
        """The mentions as a DataFrame (``backend="pandas"`` or ``"polars"``): start, end, text, id, name,
        kind, score."""
        from nisba._frames import mention_columns, to_backend

        return to_backend(mention_columns(self._mentions), backend)

    def _repr_html_(self) -> str:
        """The text with each mention highlighted by kind; hovering shows the canonical name, id and score."""
        import html  # only when rendering (keeps `import nisba` fast)

        parts = []
        cursor = 0
        for m in self._mentions:
            if m.start < cursor:  # overlapping mentions are not drawn twice
                continue
            parts.append(html.escape(self._text[cursor : m.start]))
            parts.append(_mark(m))
            cursor = m.end
        parts.append(html.escape(self._text[cursor:]))
        kinds = sorted({m.kind for m in self._mentions})
        legend = " ".join(
            f'<span style="background:{KIND_COLOURS.get(k, "#e9ecef")};padding:0 .4em;'
            f'border-radius:.3em">{html.escape(k)}</span>'
            for k in kinds
        )
        count = len(self._mentions)
        footer = f"{count} mention{'s' if count != 1 else ''}" + (f" &middot; {legend}" if legend else "")
        return (
            '<div class="nisba-document" style="line-height:2.2;font-size:1em;margin-bottom:.8em">'
            f'<div dir="auto" style="unicode-bidi:plaintext;white-space:pre-wrap">{"".join(parts)}</div>'
            f'<div style="font-size:.8em;color:#666;margin-top:.4em">{footer}</div>'
            "</div>"
        )


def _mark(m: Mention) -> str:
    import html  # only when rendering (keeps `import nisba` fast)

    colour = KIND_COLOURS.get(m.kind, KIND_COLOURS["OTHER"])
    if m.id:
        tip = f"{m.name}\n{m.id}\n{m.kind} · score {m.score:.2f}"
        border = ""
    else:
        tip = f"unlinked (suggested: {m.name})\n{m.kind} · score {m.score:.2f}"
        border = "border:1px dashed #868e96;"
    label = html.escape(m.kind)
    return (
        f'<bdi><mark class="nisba-mention nisba-{label.lower()}" data-id="{html.escape(m.id or "")}" '
        f'title="{html.escape(tip)}" style="background:{colour};{border}padding:.15em .3em;'
        f'border-radius:.35em;cursor:help">{html.escape(m.text)}'
        f'<span style="font-size:.65em;font-weight:bold;margin-inline-start:.35em;vertical-align:middle;'
        f'opacity:.7">{label}</span></mark></bdi>'
    )
