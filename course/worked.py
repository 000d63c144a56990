"""Worked solutions: the instructor's explanation of an exercise, kept in source/ and out of the handout.

A worked solution is a cell of the source notebook (markdown, or code that is not an nbgrader
cell) whose metadata names the exercise it explains::

    "metadata": {"gd_course": {"worked_solution": "test_dJ_double_well"}}

the grade id of that exercise's test cell. It states the result the learner is asked to derive,
so it never reaches a learner before grading: ``nbgrader generate_assignment`` (and ``course
release``) drops it (:class:`RemoveWorkedSolutions`); after grading it is shown in the feedback
under the exercise's verdict (:class:`InsertWorkedSolutions`, one of ``GenerateFeedback``'s
preprocessors), and in the solutions notebook that ``course solutions`` writes after the due date
(``course/solutions.py``). The book shows it folded under "Show worked solution" in the edition
with solutions and leaves it out of the other (``course/book.py``).
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import nbformat
from nbgrader.preprocessors import NbGraderPreprocessor

from autograder.pipeline import metadata
from autograder.pipeline.metadata import KEY as METADATA_KEY
from autograder.pipeline.metadata import WORKED_SOLUTION as KEY
from autograder.pipeline.metadata import worked_solution_of
from autograder.pipeline.notebook import strip_hidden_tests

HEADING = "worked_solution_heading"  # marks the heading cell put above an exercise's worked solution




def worked_solutions(nb) -> dict[str, list]:
    """Grade id of a test cell -> the worked-solution cells of its exercise, in notebook order."""
    found: dict[str, list] = {}
    for cell in nb.cells:
        if (grade_id := worked_solution_of(cell)) is not None:
            found.setdefault(grade_id, []).append(cell)
    return found


def exercise_name(grade_id: str) -> str:
    return grade_id.removeprefix("test_")


def heading_cell(grade_id: str):
    """The markdown cell put above an exercise's worked solution wherever it is shown."""
    return nbformat.v4.new_markdown_cell(f"#### Worked solution: `{exercise_name(grade_id)}`",
                                         metadata={METADATA_KEY: {KEY: grade_id, HEADING: True}})


def shown_copy(cell):
    """A worked-solution cell as shown after grading: its source (hidden tests never), our marker, a fresh
    cell id, no outputs."""
    metadata = {METADATA_KEY: {KEY: worked_solution_of(cell)}}
    source = strip_hidden_tests(cell.source)
    if cell.cell_type == "code":
        return nbformat.v4.new_code_cell(source, metadata=metadata)
    return nbformat.v4.new_markdown_cell(source, metadata=metadata)


def with_headings(nb):
    """``nb`` (a copy) with a heading cell above each run of one exercise's worked-solution cells."""
    nb = copy.deepcopy(nb)
    cells, previous = [], None
    for cell in nb.cells:
        grade_id = worked_solution_of(cell)
        if grade_id is not None and grade_id != previous:
            cells.append(heading_cell(grade_id))
        cells.append(cell)
        previous = grade_id
    nb.cells = cells
    return nb


class RemoveWorkedSolutions(NbGraderPreprocessor):
    """Drop every worked-solution cell: the first step of ``nbgrader generate_assignment``."""

    def preprocess(self, nb, resources):
        nb.cells = [cell for cell in nb.cells if worked_solution_of(cell) is None]
        return nb, resources


_SOURCES: dict[tuple[str, int], dict[str, list]] = {}  # (path, mtime) -> its worked solutions
_WARNED: set[tuple[str, str]] = set()  # (source notebook, grade id) already said to be shown to nobody


def source_worked_solutions(path: Path) -> dict[str, list]:
    """The worked solutions of the source notebook at ``path``, read once per version of the file."""
    key = (str(path), path.stat().st_mtime_ns)
    if key not in _SOURCES:
        _SOURCES[key] = worked_solutions(nbformat.read(path, as_version=4))
    return _SOURCES[key]


class InsertWorkedSolutions(NbGraderPreprocessor):
    """Show each exercise's worked solution under its verdict: a step of ``nbgrader generate_feedback``.

    The worked solutions come from the instructor's notebook in ``source/``, found through
    nbgrader's course directory from the assignment and notebook ids (never from a path of the
    submission), and only for the test cells this notebook has: each goes right under its test
    cell, after a heading. A marker a submission put on its own cells is removed first, so only the
    instructor's cells are shown as worked solutions. Runs after ``ExerciseSummary``, whose summary
    it marks (``worked``: the exercise has one on the page), and before ``MathAsMathML``, which draws
    their formulas. Without the source notebook the page is written without them, with a warning.
    """

    def preprocess(self, nb, resources):
        for cell in nb.cells:  # the submission's own cells are never shown as worked solutions
            ours = metadata.ours(cell)
            ours.pop(KEY, None)
            ours.pop(HEADING, None)
        info = resources.get("nbgrader", {})
        path = self._source_notebook(info.get("assignment", ""), info.get("notebook", ""))
        try:
            worked = source_worked_solutions(path)
        except (OSError, ValueError) as exc:  # missing, unreadable, not a notebook
            self.log.warning("no worked solutions in the feedback of %s/%s: cannot read %s (%s)",
                             info.get("assignment"), info.get("notebook"), path, exc)
            return nb, resources
        from autograder.pipeline.notebook import is_test_cell

        cells, shown = [], []
        for cell in nb.cells:
            cells.append(cell)
            grade_id = cell.metadata["nbgrader"]["grade_id"] if is_test_cell(cell) else None
            if grade_id in worked:
                cells.append(heading_cell(grade_id))
                cells.extend(shown_copy(c) for c in worked[grade_id])
                shown.append(grade_id)
        for grade_id in sorted(set(worked) - set(shown)):
            if (str(path), grade_id) not in _WARNED:  # once per run, not once per student
                _WARNED.add((str(path), grade_id))
                self.log.warning("the worked solution of %s in %s is shown to nobody: the notebook has no "
                                 "such test cell", grade_id, path)
        nb.cells = cells
        for exercise in resources.get("gd_feedback", {}).get("exercises", []):
            exercise["worked"] = exercise.get("grade_id") in shown
        return nb, resources

    def _source_notebook(self, assignment_id: str, notebook_id: str) -> Path:
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        folder = coursedir.format_path(coursedir.source_directory, ".", assignment_id)
        return Path(os.path.normpath(folder)) / f"{notebook_id}.ipynb"
