#!/usr/bin/env python3
"""Regenerates the seed corpora fuzz/corpus/<target>/ from the shared fixtures in data/test/.

Seeds are named seed-<fixture>-<row>; libFuzzer adds its own (hash-named) entries beside them.
Run from the repository root: python3 fuzz/seed.py (the gazetteer seed needs the replay binary built).
"""
import hashlib
import pathlib
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
TEST = ROOT / "data" / "test"
CORPUS = ROOT / "fuzz" / "corpus"


def rows(name):
    for line in (TEST / name).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            yield line.split("\t")


def put(target, tag, data: bytes):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    h = hashlib.sha1(data).hexdigest()[:10]
    (d / f"seed-{tag}-{h}").write_bytes(data)


def main():
    text = set()
    for f in ["normalize.tsv", "tokenize.tsv", "names.tsv", "translit.tsv", "variants.tsv"]:
        for r in rows(f):
            text.add(r[0])
    for r in rows("link.tsv"):
        text.add(r[0])
    for r in rows("compare.tsv"):
        text.update(r[:2])
    for r in rows("keys.tsv"):
        text.update(x.strip() for x in r[1].split("|"))
    for t in sorted(text):
        put("text", "fixture", t.encode())
    for r in rows("translit.tsv"):
        put("translit", "arabic", r[0].encode())
        if len(r) > 2:
            put("translit", "latin", r[2].encode())
    for t in ["Mustafa al-Kadhimi", "mSTfY AlkAZmy", "Eabd Allh", "<ilY >bw ZbY", "qays Alxzely"]:
        put("translit", "bw", t.encode())
    for i, r in enumerate(rows("variants.tsv")):
        put("variants", "fixture", bytes([i % 256]) + r[0].encode())
    for r in rows("names.tsv"):
        put("variants", "name", bytes([0]) + r[0].encode())
    for r in rows("compare.tsv"):
        put("compare", "fixture", r[0].encode() + b"\0" + r[1].encode())
    for i, r in enumerate(rows("link.tsv")):
        put("link", "fixture", bytes([i % 2]) + r[0].encode())
    gz = CORPUS / "gazetteer"
    gz.mkdir(parents=True, exist_ok=True)
    replay = ROOT / "fuzz" / "target" / "release" / "replay"
    subprocess.run([str(replay), "seed-gazetteer", str(gz / "seed-small-gazetteer")], check=True)


if __name__ == "__main__":
    main()
