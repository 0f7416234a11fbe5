"""The body/metadata scorer on hand-made documents."""
from __future__ import annotations

from datetime import date

import pytest

from conflictlens.eval.adapters import ArticleResult, GoldItem
from conflictlens.eval.body import score_body, source_field_ok
from conflictlens.schema import Document, Source

BODY = "Gunmen killed two guards at a checkpoint on Friday.\n\nThe attack was not claimed."


def _result(body: str = BODY, **gold) -> ArticleResult:
    src = Source(id="x", body=body, title="Two guards killed", published=date(2024, 3, 2), dateline="Quetta",
                 outlet="DW", authors=["Sana Rehman", "A. Khan"])
    item = GoldItem(id=gold.pop("id", "x"), origin="t", text=body, **gold)
    return ArticleResult(item, document=Document(source=src))


def test_all_segments_right():
    r = _result(body_must_contain=["killed two guards", "not claimed"],
                body_must_not_contain=["Skip to content"],
                source={"title": "Two  guards killed", "published": "2024-03-02", "dateline": "quetta",
                        "outlet": "dw", "authors": ["Sana Rehman"]})
    m = score_body([r])["metrics"]
    assert m["must_contain_recall"] == 1.0 and m["must_not_contain_removed"] == 1.0
    assert m["body_f1"] == 1.0 and m["articles_clean_acc"] == 1.0
    assert m["metadata_acc"] == 1.0 and m["title_acc"] == 1.0


def test_lost_text_and_kept_debris():
    r1 = _result(id="a", body_must_contain=["killed two guards", "a sentence cleaning dropped"],
                 body_must_not_contain=["Skip to content"])
    r2 = _result(body=BODY + "\nSkip to content", id="b", body_must_not_contain=["Skip to content", "Image: AP"])
    out = score_body([r1, r2])
    m = out["metrics"]
    assert m["must_contain_recall"] == 0.5
    assert m["must_not_contain_removed"] == pytest.approx(2 / 3, abs=1e-4)
    assert m["body_f1"] == pytest.approx(2 * 0.5 * (2 / 3) / (0.5 + 2 / 3), abs=1e-4)
    assert m["articles_clean_acc"] == 0.0
    assert sorted(e["kind"] for e in out["errors"]) == ["kept_debris", "lost_text"]


def test_metadata_mismatches():
    r = _result(source={"title": "Another title", "authors": ["Sana Rehman", "Nobody"], "published": "2024-03-03"})
    out = score_body([r])
    m = out["metrics"]
    assert m["title_acc"] == 0.0 and m["authors_acc"] == 0.0 and m["published_acc"] == 0.0
    assert m["dateline_acc"] is None  # not in the gold, not scored
    assert m["metadata_acc"] == 0.0
    assert {e["field"] for e in out["errors"]} == {"title", "authors", "published"}


def test_failed_article_counts_every_segment_wrong_and_expected_errors_are_left_out():
    failed = ArticleResult(GoldItem(id="f", origin="t", text="x", body_must_contain=["a", "b"],
                                    source={"title": "T"}), error_code="E009", error_message="no text")
    expected = ArticleResult(GoldItem(id="fr", origin="t", text="x", expect_error="E004",
                                      body_must_contain=["z"]), error_code="E004")
    m = score_body([failed, expected])["metrics"]
    assert m["articles"] == 1 and m["articles_failed"] == 1
    assert m["must_contain_recall"] == 0.0 and m["title_acc"] == 0.0
    assert m["must_not_contain_removed"] is None


def test_source_field_ok_rules():
    assert source_field_ok("published", "2024-03-02", date(2024, 3, 2))
    assert not source_field_ok("outlet", "DW", None)
    assert source_field_ok("authors", ["a khan"], ["A. Khan", "A KHAN"])
