"""Shared machinery of the blind held-out measurements (``test_heldout*.py``).

Each held-out set lives in its own folder (``tests/extract/heldoutN/``: a
``gold.jsonl`` plus ``articles/``) and has a thin test module that describes
it with a :class:`HeldoutSet` -- its folder, size and composition bounds, id
pattern and the checks only that set makes -- and calls the helpers here:

* :func:`load_records` / :func:`run_records`: the gold records and one pass of
  the real pipeline over them (``run_gold_record`` of ``conftest.py``);
* :func:`check_composition` and :func:`check_well_formed`: the gold itself,
  without the extractor;
* :func:`check_perfect_coding`: a document coded exactly as the gold passes the
  shared checker of ``test_gold_articles.py``;
* :func:`check_summary`: prints the per-field accuracy table and asserts only
  that every record was scored -- extractor mistakes never fail it;
* :func:`main`: the script entry point (``python tests/extract/test_heldoutN.py [-v]``).

The fixtures (``hset``, ``records``, ``results``, ``iso3_by_country``) read the
set from the requesting module's ``SET``; the four tests every set runs
(``test_set_composition``, ``test_gold_is_well_formed``,
``test_checker_accepts_perfect_coding``, ``test_summary``) are defined at the
end of this file and imported by each ``test_heldoutN.py``, so pytest runs them
once per set (this file itself is not collected).  Scoring reuses the helpers
of ``test_gold_articles.py`` unchanged, so the numbers are comparable with the
development gold set.
"""
from __future__ import annotations

import importlib.util
import json
import re
import sys
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import SimpleNamespace
from typing import Any, Callable, Optional

import pytest

from conflictlens.schema import EVENT_TYPES

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # the test modules import this one when run as scripts
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

#: What ``from heldout_checks import *`` gives a test module: the shared tests and their fixtures.
__all__ = ["hset", "records", "results", "iso3_by_country", "test_set_composition", "test_gold_is_well_formed",
           "test_checker_accepts_perfect_coding", "test_summary"]

COUNTRIES_JSON = HERE.parents[1] / "conflictlens" / "data" / "countries.json"

#: Keys of every record, as in tests/extract/gold/gold.jsonl.
RECORD_KEYS = frozenset({"id", "file", "published", "published_in_article", "expect_error", "source",
                         "body_must_contain", "body_must_not_contain", "events", "aggregates", "no_event_from",
                         "notes"})
AGGREGATE_KINDS = frozenset({"fatalities", "arrests", "injuries", "attacks", "operations", "other"})

#: A set-specific check of one record: ``(record) -> problems``.
RecordCheck = Callable[[dict], list]
#: A set-specific check of one gold event: ``(record, event, where) -> problems``.
EventCheck = Callable[[dict, dict, str], list]


@dataclass(frozen=True)
class HeldoutSet:
    """What differs between the held-out sets; everything else is checked the same way."""

    folder: str                        #: directory under tests/extract/
    title: str                         #: heading of the printed accuracy table
    words: tuple[int, int]             #: allowed article length (words of the article text)
    minimums: dict[str, int]           #: lower bounds on the :func:`composition` counts
    size: Optional[int] = None         #: exact number of articles, if fixed
    id_pattern: Optional[re.Pattern] = None
    all_event_types: bool = False      #: every ACLED event type must occur in the set
    other_sets: tuple[str, ...] = ("gold",)  #: gold sets whose ids this set must not reuse
    errors_allowed: bool = False       #: records may carry an ``expect_error``
    unique_evidence: bool = False      #: an event's evidence occurs once in all (not once per alternative)
    window_from_between: bool = False  #: precision 2-3 may be given by ``event_date_between`` alone
    record_checks: tuple[RecordCheck, ...] = ()
    event_checks: tuple[EventCheck, ...] = ()

    @property
    def dir(self) -> Path:
        return HERE / self.folder

    @property
    def gold_file(self) -> Path:
        return self.dir / "gold.jsonl"


# --- loading and running ----------------------------------------------------------------

