"""Field-by-field checks of the extractor against the team-written gold set.

Gold: ``tests/extract/gold/gold.jsonl`` (+ ``sample_gold.json`` for the shared
DW sample); format in ``docs/gold.md``.  One test per gold article collects
every mismatch and fails once with a readable list.  ``score_gold`` gives
per-field accuracies over the whole set; ``test_gold_summary`` prints that
table (run with ``-s``), or run this file directly::

    .venv/bin/python tests/extract/test_gold_articles.py
"""
from __future__ import annotations

import re
import sys
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Optional

import pytest

from conflictlens.schema import EVENT_TYPES

# The gold records are parametrized by ``pytest_generate_tests`` in conftest.py
# (fixture ``gold_record``); results come from the session fixture ``gold_results``.

# Event fields a gold event may carry, grouped by how they are compared.
EXACT_FIELDS = ("event_type", "sub_event_type", "time_precision", "iso3", "fatalities", "fatalities_low",
                "fatalities_high", "fatalities_known", "injuries", "civilian_targeting")
DATE_FIELDS = ("event_date", "event_date_start", "event_date_end")
CASEFOLD_FIELDS = ("country",)
ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")
META_KEYS = {"evidence_contains", "label"}
SCORED_FIELDS = (EXACT_FIELDS + DATE_FIELDS + CASEFOLD_FIELDS + ACTOR_FIELDS
                 + ("event_date_between", "actors_include"))
SOURCE_FIELDS = ("title", "published", "dateline", "outlet", "authors")


# --- normalisation -------------------------------------------------------------------

_PERIOD = re.compile(r"\(\s*\d{4}\s*-\s*(\d{4})?\s*\)")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def norm_text(text: Optional[str]) -> str:
    """Whitespace-collapsed, quote-normalised text (for substring tests)."""
    return " ".join((text or "").translate(_QUOTES).split())


def norm_actor(name: Optional[str]) -> Optional[str]:
    """ACLED actor name without its '(2018-)' period, case-folded, hyphens read as spaces."""
    if name is None:
        return None
    return " ".join(_PERIOD.sub(" ", norm_text(name)).replace("-", " ").split()).casefold()


def _iso(value: Any) -> Optional[str]:
    if value is None:
        return None
    return value.isoformat() if isinstance(value, date) else str(value)


# --- locating spans -------------------------------------------------------------------

def find_spans(body: str, needle: str) -> list[tuple[int, int]]:
    """Every (start, end) of ``needle`` in ``body``, tolerant to whitespace and quote style."""
    words = norm_text(needle).split()
    if not words:
        return []
    quote_class = {"'": "['\u2019\u2018]", '"': "[\"\u201c\u201d]", "-": "[-\u2013\u2014]"}
    parts = ["".join(quote_class.get(ch, re.escape(ch)) for ch in w) for w in words]
    pattern = re.compile(r"\s+".join(parts))
    return [(m.start(), m.end()) for m in pattern.finditer(body)]


