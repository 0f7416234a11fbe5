"""Fixtures for the robustness corpus.

Small bad inputs are committed under ``corpus/`` (see ``corpus/README.md``);
the big ones (a 20 MB text, 6,000 nested divs) are generated once per session
in a temporary directory so that they never enter the repository.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

CORPUS = Path(__file__).resolve().parent / "corpus"
REPO = Path(__file__).resolve().parents[2]
NESTING = 6000


@dataclass
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    @property
    def error_lines(self) -> list[str]:
        return [ln for ln in self.stderr.splitlines() if ln.startswith("error[")]

    @property
    def error_codes(self) -> list[str]:
        return [ln[len("error["):ln.index("]")] for ln in self.error_lines]

    def documents(self) -> list[dict]:
        """stdout parsed as one JSON object or JSON Lines."""
        text = self.stdout.strip()
        if not text:
            return []
        try:
            return [json.loads(text)]
        except json.JSONDecodeError:
            return [json.loads(ln) for ln in text.splitlines() if ln.strip()]


def _run_cli(*args: str, timeout: float = 180) -> CliResult:
    env = dict(os.environ)
    env.setdefault("PYTHONIOENCODING", "utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "conflictlens.cli.main", "extract", *args],
        cwd=REPO, env=env, capture_output=True, text=True, encoding="utf-8", errors="replace",
        timeout=timeout,
    )
    return CliResult(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def pipeline_ready() -> None:
    """Skip (with the reason) while the default pipeline cannot be built yet."""
    try:
        from conflictlens.pipeline import get_pipeline

        get_pipeline()
    except Exception as exc:  # noqa: BLE001 - the extractor is written in parallel
        pytest.skip(f"default pipeline cannot be built yet: {type(exc).__name__}: {exc}")


@pytest.fixture(scope="session")
def run_cli(pipeline_ready):
    """Call ``python -m conflictlens.cli.main extract ARGS...`` and capture the result."""
    return _run_cli


@pytest.fixture(scope="session")
def corpus() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def big_text(tmp_path_factory) -> Path:
    """A 20 MB plain-text 'article' (over the default 10 MB limit: E006)."""
    path = tmp_path_factory.mktemp("big") / "big-20mb.txt"
    para = ("KABUL, Afghanistan — A roadside bomb struck a vehicle on Monday, killing two people, "
            "police said. The attack was not claimed. ") * 20 + "\n\n"
    block = para.encode("utf-8")
    target = 20 * 1024 * 1024
    with open(path, "wb") as fh:
        written = 0
        while written < target:
            fh.write(block)
            written += len(block)
    return path


@pytest.fixture(scope="session")
def nested_html(tmp_path_factory) -> Path:
    """An HTML page whose article paragraph sits inside 6,000 nested <div>s."""
    path = tmp_path_factory.mktemp("nested") / "nested-6000.html"
    inner = ("<p>MOGADISHU, Somalia — A car bomb exploded near a military base in Mogadishu on Sunday, "
             "killing three soldiers, officials said.</p>")
    html = ("<!DOCTYPE html><html><head><title>Deeply nested page</title></head><body>"
            + "<div>" * NESTING + inner + "</div>" * NESTING + "</body></html>")
    path.write_text(html, encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def batch_dir(tmp_path_factory, corpus: Path, big_text: Path, nested_html: Path) -> Path:
    """A directory with every robustness case plus the two good articles."""
    d = tmp_path_factory.mktemp("batch")
    for p in corpus.iterdir():
        if p.name != "README.md":
            shutil.copy(p, d / p.name)
    shutil.copy(big_text, d / big_text.name)
    shutil.copy(nested_html, d / nested_html.name)
    return d