def read_gold_ids(folder: str) -> set[str]:
    """The ids of ``tests/extract/<folder>/gold.jsonl``."""
    lines = (HERE / folder / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return {json.loads(line)["id"] for line in lines if line.strip()}


def load_records(hset: HeldoutSet) -> list[dict[str, Any]]:
    """Records of the set's ``gold.jsonl`` with ``_path`` (resolved article file) and ``_shared`` False."""
    records = []
    for line in hset.gold_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            rec = json.loads(line)
            rec["_path"] = hset.dir / rec["file"]
            rec["_shared"] = False
            records.append(rec)
    return records


def _extract_conftest() -> Any:
    """``tests/extract/conftest.py`` loaded as a module, for its ``run_gold_record`` (file left untouched)."""
    name = "_extract_conftest_for_heldout"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, HERE / "conftest.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module  # the dataclass in it needs its module registered
        spec.loader.exec_module(module)
    return sys.modules[name]


def run_records(pipe: Any, config: dict, read_path: Any, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Each held-out article through ``read_path`` + ``pipe.process``; ``{id: GoldResult}``."""
    run = _extract_conftest().run_gold_record
    return {rec["id"]: run(rec, pipe, config, read_path) for rec in records}


def load_iso3_by_country() -> dict[str, str]:
    """ACLED country name (case-folded) -> ISO3, from the project's country table."""
    data = json.loads(COUNTRIES_JSON.read_text(encoding="utf-8"))
    return {c["name"].casefold(): c["iso3"] for c in data["countries"]}


def article_text(path: Path) -> str:
    """Whitespace-normalised text of an article; for HTML only the ``<article>`` element, tags stripped."""
    raw = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        m = re.search(r"<article\b.*?</article>", raw, flags=re.S)
        raw = re.sub(r"<[^>]+>", " ", m.group(0) if m else raw)
    return norm_text(raw)


def result_of(rec: dict[str, Any], doc: Any) -> SimpleNamespace:
    """A ``GoldResult``-like object for ``check_article`` from a hand-built document."""
    return SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None, skipped=None)


# --- fixtures (the set comes from the requesting module's ``SET``) ----------------------------

@pytest.fixture(scope="module")
def hset(request) -> HeldoutSet:
    """The ``SET`` of the test module asking."""
    return request.module.SET


@pytest.fixture(scope="module")
def records(hset) -> list[dict[str, Any]]:
    return load_records(hset)


@pytest.fixture(scope="module")
def results(extractor, records) -> dict[str, Any]:
    """The set processed once by the real default pipeline (``extractor`` from tests/extract/conftest.py)."""
    pipe, config, read_path = extractor
    return run_records(pipe, config, read_path, records)


@pytest.fixture(scope="module")
def iso3_by_country() -> dict[str, str]:
    return load_iso3_by_country()


# --- composition -----------------------------------------------------------------------------

def composition(records: list[dict[str, Any]]) -> dict[str, int]:
    """The counts a set's ``minimums`` bound."""
    ids = [r["id"] for r in records]
    return {
        "articles": len(records),
        "pk_af": sum(i.startswith(("pk-", "af-")) for i in ids),
        "countries": len({i[:2] for i in ids}),
        "html": sum(r["file"].endswith(".html") for r in records),
        "debris_txt": sum(bool(r["body_must_not_contain"]) and r["file"].endswith(".txt") for r in records),
        "event_free": sum(not r["events"] for r in records),
        "multi_event": sum(len(r["events"]) >= 2 for r in records),
        "events": sum(len(r["events"]) for r in records),
        "aggregates": sum(len(r["aggregates"]) for r in records),
        "articles_with_aggregates": sum(bool(r["aggregates"]) for r in records),
        "distractors": sum(len(r["no_event_from"]) for r in records),
    }


def check_composition(hset: HeldoutSet, records: list[dict[str, Any]]) -> None:
    """Size, variety and file layout of the set; its ids are new and (optionally) follow the set's pattern."""
    ids = [r["id"] for r in records]
    assert len(ids) == len(set(ids)), "duplicate held-out ids"
    if hset.size is not None:
        assert len(records) == hset.size, f"{len(records)} articles, want {hset.size}"
    if hset.id_pattern is not None:
        assert all(hset.id_pattern.match(i) for i in ids), [i for i in ids if not hset.id_pattern.match(i)]
    counts = composition(records)
    short = {k: (counts[k], want) for k, want in hset.minimums.items() if counts[k] < want}
    assert not short, f"set composition below the brief (have, want): {short}"
    on_disk = {p.name for p in (hset.dir / "articles").iterdir() if p.is_file()}
    assert on_disk == {Path(r["file"]).name for r in records}, f"{hset.folder}/articles and gold.jsonl disagree"
    if hset.all_event_types:
        types = {e["event_type"] for r in records for e in r["events"]}
        assert types == set(EVENT_TYPES), f"event types not covered: {set(EVENT_TYPES) - types}"
    others = set().union(*(read_gold_ids(name) for name in hset.other_sets))
    assert not others & set(ids), f"ids clash with another gold set: {sorted(others & set(ids))}"


# --- well-formedness -------------------------------------------------------------------------

def _event_problems(hset: HeldoutSet, r: dict, g: dict, raw: str, iso3_by_country: dict[str, str]) -> list[str]:
    """Taxonomy, evidence, counts, country and dates of one gold event."""
    where = f"{r['id']}: event {g.get('label') or _alternatives(g['evidence_contains'])[0]!r}"
    out: list[str] = []
    allowed = set(SCORED_FIELDS) | META_KEYS
    if set(g) - allowed:
        out.append(f"{where}: unknown keys {sorted(set(g) - allowed)}")
    alternatives = _alternatives(g["evidence_contains"])
    hits = sum(len(find_spans(raw, n)) for n in alternatives)
    if hits == 0:
        out.append(f"{where}: evidence not in the article")
    elif hits > (1 if hset.unique_evidence else len(alternatives)):
        out.append(f"{where}: evidence occurs more than once")
    if g["event_type"] not in EVENT_TYPES or g.get("sub_event_type") not in EVENT_TYPES.get(g["event_type"], ()):
        out.append(f"{where}: bad event/sub-event type")
    if "fatalities" not in g or g["fatalities"] < 0:
        out.append(f"{where}: fatalities missing")
    else:
        if "fatalities_low" in g and not g["fatalities_low"] <= g["fatalities"] <= g["fatalities_high"]:
            out.append(f"{where}: fatalities outside low..high")
        if g.get("fatalities_known") is False and g["fatalities"] != 0:
            out.append(f"{where}: unknown fatalities must be coded 0")
    if ("country" in g) != ("iso3" in g):
        out.append(f"{where}: country and iso3 must come together")
    elif "country" in g and iso3_by_country.get(g["country"].casefold()) != g["iso3"]:
        out.append(f"{where}: country {g['country']!r} is not {g['iso3']!r}")
    out += _date_problems(hset, r, g, where)
    for check in hset.event_checks:
        out += check(r, g, where)
    return out


def _date_problems(hset: HeldoutSet, r: dict, g: dict, where: str) -> list[str]:
    out: list[str] = []
    if ("event_date" in g) == ("event_date_between" in g):
        out.append(f"{where}: give exactly one of event_date / event_date_between")
    dates = {f: date.fromisoformat(g[f]) for f in DATE_FIELDS if f in g}
    between = [date.fromisoformat(d) for d in g.get("event_date_between", [])]
    if any(d > date.fromisoformat(r["published"]) for d in [*dates.values(), *between]):
        out.append(f"{where}: dated after publication")
    if between and not between[0] <= between[1]:
        out.append(f"{where}: event_date_between not ordered")
    precision = g.get("time_precision")
    if precision not in (None, 1, 2, 3):
        out.append(f"{where}: bad time_precision")
    elif precision in (2, 3):
        if "event_date_start" not in dates or "event_date_end" not in dates:
            if not (hset.window_from_between and between):
                out.append(f"{where}: precision 2-3 needs the window")
        else:
            s, e = dates["event_date_start"], dates["event_date_end"]
            if (e - s).days % 2 or dates.get("event_date") != s + (e - s) / 2:
                out.append(f"{where}: event_date is not the (unambiguous) window midpoint")
    return out


def _record_problems(hset: HeldoutSet, r: dict, iso3_by_country: dict[str, str]) -> list[str]:
    """Format, length, aggregates and substrings of one record, then each of its events."""
    rid = r["id"]
    out: list[str] = []
    keys = set(r) - {"_path", "_shared"}
    if keys != RECORD_KEYS:
        out.append(f"{rid}: keys {sorted(keys ^ RECORD_KEYS)} differ from the gold format")
    raw = r["_path"].read_text(encoding="utf-8")
    full = norm_text(re.sub(r"<[^>]+>", " ", raw)) if r["_path"].suffix == ".html" else norm_text(raw)
    words = len(article_text(r["_path"]).split())
    lo, hi = hset.words
    if not lo <= words <= hi:
        out.append(f"{rid}: {words} words in the article text (want {lo}-{hi})")
    if r["expect_error"] is not None and not hset.errors_allowed:
        out.append(f"{rid}: no error expected in this set")
    for a in r["aggregates"]:
        if a["kind"] not in AGGREGATE_KINDS or not isinstance(a["value"], int) or a["value"] < 0:
            out.append(f"{rid}: bad aggregate {a}")
    needles = r["body_must_contain"] + r["body_must_not_contain"] + r["no_event_from"]
    needles += [a["evidence_contains"] for a in r["aggregates"]]
    out += [f"{rid}: {n!r} not in the article" for n in needles if norm_text(n) not in full]
    for check in hset.record_checks:
        out += check(r)
    for g in r["events"]:
        out += _event_problems(hset, r, g, raw, iso3_by_country)
    return out


def check_well_formed(hset: HeldoutSet, records: list[dict[str, Any]], iso3_by_country: dict[str, str]) -> None:
    """Format, taxonomy, dates, counts and every substring of the gold, checked against the articles."""
    problems = [p for r in records for p in _record_problems(hset, r, iso3_by_country)]
    assert not problems, "\n".join(problems)


# --- the checker on a perfect coding -----------------------------------------------------------

def check_perfect_coding(records: list[dict[str, Any]]) -> None:
    """A document built exactly from each gold record passes the shared checker (no extractor involved)."""
    for rec in records:
        problems, fields = check_article(result_of(rec, _perfect_document(rec)))
        # body_must_not_contain is about cleaning, which the raw file used here has not had
        problems = [p for p in problems if not p.startswith("body still contains debris")]
        assert problems == [], f"{rec['id']}: {problems}"
        assert fields["event_found"] == [True] * len(rec["events"])
        assert fields.get("aggregate_found", []) == [True] * len(rec["aggregates"])


# --- the measurement -----------------------------------------------------------------------

def check_summary(hset: HeldoutSet, results: dict[str, Any], records: list[dict[str, Any]]) -> None:
    """Prints the per-field accuracy table (with -s); asserts only that every record was scored."""
    scores = score_gold(results)
    print(f"\n{hset.title} ({len(records)} articles)\n" + format_scores(scores))
    assert set(results) == {r["id"] for r in records}
    skipped = [r.record["id"] for r in results.values() if r.skipped]
    assert not skipped, f"held-out articles not run: {skipped}"
    assert scores["article_all_correct"]["total"] == len(records)
    scored = [r for r in records if not (hset.errors_allowed and r.get("expect_error"))]
    assert scores["event_found"]["total"] == sum(len(r["events"]) for r in scored)


def main(hset: HeldoutSet, argv: list[str]) -> None:  # pragma: no cover - manual scoring run
    """Score the set with the default pipeline and print the table (``-v``: every mismatch first)."""
    from conflictlens.ingest.readers import read_path
    from conflictlens.pipeline import get_pipeline, load_config

    results = run_records(get_pipeline(), load_config(), read_path, load_records(hset))
    if "-v" in argv:
        for res in results.values():
            problems, _ = check_article(res)
            print(f"{res.record['id']}: {'ok' if not problems else ''}")
            for p in problems:
                print(f"    - {p}")
    print(format_scores(score_gold(results)))


# --- the tests every held-out set runs (imported by each test_heldoutN.py) -------------------------

def test_set_composition(hset, records):
    """The set has the size and variety its brief asks for; ids are new; articles/ matches gold.jsonl."""
    check_composition(hset, records)


def test_gold_is_well_formed(hset, records, iso3_by_country):
    """Format, taxonomy, dates, counts and every substring of the gold. Runs without the extractor."""
    check_well_formed(hset, records, iso3_by_country)


def test_checker_accepts_perfect_coding(records):
    """A document coded exactly as each gold record passes the shared checker (gold fits schema and scorer)."""
    check_perfect_coding(records)


def test_summary(hset, results, records):
    """Prints the per-field accuracy table (with -s); a measurement, so no per-article assertion."""
    check_summary(hset, results, records)

