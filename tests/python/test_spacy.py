"""The spaCy component (extra nisba[spacy]) on spacy.blank("en"): no model download."""

from __future__ import annotations

import pytest

spacy = pytest.importorskip("spacy")

import nisba  # noqa: E402

TEXTS = [
    "Mustafa al-Kadhimi met Qais al-Khazali in Erbil.",
    "وصل الكاظمي إلى بغداد، وقال مسؤولون في أربيل إن الحشد الشعبي لم يعلق.",
    "Protests in Basra 😀 and Mosul on Sunday.",
    "",
]


def blank(**config):
    nlp = spacy.blank("en")
    nlp.add_pipe("nisba", config=config)  # found through the spacy_factories entry point
    return nlp


@pytest.mark.parametrize("text", TEXTS)
def test_entities_match_nisba_offsets(text):
    nlp = blank(alignment_mode="strict")
    doc = nlp(text)
    mentions = nisba.link(text)
    got = [(e.start_char, e.end_char, e.text, e.label_, e.kb_id_) for e in doc.ents]
    want = [(m.start, m.end, m.text, m.kind, m.id) for m in mentions]
    # every entity is one of nisba's mentions, at nisba's code-point offsets
    assert set(got) <= set(want)
    if text.startswith("Mustafa"):
        assert got == want
    for e in doc.ents:
        m = next(m for m in mentions if (m.start, m.end) == (e.start_char, e.end_char))
        assert e._.nisba_score == pytest.approx(m.score) and e._.nisba_name == m.name


def test_pipe_equals_call_and_labels():
    nlp = blank(labels={"PER": "PERSON", "LOC": "GPE"})
    docs = list(nlp.pipe(TEXTS * 3, batch_size=4))
    singles = [nlp(t) for t in TEXTS * 3]
    key = lambda d: [(e.start_char, e.end_char, e.label_, e.kb_id_) for e in d.ents]  # noqa: E731
    assert [key(d) for d in docs] == [key(d) for d in singles]
    assert {e.label_ for e in docs[0].ents} <= {"PERSON", "GPE", "ORG"}


def _with_existing(policy):
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns([{"label": "EVENT", "pattern": "Erbil"}, {"label": "DATE", "pattern": "Sunday"}])
    nlp.add_pipe("nisba", config={"policy": policy})
    return nlp("Kadhimi flew to Erbil on Sunday.")


@pytest.mark.parametrize(
    "policy,expected",
    [
        ("keep", [("Kadhimi", "PER"), ("Erbil", "EVENT"), ("Sunday", "DATE")]),
        ("override", [("Kadhimi", "PER"), ("Erbil", "LOC"), ("Sunday", "DATE")]),
        ("replace", [("Kadhimi", "PER"), ("Erbil", "LOC")]),
    ],
)
def test_merge_policies(policy, expected):
    doc = _with_existing(policy)
    assert [(e.text, e.label_) for e in doc.ents] == expected


def test_bad_config_and_kinds(tmp_path):
    with pytest.raises(ValueError):
        blank(policy="sometimes")
    with pytest.raises(ValueError):
        blank(alignment_mode="loose")
    nlp = blank(kinds=["LOC"], score_cutoff=0.3)
    assert {e.label_ for e in nlp(TEXTS[0]).ents} == {"LOC"}
    # a custom gazetteer file by path
    b = nisba.GazetteerBuilder()
    b.add("x:1", "Zubair Field", kind="LOC", aliases=["al-Zubayr field"])
    path = tmp_path / "g.nisba"
    b.write(path)
    doc = blank(gazetteer_path=str(path))("Work resumed at Zubair Field today.")
    assert [(e.text, e.kb_id_) for e in doc.ents] == [("Zubair Field", "x:1")]


def test_saved_pipeline_reloads(tmp_path):
    nlp = blank(kinds=["LOC"], policy="override")
    nlp.to_disk(tmp_path / "pipe")
    again = spacy.load(tmp_path / "pipe")
    assert again.get_pipe("nisba").policy == "override"
    text = TEXTS[0]
    assert [(e.text, e.kb_id_) for e in again(text).ents] == [(e.text, e.kb_id_) for e in nlp(text).ents]
