"""Watched targets as streams of new items: RSS/Atom feeds and folders.

Each item carries a stable key (see :mod:`.state`); the runner skips keys it
has already recorded, so an item is ingested once across polls and restarts.
"""
from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterator

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Failure
from .fetch import FeedFetcher
from .state import WatchState, item_key


@dataclass
class Item:
    key: str
    target: str
    name: str
    raw: RawInput | None = None
    failure: Failure | None = None


def _entry_date(entry) -> date | None:
    for k in ("published_parsed", "updated_parsed"):
        t = entry.get(k)
        if t:
            return date(t.tm_year, t.tm_mon, t.tm_mday)
    return None


def entry_key(feed_url: str, entry) -> str:
    """An entry's identity: its id/guid, else its link, else title + date."""
    ident = entry.get("id") or entry.get("link") or f"{entry.get('title', '')}|{entry.get('published', '')}"
    return item_key("feed", feed_url, str(ident))


def entry_input(entry, name: str, config: dict, before_fetch=None) -> RawInput:
    """The article of one entry: its own content when long enough, else its linked page
    (``before_fetch(url)`` runs first: the per-host rate limit)."""
    from ..ingest.feeds import MIN_CONTENT_CHARS, fragment_text
    from ..ingest.readers import read_url

    link = entry.get("link")
    if not (isinstance(link, str) and link.startswith(("http://", "https://"))):
        link = None
    content = entry["content"][0].get("value", "") if entry.get("content") else ""
    if len(content) < MIN_CONTENT_CHARS and len(entry.get("summary", "")) > len(content):
        content = entry.get("summary", "")
    published = _entry_date(entry)
    if len(content) >= MIN_CONTENT_CHARS or not link:
        text = fragment_text(content)
        if not text.strip():
            raise ConflictLensError("E009", path=name)
        return RawInput(name=link or name, content=text, kind="text", url=link,
                        title=entry.get("title"), published=published, id=entry.get("id") or None)
    if before_fetch is not None:
        before_fetch(link)
    raw = read_url(link, config, published)
    raw.title = raw.title or entry.get("title")
    return raw


class FeedSource:
    """An RSS/Atom feed polled with conditional GET."""

    def __init__(self, url: str, fetcher: FeedFetcher, state: WatchState, config: dict) -> None:
        self.url = url
        self.fetcher = fetcher
        self.state = state
        self.config = config

    def poll(self, stop: threading.Event | None = None) -> Iterator[Item]:
        """New items of the feed; raises E807-E810 when the feed itself is unusable."""
        import feedparser

        prev = self.state.feed(self.url)
        try:
            res = self.fetcher.fetch(self.url, prev.get("etag"), prev.get("last_modified"), stop)
        except ConflictLensError as exc:
            self.state.update_feed(self.url, last_status=exc.kwargs.get("status"), last_error=exc.line())
            raise
        if res.not_modified:
            self.state.update_feed(self.url, last_status=304, last_error=None)
            return
        parsed = feedparser.parse(res.body)
        if not parsed.entries and (parsed.bozo or not parsed.get("version")):
            detail = (str(parsed.get("bozo_exception"))[:200] if parsed.bozo
                      else "no RSS/Atom root element")
            err = ConflictLensError("E809", url=self.url, detail=detail)
            self.state.update_feed(self.url, last_status=res.status, last_error=err.line())
            raise err
        # validators are saved only after a successful parse, so a bad body is fetched again
        self.state.update_feed(self.url, etag=res.etag, last_modified=res.last_modified,
                               last_status=res.status, last_error=None)
        for i, entry in enumerate(parsed.entries, start=1):
            key = entry_key(self.url, entry)
            if self.state.seen(key):
                continue
            name = entry.get("link") or f"{self.url}#{i}"
            try:
                raw = entry_input(entry, f"{self.url}#{i}", self.config,
                                  before_fetch=lambda u: self.fetcher.limiter.wait(u, stop))
                yield Item(key, self.url, name, raw=raw)
            except ConflictLensError as exc:
                yield Item(key, self.url, name, failure=Failure(input=name, code=exc.code,
                                                                message=exc.message))


class FolderSource:
    """A directory: new or changed .txt/.html/.jsonl files (recursively)."""

    def __init__(self, path: str, state: WatchState, config: dict, settle_s: float = 1.0) -> None:
        self.path = Path(path)
        self.state = state
        self.config = config
        self.settle_s = settle_s

    def poll(self, stop: threading.Event | None = None) -> Iterator[Item]:
        from ..ingest.readers import DIR_SUFFIXES, iter_inputs

        if not self.path.is_dir():
            raise ConflictLensError("E001", path=str(self.path))
        now = time.time()
        for f in sorted(self.path.rglob("*")):
            if (not f.is_file() or f.name.startswith(".") or f.suffix.lower() not in DIR_SUFFIXES
                    or f.name.lower() in {"readme.md", "readme.txt"}):
                continue
            st = f.stat()
            if now - st.st_mtime < self.settle_s:
                continue  # still being written; next poll
            fkey = item_key("file", str(f.resolve()), str(st.st_size), str(st.st_mtime_ns))
            if self.state.seen(fkey):
                continue
            for rec in iter_inputs([str(f)], self.config):
                if isinstance(rec, Failure):
                    yield Item(item_key("rec", rec.input, rec.code), str(self.path), rec.input,
                               failure=rec)
                    continue
                digest = hashlib.sha256(rec.content.encode("utf-8", "surrogatepass")).hexdigest()
                key = item_key("rec", rec.id or str(f.resolve()), digest)
                if not self.state.seen(key):
                    yield Item(key, str(self.path), rec.name, raw=rec)
            # the file as a whole is done (its records are recorded one by one)
            self.state.mark(fkey, str(self.path), str(f), "file", None)
