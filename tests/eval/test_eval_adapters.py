"""Gold adapters: our JSONL/JSON gold, ACLED CSV exports and GTD-style CSVs (synthetic files in data/)."""
from __future__ import annotations

import json
from datetime import date

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.eval.adapters import csv_kind, load_acled_csv, load_conflictlens_gold, load_gtd_csv, load_items


def _code(fn, *args):
    with pytest.raises(ConflictLensError) as exc:
        fn(*args)
    return exc.value.code


def test_acled_rows_become_one_event_each(data_dir):
    items = load_acled_csv(data_dir / "acled_sample.csv")
    assert [i.id for i in items] == ["PAK90001", "PAK90002", "NGA90003", "AFG90004"]
    first = items[0]
    assert first.text.startswith("On 11 March 2024, a roadside bomb")
    assert first.published == date(2024, 3, 11)
    (ev,) = first.events
    assert ev["event_type"] == "Explosions/Remote violence"
    assert ev["sub_event_type"] == "Remote explosive/landmine/IED"
    assert ev["event_date"] == "2024-03-11" and ev["time_precision"] == 1
    assert ev["iso3"] == "PAK"  # from ACLED's numeric iso 586
    assert ev["admin1"] == "Khyber Pakhtunkhwa" and ev["fatalities"] == 3
    assert (ev["latitude"], ev["longitude"]) == (34.008, 71.578)
    assert ev["inter1"] == 3 and ev["inter2"] == 1  # text inter codes of newer exports
    assert ev["civilian_targeting"] is False
    # "14 March 2024" date style, numeric inter codes, civilian targeting
    assert items[1].events[0]["event_date"] == "2024-03-14"
    assert items[2].events[0]["civilian_targeting"] is True
    assert items[2].events[0]["inter2"] == 7
    assert "actor2" not in items[3].events[0]  # empty column = not scored


def test_acled_published_can_be_withheld(data_dir):
    items = load_acled_csv(data_dir / "acled_sample.csv", published_from_event_date=False)
    assert all(i.published is None for i in items)


def test_gtd_rows_map_to_acled_terms(data_dir):
    items = load_gtd_csv(data_dir / "gtd_sample.csv")
    by_id = {i.id: i for i in items}
    ied = by_id["202403110001"].events[0]
    assert ied["event_type"] == "Explosions/Remote violence"
    assert ied["sub_event_type"] == "Remote explosive/landmine/IED"
    assert ied["event_date"] == "2024-03-11" and ied["fatalities"] == 3
    assert ied["admin1"] == "Khyber Pakhtunkhwa" and ied["location"] == "Peshawar"
    kidnap = by_id["202402000002"]
    ev = kidnap.events[0]
    assert ev["sub_event_type"] == "Abduction/forced disappearance"
    # day unknown (iday 0): a month window with precision 3, and no publication date
    assert ev["event_date_between"] == ["2024-02-01", "2024-02-29"] and ev["time_precision"] == 3
    assert kidnap.published is None
    assert by_id["202401050003"].events[0]["sub_event_type"] == "Suicide bomb"
    mosque = by_id["202406120004"].events[0]
    assert (mosque["event_type"], mosque["sub_event_type"]) == ("Violence against civilians", "Attack")
    assert "fatalities" not in mosque  # blank nkill is not scored
    assert by_id["202403110001"].text.startswith("03/11/2024: A roadside bomb")


def test_csv_kind_detection_and_bad_csv(data_dir, tmp_path):
    assert csv_kind(data_dir / "acled_sample.csv") == "acled"
    assert csv_kind(data_dir / "gtd_sample.csv") == "gtd"
    other = tmp_path / "x.csv"
    other.write_text("a,b\n1,2\n", encoding="utf-8")
    assert _code(csv_kind, other) == "E706"
    assert _code(load_items, tmp_path / "missing.csv") == "E701"


