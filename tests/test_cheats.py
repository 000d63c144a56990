"""Cheats that beat stock nbgrader gain nothing here: the kernel never holds an answer."""

from __future__ import annotations

import pytest

from .cheats import CHEATS
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
