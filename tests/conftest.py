"""Shared fixtures: a class of submissions graded once per assignment by real nbgrader."""

from __future__ import annotations

import re
from dataclasses import dataclass

import nbformat
import pytest

from .cheats import CHEATS, cheat_notebook
from .grading import ASSIGNMENTS, CellResult, Course, replace_cell, solution_cells
from content.mutants import all_mutants

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


def mutant_bundles(assignment: str) -> dict[str, list]:
    """Mutants packed into as few submissions as possible, at most one per exercise each.

    Exercises are independent, so one submission can carry a wrong answer in every
    exercise and must lose exactly those exercises: the same check as one mutant per
    submission, at a fraction of the grading time.
    """
    mutants = MUTANTS.get(assignment, [])
    cells = {m.cell for m in mutants}
    # a mutant that calls another exercise's function (e.g. uses the global dJ) needs it right
    uses = {m.name: {c for c in cells if c != m.cell and re.search(rf"\b{re.escape(c)}\b", m.source)}
            for m in mutants}

    def compatible(a, b):
        return (a.cell != b.cell and a.fails != b.fails
                and a.cell not in uses[b.name] and b.cell not in uses[a.name])

    bundles: list[list] = []
    for mutant in mutants:
        for bundle in bundles:
            if all(compatible(m, mutant) for m in bundle):
                bundle.append(mutant)
                break
        else:
            bundles.append([mutant])
    return {f"mutants-{i + 1:02d}": bundle for i, bundle in enumerate(bundles)}


def bundle_of(assignment: str, name: str) -> tuple[str, list]:
    for student, bundle in mutant_bundles(assignment).items():
        if any(m.name == name for m in bundle):
            return student, bundle
    raise KeyError(name)


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
        for student, bundle in mutant_bundles(assignment).items():
            nb = source
            for mutant in bundle:
                nb = replace_cell(nb, mutant.cell, mutant.source)
            students[student] = nb
        for name in CHEATS:
            students[f"cheat-{name}"] = cheat_notebook(release, solution_cells(source), name)
        for student, nb in students.items():
            course.submit(student, assignment, nb)
        course.autograde(assignment)
        cache[assignment] = GradedClass(course, assignment,
                                        {s: course.results(assignment, s) for s in students})
        return cache[assignment]

    return grade
