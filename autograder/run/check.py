"""Self-study feedback: grade one learner's notebook the way the grader does, and say why.

``course check <notebook>`` (and ``course.check()`` in a notebook) comes here. The
learner's notebook gets its hidden checks back from ``source/`` (as nbgrader's
``OverwriteCells`` does when grading, but without a gradebook), runs in the same
sandboxed kernel (:class:`~autograder.pipeline.execute.GuardedExecute`), and each test cell is
judged by :class:`~autograder.pipeline.preprocessors.ProbeVerdicts` against the instructor's
reference run. The report names the mistake, never the expected value.
"""

from __future__ import annotations

import copy
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.pipeline.execute import NOT_RUN, GuardedExecute
from autograder.pipeline.notebook import cell_verdict, first_error, is_test_cell
from autograder.pipeline.preprocessors import ProbeVerdicts
from autograder.errors import FixableError
from autograder.pipeline import metadata
from autograder.run.config import course_config
from autograder.pipeline.submission import assignment_likeness, read_submission


class CheckError(FixableError):
    """The notebook cannot be checked; the message says what to do."""


@dataclass
class ExerciseResult:
    grade_id: str
    points: float
    passed: bool
    message: str


@dataclass
class CheckReport:
    assignment: str
    exercises: list[ExerciseResult]
    errors: list[str] = field(default_factory=list)  # cells of the learner's code that raised
    problem: str | None = None  # the run stopped early (time limit, kernel died)

    @property
    def score(self) -> float:
        return sum(e.points for e in self.exercises if e.passed)

    @property
    def max_score(self) -> float:
        return sum(e.points for e in self.exercises)

    @property
    def all_passed(self) -> bool:
        return all(e.passed for e in self.exercises) and not self.problem

    def render(self) -> str:
        lines = [f"{self.assignment}: {self.score:g} / {self.max_score:g} points"]
        for e in self.exercises:
            mark = "✓" if e.passed else "✗"
            name = e.grade_id.removeprefix("test_")
            first, *rest = e.message.splitlines() or [""]
            first = first.removeprefix(f"{name}: ")
            lines.append(f"  {mark} {name:<24} {first}")
            lines += [f"    {line}" for line in rest]
        if self.errors:
            lines.append("Cells of yours that raised an error:")
            lines += [f"  {error}" for error in self.errors]
        if self.problem:
            lines.append(f"The run stopped early: {self.problem}")
        return "\n".join(lines)


def find_assignment(notebook: Path, nb, source_dir: Path) -> str:
    """The assignment the notebook ``nb`` (read from ``notebook``) belongs to, from its file name
    or its graded cells."""
    known = sorted(p.parent.name for p in source_dir.glob("*/*.ipynb") if p.stem == p.parent.name)
    if notebook.stem in known:
        return notebook.stem
    likeness = assignment_likeness(nb, source_dir)
    best = max(likeness, key=likeness.get, default=None)
    if best is None or likeness[best] == 0:
        raise CheckError(f"{notebook.name} is not one of the course's notebooks ({', '.join(known)}): "
                         "check the notebook you downloaded from release/")
    return best


def restore_hidden_tests(learner, source):
    """The learner's notebook with every test cell as the instructor wrote it.

    Test cells are matched by grade id; a deleted one is put back after the cell that
    preceded it in the source. The learner's own cells are left as they are.
    """
    nb = copy.deepcopy(learner)
    tests = {c.metadata["nbgrader"]["grade_id"]: c for c in source.cells if is_test_cell(c)}
    position = {c.metadata.get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(nb.cells)}
    for grade_id, cell in tests.items():
        if grade_id in position:
            mine = nb.cells[position[grade_id]]
            mine.cell_type, mine.source, mine.metadata = "code", cell.source, copy.deepcopy(cell.metadata)
            mine.setdefault("outputs", [])
            mine.setdefault("execution_count", None)
    order = [c.metadata.get("nbgrader", {}).get("grade_id") for c in source.cells]
    for grade_id, cell in tests.items():
        if grade_id in position:
            continue
        before = order[:order.index(grade_id)]
        anchor = max((i for i, c in enumerate(nb.cells)
                      if c.metadata.get("nbgrader", {}).get("grade_id") in before), default=-1)
        nb.cells.insert(anchor + 1, copy.deepcopy(cell))
    return nb


def check_notebook(path: Path, root: Path) -> CheckReport:
    """Run the learner's notebook with the hidden checks and judge every exercise."""
    path = Path(path)
    submitted, problem = read_submission(path, path.stem, None)
    if problem:
        raise CheckError(problem)
    assignment = find_assignment(path, submitted, root / "source")
    source = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    nb = restore_hidden_tests(submitted, source)
    config = course_config(root)
    with tempfile.TemporaryDirectory(prefix="gd-check-") as workdir:
        resources = {"metadata": {"path": workdir},
                     "nbgrader": {"assignment": assignment, "notebook": assignment, "student": "self-study"}}
        nb, resources = GuardedExecute(config=config).preprocess(nb, resources)
        nb, resources = ProbeVerdicts(config=config).preprocess(nb, resources)
    exercises, errors, stopped = [], [], []  # stopped: sources of the cells that raised, in order
    for index, cell in enumerate(nb.cells):
        meta = cell.metadata.get("nbgrader", {})
        if is_test_cell(cell):
            verdict = cell_verdict(cell)
            message = verdict.message if verdict.judged else "passed" if verdict.passed else verdict.shown
            exercises.append(ExerciseResult(meta["grade_id"], float(meta.get("points", 0)), verdict.passed, message))
        elif cell.cell_type == "code":
            error = first_error(cell)
            consequence = error and (error.get("ename") in (NOT_RUN, "NotImplementedError")  # an unfinished exercise,
                                     or left_undefined(error.get("ename"), error.get("evalue"), stopped))  # or a name a cell that stopped never set
            if error:
                stopped.append(cell.source)
            if error and not consequence:
                where = f"cell {index + 1}" + (f" ({meta['grade_id']})" if meta.get("grade_id") else "")
                errors.append(f"{where}: {error.get('ename')}: {str(error.get('evalue'))[:200]}")
    problem = metadata.problem(nb)
    return CheckReport(assignment, exercises, errors, problem)


def left_undefined(ename: str, evalue: str, stopped: list[str]) -> bool:
    """Whether an error is a NameError for a name that one of the ``stopped`` cells (sources of
    earlier cells that raised before their end) assigns, a question's commented stub included."""
    found = re.search(r"name '(\w+)' is not defined", str(evalue)) if ename == "NameError" else None
    if not found:
        return False
    assigned = re.compile(rf"^(?:#\s*)?[\w\s,\[\]]*\b{found.group(1)}\b[\w\s,\[\]]*=(?!=)", re.M)
    return any(assigned.search(source) for source in stopped)
