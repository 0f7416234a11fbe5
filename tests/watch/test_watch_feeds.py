"""Watch against a feed server on 127.0.0.1: new items once, alerts once, restarts, broken feeds."""
from __future__ import annotations

import json

import pytest

from conflictlens.store import Store
from conflictlens.watch import Watcher
from conflictlens.watch.rules import rules_from_data
from conflictlens.watch.sinks import JsonlSink, WebhookSink

from watch_helpers import rss

RULES = [
    {"name": "pak-toll", "kind": "fatalities", "country": "Pakistan", "min_fatalities": 10,
     "window_days": 7},
    {"name": "kp-blasts", "kind": "event_type", "types": ["Explosions/Remote violence"],
     "bbox": [69.0, 31.0, 73.5, 36.0]},
    {"name": "new-actor", "kind": "new_actor"},
]


def make_watcher(url, db_url, config, server, alerts_path, **kw):
    store = Store(db_url)
    w = Watcher([url], store, config, rules=rules_from_data({"rules": RULES}),
                sinks=[JsonlSink(alerts_path), WebhookSink(server.url("/hook"))],
                min_host_interval=0.0, settle_s=0.0, **kw)
    return w, store


def by_rule(alerts):
    out: dict[str, list[str]] = {}
    for a in alerts:
        out.setdefault(a["rule"], []).append(a["key"])
    return out


def test_feed_that_changes_between_polls(server, db_url, fast_config, tmp_path):
    feed = "/world.rss"
    server.routes[feed] = (200, rss(["quetta", "bannu"]), "application/rss+xml")
    alerts_path = tmp_path / "alerts.jsonl"
    w, store = make_watcher(server.url(feed), db_url, fast_config, server, alerts_path)

    first = w.poll_once()
    assert (first.items, first.stored, first.failed) == (2, 2, 0), first.errors
    rules1 = by_rule(first.alerts)
    assert len(rules1["pak-toll"]) == 1  # 7 + 6 killed in one week: over 10 once
    assert first.alerts[0]["details"]["total_fatalities"] >= 10
    assert len(rules1["kp-blasts"]) == 1  # the Bannu blast is in the box; Quetta is not
    blast = next(a for a in first.alerts if a["rule"] == "kp-blasts")
    assert blast["event"]["location"] == "Bannu" and blast["evidence"] and blast["sources"]
    assert any("seven policemen" in e["text"] or "six people" in e["text"]
               for a in first.alerts for e in a["evidence"])

    # unchanged feed: the conditional GET gets a 304 and nothing happens
    second = w.poll_once()
    assert (second.items, len(second.alerts)) == (0, 0)
    assert server.gets(feed)[-1].get("If-None-Match"), "the second poll was not conditional"

    # the feed gains one item
    server.routes[feed] = (200, rss(["quetta", "bannu", "zhob"]), "application/rss+xml")
    third = w.poll_once()
    assert (third.items, third.stored) == (1, 1)
    rules3 = by_rule(third.alerts)
    assert "pak-toll" not in rules3  # the same week's surge already fired
    assert "kp-blasts" not in rules3  # a clash, not a blast
    w.close()
    store.close()

    # restart on the same database, with a feed whose bytes changed (items reordered):
    # a 200 response, yet no item is ingested again and no alert repeats
    server.routes[feed] = (200, rss(["zhob", "bannu", "quetta"], title="Reordered"), "application/rss+xml")
    w2, store2 = make_watcher(server.url(feed), db_url, fast_config, server, alerts_path)
    again = w2.poll_once()
    assert (again.items, len(again.alerts), again.errors) == (0, 0, [])
    assert store2.counts()["sources"] == 3
    w2.close()
    store2.close()

    fired = [json.loads(line) for line in alerts_path.read_text("utf-8").splitlines()]
    keys = [a["key"] for a in fired]
    assert len(keys) == len(set(keys)) == len(first.alerts) + len(third.alerts)
    assert [a["key"] for a in server.posted] == keys  # the webhook got the same alerts


