"""`conflictlens watch` as a process: a watched folder, SIGTERM shutdown, restart without repeats."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conflictlens.store import Store

from watch_helpers import REPORTS

REPO = Path(__file__).resolve().parents[2]
CONFIG = ('[pipeline]\nstages = ["ingest.clean", "nlp.spacy", "events.rules", "geo.gazetteer", '
          '"events.finalise"]\n[stages."nlp.spacy"]\nblank = true\n')


def _cmd(*args: str) -> list[str]:
    return [sys.executable, "-m", "conflictlens.cli.main", "watch", *args]


def _drop(path: Path, key: str) -> None:
    """Write one report as a one-line JSONL file (it carries the publication date), settled."""
    title, day, text = REPORTS[key]
    path.write_text(json.dumps({"id": key, "published": day, "title": title, "text": text}) + "\n",
                    encoding="utf-8")
    os.utime(path, (time.time() - 5, time.time() - 5))


def _sources(db: str) -> int:
    s = Store(db, create=False)
    try:
        return s.counts()["sources"]
    finally:
        s.close()


def test_watch_folder_sigterm_and_restart(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    db = f"sqlite:///{tmp_path / 'w.db'}"
    cfg = tmp_path / "fast.toml"
    cfg.write_text(CONFIG, encoding="utf-8")
    rules = tmp_path / "alerts.yml"
    rules.write_text("rules:\n  - name: toll\n    kind: fatalities\n    min_fatalities: 5\n", encoding="utf-8")
    alerts = tmp_path / "alerts.jsonl"
    args = [str(inbox), "--db", db, "--config", str(cfg), "--rules", str(rules),
            "--alerts-jsonl", str(alerts), "--interval", "0.3"]
    env = dict(os.environ, PYTHONPATH=str(REPO))
    Store(db).close()
    _drop(inbox / "quetta.jsonl", "quetta")
    proc = subprocess.Popen(_cmd(*args), cwd=REPO, env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.time() + 90
        while time.time() < deadline and proc.poll() is None and _sources(db) < 1:
            time.sleep(0.2)
        assert _sources(db) == 1
        # a second file arrives while the watcher runs
        (inbox / "more").mkdir()
        _drop(inbox / "more" / "bannu.jsonl", "bannu")
        while time.time() < deadline and proc.poll() is None and _sources(db) < 2:
            time.sleep(0.2)
        assert _sources(db) == 2
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err[-2000:]
    assert "SIGTERM received" in err
    fired = [json.loads(x) for x in alerts.read_text("utf-8").splitlines()]
    assert len(fired) == 2 and {a["event"]["location"] for a in fired} == {"Quetta", "Bannu"}
    assert out.count("ALERT [toll]") == 2
    # restart: nothing new to ingest, nothing fired again
    again = subprocess.run(_cmd(*args, "--once"), cwd=REPO, env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0, again.stderr[-2000:]
    assert "0 new item(s)" in again.stderr and "ALERT" not in again.stdout
    assert len(alerts.read_text("utf-8").splitlines()) == 2 and _sources(db) == 2


def test_watch_bad_rules_file_is_a_numbered_error(tmp_path):
    rules = tmp_path / "r.yml"
    rules.write_text("rules:\n  - kind: tsunami\n", encoding="utf-8")
    res = subprocess.run(_cmd(str(tmp_path), "--rules", str(rules), "--once", "--db",
                              f"sqlite:///{tmp_path / 'x.db'}"),
                         cwd=REPO, env=dict(os.environ, PYTHONPATH=str(REPO)), capture_output=True,
                         text=True, timeout=120)
    assert res.returncode != 0 and "error[E806]" in res.stderr and "Traceback" not in res.stderr
