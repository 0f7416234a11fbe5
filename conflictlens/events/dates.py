"""Event dates: temporal expressions resolved against the publication date.

Returns a :class:`DateWindow` (start, end, precision) per reference §3:
precision 1 exact day, 2 within a week or a few days, 3 month or longer;
``event_date`` is the window's midpoint for precision 2-3.

Weekdays are resolved by hand ("on Monday" in an article published on a
Monday is that same Monday, not the previous week's, which is what dateparser
would say); explicit calendar dates go through dateparser with
``languages=['en']``.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
MONTHS["sept"] = 9
WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_MONTH_RE = r"(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)\.?"
_WD_RE = r"(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)"

# Each pattern has a kind; they are tried in order and the earliest match in the clause wins
# (ties: the longest).
PATTERNS: list[tuple[str, re.Pattern]] = [
    ("mdy", re.compile(rf"\b(?P<month>{_MONTH_RE})\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I)),
    ("dmy", re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I)),
    ("iso", re.compile(r"\b(?P<year>(?:19|20)\d\d)-(?P<month>\d\d)-(?P<day>\d\d)\b")),
    ("part_month", re.compile(rf"\b(?P<part>early|mid|late|end of|beginning of|the end of|the beginning of|mid-)\s*-?\s*(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I)),
    ("month", re.compile(rf"\b(?:in|during|since|throughout|of|last|this|on)\s+(?P<month>{_MONTH_RE})(?:,?\s+(?P<year>(?:19|20)\d\d))?\b", re.I)),
    ("month_year", re.compile(rf"\b(?P<month>{_MONTH_RE})\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("weekday", re.compile(rf"\b(?:(?P<mod>last|this|on|late on|early on|late|early)\s+)?(?P<wd>{_WD_RE})(?:\s+(?P<tod>morning|afternoon|evening|night))?\b", re.I)),
    ("yesterday", re.compile(r"\b(?:yesterday|last night|overnight)\b", re.I)),
    ("today", re.compile(r"\b(?:today|this morning|this afternoon|this evening|tonight|earlier today|on the same day)\b", re.I)),
    ("days_ago", re.compile(r"\b(?P<n>\d+|one|two|three|four|five|six|seven|eight|nine|ten)\s+days?\s+ago\b", re.I)),
    ("weeks_ago", re.compile(r"\b(?P<n>\d+|a|one|two|three|four)\s+weeks?\s+ago\b", re.I)),
    ("last_week", re.compile(r"\blast week(?:end)?\b", re.I)),
    ("this_week", re.compile(r"\b(?:earlier this week|this week|this weekend|over the weekend|at the weekend)\b", re.I)),
    ("last_month", re.compile(r"\blast month\b", re.I)),
    ("this_month", re.compile(r"\b(?:earlier this month|this month)\b", re.I)),
    ("year", re.compile(r"\b(?:in|during|since)\s+(?P<year>(?:19|20)\d\d)\b", re.I)),
    ("same_day", re.compile(r"\b(?:later (?:that|the same) (?:day|evening|night|afternoon)|later that day|the same day|that (?:evening|night|afternoon))\b", re.I)),
    ("relative_prev", re.compile(r"\b(?:less than|more than|about|nearly|some|just)?\s*(?:a|one|two|three|\d+)\s+(?:days?|weeks?)\s+(?:earlier|before|after|later)\b|\bthe (?:previous|next|following) (?:day|week)\b|\bthe day (?:before|after)\b", re.I)),
]

_NUM = {"a": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
        "nine": 9, "ten": 10}


@dataclass(frozen=True)
class DateWindow:
    start: date
    end: date
    precision: int
    expression: str = ""
    relative: bool = False  # "a week earlier": relative to another event

    @property
    def midpoint(self) -> date:
        if self.precision == 1:
            return self.start
        return self.start + timedelta(days=(self.end - self.start).days // 2)


def _month_window(year: int, month: int) -> tuple[date, date]:
    last = calendar.monthrange(year, month)[1]
    return date(year, month, 1), date(year, month, last)


def _year_for(month: int, day: int | None, published: date) -> int:
    """Most recent year in which (month, day) is not after the publication date."""
    y = published.year
    probe = date(y, month, min(day or 1, calendar.monthrange(y, month)[1]))
    if probe > published + timedelta(days=1):
        y -= 1
    return y


def _resolve(kind: str, m: re.Match, published: date) -> DateWindow | None:
    g = m.groupdict()
    text = m.group(0).strip()
    if kind in ("mdy", "dmy", "iso"):
        month = int(g["month"]) if kind == "iso" else MONTHS[g["month"].lower().rstrip(".")]
        day = int(g["day"])
        if not 1 <= month <= 12:
            return None
        year = int(g["year"]) if g.get("year") else _year_for(month, day, published)
        if day > calendar.monthrange(year, month)[1]:
            return None
        d = date(year, month, day)
        return DateWindow(d, d, 1, text)
    if kind in ("month", "month_year", "part_month"):
        month = MONTHS[g["month"].lower().rstrip(".")]
        year = int(g["year"]) if g.get("year") else _year_for(month, 1, published)
        start, end = _month_window(year, month)
        if kind == "part_month":
            part = g["part"].lower().strip("- ")
            if part in ("early", "beginning of", "the beginning of"):
                end = start + timedelta(days=9)
            elif part in ("mid",):
                start, end = start + timedelta(days=10), start + timedelta(days=19)
            else:
                start = start + timedelta(days=20)
            return DateWindow(start, end, 2, text)
        if end > published >= start:
            end = published
        return DateWindow(start, end, 3, text)
    if kind == "weekday":
        wd = WEEKDAYS[g["wd"].lower()]
        mod = (g.get("mod") or "").lower()
        delta = (published.weekday() - wd) % 7
        if mod == "last" and delta == 0:
            delta = 7
        d = published - timedelta(days=delta)
        return DateWindow(d, d, 1, text)
    if kind == "yesterday":
        d = published - timedelta(days=1)
        return DateWindow(d, d, 1, text)
    if kind == "today":
        return DateWindow(published, published, 1, text)
    if kind == "days_ago":
        n = _NUM.get(g["n"].lower()) or int(g["n"])
        d = published - timedelta(days=n)
        return DateWindow(d, d, 1, text)
    if kind == "weeks_ago":
        n = _NUM.get(g["n"].lower()) or int(g["n"])
        mid = published - timedelta(days=7 * n)
        return DateWindow(mid - timedelta(days=3), mid + timedelta(days=3), 2, text)
    if kind == "last_week":
        if "weekend" in text.lower():
            sat = published - timedelta(days=(published.weekday() - 5) % 7 or 7)
            return DateWindow(sat, sat + timedelta(days=1), 2, text)
        start = published - timedelta(days=published.weekday() + 7)
        return DateWindow(start, start + timedelta(days=6), 2, text)
    if kind == "this_week":
        if "weekend" in text.lower():
            sat = published - timedelta(days=(published.weekday() - 5) % 7)
            return DateWindow(sat, min(sat + timedelta(days=1), published), 2, text)
        start = published - timedelta(days=published.weekday())
        return DateWindow(start, published, 2, text)
    if kind == "last_month":
        first = published.replace(day=1) - timedelta(days=1)
        s, e = _month_window(first.year, first.month)
        return DateWindow(s, e, 3, text)
    if kind == "this_month":
        return DateWindow(published.replace(day=1), published, 3, text)
    if kind == "year":
        y = int(g["year"])
        end = min(date(y, 12, 31), published) if y == published.year else date(y, 12, 31)
        return DateWindow(date(y, 1, 1), end, 3, text)
    if kind == "same_day":
        return DateWindow(published, published, 1, text, relative=True)
    if kind == "relative_prev":
        return DateWindow(published, published, 3, text, relative=True)
    return None


def find_date(text: str, published: date | None) -> DateWindow | None:
    """The first resolvable temporal expression in ``text`` (None if none or no anchor)."""
    if published is None:
        # Only absolute dates with a year can be resolved without an anchor.
        for kind in ("mdy", "dmy", "iso"):
            for m in PATTERNS_BY_KIND[kind].finditer(text):
                if m.groupdict().get("year"):
                    return _resolve(kind, m, date(int(m.group("year")), 12, 31))
        for kind in ("month_year", "year"):
            m = PATTERNS_BY_KIND[kind].search(text)
            if m:
                y = int(m.group("year"))
                return _resolve(kind, m, date(y, 12, 31))
        return None
    best: tuple[int, int, str, re.Match] | None = None
    for kind, pat in PATTERNS:
        for m in pat.finditer(text):
            if kind == "month" and m.group("month").lower().rstrip(".") == "may" and not m.group("year"):
                # "may" is mostly the modal verb; accept only "in May"
                if not m.group(0).lower().startswith(("in ", "during ", "since ", "last ", "this ")):
                    continue
            if kind == "dmy" and m.group("month").lower().rstrip(".") == "may" and not m.group("year"):
                continue
            core = "month" if "month" in m.groupdict() and m.group("month") else ("wd" if "wd" in m.groupdict() else 0)
            key = (m.start(core), -(m.end() - m.start(core)))
            if best is None or key < (best[0], best[1]):
                best = (key[0], key[1], kind, m)
            break
    if best is None:
        return None
    if best[2] in ("yesterday", "today"):
        # "an overnight raid ... on Monday night": the named day is more precise than the relative word
        for kind in ("mdy", "dmy", "iso", "weekday"):
            m = PATTERNS_BY_KIND[kind].search(text, best[3].end())
            if m is not None:
                return _resolve(kind, m, published)
    return _resolve(best[2], best[3], published)


PATTERNS_BY_KIND = dict(PATTERNS)


def default_window(published: date, perfect: bool) -> DateWindow:
    """No temporal expression: present perfect → the last month; simple past → the last few days."""
    if perfect:
        return DateWindow(published - timedelta(days=30), published, 3, "", False)
    return DateWindow(published - timedelta(days=2), published, 2, "", False)
