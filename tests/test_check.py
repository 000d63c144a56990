"""`course check`: a self-study reader's notebook, judged by the grader's sandbox and verdicts."""

from __future__ import annotations

import subprocess
import sys

import nbformat
import pytest

from autograder.run.check import check_notebook
from content.mutants import all_mutants
from .grading import ROOT, max_points, replace_cell, points_by_test_cell, venv_env

pytestmark = pytest.mark.xdist_group("check")

A = "01_one_variable"
SOURCE = ROOT / "source" / A / f"{A}.ipynb"
RELEASE = ROOT / "release" / A / f"{A}.ipynb"


def course_check(path, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.cli", "check", str(path)], cwd=cwd,
                          capture_output=True, text=True, env=venv_env(), timeout=300)


def filled_in(tmp_path, name: str, nb) -> str:
    path = tmp_path / name
    nbformat.write(nb, path)
    return path


def test_a_correct_notebook_passes_every_exercise(tmp_path):
    proc = course_check(filled_in(tmp_path, "my work.ipynb", nbformat.read(SOURCE, 4)), cwd=tmp_path)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout.startswith(f"{A}: {max_points(A):g} / {max_points(A):g} points")
    assert proc.stdout.count("✓") == len(points_by_test_cell(A)) and "✗" not in proc.stdout


def test_an_unfinished_notebook_fails_with_exit_1(tmp_path):
    proc = course_check(RELEASE)
    assert proc.returncode == 1
    assert proc.stdout.count("is not implemented yet") + proc.stdout.count("has no answer yet") == \
        len(points_by_test_cell(A))
    assert "Cells of yours that raised" not in proc.stdout  # demo cells failing because of it are not noise


def test_a_mistake_is_named_without_the_expected_value(tmp_path):
    mutant = next(m for m in all_mutants()[A] if m.cell == "gd_step" and "uphill" in m.says)
    nb = replace_cell(nbformat.read(SOURCE, 4), mutant.cell, mutant.source)
    report = check_notebook(filled_in(tmp_path, f"{A}.ipynb", nb), ROOT)
    failed = [e for e in report.exercises if not e.passed]
    assert [e.grade_id for e in failed] == ["test_gd_step"] and not report.all_passed
    assert "uphill" in failed[0].message
    text = report.render()
    assert text.count("✓") == len(points_by_test_cell(A)) - 1
    assert "expected" not in text.lower()


def test_a_cell_that_does_not_run_is_named(tmp_path):
    nb = replace_cell(nbformat.read(SOURCE, 4), "dJ", "def dJ(theta)\n    return 2 * theta")
    report = check_notebook(filled_in(tmp_path, f"{A}.ipynb", nb), ROOT)
    assert any("(dJ): SyntaxError" in error for error in report.errors), report.errors


@pytest.mark.parametrize("content, says", [(b"{not json", "is not valid JSON"), (b"", "is empty")])
def test_a_broken_file_cannot_be_checked_exit_3(tmp_path, content, says):
    path = tmp_path / f"{A}.ipynb"
    path.write_bytes(content)
    proc = course_check(path)
    assert proc.returncode == 3 and says in proc.stderr
