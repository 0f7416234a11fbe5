"""Fixtures for the extraction gold set (tests/extract/gold/).

The gold files are written by the team from the ACLED coding reference, not
from program output; see ``docs/gold.md`` for the format.  The pipeline runs
once per test session over every gold article (``gold_results``), so the
per-article tests and the summary scorer share one extraction pass.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Optional

import pytest

HERE = Path(__file__).resolve().parent
GOLD_DIR = HERE / "gold"
GOLD_FILE = GOLD_DIR / "gold.jsonl"
SAMPLE_GOLD_FILE = GOLD_DIR / "sample_gold.json"
# ../shared next to the repository root (read only; never copied into the project)
SHARED_DIR = HERE.parents[1] / ".." / "shared"


def load_gold_records() -> list[dict[str, Any]]:
    """All gold records: gold.jsonl, then the shared DW sample record.

    Each record gets ``_path`` (the article file, resolved) and ``_shared``
    (True when the file lives in ../shared and may be absent).
    """
    records: list[dict[str, Any]] = []
    with open(GOLD_FILE, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                rec["_path"] = GOLD_DIR / rec["file"]
                rec["_shared"] = False
                records.append(rec)
    sample = json.loads(SAMPLE_GOLD_FILE.read_text(encoding="utf-8"))
    sample["_path"] = (SHARED_DIR / sample["shared_file"]).resolve()
    sample["_shared"] = True
    records.append(sample)
    return records


@dataclass
class GoldResult:
    """What the pipeline did with one gold article."""

    record: dict[str, Any]
    document: Any = None  # conflictlens.schema.Document
    error_code: Optional[str] = None
    error_message: Optional[str] = None
    skipped: Optional[str] = None  # reason, when the article could not be run at all


def run_gold_record(rec: dict[str, Any], pipe: Any, config: dict, read_path: Any) -> GoldResult:
    """Run one gold article through ``read_path`` + ``pipe.process``."""
    from conflictlens.errors import ConflictLensError

    path: Path = rec["_path"]
    if rec.get("_shared") and not path.is_file():
        return GoldResult(rec, skipped=f"shared sample {path} is not present")
    published = None if rec.get("published_in_article") else date.fromisoformat(rec["published"])
    try:
        raw = read_path(path, config, published)
        doc = pipe.process(raw)
    except ConflictLensError as exc:
        return GoldResult(rec, error_code=exc.code, error_message=exc.message)
    except Exception as exc:  # noqa: BLE001 - a crash is a gold failure of this article only
        return GoldResult(rec, error_code="CRASH", error_message=f"{type(exc).__name__}: {exc}")
    return GoldResult(rec, document=doc)


@pytest.fixture(scope="session")
def gold_records() -> list[dict[str, Any]]:
    return load_gold_records()


@pytest.fixture(scope="session")
def extractor():
    """(pipeline, config, read_path) of the real default pipeline; skips if not importable yet."""
    try:
        from conflictlens.ingest.readers import read_path
        from conflictlens.pipeline import get_pipeline, load_config
    except ImportError as exc:  # the extractor is being written in parallel
        pytest.skip(f"extractor not importable yet: {exc}")
    try:
        config = load_config()
        pipe = get_pipeline()
    except Exception as exc:  # noqa: BLE001 - report any build failure as a skip reason
        pytest.skip(f"default pipeline cannot be built: {type(exc).__name__}: {exc}")
    return pipe, config, read_path


@pytest.fixture(scope="session")
def gold_results(extractor, gold_records) -> dict[str, GoldResult]:
    """Every gold article processed once per session, keyed by gold id."""
    pipe, config, read_path = extractor
    return {rec["id"]: run_gold_record(rec, pipe, config, read_path) for rec in gold_records}


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize any test asking for ``gold_record``: one test id per gold article."""
    if "gold_record" in metafunc.fixturenames:
        records = load_gold_records()
        metafunc.parametrize("gold_record", records, ids=[r["id"] for r in records])
