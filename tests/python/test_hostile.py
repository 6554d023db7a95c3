"""Hostile input through the bindings and the CLI, fork after loading, threads versus serial.

Complements tests/hostile.rs (Rust): here the Python-only cases — lone surrogates, code-point offsets
on huge and odd strings, the console script streaming a million lines in bounded memory, and
``os.fork`` of a process that has already loaded the gazetteer and linker.
"""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
import threading
import time

import pytest

import nisba

NEWS = "Mustafa al-Kadhimi met Qais al-Khazali in Erbil; وصل الكاظمي إلى بغداد 😀 "


def _check(text: str, mentions) -> None:
    last = 0
    for m in mentions:
        assert last <= m.start <= m.end <= len(text)
        assert text[m.start : m.end] == m.text
        last = m.end


def _everything(text: str) -> None:
    """Every text entry point on one input: returns or raises a ValueError, never crashes."""
    _check(text, nisba.Linker().link(text))
    nisba.normalize(text)
    for t in nisba.tokenize(text):
        assert text[t.start : t.end] == t.text
    for scheme in ["ala-lc", "din", "buckwalter", "simple", "french"]:
        nisba.transliterate(text, scheme=scheme)
    head = text[:2000]
    nisba.variants(head, limit=10)
    nisba.to_arabic(head, limit=3)
    assert 0.0 <= nisba.compare(head, "Mustafa al-Kadhimi").score <= 1.0
    nisba.key(head)
    nisba.parse_name(head)


