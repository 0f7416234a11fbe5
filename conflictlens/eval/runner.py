"""Run evaluation tasks over gold files or a suite of gold sets.

Tasks:

* ``body`` and ``events`` run the real pipeline (:func:`conflictlens.pipeline.get_pipeline`)
  over article gold (our JSONL/JSON, ACLED CSV or GTD CSV; :mod:`.adapters`)
  and score it with :mod:`.body` / :mod:`.events`; one pipeline pass serves both;
* ``geo``, ``quotes`` and ``dedup`` call the scorers owned by those stages
  (``conflictlens.eval.geo.score_geo`` ...) through :data:`EXTERNAL_SCORERS`;
  a scorer that cannot be imported makes its task *skipped with a reason*.

A **suite** (``tests/eval/suite.json``) names the project's gold sets::

    {"root": "../..",                       # paths below are relative to this (from the suite file)
     "sets": [{"name": "extract", "tasks": ["body", "events"], "gold": "tests/extract/gold/gold.jsonl"},
              {"name": "geo", "tasks": ["geo"], "gold": "tests/geo/gold/geo_gold.jsonl"}]}

Every result is a :class:`TaskResult`; ``key`` is ``"<set>/<task>"``.
"""
from __future__ import annotations

import importlib
import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Optional

from ..errors import ConflictLensError
from .adapters import ArticleResult, GoldItem, csv_kind, load_items, read_json_object

TASKS = ("body", "events", "geo", "quotes", "dedup")
ARTICLE_TASKS = ("body", "events")
# task -> (module, function); each function takes the gold path and returns {"metrics", "errors"}
EXTERNAL_SCORERS: dict[str, tuple[str, str]] = {
    "geo": ("conflictlens.eval.geo", "score_geo"),
    "quotes": ("conflictlens.eval.quotes", "score_quotes"),
    "dedup": ("conflictlens.eval.dedup", "score_dedup"),
}
DEFAULT_SUITE = Path("tests") / "eval" / "suite.json"


@dataclass
class TaskResult:
    """The outcome of one task on one gold set."""

    set: str
    task: str
    gold: str
    metrics: dict[str, Any] = field(default_factory=dict)
    errors: list[dict] = field(default_factory=list)
    skipped: Optional[str] = None
    seconds: float = 0.0

    @property
    def key(self) -> str:
        return f"{self.set}/{self.task}"

    def to_json(self, with_errors: bool = True) -> dict:
        d = asdict(self)
        d["key"] = self.key
        d["seconds"] = round(self.seconds, 3)
        if not with_errors:
            d["n_errors"] = len(d.pop("errors"))
        return d


@dataclass
class GoldSet:
    name: str
    tasks: list[str]
    gold: Path
    format: Optional[str] = None  # for article tasks: conflictlens | acled | gtd


# --- detection ---------------------------------------------------------------------------


def detect_tasks(path: Path) -> list[str]:
    """The tasks a gold file can be scored on, from its content."""
    if path.is_dir():
        raise ConflictLensError("E701", path=f"{path} (a directory: pass a gold file or a suite .json)")
    if not path.is_file():
        raise ConflictLensError("E701", path=str(path))
    if path.suffix.lower() == ".csv":
        csv_kind(path)  # raises E706 when neither format
        return ["events"]
    try:
        with open(path, encoding="utf-8") as fh:
            if path.suffix.lower() == ".json":
                data = json.load(fh)
                first = data[0] if isinstance(data, list) and data else data
            else:
                line = next((ln for ln in fh if ln.strip()), "")
                first = json.loads(line) if line else None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConflictLensError("E702", path=str(path), detail=f"not JSON: {str(exc)[:80]}") from None
    if not isinstance(first, dict):
        raise ConflictLensError("E702", path=str(path), detail="no JSON object found")
    if "sets" in first:
        return ["suite"]
    if "events" in first:
        return ["body", "events"]
    if "mention" in first:
        return ["geo"]
    if "quotes" in first:
        return ["quotes"]
    if "gold" in first and "source_id" in first:
        return ["dedup"]
    raise ConflictLensError("E702", path=str(path), detail=f"unrecognised keys {sorted(first)[:8]}")


def load_suite(path: Path) -> list[GoldSet]:
    """The gold sets of a suite file (see the module docstring)."""
    data = read_json_object(path, "E710", "sets", list)
    root = (path.parent / data.get("root", ".")).resolve()
    out = []
    for n, s in enumerate(data["sets"], 1):
        if not isinstance(s, dict) or not s.get("name") or not s.get("gold") or not s.get("tasks"):
            raise ConflictLensError("E710", path=str(path), detail=f"set {n} needs 'name', 'tasks' and 'gold'")
        bad = [t for t in s["tasks"] if t not in TASKS]
        if bad:
            raise ConflictLensError("E710", path=str(path), detail=f"set {s['name']}: unknown tasks {bad}")
        out.append(GoldSet(name=s["name"], tasks=list(s["tasks"]), gold=root / s["gold"], format=s.get("format")))
    names = [s.name for s in out]
    if len(names) != len(set(names)):
        raise ConflictLensError("E710", path=str(path), detail="duplicate set names")
    return out


# --- running -----------------------------------------------------------------------------


