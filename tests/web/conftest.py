"""Fixtures for the dashboard tests: the real pipeline fills a database from samples/, a live
server serves it on 127.0.0.1, and Playwright drives the system's headless Chromium."""
from __future__ import annotations

import os
import shutil
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "test-artifacts" / "web"
CHROMIUM_ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def find_chromium() -> str | None:
    """The system Chromium; runs scripts/setup_system.sh once (as root) when it is missing."""
    env = os.environ.get("CONFLICTLENS_CHROMIUM")
    for cand in (env, "/usr/bin/chromium", shutil.which("chromium"),
                 shutil.which("chromium-browser")):
        if cand and Path(cand).exists():
            return cand
    setup = REPO / "scripts" / "setup_system.sh"
    if setup.exists() and hasattr(os, "geteuid") and os.geteuid() == 0:
        subprocess.run(["bash", str(setup)], check=False, timeout=900)
        path = shutil.which("chromium")
        if path:
            return path
    return None


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, fill_from_samples) -> str:
    """A SQLite database the real pipeline filled from the bundled samples."""
    url = f"sqlite:///{tmp_path_factory.mktemp('webdb') / 'samples.db'}"
    fill_from_samples(url)
    return url


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(sample_db):
    """Base URL of a live conflictlens server (uvicorn in a thread) on the sample database."""
    import uvicorn

    from conflictlens.api import ApiSettings, create_app

    port = _free_port()
    app = create_app(ApiSettings(db=sample_db))
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    t = threading.Thread(target=srv.run, daemon=True)
    t.start()
    deadline = time.time() + 20
    while not srv.started and time.time() < deadline:
        time.sleep(0.05)
    assert srv.started, "the test server did not start"
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    t.join(timeout=10)


@pytest.fixture(scope="session")
def browser():
    pw_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (dev extra)")
    exe = find_chromium()
    if exe is None:
        pytest.skip("no system Chromium (run scripts/setup_system.sh as root)")
    with pw_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, request):
    """A fresh page (laptop viewport); its console errors fail the test; screenshot at the end."""
    ctx = browser.new_context(viewport={"width": 1366, "height": 800}, bypass_csp=False)
    pg = ctx.new_page()
    errors: list[str] = []
    pg.on("pageerror", lambda e: errors.append(str(e)))
    pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    pg.set_default_timeout(15_000)
    yield pg
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    finally:
        ctx.close()
    assert not errors, errors


@pytest.fixture(scope="session")
def api(server):
    """GET a JSON endpoint of the live server."""
    import httpx

    with httpx.Client(base_url=server, timeout=10, trust_env=False) as c:
        yield lambda path, **params: c.get(path, params=params).raise_for_status().json()
