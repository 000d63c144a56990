"""An instructor's term round trip (issue 14): a Canvas download and its roster in, through
collect -> grade -> feedback -> export (CSV and Canvas) -> report.

The class: ada hands in twice (the later copy, after the due date, is kept and flagged late), ben
makes a known mistake, dee's gd_step never returns (an endless loop), eve's file is damaged, cy
hands in nothing. Roster names, e-mails and LMS ids go into nbgrader's student table; the export
of one assignment fills them and flags the late submission; the Canvas file has one row per roster
student with Canvas's id columns; the timeout is named as what it is in every output; the report
lists the late, the timed-out and the damaged submissions among those to look at.
"""

from __future__ import annotations

import csv
import os
import sys
import zipfile

import nbformat
import pytest

from content.mutants import all_mutants

from .grading import Course, course_cli, replace_cell

A = "01_one_variable"
ROSTER = """id,name,email,lms_id
ada,"Lovelace, Ada",ada@uni.example,1001
ben,Ben Okri,ben@uni.example,1002
cy,Cy Twombly,cy@uni.example,1003
dee,Dee Dee,dee@uni.example,1004
eve,Eve Arnold,eve@uni.example,1005
"""
TIMED_OUT = "timed out after 3 s (an endless loop?)"
pytestmark = pytest.mark.xdist_group("lms")


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("lms"))
    course.configure("c.Execute.timeout = 3")
    root = course.root
    course_cli(root, "release", A, "--due", "2026-01-10 23:59")
    source = nbformat.read(root / "source" / A / f"{A}.ipynb", 4)
    mistake = next(m for m in all_mutants()[A] if m.name == "dJ-missing-two")
    endless = replace_cell(source, "gd_step", "def gd_step(theta, alpha, grad=dJ):\n    while True:\n        pass")
    download = root.parent / "canvas-download.zip"
    early, on_time, late = (2026, 1, 9, 9, 0, 0), (2026, 1, 10, 12, 0, 0), (2026, 1, 12, 23, 0, 0)  # late: 1 day 23 h
    with zipfile.ZipFile(download, "w") as zf:  # Canvas names: login_[late_]userid_submissionid_file
        zf.writestr(zipfile.ZipInfo(f"lovelaceada_1001_500_{A}.ipynb", early), nbformat.writes(source))
        zf.writestr(zipfile.ZipInfo(f"lovelaceada_late_1001_501_{A}.ipynb", late), nbformat.writes(source))
        zf.writestr(zipfile.ZipInfo(f"okriben_1002_502_{A}.ipynb", on_time),
                    nbformat.writes(replace_cell(source, mistake.cell, mistake.source)))
        zf.writestr(zipfile.ZipInfo(f"deedee_1004_504_{A}.ipynb", on_time), nbformat.writes(endless))
        zf.writestr(zipfile.ZipInfo(f"arnoldeve_1005_505_{A}.ipynb", on_time), b"\x89PNG not a notebook")
    (root.parent / "roster.csv").write_text(ROSTER)
    collected = course_cli(root, "collect", A, str(download), "--roster", str(root.parent / "roster.csv"))
    graded = course_cli(root, "grade", A)
    feedback = course_cli(root, "feedback", A)
    course_cli(root, "export", A, "--to", str(root.parent / "grades.csv"))
    course_cli(root, "export", A, "--lms", "canvas", "--to", str(root.parent / "canvas.csv"))
    course_cli(root, "report", A)
    return {"root": root, "collected": collected, "graded": graded, "feedback": feedback,
            "grades": list(csv.DictReader(open(root.parent / "grades.csv"))),
            "canvas": list(csv.reader(open(root.parent / "canvas.csv")))}


def test_the_roster_fills_nbgraders_student_table(term):
    from nbgrader.api import Gradebook

    assert "roster: 5 students in the gradebook" in term["collected"]
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}") as gb:
        ada = gb.find_student("ada")
        assert (ada.first_name, ada.last_name, ada.email, ada.lms_user_id) == ("Ada", "Lovelace", "ada@uni.example",
                                                                              "1001")
        assert gb.find_student("cy").lms_user_id == "1003"  # on the roster, handed nothing in


def test_the_export_of_one_assignment_has_names_lms_ids_and_lateness(term):
    rows = {row["student_id"]: row for row in term["grades"]}
    assert set(rows) == {"ada", "ben", "cy", "dee", "eve"} and {row["assignment"] for row in term["grades"]} == {A}
    assert rows["ben"]["first_name"] == "Ben" and rows["ben"]["email"] == "ben@uni.example"
    assert rows["ben"]["lms_user_id"] == "1002"
    assert rows["ben"]["late"] == "" and rows["ada"]["late"] == "1 day 23 h late"  # the later copy was kept
    assert rows["cy"]["status"] == "missing: no submission"
    assert rows["eve"]["status"].startswith("failed: ")
    assert rows["dee"]["status"].startswith("graded: ") and TIMED_OUT in rows["dee"]["status"]


def test_the_canvas_file_has_canvas_columns_and_a_row_per_roster_student(term):
    header, points, *students = term["canvas"]
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert points[0] == "Points Possible" and float(points[-1]) > 0
    by_id = {row[1]: row for row in students}
    assert set(by_id) == {"1001", "1002", "1003", "1004", "1005"} and len(students) == 5
    assert by_id["1001"][0] == "Lovelace, Ada" and by_id["1001"][2] == "ada"
    assert float(by_id["1001"][-1]) == float(points[-1])  # full marks
    assert 0 < float(by_id["1002"][-1]) < float(points[-1])
    assert 0 < float(by_id["1004"][-1]) < float(points[-1])  # graded, without the exercise that hung
    assert by_id["1003"][-1] == "" and by_id["1005"][-1] == ""  # no submission, a damaged one: no grade, not a 0


def test_the_report_lists_the_late_the_timed_out_and_the_damaged(term):
    page = (term["root"] / "reports" / f"{A}.html").read_text()
    assert "1 of them late" in page
    assert "<td>ada</td><td>graded (1 day 23 h late)</td>" in page
    assert "<td>dee</td><td>graded: cell" in page and TIMED_OUT in page
    assert "<td>eve</td><td>failed: " in page
    assert "timed out (an endless loop?)" in page  # among what the checks recognised


def test_the_timeout_is_named_in_the_grade_summary_and_the_feedback(term):
    assert f"dee: cell" in term["graded"] and TIMED_OUT in term["graded"]
    page = (term["root"] / "feedback" / "dee" / A / f"{A}.html").read_text()
    assert "timed out: it did not return within 2 s (an endless loop?)" in page and "KeyboardInterrupt" not in page
    assert "wrote 3 feedback pages for 3 of 4 students" in term["feedback"]
    assert "no feedback  eve: failed: " in term["feedback"]
