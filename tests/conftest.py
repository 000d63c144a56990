"""Shared fixtures: a class of submissions graded once per assignment by real nbgrader."""

from __future__ import annotations

from dataclasses import dataclass

import nbformat
import pytest

from .cheats import CHEATS, cheat_notebook
from .grading import ASSIGNMENTS, CellResult, Course, replace_cell, solution_cells
from autograder.mutants import all_mutants

MUTANTS = all_mutants()


@dataclass
class GradedClass:
    course: Course
    assignment: str
    results: dict[str, dict[str, CellResult]]  # student -> test cell -> result

    def total(self, student: str) -> float:
        return sum(r.score for r in self.results[student].values())

    def max_total(self) -> float:
        return sum(r.max_score for r in self.results["solution"].values())


def by_assignment(values=None):
    """Parametrize over assignments, all tests of one assignment on one xdist worker."""
    return [pytest.param(a, marks=pytest.mark.xdist_group(a), id=a) for a in (values or ASSIGNMENTS)]


@pytest.fixture(scope="session")
def graded_class(tmp_path_factory):
    """Grade, once per assignment: the solution, the untouched release, every mutant, every cheat."""
    cache: dict[str, GradedClass] = {}

    def grade(assignment: str) -> GradedClass:
        if assignment in cache:
            return cache[assignment]
        course = Course(tmp_path_factory.mktemp(assignment))
        release = nbformat.read(course.generate(assignment), 4)
        source = nbformat.read(course.source_path(assignment), 4)
        students = {"solution": source, "untouched": release}
        for mutant in MUTANTS.get(assignment, []):
            students[f"mutant-{mutant.name}"] = replace_cell(source, mutant.cell, mutant.source)
        for name in CHEATS:
            students[f"cheat-{name}"] = cheat_notebook(release, solution_cells(source), name)
        for student, nb in students.items():
            course.submit(student, assignment, nb)
        course.autograde(assignment)
        cache[assignment] = GradedClass(course, assignment,
                                        {s: course.results(assignment, s) for s in students})
        return cache[assignment]

    return grade
