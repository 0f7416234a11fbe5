"""RSS and Atom feeds as article inputs (for ``conflictlens ingest``).

A spec is a feed when it starts with ``feed:`` (``feed:https://...`` or
``feed:path/file.xml``) or ends with ``.rss``, ``.atom`` or ``.xml``.  Each
entry becomes one :class:`RawInput`: its full content when the feed carries
it (``content:encoded`` / Atom content), otherwise the linked page, fetched
with the same reader as any URL.  Entry content is an HTML fragment, which
is turned into plain paragraphs here (a page extractor finds no "main
content" in a fragment).  An unreadable feed yields one
:class:`Failure` (E608); a bad entry yields its own failure.
"""
from __future__ import annotations

from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Failure

FEED_SUFFIXES = (".rss", ".atom", ".xml")
# An entry's own text is used instead of fetching its link when it is at least this long.
MIN_CONTENT_CHARS = 400


def is_feed(spec: str) -> bool:
    return spec.startswith("feed:") or spec.lower().split("?")[0].endswith(FEED_SUFFIXES)


_BLOCK_TAGS = {"p", "div", "br", "li", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "tr"}


class _TextOf(HTMLParser):
    """Plain text of an HTML fragment, one paragraph per block element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._skip += 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def fragment_text(fragment: str) -> str:
    """Feed entry HTML (a fragment, not a page) to plain paragraphs."""
    p = _TextOf()
    p.feed(fragment)
    p.close()
    paras = [" ".join(x.split()) for x in "".join(p.parts).split("\n\n")]
    return "\n\n".join(x for x in paras if x)


def _entry_date(entry) -> date | None:
    for key in ("published_parsed", "updated_parsed"):
        t = entry.get(key)
        if t:
            return date(t.tm_year, t.tm_mon, t.tm_mday)
    return None


def iter_feed(spec: str, config: dict | None = None) -> Iterator[RawInput | Failure]:
    """Articles of one feed (see the module docstring)."""
    import feedparser

    from .readers import read_url

    target = spec[5:] if spec.startswith("feed:") else spec
    try:
        if target.startswith(("http://", "https://")):
            from .fetch import fetch_url

            cfg = (config or {}).get("input") or {}
            data, _ctype, _url = fetch_url(target, timeout=float(cfg.get("timeout", 20)),
                                           max_bytes=int(cfg.get("max_bytes", 10_000_000)))
        else:
            p = Path(target)
            if not p.is_file():
                raise ConflictLensError("E001", path=target)
            data = p.read_bytes()
    except ConflictLensError as exc:
        yield Failure(input=spec, code=exc.code, message=exc.message)
        return
    parsed = feedparser.parse(data)
    if parsed.bozo and not parsed.entries:
        yield Failure(input=spec, code="E608",
                      message=ConflictLensError("E608", spec=spec,
                                                detail=str(parsed.get("bozo_exception"))).message)
        return
    for i, entry in enumerate(parsed.entries, start=1):
        name = f"{spec}#{i}"
        link = entry.get("link")
        if not (isinstance(link, str) and link.startswith(("http://", "https://"))):
            link = None  # feedparser may promote a non-URL guid (tag:...) to the link
        published = _entry_date(entry)
        content = ""
        if entry.get("content"):
            content = entry["content"][0].get("value", "")
        if len(content) < MIN_CONTENT_CHARS and len(entry.get("summary", "")) > len(content):
            content = entry.get("summary", "")
        try:
            if len(content) >= MIN_CONTENT_CHARS or not link:
                text = fragment_text(content)
                if not text.strip():
                    raise ConflictLensError("E009", path=name)
                # an entry's content is a fragment, not a page: hand over its plain text
                yield RawInput(name=link or name, content=text, kind="text", url=link,
                               title=entry.get("title"), published=published,
                               id=entry.get("id") or None)
            else:
                raw = read_url(link, config, published)
                raw.title = raw.title or entry.get("title")
                yield raw
        except ConflictLensError as exc:
            yield Failure(input=link or name, code=exc.code, message=exc.message)
