"""An LMS round trip (issue 14): a Canvas download and its roster in, Canvas's gradebook file out.

Roster names, e-mails and LMS ids go into nbgrader's student table; the due date set at release
makes a submission late; the export of one assignment fills names and LMS ids and flags the late
one; the Canvas file has one row per roster student with Canvas's id columns; the report lists
the late submission among those to look at.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
import zipfile

import nbformat
import pytest

from tests.mutants import all_mutants

from .grading import Course, replace_cell, venv_env

A = "01_one_variable"
ROSTER = """id,name,email,lms_id
ada,"Lovelace, Ada",ada@uni.example,1001
ben,Ben Okri,ben@uni.example,1002
cy,Cy Twombly,cy@uni.example,1003
"""
pytestmark = pytest.mark.xdist_group("lms")


def course_cli(root, *args):
    proc = subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=root, capture_output=True, text=True,
                          env=venv_env())
    assert proc.returncode == 0, f"course {' '.join(args)}: {proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


@pytest.fixture(scope="module")
def term(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("lms"))
    root = course.root
    course_cli(root, "release", A, "--due", "2026-01-10 23:59")
    source = nbformat.read(root / "source" / A / f"{A}.ipynb", 4)
    mistake = next(m for m in all_mutants()[A] if m.name == "dJ-missing-two")
    download = root.parent / "canvas-download.zip"
    on_time, late = (2026, 1, 10, 12, 0, 0), (2026, 1, 12, 23, 0, 0)  # 1 day 23 h 1 min late
    with zipfile.ZipFile(download, "w") as zf:  # Canvas names: login_[late_]userid_submissionid_file
        zf.writestr(zipfile.ZipInfo(f"lovelaceada_1001_501_{A}.ipynb", on_time), nbformat.writes(source))
        zf.writestr(zipfile.ZipInfo(f"okriben_late_1002_502_{A}.ipynb", late),
                    nbformat.writes(replace_cell(source, mistake.cell, mistake.source)))
    (root.parent / "roster.csv").write_text(ROSTER)
    collected = course_cli(root, "collect", A, str(download), "--roster", str(root.parent / "roster.csv"))
    course_cli(root, "grade", A)
    course_cli(root, "export", A, "--to", str(root.parent / "grades.csv"))
    course_cli(root, "export", A, "--lms", "canvas", "--to", str(root.parent / "canvas.csv"))
    course_cli(root, "report", A)
    return {"root": root, "collected": collected,
            "grades": list(csv.DictReader(open(root.parent / "grades.csv"))),
            "canvas": list(csv.reader(open(root.parent / "canvas.csv")))}


def test_the_roster_fills_nbgraders_student_table(term):
    from nbgrader.api import Gradebook

    assert "roster: 3 students in the gradebook" in term["collected"]
    os.environ["PATH"] = os.pathsep.join([os.path.dirname(sys.executable), os.environ["PATH"]])
    with Gradebook(f"sqlite:///{term['root'] / 'gradebook.db'}") as gb:
        ada = gb.find_student("ada")
        assert (ada.first_name, ada.last_name, ada.email, ada.lms_user_id) == ("Ada", "Lovelace", "ada@uni.example",
                                                                              "1001")
        assert gb.find_student("cy").lms_user_id == "1003"  # on the roster, handed nothing in


def test_the_export_of_one_assignment_has_names_lms_ids_and_lateness(term):
    rows = {row["student_id"]: row for row in term["grades"]}
    assert set(rows) == {"ada", "ben", "cy"} and {row["assignment"] for row in term["grades"]} == {A}
    assert rows["ben"]["first_name"] == "Ben" and rows["ben"]["email"] == "ben@uni.example"
    assert rows["ben"]["lms_user_id"] == "1002"
    assert rows["ada"]["late"] == "" and rows["ben"]["late"] == "1 day 23 h late"
    assert rows["cy"]["status"] == "missing: no submission"


def test_the_canvas_file_has_canvas_columns_and_a_row_per_roster_student(term):
    header, points, *students = term["canvas"]
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", A]
    assert points[0] == "Points Possible" and float(points[-1]) > 0
    by_id = {row[1]: row for row in students}
    assert set(by_id) == {"1001", "1002", "1003"}
    assert by_id["1001"][0] == "Lovelace, Ada" and by_id["1001"][2] == "ada"
    assert float(by_id["1001"][-1]) == float(points[-1])  # full marks
    assert 0 < float(by_id["1002"][-1]) < float(points[-1])
    assert by_id["1003"][-1] == ""  # no submission: no grade, not a 0


def test_the_report_flags_the_late_submission(term):
    page = (term["root"] / "reports" / f"{A}.html").read_text()
    assert "1 of them late" in page
    assert "<td>ben</td><td>graded (1 day 23 h late)</td>" in page
