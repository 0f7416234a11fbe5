from datetime import date

import pytest

from conflictlens.events.dates import default_window, find_date

PUB = date(2024, 7, 1)  # a Monday


@pytest.mark.parametrize("text,start,end,precision", [
    ("In March, Pakistan launched", date(2024, 3, 1), date(2024, 3, 31), 3),
    ("ended a cease-fire in November 2022.", date(2022, 11, 1), date(2022, 11, 30), 3),
    ("on Saturday", date(2024, 6, 29), date(2024, 6, 29), 1),
    # an article published on a Monday that says "on Monday" means that same day
    ("after meeting Khan on Monday", PUB, PUB, 1),
    ("last Monday", date(2024, 6, 24), date(2024, 6, 24), 1),
    ("said last week that", date(2024, 6, 24), date(2024, 6, 30), 2),
    ("on Jan. 30, 2023", date(2023, 1, 30), date(2023, 1, 30), 1),
    ("late June", date(2024, 6, 21), date(2024, 6, 30), 2),
    ("three days ago", date(2024, 6, 28), date(2024, 6, 28), 1),
    ("last month", date(2024, 6, 1), date(2024, 6, 30), 3),
    ("yesterday", date(2024, 6, 30), date(2024, 6, 30), 1),
])
def test_find_date(text, start, end, precision):
    w = find_date(text, PUB)
    assert w is not None
    assert (w.start, w.end, w.precision) == (start, end, precision)


def test_month_without_year_is_the_latest_past_one():
    # published 2 January: "in December" is last year's December
    w = find_date("fighting in December", date(2024, 1, 2))
    assert (w.start, w.end) == (date(2023, 12, 1), date(2023, 12, 31))


def test_weekday_across_a_year_boundary():
    w = find_date("on Saturday", date(2024, 1, 2))  # a Tuesday
    assert w.start == date(2023, 12, 30)


def test_midpoint_for_coarse_precision():
    w = find_date("in March", PUB)
    assert w.midpoint == date(2024, 3, 16)


def test_may_the_modal_verb_is_not_a_month():
    assert find_date("the attackers may have fled", PUB) is None


def test_no_anchor_no_relative_date():
    assert find_date("on Monday", None) is None
    assert find_date("on 3 May 2021", None).start == date(2021, 5, 3)


def test_default_windows():
    assert default_window(PUB, perfect=True).precision == 3
    w = default_window(PUB, perfect=False)
    assert (w.start, w.end, w.precision) == (date(2024, 6, 29), PUB, 2)
