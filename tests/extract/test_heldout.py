"""Blind held-out measurement of the extractor (``tests/extract/heldout/``).

The held-out articles and their gold values were written from the ACLED
coding reference without looking at the extractor's code or output (see
``tests/extract/heldout/README.md``).  Unlike ``test_gold_articles.py`` this
file is a *measurement*, not a gate: it checks that the held-out gold is
well-formed and that the scorer ran over every record, and prints the
per-field accuracy table (run with ``-s``)::

    .venv/bin/python -m pytest tests/extract/test_heldout.py -q -s
    .venv/bin/python tests/extract/test_heldout.py [-v]      # same table as a script (-v: every mismatch)

Scoring reuses the helpers of ``test_gold_articles.py`` unchanged, so the
numbers are comparable with the development gold set.
"""
from __future__ import annotations

import importlib.util
import json
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conflictlens.schema import EVENT_TYPES

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # allow running this file as a script
    sys.path.insert(0, str(HERE))

from test_gold_articles import (  # noqa: E402 - after the sys.path fix above
    DATE_FIELDS,
    META_KEYS,
    SCORED_FIELDS,
    _alternatives,
    _perfect_document,
    check_article,
    find_spans,
    format_scores,
    norm_text,
    score_gold,
)

HELDOUT_DIR = HERE / "heldout"
HELDOUT_FILE = HELDOUT_DIR / "gold.jsonl"
COUNTRIES_FILE = HERE.parents[1] / "conflictlens" / "data" / "countries.json"

# Keys every held-out record carries (same as tests/extract/gold/gold.jsonl).
RECORD_KEYS = {"id", "file", "published", "published_in_article", "expect_error", "source", "body_must_contain",
               "body_must_not_contain", "events", "aggregates", "no_event_from", "notes"}
AGGREGATE_KINDS = {"fatalities", "arrests", "injuries", "attacks", "operations", "other"}


def _load_gold_conftest() -> Any:
    """``tests/extract/conftest.py`` as a module (for ``run_gold_record``), without touching that file."""
    name = "_extract_gold_conftest_for_heldout"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # dataclasses need the module registered
        spec.loader.exec_module(module)
    return sys.modules[name]


