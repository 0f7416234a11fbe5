"""Third blind held-out measurement of the extractor (``tests/extract/heldout3/``).

20 team-written articles (plain text, plain-text pages with web debris, HTML
pages, two event-free pieces) coded by hand from the ACLED coding reference
without opening the extractor's code or lexicon and without running it; see
``tests/extract/heldout3/README.md`` for the protocol, the freeze checksums and
the measured numbers.

This file is a *measurement*, not a gate.  It asserts only that the gold is
well-formed (and unchanged since it was frozen), that a document coded exactly
as the gold scores perfectly, and that the scorer ran over every record; the
per-field accuracy table is printed (run with ``-s``)::

    .venv/bin/python -m pytest tests/extract/test_heldout3.py -q -s
    .venv/bin/python tests/extract/test_heldout3.py [-v]    # same table as a script (-v: every mismatch)

Scoring reuses the helpers of ``test_gold_articles.py`` unchanged, so the
numbers are comparable with the development set and the earlier held-out sets.
"""
from __future__ import annotations

import hashlib
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

H3_DIR = HERE / "heldout3"
H3_GOLD = H3_DIR / "gold.jsonl"
H3_README = H3_DIR / "README.md"
COUNTRIES_JSON = HERE.parents[1] / "conflictlens" / "data" / "countries.json"

#: Keys of every record, as in tests/extract/gold/gold.jsonl.
RECORD_KEYS = frozenset({"id", "file", "published", "published_in_article", "expect_error", "source",
                         "body_must_contain", "body_must_not_contain", "events", "aggregates", "no_event_from",
                         "notes"})
SOURCE_KEYS = frozenset({"title", "published", "dateline", "outlet", "authors"})
AGGREGATE_KINDS = frozenset({"fatalities", "arrests", "injuries", "attacks", "operations", "other"})
ID_PATTERN = re.compile(r"^[a-z]{2}-h3-\d{2}-[a-z0-9-]+$")
#: ``<sha256>  <path relative to heldout3/>`` lines of the freeze record in the README.
FREEZE_LINE = re.compile(r"^([0-9a-f]{64})  (\S+)$", re.M)


# --- loading and running ----------------------------------------------------------------

def load_h3_records() -> list[dict[str, Any]]:
    """Records of ``heldout3/gold.jsonl`` with ``_path`` (resolved article file) and ``_shared`` False."""
    records = []
    for line in H3_GOLD.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            rec["_path"] = H3_DIR / rec["file"]
            rec["_shared"] = False
            records.append(rec)
    return records


def _extract_conftest() -> Any:
    """``tests/extract/conftest.py`` loaded as a module, for its ``run_gold_record`` (file left untouched)."""
    name = "_extract_conftest_for_heldout3"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # the dataclass in it needs its module registered
        spec.loader.exec_module(module)
    return sys.modules[name]


