"""`course grade` as an instructor uses it: exit codes, summary, only new or changed work."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import time

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
    from autograder.run.status import grading_lock

    with grading_lock(course.root.resolve(), A, "course grade"):
        proc = course_grade(course, A)
    assert proc.returncode == 1
    assert f"another `course grade {A}` is running in this course (process {os.getpid()})" in proc.stderr
    after = course_grade(course, A)  # released: the next run goes ahead
    assert f"{A}: " in after.stdout and "another" not in after.stderr, after.stderr


def test_nbgrader_autograde_is_refused_while_course_grade_runs_and_deletes_nothing(course):
    from autograder.run.status import GRADING, StatusBook, grading_lock

    half_done = course.root / "autograded" / "zed" / A  # what a run in progress has written so far
    half_done.mkdir(parents=True)
    (half_done / "timestamp.txt").write_text("2026-12-01 10:00:00")
    StatusBook(course.root).write(A, "zed", GRADING)
    try:
        with grading_lock(course.root.resolve(), A, "course grade"):
            proc = course.nbgrader("autograde", A, check=False)
        assert proc.returncode == 1, proc.stdout + proc.stderr
        assert f"another `course grade {A}` is running in this course (process {os.getpid()})" in proc.stderr
        assert (half_done / "timestamp.txt").exists()  # the clean-up of killed runs did not take it for one
    finally:
        shutil.rmtree(half_done.parent)
        (course.root / "grading-status" / A / "zed.json").unlink()


def test_nbgrader_autograde_that_cannot_start_its_run_stops_instead_of_grading_half_configured(course):
    cache = course.root / ".grading-cache"
    cache.rename(course.root / "cache-aside")
    cache.write_text("not a folder")  # the lock cannot be made: the clean-up would raise mid-config
    try:
        proc = course.nbgrader("autograde", A, "--force", check=False)
    finally:
        cache.unlink()
        (course.root / "cache-aside").rename(cache)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert f"cannot start grading in {course.root.resolve()}" in proc.stderr
    # nbgrader did not log the failure and go on without the rest of the file (sandbox, preprocessors)
    assert "Exception while loading config file" not in proc.stderr and "Converting notebook" not in proc.stderr


def test_course_grade_is_refused_while_nbgrader_autograde_runs(course):
    from autograder.run.driver import grade_class
    from autograder.run.status import AlreadyGrading

    slow = nbformat.read(course.source_path(A), 4)
    first_solution = next(c for c in slow.cells if c.metadata.get("nbgrader", {}).get("solution"))
    first_solution.source = "import time\ntime.sleep(6)\n" + first_solution.source
    course.submit("dee", A, slow)
    lock = course.root / ".grading-cache" / f"grading-{A}.lock"
    autograde = subprocess.Popen([sys.executable, "-m", "nbgrader", "autograde", A, "--student", "dee"],
                                 cwd=course.root, env=venv_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 text=True)
    try:
        deadline = time.monotonic() + 60
        while not (lock.exists() and lock.read_text() == f"{autograde.pid} nbgrader autograde"):
            assert autograde.poll() is None and time.monotonic() < deadline, autograde.stdout.read()
            time.sleep(0.05)
        with pytest.raises(AlreadyGrading, match=f"another `nbgrader autograde {A}` is running in this course "
                                                 f"\\(process {autograde.pid}\\)"):
            grade_class(course.root, A)
        output, _ = autograde.communicate(timeout=120)  # reads the pipe: a full one would stall the run
        assert autograde.returncode == 0, output
    finally:
        autograde.kill()
    assert score(course, "dee") == max_points(A)  # the run that held the lock was not disturbed
