"""Temporary home of the mutant modules while they are written (moved to autograder/mutants)."""

from autograder.mutants import Mutant, all_mutants as _all, apply_mutant  # noqa: F401


def all_mutants():
    merged = _all()
    for assignment, mutants in _all(__name__, __path__).items():
        merged.setdefault(assignment, []).extend(mutants)
    return merged
