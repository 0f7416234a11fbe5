"""Polite feed polling: conditional GET, per-host rate limit, size cap, numbered errors."""
from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from urllib.parse import urlparse

from ..errors import ConflictLensError
from ..ingest.fetch import USER_AGENT


@dataclass
class FetchResult:
    url: str
    status: int
    body: bytes = b""
    etag: str | None = None
    last_modified: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304


class HostRateLimiter:
    """At most one request per ``min_interval`` seconds to each host."""

    def __init__(self, min_interval: float = 1.0, sleep=time.sleep, clock=time.monotonic) -> None:
        self.min_interval = max(0.0, float(min_interval))
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()
        self._sleep = sleep
        self._clock = clock

    def wait(self, url: str, stop: threading.Event | None = None) -> None:
        host = (urlparse(url).hostname or "").lower()
        with self._lock:
            now = self._clock()
            due = self._last.get(host, -1e18) + self.min_interval
            delay = max(0.0, due - now)
            self._last[host] = now + delay
        if delay > 0:
            if stop is not None:
                stop.wait(delay)
            else:
                self._sleep(delay)


class FeedFetcher:
    """GETs feeds with If-None-Match / If-Modified-Since, within a byte limit."""

    def __init__(self, *, timeout: float = 20.0, max_bytes: int = 5_000_000,
                 min_interval: float = 1.0) -> None:
        import httpx

        self.max_bytes = int(max_bytes)
        self.limiter = HostRateLimiter(min_interval)
        self.client = httpx.Client(timeout=timeout, follow_redirects=True,
                                   headers={"User-Agent": USER_AGENT,
                                            "Accept": "application/rss+xml, application/atom+xml, "
                                                      "application/xml;q=0.9, text/xml;q=0.8, */*;q=0.1"})

    def close(self) -> None:
        self.client.close()

    def fetch(self, url: str, etag: str | None = None, last_modified: str | None = None,
              stop: threading.Event | None = None) -> FetchResult:
        """One conditional GET; raises E807 (HTTP error), E808 (too big), E810 (network)."""
        import httpx

        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        self.limiter.wait(url, stop)
        try:
            with self.client.stream("GET", url, headers=headers) as resp:
                if resp.status_code == 304:
                    return FetchResult(url, 304, etag=etag, last_modified=last_modified)
                if resp.status_code >= 400:
                    raise ConflictLensError("E807", url=url, status=resp.status_code)
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > self.max_bytes:
                    raise ConflictLensError("E808", url=url, limit=self.max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > self.max_bytes:
                        raise ConflictLensError("E808", url=url, limit=self.max_bytes)
                    chunks.append(chunk)
                return FetchResult(url, resp.status_code, b"".join(chunks),
                                   etag=resp.headers.get("etag"),
                                   last_modified=resp.headers.get("last-modified"))
        except ConflictLensError:
            raise
        except httpx.HTTPError as exc:
            raise ConflictLensError("E810", url=url, detail=f"{type(exc).__name__}: {exc}"[:200]) from None