def test_long_single_line_offsets_are_code_points():
    text = NEWS * (1_000_000 // len(NEWS.encode()))  # ~1 MB, one line, emoji and Arabic
    t0 = time.perf_counter()
    mentions = nisba.Linker().link(text)
    assert time.perf_counter() - t0 < 300
    _check(text, mentions)
    assert len(mentions) >= 3 * (len(text) // len(NEWS))


@pytest.mark.parametrize(
    "text",
    [
        "\ud800",
        "Erbil \udfff Erbil",
        "الكاظمي\ud83d",
        "\udc80" * 1000,
    ],
    ids=["lone-high", "lone-low-in-text", "half-emoji", "many-low"],
)
def test_lone_surrogates_are_a_value_error(text):
    for call in [
        lambda: nisba.Linker().link(text),
        lambda: nisba.normalize(text),
        lambda: nisba.tokenize(text),
        lambda: nisba.transliterate(text, scheme="ala-lc"),
        lambda: nisba.variants(text),
        lambda: nisba.compare(text, "Erbil"),
        lambda: nisba.Gazetteer.default().resolve(text),
    ]:
        with pytest.raises(ValueError):
            call()
    # a batch with one bad text fails as a whole with ValueError, and the linker still works after
    with pytest.raises(ValueError):
        nisba.Linker().link_batch(["Erbil", text])
    assert [m.text for m in nisba.Linker().link("Erbil")] == ["Erbil"]


HOSTILE = {
    "nul": "Erbil\0الكاظمي\0" * 500,
    "bidi": "\u202eMustafa\u2066 al-Kadhimi\u2069\u200f في \u202bأربيل\u202c" * 500,
    "combining-flood": "a" + "\u0301" * 50_000 + " Erbil " + "ب" + "\u0651" * 50_000,
    "repeated-name": "Erbil " * 20_000,
    "repeated-particle": "al-" * 20_000 + "Kadhimi",
    "abu-chain": "Abu " * 10_000 + "Mahdi",
    "planes": "".join(chr(cp) for cp in range(0, 0x110000, 97) if not 0xD800 <= cp <= 0xDFFF),
    "astral-names": "\U0001f1ee\U0001f1f6Erbil\U000e0001الكاظمي\U0010ffff" * 300,
    "controls": "".join(chr(c) for c in range(32)) * 300 + "Erbil",
    "giant-word": "Kadhimi" * 30_000,
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_text_returns(name):
    t0 = time.perf_counter()
    _everything(HOSTILE[name])
    assert time.perf_counter() - t0 < 120, name


def _cli(args, stdin_path, stdout_path):
    """Runs the console script, returns (exit status, peak RSS in MiB, seconds)."""
    t0 = time.perf_counter()
    with open(stdin_path, "rb") as fin, open(stdout_path, "wb") as fout:
        proc = subprocess.Popen(
            [sys.executable, "-m", "nisba", *args], stdin=fin, stdout=fout, stderr=subprocess.PIPE
        )
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = os.waitstatus_to_exitcode(status)
        proc.stderr.close()
    return proc.returncode, usage.ru_maxrss / 1024, time.perf_counter() - t0


@pytest.mark.skipif(not hasattr(os, "wait4"), reason="needs os.wait4 for the child's peak RSS")
def test_cli_streams_a_million_lines_in_bounded_memory():
    lines = ["Erbil", "", "x", "وصل الكاظمي", "3", "Qais al-Khazali met him."]
    with tempfile.TemporaryDirectory() as d:
        small, big, out = (os.path.join(d, n) for n in ["small.txt", "big.txt", "out.jsonl"])
        with open(small, "w", encoding="utf-8") as f:
            f.writelines(lines[i % len(lines)] + "\n" for i in range(10_000))
        with open(big, "w", encoding="utf-8") as f:
            f.writelines(lines[i % len(lines)] + "\n" for i in range(1_000_000))
        status, rss_small, _ = _cli(["link"], small, out)
        assert status == 0
        status, rss_big, secs = _cli(["link"], big, out)
        assert status == 0
        with open(out, "rb") as f:
            n_out = sum(1 for _ in f)
        # Erbil, الكاظمي, Qais al-Khazali: at least three mentions per six lines
        assert n_out >= 3 * 1_000_000 // len(lines)
        # 100x the input, (almost) the same memory: the CLI streams instead of reading it all
        assert rss_big < rss_small + 64, (rss_small, rss_big)
        print(f"1M lines: {secs:.1f}s, peak RSS {rss_big:.0f} MiB (10k lines: {rss_small:.0f} MiB)")


def _links(linker, texts):
    return [[(m.start, m.end, m.text, m.id, m.score) for m in linker.link(t)] for t in texts]


TEXTS = [NEWS, "Arbil and البصرة; the PMF and الحشد الشعبي.", "", "nothing here", "Kadhimi's aides"]


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")
@pytest.mark.parametrize("warm", [True, False], ids=["used-before-fork", "fresh-at-fork"])
def test_fork_after_loading(warm):
    gz = nisba.Gazetteer.default()
    linker = nisba.Linker(gz)
    if warm:
        want = _links(linker, TEXTS)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # child: link with the inherited objects, send the results back, exit hard
        try:
            payload = pickle.dumps(
                (_links(linker, TEXTS), [c.id for c in gz.resolve("Mostafa Kazemi", limit=3)])
            )
            code = 0
        except BaseException as e:  # noqa: BLE001 - anything goes back to the parent
            payload, code = pickle.dumps(repr(e)), 1
        with os.fdopen(write, "wb") as w:
            w.write(payload)
        os._exit(code)
    os.close(write)
    with os.fdopen(read, "rb") as r:
        got = pickle.loads(r.read())
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, got
    if not warm:
        want = _links(linker, TEXTS)
    assert got[0] == want
    assert got[1] == [c.id for c in gz.resolve("Mostafa Kazemi", limit=3)]


def test_threads_sharing_gazetteer_and_linker_match_serial():
    gz = nisba.Gazetteer.default()
    linker = nisba.Linker(gz)
    docs = [f"{t} {i}" for i in range(40) for t in TEXTS]
    serial = _links(linker, docs)
    resolved = [[c.id for c in gz.resolve(d[:40], limit=3)] for d in docs]
    results: dict[int, tuple] = {}

    def work(k: int) -> None:
        order = list(range(len(docs)))[k::3] + list(range(len(docs)))
        results[k] = (
            {i: _links(linker, [docs[i]])[0] for i in order},
            {i: [c.id for c in gz.resolve(docs[i][:40], limit=3)] for i in order},
        )

    threads = [threading.Thread(target=work, args=(k,)) for k in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(results) == 6
    for links, res in results.values():
        assert [links[i] for i in range(len(docs))] == serial
        assert [res[i] for i in range(len(docs))] == resolved
