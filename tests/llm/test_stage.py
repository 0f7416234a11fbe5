"""The ``llm`` stage through the real pipeline, against the fake server."""
from __future__ import annotations

import json
import socket

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.llm.models import llm_json_schema
from conflictlens.pipeline import BuiltStage, Pipeline, load_config
from conflictlens.registry import StageSpec
from conflictlens.schema import Document, Event, Evidence

from .conftest import (
    ARRESTS,
    CLASH_1,
    CLASH_2,
    TOTAL,
    arrests_event,
    clash_event,
    total_aggregate,
)

pytestmark = pytest.mark.network


def _assert_offsets(doc: Document) -> None:
    body = doc.source.body
    for item in [*doc.events, *doc.aggregates]:
        assert item.evidence
        for ev in item.evidence:
            assert body[ev.start : ev.end] == ev.text


def test_good_response(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(), arrests_event()], [total_aggregate()])
    doc = make_pipeline().process(raw)

    assert [e.sub_event_type for e in doc.events] == ["Armed clash", "Arrests"]
    clash, arrests = doc.events
    _assert_offsets(doc)
    assert [ev.text for ev in clash.evidence] == [CLASH_1, CLASH_2]
    assert arrests.evidence[0].text == ARRESTS
    # derived fields are computed, not taken from the model
    assert clash.disorder_type == "Political violence"
    assert clash.interaction == 13
    assert arrests.disorder_type == "Strategic developments"
    assert arrests.interaction == 10
    # a missing date window is filled from event_date
    assert arrests.event_date_start == arrests.event_date_end == arrests.event_date
    assert clash.fatalities == 5 and clash.fatalities_known
    assert len({clash.id, arrests.id}) == 2

    (agg,) = doc.aggregates
    assert agg.kind == "fatalities" and agg.value == 200
    assert agg.evidence[0].text == TOTAL
    # aggregates are never events
    assert all(TOTAL not in ev.text for e in doc.events for ev in e.evidence)


def test_model_supplied_derived_fields_are_recomputed(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(disorder_type="Demonstrations", interaction=99, id="made-up")])
    doc = make_pipeline().process(raw)
    (ev,) = doc.events
    assert ev.disorder_type == "Political violence"
    assert ev.interaction == 13
    assert ev.id != "made-up"


def test_ids_are_stable_across_runs(fake_llm, make_pipeline, raw):
    pipe = make_pipeline()
    fake_llm.reply([clash_event(), arrests_event()])
    first = [e.id for e in pipe.process(raw).events]
    fake_llm.reply([arrests_event(), clash_event(confidence=0.5)])  # other order, other confidence
    second = [e.id for e in pipe.process(raw).events]
    assert first == second


def test_wrong_evidence_drops_the_event(fake_llm, make_pipeline, raw):
    invented = "Insurgents shelled a military base near the Afghan border, killing nine soldiers."
    fake_llm.reply([clash_event(), arrests_event(evidence=[invented])])
    pipe = make_pipeline()
    work = pipe.run(raw)
    assert [e.sub_event_type for e in work.events] == ["Armed clash"]
    (drop,) = work.meta["llm_dropped"]
    assert drop["kind"] == "event" and drop["index"] == 1
    assert "evidence not found" in drop["reason"]
    assert "Insurgents shelled" in drop["reason"]


def test_one_bad_quote_among_good_ones_drops_the_event(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(evidence=[CLASH_1, "The checkpoint was burned to the ground by the gunmen."])])
    work = make_pipeline().run(raw)
    assert work.events == []
    assert "evidence not found" in work.meta["llm_dropped"][0]["reason"]


def test_aggregate_with_wrong_evidence_is_dropped(fake_llm, make_pipeline, raw):
    fake_llm.reply([], [total_aggregate(evidence=["500 soldiers have died in the province this year."])])
    work = make_pipeline().run(raw)
    assert work.aggregates == []
    assert work.meta["llm_dropped"][0]["kind"] == "aggregate"


def test_paraphrased_whitespace_and_typo_are_located(fake_llm, make_pipeline, raw):
    # a line break inside the quote and one misspelt word
    quote = CLASH_1.replace("police checkpoint in the", "police checkpoint\nin the").replace("officers", "oficers")
    fake_llm.reply([clash_event(evidence=[quote])])
    work = make_pipeline().run(raw)
    (ev,) = work.events
    assert ev.evidence[0].text == CLASH_1
    assert work.meta["llm"]["evidence_match"] == {"fuzzy": 1}


