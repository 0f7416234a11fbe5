"""Second blind held-out measurement of the extractor (``tests/extract/heldout2/``).

20 team-written articles (plain text, plain-text pages with web debris, HTML
pages, two event-free analysis/opinion pieces) coded by hand from the ACLED
coding reference without looking at the extractor's code or output; see
``tests/extract/heldout2/README.md`` for the protocol and the measured numbers.

This file is a *measurement*, not a gate.  It asserts only that the gold is
well-formed and that the scorer ran over every record; the per-field accuracy
table is printed (run with ``-s``)::

    .venv/bin/python -m pytest tests/extract/test_heldout2.py -q -s
    .venv/bin/python tests/extract/test_heldout2.py [-v]    # same table as a script (-v: every mismatch)

Scoring reuses the helpers of ``test_gold_articles.py`` unchanged, so the
numbers are comparable with the development set and the first held-out set.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from conflictlens.schema import EVENT_TYPES

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # running this file as a script
    sys.path.insert(0, str(HERE))

from test_gold_articles import (  # noqa: E402 - needs the sys.path entry above
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

H2_DIR = HERE / "heldout2"
H2_GOLD = H2_DIR / "gold.jsonl"
COUNTRIES_JSON = HERE.parents[1] / "conflictlens" / "data" / "countries.json"

#: Keys of every record, as in tests/extract/gold/gold.jsonl.
RECORD_KEYS = frozenset({"id", "file", "published", "published_in_article", "expect_error", "source",
                         "body_must_contain", "body_must_not_contain", "events", "aggregates", "no_event_from",
                         "notes"})
AGGREGATE_KINDS = frozenset({"fatalities", "arrests", "injuries", "attacks", "operations", "other"})
ID_PATTERN = re.compile(r"^[a-z]{2}-h2-\d{2}-[a-z0-9-]+$")


# --- loading and running ----------------------------------------------------------------

def load_h2_records() -> list[dict[str, Any]]:
    """Records of ``heldout2/gold.jsonl`` with ``_path`` (resolved article file) and ``_shared`` False."""
    records = []
    for line in H2_GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            rec["_path"] = H2_DIR / rec["file"]
            rec["_shared"] = False
            records.append(rec)
    return records


def _extract_conftest() -> Any:
    """``tests/extract/conftest.py`` loaded as a module, for its ``run_gold_record`` (file left untouched)."""
    name = "_extract_conftest_for_heldout2"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # the dataclass in it needs its module registered
        spec.loader.exec_module(module)
    return sys.modules[name]


def run_h2(pipe: Any, config: dict, read_path: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Each held-out article through ``read_path`` + ``pipe.process``; ``{id: GoldResult}``."""
    run = _extract_conftest().run_gold_record
    return {rec["id"]: run(rec, pipe, config, read_path) for rec in records}


