"""The LLM-facing schema follows the output contract."""
from __future__ import annotations

import json

from conflictlens.llm.models import (
    AGGREGATE_FIELDS_NOT_ASKED,
    EVENT_FIELDS_NOT_ASKED,
    LLMAggregate,
    LLMEvent,
    llm_json_schema,
)
from conflictlens.schema import EVENT_TYPES, Aggregate, Event


def _objects(node):
    if isinstance(node, dict):
        if node.get("type") == "object":
            yield node
        for v in node.values():
            yield from _objects(v)
    elif isinstance(node, list):
        for v in node:
            yield from _objects(v)


def test_fields_follow_the_contract():
    assert set(LLMEvent.model_fields) == (set(Event.model_fields) - set(EVENT_FIELDS_NOT_ASKED)) | {"evidence"}
    assert set(LLMAggregate.model_fields) == (set(Aggregate.model_fields) - set(AGGREGATE_FIELDS_NOT_ASKED)) | {
        "evidence"
    }


def test_schema_is_strict_and_serialisable():
    schema = llm_json_schema()
    json.dumps(schema)
    objs = list(_objects(schema))
    assert len(objs) >= 3  # top level, event, aggregate
    for obj in objs:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj["properties"])


def test_schema_enumerates_the_taxonomy():
    ev = llm_json_schema()["$defs"]["LLMEvent"]["properties"]
    assert "id" not in ev and "disorder_type" not in ev
    assert ev["event_type"]["enum"] == list(EVENT_TYPES)
    assert sorted(ev["sub_event_type"]["enum"]) == sorted(s for subs in EVENT_TYPES.values() for s in subs)
    assert ev["evidence"]["items"] == {"type": "string"}
    assert ev["evidence"]["minItems"] == 1


def test_parsing_is_lenient_about_missing_and_extra_keys():
    ev = LLMEvent.model_validate(
        {"event_type": "Battles", "sub_event_type": "Armed clash", "evidence": ["x"], "extra": 1}
    )
    assert ev.fatalities == 0 and ev.actor1 is None
