"""`course report` and `course export` on a small class graded once by `nbgrader autograde`.

ada hands in the solution (full marks), ben the untouched release (0), cy and dan one known
mistake each, so does a student whose id is ``<script>``, dee hands in an empty file (failed),
and eve is on the gradebook's roster but submits nothing (missing).
"""

from __future__ import annotations

import base64
import csv
import re
from collections import Counter

import nbformat
import pytest

from content.mutants import all_mutants
from course.cli import main
from autograder.run.status import Status
from course.report import (Exercise, Misconception, ReportData, figures, graded_verdicts, misconception_label,
                           render_html, report_data)
from .grading import Course, replace_cell, points_by_test_cell

pytestmark = pytest.mark.xdist_group("report")

A = "01_one_variable"
HOSTILE = "<script>"
MUTANTS = {m.name: m for m in all_mutants()[A]}


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("report"))
    course.configure("c.SandboxedKernelManager.sandbox_uid = 61300")
    course.generate(A)
    source = nbformat.read(course.source_path(A), 4)
    release = nbformat.read(course.release_path(A), 4)
    course.submit("ada", A, source)
    course.submit("ben", A, release)
    for student, name in (("cy", "gd_step-ascent"), ("dan", "dJ-missing-two"), (HOSTILE, "dJ-wrong-sign")):
        course.submit(student, A, replace_cell(source, MUTANTS[name].cell, MUTANTS[name].source))
    course.submit("dee", A, b"")
    course.nbgrader("db", "student", "add", "eve")
    proc = course.nbgrader("autograde", A, check=False)  # exits 1: dee's file cannot be graded
    for student in ("ada", "ben", "cy", "dan", HOSTILE):
        assert (course.root / "autograded" / student / A / f"{A}.ipynb").is_file(), proc.stderr[-3000:]
    return course


def cells_failed(course, student):
    """Test cell -> verdict kinds of the failed cells, read straight from the graded notebook."""
    path = course.root / "autograded" / student / A / f"{A}.ipynb"
    return {gid: list(verdict.kinds) for gid, verdict in graded_verdicts(path).items() if not verdict.passed}


def test_scores_and_statuses_come_from_the_gradebook(graded):
    data = report_data(graded.root, A)
    points = points_by_test_cell(A)
    full = sum(points.values())
    assert data.max_score == full
    assert data.scores == {"ada": full, "ben": 0, "cy": full - points["test_gd_step"],
                           "dan": full - points["test_dJ"], HOSTILE: full - points["test_dJ"]}
    assert data.statuses["dee"].kind == "failed" and "is empty" in data.statuses["dee"].detail
    assert str(data.statuses["eve"]) == "missing: no submission"
    assert data.status_counts() == {"graded": 5, "needs manual grading": 0, "failed": 1, "missing": 1}
    assert set(data.to_look_at) == {"dee", "eve"}


def test_pass_rates_are_full_points_per_test_cell(graded):
    data = report_data(graded.root, A)
    source = nbformat.read(graded.source_path(A), 4)
    ids = [c.metadata["nbgrader"]["grade_id"] for c in source.cells
           if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]
    assert [e.grade_id for e in data.exercises] == ids  # notebook order
    by_id = {e.grade_id: e for e in data.exercises}
    assert all(e.graded == 5 for e in data.exercises)
    assert (by_id["test_gd_step"].passed, by_id["test_dJ"].passed, by_id["test_J"].passed) == (3, 2, 4)
    assert by_id["test_gd_step"].pass_rate == pytest.approx(3 / 5)
    assert all(e.not_attempted == 1 for e in data.exercises)  # ben


def test_misconceptions_are_what_the_graded_notebooks_say(graded):
    data = report_data(graded.root, A)
    expected = Counter()
    for student in data.scores:
        for gid, kinds in cells_failed(graded, student).items():
            expected.update((gid, kind) for kind in set(kinds))
    assert data.counts() == expected
    assert data.counts()[("test_gd_step", "ascent")] == 1
    assert data.counts()[("test_dJ", "missing_two")] == 1
    assert data.counts()[("test_J", "not_implemented")] == 1
    assert cells_failed(graded, "cy") == {"test_gd_step": ["ascent"]}
    ascent = next(m for m in data.misconceptions if m.kind == "ascent")
    assert ascent.students == ["cy"] and ascent.label.startswith("the update moved uphill")
    assert "uphill" in ascent.example  # the message the student saw (the error output's evalue)
    assert misconception_label("constant_factor") == "off by a constant factor"


