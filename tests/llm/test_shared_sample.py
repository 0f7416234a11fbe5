"""The stage on the shared DW sample (read from ../shared; skipped when absent)."""
from __future__ import annotations

from datetime import date

import pytest

from conflictlens.doc import RawInput

from .conftest import clash_event

pytestmark = pytest.mark.network

SAMPLE = "samples/dw-2024-07-01-pakistan-azm-e-istehkam.txt"


def _march(**over):
    base = dict(event_date="2024-03-16", event_date_start="2024-03-01", event_date_end="2024-03-31",
                time_precision=3, admin1=None, admin2=None, location=None, geo_precision=3)
    base.update(over)
    return clash_event(**base)


@pytest.fixture
def dw_raw(shared_dir) -> RawInput:
    path = shared_dir / SAMPLE
    if not path.is_file():
        pytest.skip(f"{SAMPLE} not in ../shared")
    return RawInput(name=str(path), content=path.read_text("utf-8"), published=date(2024, 7, 1))


def test_dw_sample(fake_llm, make_pipeline, dw_raw):
    airstrike = _march(
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        actor1="Military Forces of Pakistan (2018-)", inter1=1, actor2=None, inter2=0,
        country="Afghanistan", iso3="AFG", fatalities=8, fatalities_low=8, fatalities_high=8,
        evidence=[
            # a line break the article does not have
            "In March, Pakistan launched rare airstrikes inside Afghanistan, targeting the\n"
            "suspected hideouts of Pakistani militant groups.",
            "The strikes killed eight people and prompted Afghan forces to return fire on the border.",
        ],
    )
    gwadar = _march(
        actor1="Military Forces of Pakistan (2018-)", inter1=1,
        actor2="BLA: Balochistan Liberation Army", inter2=2, admin1="Balochistan", location="Gwadar",
        fatalities=8, evidence=["Pakistani security forces killed eight Baluchistan Liberation Army "
                                "separatists who opened fire on a convoy carrying Chinese citizens"],
    )
    invented = _march(
        event_type="Explosions/Remote violence", sub_event_type="Air/drone strike",
        evidence=["Pakistani jets bombed the outskirts of Kabul on Monday, killing 20 people."],
    )
    aggregates = [
        {"kind": "fatalities", "value": 62, "subject": "soldiers", "period_start": "2024-01-01",
         "period_end": "2024-07-01",
         "evidence": ["The attacks have claimed the lives of at least 62 soldiers, including two officers, "
                      "so far this year."]},
        {"kind": "arrests", "value": 396, "subject": "terrorists", "period_start": None, "period_end": None,
         "evidence": ["The military said it killed 249 and arrested 396 terrorists"]},
    ]
    fake_llm.reply([airstrike, gwadar, invented], aggregates)
    work = make_pipeline().run(dw_raw)
    doc = work.to_document()
    body = doc.source.body

    assert [e.sub_event_type for e in doc.events] == ["Air/drone strike", "Armed clash"]
    for item in [*doc.events, *doc.aggregates]:
        for ev in item.evidence:
            assert body[ev.start : ev.end] == ev.text
    strike = doc.events[0]
    assert strike.evidence[0].text.startswith("In March, Pakistan launched rare airstrikes")
    assert strike.disorder_type == "Political violence" and strike.interaction == 10
    assert [a.value for a in doc.aggregates] == [62, 396]
    (drop,) = work.meta["llm_dropped"]
    assert drop["index"] == 2 and "Kabul" in drop["reason"]
    # the request carried the clean body, which the offsets refer to
    assert body in fake_llm.requests[0]["messages"][1]["content"]
