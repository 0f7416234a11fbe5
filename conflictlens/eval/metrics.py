"""Scoring primitives shared by the evaluation tasks.

Plain functions with no dependency on the pipeline: precision/recall/F1,
accuracy, macro-F1 over labels, pairwise and B-cubed cluster metrics, the
great-circle distance, a median, and an exact optimal one-to-one assignment
(the Hungarian algorithm, written here because scipy is not a dependency).

Conventions: a ratio with an empty denominator is ``None`` ("not measured"),
never 0 or 1, so that a gold set without, say, coordinates does not report a
perfect distance score.  The one exception is P/R/F1 of a detection task,
which follows the usual convention (no predictions and no gold = nothing to
get wrong: P = R = F1 = 1.0; see :func:`prf`).
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections import defaultdict
from itertools import combinations
from typing import Hashable, Iterable, Mapping, Optional, Sequence

EARTH_RADIUS_KM = 6371.0088


def ratio(num: float, den: float) -> Optional[float]:
    """``num / den``, or ``None`` when ``den`` is 0."""
    return num / den if den else None


def prf(tp: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall and F1 of ``tp`` true positives among ``n_pred`` predictions and ``n_gold`` gold items.

    An empty side counts as perfect for the measure it is the denominator of
    (no predictions: precision 1.0; no gold: recall 1.0), so that an article
    correctly left without events scores 1.0 and one with only spurious
    events scores precision 0.
    """
    if tp < 0 or tp > n_pred or tp > n_gold:
        raise ValueError(f"inconsistent counts tp={tp} n_pred={n_pred} n_gold={n_gold}")
    p = tp / n_pred if n_pred else 1.0
    r = tp / n_gold if n_gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def f1_of(p: float, r: float) -> float:
    """Harmonic mean of a precision and a recall (0.0 when both are 0)."""
    return 2 * p * r / (p + r) if p + r else 0.0


def accuracy(outcomes: Iterable[bool]) -> Optional[float]:
    """Share of ``True`` outcomes; ``None`` when there are none."""
    vals = list(outcomes)
    return sum(1 for v in vals if v) / len(vals) if vals else None


def macro_f1(pairs: Iterable[tuple[Hashable, Hashable]], labels: Optional[Iterable[Hashable]] = None) -> Optional[float]:
    """Macro-averaged F1 over labels of ``(gold, predicted)`` pairs.

    The label set is ``labels`` when given, else every label seen in the gold
    or the predictions.  A label with no gold and no predicted occurrence is
    left out of the average.  ``None`` when there are no pairs.
    """
    pairs = list(pairs)
    if not pairs:
        return None
    label_set = set(labels) if labels is not None else {g for g, _ in pairs} | {p for _, p in pairs}
    f1s = []
    for lab in sorted(label_set, key=repr):
        tp = sum(1 for g, p in pairs if g == lab and p == lab)
        n_gold = sum(1 for g, _ in pairs if g == lab)
        n_pred = sum(1 for _, p in pairs if p == lab)
        if not n_gold and not n_pred:
            continue
        f1s.append(prf(tp, n_pred, n_gold)[2])
    return sum(f1s) / len(f1s) if f1s else None


def median(values: Iterable[float]) -> Optional[float]:
    """The median, or ``None`` for no values."""
    vals = sorted(values)
    if not vals:
        return None
    mid = len(vals) // 2
    return float(vals[mid]) if len(vals) % 2 else (vals[mid - 1] + vals[mid]) / 2.0


def mean(values: Iterable[float]) -> Optional[float]:
    vals = list(values)
    return sum(vals) / len(vals) if vals else None


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres between two WGS84 points."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dphi = p2 - p1
    dlmb = math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))


# --- clusterings ----------------------------------------------------------------------


def _clusters(assign: Mapping[Hashable, Hashable], keys: Sequence[Hashable]) -> dict[Hashable, list[Hashable]]:
    out: dict[Hashable, list[Hashable]] = defaultdict(list)
    for k in keys:
        out[assign[k]].append(k)
    return out


