"""The geo.gazetteer stage on the sample article with hand-built events, and end to end."""
import re

import pytest

from conflictlens.doc import RawInput, Sentence, WorkDoc
from conflictlens.schema import Event, Evidence, Source

GWADAR = "outside the Chinese-funded Gwadar port"
STRIKES = "In March, Pakistan launched rare airstrikes inside Afghanistan"
PROMPTED = "prompted Islamabad to launch the latest military campaign"


def _sentences(text):
    out = []
    for m in re.finditer(r"[^.!?\n]+[.!?]?", text):
        if m.group().strip():
            out.append(Sentence(m.start(), m.end(), m.group()))
    return out


def _event(doc_text, needle, eid, **kw):
    # the article uses no-break spaces between some words
    i = re.search(r"\s+".join(map(re.escape, needle.split())), doc_text).start()
    s = next(s for s in _sentences(doc_text) if s.start <= i < s.end)
    base = dict(id=eid, disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash",
                evidence=[Evidence(start=s.start, end=s.end, text=s.text)])
    base.update(kw)
    return Event(**base)


@pytest.fixture
def sample_doc(sample_text):
    src = Source(id="dw-sample", title="Can Pakistan's new military campaign end militancy?", dateline="Islamabad",
                 body=sample_text)
    events = [
        _event(sample_text, GWADAR, "e-gwadar", country="Pakistan", iso3="PAK"),
        # the events stage may guess the country from "Pakistan" in the evidence; geo must correct it
        _event(sample_text, STRIKES, "e-strikes", event_type="Explosions/Remote violence",
               sub_event_type="Air/drone strike", country="Pakistan", iso3="PAK"),
        _event(sample_text, PROMPTED, "e-campaign", disorder_type="Strategic developments",
               event_type="Strategic developments", sub_event_type="Other", country="Pakistan", iso3="PAK"),
    ]
    return WorkDoc(raw=RawInput(name="sample", content=sample_text), source=src, body=sample_text,
                   sentences=_sentences(sample_text), entities=[], events=events)


@pytest.fixture(scope="module")
def stage():
    from conflictlens.registry import stages

    return stages.get("geo.gazetteer").factory({})


def test_stage_is_registered():
    from conflictlens.registry import stages

    spec = stages.get("geo.gazetteer")
    assert spec.reads == ("body", "sentences", "entities", "events")
    assert spec.writes == ("places", "events")


def test_gwadar_event(stage, sample_doc):
    doc = stage(sample_doc)
    ev = next(e for e in doc.events if e.id == "e-gwadar")
    assert ev.location == "Gwadar"
    assert ev.iso3 == "PAK" and ev.country == "Pakistan"
    assert ev.admin1 in ("Balochistan", "Baluchistan")
    assert abs(ev.latitude - 25.1) < 0.3 and abs(ev.longitude - 62.3) < 0.3
    assert ev.geo_precision in (1, 2)


def test_airstrikes_in_afghanistan_country_level(stage, sample_doc):
    doc = stage(sample_doc)
    ev = next(e for e in doc.events if e.id == "e-strikes")
    assert ev.iso3 == "AFG" and ev.country == "Afghanistan"
    assert ev.geo_precision == 3
    assert ev.location == "Afghanistan"
    assert ev.latitude is not None and 29 < ev.latitude < 39 and 60 < ev.longitude < 75


def test_islamabad_is_never_the_event_location(stage, sample_doc):
    doc = stage(sample_doc)
    assert all(e.location != "Islamabad" for e in doc.events)
    dateline_spans = doc.meta["geo"]["dateline_mentions"]
    assert dateline_spans and sample_doc.body[dateline_spans[0][0]:dateline_spans[0][1]] == "Islamabad"


def test_places_list(stage, sample_doc):
    doc = stage(sample_doc)
    names = {p.name for p in doc.places}
    assert {"Pakistan", "Afghanistan", "Gwadar", "Balochistan", "Khyber Pakhtunkhwa"} <= names
    for p in doc.places:
        assert p.reason and p.mentions
        for s in p.mentions:
            assert 0 <= s.start < s.end <= len(doc.body)


def test_no_place_no_location(stage):
    text = "The spokesman said the talks would continue next week."
    ev = Event(id="x", disorder_type="Strategic developments", event_type="Strategic developments",
               sub_event_type="Agreement", evidence=[Evidence(start=0, end=len(text), text=text)])
    doc = WorkDoc(raw=RawInput(name="t", content=text), source=Source(id="t", body=text), body=text,
                  sentences=_sentences(text), events=[ev])
    out = stage(doc)
    assert out.events[0].latitude is None and out.events[0].geo_precision is None


def test_caption_place_not_used_when_caption_is_not_in_body(stage):
    # the ingest stage removes captions; what is not in body cannot become a place or a location
    body = "Militants attacked a police station in Bannu, officials said."
    ev = Event(id="b", disorder_type="Political violence", event_type="Battles", sub_event_type="Armed clash",
               evidence=[Evidence(start=0, end=len(body), text=body)])
    doc = WorkDoc(raw=RawInput(name="t", content="Image: a rally in Peshawar\n" + body),
                  source=Source(id="t", body=body), body=body, sentences=_sentences(body), events=[ev])
    out = stage(doc)
    assert {p.name for p in out.places} == {"Bannu"}
    assert out.events[0].location == "Bannu" and out.events[0].geo_precision == 1


def test_bad_option_is_a_numbered_error():
    from conflictlens.errors import ConflictLensError
    from conflictlens.registry import stages

    with pytest.raises(ConflictLensError) as ei:
        stages.get("geo.gazetteer").factory({"bogus": 1})
    assert ei.value.code == "E105"


def test_end_to_end_pipeline(sample_text, shared_dir):
    from conflictlens.errors import ConflictLensError
    from conflictlens.pipeline import Pipeline, load_config

    cfg = load_config(overrides={"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules",
                                                         "geo.gazetteer"]}})
    try:
        pipe = Pipeline.from_config(cfg)
    except ConflictLensError as exc:
        pytest.xfail(f"upstream stages not available yet: {exc.line()}")
    path = shared_dir / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"
    doc = pipe.process(RawInput(name=str(path), content=sample_text))
    if not doc.events:
        pytest.xfail("events stage produced no events yet")
    gw = [e for e in doc.events if e.location == "Gwadar"]
    assert gw and gw[0].geo_precision in (1, 2)
    assert all(e.location != "Islamabad" for e in doc.events)
    af = [e for e in doc.events if e.sub_event_type == "Air/drone strike"]
    assert af and af[0].iso3 == "AFG" and af[0].geo_precision == 3
    # the photo caption (Peshawar) is debris and must not produce a place
    assert "Peshawar" not in {p.name for p in doc.places}
