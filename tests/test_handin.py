"""What a submission may hold (issue 28): regular files and folders; links, pipes and devices are refused
before anything of them is copied or read (autograder/pipeline/submission.py). Both graders against attackers:
tests/test_isolation.py."""

from __future__ import annotations

import os
import socket

import nbformat
import pytest

from autograder.pipeline.submission import handin_problem, irregular_entries, read_regular_file
from autograder.pipeline.submission import read_submission

from .grading import Course

A = "01_one_variable"


def test_irregular_entries_are_found_without_following_anything(tmp_path):
    folder = tmp_path / "submitted" / "ann" / A
    (folder / "data").mkdir(parents=True)
    (folder / f"{A}.ipynb").write_text("{}")
    (folder / "data" / "points.csv").write_text("x,y\n")
    assert irregular_entries(folder) == [] and handin_problem(folder) is None
    os.symlink("/etc/passwd", folder / "data" / "key.txt")
    os.mkfifo(folder / "pipe")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(folder / "sock"))
    try:
        found = dict(irregular_entries(folder))
    finally:
        server.close()
    assert found == {"data/key.txt": "a symbolic link", "pipe": "a named pipe (FIFO)", "sock": "a socket"}
    why = handin_problem(folder)
    assert why.startswith("the submission holds `data/key.txt` (a symbolic link)") and "ordinary files" in why


def test_a_linked_submission_folder_is_refused(tmp_path):
    real = tmp_path / "elsewhere"
    real.mkdir()
    (tmp_path / "submitted" / "ann").mkdir(parents=True)
    os.symlink(real, tmp_path / "submitted" / "ann" / A)
    assert irregular_entries(tmp_path / "submitted" / "ann" / A) == [(A, "a symbolic link")]


def test_a_notebook_is_read_only_when_it_is_a_regular_file_of_bounded_size(tmp_path):
    (tmp_path / "small.ipynb").write_text('{"cells": []}')
    assert read_regular_file(tmp_path / "small.ipynb", 100) == b'{"cells": []}'
    assert read_regular_file(tmp_path / "small.ipynb", 5) is None
    os.symlink("/dev/zero", tmp_path / "zero.ipynb")
    os.mkfifo(tmp_path / "pipe.ipynb")
    for name in ("zero.ipynb", "pipe.ipynb"):
        with pytest.raises(OSError):
            read_regular_file(tmp_path / name, 100)
        nb, why = read_submission(tmp_path / name, A)
        assert nb is None and "cannot be read as a file" in why


@pytest.mark.xdist_group("handin")
def test_a_regular_submission_is_copied_as_stock_nbgrader_copies_it(tmp_path):
    """The guard around nbgrader's Autograde.init_assignment lets a regular submission through unchanged:
    the files beside the notebook, in folders too, reach autograded/ as stock nbgrader copies them."""
    course = Course(tmp_path)
    course.configure("c.SandboxedKernelManager.sandbox_uid = 62210")
    course.generate(A)
    course.submit("ann", A, nbformat.read(course.source_path(A), 4))
    folder = course.root / "submitted" / "ann" / A
    (folder / "notes").mkdir()
    (folder / "notes" / "plan.txt").write_text("derive first\n")
    (folder / "points.csv").write_text("x,y\n1,2\n")
    course.autograde(A)
    graded = course.root / "autograded" / "ann" / A
    assert (graded / "notes" / "plan.txt").read_text() == "derive first\n"
    assert (graded / "points.csv").read_text() == "x,y\n1,2\n"
    assert sum(r.score for r in course.results(A, "ann").values()) == sum(
        r.max_score for r in course.results(A, "ann").values())
