"""A small built-in class of submissions, made from source/ so it never drifts.

ada hands in the instructor's solutions, ben the untouched student notebooks, and
cy makes two of the known mistakes in every assignment (:mod:`content.mutants`, which the
tests grade one by one).
"""

from __future__ import annotations

from pathlib import Path

import nbformat

from content.mutants import all_mutants, apply_mutant


def write_sample_class(root: Path) -> dict[str, str]:
    """Write the sample submissions into ``root/submitted/``; return who is who."""
    root = Path(root)
    mutants = all_mutants()
    cy_mistakes = []
    for source_path in sorted((root / "source").glob("*/*.ipynb")):
        assignment = source_path.parent.name
        if source_path.stem != assignment:
            continue
        source = nbformat.read(source_path, as_version=4)
        release_path = root / "release" / assignment / f"{assignment}.ipynb"
        if not release_path.is_file():
            raise FileNotFoundError(f"{release_path} is missing: release the course first (course release)")
        release = nbformat.read(release_path, as_version=4)
        cy, used = source, set()
        for mutant in mutants.get(assignment, []):
            if mutant.cell in used or mutant.fails in used:
                continue
            cy = apply_mutant(cy, mutant)
            cy_mistakes.append(mutant.name)
            used |= {mutant.cell, mutant.fails}
            if len(used) == 4:  # two mistakes, in two different exercises
                break
        for student, nb in (("ada", source), ("ben", release), ("cy", cy)):
            folder = root / "submitted" / student / assignment
            folder.mkdir(parents=True, exist_ok=True)
            nbformat.write(nb, folder / f"{assignment}.ipynb")
    return {
        "ada": "hands in the instructor's solutions: full marks expected",
        "ben": "hands in the notebooks untouched: 0 expected",
        "cy": "makes two known mistakes per assignment: " + ", ".join(cy_mistakes),
    }
