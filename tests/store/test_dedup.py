"""Dedup: the gold set, the scorer's metrics, blocking rules and incremental clustering."""
from __future__ import annotations

import json
from collections import Counter
from datetime import date

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.eval.dedup import cluster_metrics, score_dedup
from conflictlens.store.dedup import Clusterer, DedupConfig, Mention, blocked, score_pair


def _m(key, source, **kw):
    base = dict(event_date="2024-03-16", sub_event_type="Suicide bomb",
                event_type="Explosions/Remote violence", iso3="PAK", admin1="Khyber Pakhtunkhwa",
                location="Mir Ali", latitude=33.02, longitude=70.07, geo_precision=1,
                fatalities=7, fatalities_known=True, actor1="Unidentified Armed Group (Pakistan)",
                actor2="Military Forces of Pakistan (2018-)",
                evidence_text="A suicide bomber hit an army post in Mir Ali, killing seven soldiers.")
    base.update(kw)
    return Mention.from_fields(key, source, base)


def test_gold_set_shape(gold_records):
    per = Counter(r["gold"] for r in gold_records)
    multi = [g for g, n in per.items() if n >= 2]
    assert len(multi) >= 30, "need at least 30 incidents reported by several articles"
    assert all(2 <= per[g] <= 5 for g in multi)
    lookalikes = [g for g in per if g.startswith("L")]
    assert len(lookalikes) >= 20
    # each report of an incident comes from a different article and outlet
    for g in multi:
        recs = [r for r in gold_records if r["gold"] == g]
        assert len({r["source_id"] for r in recs}) == len(recs)
        assert len({r["outlet"] for r in recs}) == len(recs)
    # look-alikes really look alike: each shares the place or the day (+-1) of another
    # incident in the same country
    for g in lookalikes:
        r = next(x for x in gold_records if x["gold"] == g)
        d = date.fromisoformat(r["event_date"])
        others = [x for x in gold_records if x["gold"] != g and x["iso3"] == r["iso3"]]
        assert any(x["location"] == r["location"]
                   or abs((date.fromisoformat(x["event_date"]) - d).days) <= 1 for x in others), g


def test_gold_bcubed_goal(gold_path):
    out = score_dedup(gold_path)
    m = out["metrics"]
    print("dedup gold:", json.dumps(m))
    assert m["mentions"] >= 100
    assert m["bcubed_f1"] >= 0.90
    assert m["pairwise_f1"] >= 0.80
    kinds = {e["kind"] for e in out["errors"]}
    assert kinds <= {"false_merge", "false_split"}


def test_cluster_metrics_extremes():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    perfect = cluster_metrics(gold, dict(gold))
    assert perfect["bcubed_f1"] == 1.0 and perfect["pairwise_f1"] == 1.0
    singletons = cluster_metrics(gold, {k: k for k in gold})
    assert singletons["bcubed_precision"] == 1.0
    assert singletons["bcubed_recall"] == 0.5
    assert singletons["pairwise_recall"] == 0.0
    lumped = cluster_metrics(gold, {k: 0 for k in gold})
    assert lumped["bcubed_recall"] == 1.0 and lumped["bcubed_precision"] == 0.5
    assert lumped["pairwise_precision"] == pytest.approx(2 / 6, abs=1e-3)


def test_blocking_rules():
    cfg = DedupConfig()
    a = _m(1, "s1")
    assert blocked(a, _m(2, "s1"), cfg), "two events of one article never merge"
    assert blocked(a, _m(3, "s2", iso3="AFG"), cfg)
    assert blocked(a, _m(4, "s2", event_date="2024-03-19"), cfg)
    assert blocked(a, _m(5, "s2", location="Quetta", latitude=30.18, longitude=67.0), cfg)
    assert not blocked(a, _m(6, "s2", event_date="2024-03-17"), cfg)
    # a province-centroid location is allowed further away
    assert not blocked(a, _m(7, "s2", location="Khyber Pakhtunkhwa", latitude=34.0,
                             longitude=71.5, geo_precision=3), cfg)


def test_score_prefers_the_same_incident():
    cfg = DedupConfig()
    a = _m(1, "s1")
    same = _m(2, "s2", location="Mir Ali", fatalities=8,
              evidence_text="Eight troops died when a bomber rammed a truck into a post in Mir Ali.")
    other = _m(3, "s3", event_date="2024-03-17", sub_event_type="Remote explosive/landmine/IED",
               fatalities=1, actor2="Police Forces of Pakistan (2018-)",
               evidence_text="A policeman was killed by a roadside bomb near the market.")
    s_same, comps = score_pair(a, same, cfg)
    s_other, _ = score_pair(a, other, cfg)
    assert set(comps) == {"type", "date", "place", "actors", "fatalities", "text"}
    assert s_same >= cfg.threshold > s_other


def test_incremental_assignments_are_stable():
    c = Clusterer()
    first = c.add(_m(1, "s1"))
    assert c.add(_m(2, "s2", fatalities=8)) == first
    before = dict(c.assignments)
    c.add(_m(3, "s3", iso3="AFG", location="Khost", latitude=33.34, longitude=69.92))
    c.add(_m(4, "s4", event_date="2024-03-25"))
    assert {k: v[0] for k, v in before.items()} == {k: c.assignments[k][0] for k in before}
    assert len(c.clusters) == 3


def test_dedup_config_from_toml_section():
    cfg = DedupConfig.from_config({"store": {"dedup": {"threshold": 0.7, "weights": {"text": 0.3}}}})
    assert cfg.threshold == 0.7 and cfg.weights["text"] == 0.3
    with pytest.raises(ConflictLensError) as e:
        DedupConfig.from_config({"store": {"dedup": {"treshold": 0.7}}})
    assert e.value.code == "E609"


def test_undated_mentions_do_not_match_dated_ones():
    cfg = DedupConfig()
    assert blocked(_m(1, "s1"), _m(2, "s2", event_date=None), cfg)
    assert Mention.from_fields(9, "x", {"event_date": date(2024, 1, 1)}).days(1) == range(
        date(2023, 12, 31).toordinal(), date(2024, 1, 2).toordinal() + 1)
