"""Helpers for the engine tests: synthetic reports, corpus paths, table dumps."""
from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select

REPO = Path(__file__).resolve().parents[2]
GOLD_ARTICLES = REPO / "tests" / "extract" / "gold" / "articles"
SAMPLES = REPO / "samples"

# Fast, model-free pipeline (blank spaCy + rule events + gazetteer + finalise).
FAST = {"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules", "geo.gazetteer",
                                "events.finalise"]},
        "stages": {"nlp.spacy": {"blank": True}}}

PLACES = ["Bannu", "Quetta", "Peshawar", "Turbat", "Zhob", "Khuzdar", "Mogadishu", "Kismayo",
          "Goma", "Bunia", "Maiduguri", "Kaduna"]
OUTLETS = ["Frontier Desk", "Valley Wire", "Coastal Herald"]
VERBS = ["attacked", "ambushed", "stormed"]


def synthetic_article(i: int) -> dict:
    """A short made-up report in our own words.  Every third article is another outlet's
    report of the previous incident, so cross-source dedup has something to merge."""
    inc = i // 3
    place = PLACES[inc % len(PLACES)]
    n = 2 + inc % 9
    day = 1 + inc % 27
    outlet = OUTLETS[i % 3]
    verb = VERBS[i % 3]
    return {
        "id": f"syn-{i:04d}",
        "published": f"2024-06-{day + 1:02d}",
        "title": f"Attack near {place}",
        "url": f"https://news.example/{outlet.split()[0].lower()}/{i}",
        "text": (f"{place.upper()} ({outlet}) - Gunmen {verb} a police post in {place} on "
                 f"{['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'][day % 7]}, "
                 f"killing {n} policemen, local officials said. Residents said the gunfire lasted "
                 f"for about an hour before the attackers withdrew. (Report {i} by the {outlet}.)"),
    }


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return path


# Columns that hold wall-clock times or run ids (they differ between any two runs).
VOLATILE = {"created_at", "updated_at", "joined_at", "ingested_at", "at", "started_at",
            "finished_at", "run_id", "workers"}


def dump_tables(db_url: str) -> dict[str, list[tuple]]:
    """Every stored table as sorted rows, without the volatile columns."""
    from conflictlens.store import Store
    from conflictlens.store import models as M

    out = {}
    s = Store(db_url, create=False)
    try:
        with s.engine.connect() as conn:
            for t in (M.sources, M.event_mentions, M.events, M.aggregates, M.quotes, M.actors,
                      M.places, M.failures):
                cols = [c for c in t.c if c.name not in VOLATILE]
                rows = [tuple(json.dumps(v, sort_keys=True, default=str) for v in r)
                        for r in conn.execute(select(*cols))]
                out[t.name] = sorted(rows)
    finally:
        s.close()
    return out
