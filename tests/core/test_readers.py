import json
from datetime import date

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.ingest.readers import iter_inputs, read_path
from conflictlens.ingest.text import decode_bytes, detect_language, looks_like_html
from conflictlens.schema import Failure


def test_read_text_and_html(tmp_path):
    (tmp_path / "a.txt").write_text("Gunmen killed two people on Monday, police said.", "utf-8")
    (tmp_path / "b.html").write_text("<html><body><p>Hello</p></body></html>", "utf-8")
    assert read_path(tmp_path / "a.txt").kind == "text"
    assert read_path(tmp_path / "b.html").kind == "html"


def test_missing_and_oversize(tmp_path):
    with pytest.raises(ConflictLensError) as e:
        read_path(tmp_path / "nope.txt")
    assert e.value.code == "E001"
    big = tmp_path / "big.txt"
    big.write_text("word " * 300, "utf-8")
    with pytest.raises(ConflictLensError) as e:
        read_path(big, {"input": {"max_bytes": 100}})
    assert e.value.code == "E006"


def test_decode_cp1252_and_binary():
    assert decode_bytes("Bogotá café".encode("cp1252"), "x") == "Bogotá café"
    with pytest.raises(ConflictLensError) as e:
        decode_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "img")
    assert e.value.code == "E008"


def test_jsonl_keeps_ids_order_and_reports_bad_lines(tmp_path):
    p = tmp_path / "c.jsonl"
    lines = [
        json.dumps({"id": "one", "text": "First article text.", "published": "2024-05-01"}),
        "{not json",
        json.dumps({"text": "no id"}),
        json.dumps({"id": "two", "html": "<p>x</p>", "url": "https://example.org/a"}),
        json.dumps({"id": "three", "text": "x", "published": "yesterday"}),
    ]
    p.write_text("\n".join(lines) + "\n", "utf-8")
    out = list(iter_inputs([str(p)]))
    assert [getattr(o, "id", None) for o in out[:1]] == ["one"]
    assert out[0].published == date(2024, 5, 1)
    assert isinstance(out[1], Failure) and out[1].code == "E010"
    assert isinstance(out[2], Failure) and out[2].code == "E011"
    assert out[3].id == "two" and out[3].kind == "html" and out[3].url == "https://example.org/a"
    assert isinstance(out[4], Failure) and out[4].code == "E012"


def test_directory_and_bad_scheme(tmp_path):
    (tmp_path / "x.txt").write_text("text", "utf-8")
    (tmp_path / "README.md").write_text("not an article", "utf-8")
    out = list(iter_inputs([str(tmp_path), "ftp://example.org/a", str(tmp_path / "missing.txt")]))
    assert out[0].name.endswith("x.txt")
    assert [o.code for o in out[1:]] == ["E014", "E001"]


def test_language_and_html_sniffing():
    assert detect_language("The army said that the attack was carried out by militants in the north.")[0] == "en"
    assert detect_language("Les militants ont attaqué le poste de police dans la nuit de samedi à dimanche.")[0] != "en"
    assert looks_like_html("<!doctype html><html><body>x</body></html>")
    assert not looks_like_html("a < b and c > d")
