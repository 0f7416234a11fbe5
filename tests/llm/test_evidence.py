"""Locating a model's quoted evidence in the body."""
from __future__ import annotations

import pytest

from conflictlens.llm.evidence import EvidenceLocator, normalize

BODY = (
    "Pakistan has launched a new military operation.\n\n"
    "In March, Pakistan launched rare airstrikes inside Afghanistan, targeting the suspected "
    "hideouts of Pakistani militant groups.\n\n"
    "\u201cNothing is more important than Pakistan\u2019s sovereignty,\u201d he told a foreign outlet."
)


@pytest.fixture
def locator() -> EvidenceLocator:
    return EvidenceLocator(BODY)


def test_exact(locator):
    q = "Pakistan launched rare airstrikes inside Afghanistan"
    loc = locator.locate(q)
    assert loc.method == "exact"
    assert BODY[loc.start : loc.end] == q


def test_whitespace_and_typography_are_normalised(locator):
    q = '"Nothing is more important than Pakistan\'s   sovereignty," he told'
    loc = locator.locate(q)
    assert loc.method == "normalized"
    assert BODY[loc.start : loc.end] == "\u201cNothing is more important than Pakistan\u2019s sovereignty,\u201d he told"


def test_case_and_line_break(locator):
    loc = locator.locate("pakistan has launched a new military operation. in march, pakistan launched")
    assert loc.method == "normalized"
    assert BODY[loc.start : loc.end].startswith("Pakistan has launched")
    assert BODY[loc.start : loc.end].endswith("Pakistan launched")


def test_fuzzy_match_is_widened_to_words(locator):
    q = "Pakistan launched rare air strikes inside Afganistan, targeting suspected hideouts"
    loc = locator.locate(q)
    assert loc is not None and loc.method == "fuzzy" and loc.score >= 90
    span = BODY[loc.start : loc.end]
    assert "airstrikes inside Afghanistan" in span
    # whole words at both ends
    assert not BODY[loc.start - 1].isalnum() and not BODY[loc.end].isalnum()


@pytest.mark.parametrize(
    "quote",
    [
        "Pakistani troops withdrew from the border region after talks.",
        "India launched rare airstrikes inside Nepal, targeting farms.",
    ],
)
def test_invented_text_is_not_found(locator, quote):
    assert locator.locate(quote) is None


def test_too_short_quote_is_rejected(locator):
    assert locator.locate("Pakistan") is None


def test_threshold_is_respected():
    q = "Pakistan launched rare air strikes inside Afganistan, targeting suspected hideouts"
    assert EvidenceLocator(BODY, threshold=99.5).locate(q) is None


def test_quote_wrapped_in_quote_marks():
    body = "Officials said the convoy was attacked near the port."
    loc = EvidenceLocator(body).locate('"the convoy was attacked near the port"')
    assert body[loc.start : loc.end] == "the convoy was attacked near the port"


def test_normalize_map_points_into_original():
    text = "  A\u2019b \n\n C\u2014d  "
    norm, where = normalize(text)
    assert norm == "a'b c-d"
    assert len(where) == len(norm) + 1
    for i, ch in enumerate(norm):
        if ch not in " '-":
            assert text[where[i]].lower() == ch


def test_fuzzy_span_leaves_out_quotation_marks_the_quote_lacks():
    body = 'The minister spoke. "Indiscriminate action will be taken against the terrorists," he said.'
    loc = EvidenceLocator(body).locate("Indiscriminate action will be taken against the terorists")
    assert loc.method == "fuzzy"
    assert body[loc.start : loc.end] == "Indiscriminate action will be taken against the terrorists"
