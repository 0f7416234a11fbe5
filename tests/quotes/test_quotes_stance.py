"""Stance target and the lexicon scorer."""
from __future__ import annotations

import pytest

from conflictlens.quotes.stance import score_stance, stance_target, target_terms


@pytest.mark.parametrize("title,lede,target", [
    ("Can Pakistan's new military campaign end militancy?",
     "Prime Minister Shehbaz Sharif's government named the new operation Azm-e-Istehkam, meaning ...",
     "Operation Azm-e-Istehkam"),
    ("Army begins Operation Desert Shield in the south", "", "Operation Desert Shield"),
    ("Rival factions sign ceasefire deal in coastal city", "", "ceasefire deal"),
    ("Government imposes night curfew after clashes", "", "night curfew"),
    ("Why the new anti-terror law worries lawyers", "", "new anti-terror law"),
])
def test_stance_target(title, lede, target):
    assert stance_target(title, lede) == target


def test_target_falls_back_to_headline():
    assert stance_target("Floods hit the capital", "") == "Floods hit the capital"
    assert stance_target(None, "") is None


def test_target_terms_include_synonyms():
    assert {"operation", "campaign", "offensive"} <= target_terms("Operation Azm-e-Istehkam")
    assert "truce" in target_terms("ceasefire deal")


@pytest.mark.parametrize("text,label", [
    ("This operation is necessary and it will succeed.", "support"),
    ("The curfew is a mistake and it will fail.", "oppose"),
    ("The meeting took place on Tuesday in the capital.", "neutral"),
    ("The plan will not succeed.", "oppose"),
    ("We have never been closer to peace.", "support"),
])
def test_cue_labels(lexicon, text, label):
    assert score_stance(text, lexicon).label == label


def test_negation_is_shown_in_cues(lexicon):
    res = score_stance("The plan will not succeed.", lexicon)
    assert res.cues == ["-not succeed"]
    assert res.score < 0


def test_cues_near_the_target_count_double(lexicon):
    far = score_stance("It is a mistake, everyone in the capital knows it well, the ban.", lexicon, terms={"ban"})
    near = score_stance("The ban is a mistake.", lexicon, terms={"ban"})
    assert near.score == 2 * far.score
    assert any("@target" in c for c in near.cues)


def test_verb_and_context_cues(lexicon):
    res = score_stance("the new law", lexicon, verb_polarity=-1, verb="rejected")
    assert res.label == "oppose" and res.cues == ["-rejected (verb)"]
    res = score_stance("The talks start today.", lexicon, context="Not everyone was convinced.")
    assert res.label == "oppose"
    assert res.cues == ["ctx:-not convinced"]


def test_threshold_controls_neutral(lexicon):
    text = "The operation is important."
    assert score_stance(text, lexicon, threshold=0.5).label == "support"
    assert score_stance(text, lexicon, threshold=5).label == "neutral"


def test_what_follows_but_weighs_more(lexicon):
    res = score_stance("We support peace, but not like this.", lexicon)
    assert res.label == "oppose"
    assert "+support (before but)" in res.cues


def test_rhetorical_question(lexicon):
    res = score_stance("Who will pay for this?", lexicon)
    assert res.label == "oppose" and res.cues == ["-rhetorical question"]
