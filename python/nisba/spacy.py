"""spaCy pipeline component (extra ``nisba[spacy]``), registered as the ``"nisba"`` factory.

    import spacy
    nlp = spacy.blank("en")
    nlp.add_pipe("nisba", config={"policy": "keep", "kinds": ["PER", "LOC"]})
    doc = nlp("Kadhimi met the PMF in Erbil.")
    [(e.text, e.label_, e.kb_id_, round(e._.nisba_score, 2)) for e in doc.ents]

Each mention becomes an entity span (``doc.char_span`` with ``alignment_mode``; mentions that do not
fall on token boundaries in ``"strict"`` mode are dropped), labelled by ``labels`` (nisba kind → spaCy
label, e.g. ``{"PER": "PERSON"}``), with ``kb_id_`` the entity id, ``ent._.nisba_score`` the score and
``ent._.nisba_name`` the canonical name. ``policy`` says what happens to entities already on the doc:

- ``"keep"`` (default): existing entities stay; nisba's are added where they overlap none of them;
- ``"override"``: nisba's entities win; existing ones stay where they overlap none of nisba's;
- ``"replace"``: existing entities are dropped.
"""

# No `from __future__ import annotations`: spaCy validates the factory config from live type hints.
from typing import Any, Dict, Iterable, Iterator, List, Optional

from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from nisba._native import Mention
from nisba._workers import worker_linker

__all__ = ["NisbaComponent", "make_nisba", "POLICIES"]

POLICIES = ("keep", "override", "replace")
ALIGNMENT_MODES = ("strict", "contract", "expand")

for _name in ("nisba_score", "nisba_name"):
    if not Span.has_extension(_name):
        Span.set_extension(_name, default=None)


class NisbaComponent:
    """Sets ``doc.ents`` from nisba's linker (see the module docs for the options)."""

    def __init__(
        self,
        nlp: Language,
        name: str = "nisba",
        *,
        gazetteer_path: Optional[str] = None,
        score_cutoff: float = 0.5,
        kinds: Optional[List[str]] = None,
        policy: str = "keep",
        alignment_mode: str = "expand",
        labels: Optional[Dict[str, str]] = None,
        batch_size: int = 256,
    ) -> None:
        if policy not in POLICIES:
            raise ValueError(f"policy must be one of {POLICIES}, got {policy!r}")
        if alignment_mode not in ALIGNMENT_MODES:
            raise ValueError(f"alignment_mode must be one of {ALIGNMENT_MODES}, got {alignment_mode!r}")
        self.name = name
        self.policy = policy
        self.alignment_mode = alignment_mode
        self.labels = dict(labels or {})
        self.batch_size = batch_size
        options: Dict[str, Any] = {"score_cutoff": score_cutoff}
        if kinds is not None:
            options["kinds"] = list(kinds)
        self.linker = worker_linker(gazetteer_path, **options)

    def __call__(self, doc: Doc) -> Doc:
        return self._set_ents(doc, self.linker.link(doc.text))

    def pipe(self, stream: Iterable[Doc], batch_size: Optional[int] = None) -> Iterator[Doc]:
        """Link docs in batches (one parallel Rust call per batch)."""
        size = batch_size or self.batch_size
        batch: List[Doc] = []
        for doc in stream:
            batch.append(doc)
            if len(batch) >= size:
                yield from self._run(batch)
                batch = []
        if batch:
            yield from self._run(batch)

    def _run(self, docs: List[Doc]) -> Iterator[Doc]:
        found = self.linker.link_batch([d.text for d in docs])
        for doc, mentions in zip(docs, found):
            yield self._set_ents(doc, mentions)

    def _spans(self, doc: Doc, mentions: List[Mention]) -> List[Span]:
        spans = []
        for m in mentions:
            label = self.labels.get(m.kind, m.kind)
            span = doc.char_span(m.start, m.end, label=label, kb_id=m.id or "", alignment_mode=self.alignment_mode)
            if span is None:
                continue
            span._.nisba_score = float(m.score)
            span._.nisba_name = m.name
            spans.append(span)
        return filter_spans(spans)

    def _set_ents(self, doc: Doc, mentions: List[Mention]) -> Doc:
        ours = self._spans(doc, mentions)
        existing = list(doc.ents)
        if self.policy == "replace" or not existing:
            doc.ents = ours
        elif self.policy == "keep":
            doc.ents = existing + [s for s in ours if not _overlaps(s, existing)]
        else:  # override
            doc.ents = ours + [e for e in existing if not _overlaps(e, ours)]
        return doc


def _overlaps(span: Span, others: List[Span]) -> bool:
    return any(span.start < o.end and o.start < span.end for o in others)


@Language.factory(
    "nisba",
    default_config={
        "gazetteer_path": None,
        "score_cutoff": 0.5,
        "kinds": None,
        "policy": "keep",
        "alignment_mode": "expand",
        "labels": {},
        "batch_size": 256,
    },
)
def make_nisba(
    nlp: Language,
    name: str,
    gazetteer_path: Optional[str],
    score_cutoff: float,
    kinds: Optional[List[str]],
    policy: str,
    alignment_mode: str,
    labels: Dict[str, str],
    batch_size: int,
) -> NisbaComponent:
    """The ``"nisba"`` factory behind ``nlp.add_pipe("nisba", config={...})``."""
    return NisbaComponent(
        nlp,
        name,
        gazetteer_path=gazetteer_path,
        score_cutoff=score_cutoff,
        kinds=kinds,
        policy=policy,
        alignment_mode=alignment_mode,
        labels=labels,
        batch_size=batch_size,
    )
