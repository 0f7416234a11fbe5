"""The quality gate: recorded score floors that a change may not fall below.

``tests/eval/floors.json`` holds, per result key (``"<set>/<task>"``) and
metric, the score measured when the file was last regenerated::

    {"tolerance": 0.02,
     "floors": {"extract/events": {"f1": {"min": 0.8125},
                                   "fatalities_mae": {"max": 0.5, "tol": 0.1},
                                   "forbidden_span_events": {"max": 1, "tol": 0}}}}

``min`` entries (higher is better) fail when the score drops below
``min - tol``; ``max`` entries (errors, distances, counts: lower is better)
fail when it rises above ``max + tol``.  ``tol`` defaults to the file's
``tolerance``.  Regenerate with ``conflictlens eval --task all --write-floors
tests/eval/floors.json``; raising a floor is a normal commit.

Gated metrics: every numeric metric in [0, 1] (rates, accuracies, F1) and the
lower-is-better ones in :data:`LOWER_IS_BETTER`; counts of items
(:data:`INFORMATIONAL`) are not gated.
"""
from __future__ import annotations

import json
import math
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

from ..errors import ConflictLensError
from .adapters import read_json_object

DEFAULT_TOLERANCE = 0.02
REGENERATE = "conflictlens eval --task all --write-floors tests/eval/floors.json"
# lower is better: errors, distances and rates of failure (by suffix), and counts (tolerance 0)
LOWER_IS_BETTER_SUFFIXES = ("_mae", "_km", "_rate")
LOWER_IS_BETTER_COUNTS = ("forbidden_span_events", "articles_failed")
INFORMATIONAL = {"n", "answered", "mentions", "gold_clusters", "predicted_clusters", "articles",
                 "articles_skipped", "n_articles"}


def lower_is_better(name: str) -> bool:
    return name in LOWER_IS_BETTER_COUNTS or name.endswith(LOWER_IS_BETTER_SUFFIXES)


