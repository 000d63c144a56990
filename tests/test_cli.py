"""The `course` command line, as the README's first command uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from .grading import ROOT


def run_course(cwd, *args):
    return subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_outside_a_course_says_where_to_run(tmp_path):
    proc = run_course(tmp_path, "scores")
    assert proc.returncode == 1
    assert "nbgrader_config.py" in proc.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_course(tmp_path, "no-such-command").returncode == 2
    assert run_course(tmp_path).returncode == 2
    assert run_course(tmp_path, "--help").returncode == 0


def test_scores_before_grading_explains(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    (tmp_path / "source").mkdir()
    proc = run_course(tmp_path, "scores")
    assert proc.returncode == 1 and "grade something first" in proc.stderr


def test_release_rejects_unknown_assignment(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    proc = run_course(tmp_path, "release", "99_nothing")
    assert proc.returncode == 1 and "unknown assignment" in proc.stderr


@pytest.mark.xdist_group("demo")
def test_demo_releases_grades_and_prints_the_sample_class(tmp_path):
    for name in ("nbgrader_config.py",):
        shutil.copy(ROOT / name, tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "__init__.py").touch()
    shutil.copytree(ROOT / "tests" / "mutants", tmp_path / "tests" / "mutants")  # cy's mistakes
    proc = run_course(tmp_path, "demo")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line[:3] in ("ada", "ben", "cy ")}
    assert set(lines) == {"ada", "ben", "cy"}
    totals = {s: line.split()[-3:] for s, line in lines.items()}  # "<score>", "/", "<max>"
    assert float(totals["ada"][0]) == float(totals["ada"][2]) > 0
    assert float(totals["ben"][0]) == 0
    assert 0 < float(totals["cy"][0]) < float(totals["cy"][2])
    for assignment in (ROOT / "release").iterdir():
        generated = tmp_path / "release" / assignment.name / f"{assignment.name}.ipynb"
        assert generated.read_text() == (assignment / f"{assignment.name}.ipynb").read_text()