def test_acled_bad_rows_are_numbered_errors(data_dir, tmp_path):
    header = (data_dir / "acled_sample.csv").read_text("utf-8").splitlines()[0]
    bad_type = tmp_path / "bad.csv"
    bad_type.write_text(header + "\nX1,2024-01-01,2024,1,,Skirmishes,,,,,,,,,,,,,,,,,,,,,,note text,0,,\n", "utf-8")
    assert _code(load_acled_csv, bad_type) == "E703"
    bad_date = tmp_path / "bad_date.csv"
    bad_date.write_text(header + "\nX1,someday,2024,1,,Battles,Armed clash,,,,,,,,,,,,,,,,,,,,,note,0,,\n", "utf-8")
    assert _code(load_acled_csv, bad_date) == "E703"
    gtd_header = (data_dir / "gtd_sample.csv").read_text("utf-8").splitlines()[0]
    assert _code(load_acled_csv, data_dir / "gtd_sample.csv") == "E706"
    empty = tmp_path / "empty_summary.csv"
    empty.write_text(gtd_header + "\n1,2024,1,1,0,Pakistan,,,,,,,,,,,,,,,\n", "utf-8")
    assert _code(load_gtd_csv, empty) == "E703"


def _write_jsonl(path, records):
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    return path


def test_conflictlens_jsonl_with_files_inline_text_and_shared(tmp_path):
    (tmp_path / "a.txt").write_text("Text of article a.", encoding="utf-8")
    gold = _write_jsonl(tmp_path / "gold.jsonl", [
        {"id": "a", "file": "a.txt", "published": "2024-01-02", "events": [
            {"evidence_contains": "Text of", "event_type": "Battles", "sub_event_type": "Armed clash"}]},
        {"id": "b", "text": "Inline text.", "events": []},
        {"id": "c", "shared_file": "samples/surely-absent-file-xyz.txt", "events": []},
    ])
    a, b, c = load_conflictlens_gold(gold)
    assert a.path == (tmp_path / "a.txt").resolve() and a.published == date(2024, 1, 2)
    assert a.events[0]["evidence_contains"] == ["Text of"]  # a string becomes a list of alternatives
    assert b.text == "Inline text." and b.path is None
    assert c.skipped and "not present" in c.skipped


def test_conflictlens_json_object_file(tmp_path):
    p = tmp_path / "one.json"
    p.write_text(json.dumps({"id": "x", "text": "T", "events": [{"event_type": "Protests"}]}), encoding="utf-8")
    (item,) = load_conflictlens_gold(p)
    assert item.id == "x" and item.events == [{"event_type": "Protests"}]


@pytest.mark.parametrize("record, needle", [
    ({"text": "no id"}, "id"),
    ({"id": "x", "events": []}, "file"),
    ({"id": "x", "file": "missing.txt"}, "not found"),
    ({"id": "x", "text": "t", "events": [{"event_type": "Skirmish"}]}, "event_type"),
    ({"id": "x", "text": "t", "events": [{"event_type": "Protests", "sub_event_type": "Armed clash"}]}, "kind of"),
    ({"id": "x", "text": "t", "events": [{"colour": "red"}]}, "unknown keys"),
    ({"id": "x", "text": "t", "events": [{"event_date": "31/31/2024"}]}, "date"),
])
def test_conflictlens_gold_errors(tmp_path, record, needle):
    p = _write_jsonl(tmp_path / "g.jsonl", [record])
    with pytest.raises(ConflictLensError) as exc:
        load_conflictlens_gold(p)
    assert exc.value.code == "E703" and needle in exc.value.message


def test_duplicate_ids_and_bad_json(tmp_path):
    p = _write_jsonl(tmp_path / "g.jsonl", [{"id": "x", "text": "t"}, {"id": "x", "text": "u"}])
    assert _code(load_conflictlens_gold, p) == "E703"
    q = tmp_path / "h.jsonl"
    q.write_text("{not json\n", encoding="utf-8")
    assert _code(load_conflictlens_gold, q) == "E703"
