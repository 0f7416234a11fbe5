"""Fetch one http(s) URL the user explicitly asked for: timeout, size cap, content-type check."""
from __future__ import annotations

from urllib.parse import urlparse

from ..errors import ConflictLensError

ACCEPTED_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "application/xml", "text/xml")
USER_AGENT = "conflictlens/0.1 (+https://github.com/conflictlens; research use)"


def fetch_url(url: str, *, timeout: float = 20.0, max_bytes: int = 10_000_000) -> tuple[bytes, str, str]:
    """Return (body bytes, content type, final URL); raise numbered errors on failure."""
    import httpx

    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise ConflictLensError("E014", url=url)
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True,
                          headers={"User-Agent": USER_AGENT}) as client:
            with client.stream("GET", url) as resp:
                if resp.status_code >= 400:
                    raise ConflictLensError("E013", status=resp.status_code, url=url)
                ctype = resp.headers.get("content-type", "").split(";")[0].strip().lower()
                if ctype and not ctype.startswith(ACCEPTED_TYPES):
                    raise ConflictLensError("E007", ctype=ctype, url=url)
                declared = resp.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > max_bytes:
                    raise ConflictLensError("E006", path=url, size=int(declared), limit=max_bytes)
                chunks: list[bytes] = []
                size = 0
                for chunk in resp.iter_bytes():
                    size += len(chunk)
                    if size > max_bytes:
                        raise ConflictLensError("E006", path=url, size=size, limit=max_bytes)
                    chunks.append(chunk)
                return b"".join(chunks), ctype or "text/html", str(resp.url)
    except ConflictLensError:
        raise
    except httpx.TimeoutException:
        raise ConflictLensError("E005", url=url, detail=f"timed out after {timeout:g} s") from None
    except httpx.HTTPError as exc:
        raise ConflictLensError("E005", url=url, detail=type(exc).__name__ + (f": {exc}" if str(exc) else "")) from None
