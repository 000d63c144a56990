"""Every wrong submission in content/mutants loses exactly one exercise, and is told why."""

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
    assert "no known mistake explains it" not in result.message, f"left to the bare fallback: {result.message}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_assignment_has_mutants(assignment):
    assert len(MUTANTS.get(assignment, [])) >= 5


#: The curriculum's misconceptions that are easy to write in many ways, with the words every
#: message about them must contain (issue 19): each needs three or more independent writings.
WRITTEN_MANY_WAYS = {
    "hard-coded for the visible input": ("01_one_variable", "test_dJ", "hard-coded"),
    "numerical gradient leaves θ perturbed": ("02_partial_derivatives", "test_numerical_gradient", "perturbed"),
    "history rows aliasing one array": ("02_partial_derivatives", "test_gradient_descent", "same array"),
    "y of shape (m, 1) broadcasting into an (m, m) matrix": ("04_vectorized_gradient", "test_mse_gradient",
                                                             "(m, m) matrix"),
}


@pytest.mark.parametrize("misconception", WRITTEN_MANY_WAYS)
def test_listed_misconceptions_are_named_in_three_independent_writings(misconception):
    """Each writing is graded by test_mutant_loses_exactly_its_exercise, which requires these words."""
    assignment, test_cell, words = WRITTEN_MANY_WAYS[misconception]
    writings = [m for m in MUTANTS[assignment] if m.fails == test_cell and m.says == words]
    assert len(writings) >= 3, f"{misconception}: only {[m.name for m in writings]}"
    assert len({" ".join(m.source.split()) for m in writings}) == len(writings)
