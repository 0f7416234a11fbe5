"""Wording helpers: plurals, dates, periods and changes."""
from __future__ import annotations

from datetime import date

import pytest

from conflictlens.report import text as T


@pytest.mark.parametrize("n,word,expected", [
    (0, "event", "no events"),
    (1, "event", "1 event"),
    (2, "event", "2 events"),
    (1, "fatality", "1 fatality"),
    (3, "fatality", "3 fatalities"),
    (12345, "article", "12,345 articles"),
    (2, "day", "2 days"),
    (2, "speech", "2 speeches"),
    (2, "country", "2 countries"),
])
def test_count(n, word, expected):
    assert T.count(n, word) == expected


@pytest.mark.parametrize("d,expected", [
    (date(2024, 7, 1), "1 July 2024"),
    (date(2023, 12, 31), "31 December 2023"),
    (None, "undated"),
])
def test_fmt_date(d, expected):
    assert T.fmt_date(d) == expected


@pytest.mark.parametrize("a,b,expected", [
    (date(2024, 6, 1), date(2024, 6, 30), "1–30 June 2024"),
    (date(2024, 6, 28), date(2024, 7, 4), "28 June – 4 July 2024"),
    (date(2023, 12, 28), date(2024, 1, 3), "28 December 2023 – 3 January 2024"),
    (date(2024, 5, 5), date(2024, 5, 5), "5 May 2024"),
    (None, None, "all dates"),
])
def test_fmt_period(a, b, expected):
    assert T.fmt_period(a, b) == expected


@pytest.mark.parametrize("now,before,expected", [
    (8, 5, "up 3 (+60%)"),
    (3, 5, "down 2 (−40%)"),
    (4, 4, "unchanged"),
    (4, 0, "up 4 (none before)"),
    (0, 7, "down 7 (−100%)"),
    (3, None, ""),
])
def test_change(now, before, expected):
    assert T.change(now, before) == expected


def test_join_words():
    assert T.join_words(["a"]) == "a"
    assert T.join_words(["a", "b"]) == "a and b"
    assert T.join_words(["a", "", "b", "c"]) == "a, b and c"
    assert T.join_words([]) == ""


def test_place():
    assert T.place("Quetta", "Balochistan", "Pakistan") == "Quetta, Balochistan, Pakistan"
    assert T.place("Pakistan", None, "Pakistan") == "Pakistan"
    assert T.place(None, "", None) == ""


def test_num():
    assert T.num(10464) == "10,464"
    assert T.num(None) == ""
