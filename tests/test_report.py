"""`course report`: the data behind the pictures, and a page that is safe to open."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter

import nbformat
import pytest

from autograder.mutants import all_mutants
from autograder.report import ClassData, class_data, render_html
from .grading import Course, replace_cell, venv_env

pytestmark = pytest.mark.xdist_group("report")

A = "01_one_variable"


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("report"))
    with open(course.root / "nbgrader_config.py", "a") as f:
        f.write("\nc.SandboxedKernelManager.sandbox_uid = 61300\n")
    course.generate(A)
    source = nbformat.read(course.source_path(A), 4)
    mutant = next(m for m in all_mutants()[A] if m.cell == "gd_step" and "uphill" in m.says)
    course.submit("ada", A, source)
    course.submit("ben", A, nbformat.read(course.release_path(A), 4))
    course.submit("cy", A, replace_cell(source, mutant.cell, mutant.source))
    course.submit("dee", A, b"")
    subprocess.run([sys.executable, "-m", "course.cli", "grade", A], cwd=course.root, env=venv_env(),
                   capture_output=True, text=True, timeout=600)
    return course, mutant


def test_the_report_data_matches_the_gradebook_and_the_graded_notebooks(graded):
    course, mutant = graded
    data = class_data(course.root, A)
    assert data.scores == {"ada": 13, "ben": 0, "cy": 11}
    assert data.pass_rate("test_gd_step") == pytest.approx(1 / 3)
    assert data.pass_rate("test_J") == pytest.approx(2 / 3)
    assert data.misconceptions[("test_gd_step", "not_implemented")] == 1
    cy_kinds = {kind for (cell, kind), n in data.misconceptions.items() if cell == "test_gd_step"} - {"not_implemented"}
    assert cy_kinds, "cy's gd_step mistake is counted under its own name"
    assert data.statuses["dee"].startswith("failed: ") and "is empty" in data.statuses["dee"]


def test_course_report_writes_a_self_contained_page(graded):
    course, _ = graded
    proc = subprocess.run([sys.executable, "-m", "course.cli", "report", A], cwd=course.root, env=venv_env(),
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    page = (course.root / "reports" / f"{A}.html").read_text()
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', page)) == 3
    assert "http://" not in page and "https://" not in page and "<script" not in page
    assert "dee" in page and "is empty" in page


def test_student_controlled_text_is_escaped():
    data = ClassData("a1", 10, {"<script>alert(1)</script>": 5}, ["test_f"], {"test_f": 1},
                     Counter({("test_f", "wrong_sign"): 1}), {"<b>x</b>": "failed: <img src=x onerror=alert(1)>"})
    page = render_html(data, {"scores": "", "pass_rates": "", "misconceptions": ""})
    assert "<script>alert" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page


def test_an_ungraded_assignment_is_a_clear_error(graded):
    course, _ = graded
    proc = subprocess.run([sys.executable, "-m", "course.cli", "report", "02_partial_derivatives"],
                          cwd=course.root, env=venv_env(), capture_output=True, text=True, timeout=300)
    assert proc.returncode == 1 and "has not been graded yet" in proc.stderr