def test_broken_feeds_are_reported_and_skipped(server, db_url, fast_config):
    server.routes["/down.rss"] = (500, b"internal error", "text/plain")
    server.routes["/broken.rss"] = (200, b"\x00\x01<<< this is not XML", "application/rss+xml")
    server.routes["/page.xml"] = (200, b"<html><body><p>Not a feed</p></body></html>", "text/html")
    server.routes["/huge.rss"] = (200, b"<rss>" + b" " * 300_000 + b"</rss>", "application/rss+xml")
    server.routes["/good.rss"] = (200, rss(["quetta", "zhob"]), "application/rss+xml")
    targets = [server.url(p) for p in ("/down.rss", "/broken.rss", "/page.xml", "/huge.rss", "/good.rss")]
    store = Store(db_url)
    seen_errors: list[str] = []
    w = Watcher(targets, store, fast_config, min_host_interval=0.0, max_bytes=100_000,
                on_error=seen_errors.append)
    for cycle in range(2):  # broken feeds are retried at the next poll and fail the same way
        rep = w.poll_once()
        codes = sorted(line.split("]")[0].split("[")[1] for line in rep.errors)
        assert codes == ["E807", "E808", "E809", "E809"], rep.errors
        assert rep.stored == (2 if cycle == 0 else 0)
    assert len(seen_errors) == 8
    assert store.counts()["sources"] == 2
    w.close()
    store.close()


def test_rate_limit_spaces_requests_to_one_host():
    from conflictlens.watch.fetch import HostRateLimiter

    now = [100.0]
    slept: list[float] = []

    def sleep(s):
        slept.append(s)
        now[0] += s

    lim = HostRateLimiter(2.0, sleep=sleep, clock=lambda: now[0])
    lim.wait("http://a.example/1")
    lim.wait("http://a.example/2")  # same host: waits 2 s
    lim.wait("http://b.example/1")  # another host: no wait
    now[0] += 0.5
    lim.wait("http://a.example/3")  # 0.5 s later than allowed minus... waits the rest
    assert slept == [pytest.approx(2.0), pytest.approx(1.5)]


def test_short_entries_fetch_their_linked_page_once(server, db_url, fast_config):
    """An entry with only a teaser: the linked page is fetched (politely), once across polls."""
    from watch_helpers import REPORTS

    title, _day, text = REPORTS["zhob"]
    page = (f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>"
            + "".join(f"<p>{p}.</p>" for p in text.split(". ")) + "</article></body></html>")
    server.routes["/news/zhob.html"] = (200, page.encode(), "text/html")

    def feed(version: str) -> bytes:
        return (f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Desk {version}</title>"
                f"<link>{server.base}/</link><description>d</description><item><title>{title}</title>"
                f"<link>{server.url('/news/zhob.html')}</link><description>Four soldiers killed.</description>"
                f"<pubDate>Wed, 08 May 2024 10:00:00 GMT</pubDate></item></channel></rss>").encode()

    server.routes["/teasers.rss"] = (200, feed("v1"), "application/rss+xml")
    store = Store(db_url)
    w = Watcher([server.url("/teasers.rss")], store, fast_config, min_host_interval=0.0)
    rep = w.poll_once()
    assert (rep.items, rep.stored) == (1, 1), rep.errors
    server.routes["/teasers.rss"] = (200, feed("v2"), "application/rss+xml")  # a 200, same entry
    assert w.poll_once().items == 0
    assert len(server.gets("/news/zhob.html")) == 1
    assert store.counts()["sources"] == 1
    w.close()
    store.close()


def test_failing_webhook_is_reported_and_other_sinks_still_get_the_alert(server, db_url, fast_config,
                                                                         tmp_path):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        dead = f"http://127.0.0.1:{s.getsockname()[1]}/hook"
    server.routes["/one.rss"] = (200, rss(["bannu"]), "application/rss+xml")
    store = Store(db_url)
    out = tmp_path / "a.jsonl"
    w = Watcher([server.url("/one.rss")], store, fast_config, min_host_interval=0.0,
                rules=rules_from_data([{"name": "any", "kind": "event_type",
                                        "types": ["Explosions/Remote violence"]}]),
                sinks=[WebhookSink(dead, timeout=2), JsonlSink(out)])
    rep = w.poll_once()
    assert len(rep.alerts) == 1
    assert any(line.startswith("error[E811]") for line in rep.errors)
    assert len(out.read_text("utf-8").splitlines()) == 1
    w.close()
    store.close()
