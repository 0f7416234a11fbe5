"""Task detection, suites, dispatch to other scorers, and a real pipeline run on the synthetic CSVs."""
from __future__ import annotations

import json

from pathlib import Path

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.eval import runner
from conflictlens.eval.adapters import load_items
from conflictlens.eval.events import score_events
from conflictlens.eval.runner import GoldSet, detect_tasks, evaluate, evaluate_set, load_suite

SUITE = Path(__file__).resolve().parent / "suite.json"
REPO = Path(__file__).resolve().parents[2]


def _write(path, obj):
    path.write_text(obj if isinstance(obj, str) else json.dumps(obj), encoding="utf-8")
    return path


@pytest.mark.parametrize("record, tasks", [
    ({"id": "a", "text": "t", "events": []}, ["body", "events"]),
    ({"id": "g", "text": "in Quetta", "mention": "Quetta", "iso3": "PAK", "lat": 1, "lon": 2}, ["geo"]),
    ({"id": "q", "text": "t", "quotes": []}, ["quotes"]),
    ({"gold": "I1", "source_id": "s", "sub_event_type": "Armed clash"}, ["dedup"]),
])
def test_detect_tasks_from_content(tmp_path, record, tasks):
    assert detect_tasks(_write(tmp_path / "g.jsonl", json.dumps(record) + "\n")) == tasks


def test_detect_tasks_csv_suite_and_unknown(tmp_path, data_dir):
    assert detect_tasks(data_dir / "acled_sample.csv") == ["events"]
    assert detect_tasks(SUITE) == ["suite"]
    with pytest.raises(ConflictLensError) as exc:
        detect_tasks(_write(tmp_path / "x.jsonl", '{"colour": "red"}\n'))
    assert exc.value.code == "E702"
    with pytest.raises(ConflictLensError) as exc:
        detect_tasks(_write(tmp_path / "y.jsonl", "not json\n"))
    assert exc.value.code == "E702"


def test_project_suite_names_existing_gold_files():
    sets = load_suite(SUITE)
    assert {s.name for s in sets} >= {"extract", "geo", "quotes", "dedup"}
    for s in sets:  # a missing gold file is the gate's business (skipped with a reason), not a failure here
        assert str(s.gold).startswith(str(REPO)), s.gold
    assert next(s for s in sets if s.name == "extract").gold == REPO / "tests" / "extract" / "gold" / "gold.jsonl"


@pytest.mark.parametrize("suite, needle", [
    ({"sets": [{"name": "a", "tasks": ["events"]}]}, "needs"),
    ({"sets": [{"name": "a", "tasks": ["magic"], "gold": "x"}]}, "unknown tasks"),
    ({"sets": [{"name": "a", "tasks": ["geo"], "gold": "x"}, {"name": "a", "tasks": ["geo"], "gold": "y"}]},
     "duplicate"),
    ({"no_sets": 1}, "sets"),
])
def test_bad_suites(tmp_path, suite, needle):
    with pytest.raises(ConflictLensError) as exc:
        load_suite(_write(tmp_path / "suite.json", suite))
    assert exc.value.code == "E710" and needle in exc.value.message


def test_missing_gold_and_missing_scorer_are_skipped_with_reasons(tmp_path, monkeypatch):
    absent = evaluate_set(GoldSet("gone", ["geo", "dedup"], tmp_path / "nope.jsonl"))
    assert [r.task for r in absent] == ["geo", "dedup"]
    assert all(r.skipped and "E701" in r.skipped for r in absent)

    gold = _write(tmp_path / "d.jsonl", '{"gold": "I1", "source_id": "s", "sub_event_type": "Armed clash"}\n')
    monkeypatch.setitem(runner.EXTERNAL_SCORERS, "dedup", ("conflictlens.eval.no_such_module", "score"))
    (r,) = evaluate_set(GoldSet("d", ["dedup"], gold))
    assert r.skipped and "E705" in r.skipped and "no_such_module" in r.skipped


def test_crashing_scorer_is_reported_not_raised(tmp_path, monkeypatch):
    import types
    import sys

    mod = types.ModuleType("_crashing_scorer")

    def score(path):
        raise RuntimeError("kaput")

    mod.score = score
    monkeypatch.setitem(sys.modules, "_crashing_scorer", mod)
    monkeypatch.setitem(runner.EXTERNAL_SCORERS, "geo", ("_crashing_scorer", "score"))
    gold = _write(tmp_path / "g.jsonl", "{}\n")
    (r,) = evaluate_set(GoldSet("g", ["geo"], gold))
    assert r.skipped and "kaput" in r.skipped


def test_evaluate_rejects_unknown_task_and_wrong_task_for_file(data_dir):
    with pytest.raises(ConflictLensError) as exc:
        evaluate(data_dir / "acled_sample.csv", "magic")
    assert exc.value.code == "E704"
    with pytest.raises(ConflictLensError) as exc:
        evaluate(data_dir / "acled_sample.csv", "geo")
    assert exc.value.code == "E708"


@pytest.mark.parametrize("name", ["acled_sample.csv", "gtd_sample.csv"])
def test_csv_gold_through_the_real_pipeline(data_dir, name):
    """Each synthetic row is one article; every row runs and yields at least one event."""
    arts = runner.run_articles(load_items(data_dir / name))
    assert len(arts) == 4
    assert all(a.document is not None for a in arts), [(a.item.id, a.error_code, a.error_message) for a in arts]
    m = score_events(arts)["metrics"]
    assert m["n_gold"] == 4 and m["articles_failed"] == 0
    assert m["n_pred"] >= 1 and m["recall"] > 0


def test_set_whose_articles_are_all_absent_is_skipped_not_passed(tmp_path):
    gold = _write(tmp_path / "sample.json", {"id": "dw", "shared_file": "samples/surely-absent-xyz.txt",
                                             "events": [{"event_type": "Battles"}]})
    results = evaluate_set(GoldSet("dw", ["body", "events"], gold))
    assert [r.task for r in results] == ["body", "events"]
    assert all(r.skipped and "not present" in r.skipped and not r.metrics for r in results)
