"""The optional ``llm`` stage: events and aggregates from an OpenAI-compatible endpoint.

Never part of the default pipeline.  Add ``"llm"`` to ``[pipeline] stages``
(after ``ingest.clean``, usually after ``events.rules``) and point
``[stages.llm] url`` at a chat-completions endpoint (llama.cpp, vLLM, ...).

The model's answer is treated as untrusted input:

* the JSON must parse (a fenced ```json block is accepted) and have the shape
  of :class:`~conflictlens.llm.models.LLMResponse`, else ``E202``;
* each event is validated on its own against the contract
  (:class:`~conflictlens.schema.Event`): a valid event_type/sub_event_type pair,
  dates not after publication, ``disorder_type`` and ``interaction``
  recomputed; an invalid item is dropped, not the whole answer;
* every evidence quotation must be found in the body (exactly, after
  normalisation, or fuzzily); offsets are computed here and the text is taken
  from the body.  An event with any evidence that cannot be found is dropped.

Dropped items and the reason are listed in ``doc.meta["llm_dropped"]``.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from datetime import date, timedelta
from typing import Any, Optional

from pydantic import ValidationError

from ..doc import WorkDoc
from ..errors import ConflictLensError
from ..registry import stages
from ..schema import (
    EVENT_TYPES,
    Aggregate,
    Evidence,
    Event,
    Source,
    disorder_type_for,
    interaction_code,
)
from .client import ChatClient, LLMSettings, build_request
from .evidence import EvidenceLocator, Located
from .models import LLMAggregate, LLMEvent, LLMResponse, llm_json_schema
from .prompt import messages

STAGE = "llm"
MODES = ("merge", "replace")
RESPONSE_FORMATS = ("json_schema", "json_object", "none")
OPTIONS = {"url", "model", "timeout", "api_key_env", "mode", "fuzzy_threshold", "min_evidence_chars",
           "max_tokens", "response_format"}

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.S)


# --- options --------------------------------------------------------------------------


def _bad(detail: str) -> ConflictLensError:
    return ConflictLensError("E105", name=STAGE, detail=detail)


def _number(config: dict, key: str, default: float, *, lo: float, hi: float | None = None) -> float:
    value = config.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad(f"{key} must be a number, not {value!r}")
    if value <= lo or (hi is not None and value > hi):
        rng = f"> {lo:g}" + (f" and <= {hi:g}" if hi is not None else "")
        raise _bad(f"{key} must be {rng}, not {value!r}")
    return float(value)


def settings_from_config(config: dict) -> tuple[LLMSettings, str, float, int]:
    """Validate ``[stages.llm]``; returns (settings, mode, fuzzy threshold, min evidence chars)."""
    unknown = sorted(k for k in config if not k.startswith("_") and k not in OPTIONS)
    if unknown:
        raise _bad(f"unknown option(s) {', '.join(unknown)}; known: {', '.join(sorted(OPTIONS))}")
    url = config.get("url")
    if not isinstance(url, str) or not re.match(r"^https?://[^\s/]+", url):
        raise _bad(f"url must be an http(s) URL of a chat-completions endpoint, not {url!r}")
    model = config.get("model")
    if not isinstance(model, str) or not model.strip():
        raise _bad(f"model must be a non-empty string, not {model!r}")
    timeout = _number(config, "timeout", 60, lo=0)
    mode = config.get("mode", "merge")
    if mode not in MODES:
        raise _bad(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    threshold = _number(config, "fuzzy_threshold", 90, lo=0, hi=100)
    min_chars = config.get("min_evidence_chars", 12)
    if isinstance(min_chars, bool) or not isinstance(min_chars, int) or min_chars < 1:
        raise _bad(f"min_evidence_chars must be a positive integer, not {min_chars!r}")
    max_tokens = config.get("max_tokens")
    if max_tokens is not None and (isinstance(max_tokens, bool) or not isinstance(max_tokens, int) or max_tokens < 0):
        raise _bad(f"max_tokens must be a positive integer (0 = server default), not {max_tokens!r}")
    key_env = config.get("api_key_env")
    if key_env is not None and not isinstance(key_env, str):
        raise _bad(f"api_key_env must be the name of an environment variable, not {key_env!r}")
    api_key = os.environ.get(key_env) if key_env else None
    response_format = config.get("response_format", "json_schema")
    if response_format not in RESPONSE_FORMATS:
        raise _bad(f"response_format must be one of {', '.join(RESPONSE_FORMATS)}, not {response_format!r}")
    settings = LLMSettings(
        url=url, model=model.strip(), timeout=timeout, api_key=api_key or None, max_tokens=max_tokens or None,
        response_format=response_format,
    )
    return settings, mode, threshold, min_chars


# --- answer parsing --------------------------------------------------------------------


def parse_answer(content: str) -> LLMResponse:
    """JSON object from the model's message (fenced or bare) → :class:`LLMResponse`; else E202."""
    text = content.strip()
    m = _FENCE.search(text)
    if m:
        text = m.group(1).strip()
    elif not text.startswith("{") and "{" in text:
        # prose around a bare object: take the outermost braces
        text = text[text.index("{") : text.rindex("}") + 1]
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        snippet = " ".join(content.split())[:80]
        raise ConflictLensError("E202", detail=f"not JSON ({exc.msg} at char {exc.pos}): {snippet!r}") from None
    if not isinstance(data, dict):
        raise ConflictLensError("E202", detail=f"expected a JSON object, got {type(data).__name__}")
    try:
        return LLMResponse.model_validate(data)
    except ValidationError as exc:
        raise ConflictLensError("E202", detail=_first_error(exc)) from None


