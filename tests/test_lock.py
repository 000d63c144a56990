"""The lock (deploy/grader-constraints.txt) pins what pyproject.toml pins, and every package the
grader needs at the version installed here: a fresh `make setup` gets the environment tested."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_the_lock_matches_pyproject_and_this_environment():
    proc = subprocess.run([sys.executable, str(ROOT / "deploy" / "lock.py"), "--check"], capture_output=True,
                          text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_the_check_fails_on_a_stale_lock(tmp_path, monkeypatch):
    sys.path.insert(0, str(ROOT / "deploy"))
    try:
        import lock
    finally:
        sys.path.remove(str(ROOT / "deploy"))
    stale = tmp_path / "constraints.txt"
    stale.write_text(lock.LOCK.read_text().replace("nbgrader==0.9.6", "nbgrader==0.9.5"))
    monkeypatch.setattr(lock, "LOCK", stale)
    found = lock.problems()
    assert "pyproject.toml pins nbgrader==0.9.6, the lock has 0.9.5" in found
    assert "nbgrader 0.9.6 is installed and needed, the lock has 0.9.5" in found
