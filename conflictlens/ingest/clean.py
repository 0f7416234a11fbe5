"""Clean text scraped from a web page and read its metadata.

Works on blocks (runs of lines separated by blank lines).  Each block is
classified by generic rules — no site- or article-specific strings:

* navigation: skip links, menus, share/subscribe/advertisement lines;
* captions: blocks carrying a photo credit ("Image: ...", "Photo: ...");
* headings: one short line without sentence-final punctuation (section
  subheads and teaser/related-story headlines alike) — kept in metadata, not
  in the body;
* header: title, byline ("By X", "X in City"), a date line;
* tail: "Edited by", "Reporting by" and everything after, and author bios.

Everything removed is recorded with its reason in ``CleanResult.removed``.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from importlib import resources

_SKIP = re.compile(r"^\s*(?:\d+\.\s*)?skip to\b", re.I)
_NAV = re.compile(
    r"^\s*(?:share(?: this)?(?: article| story)?|advertisement|advert|sponsored|subscribe(?: now)?|"
    r"sign (?:up|in)(?: for.*)?|log ?in|menu|search|home|newsletter|follow us.*|print|e-?mail|"
    r"read more:?.*|related(?: articles| stories| topics)?:?.*|recommended(?: for you)?|most (?:read|popular)|"
    r"click here.*|copyright.*|©.*|all rights reserved.*|send us your feedback.*|download (?:the|our) app.*|"
    r"(?:facebook|twitter|x|whatsapp|linkedin|telegram|reddit)(?:\s*[|,/]\s*\w+)*|"
    r"share on \w+.*|copy link|permalink.*|listen to this article.*|\d+\s*min(?:ute)?s? read|audio|video|watch.*|image gallery.*)\s*$",
    re.I,
)
# breadcrumbs and menus: "Home | Pakistan | Security", "News › World › Asia"
_CRUMBS = re.compile(r"^(?=.*[^\W\d_])\s*(?:[\w'&.-]+(?:\s[\w'&.-]+){0,2}\s*[|›»>·]\s*){2,}[\w'&.-]+(?:\s[\w'&.-]+){0,2}\s*$")
_CREDIT = re.compile(
    r"(?:(?:\b|(?<=[a-z.]))(?:image|photo|picture|photograph|credit|foto|bild)\s*:|"
    r"(?:/|\b)(?:AP Photo|AFP|Getty Images|picture[- ]alliance|Reuters/|EPA|dpa)\b.*(?:/|$))",
    re.I,
)
_END = re.compile(
    r"^\s*(?:edited by|editing by|reporting by|additional reporting(?: by)?|written by|compiled by|"
    r"produced by|fact[- ]check(?:ed)? by)\b\s*:?", re.I)
_BYLINE_BY = re.compile(r"^\s*by\s+([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
                        r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3})*)"
                        r"(?:\s*(?:,|\||in|-|—)\s*([A-Z][\w .'’-]+))?\s*$")
_BYLINE_IN = re.compile(r"^\s*([A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3}"
                        r"(?:\s*(?:,|and|&)\s*[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){1,3})*)"
                        r"\s+(?:in|\|)\s+([A-Z][\w .'’-]+?)\s*$")
_BYLINE_STAFF = re.compile(r"^\s*(?:by\s+)?(?:our |a )?(?:staff|special|foreign) (?:reporter|correspondent|writer)s?(?:\s*(?:,|in|\||-|—)\s*([A-Z][\w .'’-]+?))?\s*$", re.I)
_SENT_END = re.compile(r"[.!…:;]['\"’”)\]]*\s*$")
_QUOTE_CHARS = "\"“”‘’'"
_MONTHS = ("january february march april may june july august september october november december "
           "jan feb mar apr jun jul aug sep sept oct nov dec").split()
_DATE_LINE = re.compile(
    r"^\s*(?:(?:mon|tues|wednes|thurs|fri|satur|sun)day,?\s*)?"
    r"(?:\d{1,2}\s+[A-Za-z]{3,9}\.?,?\s+\d{4}|[A-Za-z]{3,9}\.?\s+\d{1,2},?\s+\d{4}|\d{4}-\d{2}-\d{2}|\d{1,2}/\d{1,2}/\d{4})"
    r"(?:\s*(?:,|at|-)?\s*\d{1,2}[:.]\d{2}\s*(?:am|pm|[A-Z]{2,4})?)?\s*$",
    re.I,
)
_DATELINE_LEAD = re.compile(
    r"^\s*([A-Z][A-Z.'’-]+(?:\s+[A-Z][A-Z.'’-]+){0,3})"  # CITY in capitals
    r"(?:\s*,\s*([A-Z][A-Za-z .'’-]+?))?"  # , Country
    r"(?:\s*,?\s*(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}))?"  # , July 1
    r"\s*(?:\(([^)]{2,30})\))?\s*[—–-]{1,2}\s+"  # (Reuters) —
)
_BIO = re.compile(r"\b(?:journalist|correspondent|reporter|editor|writer|writes about|based in|covers)\b", re.I)


@dataclass
class CleanResult:
    body: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    dateline: str | None = None
    published: date | None = None
    outlet: str | None = None
    headings: list[str] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)


@lru_cache(maxsize=1)
def outlets() -> list[dict]:
    """Known outlets (data/outlets.json): name, aliases, domains."""
    data = resources.files("conflictlens").joinpath("data/outlets.json").read_text("utf-8")
    return json.loads(data)["outlets"]


def outlet_from_domain(host: str | None) -> str | None:
    if not host:
        return None
    host = host.lower().split(":")[0]
    for o in outlets():
        for d in o.get("domains", []):
            if host == d or host.endswith("." + d):
                return o["name"]
    return None


def _outlet_in(text: str, patterns: tuple[str, ...]) -> str | None:
    for o in outlets():
        for alias in [o["name"], *o.get("aliases", [])]:
            a = re.escape(alias)
            for pat in patterns:
                if re.search(pat.format(a=a), text):
                    return o["name"]
    return None


def _is_heading(line: str) -> bool:
    s = line.strip()
    if not s or "\n" in s:
        return False
    words = s.split()
    if _SENT_END.search(s):
        return False
    if s.endswith("?"):
        return len(words) <= 12 and not any(q in s[:1] for q in _QUOTE_CHARS)
    return len(words) <= 16


def _parse_date(text: str) -> date | None:
    import dateparser

    d = dateparser.parse(text, languages=["en"], settings={"PREFER_DAY_OF_MONTH": "first",
                                                          "REQUIRE_PARTS": ["day", "month", "year"]})
    return d.date() if d else None


def _split_blocks(text: str) -> list[list[str]]:
    blocks: list[list[str]] = []
    cur: list[str] = []
    for line in text.split("\n"):
        if line.strip():
            cur.append(line)
        elif cur:
            blocks.append(cur)
            cur = []
    if cur:
        blocks.append(cur)
    return blocks


def _tidy(line: str) -> str:
    return re.sub(r"[ \t]{2,}", " ", line).strip()


def clean_text(text: str, *, remove_debris: bool = True, known_title: str | None = None) -> CleanResult:
    blocks = _split_blocks(text)
    res = CleanResult(body="")
    kept: list[str] = []
    removed = res.removed
    header_zone = True  # until the first real paragraph
    ended = False
    for block in blocks:
        lines = [_tidy(x) for x in block if _tidy(x)]
        if not lines:
            continue
        joined = " ".join(lines)
        if ended:
            removed.append(("after end marker", joined))
            continue
        if not remove_debris:
            kept.append(joined)
            continue
        # navigation and skip links (a block may be a numbered list of them)
        nav = [ln for ln in lines if _SKIP.match(ln) or _NAV.match(ln) or _CRUMBS.match(ln)]
        if len(nav) == len(lines):
            removed.append(("navigation", joined))
            continue
        lines = [ln for ln in lines if ln not in nav]
        joined = " ".join(lines)
        if any(_CREDIT.search(ln) for ln in lines):
            removed.append(("caption", joined))
            continue
        if _END.match(lines[0]) and kept:
            removed.append(("end marker", joined))
            ended = True
            continue
        if header_zone:
            if len(lines) == 1 and _DATE_LINE.match(lines[0]):
                res.published = res.published or _parse_date(lines[0])
                removed.append(("date line", joined))
                continue
            staff = _BYLINE_STAFF.match(lines[0])
            named = None if staff else (_BYLINE_BY.match(lines[0]) or (_BYLINE_IN.match(lines[0]) if res.title else None))
            if (staff or (named and not _SENT_END.search(lines[0]))) and len(lines) <= 2:
                if named:
                    res.authors = [a.strip() for a in re.split(r"\s*(?:,|\band\b|&)\s*", named.group(1)) if a.strip()]
                place = (staff or named).group(1 if staff else 2)
                if place:
                    res.dateline = place.strip()
                removed.append(("byline", lines[0]))
                if len(lines) == 2 and _DATE_LINE.match(lines[1]):
                    res.published = res.published or _parse_date(lines[1])
                continue
            if res.title is None and len(lines) == 1 and _is_heading(lines[0]) and not known_title:
                res.title = lines[0].rstrip()
                removed.append(("title", joined))
                continue
            if known_title and len(lines) == 1 and _tidy(lines[0]).lower() == known_title.strip().lower():
                res.title = known_title
                removed.append(("title", joined))
                continue
        if len(lines) == 1 and _is_heading(lines[0]):
            res.headings.append(lines[0])
            removed.append(("heading", joined))
            continue
        if res.authors and _BIO.search(joined) and any(joined.startswith(a) for a in res.authors) and len(joined) < 400:
            removed.append(("author bio", joined))
            continue
        header_zone = False
        kept.append(joined)
    # trailing author name lines left after the end marker are already dropped;
    # a trailing lone author name (no end marker) is a bio stub
    while kept and res.authors and kept[-1].strip() in res.authors:
        removed.append(("author name", kept.pop()))
    res.body = "\n\n".join(kept)
    if kept and not res.dateline:
        m = _DATELINE_LEAD.match(kept[0])
        if m and len(m.group(1)) >= 3:
            res.dateline = m.group(1).title()
            if m.group(3) and not res.outlet:
                res.outlet = _outlet_in(m.group(3), (r"^{a}$",))
    debris = " \n".join(t for _, t in removed)
    res.outlet = res.outlet or _outlet_in(debris, (r"\b{a}\b",)) or _outlet_in(
        res.body, (r"\b(?:told|speaking to|speaking with|said to|interview with)\s+{a}\b",))
    return res
