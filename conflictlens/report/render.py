"""Render a :class:`~conflictlens.report.query.ReportData` as HTML, Markdown or PDF.

The text comes from Jinja2 templates (``conflictlens/report/templates``) with
the wording helpers of :mod:`conflictlens.report.text`; no LLM is involved.
HTML is self-contained: the CSS is inline and the charts are PNG ``data:``
URIs, so the file opens offline and loads nothing.  PDF is the same HTML
printed by WeasyPrint.
"""
from __future__ import annotations

import base64
from datetime import datetime, timezone

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from ..errors import ConflictLensError
from . import text
from .charts import TYPE_COLORS
from .query import ReportData

FORMATS = ("html", "pdf", "md")


def _env() -> Environment:
    env = Environment(loader=PackageLoader("conflictlens.report", "templates"),
                      autoescape=select_autoescape(["html", "html.j2"]),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    env.filters.update(text.filters())
    env.globals.update(text.filters())
    env.globals["type_colors"] = TYPE_COLORS
    return env


def _context(data: ReportData, *, charts: bool) -> dict:
    ctx = {"d": data, "generated": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
           "timeline_img": None, "map_img": None, "map_outlines": False}
    if charts and not data.empty:
        from .charts import map_png, timeline_png

        ctx["timeline_img"] = _data_uri(timeline_png(data.timeline, data.timeline_unit))
        png, drawn = map_png(data.points) if data.points else (None, False)
        ctx["map_img"] = _data_uri(png) if png else None
        ctx["map_outlines"] = drawn
    return ctx


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def render_html(data: ReportData, *, charts: bool = True) -> str:
    """The self-contained HTML report."""
    return _env().get_template("report.html.j2").render(**_context(data, charts=charts))


def render_md(data: ReportData) -> str:
    """The Markdown report (tables and text; the charts are left out)."""
    return _env().get_template("report.md.j2").render(**_context(data, charts=False))


def render_pdf(data: ReportData) -> bytes:
    """The HTML report printed to PDF with WeasyPrint (E901 when it is missing)."""
    try:
        import weasyprint
    except (ImportError, OSError) as exc:  # OSError: pango/cairo system libraries missing
        raise ConflictLensError("E901", fmt="pdf", package="weasyprint",
                                detail=str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from None
    html = render_html(data)
    try:
        # base_url=None and no url_fetcher access: everything is inline (data: URIs)
        return weasyprint.HTML(string=html).write_pdf()
    except Exception as exc:  # pragma: no cover - renderer failure
        raise ConflictLensError("E903", fmt="pdf", detail=str(exc).splitlines()[0]) from None


def render(data: ReportData, fmt: str) -> bytes:
    """The report in a format, as bytes ready to write."""
    if fmt not in FORMATS:
        raise ConflictLensError("E302", fmt=fmt, choices=", ".join(FORMATS))
    if fmt == "pdf":
        return render_pdf(data)
    if fmt == "md":
        return render_md(data).encode("utf-8")
    return render_html(data).encode("utf-8")