def gated(name: str, value: Any) -> bool:
    """Whether a metric takes part in the gate."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return False
    if name in INFORMATIONAL or name.startswith("n_"):
        return False
    if lower_is_better(name):
        return True
    return isinstance(value, float) and 0.0 <= value <= 1.0


def _floor_entry(name: str, value: float, tolerance: float) -> dict:
    if lower_is_better(name):
        if name in LOWER_IS_BETTER_COUNTS:
            return {"max": int(value), "tol": 0}
        return {"max": round(value, 4), "tol": round(max(tolerance, 0.1 * abs(value)), 4)}
    return {"min": math.floor(value * 10_000) / 10_000}


def make_floors(results: Iterable[Any], tolerance: float = DEFAULT_TOLERANCE) -> dict:
    """A floors document from evaluation results (skipped results are left out)."""
    floors: dict[str, dict] = {}
    skipped: dict[str, str] = {}
    for r in results:
        if r.skipped:
            skipped[r.key] = r.skipped
            continue
        entries = {k: _floor_entry(k, v, tolerance) for k, v in r.metrics.items() if gated(k, v)}
        if entries:
            floors[r.key] = entries
    doc = {
        "_about": f"Quality gate (tests/eval/test_eval_gate.py). Regenerate: {REGENERATE}",
        "generated": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "tolerance": tolerance,
        "floors": floors,
    }
    if skipped:
        doc["not_measured"] = skipped
    return doc


def write_floors(results: Iterable[Any], path: Path, tolerance: float = DEFAULT_TOLERANCE) -> dict:
    doc = make_floors(results, tolerance)
    try:
        Path(path).write_text(dumps_floors(doc), encoding="utf-8")
    except OSError as exc:
        raise ConflictLensError("E301", path=str(path), detail=exc.strerror or str(exc)) from None
    return doc


def dumps_floors(doc: dict) -> str:
    """JSON text of a floors document, one metric per line (readable diffs when a floor moves)."""
    lines = ["{"]
    head = [k for k in doc if k != "floors"]
    for k in head:
        lines.append(f"  {json.dumps(k)}: {json.dumps(doc[k], ensure_ascii=False)},")
    lines.append('  "floors": {')
    keys = list(doc["floors"])
    for n, key in enumerate(keys):
        lines.append(f"    {json.dumps(key)}: {{")
        metrics = list(doc["floors"][key].items())
        for m, (name, entry) in enumerate(metrics):
            comma = "," if m < len(metrics) - 1 else ""
            lines.append(f"      {json.dumps(name)}: {json.dumps(entry)}{comma}")
        lines.append("    }" + ("," if n < len(keys) - 1 else ""))
    lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"


def load_floors(path: Path) -> dict:
    """Read and validate a floors file (E707 when malformed)."""
    doc = read_json_object(Path(path), "E707", "floors", dict)
    tol = doc.get("tolerance", DEFAULT_TOLERANCE)
    if not isinstance(tol, (int, float)) or tol < 0:
        raise ConflictLensError("E707", path=str(path), detail="'tolerance' must be a number >= 0")
    for key, metrics in doc["floors"].items():
        if not isinstance(metrics, dict):
            raise ConflictLensError("E707", path=str(path), detail=f"{key}: not an object")
        for name, e in metrics.items():
            if not isinstance(e, dict) or (("min" in e) == ("max" in e)):
                raise ConflictLensError("E707", path=str(path), detail=f"{key}.{name}: needs exactly one of 'min'/'max'")
            bound = e.get("min", e.get("max"))
            if not isinstance(bound, (int, float)) or not isinstance(e.get("tol", tol), (int, float)):
                raise ConflictLensError("E707", path=str(path), detail=f"{key}.{name}: bounds must be numbers")
    return doc


def check_metrics(key: str, metrics: dict, floors_doc: dict) -> list[str]:
    """Violations of one result's floors, as readable lines (empty: the result passes)."""
    tol_default = floors_doc.get("tolerance", DEFAULT_TOLERANCE)
    problems = []
    for name, e in (floors_doc["floors"].get(key) or {}).items():
        tol = e.get("tol", tol_default)
        got = metrics.get(name)
        if not isinstance(got, (int, float)) or isinstance(got, bool):
            problems.append(f"{key} {name}: no longer measured (got {got!r})")
            continue
        if "min" in e and got < e["min"] - tol - 1e-9:
            problems.append(f"{key} {name} = {got:.4f} < floor {e['min']:.4f} - {tol:g}")
        if "max" in e and got > e["max"] + tol + 1e-9:
            problems.append(f"{key} {name} = {got:.4f} > ceiling {e['max']:.4f} + {tol:g}")
    return problems


def check_results(results: Iterable[Any], floors_doc: dict) -> tuple[list[str], dict[str, str]]:
    """All violations over results, and the gated keys that were not measured (key -> reason)."""
    problems: list[str] = []
    seen: dict[str, Any] = {}
    for r in results:
        seen[r.key] = r
    not_measured: dict[str, str] = {}
    for key in floors_doc["floors"]:
        r = seen.get(key)
        if r is None:
            not_measured[key] = "not in this evaluation run"
        elif r.skipped:
            not_measured[key] = r.skipped
        else:
            problems.extend(check_metrics(key, r.metrics, floors_doc))
    return problems, not_measured


def floor_keys(path: Path) -> list[str]:
    """Result keys with floors in a floors file (for parametrizing tests); [] when the file is absent."""
    try:
        return sorted(load_floors(path)["floors"])
    except ConflictLensError:
        return []


def summary_line(problems: list[str], not_measured: dict[str, str], n_keys: int) -> str:
    ok = n_keys - len(not_measured) - len({p.split(" ", 1)[0] for p in problems})
    return (f"gate: {ok} of {n_keys} result(s) at or above their floors, "
            f"{len(problems)} violation(s), {len(not_measured)} not measured")

