"""Linker.annotate / nisba.annotate and the Document's HTML."""

from __future__ import annotations

import html
import re

import pytest

import nisba

TEXTS = [
    "Mustafa al-Kadhimi met Qais al-Khazali in Erbil.",
    "وصل الكاظمي إلى بغداد، وقال مسؤولون في أربيل إن الحشد الشعبي لم يعلق.",
    "<script>alert('Erbil')</script> & \"Basra\" 😀",
    "",
]


@pytest.mark.parametrize("text", TEXTS)
def test_annotate_matches_link(text):
    linker = nisba.Linker()
    doc = linker.annotate(text)
    assert isinstance(doc, nisba.Document)
    assert doc.text == text and doc.mentions == linker.link(text) and len(doc) == len(doc.mentions)
    assert nisba.annotate(text) == doc
    assert doc.to_dict() == {"text": text, "mentions": [m.to_dict() for m in doc.mentions]}
    for m in doc:
        assert text[m.start : m.end] == m.text


@pytest.mark.parametrize("text", TEXTS)
def test_html_is_escaped_text_plus_marks(text):
    doc = nisba.annotate(text)
    page = doc._repr_html_()
    body = re.search(r'<div dir="auto"[^>]*>(.*?)</div>', page, re.S).group(1)
    # removing the labels and tags gives back the escaped text exactly
    visible = re.sub(r"<span[^>]*>[A-Z]+</span>", "", body)
    visible = re.sub(r"<[^>]+>", "", visible)
    assert html.unescape(visible) == text
    assert "<script>" not in page
    assert page.count("<mark") == len(doc.mentions)
    for m in doc.mentions:
        assert f'title="{html.escape(m.name)}' in page and html.escape(m.id) in page


def test_html_tooltip_and_unlinked():
    doc = nisba.Linker(include_unlinked=True).annotate("Kadhimi met Zzyzx Qwertyuiop in Erbil.")
    page = doc._repr_html_()
    assert "nisba-per" in page and "nisba-loc" in page and "score 0." in page
    if any(not m.id for m in doc.mentions):
        assert "unlinked" in page and "dashed" in page


def test_document_rejects_foreign_mentions():
    m = nisba.link("Erbil")[0]
    with pytest.raises(ValueError):
        nisba.Document("Basra", [m])