def article_text(path: Path) -> str:
    """Whitespace-normalised text of an article; for HTML only the ``<article>`` element, tags stripped."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        m = re.search(r"<article\b.*?</article>", raw, flags=re.S)
        raw = re.sub(r"<[^>]+>", " ", m.group(0) if m else raw)
    return norm_text(raw)


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def h2_records() -> list[dict[str, Any]]:
    return load_h2_records()


@pytest.fixture(scope="module")
def h2_results(extractor, h2_records) -> dict[str, Any]:
    """The set processed once by the real default pipeline (``extractor`` from tests/extract/conftest.py)."""
    pipe, config, read_path = extractor
    return run_h2(pipe, config, read_path, h2_records)


@pytest.fixture(scope="module")
def iso3_by_country() -> dict[str, str]:
    data = json.loads(COUNTRIES_JSON.read_text(encoding="utf-8"))
    return {c["name"].casefold(): c["iso3"] for c in data["countries"]}


# --- well-formedness (no extractor needed) ------------------------------------------------------

def test_heldout2_set_composition(h2_records):
    """The set has the size and variety the brief asks for."""
    recs = h2_records
    ids = [r["id"] for r in recs]
    assert len(recs) == 20 and len(set(ids)) == 20
    assert all(ID_PATTERN.match(i) for i in ids), [i for i in ids if not ID_PATTERN.match(i)]
    assert sum(i.startswith(("pk-", "af-")) for i in ids) >= 5
    on_disk = {p.name for p in (H2_DIR / "articles").iterdir() if p.is_file()}
    assert on_disk == {Path(r["file"]).name for r in recs}, "heldout2/articles and gold.jsonl disagree"
    assert sum(r["file"].endswith(".html") for r in recs) >= 3
    assert sum(bool(r["body_must_not_contain"]) and r["file"].endswith(".txt") for r in recs) >= 2
    assert sum(not r["events"] for r in recs) >= 2
    assert sum(len(r["events"]) >= 2 for r in recs) >= 6
    assert sum(len(r["events"]) for r in recs) >= 30
    assert sum(len(r["aggregates"]) for r in recs) >= 1
    assert sum(len(r["no_event_from"]) for r in recs) >= 3
    types = {e["event_type"] for r in recs for e in r["events"]}
    assert types == set(EVENT_TYPES), f"event types not covered: {set(EVENT_TYPES) - types}"
    dev_ids = {json.loads(x)["id"] for x in (HERE / "gold" / "gold.jsonl").read_text("utf-8").splitlines() if x.strip()}
    assert not dev_ids & set(ids)


def test_heldout2_gold_is_well_formed(h2_records, iso3_by_country):
    """Format, taxonomy, dates, counts and every substring of the gold, checked against the articles."""
    problems: list[str] = []
    allowed = set(SCORED_FIELDS) | META_KEYS
    for r in h2_records:
        rid = r["id"]
        if set(r) - {"_path", "_shared"} != RECORD_KEYS:
            problems.append(f"{rid}: keys {sorted(set(r) ^ RECORD_KEYS - {'_path', '_shared'})} differ")
        raw = r["_path"].read_text(encoding="utf-8")
        full = norm_text(re.sub(r"<[^>]+>", " ", raw)) if r["_path"].suffix == ".html" else norm_text(raw)
        words = len(article_text(r["_path"]).split())
        if not 80 <= words <= 260:
            problems.append(f"{rid}: {words} words in the article text")
        published = date.fromisoformat(r["published"])
        if r["expect_error"] is not None:
            problems.append(f"{rid}: no error expected in this set")
        for a in r["aggregates"]:
            if a["kind"] not in AGGREGATE_KINDS or not isinstance(a["value"], int) or a["value"] < 0:
                problems.append(f"{rid}: bad aggregate {a}")
        needles = r["body_must_contain"] + r["body_must_not_contain"] + r["no_event_from"]
        needles += [a["evidence_contains"] for a in r["aggregates"]]
        for n in needles:
            if norm_text(n) not in full:
                problems.append(f"{rid}: {n!r} not in the article")
        for g in r["events"]:
            where = f"{rid}: event {_alternatives(g['evidence_contains'])[0]!r}"
            if set(g) - allowed:
                problems.append(f"{where}: unknown keys {sorted(set(g) - allowed)}")
            hits = sum(len(find_spans(raw, n)) for n in _alternatives(g["evidence_contains"]))
            if hits == 0:
                problems.append(f"{where}: evidence not in the article")
            elif hits > len(_alternatives(g["evidence_contains"])):
                problems.append(f"{where}: evidence occurs more than once")
            if g["event_type"] not in EVENT_TYPES or g.get("sub_event_type") not in EVENT_TYPES.get(g["event_type"], ()):
                problems.append(f"{where}: bad event/sub-event type")
            if "fatalities" not in g or g["fatalities"] < 0:
                problems.append(f"{where}: fatalities missing")
            if "fatalities_low" in g and not g["fatalities_low"] <= g["fatalities"] <= g["fatalities_high"]:
                problems.append(f"{where}: fatalities outside low..high")
            if g.get("fatalities_known") is False and g["fatalities"] != 0:
                problems.append(f"{where}: unknown fatalities must be coded 0")
            if iso3_by_country.get(g.get("country", "").casefold()) != g.get("iso3"):
                problems.append(f"{where}: country {g.get('country')!r} / iso3 {g.get('iso3')!r} mismatch")
            if ("event_date" in g) == ("event_date_between" in g):
                problems.append(f"{where}: give exactly one of event_date / event_date_between")
            days = [date.fromisoformat(g[f]) for f in DATE_FIELDS if f in g]
            days += [date.fromisoformat(d) for d in g.get("event_date_between", [])]
            if any(d > published for d in days):
                problems.append(f"{where}: dated after publication")
            if "event_date_between" in g and not g["event_date_between"][0] <= g["event_date_between"][1]:
                problems.append(f"{where}: event_date_between not ordered")
            if g.get("time_precision") not in (None, 1, 2, 3):
                problems.append(f"{where}: bad time_precision")
            if g.get("time_precision") in (2, 3) and not {"event_date_start", "event_date_end"} <= set(g):
                problems.append(f"{where}: precision 2-3 needs the window")
    assert not problems, "\n".join(problems)


def test_checker_accepts_perfect_coding_of_heldout2(h2_records):
    """A document built from each gold record passes the shared checker: the gold fits schema and scorer."""
    for rec in h2_records:
        doc = _perfect_document(rec)
        result = SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None, skipped=None)
        problems, fields = check_article(result)
        # body_must_not_contain is about cleaning, which the raw file used here has not had
        problems = [p for p in problems if not p.startswith("body still contains debris")]
        assert problems == [], f"{rec['id']}: {problems}"
        assert fields["event_found"] == [True] * len(rec["events"])


# --- the measurement -----------------------------------------------------------------------

def test_heldout2_summary(h2_results, h2_records):
    """Prints the per-field accuracy table (with -s); asserts only that every record was scored."""
    scores = score_gold(h2_results)
    print(f"\nheld-out set 2 ({len(h2_records)} articles)\n" + format_scores(scores))
    assert set(h2_results) == {r["id"] for r in h2_records}
    assert not [r.record["id"] for r in h2_results.values() if r.skipped]
    assert scores["article_all_correct"]["total"] == len(h2_records)
    assert scores["event_found"]["total"] == sum(len(r["events"]) for r in h2_records)


def _main(argv: list[str]) -> None:  # pragma: no cover - manual scoring run
    from conflictlens.ingest.readers import read_path
    from conflictlens.pipeline import get_pipeline, load_config

    records = load_h2_records()
    results = run_h2(get_pipeline(), load_config(), read_path, records)
    if "-v" in argv:
        for res in results.values():
            problems, _ = check_article(res)
            print(f"{res.record['id']}: {'ok' if not problems else ''}")
            for p in problems:
                print(f"    - {p}")
    print(format_scores(score_gold(results)))


if __name__ == "__main__":  # pragma: no cover
    _main(sys.argv[1:])