def test_course_report_writes_one_self_contained_page(graded, tmp_path, monkeypatch):
    monkeypatch.chdir(graded.root)
    assert main(["report", A, "--out", str(tmp_path)]) == 0
    page = (tmp_path / f"{A}.html").read_text()
    images = re.findall(r'<img [^>]*src="data:image/png;base64,([A-Za-z0-9+/=]+)"', page)
    assert len(images) == 3 and all(base64.b64decode(i).startswith(b"\x89PNG") for i in images)
    assert "<script" not in page and "http://" not in page and "https://" not in page
    assert "&lt;script&gt;" in page  # the hostile id (in the misconceptions table), escaped
    assert re.search(r"<td>dee</td><td>failed: [^<]*is empty", page)
    assert "<td>eve</td><td>missing: no submission</td>" in page
    assert "the update moved uphill" in page and "missing the factor 2" in page
    assert main(["report", A]) == 0 and (graded.root / "reports" / f"{A}.html").is_file()


def test_course_export_prints_where_and_a_summary(graded, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(graded.root)
    assert main(["export", "--to", str(tmp_path / "grades.csv")]) == 0
    out = capsys.readouterr().out
    assert f"wrote {tmp_path / 'grades.csv'}: 7 rows (5 graded, 1 failed, 1 missing)" in out
    with open(tmp_path / "grades.csv", newline="") as f:
        rows = {row["student_id"]: row for row in csv.DictReader(f)}
    assert rows["cy"]["status"] == "graded" and float(rows["cy"]["test_gd_step"]) == 0
    assert rows["dee"]["status"].startswith("failed: ") and rows["eve"]["status"].startswith("missing")
    (graded.root / "exports").mkdir(exist_ok=True)
    monkeypatch.chdir(graded.root / "exports")  # a relative --to is relative to where the command runs
    assert main(["export", "--to", "here.csv"]) == 0
    assert (graded.root / "exports" / "here.csv").is_file() and not (graded.root / "here.csv").exists()


def test_an_assignment_that_was_not_graded_is_a_clear_error(graded, monkeypatch, capsys):
    monkeypatch.chdir(graded.root)
    assert main(["report", "02_partial_derivatives"]) == 1
    assert "not in the gradebook" in capsys.readouterr().err
    assert main(["report"]) == 2


def test_student_controlled_text_is_escaped_everywhere():
    evil = '<img src=x onerror="alert(1)">'
    data = ReportData("a1", 10, {HOSTILE: 5}, [Exercise("test_f", 2, passed=1, graded=1)],
                      [Misconception("test_f", "wrong_sign", [HOSTILE], example=f"f returned {evil}")],
                      {HOSTILE: Status("graded"), "<b>x</b>": Status("failed", evil)})
    page = render_html(data, figures(data))
    assert "<script>" not in page and "<img src=x" not in page and "<b>x</b>" not in page
    assert "&lt;b&gt;x&lt;/b&gt;" in page and "&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in page
    assert len(re.findall(r'src="data:image/png;base64,', page)) == 3


def test_an_empty_class_still_renders():
    data = ReportData("a1", 10, {}, [Exercise("test_f", 2)], [], {"ann": Status("missing", "no submission")})
    page = render_html(data)
    assert len(re.findall(r'src="data:image/png;base64,', page)) == 3
    assert "<td colspan=4>none</td>" in page and "<td>ann</td><td>missing: no submission</td>" in page


def test_a_submission_with_a_timed_out_cell_is_one_to_look_at_and_counts_as_graded():
    timed_out = "graded: cell 7 (test_dJ) timed out after 30 s (an endless loop?)"
    data = ReportData("a1", 10, {"ann": 10, "bo": 4}, [Exercise("test_dJ", 2, passed=1, graded=2)],
                      [Misconception("test_dJ", "timed_out", ["bo"], example="the hidden checks timed out")],
                      {"ann": Status("graded"), "bo": Status("graded", timed_out.removeprefix("graded: "))})
    assert data.to_look_at == {"bo": timed_out}
    assert data.status_counts()["graded"] == 2
    page = render_html(data)
    assert "<td>bo</td><td>graded: cell 7 (test_dJ) timed out after 30 s (an endless loop?)</td>" in page
    assert misconception_label("timed_out") == "timed out (an endless loop?)"
