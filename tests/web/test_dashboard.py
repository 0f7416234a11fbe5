"""The dashboard in a real browser (Playwright + system Chromium) on the sample database.

Screenshots of each test end up in test-artifacts/web/.  The page under test keeps its
Content-Security-Policy, so readiness is read from DOM attributes, not by evaluating JS.
"""
from __future__ import annotations

import re
from urllib.parse import parse_qs, urlparse

import pytest

pytestmark = pytest.mark.network

EXPLOSIONS = "Explosions/Remote violence"


def wait_ready(page) -> None:
    page.wait_for_selector("body[data-ready='1']", state="attached")


def markers(page) -> int:
    return int(page.get_attribute("#map", "data-markers"))


def test_map_renders_markers_for_the_sample_events(page, server, api):
    page.goto(server + "/")
    wait_ready(page)
    located = len(api("/api/map")["points"])
    assert located >= 5
    assert markers(page) == located
    # every marker is on the map, alone or inside a cluster (polled: clustering runs after
    # the map settles)
    shown = -1
    for _ in range(150):  # up to 15 s: cluster animations take longer on a loaded machine
        dots = page.locator(".ev-dot").count()
        shown = dots + sum(int(c) for c in page.locator(".marker-cluster").all_inner_texts())
        if shown == located:
            break
        page.wait_for_timeout(100)
    assert shown == located
    assert page.locator("path.leaflet-interactive, .leaflet-overlay-pane path").count() > 100  # outlines
    assert f"{located} on the map" in page.inner_text("#summary")


def test_filtering_by_type_changes_the_count_and_the_url(page, server, api):
    page.goto(server + "/")
    wait_ready(page)
    before = markers(page)
    page.select_option("#f-type", EXPLOSIONS)
    page.wait_for_url(re.compile(r"type=Explosions"))
    wait_ready(page)
    expected = len(api("/api/map", type=EXPLOSIONS)["points"])
    assert 0 < expected < before
    page.wait_for_selector(f"#map[data-markers='{expected}']", state="attached")
    assert markers(page) == expected
    assert parse_qs(urlparse(page.url).query)["type"] == [EXPLOSIONS]
    items = page.locator("#event-list li").count()
    assert items == api("/api/events", type=EXPLOSIONS, count="true")["total"]


def test_shared_url_restores_the_filters(page, server, api):
    page.goto(server + "/?country=Pakistan")
    wait_ready(page)
    assert page.input_value("#f-country") == "Pakistan"
    assert markers(page) == len(api("/api/map", country="Pakistan")["points"])


def test_clicking_an_event_shows_the_highlighted_evidence(page, server, api):
    page.goto(server + "/?type=Suicide%20bomb")
    wait_ready(page)
    ev_id = page.get_attribute("#event-list li >> nth=0", "data-id")
    detail = api(f"/api/events/{ev_id}")
    page.click("#event-list li >> nth=0")
    page.wait_for_selector("mark.evidence")
    marks = [m.strip() for m in page.locator("mark.evidence").all_inner_texts()]
    expected = [e["text"].strip() for m in detail["mentions"] for e in m["evidence"]]
    assert marks and set(marks) == set(expected)
    assert page.get_attribute("#event-detail", "data-id") == ev_id
    assert f"event={ev_id}" in page.url


def test_clicking_a_marker_opens_its_event(page, server, api):
    page.goto(server + "/?country=Somalia")
    wait_ready(page)
    page.click(".ev-dot")
    page.wait_for_selector("#event-detail")
    ev_id = page.get_attribute("#event-detail", "data-id")
    assert api(f"/api/events/{ev_id}")["country"] == "Somalia"
    page.wait_for_selector("mark.evidence")


def test_quotes_panel_shows_speakers_grouped_by_stance(page, server, api):
    page.goto(server + "/")
    wait_ready(page)
    page.click("#tabs button[data-tab=quotes]")
    quotes = api("/api/quotes", limit=200)["items"]
    with_speaker = [q for q in quotes if q["speaker"]]
    assert with_speaker
    for stance in {q["stance"] for q in with_speaker}:
        group = page.locator(f".quote-group[data-stance='{stance or 'none'}']")
        speakers = set(group.locator(".speaker").all_inner_texts())
        assert {q["speaker"] for q in with_speaker if q["stance"] == stance} <= speakers
        assert group.locator(".stance").first.inner_text() == (stance or "–")
    assert "tab=quotes" in page.url


def test_actor_network_draws_every_edge(page, server, api):
    page.goto(server + "/?tab=network")
    wait_ready(page)
    net = api("/api/network")
    assert page.locator("#network line").count() == len(net["edges"]) > 0
    assert page.locator("#network circle.node").count() == len(net["nodes"])


def test_phone_layout_has_no_horizontal_scroll(browser, server):
    ctx = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    pg = ctx.new_page()
    try:
        pg.goto(server + "/")
        wait_ready(pg)
        width = int(pg.evaluate("document.documentElement.scrollWidth"))
        assert width <= 391, width
        box = pg.locator("#map").bounding_box()
        assert box and box["width"] <= 390 and box["height"] > 200
        assert pg.locator("#side").bounding_box()["width"] <= 390
        pg.screenshot(path=str(_artifacts() / "phone.png"), full_page=True)
    finally:
        ctx.close()


def test_first_load_is_under_one_megabyte(browser, server):
    """Bytes on the wire (compressed) for the first dashboard load, measured by Chromium."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 800})
    pg = ctx.new_page()
    cdp = ctx.new_cdp_session(pg)
    cdp.send("Network.enable")
    sizes: dict[str, float] = {}
    cdp.on("Network.loadingFinished", lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
    try:
        pg.goto(server + "/")
        wait_ready(pg)
        pg.wait_for_load_state("networkidle")
    finally:
        ctx.close()
    total = sum(sizes.values())
    print(f"first dashboard load: {len(sizes)} requests, {total / 1024:.0f} KiB transferred")
    assert 0 < total < 1_000_000


def _artifacts():
    from pathlib import Path

    p = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
    p.mkdir(parents=True, exist_ok=True)
    return p


def test_clicking_a_timeline_bar_filters_to_that_month(page, server, api):
    page.goto(server + "/")
    wait_ready(page)
    bar = page.locator("#timeline rect.bar").first
    month = bar.get_attribute("data-date")
    bar.click()
    page.wait_for_url(re.compile(r"since=" + month))
    wait_ready(page)
    until = parse_qs(urlparse(page.url).query)["until"][0]
    assert until[:7] == month[:7] and until >= month
    expected = len(api("/api/map", since=month, until=until)["points"])
    page.wait_for_selector(f"#map[data-markers='{expected}']", state="attached")
