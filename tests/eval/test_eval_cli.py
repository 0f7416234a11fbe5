"""`conflictlens eval` end to end, in-process (the pipeline loads once per test session)."""
from __future__ import annotations

import json

import pytest

from conflictlens.cli.main import main


@pytest.fixture
def acled(data_dir):
    return str(data_dir / "acled_sample.csv")


def test_json_output_and_report(acled, tmp_path, capsys):
    report = tmp_path / "report.json"
    assert main(["eval", acled, "--json", "--report", str(report)]) == 0
    out = json.loads(capsys.readouterr().out)
    (res,) = out["results"]
    assert res["key"] == "acled_sample/events" and res["skipped"] is None
    assert res["metrics"]["n_gold"] == 4 and "n_errors" in res
    full = json.loads(report.read_text("utf-8"))
    assert isinstance(full["results"][0]["errors"], list)


def test_table_and_errors_listing(acled, capsys):
    assert main(["eval", acled, "--task", "events", "--errors", "--max-errors", "0"]) == 0
    out = capsys.readouterr().out
    assert "acled_sample/events" in out and "f1" in out


def test_bad_task_and_missing_gold_are_numbered_errors(tmp_path, acled, capsys):
    assert main(["eval", acled, "--task", "magic"]) == 1
    assert "error[E704]" in capsys.readouterr().err
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 1
    assert "error[E701]" in capsys.readouterr().err
    assert main(["eval", acled, "--type-match", "loose"]) == 1
    assert "error[E709]" in capsys.readouterr().err


def test_floors_violation_exits_1_and_write_floors_round_trips(acled, tmp_path, capsys):
    floors = tmp_path / "floors.json"
    floors.write_text(json.dumps({"tolerance": 0.0, "floors": {"acled_sample/events": {"f1": {"min": 1.5}}}}),
                      encoding="utf-8")
    assert main(["eval", acled, "--floors", str(floors)]) == 1
    assert "below floor" in capsys.readouterr().err
    written = tmp_path / "written.json"
    assert main(["eval", acled, "--write-floors", str(written)]) == 0
    assert "acled_sample/events" in json.loads(written.read_text("utf-8"))["floors"]
    # the scores just recorded pass their own floors
    assert main(["eval", acled, "--floors", str(written)]) == 0


def test_markdown_section_is_replaced_not_duplicated(acled, tmp_path, capsys):
    doc = tmp_path / "evaluation.md"
    doc.write_text("# Evaluation\n\nProse that must stay.\n", encoding="utf-8")
    assert main(["eval", acled, "--markdown", str(doc)]) == 0
    assert main(["eval", acled, "--markdown", str(doc)]) == 0
    text = doc.read_text("utf-8")
    assert "Prose that must stay." in text
    assert text.count("<!-- eval-scores:start -->") == 1 and text.count("<!-- eval-scores:end -->") == 1
    assert "#### acled_sample/events" in text and "| f1 |" in text


def test_markdown_and_error_listing_show_skipped_sets_and_limits():
    from conflictlens.eval.report import error_lines, fmt_value, markdown
    from conflictlens.eval.runner import TaskResult

    done = TaskResult("s", "dedup", "g.jsonl", metrics={"mentions": 3, "bcubed_f1": 0.5, "pairwise_f1": None},
                      errors=[{"kind": "false_merge", "a": str(i)} for i in range(5)])
    gone = TaskResult("t", "geo", "h.jsonl", skipped="error[E701]: Gold file not found: h.jsonl")
    text = markdown([done, gone], "cmd")
    assert "| s/dedup | mentions=3 | pairwise_f1 – · bcubed_f1 0.500 |" in text
    assert "| t/geo | – | not measured: error[E701]" in text
    lines = error_lines([done, gone], limit=2)
    assert lines[0] == "== s/dedup: 5 error(s)" and len(lines) == 4 and "3 more" in lines[-1]
    assert fmt_value(None) == "–" and fmt_value(0.12345) == "0.123" and fmt_value(7) == "7"
