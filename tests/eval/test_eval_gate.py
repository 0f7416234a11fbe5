"""The quality gate: project gold scores may not fall below tests/eval/floors.json.

The suite (``tests/eval/suite.json``) runs once per session through the real
pipeline (``suite_results`` in conftest.py).  Each set/task with floors is one
test; a set whose gold or scorer is missing is *skipped with its reason*.
Regenerate the floors after an improvement with::

    conflictlens eval --task all --write-floors tests/eval/floors.json
"""
from __future__ import annotations

from pathlib import Path

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.eval.gate import REGENERATE, check_metrics, check_results, floor_keys, load_floors, make_floors
from conflictlens.eval.runner import TaskResult

FLOORS = Path(__file__).resolve().parent / "floors.json"

KEYS = floor_keys(FLOORS)


def test_floors_file_exists_and_is_valid():
    doc = load_floors(FLOORS)
    assert doc["floors"], f"no floors recorded; run `{REGENERATE}`"
    assert 0 <= doc["tolerance"] <= 0.05, "the tolerance is meant to be small"


@pytest.mark.parametrize("key", KEYS)
def test_scores_at_or_above_floor(key, suite_results):
    result = suite_results.get(key)
    if result is None:
        pytest.fail(f"{key} has floors but is no longer in tests/eval/suite.json; run `{REGENERATE}`")
    if result.skipped:
        pytest.skip(f"{key} not measured: {result.skipped}")
    problems = check_metrics(key, result.metrics, load_floors(FLOORS))
    assert not problems, ("scores fell below their floors (fix the regression, or lower a floor in a reviewed "
                          "commit):\n  " + "\n  ".join(problems))


def test_every_measured_result_has_floors(suite_results):
    missing = [k for k, r in suite_results.items() if not r.skipped and k not in KEYS]
    assert not missing, f"results without floors: {missing}; run `{REGENERATE}`"


# --- the gate logic itself -------------------------------------------------------------


def _result(key: str, **metrics) -> TaskResult:
    s, t = key.split("/")
    return TaskResult(s, t, "gold", metrics=metrics)


def test_make_floors_directions_and_what_is_gated():
    doc = make_floors([_result("x/events", f1=0.83337, n_gold=40, fatalities_mae=1.2, forbidden_span_events=2,
                               articles=9, admin1_acc=None, dist_median_km=12.0),
                       TaskResult("y", "geo", "gold", skipped="E701 gold file not found")])
    f = doc["floors"]["x/events"]
    assert f["f1"] == {"min": 0.8333}  # rounded down, never up
    assert f["fatalities_mae"]["max"] == 1.2 and f["fatalities_mae"]["tol"] == pytest.approx(0.12)
    assert f["forbidden_span_events"] == {"max": 2, "tol": 0}
    assert f["dist_median_km"]["max"] == 12.0
    assert "n_gold" not in f and "articles" not in f and "admin1_acc" not in f
    assert "y/geo" not in doc["floors"] and "y/geo" in doc["not_measured"]


def test_check_metrics_tolerance_and_ceilings():
    doc = {"tolerance": 0.02, "floors": {"x/events": {"f1": {"min": 0.80}, "fatalities_mae": {"max": 1.0, "tol": 0.1},
                                                      "forbidden_span_events": {"max": 0, "tol": 0}}}}
    ok = {"f1": 0.785, "fatalities_mae": 1.1, "forbidden_span_events": 0}
    assert check_metrics("x/events", ok, doc) == []
    bad = {"f1": 0.77, "fatalities_mae": 1.2, "forbidden_span_events": 1}
    problems = check_metrics("x/events", bad, doc)
    assert len(problems) == 3
    assert "f1" in problems[0] and "fatalities_mae" in problems[1] and "forbidden" in problems[2]
    gone = check_metrics("x/events", {"f1": None, "fatalities_mae": 0.0, "forbidden_span_events": 0}, doc)
    assert gone == ["x/events f1: no longer measured (got None)"]


def test_check_results_reports_unmeasured_sets():
    doc = {"tolerance": 0.0, "floors": {"a/geo": {"acc": {"min": 0.9}}, "b/dedup": {"f": {"min": 0.5}}}}
    problems, not_measured = check_results(
        [_result("a/geo", acc=0.95), TaskResult("b", "dedup", "g", skipped="E705 scorer unavailable")], doc)
    assert problems == [] and not_measured == {"b/dedup": "E705 scorer unavailable"}
    problems, not_measured = check_results([_result("a/geo", acc=0.5)], doc)
    assert len(problems) == 1 and "b/dedup" in not_measured


@pytest.mark.parametrize("text", ['{"floors": []}', '{"floors": {"a/b": {"f1": {}}}}',
                                  '{"floors": {"a/b": {"f1": {"min": "high"}}}}', "not json",
                                  '{"tolerance": -1, "floors": {}}'])
def test_bad_floors_files(tmp_path, text):
    p = tmp_path / "floors.json"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(ConflictLensError) as exc:
        load_floors(p)
    assert exc.value.code == "E707"
    assert floor_keys(p) == []
