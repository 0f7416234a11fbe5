"""Scoring primitives on tiny cases with answers worked out by hand."""
from __future__ import annotations

import itertools
import random

import pytest

from conflictlens.eval.metrics import (
    accuracy, bcubed_prf, find_spans, haversine_km, macro_f1, max_weight_assignment, median, norm_name,
    norm_place, pairwise_prf, prf,
)


def test_prf_known_values():
    assert prf(2, 4, 3) == pytest.approx((0.5, 2 / 3, 2 * 0.5 * (2 / 3) / (0.5 + 2 / 3)))
    assert prf(0, 3, 2) == (0.0, 0.0, 0.0)


def test_prf_empty_sides():
    # no predictions: nothing wrong was said (P=1) but everything was missed (R=0)
    assert prf(0, 0, 5) == (1.0, 0.0, 0.0)
    # nothing to find and nothing predicted: perfect
    assert prf(0, 0, 0) == (1.0, 1.0, 1.0)
    # only spurious predictions
    assert prf(0, 2, 0) == (0.0, 1.0, 0.0)


def test_prf_rejects_inconsistent_counts():
    with pytest.raises(ValueError):
        prf(3, 2, 5)


def test_accuracy_and_median():
    assert accuracy([True, False, True, True]) == 0.75
    assert accuracy([]) is None
    assert median([5, 1, 3]) == 3
    assert median([4, 1, 3, 2]) == 2.5
    assert median([]) is None


def test_macro_f1_known_value():
    # gold/pred pairs: A->A, A->B, B->B, C->C
    pairs = [("A", "A"), ("A", "B"), ("B", "B"), ("C", "C")]
    f_a = prf(1, 1, 2)[2]  # 2/3
    f_b = prf(1, 2, 1)[2]  # 2/3
    f_c = 1.0
    assert macro_f1(pairs) == pytest.approx((f_a + f_b + f_c) / 3)
    assert macro_f1([]) is None
    # a label only predicted still counts (F1 0) and pulls the average down
    assert macro_f1([("A", "A"), ("A", "Z")]) == pytest.approx((prf(1, 1, 2)[2] + 0.0) / 2)


def test_haversine_known_distances():
    assert haversine_km(0, 0, 1, 0) == pytest.approx(111.19, abs=0.05)
    assert haversine_km(33.7, 73.1, 33.7, 73.1) == 0.0
    # Islamabad -> Kabul is roughly 300 km
    assert 280 < haversine_km(33.69, 73.06, 34.53, 69.17) < 390


def test_pairwise_and_bcubed_textbook_case():
    # gold: {a,b,c} {d,e}; predicted: {a,b} {c,d,e}
    gold = {"a": 1, "b": 1, "c": 1, "d": 2, "e": 2}
    pred = {"a": "x", "b": "x", "c": "y", "d": "y", "e": "y"}
    pw = pairwise_prf(gold, pred)
    # gold pairs ab ac bc de (4); predicted pairs ab cd ce de (4); shared ab de
    assert pw["precision"] == pytest.approx(0.5)
    assert pw["recall"] == pytest.approx(0.5)
    b3 = bcubed_prf(gold, pred)
    # precision per item: a 1, b 1, c 1/3, d 2/3, e 2/3 -> 11/15
    assert b3["precision"] == pytest.approx(11 / 15)
    # recall per item: a 2/3, b 2/3, c 1/3, d 1, e 1 -> 11/15
    assert b3["recall"] == pytest.approx(11 / 15)


def test_cluster_metrics_extremes():
    gold = {i: i // 2 for i in range(6)}  # three pairs
    singletons = {i: i for i in range(6)}
    one_blob = {i: 0 for i in range(6)}
    assert pairwise_prf(gold, singletons) == {"precision": 1.0, "recall": 0.0, "f1": 0.0}
    assert bcubed_prf(gold, singletons)["precision"] == 1.0
    assert bcubed_prf(gold, singletons)["recall"] == pytest.approx(0.5)
    assert pairwise_prf(gold, one_blob)["recall"] == 1.0
    assert pairwise_prf(gold, one_blob)["precision"] == pytest.approx(3 / 15)
    assert bcubed_prf(gold, gold)["f1"] == 1.0
    with pytest.raises(ValueError):
        bcubed_prf(gold, {0: 0})


def _brute_force(scores):
    n, m = len(scores), len(scores[0])
    best = 0.0
    for k in range(min(n, m), -1, -1):
        for rows in itertools.combinations(range(n), k):
            for cols in itertools.permutations(range(m), k):
                vals = [scores[i][j] for i, j in zip(rows, cols)]
                if any(v is None or v <= 0 for v in vals):
                    continue
                best = max(best, sum(vals))
    return best


def _total(scores, pairs):
    return sum(scores[i][j] for i, j in pairs)


def test_assignment_prefers_global_optimum_over_greedy():
    # greedy would take (0,0)=9 and then (1,1)=1 -> 10; the optimum is 8 + 7 = 15
    scores = [[9, 8], [7, 1]]
    assert max_weight_assignment(scores) == [(0, 1), (1, 0)]


def test_assignment_disallowed_pairs_and_rectangles():
    scores = [[None, 5, None], [None, None, None]]
    assert max_weight_assignment(scores) == [(0, 1)]
    tall = [[3], [None], [4]]
    assert max_weight_assignment(tall) == [(2, 0)]
    assert max_weight_assignment([]) == []
    assert max_weight_assignment([[], []]) == []


def test_assignment_ties_are_one_to_one_and_deterministic():
    scores = [[1, 1], [1, 1]]
    a = max_weight_assignment(scores)
    assert len(a) == 2
    assert len({i for i, _ in a}) == 2 and len({j for _, j in a}) == 2
    assert a == max_weight_assignment([[1, 1], [1, 1]])


def test_assignment_matches_brute_force_on_random_matrices():
    rng = random.Random(7)
    for _ in range(150):
        n, m = rng.randint(1, 5), rng.randint(1, 5)
        scores = [[(rng.choice([None, None, rng.randint(1, 9)]) if rng.random() < 0.9 else 0) for _ in range(m)]
                  for _ in range(n)]
        pairs = max_weight_assignment(scores)
        assert len({i for i, _ in pairs}) == len(pairs) == len({j for _, j in pairs})
        assert all(scores[i][j] is not None and scores[i][j] > 0 for i, j in pairs)
        assert _total(scores, pairs) == pytest.approx(_brute_force(scores)), scores


def test_text_normalisers():
    body = "He said \u201cwe will fight\u201d  on\nMonday \u2013 officials"
    assert find_spans(body, 'said "we will fight" on Monday - officials') == [(3, len(body))]
    assert find_spans(body, "not there") == []
    assert find_spans(body, "   ") == []
    assert norm_name("Police Forces of Pakistan (2018-)") == norm_name("police forces of pakistan")
    assert norm_name("TTP: Tehreek-i-Taliban Pakistan") == "ttp: tehreek i taliban pakistan"
    assert norm_name(" ") is None
    assert norm_place("Khyber Pakhtunkhwa Province") == norm_place("khyber pakhtunkhwa")
    assert norm_place("Balochistan") != norm_place("Punjab")
