"""HTML → main text + metadata with trafilatura (precision-oriented settings)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlparse

from ..errors import ConflictLensError


@dataclass
class HtmlResult:
    text: str
    title: str | None = None
    authors: list[str] = field(default_factory=list)
    published: date | None = None
    sitename: str | None = None
    hostname: str | None = None
    language: str | None = None


def _split_authors(value: str | None) -> list[str]:
    if not value:
        return []
    parts = [p.strip() for p in value.replace(" and ", ";").replace(",", ";").split(";")]
    return [p for p in parts if p]


def extract_html(html: str, name: str, url: str | None = None) -> HtmlResult:
    import trafilatura

    try:
        doc = trafilatura.bare_extraction(
            html, url=url, with_metadata=True, include_comments=False, include_tables=False,
            include_images=False, favor_precision=True, deduplicate=False,
        )
    except RecursionError:
        doc = None
    except Exception as exc:  # lxml errors on pathological markup
        raise ConflictLensError("E009", path=f"{name} ({type(exc).__name__})") from None
    if doc is None or not (getattr(doc, "text", None) or "").strip():
        # fall back on the baseline extractor (all <p>/<article> text) before giving up
        try:
            _, text, _ = trafilatura.baseline(html)
        except Exception:
            text = ""
        if not text.strip() or len(text.split()) < 25:
            raise ConflictLensError("E009", path=name)
        return HtmlResult(text=text)
    pub = None
    if getattr(doc, "date", None):
        try:
            pub = date.fromisoformat(str(doc.date)[:10])
        except ValueError:
            pub = None
    host = getattr(doc, "hostname", None) or (urlparse(url).hostname if url else None)
    return HtmlResult(
        text=doc.text,
        title=doc.title,
        authors=_split_authors(getattr(doc, "author", None)),
        published=pub,
        sitename=getattr(doc, "sitename", None),
        hostname=host,
        language=getattr(doc, "language", None),
    )
