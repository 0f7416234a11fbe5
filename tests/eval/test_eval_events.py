"""The events scorer on tiny hand-made articles with known answers."""
from __future__ import annotations

import pytest

from conflictlens.errors import ConflictLensError
from conflictlens.eval.adapters import ArticleResult, GoldItem
from conflictlens.eval.events import MatchOptions, match_events, score_events

BODY = ("Militants attacked a police post in Bannu on Monday, killing four officers. "
        "Separately, a roadside bomb hit an army convoy in Lakki Marwat, killing two soldiers. "
        "The minister said the budget would fall on us like a bomb.")
CLASH = "Militants attacked a police post in Bannu on Monday"
IED = "a roadside bomb hit an army convoy in Lakki Marwat"
METAPHOR = "would fall on us like a bomb"

GOLD_CLASH = {"evidence_contains": [CLASH], "event_type": "Battles", "sub_event_type": "Armed clash",
              "event_date": "2024-03-11", "time_precision": 1, "country": "Pakistan", "iso3": "PAK",
              "fatalities": 4, "actor2": "Police Forces of Pakistan (2018-)"}
GOLD_IED = {"evidence_contains": [IED], "event_type": "Explosions/Remote violence",
            "sub_event_type": "Remote explosive/landmine/IED", "event_date": "2024-03-11", "time_precision": 1,
            "iso3": "PAK", "fatalities": 2}


@pytest.fixture
def clash(make_event):
    return make_event("Armed clash", "2024-03-11", evidence=(BODY, CLASH), iso3="PAK", country="Pakistan",
                      fatalities=4, actor2="Police Forces of Pakistan")


@pytest.fixture
def ied(make_event):
    return make_event("Remote explosive/landmine/IED", "2024-03-11", evidence=(BODY, IED), iso3="PAK", fatalities=2)


def test_perfect_article(make_result, clash, ied):
    m = score_events([make_result([GOLD_CLASH, GOLD_IED], [ied, clash], BODY)])["metrics"]
    assert (m["n_gold"], m["n_pred"], m["n_matched"]) == (2, 2, 2)
    assert m["precision"] == m["recall"] == m["f1"] == 1.0
    assert m["event_type_acc"] == m["sub_event_type_acc"] == 1.0
    assert m["fatalities_exact_acc"] == 1.0 and m["fatalities_mae"] == 0.0
    assert m["actor2_acc"] == 1.0  # the "(2018-)" period is ignored
    assert m["country_acc"] == 1.0 and m["date_exact_acc"] == 1.0


def test_empty_predictions(make_result):
    out = score_events([make_result([GOLD_CLASH, GOLD_IED], [], BODY)])
    m = out["metrics"]
    assert m["precision"] == 1.0 and m["recall"] == 0.0 and m["f1"] == 0.0
    assert m["event_type_acc"] is None  # nothing matched, nothing to measure
    assert [e["kind"] for e in out["errors"]] == ["missed", "missed"]


