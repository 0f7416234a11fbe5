"""`conflictlens eval`: score the pipeline on gold data, print a table/JSON, enforce floors."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

TASK_CHOICES = ("body", "events", "geo", "quotes", "dedup", "all")


def register(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_cmd(
        gold: Optional[Path] = typer.Argument(None, metavar="[GOLD]",
                                              help="Gold file (.jsonl/.json, ACLED or GTD .csv) or a suite .json; "
                                                   "default: tests/eval/suite.json (the project's gold sets)."),
        task: str = typer.Option("all", "--task", "-t", help="body | events | geo | quotes | dedup | all."),
        report: Optional[Path] = typer.Option(None, "--report", help="Write the full JSON report (with errors) to FILE."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON on stdout instead of the table."),
        show_errors: bool = typer.Option(False, "--errors", help="List per-item errors under the table."),
        max_errors: int = typer.Option(50, "--max-errors", help="Errors listed per task with --errors (0 = all)."),
        fmt: Optional[str] = typer.Option(None, "--format", help="Gold format: conflictlens, acled or gtd (default: guessed)."),
        config: Optional[Path] = typer.Option(None, "--config", "-c", help="Pipeline TOML config for body/events."),
        type_match: str = typer.Option("family", "--type-match", help="Event pairing: event_type, family or any."),
        evidence: str = typer.Option("prefer", "--evidence", help="prefer: evidence or type+date+country pairs; "
                                                                  "require: gold with evidence_contains needs it."),
        date_window: int = typer.Option(7, "--date-window", help="Days two events' dates may differ when paired."),
        month_window: int = typer.Option(31, "--month-window", help="Same, when either has time_precision 3."),
        km: float = typer.Option(161.0, "--km", help="Distance for the Acc@km metric."),
        floors: Optional[Path] = typer.Option(None, "--floors", help="Check FILE's floors; exit 1 when a score is below one."),
        write_floors: Optional[Path] = typer.Option(None, "--write-floors", help="Record the current scores as floors in FILE."),
        tolerance: float = typer.Option(0.02, "--tolerance", help="Tolerance written with --write-floors."),
        md: Optional[Path] = typer.Option(None, "--markdown", help="Rewrite the scores section of a Markdown FILE."),
    ) -> None:
        """Score conflictlens on labelled data.

        Examples:

          conflictlens eval                               # all project gold sets (tests/eval/suite.json)

          conflictlens eval tests/extract/gold/gold.jsonl --task events --errors

          conflictlens eval acled_export.csv --report scores.json

          conflictlens eval --task all --write-floors tests/eval/floors.json

          conflictlens eval --task all --markdown docs/evaluation.md

          conflictlens eval --floors tests/eval/floors.json   # CI: exit 1 on a regression

        Exit status: 0; 1 on an error or, with --floors, when a score fell below its floor.
        """
        from ..errors import ConflictLensError
        from ..eval.events import MatchOptions
        from ..eval.gate import check_results, load_floors, summary_line, write_floors as _write_floors
        from ..eval.report import error_lines, markdown, rich_table, to_json, update_markdown
        from ..eval.runner import evaluate
        from ._common import open_output

        if task not in TASK_CHOICES:
            raise ConflictLensError("E704", task=task, choices=", ".join(TASK_CHOICES))
        if fmt is not None and fmt not in ("conflictlens", "acled", "gtd"):
            raise ConflictLensError("E709", option="--format", detail=f"{fmt!r}; choose conflictlens, acled or gtd")
        if tolerance < 0:
            raise ConflictLensError("E709", option="--tolerance", detail="must be >= 0")
        opts = MatchOptions(type_match=type_match, evidence=evidence, date_window=date_window,
                            month_window=month_window, km=km)
        floors_doc = load_floors(floors) if floors else None
        results = evaluate(gold, task, config_path=str(config) if config else None, match_options=opts,
                           fmt=None if fmt == "conflictlens" else fmt)

        gate = None
        if floors_doc is not None:
            problems, not_measured = check_results(results, floors_doc)
            gate = {"passed": not problems, "violations": problems, "not_measured": not_measured,
                    "summary": summary_line(problems, not_measured, len(floors_doc["floors"]))}
        if report is not None:
            with open_output(report) as fh:
                json.dump(to_json(results, with_errors=True, gate=gate), fh, indent=2, ensure_ascii=False, default=str)
                fh.write("\n")
        if as_json:
            payload = to_json(results, with_errors=show_errors, gate=gate)
            typer.echo(json.dumps(payload, indent=2, ensure_ascii=False, default=str))
        else:
            from rich.console import Console

            console = Console(file=sys.stdout)
            console.print(rich_table(results))
            if show_errors:
                for line in error_lines(results, max_errors):
                    console.print(line, markup=False, highlight=False, soft_wrap=True)
        if write_floors is not None:
            doc = _write_floors(results, write_floors, tolerance)
            typer.echo(f"wrote floors for {len(doc['floors'])} result(s) to {write_floors}", err=True)
        if md is not None:
            cmd = "conflictlens eval --task all --markdown " + str(md)
            update_markdown(md, markdown(results, cmd))
            typer.echo(f"updated the scores section of {md}", err=True)
        if gate is not None:
            typer.echo(gate["summary"], err=True)
            for p in gate["violations"]:
                typer.echo(f"  below floor: {p}", err=True)
            for k, why in gate["not_measured"].items():
                typer.echo(f"  not measured: {k}: {why}", err=True)
            if gate["violations"]:
                raise typer.Exit(1)
