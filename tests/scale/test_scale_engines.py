"""Engines: the dask engine stores exactly what the local engine stores; killed workers; inputs."""
from __future__ import annotations

import os
import signal
import socket
from collections import Counter

import pytest
from sqlalchemy import func, select

from conflictlens.engines import get_engine
from conflictlens.engines.inputs import count_corpus, iter_corpus
from conflictlens.errors import ConflictLensError
from conflictlens.store import Store
from conflictlens.store import models as M

from scale_helpers import dump_tables, synthetic_article, write_jsonl

pytest.importorskip("distributed")


def _ingest(engine, specs, url, config):
    store = Store(url)
    try:
        with engine:
            return engine.ingest(specs, store, config)
    finally:
        store.close()


def test_dask_and_local_store_identical_tables_on_100_articles(corpus_100, tmp_path):
    """The real default pipeline (spaCy model when installed) on 100 articles, both engines."""
    from conflictlens.pipeline import load_config

    cfg = load_config()
    assert count_corpus(corpus_100) == 100
    local_url = f"sqlite:///{tmp_path / 'local.db'}"
    dask_url = f"sqlite:///{tmp_path / 'dask.db'}"
    rep_l = _ingest(get_engine("local"), corpus_100, local_url, cfg)
    # two worker threads, a small window: results come back out of order and the
    # writer must still store them in input order
    rep_d = _ingest(get_engine("dask", workers=2, processes=False, window=3, batch=2), corpus_100, dask_url, cfg)
    assert rep_l.seen == rep_d.seen == 100
    assert (rep_l.stored, rep_l.failed, rep_l.mentions) == (rep_d.stored, rep_d.failed, rep_d.mentions)
    local, dask = dump_tables(local_url), dump_tables(dask_url)
    assert len(local["events"]) > 30 and len(local["event_mentions"]) > len(local["events"]), \
        "the corpus should produce events, some merged across outlets"
    for table in local:
        assert local[table] == dask[table], f"table {table} differs between the engines"


def test_dask_matches_local_and_reruns_add_nothing(db_pair, tmp_path, fast_config):
    """On SQLite and PostgreSQL: same tables as the local engine; a second run stores nothing."""
    corpus = write_jsonl(tmp_path / "c.jsonl", [synthetic_article(i) for i in range(30)])
    local_url, dask_url = db_pair
    _ingest(get_engine("local"), [str(corpus)], local_url, fast_config)
    first = _ingest(get_engine("dask", workers=2, processes=False, window=4), [str(corpus)], dask_url,
                    fast_config)
    again = _ingest(get_engine("dask", workers=1, processes=False), [str(corpus)], dask_url, fast_config)
    assert first.stored == 30 and again.stored == 0 and again.skipped == 30
    assert dump_tables(local_url) == dump_tables(dask_url)


def test_killed_worker_run_completes_with_every_article_once(tmp_path, fast_config):
    """SIGKILL one of two worker processes mid-run: the nanny restarts it, Dask reschedules."""
    n = 120
    recs = [synthetic_article(i) for i in range(n)]
    for r in recs:  # longer articles: each task takes long enough to be in flight
        r["text"] += " " + " ".join(f"Witness {k} described the scene to reporters." for k in range(60))
    corpus = write_jsonl(tmp_path / "k.jsonl", recs)
    url = f"sqlite:///{tmp_path / 'k.db'}"
    engine = get_engine("dask", workers=2, processes=True, window=8)
    killed: list[int] = []
    written = [0]

    def advance(k=1):
        written[0] += k
        if written[0] == 20 and not killed:
            pids = engine.client.run(os.getpid)  # {worker address: pid}
            pid = sorted(pids.values())[0]
            os.kill(pid, signal.SIGKILL)
            killed.append(pid)

    store = Store(url)
    try:
        with engine:
            rep = engine.ingest([str(corpus)], store, fast_config, advance=advance)
    finally:
        store.close()
    assert killed, "the worker was never killed"
    assert rep.seen == n and rep.failed == 0, [f.message for f in rep.failures]
    s = Store(url, create=False)
    with s.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(M.sources.c.id))]
        orphans = conn.execute(select(func.count()).select_from(M.event_mentions)
                               .where(M.event_mentions.c.event_id.is_(None))).scalar_one()
        mentions = Counter(r[0] for r in conn.execute(select(M.event_mentions.c.source_id)))
        per_source = dict(conn.execute(select(M.sources.c.id, M.sources.c.n_events)).all())
    s.close()
    assert sorted(ids) == sorted(r["id"] for r in recs)
    assert orphans == 0
    assert all(mentions.get(sid, 0) == k for sid, k in per_source.items())


