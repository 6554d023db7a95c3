"""compare, resolve and the linker through the bindings (own sentences; shared link fixture rows)."""

from __future__ import annotations

import pickle
import threading

import pytest

import nisba
from conftest import read_tsv

COMPARE = read_tsv("compare.tsv")
LINK = read_tsv("link.tsv")

TEXTS = [
    "Kadhimi met Qays al-Khazʿali in Erbil (أربيل) 😀 on Sunday.",
    "وصل الكاظمي إلى بغداد، وقال مسؤولون في أربيل إن الحشد الشعبي لم يعلق.",
    "🇮🇶 The PMF said Baghdad’s airport reopened; Mustafa al-Kadhimi’s office agreed.",
    "",
    "no names here at all, just words",
]


def test_compare_fixture_orders_same_above_different():
    same = [nisba.compare(c[0], c[1]).score for _, c in COMPARE if c[2] == "same"]
    diff = [nisba.compare(c[0], c[1]).score for _, c in COMPARE if c[2] == "different"]
    assert same and diff
    assert sum(same) / len(same) > sum(diff) / len(diff)
    c = nisba.compare("Qais al-Khazali", "قيس الخزعلي")
    assert 0.0 <= c.score <= 1.0 and c.explanation


def test_resolve_default():
    gz = nisba.Gazetteer.default()
    top = gz.resolve("Mostafa al-Kazemi", limit=5, kind="PER")
    assert "nisba:per:mustafa-al-kadhimi" in [c.id for c in top]
    assert all(c.kind == "PER" for c in top)
    assert gz.resolve("", limit=3) == [] and gz.resolve("...!") == []
    with pytest.raises(ValueError):
        gz.resolve("Erbil", kind="PLANET")
    batch = gz.resolve_batch(["Erbil", "قيس الخزعلي"], limit=1)
    assert [b[0].id for b in batch] == [gz.resolve("Erbil", limit=1)[0].id, gz.resolve("قيس الخزعلي", limit=1)[0].id]


@pytest.mark.parametrize("text", TEXTS)
def test_spans_are_code_points(text):
    for m in nisba.link(text):
        assert text[m.start : m.end] == m.text


def test_link_finds_variants_and_arabic():
    ids = {m.id for m in nisba.link(TEXTS[0])}
    assert {"nisba:per:mustafa-al-kadhimi", "nisba:per:qais-al-khazali", "geonames:95446"} <= ids
    arabic = {m.id for m in nisba.link(TEXTS[1])}
    assert {"nisba:per:mustafa-al-kadhimi", "geonames:98182", "nisba:org:popular-mobilization-forces"} <= arabic


def test_linker_options_batch_threads_and_pickle():
    linker = nisba.Linker(kinds=["LOC"])
    assert all(m.kind == "LOC" for m in linker.link(TEXTS[0]))
    serial = [nisba.Linker().link(t) for t in TEXTS]
    assert nisba.Linker().link_batch(TEXTS) == serial
    assert nisba.Linker().link_batch(TEXTS, threads=1) == serial
    again = pickle.loads(pickle.dumps(nisba.Linker(kinds=["LOC"])))
    assert again.link(TEXTS[0]) == linker.link(TEXTS[0])
    with pytest.raises(ValueError):
        nisba.Linker(kinds=["PLANET"])


def test_a_linker_keeps_its_caches_and_answers_the_same():
    # One Linker keeps its cross-document caches between calls: a warm linker must answer exactly as
    # fresh ones do, whatever it linked before, and link_batch as link does.
    warm = nisba.Linker()
    fresh = [nisba.Linker().link(t) for t in TEXTS]
    for _ in range(2):
        assert [warm.link(t) for t in TEXTS] == fresh
        assert warm.link_batch(TEXTS[::-1]) == fresh[::-1]


def test_four_threads_share_one_linker():
    linker = nisba.Linker()
    doc = " ".join(TEXTS) * 50
    want = linker.link(doc)
    out: list = []
    threads = [threading.Thread(target=lambda: out.append(linker.link(doc))) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(out) == 4 and all(r == want for r in out)


def test_custom_gazetteer_linker():
    b = nisba.GazetteerBuilder()
    b.add("x:1", "Harakat al-Nujaba", kind="ORG", aliases=["حركة النجباء"])
    linker = nisba.Linker(b.build())
    text = "A statement by Harakat al-Nujaba and حركة النجباء."
    assert [m.id for m in linker.link(text)] == ["x:1", "x:1"]
    with pytest.raises(ValueError):
        linker.link("bad \ud800 text")


def _link_in_worker(text: str):
    return nisba.link(text)


def test_mentions_pickle_and_cross_processes():
    import multiprocessing as mp

    ms = nisba.link(TEXTS[0])
    assert pickle.loads(pickle.dumps(ms)) == ms
    with mp.get_context("spawn").Pool(2) as pool:
        assert pool.map(_link_in_worker, [TEXTS[0], TEXTS[1]]) == [ms, nisba.link(TEXTS[1])]


@pytest.mark.parametrize("threads", [None, 1, 2])
def test_resolve_batch_threads_equal_serial(threads):
    gz = nisba.Gazetteer.default()
    names = ["Erbil", "قيس الخزعلي", "Mostafa Kazemi", "Hashd al-Shaabi", ""]
    want = [gz.resolve(n, limit=3) for n in names]
    assert gz.resolve_batch(names, limit=3, threads=threads) == want


def test_unlinked_names_have_no_id_and_a_suggested_spelling():
    gz = nisba.Gazetteer.default()
    linker = nisba.Linker(gz, include_unlinked=True)
    text = "Then Khalid Abdulqadir Zubaydawi arrived, and الشيخ خالد عبدالقادر spoke."
    mentions = linker.link(text)
    unlinked = [m for m in mentions if m.id is None]
    assert unlinked, mentions
    for m in mentions:
        assert text[m.start:m.end] == m.text
    arabic = [m for m in unlinked if not m.text.isascii()]
    assert arabic and arabic[0].name.isascii(), unlinked
    assert "id=None" in repr(unlinked[0])
    assert all(m.id is not None for m in nisba.Linker(gz).link(text))


@pytest.mark.parametrize("line,cells", LINK, ids=[str(line) for line, _ in LINK])
def test_link_fixture_through_the_bindings(line, cells):
    """The Rust table test's rows (data/test/link.tsv), with code-point offsets."""
    text, want = cells[0], [w for w in cells[1].split(" ;; ") if w]
    got = nisba.link(text)
    assert [f"{m.text}|{m.id}" for m in got] == want, f"line {line}: {text}"
    assert all(text[m.start : m.end] == m.text for m in got)


def test_cli_finds_a_name_straddling_a_piece_boundary(tmp_path):
    """`nisba link` cuts long lines into pieces; a name across the byte limit is still found whole."""
    import json
    import subprocess
    import sys

    filler = "the talks went on for hours and ended late without any statement at all " * 6
    line = filler + "Erbil International Airport" + " reopened, " + filler
    path = tmp_path / "in.txt"
    path.write_text(line + "\n", encoding="utf-8")
    at = line.index("Erbil International Airport")

    def rows(*extra):
        out = subprocess.run(
            [sys.executable, "-m", "nisba", "link", str(path), *extra],
            capture_output=True, text=True, check=True,
        ).stdout
        return [json.loads(r) for r in out.splitlines()]

    whole = rows()
    assert [r["text"] for r in whole] == ["Erbil International Airport"]
    for limit in (at + 3, at + 12, at + 20):
        assert rows(f"--max-piece-bytes={limit}") == whole
