"""`conflictlens serve`: starts the real server process; refuses a missing database cleanly."""
from __future__ import annotations

import socket
import subprocess
import sys
import time

import httpx
import pytest


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.network
def test_serve_command_serves_api_and_dashboard(db_copy):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "conflictlens", "serve", "--db", db_copy,
                             "--port", str(port), "--log-level", "warning"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.time() + 60
        while True:
            try:
                if httpx.get(base + "/healthz", trust_env=False).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert proc.poll() is None, proc.communicate()[1]
            assert time.time() < deadline, "server did not start"
            time.sleep(0.2)
        stats = httpx.get(base + "/api/stats", trust_env=False).json()
        assert stats["articles"] == 7 and stats["events"] > 0
        page = httpx.get(base + "/", trust_env=False)
        assert page.status_code == 200 and "conflictlens" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            proc.kill()


def test_serve_refuses_a_missing_database(tmp_path):
    r = subprocess.run([sys.executable, "-m", "conflictlens", "serve", "--db",
                        str(tmp_path / "missing.db")], capture_output=True, text=True, timeout=60)
    assert r.returncode == 1
    assert r.stderr.startswith("error[E603]")
    assert "Traceback" not in r.stderr
