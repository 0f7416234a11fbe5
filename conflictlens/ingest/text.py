"""Bytes → text: encoding detection, binary sniffing, HTML sniffing, language id."""
from __future__ import annotations

import re
import unicodedata

from ..errors import ConflictLensError

_BINARY_MAGIC = (b"\x89PNG", b"%PDF", b"PK\x03\x04", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"\x7fELF", b"BZh")


def decode_bytes(data: bytes, name: str) -> str:
    """Decode text bytes: UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252/latin-1.

    Binary data (NUL bytes, known magic numbers, many control characters) is
    rejected with E008; text that decodes only to garbage with E003.
    """
    if data.startswith(_BINARY_MAGIC):
        raise ConflictLensError("E008", path=name)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return normalise(data.decode("utf-16"))
        except UnicodeDecodeError as exc:
            raise ConflictLensError("E003", path=name, detail=str(exc)[:80]) from None
    sample = data[:65536]
    if b"\x00" in sample:
        raise ConflictLensError("E008", path=name)
    controls = sum(1 for b in sample if b < 9 or 13 < b < 32)
    if sample and controls / len(sample) > 0.05:
        raise ConflictLensError("E008", path=name)
    try:
        return normalise(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        pass
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = data.decode("latin-1")
    # cp1252 decodes almost anything: reject if the result is mostly symbols
    letters = sum(1 for ch in text[:20000] if ch.isalpha() or ch.isspace())
    if text and letters / min(len(text), 20000) < 0.6:
        raise ConflictLensError("E003", path=name, detail="neither UTF-8 nor Windows-1252 text")
    return normalise(text)


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")


_HTML_RE = re.compile(r"<\s*(!doctype\s+html|html|body|article|div|p|head)\b", re.I)


def looks_like_html(text: str) -> bool:
    head = text[:4096]
    return bool(_HTML_RE.search(head)) and head.count("<") >= 2


_EN_STOP = frozenset(
    "the of and to in a is that for on was with as by at from it he said were has have had been "
    "are an be which their this after who but they not or its his her".split()
)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


def detect_language(text: str) -> tuple[str, float]:
    """(ISO 639-1 code, confidence) from py3langid, cross-checked by English stop words."""
    words = _WORD.findall(text[:20000].lower())
    if not words:
        return "und", 0.0
    en_ratio = sum(1 for w in words if w in _EN_STOP) / len(words)
    if en_ratio >= 0.12:
        return "en", min(1.0, 0.5 + en_ratio * 2)
    try:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = _identifier(LanguageIdentifier, MODEL_FILE)
        lang, prob = ident.classify(text[:20000])
        return lang, float(prob)
    except Exception:  # pragma: no cover - py3langid missing: fall back on stop words
        return ("en", en_ratio) if en_ratio > 0.05 else ("und", 0.0)


_IDENT = None


def _identifier(cls, model_file):
    global _IDENT
    if _IDENT is None:
        _IDENT = cls.from_pickled_model(model_file, norm_probs=True)
    return _IDENT
