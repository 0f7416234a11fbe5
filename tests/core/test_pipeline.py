from datetime import date

import pytest

from conflictlens.doc import RawInput
from conflictlens.errors import ConflictLensError
from conflictlens.pipeline import Pipeline, load_config
from conflictlens.registry import stages
from conflictlens.schema import Document, json_schema

TEXT = ("PESHAWAR, Pakistan — Gunmen killed three policemen at a checkpoint in the city on Monday, officials said. "
        "Police said the attackers escaped on motorcycles.")


def test_default_stages_are_registered_and_ordered():
    cfg = load_config()
    pipe = Pipeline.from_config(cfg)
    assert pipe.names[:3] == ["ingest.clean", "nlp.spacy", "events.rules"]
    for name in pipe.names:
        spec = stages.get(name)
        assert spec.writes, name


def test_unknown_stage_and_missing_input_field():
    with pytest.raises(ConflictLensError) as e:
        Pipeline.from_config(load_config(overrides={"pipeline": {"stages": ["ingest.clean", "nope"]}}))
    assert e.value.code == "E103"
    with pytest.raises(ConflictLensError) as e:
        Pipeline.from_config(load_config(overrides={"pipeline": {"stages": ["events.rules"]}}))
    assert e.value.code == "E104"


def test_config_file_override(tmp_path):
    cfg = tmp_path / "c.toml"
    cfg.write_text('[pipeline]\nstages = ["ingest.clean"]\n', "utf-8")
    assert load_config(cfg)["pipeline"]["stages"] == ["ingest.clean"]
    bad = tmp_path / "bad.toml"
    bad.write_text("[pipeline\n", "utf-8")
    with pytest.raises(ConflictLensError) as e:
        load_config(bad)
    assert e.value.code == "E102"
    with pytest.raises(ConflictLensError) as e:
        load_config(tmp_path / "none.toml")
    assert e.value.code == "E101"


def test_blank_fallback_still_extracts():
    cfg = load_config(overrides={"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules"]},
                                 "stages": {"nlp.spacy": {"blank": True}}})
    doc = Pipeline.from_config(cfg).process(RawInput(name="t", content=TEXT, published=date(2024, 3, 12)))
    assert len(doc.events) == 1
    ev = doc.events[0]
    assert ev.fatalities == 3 and ev.event_date == date(2024, 3, 11) and ev.iso3 == "PAK"


def test_full_pipeline_output_validates_against_schema():
    doc = Pipeline.from_config(load_config()).process(RawInput(name="t", content=TEXT, published=date(2024, 3, 12)))
    again = Document.model_validate_json(doc.model_dump_json())
    assert again == doc
    ev = doc.events[0]
    for e in ev.evidence:
        assert doc.source.body[e.start:e.end] == e.text
    assert ev.notes.startswith("On 2024-03-11")
    assert "Document" in json_schema()["title"] or json_schema()["$defs"]["Event"]


def test_stable_ids():
    pipe = Pipeline.from_config(load_config())
    a = pipe.process(RawInput(name="t", content=TEXT, published=date(2024, 3, 12)))
    b = pipe.process(RawInput(name="t", content=TEXT, published=date(2024, 3, 12)))
    assert a.source.id == b.source.id and [e.id for e in a.events] == [e.id for e in b.events]