def test_extra_event_lowers_precision_only(make_result, make_event, clash, ied):
    extra = make_event("Peaceful protest", "2024-01-01", evidence=(BODY, "The minister said"))
    m = score_events([make_result([GOLD_CLASH, GOLD_IED], [clash, ied, extra], BODY)])["metrics"]
    assert m["recall"] == 1.0
    assert m["precision"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["f1"] == pytest.approx(0.8, abs=1e-4)


def test_duplicated_prediction_counts_once(make_result, clash):
    dup = clash.model_copy(update={"id": "dup"})
    out = score_events([make_result([GOLD_CLASH], [clash, dup], BODY)])
    m = out["metrics"]
    assert m["n_matched"] == 1
    assert m["precision"] == 0.5 and m["recall"] == 1.0
    assert sum(e["kind"] == "spurious" for e in out["errors"]) == 1


def test_two_identical_gold_events_pair_with_two_predictions(make_result, make_event):
    body = "Two separate clashes were reported in the district."
    g = {"event_type": "Battles", "sub_event_type": "Armed clash", "event_date": "2024-05-01"}
    preds = [make_event("Armed clash", "2024-05-01"), make_event("Armed clash", "2024-05-01")]
    m = score_events([make_result([dict(g), dict(g)], preds, body)])["metrics"]
    assert m["n_matched"] == 2 and m["f1"] == 1.0


def test_evidence_decides_between_same_type_events(make_result, make_event):
    body = "A bomb killed three in Quetta. Another bomb killed five in Chaman."
    gold = [{"evidence_contains": ["killed five in Chaman"], "event_type": "Explosions/Remote violence",
             "fatalities": 5},
            {"evidence_contains": ["killed three in Quetta"], "event_type": "Explosions/Remote violence",
             "fatalities": 3}]
    p3 = make_event("Remote explosive/landmine/IED", "2024-03-01", evidence=(body, "A bomb killed three in Quetta"),
                    fatalities=3)
    p5 = make_event("Remote explosive/landmine/IED", "2024-03-01",
                    evidence=(body, "Another bomb killed five in Chaman"), fatalities=5)
    assert match_events(gold, [p3, p5], body, MatchOptions()) == [(0, 1), (1, 0)]
    m = score_events([make_result(gold, [p3, p5], body)])["metrics"]
    assert m["fatalities_exact_acc"] == 1.0


def test_wrong_type_with_matching_evidence_is_paired_and_scored(make_result, make_event):
    pred = make_event("Attack", "2024-03-11", evidence=(BODY, CLASH))  # VAC instead of Battles
    m = score_events([make_result([GOLD_CLASH], [pred], BODY)])["metrics"]
    assert m["n_matched"] == 1
    assert m["event_type_acc"] == 0.0 and m["sub_event_type_acc"] == 0.0


def test_matching_without_evidence_uses_type_date_and_country(make_result, make_event):
    gold = [{"event_type": "Battles", "sub_event_type": "Armed clash", "event_date": "2024-03-11", "iso3": "PAK"}]
    near = make_event("Armed clash", "2024-03-15", iso3="PAK")
    far = make_event("Armed clash", "2024-04-30", iso3="PAK")
    abroad = make_event("Armed clash", "2024-03-11", iso3="AFG")
    protest = make_event("Peaceful protest", "2024-03-11", iso3="PAK")
    assert score_events([make_result(gold, [near])])["metrics"]["n_matched"] == 1
    assert score_events([make_result(gold, [far])])["metrics"]["n_matched"] == 0
    assert score_events([make_result(gold, [abroad])])["metrics"]["n_matched"] == 0
    assert score_events([make_result(gold, [protest])])["metrics"]["n_matched"] == 0
    # within the family of violent types: a VAC attack may pair with a gold battle (type then scored wrong)
    vac = make_event("Attack", "2024-03-11", iso3="PAK")
    assert score_events([make_result(gold, [vac])])["metrics"]["n_matched"] == 1
    strict = MatchOptions(type_match="event_type")
    assert score_events([make_result(gold, [vac])], strict)["metrics"]["n_matched"] == 0


def test_month_precision_widens_the_date_window(make_result, make_event):
    gold = [{"event_type": "Battles", "event_date_between": ["2024-03-01", "2024-03-31"], "time_precision": 3}]
    pred = make_event("Armed clash", "2024-04-20", time_precision=3)
    assert score_events([make_result(gold, [pred])])["metrics"]["n_matched"] == 1
    pred_day = make_event("Armed clash", "2024-05-20", time_precision=1)
    assert score_events([make_result(gold, [pred_day])])["metrics"]["n_matched"] == 0
    inside = make_event("Armed clash", "2024-03-16", time_precision=3)
    m = score_events([make_result(gold, [inside])])["metrics"]
    assert m["date_window_acc"] == 1.0 and m["time_precision_acc"] == 1.0 and m["date_exact_acc"] is None


def test_evidence_require_mode(make_result, make_event):
    pred = make_event("Armed clash", "2024-03-11", evidence=(BODY, METAPHOR), iso3="PAK")
    assert score_events([make_result([GOLD_CLASH], [pred], BODY)])["metrics"]["n_matched"] == 1
    req = MatchOptions(evidence="require")
    assert score_events([make_result([GOLD_CLASH], [pred], BODY)], req)["metrics"]["n_matched"] == 0


def test_forbidden_span_events_are_counted(make_result, make_event, clash):
    bad = make_event("Remote explosive/landmine/IED", "2024-03-11", evidence=(BODY, "like a bomb"))
    out = score_events([make_result([GOLD_CLASH], [clash, bad], BODY, no_event_from=[METAPHOR])])
    assert out["metrics"]["forbidden_span_events"] == 1
    assert any(e["kind"] == "forbidden_span" for e in out["errors"])
    clean = score_events([make_result([GOLD_CLASH], [clash], BODY, no_event_from=[METAPHOR])])
    assert clean["metrics"]["forbidden_span_events"] == 0


def test_field_metrics_distance_fatalities_actors(make_result, make_event):
    gold = [{"event_type": "Battles", "event_date": "2024-03-11", "latitude": 33.0, "longitude": 70.6,
             "admin1": "Khyber Pakhtunkhwa", "fatalities": 10, "actor1": "TTP: Tehreek-i-Taliban Pakistan",
             "actors_include": ["Military Forces of Pakistan"]},
            {"event_type": "Battles", "event_date": "2024-06-01", "latitude": 33.0, "longitude": 70.6,
             "fatalities": 4}]
    p1 = make_event("Armed clash", "2024-03-11", latitude=33.0, longitude=71.6, admin1="Khyber Pakhtunkhwa Province",
                    fatalities=7, actor1="ttp: tehreek-i-taliban pakistan",
                    actor2="Military Forces of Pakistan (2018-)")
    p2 = make_event("Armed clash", "2024-06-01", latitude=36.0, longitude=70.6, fatalities=4)
    m = score_events([make_result(gold, [p1, p2])])["metrics"]
    # 1 degree of longitude at 33N ~ 93 km (within 161); 3 degrees of latitude ~ 334 km
    assert m["acc_161km"] == 0.5
    assert 93 < m["dist_median_km"] < 335
    assert m["admin1_acc"] == 1.0
    assert m["fatalities_exact_acc"] == 0.5 and m["fatalities_mae"] == 1.5
    assert m["actor1_acc"] == 1.0 and m["actors_include_acc"] == 1.0


def test_prediction_without_coordinates_misses_acc_km(make_result, make_event):
    gold = [{"event_type": "Battles", "event_date": "2024-03-11", "latitude": 33.0, "longitude": 70.6}]
    m = score_events([make_result(gold, [make_event("Armed clash", "2024-03-11")])])["metrics"]
    assert m["acc_161km"] == 0.0 and m["dist_median_km"] is None


def test_expected_errors_failures_and_skips(make_result):
    ok = ArticleResult(GoldItem(id="fr", origin="t", text="x", expect_error="E004"), error_code="E004")
    wrong = ArticleResult(GoldItem(id="es", origin="t", text="x", expect_error="E004"), document=None)
    crash = ArticleResult(GoldItem(id="c", origin="t", text="x", events=[GOLD_CLASH]), error_code="CRASH",
                          error_message="boom")
    skip = ArticleResult(GoldItem(id="s", origin="t", skipped="absent"), skipped="absent")
    out = score_events([ok, wrong, crash, skip])
    m = out["metrics"]
    assert m["expected_error_acc"] == 0.5
    assert m["articles_failed"] == 1 and m["articles_skipped"] == 1
    assert m["n_gold"] == 1 and m["recall"] == 0.0
    kinds = [e["kind"] for e in out["errors"]]
    assert kinds.count("expected_error") == 1 and "pipeline_error" in kinds


def test_article_without_events_and_without_predictions_is_perfect(make_result):
    m = score_events([make_result([], [], "Nothing happened.")])["metrics"]
    assert m["precision"] == m["recall"] == m["f1"] == 1.0


def test_no_articles_measures_nothing():
    m = score_events([])["metrics"]
    assert m["f1"] is None and m["articles"] == 0


def test_bad_options_are_numbered_errors():
    with pytest.raises(ConflictLensError) as exc:
        MatchOptions(type_match="loose")
    assert exc.value.code == "E709"


def test_aggregates_are_recalled_by_kind_value_and_evidence(make_result):
    from conflictlens.schema import Aggregate, Evidence

    body = "So far this year 62 soldiers have been killed. Police arrested 40 suspects in 2024."
    gold_aggs = [{"kind": "fatalities", "value": 62, "evidence_contains": "62 soldiers have been killed"},
                 {"kind": "arrests", "value": 40, "evidence_contains": "arrested 40 suspects"}]
    s = body.index("62 soldiers")
    found = Aggregate(kind="fatalities", value=62, evidence=[Evidence(start=s, end=s + 30, text=body[s:s + 30])])
    wrong_value = Aggregate(kind="arrests", value=4)
    r = make_result([], [], body, aggregates=gold_aggs)
    r.document.aggregates.extend([found, wrong_value])
    out = score_events([r])
    assert out["metrics"]["aggregate_recall"] == 0.5
    assert [e["kind"] for e in out["errors"]] == ["aggregate_missed"]
