"""scripts/with_postgres.sh: exports the URL, propagates the exit code, leaves nothing behind."""
from __future__ import annotations

import glob
import os
import shutil
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "with_postgres.sh"


def _has_server() -> bool:
    return bool(glob.glob("/usr/lib/postgresql/*/bin/initdb") or shutil.which("initdb"))


@pytest.mark.skipif(not _has_server(), reason="no PostgreSQL server binaries on this machine")
def test_with_postgres_runs_cmd_and_cleans_up():
    probe = ('python3 -c "import os,sys; u=os.environ[\'CONFLICTLENS_TEST_PG_URL\']; '
             'print(u); sys.exit(7)"')
    env = dict(os.environ)
    env.pop("CONFLICTLENS_TEST_PG_URL", None)
    res = subprocess.run([str(SCRIPT), "bash", "-c", probe], capture_output=True, text=True,
                         env=env, timeout=120)
    if "running without PostgreSQL" in res.stderr:
        pytest.skip(res.stderr.strip().splitlines()[-1])
    assert res.returncode == 7, res.stderr
    assert res.stdout.startswith("postgresql+psycopg://postgres@127.0.0.1:")
    # the script logs "... on 127.0.0.1:PORT (/tmp/conflictlens-pg.XXXXXX)"
    where = res.stderr.rsplit("(", 1)[-1].split(")")[0]
    assert "conflictlens-pg." in where
    assert not Path(where).exists(), "the cluster directory was not removed"


def test_with_postgres_needs_a_command():
    res = subprocess.run([str(SCRIPT)], capture_output=True, text=True, timeout=30)
    assert res.returncode == 2 and "usage" in res.stderr
