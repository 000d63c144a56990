"""Known wrong answers, one module per assignment: the misconceptions, as code.

Each module defines ``ASSIGNMENT`` (the nbgrader id) and ``MUTANTS``, a list of
:class:`Mutant`. A mutant is the instructor's notebook with one answer cell
replaced by a wrong answer a student might write. The tests grade every mutant
and require it to lose exactly the points of one test cell, with feedback that
names the mistake; the sample class and benchmarks reuse them as realistic
wrong submissions.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass

import nbformat


@dataclass(frozen=True)
class Mutant:
    name: str
    cell: str    # grade_id of the answer cell whose source is replaced
    fails: str   # grade_id of the only test cell that must lose its points
    says: str    # case-insensitive fragment the feedback must contain
    source: str  # the whole new source of that cell


def all_mutants(package: str = __name__, path=None) -> dict[str, list[Mutant]]:
    """Every mutant, by assignment id."""
    out: dict[str, list[Mutant]] = {}
    for info in pkgutil.iter_modules(path if path is not None else __path__):
        module = importlib.import_module(f"{package}.{info.name}")
        out.setdefault(module.ASSIGNMENT, []).extend(module.MUTANTS)
    for assignment, mutants in out.items():
        names = [m.name for m in mutants]
        duplicates = {n for n in names if names.count(n) > 1}
        if duplicates:
            raise ValueError(f"{assignment}: mutant names used twice: {sorted(duplicates)}")
    return out


def replace_cell(notebook, grade_id: str, source: str):
    """A copy of ``notebook`` whose cell ``grade_id`` holds ``source`` instead."""
    nb = nbformat.reads(nbformat.writes(notebook), as_version=4)
    for cell in nb.cells:
        if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id:
            cell.source = source.strip("\n") + "\n"
            return nb
    raise KeyError(f"no cell with grade_id {grade_id!r}")


def apply_mutant(notebook, mutant: Mutant):
    """A copy of ``notebook`` with the mutant's cell replaced by its wrong answer."""
    return replace_cell(notebook, mutant.cell, mutant.source)
