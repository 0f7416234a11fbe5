"""Score extracted events against gold events (ACLED fields).

Per article, predicted events are paired one-to-one with gold events by an
optimal assignment (:func:`conflictlens.eval.metrics.max_weight_assignment`).
A pair is *allowed* when

* the prediction's evidence contains (or overlaps, in ``source.body``) one of
  the gold event's ``evidence_contains`` strings, or
* the two are type-compatible (:attr:`MatchOptions.type_match`), their date
  windows are at most ``date_window`` days apart (``month_window`` when either
  side has time_precision 3), and their countries agree when both are given.

With ``evidence="require"``, a gold event that has ``evidence_contains`` only
pairs with a prediction whose evidence matches it.  Among allowed pairs the
assignment maximises first the number of pairs, then a preference score:
evidence match > same event type > same sub-event type > closer dates > same
country.

Field metrics are computed over matched pairs and only for fields present in
the gold (a field the gold leaves out is not scored).  Detection metrics
(precision/recall/F1) are over all events of all articles that ran.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, Iterable, Optional

from ..errors import ConflictLensError
from .adapters import ArticleResult
from .metrics import (
    accuracy, find_spans, haversine_km, macro_f1, max_weight_assignment, mean, median, norm_name,
    norm_place, norm_text, prf,
)

# Event-type families for type_match="family": the violent types are
# confusable with each other (ACLED coders disagree on them), demonstrations
# with each other; strategic developments stand alone.
TYPE_FAMILIES: dict[str, str] = {
    "Battles": "violence",
    "Explosions/Remote violence": "violence",
    "Violence against civilians": "violence",
    "Riots": "demonstration",
    "Protests": "demonstration",
    "Strategic developments": "strategic",
}
TYPE_MATCH_MODES = ("event_type", "family", "any")
EVIDENCE_MODES = ("prefer", "require")
ACTOR_FIELDS = ("actor1", "actor2", "assoc_actor_1", "assoc_actor_2")


@dataclass
class MatchOptions:
    """How predicted events are paired with gold events."""

    type_match: str = "family"
    evidence: str = "prefer"
    date_window: int = 7
    month_window: int = 31
    km: float = 161.0

    def __post_init__(self) -> None:
        if self.type_match not in TYPE_MATCH_MODES:
            raise ConflictLensError("E709", option="type_match", detail=f"{self.type_match!r}; choose one of {', '.join(TYPE_MATCH_MODES)}")
        if self.evidence not in EVIDENCE_MODES:
            raise ConflictLensError("E709", option="evidence", detail=f"{self.evidence!r}; choose one of {', '.join(EVIDENCE_MODES)}")
        if self.date_window < 0 or self.month_window < 0 or self.km <= 0:
            raise ConflictLensError("E709", option="date_window/month_window/km", detail="must be positive")


# --- pairing ----------------------------------------------------------------------------


def _d(value: Any) -> Optional[date]:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def gold_window(g: dict) -> Optional[tuple[date, date]]:
    """The date interval a gold event says the event happened in."""
    if g.get("event_date_between"):
        lo, hi = g["event_date_between"]
        return _d(lo), _d(hi)
    if g.get("event_date_start") and g.get("event_date_end"):
        return _d(g["event_date_start"]), _d(g["event_date_end"])
    if g.get("event_date"):
        d = _d(g["event_date"])
        return d, d
    return None


def pred_window(p: Any) -> Optional[tuple[date, date]]:
    """The date interval of a predicted event (its start/end window, else its date)."""
    if p.event_date_start and p.event_date_end:
        return p.event_date_start, p.event_date_end
    if p.event_date:
        return p.event_date, p.event_date
    return None


def window_gap(a: Optional[tuple[date, date]], b: Optional[tuple[date, date]]) -> Optional[int]:
    """Days between two intervals (0 when they overlap); None when either is unknown."""
    if a is None or b is None:
        return None
    if a[1] < b[0]:
        return (b[0] - a[1]).days
    if b[1] < a[0]:
        return (a[0] - b[1]).days
    return 0


def evidence_matches(gold: dict, pred: Any, body: str) -> bool:
    """The prediction's evidence contains, or overlaps an occurrence of, one of the gold's evidence strings."""
    for needle in gold.get("evidence_contains") or []:
        n = norm_text(needle)
        if not n:
            continue
        spans = find_spans(body, needle)
        for ev in pred.evidence:
            if n in norm_text(ev.text):
                return True
            if any(ev.start < e and s < ev.end for s, e in spans):
                return True
    return False


def type_compatible(gold: dict, pred: Any, mode: str) -> bool:
    et = gold.get("event_type")
    if et is None or mode == "any":
        return True
    if mode == "event_type":
        return pred.event_type == et
    return TYPE_FAMILIES.get(pred.event_type) == TYPE_FAMILIES.get(et)


def country_ok(gold: dict, pred: Any) -> Optional[bool]:
    """Whether the countries agree: iso3 when both have it, else names; None when not comparable."""
    if gold.get("iso3") and pred.iso3:
        return gold["iso3"].upper() == pred.iso3.upper()
    if gold.get("country") and pred.country:
        return norm_place(gold["country"]) == norm_place(pred.country)
    if gold.get("iso3") or gold.get("country"):
        return None
    return None


def match_events(gold: list[dict], preds: list[Any], body: str, opts: MatchOptions) -> list[tuple[int, int]]:
    """Optimal one-to-one pairs ``(gold index, predicted index)`` for one article."""
    if not gold or not preds:
        return []
    base = 10.0 * min(len(gold), len(preds)) + 1.0  # more pairs always beat better pairs
    scores: list[list[Optional[float]]] = []
    for g in gold:
        row: list[Optional[float]] = []
        gw = gold_window(g)
        for p in preds:
            ev = evidence_matches(g, p, body) if g.get("evidence_contains") else False
            tp3 = g.get("time_precision") == 3 or p.time_precision == 3
            window = opts.month_window if tp3 else opts.date_window
            gap = window_gap(gw, pred_window(p))
            c_ok = country_ok(g, p)
            compat = type_compatible(g, p, opts.type_match) and (gap is None or gap <= window) and c_ok is not False
            if opts.evidence == "require" and g.get("evidence_contains"):
                allowed = ev
            else:
                allowed = ev or compat
            if not allowed:
                row.append(None)
                continue
            bonus = 4.0 * ev
            bonus += 2.0 * (p.event_type == g.get("event_type"))
            bonus += 1.0 * (p.sub_event_type == g.get("sub_event_type"))
            if gap is not None:
                bonus += max(0.0, 1.0 - gap / (window + 1))
            bonus += 0.5 * bool(c_ok)
            row.append(base + bonus)
        scores.append(row)
    return max_weight_assignment(scores)


# --- scoring ----------------------------------------------------------------------------


def forbidden_hits(item_no_event_from: Iterable[str], preds: list[Any], body: str) -> list[tuple[int, str]]:
    """Predicted events whose evidence contains or overlaps a ``no_event_from`` span: ``(index, span)``."""
    hits = []
    needles = [(norm_text(s), find_spans(body, s), s) for s in item_no_event_from]
    for j, p in enumerate(preds):
        for n, spans, raw in needles:
            if not n:
                continue
            if any(n in norm_text(ev.text) or any(ev.start < b and a < ev.end for a, b in spans) for ev in p.evidence):
                hits.append((j, raw))
                break
    return hits


def aggregate_found(gold: dict, aggregates: list[Any], body: str) -> bool:
    """A predicted aggregate with the gold's kind and value whose evidence contains or overlaps the gold's."""
    needle = gold.get("evidence_contains")
    spans = find_spans(body, needle) if needle else []
    n = norm_text(needle) if needle else ""
    for a in aggregates:
        if a.kind != gold.get("kind") or a.value != gold.get("value"):
            continue
        if not n or not a.evidence:
            return True
        if any(n in norm_text(ev.text) or any(ev.start < e and s < ev.end for s, e in spans) for ev in a.evidence):
            return True
    return False


def _label(g: dict) -> str:
    if g.get("label"):
        return str(g["label"])
    ev = g.get("evidence_contains")
    if ev:
        return ev[0][:60]
    return f"{g.get('event_type', '?')} {g.get('event_date') or g.get('event_date_between') or ''}".strip()


def _pred_summary(p: Any) -> str:
    ev = norm_text(" ".join(e.text for e in p.evidence))[:80]
    return f"{p.event_type}/{p.sub_event_type} {p.event_date or ''}: {ev!r}"


def _iso(v: Any) -> Optional[str]:
    return v.isoformat() if isinstance(v, date) else (None if v is None else str(v))


def score_events(results: list[ArticleResult], opts: Optional[MatchOptions] = None) -> dict:
    """Detection and field metrics over processed gold articles.

    Returns ``{"metrics": {...}, "errors": [...]}``; a metric with nothing to
    measure is ``None``.  Articles with ``expect_error`` are scored only on
    whether that error was raised (``expected_error_acc``); skipped articles
    are counted in ``articles_skipped`` and otherwise ignored.
    """
    opts = opts or MatchOptions()
    errors: list[dict] = []
    tp = n_pred = n_gold = 0
    forbidden = 0
    outcomes: dict[str, list[bool]] = {k: [] for k in (
        "event_type", "sub_event_type", "date_exact", "date_between", "time_precision", "country", "admin1",
        "acc_km", "fatalities_exact", "actor1", "actor2", "actors_include", "civilian_targeting")}
    type_pairs: list[tuple[str, str]] = []
    sub_pairs: list[tuple[str, str]] = []
    dists: list[float] = []
    fat_err: list[int] = []
    expected_err: list[bool] = []
    n_articles = n_failed = n_skipped = 0

    def field(item_id: str, label: str, name: str, ok: bool, gold: Any, pred: Any) -> None:
        outcomes[name].append(ok)
        if not ok:
            errors.append({"id": item_id, "kind": "field", "event": label, "field": name,
                           "gold": gold, "pred": pred})

    agg_found: list[bool] = []
    for r in results:
        it = r.item
        if r.skipped or it.skipped:
            n_skipped += 1
            continue
        n_articles += 1
        if it.expect_error:
            ok = r.error_code == it.expect_error
            expected_err.append(ok)
            if not ok:
                errors.append({"id": it.id, "kind": "expected_error", "gold": it.expect_error,
                               "pred": r.error_code or "a document"})
            continue
        n_gold += len(it.events)
        if r.document is None:
            n_failed += 1
            errors.append({"id": it.id, "kind": "pipeline_error", "gold": None,
                           "pred": f"{r.error_code}: {r.error_message}"})
            for g in it.events:
                errors.append({"id": it.id, "kind": "missed", "event": _label(g)})
            agg_found.extend(False for _ in it.aggregates)
            continue
        doc = r.document
        body = doc.source.body
        preds = list(doc.events)
        n_pred += len(preds)
        pairs = match_events(it.events, preds, body, opts)
        tp += len(pairs)
        matched_g = {i for i, _ in pairs}
        matched_p = {j for _, j in pairs}
        for i, g in enumerate(it.events):
            if i not in matched_g:
                errors.append({"id": it.id, "kind": "missed", "event": _label(g)})
        for j, p in enumerate(preds):
            if j not in matched_p:
                errors.append({"id": it.id, "kind": "spurious", "pred": _pred_summary(p)})
        for j, span in forbidden_hits(it.no_event_from, preds, body):
            forbidden += 1
            errors.append({"id": it.id, "kind": "forbidden_span", "gold": span, "pred": _pred_summary(preds[j])})
        for a in it.aggregates:
            ok = aggregate_found(a, doc.aggregates, body)
            agg_found.append(ok)
            if not ok:
                errors.append({"id": it.id, "kind": "aggregate_missed",
                               "gold": f"{a.get('kind')}={a.get('value')}",
                               "pred": [f"{x.kind}={x.value}" for x in doc.aggregates]})
        for i, j in pairs:
            g, p = it.events[i], preds[j]
            lab = _label(g)
            if "event_type" in g:
                type_pairs.append((g["event_type"], p.event_type))
                field(it.id, lab, "event_type", p.event_type == g["event_type"], g["event_type"], p.event_type)
            if "sub_event_type" in g:
                sub_pairs.append((g["sub_event_type"], p.sub_event_type))
                field(it.id, lab, "sub_event_type", p.sub_event_type == g["sub_event_type"], g["sub_event_type"],
                      p.sub_event_type)
            if g.get("event_date"):
                got = _iso(p.event_date)
                field(it.id, lab, "date_exact", got == g["event_date"], g["event_date"], got)
            if g.get("event_date_between"):
                lo, hi = g["event_date_between"]
                got = _iso(p.event_date)
                field(it.id, lab, "date_between", got is not None and lo <= got <= hi, [lo, hi], got)
            if "time_precision" in g:
                field(it.id, lab, "time_precision", p.time_precision == g["time_precision"], g["time_precision"],
                      p.time_precision)
            if g.get("iso3") or g.get("country"):
                if g.get("iso3"):
                    ok = (p.iso3 or "").upper() == g["iso3"].upper()
                else:
                    ok = p.country is not None and norm_place(p.country) == norm_place(g["country"])
                field(it.id, lab, "country", ok, g.get("iso3") or g.get("country"),
                      p.iso3 if g.get("iso3") else p.country)
            if g.get("admin1"):
                field(it.id, lab, "admin1", norm_place(p.admin1) == norm_place(g["admin1"]), g["admin1"], p.admin1)
            if g.get("latitude") is not None and g.get("longitude") is not None:
                if p.latitude is None or p.longitude is None:
                    field(it.id, lab, "acc_km", False, [g["latitude"], g["longitude"]], None)
                else:
                    km = haversine_km(g["latitude"], g["longitude"], p.latitude, p.longitude)
                    dists.append(km)
                    field(it.id, lab, "acc_km", km <= opts.km, [g["latitude"], g["longitude"]],
                          f"{p.latitude:.3f},{p.longitude:.3f} ({km:.0f} km)")
            if "fatalities" in g:
                fat_err.append(abs(p.fatalities - int(g["fatalities"])))
                field(it.id, lab, "fatalities_exact", p.fatalities == g["fatalities"], g["fatalities"], p.fatalities)
            for a in ("actor1", "actor2"):
                if g.get(a):
                    got = getattr(p, a)
                    field(it.id, lab, a, norm_name(got) == norm_name(g[a]), g[a], got)
            if g.get("actors_include"):
                have = {norm_name(getattr(p, a)) for a in ACTOR_FIELDS} - {None}
                missing = [a for a in g["actors_include"] if norm_name(a) not in have]
                field(it.id, lab, "actors_include", not missing, g["actors_include"],
                      [getattr(p, a) for a in ACTOR_FIELDS if getattr(p, a)])
            if "civilian_targeting" in g:
                field(it.id, lab, "civilian_targeting", p.civilian_targeting == g["civilian_targeting"],
                      g["civilian_targeting"], p.civilian_targeting)

    precision, recall, f1 = prf(tp, n_pred, n_gold)
    km_label = f"acc_{opts.km:g}km"
    metrics: dict[str, Any] = {
        "articles": n_articles,
        "articles_failed": n_failed,
        "articles_skipped": n_skipped,
        "n_gold": n_gold,
        "n_pred": n_pred,
        "n_matched": tp,
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "event_type_acc": accuracy(outcomes["event_type"]),
        "event_type_macro_f1": macro_f1(type_pairs),
        "sub_event_type_acc": accuracy(outcomes["sub_event_type"]),
        "sub_event_type_macro_f1": macro_f1(sub_pairs),
        "date_exact_acc": accuracy(outcomes["date_exact"]),
        "date_window_acc": accuracy(outcomes["date_between"]),
        "time_precision_acc": accuracy(outcomes["time_precision"]),
        "country_acc": accuracy(outcomes["country"]),
        "admin1_acc": accuracy(outcomes["admin1"]),
        "dist_median_km": median(dists),
        km_label: accuracy(outcomes["acc_km"]),
        "fatalities_exact_acc": accuracy(outcomes["fatalities_exact"]),
        "fatalities_mae": mean(fat_err),
        "actor1_acc": accuracy(outcomes["actor1"]),
        "actor2_acc": accuracy(outcomes["actor2"]),
        "actors_include_acc": accuracy(outcomes["actors_include"]),
        "civilian_targeting_acc": accuracy(outcomes["civilian_targeting"]),
        "forbidden_span_events": forbidden,
        "aggregate_recall": accuracy(agg_found),
        "expected_error_acc": accuracy(expected_err),
    }
    if n_gold == 0 and n_pred == 0 and n_articles - len(expected_err) == 0:
        # nothing was measured: do not report a perfect detection score
        metrics["precision"] = metrics["recall"] = metrics["f1"] = None
    return {"metrics": {k: (round(v, 4) if isinstance(v, float) else v) for k, v in metrics.items()},
            "errors": errors}
