"""Wording helpers for the report templates: plurals, dates, periods and changes.

Everything a sentence needs is decided here, in code that is tested, so that
the templates stay free of arithmetic and English grammar rules.
"""
from __future__ import annotations

from datetime import date

# Nouns whose plural is not the singular + "s".
_IRREGULAR = {
    "fatality": "fatalities",
    "casualty": "casualties",
    "militia": "militias",
    "country": "countries",
    "this": "these",
    "was": "were",
    "is": "are",
    "has": "have",
    "it": "they",
}

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")


def plural_word(n: int, singular: str, plural: str | None = None) -> str:
    """``singular`` when ``n`` is 1 (or -1), else its plural."""
    if abs(n) == 1:
        return singular
    if plural:
        return plural
    if singular in _IRREGULAR:
        return _IRREGULAR[singular]
    if singular.endswith("y") and singular[-2:-1] not in "aeiou":
        return singular[:-1] + "ies"
    if singular.endswith(("s", "x", "ch", "sh")):
        return singular + "es"
    return singular + "s"


def count(n: int, singular: str, plural: str | None = None) -> str:
    """``"1 event"``, ``"3 events"``, ``"1,204 fatalities"``, ``"no events"``."""
    if n == 0:
        return f"no {plural_word(0, singular, plural)}"
    return f"{n:,} {plural_word(n, singular, plural)}"


def fmt_date(d: date | None) -> str:
    """``"1 July 2024"`` (no leading zero, English month), ``"undated"`` for None."""
    if d is None:
        return "undated"
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


def fmt_period(start: date | None, end: date | None) -> str:
    """A compact period: ``"1–30 June 2024"``, ``"28 June – 4 July 2024"``, ``"5 May 2024"``."""
    if start is None and end is None:
        return "all dates"
    if start is None:
        return f"until {fmt_date(end)}"
    if end is None:
        return f"since {fmt_date(start)}"
    if start == end:
        return fmt_date(start)
    if start.year != end.year:
        return f"{fmt_date(start)} – {fmt_date(end)}"
    if start.month != end.month:
        return f"{start.day} {MONTHS[start.month - 1]} – {fmt_date(end)}"
    return f"{start.day}–{end.day} {MONTHS[end.month - 1]} {end.year}"


def days(n: int) -> str:
    return count(n, "day")


def change(now: int, before: int | None) -> str:
    """How ``now`` compares with ``before``: ``"up 3 (+60%)"``, ``"down 2 (−40%)"``, ``"unchanged"``.

    ``before`` None means there is no comparison period (an empty string).
    A rise from zero has no percentage: ``"up 4 (none before)"``.
    """
    if before is None:
        return ""
    if now == before:
        return "unchanged"
    diff = now - before
    word = "up" if diff > 0 else "down"
    if before == 0:
        return f"{word} {abs(diff):,} (none before)"
    pct = round(100 * diff / before)
    sign = "+" if pct > 0 else "\u2212"
    return f"{word} {abs(diff):,} ({sign}{abs(pct)}%)"


def join_words(items: list[str], conj: str = "and") -> str:
    """``"a"``, ``"a and b"``, ``"a, b and c"``."""
    items = [i for i in items if i]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conj} {items[-1]}"


def place(*parts: str | None) -> str:
    """``"Quetta, Balochistan, Pakistan"``: the non-empty parts, each once, in order."""
    out: list[str] = []
    for p in parts:
        if p and p not in out:
            out.append(p)
    return ", ".join(out)


def num(n: int | None) -> str:
    """``12,345``; an empty string for None."""
    return "" if n is None else f"{n:,}"


def filters() -> dict:
    """The Jinja filters and globals of the report templates."""
    return {"count": count, "plural_word": plural_word, "fmt_date": fmt_date,
            "fmt_period": fmt_period, "change": change, "join_words": join_words, "num": num,
            "place": place}