def test_invalid_pair_is_dropped(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(event_type="Protests"), arrests_event()])
    work = make_pipeline().run(raw)
    assert [e.sub_event_type for e in work.events] == ["Arrests"]
    assert "does not belong" in work.meta["llm_dropped"][0]["reason"]


def test_event_after_publication_is_dropped(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(event_date="2024-03-20", event_date_start=None, event_date_end=None)])
    work = make_pipeline().run(raw)
    assert work.events == []
    assert "after the publication date" in work.meta["llm_dropped"][0]["reason"]


def test_invalid_item_is_dropped_not_the_answer(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(fatalities=-3), arrests_event()])
    work = make_pipeline().run(raw)
    assert [e.sub_event_type for e in work.events] == ["Arrests"]
    assert "fatalities" in work.meta["llm_dropped"][0]["reason"]


def test_fenced_json(fake_llm, make_pipeline, raw):
    answer = json.dumps({"events": [clash_event()], "aggregates": []}, indent=2)
    fake_llm.reply_content(f"Here is the extraction:\n```json\n{answer}\n```\nLet me know if you need more.")
    doc = make_pipeline().process(raw)
    assert [e.sub_event_type for e in doc.events] == ["Armed clash"]
    _assert_offsets(doc)


def test_invalid_json_is_e202(fake_llm, make_pipeline, raw):
    fake_llm.reply_content('{"events": [{"event_type": "Battles", ')
    with pytest.raises(ConflictLensError) as exc:
        make_pipeline().process(raw)
    assert exc.value.code == "E202"
    assert "\n" not in exc.value.message


@pytest.mark.parametrize(
    "content",
    ['["not", "an", "object"]', '{"events": "none"}', '{"events": [1, 2]}'],
)
def test_wrong_shape_is_e202(fake_llm, make_pipeline, raw, content):
    fake_llm.reply_content(content)
    with pytest.raises(ConflictLensError) as exc:
        make_pipeline().process(raw)
    assert exc.value.code == "E202"


def test_truncated_answer_is_e202(fake_llm, make_pipeline, raw):
    fake_llm.reply_content('{"events": [', finish_reason="length")
    with pytest.raises(ConflictLensError) as exc:
        make_pipeline().process(raw)
    assert exc.value.code == "E202" and "max_tokens" in exc.value.message


def test_not_a_chat_completion_is_e202(fake_llm, make_pipeline, raw):
    fake_llm.reply_raw(200, json.dumps({"result": "ok"}))
    with pytest.raises(ConflictLensError) as exc:
        make_pipeline().process(raw)
    assert exc.value.code == "E202"


def test_http_500_is_e201(fake_llm, make_pipeline, raw):
    fake_llm.reply_raw(500, "Internal Server Error\nmodel crashed", "text/plain")
    with pytest.raises(ConflictLensError) as exc:
        make_pipeline().process(raw)
    assert exc.value.code == "E201"
    assert "HTTP 500" in exc.value.message
    assert "\n" not in exc.value.line()


def test_unreachable_endpoint_is_e201(make_pipeline, raw):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    pipe = make_pipeline(url=f"http://127.0.0.1:{port}/v1/chat/completions", timeout=5)
    with pytest.raises(ConflictLensError) as exc:
        pipe.process(raw)
    assert exc.value.code == "E201"
    assert str(port) in exc.value.message


def test_timeout_is_e201(fake_llm, make_pipeline, raw):
    fake_llm.reply_raw(200, json.dumps({"choices": []}), delay=1.5)
    with pytest.raises(ConflictLensError) as exc:
        make_pipeline(timeout=0.3).process(raw)
    assert exc.value.code == "E201"
    assert "0.3 s" in exc.value.message


def test_request_carries_schema_and_article(fake_llm, make_pipeline, raw):
    fake_llm.reply([])
    doc = make_pipeline(model="qwen2.5-7b-instruct").process(raw)
    (req,) = fake_llm.requests
    assert req["model"] == "qwen2.5-7b-instruct"
    assert req["temperature"] == 0
    rf = req["response_format"]
    assert rf["type"] == "json_schema"
    assert rf["json_schema"]["schema"] == llm_json_schema()
    props = rf["json_schema"]["schema"]["$defs"]["LLMEvent"]["properties"]
    assert "Armed clash" in props["sub_event_type"]["enum"]
    system, user = req["messages"]
    assert system["role"] == "system" and "aggregates" in system["content"]
    assert user["role"] == "user"
    assert doc.source.body in user["content"]
    assert "Published: 2024-03-12" in user["content"]
    assert "authorization" not in fake_llm.headers[0]


