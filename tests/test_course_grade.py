"""`course grade` as an instructor uses it: exit codes, summary, only new or changed work."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys

import nbformat
import pytest
from nbgrader.api import Gradebook

from .grading import Course, max_points, venv_env

pytestmark = pytest.mark.xdist_group("course-grade")

A = "01_one_variable"


def course_grade(course: Course, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.cli", "grade", *args], cwd=course.root,
                          capture_output=True, text=True, env=venv_env(), timeout=600)


def score(course: Course, student: str) -> float:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        return gb.find_submission(A, student).score


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("course-grade"))
    course.configure("c.SandboxedKernelManager.sandbox_uid = 61200")
    course.generate(A)
    course.submit("ada", A, nbformat.read(course.source_path(A), 4))
    course.submit("ben", A, nbformat.read(course.release_path(A), 4))
    course.submit("cy", A, b"")
    return course


def test_first_run_grades_everyone_and_reports_failures(course):
    proc = course_grade(course, A)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"{A}: 2 graded, 0 need manual grading, 1 failed, 0 unchanged" in proc.stdout
    assert "failed                cy: 01_one_variable.ipynb is empty" in proc.stdout
    assert "Warning" not in proc.stderr, proc.stderr  # e.g. SQLAlchemy's, about nbgrader's new submissions
    assert score(course, "ada") == max_points(A) and score(course, "ben") == 0
    # the run's write-ahead log is folded back: one self-contained gradebook file, as before
    assert sqlite3.connect(course.root / "gradebook.db").execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert not (course.root / "gradebook.db-wal").exists()


def test_a_rerun_grades_only_what_changed(course):
    course.submit("ben", A, nbformat.read(course.source_path(A), 4))  # ben hands in again
    course.submit("cy", A, nbformat.read(course.source_path(A), 4))
    proc = course_grade(course, A)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"{A}: 2 graded, 0 need manual grading, 0 failed, 1 unchanged (skipped)" in proc.stdout
    assert score(course, "ben") == max_points(A) and score(course, "cy") == max_points(A)
    again = course_grade(course, A, "--student", "ada", "--force")
    assert f"{A}: 1 graded" in again.stdout and again.returncode == 0


def test_usage_errors(course):
    assert course_grade(course).returncode == 2
    unknown = course_grade(course, "99_nothing")
    assert unknown.returncode == 1 and "unknown assignment '99_nothing'" in unknown.stderr


def test_course_export_writes_the_status_column_and_a_summary(course):
    proc = subprocess.run([sys.executable, "-m", "course.cli", "export", "--to", "out.csv"], cwd=course.root,
                          capture_output=True, text=True, env=venv_env(), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "out.csv: 3 rows (3 graded)" in proc.stdout
    header = (course.root / "out.csv").read_text().splitlines()[0].split(",")
    assert "status" in header and "test_gd_step" in header


def test_a_second_run_of_the_same_assignment_is_refused_while_one_runs(course):
    from autograder.engine import _only_run_of

    with _only_run_of(course.root.resolve(), A):
        proc = course_grade(course, A)
    assert proc.returncode == 1
    assert f"another `course grade {A}` is running in this course (process {os.getpid()})" in proc.stderr
    after = course_grade(course, A)  # released: the next run goes ahead
    assert f"{A}: " in after.stdout and "another" not in after.stderr, after.stderr
