"""`course grade` obeys nbgrader's configuration as `nbgrader autograde` does (issue 17).

One course, with non-default values of every setting autograde reads about files and students,
is graded twice from the same submissions: once by stock `nbgrader autograde`, once by
:func:`autograder.run.driver.grade_class`. Grades, graded folders and who was graded must agree:

- ``CourseDirectory.ignore``: a student's ``*.bak`` file is not copied;
- ``Autograde.exclude_overwriting``: the student's ``helper.py`` is kept, the source's ``data.csv``
  replaces the student's;
- ``Autograde.create_student = False``: a student missing from the gradebook is not graded;
- ``CourseDirectory.student_id_exclude``: an excluded student is not graded;
- a notebook of a two-notebook assignment that was not handed in scores 0, the other is graded.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.run.driver import grade_class
from autograder.run.status import StatusBook

from .grading import ROOT, Course, gradebook_grades

A = "twin"  # two notebooks: twin.ipynb (chapter 01) and extra.ipynb (chapter 02)
SETTINGS = ['c.CourseDirectory.ignore = [".ipynb_checkpoints", "*.pyc", "__pycache__", "feedback", "*.bak"]',
            f'c.Autograde.exclude_overwriting = {{"{A}": ["helper.py"]}}',
            "c.Autograde.create_student = False",
            'c.CourseDirectory.student_id_exclude = "cy"']
pytestmark = pytest.mark.xdist_group("nbgrader-settings")


def build(folder: Path, sandbox_uid: int) -> Course:
    course = Course(folder)
    course.configure(*SETTINGS, f"c.SandboxedKernelManager.sandbox_uid = {sandbox_uid}")
    twin = course.root / "source" / A
    twin.mkdir()
    shutil.copy(ROOT / "source" / "01_one_variable" / "01_one_variable.ipynb", twin / f"{A}.ipynb")
    shutil.copy(ROOT / "source" / "02_partial_derivatives" / "02_partial_derivatives.ipynb", twin / "extra.ipynb")
    (twin / "data.csv").write_text("x,y\n1,2\n")
    (twin / "helper.py").write_text("SOURCE = True\n")
    course.nbgrader("generate_assignment", A, "--force")
    for student in ("ada", "ben", "cy"):  # zed is not in the gradebook
        course.nbgrader("db", "student", "add", student)
    for student, notebooks in {"ada": (A, "extra"), "ben": (A,), "cy": (A, "extra"), "zed": (A, "extra")}.items():
        folder = course.root / "submitted" / student / A
        folder.mkdir(parents=True)
        for name in notebooks:
            shutil.copy(twin / f"{name}.ipynb", folder / f"{name}.ipynb")
        (folder / "helper.py").write_text("SOURCE = False  # the student's own\n")
        (folder / "data.csv").write_text("x,y\n9,9\n")
        (folder / "scratch.bak").write_text("not for grading\n")
    return course


def graded_files(course: Course) -> dict[str, dict[str, str]]:
    """student -> the non-notebook files of the graded folder, with their text."""
    out = {}
    for folder in sorted((course.root / "autograded").glob(f"*/{A}")):
        out[folder.parent.name] = {p.name: p.read_text() for p in sorted(folder.iterdir())
                                   if p.is_file() and p.suffix != ".ipynb" and p.name != "timestamp.txt"}
    return out


def graded_notebooks(course: Course) -> dict[str, list[str]]:
    return {f.parent.name: sorted(p.name for p in f.glob("*.ipynb"))
            for f in sorted((course.root / "autograded").glob(f"*/{A}"))}


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    course = build(tmp_path_factory.mktemp("stock"), 61700)
    course.nbgrader("autograde", A, check=False)  # zed fails, as create_student is False
    return course


@pytest.fixture(scope="module")
def ours(tmp_path_factory):
    course = build(tmp_path_factory.mktemp("ours"), 61720)
    result = grade_class(course.root, A, workers=2, progress=False)
    return course, result


def test_both_graders_give_the_same_grades(stock, ours):
    course, _ = ours
    expected = gradebook_grades(f"sqlite:///{stock.root / 'gradebook.db'}", A)
    assert {student for student, _ in expected} == {"ada", "ben"}
    assert gradebook_grades(f"sqlite:///{course.root / 'gradebook.db'}", A) == expected


def test_the_missing_notebook_scores_zero_and_the_other_is_graded(stock, ours):
    course, result = ours
    grades = gradebook_grades(f"sqlite:///{course.root / 'gradebook.db'}", A)
    extra_cells = [c.metadata["nbgrader"]["grade_id"] for c in nbformat.read(
        course.root / "source" / A / "extra.ipynb", 4).cells
        if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]
    assert sum(grades[("ada", cell)] for cell in extra_cells) > 0
    assert graded_notebooks(course)["ben"] == [f"{A}.ipynb"] == graded_notebooks(stock)["ben"]
    assert sum(grades[("ben", name)] for name in ("test_dJ", "test_gd_step")) > 0
    assert result.noted["ben"] == "extra.ipynb was not handed in (0 points)"
    assert "ben" in result.graded


def test_both_graders_copy_and_keep_the_same_files(stock, ours):
    course, _ = ours
    files = graded_files(course)
    assert files == graded_files(stock)
    assert files["ada"] == {"data.csv": "x,y\n1,2\n", "helper.py": "SOURCE = False  # the student's own\n"}


def test_excluded_and_unknown_students_are_not_graded(stock, ours):
    course, result = ours
    assert sorted(graded_notebooks(course)) == sorted(graded_notebooks(stock)) == ["ada", "ben"]
    assert sorted(result.graded) == ["ada", "ben"]
    assert list(result.failed) == ["zed"] and "create_student is False" in result.failed["zed"]
    assert StatusBook(course.root).read(A, "zed")["state"] == "failed"
    assert StatusBook(course.root).read(A, "cy") is None


def test_renamed_folders_are_refused_with_what_to_do(tmp_path):
    """`course grade` does not follow renamed folders; rather than grade the wrong files, it says so."""
    from autograder.run.config import UnsupportedLayout

    course = Course(tmp_path)
    course.configure('c.CourseDirectory.submitted_directory = "handed_in"')
    with pytest.raises(UnsupportedLayout, match="submitted_directory = 'handed_in'.*nbgrader autograde"):
        grade_class(course.root, "01_one_variable", progress=False)
