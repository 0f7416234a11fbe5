"""RSS/Atom feeds as ingest inputs (local files; no network)."""
from __future__ import annotations

from conflictlens.ingest.feeds import is_feed, iter_feed
from conflictlens.schema import Failure

LONG = ("QUETTA - Gunmen attacked a police checkpoint in Turbat on Tuesday, killing four policemen, "
        "officials said. The attackers escaped on motorcycles and a search operation was launched "
        "in the surrounding area. Police said the checkpoint had been attacked twice this year, and "
        "that reinforcements had been sent from the district headquarters. No group has claimed "
        "responsibility for the attack so far, the officials added on condition of anonymity.")

RSS = f"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">
<channel><title>Example wire</title><link>https://news.example/</link><description>d</description>
<item><title>Checkpoint attacked in Turbat</title><guid>tag:news.example,2024:1</guid>
<pubDate>Wed, 01 May 2024 08:00:00 GMT</pubDate>
<content:encoded><![CDATA[<p>{LONG}</p>]]></content:encoded></item>
<item><title>Empty entry</title><guid>tag:news.example,2024:2</guid></item>
</channel></rss>"""


def test_is_feed():
    assert is_feed("feed:https://x.example/world") and is_feed("news.rss") and is_feed("a/b.atom")
    assert is_feed("https://x.example/feed.xml?x=1")
    assert not is_feed("article.txt") and not is_feed("https://x.example/a.html")


def test_feed_entries_become_inputs(tmp_path):
    p = tmp_path / "wire.rss"
    p.write_text(RSS, encoding="utf-8")
    items = list(iter_feed(str(p), {}))
    assert len(items) == 2
    raw, bad = items
    assert not isinstance(raw, Failure)
    assert raw.title == "Checkpoint attacked in Turbat" and raw.kind == "text"
    assert raw.content.startswith("QUETTA - Gunmen") and "<p>" not in raw.content
    assert raw.published.isoformat() == "2024-05-01" and "Turbat" in raw.content
    assert isinstance(bad, Failure) and bad.code == "E009"


def test_missing_feed_is_a_failure(tmp_path):
    items = list(iter_feed(f"feed:{tmp_path / 'nope.xml'}", {}))
    assert len(items) == 1 and items[0].code == "E001"


def test_ingest_a_feed(store, tmp_path):
    from conflictlens.pipeline import load_config
    from conflictlens.store.ingest import ingest

    p = tmp_path / "wire.rss"
    p.write_text(RSS, encoding="utf-8")
    cfg = load_config(None, {"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules"]},
                             "stages": {"nlp.spacy": {"blank": True}}})
    rep = ingest([str(p)], store, cfg)
    assert (rep.stored, rep.failed) == (1, 1)
    assert ingest([str(p)], store, cfg).stored == 0
