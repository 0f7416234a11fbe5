"""Alert rules: file validation and each kind's firing logic on a database built by the real pipeline."""
from __future__ import annotations

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.store import Store
from conflictlens.watch.rules import load_rules, rules_from_data

from watch_helpers import REPORTS


@pytest.fixture
def filled(db_url, fast_config):
    """A store holding the three made-up reports, extracted by the pipeline."""
    from datetime import date

    from conflictlens.doc import RawInput
    from conflictlens.pipeline import Pipeline

    pipe = Pipeline.from_config(fast_config)
    store = Store(db_url)
    for key, (title, day, text) in REPORTS.items():
        store.save_document(pipe.process(RawInput(name=key, content=text, title=title,
                                                  published=date.fromisoformat(day))))
    yield store
    store.close()


def _events(store):
    from sqlalchemy import select

    from conflictlens.store import models as M

    with store.engine.connect() as conn:
        return {r["location"]: dict(r) for r in conn.execute(select(M.events)).mappings()}


@pytest.mark.parametrize("data, needle", [
    ({"rules": [{"name": "a", "kind": "earthquake"}]}, "unknown kind"),
    ({"rules": [{"name": "a", "kind": "fatalities", "min_fatalaties": 3}]}, "unknown option"),
    ({"rules": [{"name": "a", "kind": "new_actor"}, {"name": "a", "kind": "new_actor"}]}, "duplicate"),
    ({"rules": [{"name": "a", "kind": "event_type", "bbox": [1, 2, 3]}]}, "bbox"),
    ({"rules": "everything"}, "list"),
])
def test_invalid_rules_are_E806(data, needle):
    with pytest.raises(ConflictLensError) as exc:
        rules_from_data(data)
    assert exc.value.code == "E806" and needle in exc.value.message


def test_yaml_rules_file(tmp_path):
    p = tmp_path / "alerts.yml"
    p.write_text("rules:\n  - name: toll\n    kind: fatalities\n    min_fatalities: 5\n"
                 "  - name: spike\n    kind: spike\n    factor: 2\n", encoding="utf-8")
    rules = load_rules(p)
    assert [(r.name, r.kind) for r in rules] == [("toll", "fatalities"), ("spike", "spike")]
    bad = tmp_path / "bad.yml"
    bad.write_text("rules: [\n", encoding="utf-8")
    with pytest.raises(ConflictLensError) as exc:
        load_rules(bad)
    assert exc.value.code == "E806"


def test_fatalities_rule_scopes(filled):
    ev = _events(filled)
    kp = rules_from_data([{"name": "kp", "kind": "fatalities", "country": "PAK",
                           "admin1": "Khyber Pakhtunkhwa", "min_fatalities": 7, "window_days": 7}])[0]
    assert kp.evaluate(ev["Bannu"], filled.engine, set()) == []  # 6 < 7 in KP
    assert kp.evaluate(ev["Quetta"], filled.engine, set()) == []  # Balochistan, out of scope
    bal = rules_from_data([{"name": "bal", "kind": "fatalities", "admin1": "Balochistan",
                            "min_fatalities": 11, "window_days": 7}])[0]
    hits = bal.evaluate(ev["Zhob"], filled.engine, set())  # Quetta 7 + Zhob 4
    assert len(hits) == 1 and hits[0].extra["total_fatalities"] == 11
    one_day = rules_from_data([{"name": "d", "kind": "fatalities", "min_fatalities": 11}])[0]
    assert one_day.evaluate(ev["Zhob"], filled.engine, set()) == []  # only Zhob's own day


def test_spike_and_new_actor(filled):
    ev = _events(filled)
    spike = rules_from_data([{"name": "s", "kind": "spike", "window_days": 3, "baseline_days": 30,
                              "min_count": 3, "factor": 2}])[0]
    assert len(spike.evaluate(ev["Zhob"], filled.engine, set())) == 1  # 3 events, none before
    assert spike.evaluate(ev["Quetta"], filled.engine, set()) == []  # only 1 event by then
    new = rules_from_data([{"name": "n", "kind": "new_actor"}])[0]
    zhob = ev["Zhob"]
    actor = zhob["actor1"]
    assert actor and not actor.lower().startswith("unidentified")
    sid = zhob["sources"][0]["id"]
    # new when only this article names it; not new when judged against itself
    assert [h.extra["actor"] for h in new.evaluate(zhob, filled.engine, {sid})] == [actor]
    assert new.evaluate(zhob, filled.engine, set()) == []
