"""Broken and tampered submissions: each gets a status that says what happened, never a silent 0.

One class of 01_one_variable, graded once by the real `nbgrader autograde`, exported
with `nbgrader export` (the status column comes from autograder/run/export.py).
"""

from __future__ import annotations

import copy
import csv

import nbformat
import pytest

from .grading import Course

pytestmark = pytest.mark.xdist_group("broken-input")

A, OTHER = "01_one_variable", "02_partial_derivatives"


def indexes_of_tests(nb):
    return [i for i, c in enumerate(nb.cells)
            if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]


def tampered(nb, how: str):
    nb = copy.deepcopy(nb)
    tests = indexes_of_tests(nb)
    if how == "tests_as_markdown":
        for i in tests:
            nb.cells[i] = nbformat.v4.new_markdown_cell(nb.cells[i].source, metadata=nb.cells[i].metadata)
    elif how == "tests_deleted":
        nb.cells = [c for i, c in enumerate(nb.cells) if i not in tests]
    elif how == "tests_emptied":
        for i in tests:
            nb.cells[i].source = "pass"
    elif how == "tests_duplicated":
        for i in reversed(tests):
            twin = copy.deepcopy(nb.cells[i])
            twin.id = f"{twin.id}-twin"
            nb.cells.insert(i, twin)
    elif how == "first_test_before_its_solution":
        first = tests[0]
        nb.cells.insert(first - 1, nb.cells.pop(first))
    return nb


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("broken"))
    release = nbformat.read(course.generate(A), 4)
    other = nbformat.read(course.generate(OTHER), 4)
    source = nbformat.read(course.source_path(A), 4)
    course.submit("solution", A, source)
    course.submit("malformed_json", A, b'{"cells": [{"cell_type": "code", "source": ')
    course.submit("not_utf8", A, b"\xff\xfe\x00\x9c garbage")
    course.submit("empty_file", A, b"")
    course.submit("json_not_a_notebook", A, b'{"answer": 42}')
    course.submit("wrong_assignment", A, other)
    folder = course.root / "submitted" / "misnamed_notebook" / A
    folder.mkdir(parents=True)
    nbformat.write(source, folder / "my homework.ipynb")
    for how in ["tests_as_markdown", "tests_deleted", "tests_emptied"]:
        course.submit(f"release_{how}", A, tampered(release, how))
    for how in ["tests_duplicated", "first_test_before_its_solution"]:
        course.submit(f"solution_{how}", A, tampered(source, how))
    proc = course.nbgrader("autograde", A, check=False)
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f) if row["assignment"] == A}
    return course, proc, rows, source


@pytest.mark.parametrize("student, says", [
    ("malformed_json", "is not valid JSON"),
    ("not_utf8", "is not UTF-8"),
    ("empty_file", "is empty"),
    ("json_not_a_notebook", "not a Jupyter notebook"),
    ("wrong_assignment", f"is the notebook of assignment {OTHER}"),
    ("misnamed_notebook", f"no notebook named {A}.ipynb in the submission (found: my homework.ipynb)"),
])
def test_a_broken_file_is_failed_with_its_reason(graded, student, says):
    _, _, rows, _ = graded
    assert student in rows, "a submission nbgrader could not read must still be in the export"
    assert rows[student]["status"].startswith("failed: ") and says in rows[student]["status"], rows[student]["status"]
    assert float(rows[student]["score"]) == 0


def test_broken_files_do_not_stop_the_class(graded):
    course, proc, rows, _ = graded
    assert rows["solution"]["status"] == "graded"
    assert float(rows["solution"]["score"]) == float(rows["solution"]["max_score"]) > 0
    assert proc.returncode != 0, "nbgrader must still report that some submissions failed"


@pytest.mark.parametrize("how", ["tests_as_markdown", "tests_deleted", "tests_emptied"])
def test_tampering_with_test_cells_gains_nothing(graded, how):
    _, _, rows, _ = graded
    row = rows[f"release_{how}"]
    assert float(row["score"]) == 0 and row["status"] == "graded", row


def test_duplicated_test_cells_do_not_count_twice(graded):
    _, _, rows, _ = graded
    row = rows["solution_tests_duplicated"]
    assert float(row["score"]) <= float(row["max_score"]) == float(rows["solution"]["max_score"])


def test_a_test_moved_before_its_solution_only_loses_that_exercise(graded):
    _, _, rows, source = graded
    row = rows["solution_first_test_before_its_solution"]
    first = source.cells[indexes_of_tests(source)[0]].metadata["nbgrader"]
    assert float(row["score"]) == float(row["max_score"]) - first["points"]
    assert float(row[first["grade_id"]]) == 0


def test_without_bubblewrap_grading_is_refused_loudly_unless_opted_out(tmp_path):
    course = Course(tmp_path)
    course.configure("c.SandboxedKernelManager.bwrap = '/nonexistent/bwrap'")
    course.generate(A)
    course.submit("solution", A, nbformat.read(course.source_path(A), 4))
    proc = course.nbgrader("autograde", A, check=False)
    assert proc.returncode != 0 and "bubblewrap (`bwrap`) is not installed" in proc.stdout + proc.stderr
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        row = next(csv.DictReader(f))
    assert row["status"].startswith("failed: the notebook could not be run: SandboxUnavailable: bubblewrap")

    course.configure("c.SandboxedKernelManager.enabled = False")
    proc = course.nbgrader("autograde", A)
    assert "STUDENT CODE IS RUNNING WITHOUT A SANDBOX" in proc.stdout + proc.stderr
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        row = next(csv.DictReader(f))
    assert row["status"] == "graded" and float(row["score"]) == float(row["max_score"])