def _alternatives(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def evidence_matches(event: Any, body: str, needles: Iterable[str]) -> bool:
    """True when the event's evidence contains one of ``needles`` or overlaps where it occurs in the body."""
    for needle in needles:
        n = norm_text(needle)
        spans = find_spans(body, needle)
        for ev in event.evidence:
            if n and n in norm_text(ev.text):
                return True
            if any(ev.start < e and s < ev.end for s, e in spans):
                return True
    return False


def match_events(gold_events: list[dict], pred_events: list[Any], body: str) -> dict[int, int]:
    """One-to-one matching gold index -> predicted index by evidence (maximum bipartite matching).

    Candidates agreeing on event type are tried first, so that two events
    sharing a sentence are paired sensibly.
    """
    cands: list[list[int]] = []
    for g in gold_events:
        needles = _alternatives(g["evidence_contains"])
        c = [j for j, p in enumerate(pred_events) if evidence_matches(p, body, needles)]
        c.sort(key=lambda j: (pred_events[j].event_type != g.get("event_type"),
                              pred_events[j].sub_event_type != g.get("sub_event_type")))
        cands.append(c)
    owner: dict[int, int] = {}  # pred -> gold

    def augment(i: int, seen: set[int]) -> bool:
        for j in cands[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or augment(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(gold_events)):
        augment(i, set())
    return {i: j for j, i in owner.items()}


# --- field comparison -------------------------------------------------------------------

def compare_event(gold: dict, pred: Any) -> dict[str, Optional[str]]:
    """Per-field outcome: None when correct, else a readable mismatch message."""
    out: dict[str, Optional[str]] = {}
    for f in EXACT_FIELDS:
        if f in gold:
            got = getattr(pred, f)
            out[f] = None if got == gold[f] else f"{f}: expected {gold[f]!r}, got {got!r}"
    for f in DATE_FIELDS:
        if f in gold:
            got = _iso(getattr(pred, f))
            out[f] = None if got == gold[f] else f"{f}: expected {gold[f]}, got {got}"
    if "event_date_between" in gold:
        lo, hi = gold["event_date_between"]
        got = _iso(pred.event_date)
        ok = got is not None and lo <= got <= hi
        out["event_date_between"] = None if ok else f"event_date: expected within {lo}..{hi}, got {got}"
    for f in CASEFOLD_FIELDS:
        if f in gold:
            got = getattr(pred, f)
            ok = got is not None and norm_text(got).casefold() == norm_text(gold[f]).casefold()
            out[f] = None if ok else f"{f}: expected {gold[f]!r}, got {got!r}"
    for f in ACTOR_FIELDS:
        if f in gold:
            got = getattr(pred, f)
            out[f] = None if norm_actor(got) == norm_actor(gold[f]) else f"{f}: expected {gold[f]!r}, got {got!r}"
    if "actors_include" in gold:
        have = {norm_actor(getattr(pred, f)) for f in ACTOR_FIELDS} - {None}
        missing = [a for a in gold["actors_include"] if norm_actor(a) not in have]
        out["actors_include"] = None if not missing else (
            f"actors: expected {missing} among actor1/actor2/assoc, got "
            f"{[getattr(pred, f) for f in ACTOR_FIELDS]}")
    return out


def compare_source(gold_source: dict, source: Any) -> dict[str, Optional[str]]:
    out: dict[str, Optional[str]] = {}
    for f, want in gold_source.items():
        got = getattr(source, f, None)
        if f == "published":
            ok = _iso(got) == want
        elif f == "authors":
            have = {norm_text(a).casefold() for a in (got or [])}
            ok = all(norm_text(a).casefold() in have for a in want)
        elif f == "title":
            ok = norm_text(got) == norm_text(want)
        else:
            ok = got is not None and norm_text(got).casefold() == norm_text(want).casefold()
        out[f] = None if ok else f"source.{f}: expected {want!r}, got {got!r}"
    return out


def aggregate_found(gold_agg: dict, doc: Any) -> bool:
    spans = find_spans(doc.source.body, gold_agg["evidence_contains"])
    needle = norm_text(gold_agg["evidence_contains"])
    for a in doc.aggregates:
        if a.kind != gold_agg["kind"] or a.value != gold_agg["value"]:
            continue
        if not a.evidence:
            return True
        for ev in a.evidence:
            if needle in norm_text(ev.text) or any(ev.start < e and s < ev.end for s, e in spans):
                return True
    return False


def check_article(result: Any) -> tuple[list[str], dict[str, list[bool]]]:
    """All problems of one article, plus per-field outcomes for scoring."""
    rec = result.record
    problems: list[str] = []
    fields: dict[str, list[bool]] = defaultdict(list)
    expect = rec.get("expect_error")
    if expect:
        ok = result.error_code == expect
        fields["expect_error"].append(ok)
        if not ok:
            got = f"error {result.error_code}" if result.error_code else "a valid document"
            problems.append(f"expected error {expect}, got {got}")
        return problems, fields
    if result.error_code:
        fields["expect_error"].append(False)
        for g in rec["events"]:
            fields["event_found"].append(False)
            for f in SCORED_FIELDS:
                if f in g:
                    fields[f].append(False)
        problems.append(f"expected a document, got error {result.error_code}: {result.error_message}")
        return problems, fields
    fields["expect_error"].append(True)
    doc = result.document
    body = doc.source.body

    for f, msg in compare_source(rec.get("source", {}), doc.source).items():
        fields[f"source.{f}"].append(msg is None)
        if msg:
            problems.append(msg)
    for s in rec.get("body_must_contain", []):
        ok = bool(find_spans(body, s))
        fields["body_must_contain"].append(ok)
        if not ok:
            problems.append(f"body lost text that must survive cleaning: {s!r}")
    for s in rec.get("body_must_not_contain", []):
        ok = not find_spans(body, s)
        fields["body_must_not_contain"].append(ok)
        if not ok:
            problems.append(f"body still contains debris: {s!r}")

    gold_events = rec["events"]
    matching = match_events(gold_events, doc.events, body)
    for i, g in enumerate(gold_events):
        label = g.get("label") or _alternatives(g["evidence_contains"])[0]
        j = matching.get(i)
        fields["event_found"].append(j is not None)
        if j is None:
            problems.append(f"event [{label}]: no predicted event with this evidence")
            for f in SCORED_FIELDS:
                if f in g:
                    fields[f].append(False)
            continue
        for f, msg in compare_event(g, doc.events[j]).items():
            fields[f].append(msg is None)
            if msg:
                problems.append(f"event [{label}]: {msg}")
    matched = set(matching.values())
    fields["event_precision"].extend(j in matched for j in range(len(doc.events)))
    if len(doc.events) != len(gold_events):
        extra = [f"{e.event_type}/{e.sub_event_type}: {norm_text(' '.join(x.text for x in e.evidence))[:90]!r}"
                 for j, e in enumerate(doc.events) if j not in matched]
        problems.append(f"expected {len(gold_events)} events, got {len(doc.events)}"
                        + (f"; unmatched predictions: {extra}" if extra else ""))

    for a in rec.get("aggregates", []):
        ok = aggregate_found(a, doc)
        fields["aggregate_found"].append(ok)
        if not ok:
            problems.append(f"aggregate {a['kind']}={a['value']} ({a['evidence_contains']!r}) not found; "
                            f"got {[(x.kind, x.value) for x in doc.aggregates]}")
    for s in rec.get("no_event_from", []):
        spans = find_spans(body, s)
        n = norm_text(s)
        bad = [e for e in doc.events
               if any(n in norm_text(ev.text) or any(ev.start < b and a < ev.end for a, b in spans)
                      for ev in e.evidence)]
        fields["no_event_from"].append(not bad)
        if bad:
            problems.append(f"distractor {s!r} produced {len(bad)} event(s): "
                            f"{[f'{e.event_type}/{e.sub_event_type}' for e in bad]}")
    return problems, fields


def score_gold(results: dict[str, Any] | Iterable[Any], gold: Optional[list[dict]] = None) -> dict[str, dict]:
    """Per-field accuracy over all gold articles: ``{field: {"correct", "total", "accuracy"}}``.

    ``results`` maps gold id -> ``GoldResult`` (conftest; what ``gold_results``
    holds); ``gold`` optionally restricts scoring to those records.  Skipped
    articles (missing shared sample) are left out.  ``event_found`` is event
    recall, ``event_precision`` the share of predicted events matched to gold.
    """
    items = list(results.values()) if isinstance(results, dict) else list(results)
    if gold is not None:
        ids = {g["id"] for g in gold}
        items = [r for r in items if r.record["id"] in ids]
    counts: dict[str, list[bool]] = defaultdict(list)
    articles_ok = []
    for r in items:
        if r.skipped:
            continue
        problems, fields = check_article(r)
        articles_ok.append(not problems)
        for f, vals in fields.items():
            counts[f].extend(vals)
    counts["article_all_correct"] = articles_ok
    return {f: {"correct": sum(v), "total": len(v), "accuracy": (sum(v) / len(v)) if v else None}
            for f, v in sorted(counts.items())}


def format_scores(scores: dict[str, dict]) -> str:
    lines = [f"{'field':<28} {'correct':>7} {'total':>6} {'accuracy':>9}", "-" * 53]
    for f, s in scores.items():
        acc = "n/a" if s["accuracy"] is None else f"{s['accuracy']:.1%}"
        lines.append(f"{f:<28} {s['correct']:>7} {s['total']:>6} {acc:>9}")
    return "\n".join(lines)


# --- tests ---------------------------------------------------------------------------------

def test_gold_set_is_well_formed(gold_records):
    """The gold itself: valid taxonomy, consistent counts, evidence present in the article text.

    Runs without the extractor.  Article text is compared after stripping tags
    (HTML) and collapsing whitespace, so a typo in the gold is caught here.
    """
    problems = []
    GOLD = gold_records
    ids = [r["id"] for r in GOLD]
    assert len(ids) == len(set(ids)), "duplicate gold ids"
    own = [r for r in GOLD if not r["_shared"]]
    assert len(own) >= 25, f"only {len(own)} team-written gold articles"
    assert sum(r["id"].startswith(("pk-", "af-")) for r in own) >= 10
    assert sum(r.get("expect_error") == "E004" for r in own) >= 2
    files_on_disk = {p.name for p in (Path(__file__).parent / "gold" / "articles").iterdir()}
    assert files_on_disk == {Path(r["file"]).name for r in own}, "articles/ and gold.jsonl disagree"
    allowed = set(SCORED_FIELDS) | META_KEYS
    for r in GOLD:
        if r["_shared"] and not r["_path"].is_file():
            continue
        raw = r["_path"].read_text("utf-8")
        text = norm_text(re.sub(r"<[^>]+>", " ", raw)) if r["_path"].suffix == ".html" else norm_text(raw)
        date.fromisoformat(r["published"])
        needles = list(r.get("body_must_contain", [])) + list(r.get("no_event_from", []))
        needles += [a["evidence_contains"] for a in r.get("aggregates", [])]
        for g in r["events"]:
            where = f"{r['id']}: event {g.get('label') or g['evidence_contains']}"
            unknown = set(g) - allowed
            if unknown:
                problems.append(f"{where}: unknown keys {sorted(unknown)}")
            if not any(norm_text(n) in text for n in _alternatives(g["evidence_contains"])):
                problems.append(f"{where}: evidence not in article")
            if g["event_type"] not in EVENT_TYPES:
                problems.append(f"{where}: bad event_type")
            elif "sub_event_type" in g and g["sub_event_type"] not in EVENT_TYPES[g["event_type"]]:
                problems.append(f"{where}: sub_event_type not in {g['event_type']}")
            if "fatalities_low" in g and not g["fatalities_low"] <= g["fatalities"] <= g["fatalities_high"]:
                problems.append(f"{where}: fatalities outside low..high")
            if g.get("time_precision", 1) not in (1, 2, 3):
                problems.append(f"{where}: bad time_precision")
            for f in DATE_FIELDS:
                if f in g:
                    date.fromisoformat(g[f])
        for n in needles:
            if norm_text(n) not in text:
                problems.append(f"{r['id']}: {n!r} not in article")
    assert not problems, "\n".join(problems)


def _perfect_document(rec: dict) -> Any:
    """A Document that codes ``rec`` exactly as the gold says (for testing the checker itself)."""
    from conflictlens.schema import Aggregate, Document, Event, Evidence, Source, disorder_type_for

    body = rec["_path"].read_text("utf-8")
    src = {k: v for k, v in rec.get("source", {}).items()}
    events = []
    for n, g in enumerate(rec["events"]):
        s, e = find_spans(body, _alternatives(g["evidence_contains"])[0])[0]
        fields = {k: v for k, v in g.items() if k in EXACT_FIELDS + DATE_FIELDS + CASEFOLD_FIELDS + ACTOR_FIELDS}
        # sides given only as ``actors_include`` (initiator unknown) go into the actor slots left empty
        have = {norm_actor(fields.get(f)) for f in ACTOR_FIELDS} - {None}
        free = [f for f in ACTOR_FIELDS if fields.get(f) is None]
        for name in g.get("actors_include", []):
            if norm_actor(name) not in have and free:
                fields[free.pop(0)] = name
                have.add(norm_actor(name))
        if "event_date_between" in g:
            fields["event_date"] = g["event_date_between"][0]
        fields.setdefault("sub_event_type", "Other")
        events.append(Event(id=f"e{n}", disorder_type=disorder_type_for(g["event_type"], fields["sub_event_type"]),
                            evidence=[Evidence(start=s, end=e, text=body[s:e])], **fields))
    aggs = []
    for a in rec.get("aggregates", []):
        s, e = find_spans(body, a["evidence_contains"])[0]
        aggs.append(Aggregate(kind=a["kind"], value=a["value"], evidence=[Evidence(start=s, end=e, text=body[s:e])]))
    return Document(source=Source(id="x", body=body, **src), events=events, aggregates=aggs)


def test_checker_accepts_perfect_and_flags_each_error(gold_records):
    """The checker itself: silent on a document equal to the gold, specific on each kind of error."""
    from types import SimpleNamespace

    rec = next(r for r in gold_records if r["id"] == "pk-03-waziristan-multi")
    doc = _perfect_document(rec)
    result = SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None, skipped=None)
    problems, fields = check_article(result)
    assert problems == []
    assert all(all(v) for v in fields.values())

    doc.events[0].fatalities = 6
    doc.events[1].actor1 = "Military Forces of Pakistan (2018-)"
    problems, _ = check_article(result)
    assert len(problems) == 2
    assert "fatalities: expected 8, got 6" in problems[0] and "actor1" in problems[1]

    # an event coded from the tally sentence is both an extra event and a distractor hit
    doc = _perfect_document(rec)
    s, e = find_spans(doc.source.body, "at least 40 police officers have been killed")[0]
    extra = doc.events[1].model_copy(update={"id": "extra", "evidence": [
        doc.events[1].evidence[0].model_copy(update={"start": s, "end": e, "text": doc.source.body[s:e]})]})
    doc.events.append(extra)
    doc.aggregates.clear()
    problems, _ = check_article(SimpleNamespace(record=rec, document=doc, error_code=None, error_message=None,
                                                skipped=None))
    text = "\n".join(problems)
    assert "expected 2 events, got 3" in text and "distractor" in text and "aggregate fatalities=40" in text

    # the period in an actor name is ignored, case too
    assert norm_actor("Police Forces of Pakistan (2018-)") == norm_actor("police forces of pakistan")


def test_gold_article(gold_record, gold_results):
    record = gold_record
    result = gold_results[record["id"]]
    if result.skipped:
        pytest.skip(result.skipped)
    problems, _ = check_article(result)
    if problems:
        pytest.fail(f"{record['id']} ({record.get('notes', '')[:80]}):\n  - " + "\n  - ".join(problems),
                    pytrace=False)


def test_gold_summary(gold_results):
    """Prints the per-field accuracy table (visible with -s); fails only if scoring itself breaks."""
    scores = score_gold(gold_results)
    print("\n" + format_scores(scores))
    assert scores["event_found"]["total"] == sum(
        len(r.record["events"]) for r in gold_results.values() if not r.skipped and not r.record.get("expect_error"))


if __name__ == "__main__":  # pragma: no cover - manual scoring run
    import importlib.util

    _spec = importlib.util.spec_from_file_location("_gold_conftest", Path(__file__).with_name("conftest.py"))
    _conf = importlib.util.module_from_spec(_spec)
    sys.modules["_gold_conftest"] = _conf  # dataclasses need the module registered
    _spec.loader.exec_module(_conf)
    from conflictlens.ingest.readers import read_path
    from conflictlens.pipeline import get_pipeline, load_config

    _cfg = load_config()
    _pipe = get_pipeline()
    _results = {r["id"]: _conf.run_gold_record(r, _pipe, _cfg, read_path) for r in _conf.load_gold_records()}
    if "-v" in sys.argv:
        for _r in _results.values():
            if not _r.skipped:
                _problems, _ = check_article(_r)
                print(f"{_r.record['id']}: {'ok' if not _problems else ''}")
                for _p in _problems:
                    print(f"    - {_p}")
    print(format_scores(score_gold(_results)))
