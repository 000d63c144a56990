"""What students install imports nothing of the grader: import-linter's contract in pyproject.toml."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .grading import ROOT, venv_env

LINT = str(Path(sys.executable).with_name("lint-imports"))


def test_the_learner_package_imports_nothing_of_the_grader():
    proc = subprocess.run([LINT], cwd=ROOT, capture_output=True, text=True, env=venv_env(), timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "1 kept, 0 broken" in proc.stdout


def test_the_contract_catches_an_import_of_nbgrader(tmp_path):
    """The same contract, on a copy of gdcourse with one forbidden import, is broken."""
    shutil.copytree(ROOT / "learner" / "gdcourse", tmp_path / "gdcourse",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "gdcourse" / "leak.py").write_text("def peek():\n    from nbgrader.api import Gradebook\n")
    contract = ROOT / "pyproject.toml"
    config = contract.read_text().split("[tool.importlinter]", 1)[1]
    (tmp_path / "pyproject.toml").write_text("[tool.importlinter]" + config.replace(
        'root_packages = ["gdcourse", "autograder", "course"]', 'root_packages = ["gdcourse"]'))
    env = dict(venv_env(), PYTHONPATH=str(tmp_path))
    proc = subprocess.run([LINT], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode != 0 and "BROKEN" in proc.stdout and "gdcourse.leak -> nbgrader" in proc.stdout, \
        proc.stdout[-3000:] + proc.stderr[-2000:]
