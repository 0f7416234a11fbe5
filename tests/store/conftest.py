"""Fixtures for the storage tests: a database per test (SQLite and PostgreSQL), gold data, documents."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
GOLD = HERE / "gold" / "dedup_mentions.jsonl"


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request, tmp_path, fresh_pg_database):
    """A SQLAlchemy URL of an empty database; PostgreSQL skips without a test cluster."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with fresh_pg_database("cl_") as url:
        yield url


@pytest.fixture
def store(db_url):
    from conflictlens.store import Store

    s = Store(db_url)
    yield s
    s.close()


@pytest.fixture(scope="session")
def gold_records() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text("utf-8").splitlines() if line.strip()]


def doc_from_gold(rec: dict, *, confidence: float = 0.7):
    """A Document with one event, built from a gold mention (no extraction involved)."""
    from conflictlens.schema import Document, Event, Evidence, Source

    text = rec["evidence_text"]
    fields = {k: v for k, v in rec.items() if k in Event.model_fields and k != "evidence"}
    ev = Event(id="ev1", evidence=[Evidence(start=0, end=len(text), text=text)],
               confidence=confidence, **fields)
    body = f"{text}\n\n({rec['outlet']}, report {rec['source_id']})"
    return Document(source=Source(id=rec["source_id"], outlet=rec["outlet"],
                                  url=f"https://news.example/{rec['source_id']}", body=body),
                    events=[ev])


@pytest.fixture(scope="session")
def gold_path() -> Path:
    return GOLD


@pytest.fixture(scope="session")
def make_doc():
    """The function turning a gold mention into a Document."""
    return doc_from_gold


@pytest.fixture(scope="session")
def gold_docs(gold_records):
    """Gold mentions as Documents, in chronological order (as an ingest would see them)."""
    recs = sorted(gold_records, key=lambda r: (r["event_date"], r["source_id"]))
    return [(r, doc_from_gold(r)) for r in recs]