def test_parquet_corpus_and_url_list_match_jsonl(tmp_path, fast_config):
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    recs = [synthetic_article(i) for i in range(9)]
    jsonl = write_jsonl(tmp_path / "c.jsonl", recs)
    pq.write_table(pa.Table.from_pylist(recs), tmp_path / "c.parquet")
    listing = tmp_path / "inputs.txt"
    listing.write_text(f"# one input per line\n{tmp_path / 'c.parquet'}\n\n", encoding="utf-8")
    url_j, url_p = f"sqlite:///{tmp_path / 'j.db'}", f"sqlite:///{tmp_path / 'p.db'}"
    _ingest(get_engine("local"), [str(jsonl)], url_j, fast_config)
    rep = _ingest(get_engine("dask", workers=1, processes=False), [f"@{listing}"], url_p, fast_config)
    assert rep.stored == 9
    a, b = dump_tables(url_j), dump_tables(url_p)
    assert a["events"] == b["events"]
    # the input names differ (file:line vs file#row); the stored articles do not
    strip = lambda rows: [r[:3] + r[4:] for r in rows]  # noqa: E731 - drop input_name (4th column)
    assert strip(a["sources"]) == strip(b["sources"])


def test_bad_parquet_is_a_failure_not_a_crash(tmp_path, fast_config):
    pytest.importorskip("pyarrow")
    bad = tmp_path / "bad.parquet"
    bad.write_bytes(b"not parquet at all")
    items = list(iter_corpus([str(bad)], fast_config))
    assert len(items) == 1 and items[0].code == "E805"


def test_unknown_engine_and_unreachable_scheduler(tmp_path, fast_config):
    with pytest.raises(ConflictLensError) as exc:
        get_engine("spark")
    assert exc.value.code == "E802"
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    eng = get_engine("dask", scheduler=f"tcp://127.0.0.1:{port}", connect_timeout=2)
    with pytest.raises(ConflictLensError) as exc:
        _ingest(eng, [str(write_jsonl(tmp_path / "x.jsonl", [synthetic_article(0)]))],
                f"sqlite:///{tmp_path / 'x.db'}", fast_config)
    assert exc.value.code == "E803"


def test_cli_ingest_engine_option(tmp_path):
    """`conflictlens ingest --engine dask` (a LocalCluster of worker processes) as a user runs it."""
    import subprocess
    import sys

    from scale_helpers import REPO, SAMPLES

    if not SAMPLES.is_dir():
        pytest.skip("bundled samples are absent")
    cfg = tmp_path / "fast.toml"
    cfg.write_text('[pipeline]\nstages = ["ingest.clean", "nlp.spacy", "events.rules", "geo.gazetteer"]\n'
                   '[stages."nlp.spacy"]\nblank = true\n', encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO))
    urls = {}
    for engine in ("local", "dask"):
        urls[engine] = f"sqlite:///{tmp_path / (engine + '.db')}"
        res = subprocess.run([sys.executable, "-m", "conflictlens.cli.main", "ingest", str(SAMPLES),
                              "--db", urls[engine], "--engine", engine, "--workers", "1",
                              "--config", str(cfg)], cwd=REPO, env=env, capture_output=True,
                             text=True, timeout=180)
        assert res.returncode == 0, res.stderr[-2000:]
        assert "stored" in res.stderr
    assert dump_tables(urls["local"]) == dump_tables(urls["dask"])
    bad = subprocess.run([sys.executable, "-m", "conflictlens.cli.main", "ingest", str(SAMPLES),
                          "--db", urls["local"], "--engine", "spark"], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "error[E802]" in bad.stderr and "Traceback" not in bad.stderr