def load_heldout_records() -> list[dict[str, Any]]:
    """The held-out records, each with ``_path`` (its article, resolved) and ``_shared`` False."""
    records = []
    with open(HELDOUT_FILE, encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                rec = json.loads(line)
                rec["_path"] = HELDOUT_DIR / rec["file"]
                rec["_shared"] = False
                records.append(rec)
    return records


def run_heldout(pipe: Any, config: dict, read_path: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Every held-out article through the real pipeline, keyed by id (``GoldResult`` values)."""
    run_gold_record = _load_gold_conftest().run_gold_record
    return {rec["id"]: run_gold_record(rec, pipe, config, read_path) for rec in records}


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def heldout_records() -> list[dict[str, Any]]:
    return load_heldout_records()


@pytest.fixture(scope="module")
def heldout_results(extractor, heldout_records) -> dict[str, Any]:
    """The held-out set processed once (``extractor`` comes from tests/extract/conftest.py)."""
    pipe, config, read_path = extractor
    return run_heldout(pipe, config, read_path, heldout_records)


@pytest.fixture(scope="module")
def country_iso3() -> dict[str, str]:
    """ACLED country name (case-folded) -> ISO3, from the project's country table."""
    data = json.loads(COUNTRIES_FILE.read_text(encoding="utf-8"))
    return {c["name"].casefold(): c["iso3"] for c in data["countries"]}


# --- tests -----------------------------------------------------------------------------------

def test_heldout_gold_is_well_formed(heldout_records, country_iso3):
    """The held-out gold itself: format, taxonomy, dates, counts, substrings. Runs without the extractor."""
    recs = heldout_records
    problems: list[str] = []
    ids = [r["id"] for r in recs]
    assert len(ids) == len(set(ids)), "duplicate held-out ids"
    assert len(recs) >= 15, f"only {len(recs)} held-out articles"
    assert sum(i.startswith(("pk-", "af-")) for i in ids) >= 5, "fewer than 5 Pakistan/Afghanistan articles"
    on_disk = {p.name for p in (HELDOUT_DIR / "articles").iterdir() if p.is_file()}
    assert on_disk == {Path(r["file"]).name for r in recs}, "heldout/articles and gold.jsonl disagree"
    dev_ids = {json.loads(line)["id"] for line in (HERE / "gold" / "gold.jsonl").read_text("utf-8").splitlines()
               if line.strip()}
    assert not dev_ids & set(ids), "held-out ids collide with the development gold set"

    allowed = set(SCORED_FIELDS) | META_KEYS
    n_aggregates = n_distractors = 0
    for r in recs:
        missing = RECORD_KEYS - set(r)
        if missing:
            problems.append(f"{r['id']}: missing keys {sorted(missing)}")
        text = norm_text(r["_path"].read_text("utf-8"))
        words = len(text.split())
        if not 80 <= words <= 250:
            problems.append(f"{r['id']}: {words} words (want 80-250)")
        published = date.fromisoformat(r["published"])
        needles = list(r["body_must_contain"]) + list(r["no_event_from"])
        needles += [a["evidence_contains"] for a in r["aggregates"]]
        for a in r["aggregates"]:
            if a["kind"] not in AGGREGATE_KINDS or not isinstance(a["value"], int) or a["value"] < 0:
                problems.append(f"{r['id']}: bad aggregate {a}")
        n_aggregates += len(r["aggregates"])
        n_distractors += len(r["no_event_from"])
        if not r["events"] and not r.get("expect_error"):
            problems.append(f"{r['id']}: no events")
        for g in r["events"]:
            where = f"{r['id']}: event {g.get('label') or _alternatives(g['evidence_contains'])[0]!r}"
            unknown = set(g) - allowed
            if unknown:
                problems.append(f"{where}: unknown keys {sorted(unknown)}")
            hits = [find_spans(r["_path"].read_text("utf-8"), n) for n in _alternatives(g["evidence_contains"])]
            if not any(hits):
                problems.append(f"{where}: evidence not in article")
            elif sum(len(h) for h in hits) > 1:
                problems.append(f"{where}: evidence is ambiguous (occurs more than once)")
            if g["event_type"] not in EVENT_TYPES:
                problems.append(f"{where}: bad event_type")
            elif g.get("sub_event_type") not in EVENT_TYPES[g["event_type"]]:
                problems.append(f"{where}: sub_event_type not in {g['event_type']}")
            if "fatalities_low" in g and not g["fatalities_low"] <= g["fatalities"] <= g["fatalities_high"]:
                problems.append(f"{where}: fatalities outside low..high")
            if g.get("fatalities_known") is False and g.get("fatalities") != 0:
                problems.append(f"{where}: unknown fatalities must be coded 0")
            if ("country" in g) != ("iso3" in g):
                problems.append(f"{where}: country and iso3 must come together")
            elif "country" in g and country_iso3.get(g["country"].casefold()) != g["iso3"]:
                problems.append(f"{where}: {g['country']!r} is not {g['iso3']}")
            if ("event_date" in g) == ("event_date_between" in g):
                problems.append(f"{where}: give exactly one of event_date / event_date_between")
            dates = {f: date.fromisoformat(g[f]) for f in DATE_FIELDS if f in g}
            if "event_date_between" in g:
                lo, hi = map(date.fromisoformat, g["event_date_between"])
                if not lo <= hi:
                    problems.append(f"{where}: event_date_between is not ordered")
                dates["between_hi"] = hi
            if any(d > published for d in dates.values()):
                problems.append(f"{where}: event dated after publication")
            if g.get("time_precision") in (2, 3):
                if "event_date_start" not in dates or "event_date_end" not in dates:
                    problems.append(f"{where}: precision 2-3 needs the window")
                else:
                    s, e = dates["event_date_start"], dates["event_date_end"]
                    if (e - s).days % 2 or dates.get("event_date") != s + (e - s) / 2:
                        problems.append(f"{where}: event_date is not the (unambiguous) window midpoint")
            elif g.get("time_precision") not in (None, 1):
                problems.append(f"{where}: bad time_precision")
        for n in needles:
            if norm_text(n) not in text:
                problems.append(f"{r['id']}: {n!r} not in article")
    assert n_aggregates >= 1 and n_distractors >= 3
    assert not problems, "\n".join(problems)


def test_checker_accepts_a_perfect_coding_of_each_heldout_article(heldout_records):
    """A Document built from each gold record passes the shared checker (gold values fit the schema and scorer)."""
    for rec in heldout_records:
        doc = _perfect_document(rec)
        result = SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None, skipped=None)
        problems, fields = check_article(result)
        assert problems == [], f"{rec['id']}: {problems}"
        assert fields["event_found"] == [True] * len(rec["events"])


def test_heldout_summary(heldout_results, heldout_records):
    """Prints the held-out per-field accuracy table (with -s); a measurement, so no per-article assertion."""
    scores = score_gold(heldout_results)
    print(f"\nheld-out set ({len(heldout_records)} articles)\n" + format_scores(scores))
    skipped = [r.record["id"] for r in heldout_results.values() if r.skipped]
    assert not skipped, f"held-out articles not run: {skipped}"
    assert set(heldout_results) == {r["id"] for r in heldout_records}
    assert scores["article_all_correct"]["total"] == len(heldout_records)
    assert scores["event_found"]["total"] == sum(len(r["events"]) for r in heldout_records
                                                 if not r.get("expect_error"))


def _main(argv: list[str]) -> None:  # pragma: no cover - manual scoring run
    from conflictlens.ingest.readers import read_path
    from conflictlens.pipeline import get_pipeline, load_config

    records = load_heldout_records()
    results = run_heldout(get_pipeline(), load_config(), read_path, records)
    if "-v" in argv:
        for res in results.values():
            problems, _ = check_article(res)
            print(f"{res.record['id']}: {'ok' if not problems else ''}")
            for p in problems:
                print(f"    - {p}")
    print(format_scores(score_gold(results)))


if __name__ == "__main__":  # pragma: no cover
    _main(sys.argv[1:])
