"""The ``ingest.clean`` stage: raw input → clean body + Source metadata."""
from __future__ import annotations

import hashlib
import re
from urllib.parse import urlparse

from ..doc import WorkDoc
from ..errors import ConflictLensError
from ..registry import stages
from ..schema import Source
from .clean import clean_text, outlet_from_domain
from .html import extract_html
from .text import detect_language, normalise


def source_id(body: str) -> str:
    """Stable id of a document: a hash of its clean body."""
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:16]


def paragraphs_of(body: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", body)]


@stages.register("ingest.clean", reads=["raw"], writes=["source", "body", "paragraphs"])
def make_ingest(config: dict):
    """HTML/text → clean body (page debris removed) and metadata."""
    remove_debris = bool(config.get("remove_debris", True))
    languages = list((config.get("_input") or {}).get("languages", ["en"]))

    def ingest(doc: WorkDoc) -> WorkDoc:
        raw = doc.raw
        title, authors, published, outlet = raw.title, [], None, None
        text = normalise(raw.content)
        host = urlparse(raw.url).hostname if raw.url else None
        if raw.kind == "html":
            h = extract_html(text, raw.name, raw.url)
            # trafilatura separates paragraphs by single newlines
            text = re.sub(r"\n+", "\n\n", h.text)
            title = title or h.title
            authors = h.authors
            published = h.published
            host = host or h.hostname
            outlet = outlet_from_domain(host) or h.sitename
        res = clean_text(text, remove_debris=remove_debris, known_title=title)
        body = res.body.strip()
        if not body:
            raise ConflictLensError("E002", path=raw.name)
        lang, _conf = detect_language(body)
        if languages and lang not in languages:
            raise ConflictLensError("E004", path=raw.name, lang=lang)
        doc.body = body
        doc.paragraphs = paragraphs_of(body)
        doc.meta["headings"] = res.headings
        doc.meta["removed"] = res.removed
        doc.source = Source(
            id=raw.id or source_id(body),
            url=raw.url,
            title=title or res.title,
            outlet=outlet or outlet_from_domain(host) or res.outlet,
            authors=authors or res.authors,
            published=raw.published or published or res.published,
            dateline=res.dateline,
            language=lang,
            body=body,
        )
        return doc

    return ingest
