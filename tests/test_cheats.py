"""Cheats that beat stock nbgrader gain nothing here: the kernel never holds an answer."""

from __future__ import annotations

import pytest

from .cheats import CHEATS, ORACLE_CHEATS
from .grading import ASSIGNMENTS

CASES = [
    pytest.param(assignment, cheat, marks=pytest.mark.xdist_group(assignment), id=f"{assignment}:{cheat}")
    for assignment in ASSIGNMENTS
    for cheat in CHEATS
]


@pytest.mark.parametrize("assignment, cheat", CASES)
def test_cheat_gains_nothing(graded_class, assignment, cheat):
    graded = graded_class(assignment)
    results = graded.results[f"cheat-{cheat}"]
    assert graded.total(f"cheat-{cheat}") == 0, {c: (r.score, r.message) for c, r in results.items() if r.score}
    for cell, result in results.items():
        assert result.passed is False, f"{cell}: {result.message}"


@pytest.fixture(scope="module")
def oracles_by_course_grade(tmp_path_factory):
    """The oracle cheats and the untouched release of every assignment, graded by `course grade`."""
    import nbformat

    from autograder.run.driver import grade_class

    from .cheats import cheat_notebook
    from .grading import Course, gradebook_grades, solution_cells

    course = Course(tmp_path_factory.mktemp("oracles"))
    course.configure("c.SandboxedKernelManager.sandbox_uid = 61900")
    scores = {}
    for assignment in ASSIGNMENTS:
        release = nbformat.read(course.generate(assignment), 4)
        source = nbformat.read(course.source_path(assignment), 4)
        course.submit("untouched", assignment, release)
        for name in ORACLE_CHEATS:
            course.submit(name, assignment, cheat_notebook(release, solution_cells(source), name))
        grade_class(course.root, assignment, workers=2, progress=False)
        for (student, _), score in gradebook_grades(f"sqlite:///{course.root / 'gradebook.db'}", assignment).items():
            scores[(assignment, student)] = scores.get((assignment, student), 0.0) + (score or 0.0)
    return scores


@pytest.mark.parametrize("assignment", [pytest.param(a, marks=pytest.mark.xdist_group("oracles")) for a in ASSIGNMENTS])
def test_no_concept_question_can_be_answered_from_the_kernel_on_course_grade(oracles_by_course_grade, assignment):
    """Issue 27: the hidden check holds no option list, and only a plain answer is read."""
    untouched = oracles_by_course_grade[(assignment, "untouched")]
    assert untouched == 0
    for name in ORACLE_CHEATS:
        assert oracles_by_course_grade[(assignment, name)] == untouched, name
