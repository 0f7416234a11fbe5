"""Turn what the user points at into :class:`RawInput` objects.

Supported: plain-text and HTML files, directories (recursively: .txt, .text,
.md, .html, .htm, .jsonl), ``-`` for stdin, ``http(s)://`` URLs and JSONL
corpora (one article per line: ``id``, ``text`` or ``html``, optional ``url``,
``title``, ``published``).  Bad inputs become numbered errors; in a batch
(:func:`iter_inputs`) they are yielded as :class:`Failure` and the batch goes on.
"""
from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Iterator

from ..doc import RawInput
from ..errors import ConflictLensError
from ..schema import Failure
from .fetch import fetch_url
from .text import decode_bytes, looks_like_html

TEXT_SUFFIXES = {".txt", ".text", ".md", ""}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
DIR_SUFFIXES = TEXT_SUFFIXES | HTML_SUFFIXES | {".jsonl"}

DEFAULT_MAX_BYTES = 10_000_000


def _max_bytes(config: dict) -> int:
    return int((config.get("input") or {}).get("max_bytes", DEFAULT_MAX_BYTES))


def parse_date(value: object, what: str) -> date | None:
    """Parse a YYYY-MM-DD (or ISO datetime) value; None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value
    text = str(value).strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        raise ConflictLensError("E012", value=text, what=what) from None


def _raw_from_bytes(name: str, data: bytes, *, html_hint: bool | None, published: date | None,
                    url: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> RawInput:
    if len(data) > max_bytes:
        raise ConflictLensError("E006", path=name, size=len(data), limit=max_bytes)
    text = decode_bytes(data, name)
    is_html = looks_like_html(text) if html_hint is None else html_hint
    return RawInput(name=name, content=text, kind="html" if is_html else "text",
                    url=url, published=published)


def read_path(path: Path, config: dict | None = None, published: date | None = None) -> RawInput:
    """Read one text or HTML file (not a directory, not JSONL)."""
    config = config or {}
    path = Path(path)
    if not path.exists():
        raise ConflictLensError("E001", path=str(path))
    if path.is_dir():
        raise ConflictLensError("E001", path=f"{path} (a directory: use a batch command)")
    limit = _max_bytes(config)
    size = path.stat().st_size
    if size > limit:
        raise ConflictLensError("E006", path=str(path), size=size, limit=limit)
    suffix = path.suffix.lower()
    hint = True if suffix in HTML_SUFFIXES else None  # otherwise sniffed from the content
    return _raw_from_bytes(str(path), path.read_bytes(), html_hint=hint, published=published,
                           max_bytes=limit)


def read_stdin(config: dict | None = None, published: date | None = None) -> RawInput:
    limit = _max_bytes(config or {})
    data = sys.stdin.buffer.read(limit + 1)
    return _raw_from_bytes("<stdin>", data, html_hint=None, published=published, max_bytes=limit)


def read_url(url: str, config: dict | None = None, published: date | None = None) -> RawInput:
    cfg = (config or {}).get("input") or {}
    data, ctype, final_url = fetch_url(url, timeout=float(cfg.get("timeout", 20)),
                                       max_bytes=int(cfg.get("max_bytes", DEFAULT_MAX_BYTES)))
    return _raw_from_bytes(url, data, html_hint=("html" in ctype) or None, published=published,
                           url=final_url, max_bytes=_max_bytes(config or {}))


def iter_jsonl(path: Path, config: dict | None = None,
               published: date | None = None) -> Iterator[RawInput | Failure]:
    """Articles of a JSONL corpus, in file order; bad lines become Failures."""
    limit = _max_bytes(config or {})
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, start=1):
            name = f"{path}:{lineno}"
            if not line.strip():
                continue
            try:
                try:
                    rec = json.loads(line)
                except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                    raise ConflictLensError("E010", path=str(path), line=lineno, detail=str(exc)[:120]) from None
                if not isinstance(rec, dict):
                    raise ConflictLensError("E010", path=str(path), line=lineno, detail="not a JSON object")
                if not rec.get("id"):
                    raise ConflictLensError("E011", path=str(path), line=lineno, field="id")
                content = rec.get("html") or rec.get("text")
                if not isinstance(content, str) or not content.strip():
                    raise ConflictLensError("E011", path=str(path), line=lineno, field="text' or 'html")
                if len(content.encode("utf-8", "ignore")) > limit:
                    raise ConflictLensError("E006", path=name, size=len(content.encode("utf-8", "ignore")), limit=limit)
                pub = published or parse_date(rec.get("published"), f"{name} published")
                yield RawInput(
                    name=name, content=content, kind="html" if rec.get("html") else "text",
                    id=str(rec["id"]), url=rec.get("url"), title=rec.get("title"), published=pub,
                )
            except ConflictLensError as exc:
                yield Failure(input=name, code=exc.code, message=exc.message)


def _iter_dir(path: Path) -> list[Path]:
    files = [p for p in sorted(path.rglob("*"))
             if p.is_file() and p.suffix.lower() in DIR_SUFFIXES and not p.name.startswith(".")
             and p.name.lower() not in {"readme.md", "readme.txt", "licence.txt", "license.txt"}]
    return files


def iter_inputs(specs: list[str], config: dict | None = None,
                published: date | None = None) -> Iterator[RawInput | Failure]:
    """Expand paths, directories, '-', URLs and JSONL corpora, in the order given.

    Never raises for a bad input: it yields a :class:`Failure` and continues.
    """
    config = config or {}
    for spec in specs:
        try:
            if spec == "-":
                yield read_stdin(config, published)
            elif spec.startswith(("http://", "https://")):
                yield read_url(spec, config, published)
            elif "://" in spec:
                raise ConflictLensError("E014", url=spec)
            else:
                p = Path(spec)
                if p.is_dir():
                    files = _iter_dir(p)
                    if not files:
                        raise ConflictLensError("E015", path=str(p))
                    for f in files:
                        yield from iter_inputs([str(f)], config, published)
                elif p.suffix.lower() == ".jsonl" and p.is_file():
                    yield from iter_jsonl(p, config, published)
                else:
                    yield read_path(p, config, published)
        except ConflictLensError as exc:
            yield Failure(input=spec, code=exc.code, message=exc.message)


def count_inputs(specs: list[str]) -> int | None:
    """Number of documents ``iter_inputs`` will yield, when cheap to know (for progress bars)."""
    total = 0
    for spec in specs:
        p = Path(spec)
        if spec == "-" or "://" in spec:
            total += 1
        elif p.is_dir():
            for f in _iter_dir(p):
                total += _count_file(f)
        elif p.is_file():
            total += _count_file(p)
        else:
            total += 1
    return total


def _count_file(p: Path) -> int:
    if p.suffix.lower() != ".jsonl":
        return 1
    with open(p, "rb") as fh:
        return sum(1 for line in fh if line.strip())