def run_articles(items: Iterable[GoldItem], pipeline: Any = None, config: Optional[dict] = None) -> list[ArticleResult]:
    """Process every gold article with the pipeline; errors are recorded per article, never raised."""
    from ..doc import RawInput
    from ..ingest.readers import read_path
    from ..pipeline import get_pipeline, load_config

    config = config if config is not None else load_config()
    pipeline = pipeline if pipeline is not None else get_pipeline()
    out = []
    for it in items:
        if it.skipped:
            out.append(ArticleResult(it, skipped=it.skipped))
            continue
        published = None if it.published_in_article else it.published
        try:
            if it.path is not None:
                raw = read_path(it.path, config, published)
            else:
                raw = RawInput(name=it.origin, content=it.text or "", kind="html" if it.html else "text",
                               id=it.id, published=published)
            doc = pipeline.process(raw)
        except ConflictLensError as exc:
            out.append(ArticleResult(it, error_code=exc.code, error_message=exc.message))
            continue
        except Exception as exc:  # noqa: BLE001 - a crash is this article's failure, reported as such
            out.append(ArticleResult(it, error_code="CRASH", error_message=f"{type(exc).__name__}: {exc}"))
            continue
        out.append(ArticleResult(it, document=doc))
    return out


def _external(task: str) -> Callable[[Path], dict]:
    mod_name, fn_name = EXTERNAL_SCORERS[task]
    try:
        mod = importlib.import_module(mod_name)
    except ImportError as exc:
        raise ConflictLensError("E705", task=task, detail=f"cannot import {mod_name}: {exc}") from None
    fn = getattr(mod, fn_name, None)
    if fn is None:
        raise ConflictLensError("E705", task=task, detail=f"{mod_name} has no {fn_name}()")
    return fn


def _clean_metrics(metrics: Any, task: str, gold: Path) -> dict[str, Any]:
    if not isinstance(metrics, dict):
        raise ConflictLensError("E708", task=task, path=str(gold), detail="scorer returned no metrics")
    return {str(k): v for k, v in metrics.items()}


def evaluate_set(gs: GoldSet, tasks: Optional[Iterable[str]] = None, *, pipeline: Any = None,
                 config: Optional[dict] = None, match_options: Any = None) -> list[TaskResult]:
    """Run the requested tasks (default: the set's own) on one gold set; never raises for a missing gold/scorer."""
    from .body import score_body
    from .events import MatchOptions, score_events

    wanted = [t for t in (tasks or gs.tasks) if t in gs.tasks]
    results: list[TaskResult] = []
    if not gs.gold.is_file():
        return [TaskResult(gs.name, t, str(gs.gold), skipped=f"E701 gold file not found: {gs.gold}") for t in wanted]
    article_tasks = [t for t in wanted if t in ARTICLE_TASKS]
    if article_tasks:
        t0 = time.perf_counter()
        try:
            items = load_items(gs.gold, gs.format)
            arts = run_articles(items, pipeline, config)
            skipped_all = arts and all(a.skipped for a in arts)
        except ConflictLensError as exc:
            arts, skipped_all = None, False
            reason = exc.line()
        elapsed = time.perf_counter() - t0
        for t in article_tasks:
            if arts is None:
                results.append(TaskResult(gs.name, t, str(gs.gold), skipped=reason))
                continue
            if skipped_all:
                results.append(TaskResult(gs.name, t, str(gs.gold), skipped=arts[0].skipped))
                continue
            t1 = time.perf_counter()
            out = score_body(arts) if t == "body" else score_events(arts, match_options or MatchOptions())
            results.append(TaskResult(gs.name, t, str(gs.gold), metrics=out["metrics"], errors=out["errors"],
                                      seconds=elapsed + time.perf_counter() - t1))
    for t in wanted:
        if t in ARTICLE_TASKS:
            continue
        t0 = time.perf_counter()
        try:
            out = _external(t)(gs.gold)
            results.append(TaskResult(gs.name, t, str(gs.gold), metrics=_clean_metrics(out.get("metrics"), t, gs.gold),
                                      errors=list(out.get("errors") or []), seconds=time.perf_counter() - t0))
        except ConflictLensError as exc:
            results.append(TaskResult(gs.name, t, str(gs.gold), skipped=exc.line()))
        except Exception as exc:  # noqa: BLE001 - another team's scorer crashed: report, do not crash eval
            results.append(TaskResult(gs.name, t, str(gs.gold),
                                      skipped=f"error[E705]: scorer for '{t}' crashed: {type(exc).__name__}: {exc}"))
    order = {t: n for n, t in enumerate(TASKS)}
    return sorted(results, key=lambda r: order[r.task])


def evaluate(gold: Optional[Path], task: str = "all", *, config_path: Optional[str] = None,
             match_options: Any = None, fmt: Optional[str] = None) -> list[TaskResult]:
    """Evaluate a gold file or a suite (``gold=None``: ``tests/eval/suite.json`` under the current directory)."""
    from ..pipeline import get_pipeline, load_config

    if task != "all" and task not in TASKS:
        raise ConflictLensError("E704", task=task, choices=", ".join(TASKS + ("all",)))
    gold = Path(gold) if gold is not None else DEFAULT_SUITE
    if not gold.exists():
        raise ConflictLensError("E701", path=str(gold))
    detected = ["events"] if fmt in ("acled", "gtd") else detect_tasks(gold)
    if detected == ["suite"]:
        sets = load_suite(gold)
    else:
        if task != "all" and task not in detected:
            raise ConflictLensError("E708", task=task, path=str(gold),
                                    detail=f"this file is gold for {', '.join(detected)}")
        sets = [GoldSet(name=gold.stem, tasks=detected, gold=gold, format=fmt)]
    tasks = None if task == "all" else [task]
    needs_pipeline = any(t in ARTICLE_TASKS for s in sets for t in (tasks or s.tasks) if t in s.tasks)
    config = pipeline = None
    if needs_pipeline:
        config = load_config(config_path)
        pipeline = get_pipeline(config_path)
    results: list[TaskResult] = []
    for s in sets:
        results.extend(evaluate_set(s, tasks, pipeline=pipeline, config=config, match_options=match_options))
    if not results:
        raise ConflictLensError("E708", task=task, path=str(gold), detail="no gold set in it has this task")
    return results
