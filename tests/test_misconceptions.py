"""Every wrong submission in tests/mutants loses exactly one exercise, and is told why."""

from __future__ import annotations

import pytest

from .conftest import MUTANTS, bundle_of
from .grading import ASSIGNMENTS

CASES = [
    pytest.param(assignment, mutant, marks=pytest.mark.xdist_group(assignment), id=f"{assignment}:{mutant.name}")
    for assignment in ASSIGNMENTS
    for mutant in MUTANTS.get(assignment, [])
]


@pytest.mark.parametrize("assignment, mutant", CASES)
def test_mutant_loses_exactly_its_exercise(graded_class, assignment, mutant):
    graded = graded_class(assignment)
    student, bundle = bundle_of(assignment, mutant.name)
    results = graded.results[student]
    assert mutant.fails in results, f"{mutant.fails} is not a test cell of {assignment}"
    lost = {cell: r for cell, r in results.items() if r.score < r.max_score}
    assert set(lost) == {m.fails for m in bundle}, (
        f"{student} ({', '.join(m.name for m in bundle)}) should lose exactly "
        f"{sorted(m.fails for m in bundle)}, lost {sorted(lost)}:\n"
        + "\n".join(f"  {c}: {r.message}" for c, r in lost.items()))
    result = results[mutant.fails]
    assert result.score == 0 and result.passed is False
    assert mutant.says.lower() in result.message.lower(), f"feedback was: {result.message}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_has_mutants(assignment):
    assert len(MUTANTS.get(assignment, [])) >= 5