def run_h3(pipe: Any, config: dict, read_path: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
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


def frozen_checksums() -> dict[str, str]:
    """``{relative path: sha256}`` from the freeze record in ``heldout3/README.md``."""
    return {path: digest for digest, path in FREEZE_LINE.findall(H3_README.read_text(encoding="utf-8"))}


def perfect_h3_document(rec: dict[str, Any]) -> Any:
    """``_perfect_document`` of the shared checker, with ``actors_include`` names filled into empty actor slots.

    The shared helper copies only actor1/actor2/assoc fields; an event whose
    sides are given as ``actors_include`` (initiator unknown) gets them here.
    """
    doc = _perfect_document(rec)
    for g, event in zip(rec["events"], doc.events):
        free = [f for f in ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2") if getattr(event, f) is None]
        for name in g.get("actors_include", []):
            setattr(event, free.pop(0), name)
    return doc


# --- fixtures --------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def h3_records() -> list[dict[str, Any]]:
    return load_h3_records()


@pytest.fixture(scope="module")
def h3_results(extractor, h3_records) -> dict[str, Any]:
    """The set processed once by the real default pipeline (``extractor`` from tests/extract/conftest.py)."""
    pipe, config, read_path = extractor
    return run_h3(pipe, config, read_path, h3_records)


@pytest.fixture(scope="module")
def iso3_by_country() -> dict[str, str]:
    data = json.loads(COUNTRIES_JSON.read_text(encoding="utf-8"))
    return {c["name"].casefold(): c["iso3"] for c in data["countries"]}


# --- well-formedness (no extractor needed) ------------------------------------------------------

def test_heldout3_set_composition(h3_records):
    """The set has the size and variety the brief asks for."""
    recs = h3_records
    ids = [r["id"] for r in recs]
    assert len(recs) == 20 and len(set(ids)) == 20
    assert all(ID_PATTERN.match(i) for i in ids), [i for i in ids if not ID_PATTERN.match(i)]
    assert all(Path(r["file"]).stem == r["id"] for r in recs), "file name must be the id"
    assert sum(i.startswith(("pk-", "af-")) for i in ids) >= 7
    assert len({i[:2] for i in ids}) >= 10, "too few countries"
    on_disk = {p.name for p in (H3_DIR / "articles").iterdir() if p.is_file()}
    assert on_disk == {Path(r["file"]).name for r in recs}, "heldout3/articles and gold.jsonl disagree"
    assert sum(r["file"].endswith(".html") for r in recs) >= 3
    assert sum(bool(r["body_must_not_contain"]) and r["file"].endswith(".txt") for r in recs) >= 2
    assert sum(not r["events"] for r in recs) >= 2
    assert sum(len(r["events"]) >= 2 for r in recs) >= 6
    assert sum(len(r["events"]) for r in recs) >= 33
    assert sum(bool(r["aggregates"]) for r in recs) >= 3
    assert sum(len(r["no_event_from"]) for r in recs) >= 3
    types = {e["event_type"] for r in recs for e in r["events"]}
    assert types == set(EVENT_TYPES), f"event types not covered: {set(EVENT_TYPES) - types}"
    others = set()
    for name in ("gold", "heldout", "heldout2"):
        gold_file = HERE / name / "gold.jsonl"
        if gold_file.is_file():
            others |= {json.loads(x)["id"] for x in gold_file.read_text("utf-8").splitlines() if x.strip()}
    assert not others & set(ids), "ids clash with another gold set"


def test_heldout3_gold_is_well_formed(h3_records, iso3_by_country):
    """Format, taxonomy, dates, counts and every substring of the gold, checked against the articles."""
    problems: list[str] = []
    allowed = set(SCORED_FIELDS) | META_KEYS
    for r in h3_records:
        rid = r["id"]
        keys = set(r) - {"_path", "_shared"}
        if keys != RECORD_KEYS:
            problems.append(f"{rid}: keys {sorted(keys ^ RECORD_KEYS)} differ from the gold format")
        if set(r["source"]) - SOURCE_KEYS:
            problems.append(f"{rid}: unknown source keys {sorted(set(r['source']) - SOURCE_KEYS)}")
        if r["published_in_article"] and r["source"].get("published") != r["published"]:
            problems.append(f"{rid}: a date carried by the article must be checked as source.published")
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
            if a["evidence_contains"] not in r["no_event_from"]:
                problems.append(f"{rid}: tally {a['evidence_contains']!r} should also be a no_event_from distractor")
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
            if any(norm_text(n) in norm_text(d) or norm_text(d) in norm_text(n)
                   for n in _alternatives(g["evidence_contains"]) for d in r["no_event_from"]):
                problems.append(f"{where}: evidence overlaps a distractor")
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
            if (g.get("time_precision") in (2, 3) and "event_date_between" not in g
                    and not {"event_date_start", "event_date_end"} <= set(g)):
                problems.append(f"{where}: precision 2-3 needs a window")
    assert not problems, "\n".join(problems)


def test_heldout3_is_frozen():
    """Every gold file matches the SHA-256 taken when the set was frozen (README), and nothing was added."""
    frozen = frozen_checksums()
    on_disk = {"gold.jsonl"} | {f"articles/{p.name}" for p in (H3_DIR / "articles").iterdir() if p.is_file()}
    assert set(frozen) == on_disk, f"freeze record and files differ: {sorted(set(frozen) ^ on_disk)}"
    changed = [p for p, digest in frozen.items() if hashlib.sha256((H3_DIR / p).read_bytes()).hexdigest() != digest]
    assert not changed, f"frozen gold files changed after the freeze: {changed}"


def test_checker_accepts_perfect_coding_of_heldout3(h3_records):
    """A document built exactly from each gold record passes the shared checker (no extractor involved)."""
    for rec in h3_records:
        doc = perfect_h3_document(rec)
        result = SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None, skipped=None)
        problems, fields = check_article(result)
        # body_must_not_contain is about cleaning, which the raw file used here has not had
        problems = [p for p in problems if not p.startswith("body still contains debris")]
        assert problems == [], f"{rec['id']}: {problems}"
        assert fields["event_found"] == [True] * len(rec["events"])
        assert fields.get("aggregate_found", []) == [True] * len(rec["aggregates"])


def test_checker_flags_a_wrong_coding_of_heldout3(h3_records):
    """The same checker is not silent on this set: one changed field and one extra event are both reported."""
    rec = next(r for r in h3_records if len(r["events"]) >= 2 and r["no_event_from"])
    doc = perfect_h3_document(rec)
    doc.events[0].fatalities = rec["events"][0]["fatalities"] + 1
    s, e = find_spans(doc.source.body, rec["no_event_from"][0])[0]
    doc.events.append(doc.events[1].model_copy(update={"id": "extra", "evidence": [
        doc.events[1].evidence[0].model_copy(update={"start": s, "end": e, "text": doc.source.body[s:e]})]}))
    result = SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None, skipped=None)
    problems, fields = check_article(result)
    text = "\n".join(problems)
    assert "fatalities: expected" in text and "distractor" in text
    assert f"expected {len(rec['events'])} events, got {len(rec['events']) + 1}" in text
    assert False in fields["fatalities"] and False in fields["no_event_from"]


# --- the measurement -----------------------------------------------------------------------

def test_heldout3_summary(h3_results, h3_records):
    """Prints the per-field accuracy table (with -s); asserts only that every record was scored."""
    scores = score_gold(h3_results)
    print(f"\nheld-out set 3 ({len(h3_records)} articles)\n" + format_scores(scores))
    assert set(h3_results) == {r["id"] for r in h3_records}
    assert not [r.record["id"] for r in h3_results.values() if r.skipped]
    assert scores["article_all_correct"]["total"] == len(h3_records)
    assert scores["event_found"]["total"] == sum(len(r["events"]) for r in h3_records)


def _main(argv: list[str]) -> None:  # pragma: no cover - manual scoring run
    from conflictlens.ingest.readers import read_path
    from conflictlens.pipeline import get_pipeline, load_config

    records = load_h3_records()
    results = run_h3(get_pipeline(), load_config(), read_path, records)
    if "-v" in argv:
        for res in results.values():
            problems, _ = check_article(res)
            print(f"{res.record['id']}: {'ok' if not problems else ''}")
            for p in problems:
                print(f"    - {p}")
    print(format_scores(score_gold(results)))


if __name__ == "__main__":  # pragma: no cover
    _main(sys.argv[1:])
