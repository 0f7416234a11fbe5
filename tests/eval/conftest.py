"""Fixtures for the evaluation harness tests (tests/eval/).

Hand-made events and documents for the scorer unit tests, the synthetic
ACLED/GTD CSV files under ``data/`` (written by the team, fictional), and one
session-wide run of the project's gold suite for the quality gate.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest

from conflictlens.eval.adapters import ArticleResult, GoldItem
from conflictlens.schema import Document, Event, Evidence, Source, SUB_EVENT_TO_TYPE, disorder_type_for

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
DATA = HERE / "data"
SUITE = HERE / "suite.json"
FLOORS = HERE / "floors.json"


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture
def make_event() -> Callable[..., Event]:
    """Build a schema Event: ``make_event("Armed clash", "2024-03-01", evidence=(body, "text"), **fields)``."""
    counter = {"n": 0}

    def _make(sub: str = "Armed clash", day: str | None = "2024-03-01", *, evidence: tuple[str, str] | None = None,
              **fields: Any) -> Event:
        counter["n"] += 1
        et = fields.pop("event_type", SUB_EVENT_TO_TYPE[sub])
        ev = []
        if evidence is not None:
            body, text = evidence
            start = body.index(text)
            ev = [Evidence(start=start, end=start + len(text), text=text)]
        fields.setdefault("time_precision", 1 if day else None)
        return Event(id=f"e{counter['n']}", event_type=et, sub_event_type=sub,
                     disorder_type=disorder_type_for(et, sub), event_date=day, evidence=ev, **fields)

    return _make


@pytest.fixture
def make_result() -> Callable[..., ArticleResult]:
    """An ArticleResult for gold events + predicted events over a body (no pipeline involved)."""

    def _make(gold_events: list[dict], preds: list[Event], body: str = "", *, id: str = "a1",
              no_event_from: list[str] | None = None, **item_fields: Any) -> ArticleResult:
        item = GoldItem(id=id, origin=f"test:{id}", text=body, events=gold_events,
                        no_event_from=no_event_from or [], **item_fields)
        doc = Document(source=Source(id=id, body=body), events=preds)
        return ArticleResult(item, document=doc)

    return _make


@pytest.fixture(scope="session")
def suite_results():
    """The project's gold suite evaluated once per session (real pipeline; ~10 s)."""
    from conflictlens.eval.runner import evaluate

    try:
        return {r.key: r for r in evaluate(SUITE, "all")}
    except ImportError as exc:  # the pipeline is being written in parallel
        pytest.skip(f"pipeline not importable: {exc}")
