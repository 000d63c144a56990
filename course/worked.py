"""Worked solutions: the instructor's explanation of an exercise, kept in source/ and out of the handout.

A worked solution is a cell of the source notebook (markdown, or code that is not an nbgrader
cell) whose metadata names the exercise it explains::

    "metadata": {"gd_course": {"worked_solution": "test_dJ_double_well"}}

the grade id of that exercise's test cell. It states the result the learner is asked to derive,
so it never reaches a learner before grading: ``nbgrader generate_assignment`` (and ``course
release``) drops it (:class:`RemoveWorkedSolutions`); after grading it is shown in the feedback
under the exercise's verdict, and in the solutions notebook released after the due date.
"""

from __future__ import annotations

from nbgrader.preprocessors import NbGraderPreprocessor

KEY = "worked_solution"


def worked_solution_of(cell) -> str | None:
    """The grade id of the test cell whose exercise ``cell`` works out, or None for any other cell."""
    ours = cell.get("metadata", {}).get("gd_course")
    value = ours.get(KEY) if isinstance(ours, dict) else None
    return value if isinstance(value, str) and value else None


class RemoveWorkedSolutions(NbGraderPreprocessor):
    """Drop every worked-solution cell: the first step of ``nbgrader generate_assignment``."""

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if worked_solution_of(cell) is None]
        return nb, resources