@pytest.mark.parametrize("fmt", ["json_object", "none"])
def test_schema_in_prompt_without_constrained_decoding(fake_llm, make_pipeline, raw, fmt):
    fake_llm.reply([clash_event()])
    doc = make_pipeline(response_format=fmt).process(raw)
    assert [e.sub_event_type for e in doc.events] == ["Armed clash"]
    (req,) = fake_llm.requests
    if fmt == "none":
        assert "response_format" not in req
    else:
        assert req["response_format"] == {"type": "json_object"}
    system = req["messages"][0]["content"]
    schema_text = system[system.index("JSON Schema:") + len("JSON Schema:"):].strip()
    assert json.loads(schema_text) == llm_json_schema()


def test_api_key_from_environment(fake_llm, make_pipeline, raw, monkeypatch):
    monkeypatch.setenv("TEST_LLM_KEY", "s3cret")
    fake_llm.reply([])
    make_pipeline(api_key_env="TEST_LLM_KEY").process(raw)
    assert fake_llm.headers[0]["authorization"] == "Bearer s3cret"


def test_no_events_in_answer_gives_empty_lists(fake_llm, make_pipeline, raw):
    fake_llm.reply([], [])
    work = make_pipeline().run(raw)
    assert work.events == [] and work.aggregates == [] and work.meta["llm_dropped"] == []
    assert work.meta["llm"]["usage"]["total_tokens"] == 30


# --- merge / replace ------------------------------------------------------------------


def _with_seed_stage(pipe: Pipeline) -> Pipeline:
    """Insert a stand-in for a rule stage that found the clash (not registered globally)."""

    def seed(doc):
        start = doc.body.index(CLASH_1)
        doc.events = [Event(id="rule-1", disorder_type="Political violence", event_type="Battles",
                            sub_event_type="Armed clash",
                            evidence=[Evidence(start=start, end=start + len(CLASH_1), text=CLASH_1)])]
        return doc

    spec = StageSpec(name="tests.seed", factory=lambda cfg: seed, reads=("body",), writes=("events",))
    pipe.stages.insert(1, BuiltStage(spec, seed))
    return pipe


def test_merge_keeps_rule_events_and_adds_new(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(), arrests_event()])
    work = _with_seed_stage(make_pipeline(mode="merge")).run(raw)
    assert [e.id for e in work.events][0] == "rule-1"
    assert [e.sub_event_type for e in work.events] == ["Armed clash", "Arrests"]
    assert any(d["reason"].startswith("merge:") for d in work.meta["llm_dropped"])


def test_replace_uses_llm_events_only(fake_llm, make_pipeline, raw):
    fake_llm.reply([clash_event(), arrests_event()])
    work = _with_seed_stage(make_pipeline(mode="replace")).run(raw)
    assert "rule-1" not in [e.id for e in work.events]
    assert [e.sub_event_type for e in work.events] == ["Armed clash", "Arrests"]


# --- configuration ----------------------------------------------------------------------


def test_llm_is_not_in_the_default_pipeline():
    cfg = load_config()
    assert "llm" not in cfg["pipeline"]["stages"]
    assert cfg["stages"]["llm"]["mode"] in ("merge", "replace")


@pytest.mark.parametrize(
    "options, fragment",
    [
        ({"mode": "append"}, "mode"),
        ({"url": "ftp://example.org/x"}, "url"),
        ({"url": 42}, "url"),
        ({"timeout": 0}, "timeout"),
        ({"timeout": "fast"}, "timeout"),
        ({"model": ""}, "model"),
        ({"fuzzy_threshold": 150}, "fuzzy_threshold"),
        ({"min_evidence_chars": 0}, "min_evidence_chars"),
        ({"max_tokens": -1}, "max_tokens"),
        ({"modle": "x"}, "unknown option"),
        ({"response_format": "grammar"}, "response_format"),
    ],
)
def test_bad_options_are_e105(options, fragment):
    cfg = load_config(overrides={"pipeline": {"stages": ["ingest.clean", "llm"]}, "stages": {"llm": options}})
    with pytest.raises(ConflictLensError) as exc:
        Pipeline.from_config(cfg)
    assert exc.value.code == "E105"
    assert fragment in exc.value.message
