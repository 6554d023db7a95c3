"""Gazetteer, GazetteerBuilder and the embedded default through the bindings."""

from __future__ import annotations

import json
import os
import pickle

import pytest

import nisba


def _small() -> nisba.GazetteerBuilder:
    b = nisba.GazetteerBuilder()
    b.add("t:1", "Qais al-Khazali", kind="PER", aliases=["قيس الخزعلي"], countries=["IQ"], prior=0.5)
    b.add_records([{"id": "t:2", "name": "Asaib Ahl al-Haq", "kind": "ORG", "aliases": [{"name": "AAH", "weak": True}]}])
    return b


def test_build_lookup_and_access():
    gz = _small().build()
    assert len(gz) == 2 and "t:1" in gz and "t:9" not in gz
    assert gz["t:1"].name == "Qais al-Khazali" and gz["t:1"].countries == ["IQ"]
    assert [e.id for e in gz.lookup("قيس الخزعلي")] == ["t:1"]
    assert gz["t:2"].weak_aliases == ["AAH"]
    assert {e.id for e in gz} == {"t:1", "t:2"}
    assert isinstance(gz.metadata, dict)
    with pytest.raises(KeyError):
        gz["t:9"]


def test_write_open_pickle_and_verify(tmp_path):
    path = tmp_path / "small.nisba"
    _small().write(path)
    gz = nisba.Gazetteer.open(path)
    gz.verify()
    assert os.fspath(gz.path) == os.fspath(path)
    again = pickle.loads(pickle.dumps(gz))
    assert again.path == gz.path and len(again) == 2
    mem = nisba.Gazetteer.from_bytes(path.read_bytes())
    assert len(pickle.loads(pickle.dumps(mem))) == 2


def test_bad_files_are_typed_errors(tmp_path):
    with pytest.raises(nisba.FormatError):
        nisba.Gazetteer.from_bytes(b"not a gazetteer")
    with pytest.raises(OSError):
        nisba.Gazetteer.open(tmp_path / "missing.nisba")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "a", "name": "A", "kind": "PER"}\n{oops\n', encoding="utf-8")
    with pytest.raises(nisba.ParseError, match="2"):
        nisba.Gazetteer.from_jsonl(bad)
    with pytest.raises(ValueError):
        nisba.GazetteerBuilder().add("x", "X", kind="PLANET")


def test_from_jsonl(tmp_path):
    src = tmp_path / "e.jsonl"
    src.write_text(json.dumps({"id": "e:1", "name": "Erbil", "kind": "LOC", "aliases": ["Hawler"]}) + "\n", encoding="utf-8")
    assert [e.id for e in nisba.Gazetteer.from_jsonl(src).lookup("hawler")] == ["e:1"]


@pytest.mark.parametrize(
    "names,want",
    [
        (["Erbil", "Arbil", "Irbil", "Hawler", "أربيل"], "geonames:95446"),
        (["Iraq", "Irak", "العراق"], "country:IQ"),
        (["Popular Mobilization Forces", "PMF", "Hashd al-Shaabi", "الحشد الشعبي"], "nisba:org:popular-mobilization-forces"),
        (["Mustafa al-Kadhimi", "مصطفى الكاظمي"], "nisba:per:mustafa-al-kadhimi"),
    ],
)
def test_default_gazetteer(names, want):
    gz = nisba.Gazetteer.default()
    for name in names:
        assert want in {e.id for e in gz.lookup(name)}, name
    assert pickle.loads(pickle.dumps(gz)) is not None
