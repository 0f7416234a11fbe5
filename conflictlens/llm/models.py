"""The reduced, LLM-facing output schema.

The language model is asked for the same events and aggregates as the rule
stages produce (:mod:`conflictlens.schema`), with three differences:

* no ``id`` — ids are computed from the located evidence (stable, not guessed);
* no ``disorder_type`` / ``interaction`` — both follow deterministically from
  other fields (:func:`~conflictlens.schema.disorder_type_for`,
  :func:`~conflictlens.schema.interaction_code`) and are recomputed;
* ``evidence`` is a list of *quoted text* from the article, not offsets — the
  stage locates each quote in the body and computes offsets itself.

The models are derived from :class:`~conflictlens.schema.Event` and
:class:`~conflictlens.schema.Aggregate` field by field, so a field added to the
contract appears in the LLM schema without editing this module.  Parsing is
lenient (unknown keys are ignored, missing keys take the contract's default)
while the JSON Schema sent to the server is strict (every key required, no
additional properties), which is what OpenAI's ``strict`` mode and grammar-based
servers (llama.cpp, vLLM) expect.
"""
from __future__ import annotations

import copy
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, create_model

from ..schema import EVENT_TYPES, Aggregate, Event

# Fields of the public contract the model is not asked for (see module docstring).
EVENT_FIELDS_NOT_ASKED = ("id", "disorder_type", "interaction", "evidence")
AGGREGATE_FIELDS_NOT_ASKED = ("evidence",)

EventTypeName = Literal[tuple(EVENT_TYPES)]  # type: ignore[valid-type]
SubEventTypeName = Literal[tuple(s for subs in EVENT_TYPES.values() for s in subs)]  # type: ignore[valid-type]

# Short hints shown to the model inside the JSON Schema.
_HINTS: dict[str, str] = {
    "event_date": "Day the event happened (YYYY-MM-DD), resolved against the publication date; "
    "the midpoint of the window when time_precision is 2 or 3.",
    "event_date_start": "First day of the window in which the event happened.",
    "event_date_end": "Last day of the window in which the event happened.",
    "time_precision": "1 exact day, 2 within a week or a few days, 3 only the month or longer.",
    "event_type": "ACLED event type.",
    "sub_event_type": "ACLED sub-event type; must belong to event_type.",
    "actor1": "Initiator, ACLED-style name, e.g. 'Military Forces of Pakistan (2018-)'.",
    "actor2": "Target or other side; null for one-sided events.",
    "assoc_actor_1": "Allies of actor1 or identity of the group.",
    "assoc_actor_2": "Allies of actor2 or identity of victims.",
    "inter1": "Actor1 type: 1 state, 2 rebels, 3 political militia, 4 identity militia, "
    "5 rioters, 6 protesters, 7 civilians, 8 external/other, 0 none.",
    "inter2": "Actor2 type, same codes as inter1; 0 when there is no actor2.",
    "civilian_targeting": "True when civilians were the deliberate target.",
    "latitude": "Null unless the article itself states coordinates.",
    "longitude": "Null unless the article itself states coordinates.",
    "location": "Most specific named place of the event (not of the newsroom).",
    "geo_precision": "1 town named, 2 near a town or part of a region, 3 only district/province.",
    "fatalities": "People killed in this event, all sides, most conservative credible figure; "
    "never injuries; 0 if unknown.",
    "fatalities_known": "False when the text gives no fatality information.",
    "confidence": "Your confidence (0-1) that this is a real, distinct event.",
    "notes": "One-line ACLED-style summary of the event.",
}

_EVIDENCE_HINT = (
    "Verbatim quotations copied exactly from the article (one or more sentences) "
    "that support the event; never paraphrase."
)


class _LLMModel(BaseModel):
    # Lenient parsing; the schema sent to the server is made strict in llm_json_schema().
    model_config = ConfigDict(extra="ignore")


def _derive(name: str, base: type[BaseModel], skip: tuple[str, ...], extra: dict[str, Any]) -> type[BaseModel]:
    fields: dict[str, Any] = {}
    for fname, info in base.model_fields.items():
        if fname in skip:
            continue
        info = copy.copy(info)
        if fname in _HINTS and not info.description:
            info.description = _HINTS[fname]
        fields[fname] = (info.annotation, info)
    fields.update(extra)
    return create_model(name, __base__=_LLMModel, **fields)


LLMEvent = _derive(
    "LLMEvent",
    Event,
    EVENT_FIELDS_NOT_ASKED,
    {
        "event_type": (EventTypeName, Field(description=_HINTS["event_type"])),
        "sub_event_type": (SubEventTypeName, Field(description=_HINTS["sub_event_type"])),
        "evidence": (
            list[str],
            Field(default_factory=list, description=_EVIDENCE_HINT, json_schema_extra={"minItems": 1}),
        ),
    },
)

LLMAggregate = _derive(
    "LLMAggregate",
    Aggregate,
    AGGREGATE_FIELDS_NOT_ASKED,
    {
        "evidence": (
            list[str],
            Field(default_factory=list, description="Verbatim quotations that state the total.",
                  json_schema_extra={"minItems": 1}),
        ),
    },
)


class LLMResponse(_LLMModel):
    """Top level of the model's answer."""

    events: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Distinct events (one per incident, place and day).",
    )
    aggregates: list[dict[str, Any]] = Field(
        default_factory=list,
        description="Totals over a period (e.g. '62 soldiers killed this year'); never events.",
    )


def _strict(node: Any) -> None:
    """Make every object in a JSON Schema require all its keys and forbid others."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node["required"] = list(node["properties"])
            node["additionalProperties"] = False
        node.pop("default", None)
        if isinstance(node.get("title"), str):
            node.pop("title")
        for v in node.values():
            _strict(v)
    elif isinstance(node, list):
        for v in node:
            _strict(v)


def llm_json_schema() -> dict:
    """The JSON Schema sent as ``response_format.json_schema.schema``.

    Items of ``events``/``aggregates`` are parsed one by one (a bad item is
    dropped, not the whole answer), so the top-level model declares them as
    plain objects; here they are replaced by the full item schemas.
    """
    ev = LLMEvent.model_json_schema(ref_template="#/$defs/{model}")
    ag = LLMAggregate.model_json_schema(ref_template="#/$defs/{model}")
    defs: dict[str, Any] = {}
    for sch in (ev, ag):
        defs.update(sch.pop("$defs", {}))
    defs["LLMEvent"] = ev
    defs["LLMAggregate"] = ag
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {
            "events": {
                "type": "array",
                "description": LLMResponse.model_fields["events"].description,
                "items": {"$ref": "#/$defs/LLMEvent"},
            },
            "aggregates": {
                "type": "array",
                "description": LLMResponse.model_fields["aggregates"].description,
                "items": {"$ref": "#/$defs/LLMAggregate"},
            },
        },
        "$defs": defs,
    }
    _strict(schema)
    return schema