def pairwise_prf(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> dict[str, float]:
    """Pairwise precision/recall/F1: over pairs of items put in one cluster.

    ``gold`` and ``pred`` map each item to its cluster label; both must cover
    the same items.  With no pair on a side the measure it divides is 1.0.
    """
    keys = _same_keys(gold, pred)
    gp = {frozenset(p) for c in _clusters(gold, keys).values() for p in combinations(c, 2)}
    pp = {frozenset(p) for c in _clusters(pred, keys).values() for p in combinations(c, 2)}
    p, r, f = prf(len(gp & pp), len(pp), len(gp))
    return {"precision": p, "recall": r, "f1": f}


def bcubed_prf(gold: Mapping[Hashable, Hashable], pred: Mapping[Hashable, Hashable]) -> dict[str, float]:
    """B-cubed precision/recall/F1 (Bagga & Baldwin 1998), averaged over items."""
    keys = _same_keys(gold, pred)
    if not keys:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    g_cl, p_cl = _clusters(gold, keys), _clusters(pred, keys)
    g_sets = {lab: set(m) for lab, m in g_cl.items()}
    bp = br = 0.0
    for k in keys:
        same_pred = p_cl[pred[k]]
        same_gold = g_sets[gold[k]]
        inter = sum(1 for x in same_pred if x in same_gold)
        bp += inter / len(same_pred)
        br += inter / len(same_gold)
    bp, br = bp / len(keys), br / len(keys)
    return {"precision": bp, "recall": br, "f1": f1_of(bp, br)}


def _same_keys(gold: Mapping, pred: Mapping) -> list:
    if set(gold) != set(pred):
        missing = set(gold) ^ set(pred)
        raise ValueError(f"gold and predicted clusterings cover different items: {sorted(map(str, missing))[:5]}")
    return list(gold)


# --- assignment -----------------------------------------------------------------------


def max_weight_assignment(scores: Sequence[Sequence[Optional[float]]]) -> list[tuple[int, int]]:
    """Optimal one-to-one assignment of rows to columns maximising the total score.

    ``scores[i][j]`` is the value of pairing row ``i`` with column ``j``;
    ``None`` (or a value <= 0) means the pair is not allowed.  Returns the
    chosen ``(i, j)`` pairs sorted by row; rows or columns left over stay
    unpaired.  Exact (Hungarian algorithm with potentials, O(n^2 m)), and
    deterministic: among equally good assignments the one found first in
    row/column order is returned.

    To maximise the number of pairs first and the quality second, give every
    allowed pair a base value larger than the sum of all bonuses (as
    :mod:`conflictlens.eval.events` does).
    """
    n_rows = len(scores)
    if n_rows == 0:
        return []
    n_cols = len(scores[0])
    if any(len(r) != n_cols for r in scores):
        raise ValueError("score matrix rows have different lengths")
    if n_cols == 0:
        return []
    transpose = n_rows > n_cols
    if transpose:
        mat = [[scores[i][j] for i in range(n_rows)] for j in range(n_cols)]
    else:
        mat = [list(r) for r in scores]
    n, m = len(mat), len(mat[0])
    # cost = -score; a disallowed pair costs 0 (same as leaving both unpaired)
    cost = [[-(v if v is not None and v > 0 else 0.0) for v in row] for row in mat]
    inf = float("inf")
    u = [0.0] * (n + 1)
    v = [0.0] * (m + 1)
    p = [0] * (m + 1)  # p[j] = row (1-based) assigned to column j
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        p[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = p[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                cur = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if cur < minv[j]:
                    minv[j] = cur
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[p[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if p[j0] == 0:
                break
        while True:
            j1 = way[j0]
            p[j0] = p[j1]
            j0 = j1
            if j0 == 0:
                break
    pairs = []
    for j in range(1, m + 1):
        i = p[j]
        if i == 0:
            continue
        val = mat[i - 1][j - 1]
        if val is None or val <= 0:
            continue
        pairs.append((j - 1, i - 1) if transpose else (i - 1, j - 1))
    return sorted(pairs)


# --- text matching (gold substrings against extracted text) -----------------------------

_PERIOD = re.compile(r"\(\s*\d{4}\s*-\s*(?:\d{4})?\s*\)")
_TYPOGRAPHY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"',
                             "\u2013": "-", "\u2014": "-", "\u00a0": " "})
_CHAR_CLASS = {"'": "['\u2019\u2018]", '"': "[\"\u201c\u201d]", "-": "[-\u2013\u2014]"}


def norm_text(text: Optional[str]) -> str:
    """Text with typographic quotes/dashes made plain and whitespace collapsed."""
    return " ".join((text or "").translate(_TYPOGRAPHY).split())


def find_spans(body: str, needle: str) -> list[tuple[int, int]]:
    """Every ``(start, end)`` where ``needle`` occurs in ``body``, whatever the whitespace and quote style."""
    words = norm_text(needle).split()
    if not words:
        return []
    parts = ["".join(_CHAR_CLASS.get(ch, re.escape(ch)) for ch in w) for w in words]
    return [(m.start(), m.end()) for m in re.finditer(r"\s+".join(parts), body)]


def norm_name(name: Optional[str]) -> Optional[str]:
    """An ACLED name for comparison: no "(2018-)" period, case-folded, hyphens read as spaces."""
    if name is None or not str(name).strip():
        return None
    return " ".join(_PERIOD.sub(" ", norm_text(name)).replace("-", " ").split()).casefold()


def norm_place(name: Optional[str]) -> Optional[str]:
    """A place name for comparison: accents, case, punctuation and a trailing "Province"/"Region" ignored."""
    if name is None or not str(name).strip():
        return None
    folded = unicodedata.normalize("NFKD", norm_text(name)).encode("ascii", "ignore").decode().casefold()
    words = re.sub(r"[^a-z0-9]+", " ", folded).split()
    while len(words) > 1 and words[-1] in {"province", "region", "state", "division", "governorate"}:
        words.pop()
    return " ".join(words) or None
