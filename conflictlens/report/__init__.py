"""Situation reports: a readable brief (HTML, PDF or Markdown) from a conflictlens database.

>>> from conflictlens.store import Store
>>> from conflictlens.report import ReportParams, build_report
>>> html = build_report(Store("conflictlens.db", create=False), ReportParams(country="PAK"), "html")

See docs/report.md.  Layers: this package reads the database through
:mod:`conflictlens.store`; the CLI command is ``conflictlens report``.
"""
from __future__ import annotations

from .query import ReportData, ReportParams, collect
from .render import FORMATS, render, render_html, render_md, render_pdf

__all__ = ["ReportData", "ReportParams", "collect", "render", "render_html", "render_md",
           "render_pdf", "build_report", "FORMATS"]


def build_report(store, params: ReportParams, fmt: str = "html") -> bytes:
    """Collect the data for ``params`` from ``store`` and render it in ``fmt``."""
    return render(collect(store, params), fmt)
