"""Test helpers that grade the way an instructor does: real `nbgrader` commands.

A :class:`Course` is a copy of this repository's course root (nbgrader_config.py
and source/) in a temporary folder, so tests never touch the working tree.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook

from content.mutants import replace_cell  # noqa: F401 - re-exported for tests

ROOT = Path(__file__).resolve().parents[1]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if (p / f"{p.name}.ipynb").is_file())


@dataclass
class CellResult:
    score: float
    max_score: float
    passed: bool | None  # the verdict written by ProbeVerdicts, None if none was written
    message: str


class Course:
    """A throw-away nbgrader course root built from this repository."""

    def __init__(self, folder: Path):
        self.root = Path(folder)
        self.root.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / "nbgrader_config.py", self.root / "nbgrader_config.py")
        shutil.copytree(ROOT / "source", self.root / "source", dirs_exist_ok=True)

    def configure(self, *lines: str) -> None:
        """Add lines to this course's nbgrader_config.py (later settings win)."""
        with open(self.root / "nbgrader_config.py", "a") as f:
            f.write("\n" + "".join(f"{line}\n" for line in lines))

    def nbgrader(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        proc = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=self.root,
                              capture_output=True, text=True, env=venv_env())
        if check and proc.returncode != 0:
            raise AssertionError(f"nbgrader {' '.join(args)} failed ({proc.returncode}):\n"
                                 f"{proc.stdout[-3000:]}\n{proc.stderr[-6000:]}")
        return proc

    def generate(self, assignment: str) -> Path:
        self.nbgrader("generate_assignment", assignment, "--force")
        return self.release_path(assignment)

    def source_path(self, assignment: str) -> Path:
        return self.root / "source" / assignment / f"{assignment}.ipynb"

    def release_path(self, assignment: str) -> Path:
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    def submit(self, student: str, assignment: str, notebook) -> Path:
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"{assignment}.ipynb"
        if isinstance(notebook, (bytes, str)):
            path.write_bytes(notebook if isinstance(notebook, bytes) else notebook.encode())
        else:
            nbformat.write(notebook, path)
        return path

    def autograde(self, assignment: str, *extra: str) -> subprocess.CompletedProcess:
        return self.nbgrader("autograde", assignment, "--force", *extra)

    def results(self, assignment: str, student: str) -> dict[str, CellResult]:
        """Score and verdict of every graded test cell of one graded submission."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gb:
            nb_sub = gb.find_submission_notebook(assignment, assignment, student)
            scores = {g.name: (g.score, g.max_score) for g in nb_sub.grades}
        graded = nbformat.read(self.root / "autograded" / student / assignment / f"{assignment}.ipynb", 4)
        out = {}
        for cell in graded.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution"):
                text, passed = verdict_text(cell)
                score, max_score = scores[meta["grade_id"]]
                out[meta["grade_id"]] = CellResult(score, max_score, passed, text)
        return out


def gradebook_grades(url: str, assignment: str) -> dict[tuple[str, str], float | None]:
    """(student, test cell) -> score of every submission of ``assignment`` in the gradebook at ``url``."""
    with Gradebook(url) as gb:
        return {(sub.student.id, grade.name): grade.score
                for sub in gb.assignment_submissions(assignment) for nb in sub.notebooks for grade in nb.grades}


def course_cli(root: Path, *args: str) -> str:
    """What ``course ARGS`` prints, run in ``root``; exit 1 (some submission failed) is an answer too."""
    proc = subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=root, capture_output=True, text=True,
                          env=venv_env())
    assert proc.returncode in (0, 1), f"course {' '.join(args)}: {proc.stdout[-2000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def venv_env() -> dict:
    """The environment with this Python's bin/ first on PATH: nbgrader runs `alembic` from there."""
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    return env


def verdict_text(cell) -> tuple[str, bool | None]:
    """The verdict message left in a graded test cell, and whether it passed."""
    texts, passed = [], None
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            texts.append(f"{out.get('ename')}: {out.get('evalue')}")
            if out.get("ename") == "WrongAnswer":
                passed = False
        elif out.get("output_type") == "stream":
            texts.append(out.get("text", ""))
            if out.get("text", "").startswith("✓"):
                passed = True if passed is None else passed
    return "\n".join(texts), passed


def grade_test_cells(notebook) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]


def solution_cells(notebook) -> list[str]:
    return [c.metadata["nbgrader"]["grade_id"] for c in notebook.cells
            if c.metadata.get("nbgrader", {}).get("solution")]


def points_by_test_cell(assignment: str) -> dict[str, float]:
    """grade id -> points of every autograded test cell of ``source/<assignment>``."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    return {c.metadata["nbgrader"]["grade_id"]: float(c.metadata["nbgrader"]["points"]) for c in nb.cells
            if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")}


def max_points(assignment: str) -> float:
    return sum(points_by_test_cell(assignment).values())


def solution_namespace(assignment: str) -> dict:
    """The instructor's functions of ``source/<assignment>``, defined as a learner's notebook defines
    them: the setup cell's imports, the given definitions and the solution cells (nothing drawn)."""
    import ast

    import gdcourse
    import numpy as np

    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    ns: dict = {"np": np, "gdcourse": gdcourse}  # the setup cell (it installs the package when missing)
    for cell in nb.cells:
        if cell.cell_type != "code" or cell.metadata.get("nbgrader", {}).get("grade"):
            continue
        tree = ast.parse(cell.source)
        definitions_only = all(isinstance(node, (ast.FunctionDef, ast.Import, ast.ImportFrom)) for node in tree.body)
        if cell.metadata.get("nbgrader", {}).get("solution") or definitions_only:
            exec(compile(tree, f"{assignment}:{cell.id}", "exec"), ns)  # noqa: S102 - the course's own source
    return ns