def _first_error(exc: ValidationError) -> str:
    errs = exc.errors()
    e = errs[0]
    loc = ".".join(str(p) for p in e.get("loc", ())) or "(root)"
    more = f" (+{len(errs) - 1} more)" if len(errs) > 1 else ""
    return f"{loc}: {e.get('msg', 'invalid')}{more}"


# --- conversion to the contract ----------------------------------------------------------


def event_id(source_id: str, event_type: str, sub_event_type: str, spans: list[tuple[int, int]]) -> str:
    """Stable id: hash of source id, type and evidence offsets."""
    key = "|".join([source_id, event_type, sub_event_type, ";".join(f"{s}-{e}" for s, e in spans)])
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:16]


class _Dropped(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _locate_all(quotes: list[str], locator: EvidenceLocator) -> list[tuple[Located, str]]:
    if not quotes:
        raise _Dropped("no evidence given")
    found: list[tuple[Located, str]] = []
    seen: set[tuple[int, int]] = set()
    for q in quotes:
        loc = locator.locate(q) if isinstance(q, str) else None
        if loc is None:
            raise _Dropped(f"evidence not found in the article: {_short(str(q))!r}")
        if (loc.start, loc.end) not in seen:
            seen.add((loc.start, loc.end))
            found.append((loc, q))
    return found


def _evidence(body: str, found: list[tuple[Located, str]]) -> list[Evidence]:
    return [Evidence(start=loc.start, end=loc.end, text=body[loc.start : loc.end]) for loc, _ in found]


def _fix_dates(f: dict[str, Any], published: Optional[date]) -> None:
    d, s, e = f.get("event_date"), f.get("event_date_start"), f.get("event_date_end")
    if s and e and s > e:
        raise _Dropped(f"event_date_start {s} is after event_date_end {e}")
    if d is None and s and e:
        f["event_date"] = d = s + timedelta(days=(e - s).days // 2)
    if d is not None:
        f["event_date_start"] = s or d
        f["event_date_end"] = e or d
    if published is not None:
        for key in ("event_date", "event_date_start"):
            v = f.get(key)
            if v is not None and v > published:
                raise _Dropped(f"{key} {v} is after the publication date {published}")
        if f.get("event_date_end") and f["event_date_end"] > published:
            f["event_date_end"] = published


def to_event(item: dict[str, Any], body: str, source: Source, locator: EvidenceLocator) -> tuple[Event, list[Located]]:
    """One model event → a validated :class:`Event` with located evidence (or _Dropped)."""
    try:
        ev = LLMEvent.model_validate(item)
    except ValidationError as exc:
        raise _Dropped(f"invalid event: {_first_error(exc)}") from None
    f = ev.model_dump()
    quotes = f.pop("evidence")
    et, sub = f["event_type"], f["sub_event_type"]
    if sub not in EVENT_TYPES.get(et, ()):
        raise _Dropped(f"sub_event_type {sub!r} does not belong to event_type {et!r}")
    found = _locate_all(quotes, locator)
    _fix_dates(f, source.published)
    if f.get("fatalities_low") is not None and f.get("fatalities_high") is not None:
        lo, hi = sorted((f["fatalities_low"], f["fatalities_high"]))
        f["fatalities_low"], f["fatalities_high"] = lo, hi
    spans = [(loc.start, loc.end) for loc, _ in found]
    try:
        event = Event(
            id=event_id(source.id, et, sub, spans),
            disorder_type=disorder_type_for(et, sub),
            interaction=interaction_code(f.get("inter1"), f.get("inter2")),
            evidence=_evidence(body, found),
            **f,
        )
    except ValidationError as exc:
        raise _Dropped(f"invalid event: {_first_error(exc)}") from None
    return event, [loc for loc, _ in found]


def to_aggregate(item: dict[str, Any], body: str, locator: EvidenceLocator) -> Aggregate:
    """One model aggregate → a validated :class:`Aggregate` (or _Dropped)."""
    try:
        ag = LLMAggregate.model_validate(item)
    except ValidationError as exc:
        raise _Dropped(f"invalid aggregate: {_first_error(exc)}") from None
    f = ag.model_dump()
    found = _locate_all(f.pop("evidence"), locator)
    if f.get("period_start") and f.get("period_end") and f["period_start"] > f["period_end"]:
        raise _Dropped(f"period_start {f['period_start']} is after period_end {f['period_end']}")
    try:
        return Aggregate(evidence=_evidence(body, found), **f)
    except ValidationError as exc:
        raise _Dropped(f"invalid aggregate: {_first_error(exc)}") from None


def _overlaps(spans: list[tuple[int, int]], others: list[tuple[int, int]]) -> bool:
    return any(s < oe and os_ < e for s, e in spans for os_, oe in others)


def _spans(items) -> list[tuple[int, int]]:
    return [(ev.start, ev.end) for it in items for ev in it.evidence]


# --- the stage ----------------------------------------------------------------------------


@stages.register(STAGE, reads=["body", "source"], writes=["events", "aggregates"])
def make_llm(config: dict):
    """Events and aggregates from an OpenAI-compatible LLM endpoint (optional, online)."""
    settings, mode, threshold, min_chars = settings_from_config(config)
    schema = llm_json_schema()
    client = ChatClient(settings)

    def llm(doc: WorkDoc) -> WorkDoc:
        if doc.source is None:  # pragma: no cover - the registry checks the order
            raise ConflictLensError("E104", name=STAGE, field="source")
        body = doc.body
        in_prompt = None if settings.response_format == "json_schema" else schema
        request = build_request(settings, messages(body, doc.source, in_prompt), schema)
        completion = client.complete(request)
        answer = parse_answer(completion.content)

        locator = EvidenceLocator(body, threshold=threshold, min_chars=min_chars)
        dropped: list[dict[str, Any]] = []
        methods: dict[str, int] = {}

        existing_event_spans = _spans(doc.events) if mode == "merge" else []
        new_events: list[Event] = []
        ids: set[str] = {e.id for e in doc.events} if mode == "merge" else set()
        for i, item in enumerate(answer.events):
            try:
                event, locs = to_event(item, body, doc.source, locator)
            except _Dropped as d:
                dropped.append({"kind": "event", "index": i, "reason": d.reason})
                continue
            if event.id in ids:
                dropped.append({"kind": "event", "index": i, "reason": f"duplicate of event {event.id}"})
                continue
            spans = [(e.start, e.end) for e in event.evidence]
            if _overlaps(spans, existing_event_spans):
                dropped.append({"kind": "event", "index": i,
                                "reason": "merge: its evidence overlaps an event already found"})
                continue
            for loc in locs:
                methods[loc.method] = methods.get(loc.method, 0) + 1
            ids.add(event.id)
            new_events.append(event)

        existing_agg_spans = _spans(doc.aggregates) if mode == "merge" else []
        new_aggs: list[Aggregate] = []
        agg_keys: set[tuple] = set()
        for i, item in enumerate(answer.aggregates):
            try:
                agg = to_aggregate(item, body, locator)
            except _Dropped as d:
                dropped.append({"kind": "aggregate", "index": i, "reason": d.reason})
                continue
            spans = _spans([agg])
            key = (agg.kind, agg.value, tuple(spans))
            if key in agg_keys:
                dropped.append({"kind": "aggregate", "index": i, "reason": "duplicate aggregate"})
                continue
            if _overlaps(spans, existing_agg_spans):
                dropped.append({"kind": "aggregate", "index": i,
                                "reason": "merge: its evidence overlaps an aggregate already found"})
                continue
            agg_keys.add(key)
            new_aggs.append(agg)

        new_events.sort(key=lambda e: (e.evidence[0].start, e.id))
        if mode == "replace":
            doc.events = new_events
            doc.aggregates = new_aggs
        else:
            doc.events = list(doc.events) + new_events
            doc.aggregates = list(doc.aggregates) + new_aggs
        doc.meta["llm_dropped"] = dropped
        doc.meta["llm"] = {
            "url": settings.url,
            "model": completion.model or settings.model,
            "mode": mode,
            "usage": completion.usage,
            "events_added": [e.id for e in new_events],
            "aggregates_added": len(new_aggs),
            "evidence_match": methods,
        }
        return doc

    return llm
