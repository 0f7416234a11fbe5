"""Find a model's quoted evidence in the article body and compute its offsets.

Language models copy text imperfectly: whitespace changes, typographic quotes
become straight ones, a word is dropped.  :func:`locate` tries, in order,

1. an exact match;
2. a match after normalisation (runs of whitespace → one space, curly quotes
   and dashes → ASCII, case folded), mapped back to the original offsets;
3. a fuzzy match (``rapidfuzz.fuzz.partial_ratio_alignment``) on the
   normalised text with a score of at least ``threshold`` (0–100), widened to
   whole words.

The returned span always points into the original body; the caller takes the
evidence text from the body, never from the model.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

from rapidfuzz import fuzz

_CHAR_MAP = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2212": "-", "\u00ad": "",
}


_EDGE_PUNCT = "\"'()[],;:.!?"


@dataclass(frozen=True)
class Located:
    start: int
    end: int
    method: str  # "exact" | "normalized" | "fuzzy"
    score: float


def normalize(text: str) -> tuple[str, list[int]]:
    """Normalised text and, for each of its characters, the offset in ``text``.

    The map has one extra entry (``len(text)``) so that an end offset maps too.
    """
    out: list[str] = []
    where: list[int] = []
    prev_space = True  # drop leading whitespace
    for i, ch in enumerate(text):
        if ch.isspace():
            if prev_space:
                continue
            out.append(" ")
            where.append(i)
            prev_space = True
            continue
        prev_space = False
        ch = _CHAR_MAP.get(ch, ch)
        if not ch:
            continue
        low = ch.lower()
        out.append(low if len(low) == 1 else ch)
        where.append(i)
    # trailing space
    if out and out[-1] == " ":
        out.pop()
        where.pop()
    where.append(len(text))
    return "".join(out), where


def _widen_to_words(body: str, start: int, end: int) -> tuple[int, int]:
    while start > 0 and body[start - 1].isalnum() and body[start].isalnum():
        start -= 1
    while end < len(body) and end > 0 and body[end - 1].isalnum() and body[end].isalnum():
        end += 1
    # never start or end on whitespace
    while start < end and body[start].isspace():
        start += 1
    while end > start and body[end - 1].isspace():
        end -= 1
    return start, end


class EvidenceLocator:
    """Locates quotes in one body; normalises the body once."""

    def __init__(self, body: str, *, threshold: float = 90.0, min_chars: int = 12) -> None:
        self.body = body
        self.threshold = threshold
        self.min_chars = min_chars
        self._norm, self._map = normalize(body)

    def _back(self, nstart: int, nend: int) -> tuple[int, int]:
        start = self._map[nstart]
        # end: one past the last original character of the match
        end = self._map[nend - 1] + 1 if nend > nstart else start
        return start, end

    def locate(self, quote: str) -> Optional[Located]:
        """The span of ``quote`` in the body, or None."""
        q = quote.strip()
        # Models sometimes wrap the quotation in quote marks of their own.
        if len(q) >= 2 and q[0] in "\"'\u201c\u2018" and q[-1] in "\"'\u201d\u2019" and q not in self.body:
            q = q[1:-1].strip()
        nq, _ = normalize(q)
        if len(nq) < self.min_chars:
            return None
        pos = self.body.find(q)
        if pos >= 0:
            return Located(pos, pos + len(q), "exact", 100.0)
        npos = self._norm.find(nq)
        if npos >= 0:
            s, e = self._back(npos, npos + len(nq))
            return Located(s, e, "normalized", 100.0)
        if len(nq) > len(self._norm):
            return None
        al = fuzz.partial_ratio_alignment(nq, self._norm, score_cutoff=self.threshold)
        if al is None or al.score < self.threshold or al.dest_end <= al.dest_start:
            return None
        ns, ne, score = self._refine(nq, al.dest_start, al.dest_end, al.score)
        s, e = self._back(ns, ne)
        s, e = _widen_to_words(self.body, s, e)
        if e <= s:
            return None
        return Located(s, e, "fuzzy", round(score, 1))

    def _refine(self, nq: str, ds: int, de: int, score: float) -> tuple[int, int, float]:
        """Snap a fuzzy window to whole tokens, choosing the best-scoring bounds nearby.

        ``partial_ratio`` windows are as long as the quote, so a quote with a
        dropped word or letter ends short of the true sentence end; trying
        token boundaries within a small slack recovers it.
        """
        norm = self._norm
        slack = max(8, len(nq) // 8)
        starts = [i for i in range(max(0, ds - slack), min(len(norm), ds + slack) + 1)
                  if i == 0 or norm[i - 1] == " "]
        ends = [j for j in range(max(0, de - slack), min(len(norm), de + slack) + 1)
                if j == len(norm) or norm[j] == " "]
        best = (-1.0, ds, de)
        for i in starts:
            for j in ends:
                if j <= i:
                    continue
                r = fuzz.ratio(nq, norm[i:j])
                # prefer the higher score, then the span closest to the quote's length
                if r > best[0] or (r == best[0] and abs((j - i) - len(nq)) < abs((best[2] - best[1]) - len(nq))):
                    best = (r, i, j)
        if best[0] < self.threshold:
            return ds, de, score
        r, i, j = best
        # token boundaries may take in quotation marks or brackets the quote does not have
        while j - i > 1 and norm[i] in _EDGE_PUNCT and not nq.startswith(norm[i]):
            i += 1
        while j - i > 1 and norm[j - 1] in _EDGE_PUNCT and not nq.endswith(norm[j - 1]):
            j -= 1
        return i, j, r


def locate(body: str, quote: str, *, threshold: float = 90.0, min_chars: int = 12) -> Optional[Located]:
    """One-off form of :meth:`EvidenceLocator.locate`."""
    return EvidenceLocator(body, threshold=threshold, min_chars=min_chars).locate(quote)
