import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SHARED = ROOT.parent / "shared"
SAMPLE = SHARED / "samples" / "dw-2024-07-01-pakistan-azm-e-istehkam.txt"


@pytest.fixture(scope="session")
def sample_text() -> str:
    if not SAMPLE.is_file():
        pytest.skip("../shared/samples is not beside the repository")
    return SAMPLE.read_text("utf-8")


def run_cli(*args: str, stdin: bytes | None = None, cwd: Path | None = None):
    import subprocess

    r = subprocess.run([sys.executable, "-m", "conflictlens", *args], input=stdin, capture_output=True,
                       cwd=cwd or ROOT, timeout=180)
    return subprocess.CompletedProcess(r.args, r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8"))


@pytest.fixture
def cli():
    return run_cli
