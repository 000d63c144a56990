"""The grader's verdicts: :mod:`gdcourse.judge` on records that came from a student's kernel.

The comparison and the named and generic diagnoses live in the learner package, so that a
student's practice check (``gdcourse.check()``) and the grader decide alike. What only the
grader does is here: a record is first checked for the shape it claims
(:mod:`autograder.pipeline.records`; anything malformed is a check tampered with, never an
exception), and named mistakes take their words from the catalogue
(:data:`autograder.pipeline.catalogue.CATALOG`, filled by the course's catalogue), whose formulas never
leave the instructor.
"""

from __future__ import annotations

from collections.abc import Mapping

from gdcourse import judge as core
from gdcourse.judge import (  # noqa: F401 - the grader's names for them
    ATOL,
    RTOL,
    Verdict,
    close_number,
    describe,
    describe_input,
    leaves,
    same,
    structure_mismatch,
    tampered,
)

from autograder.pipeline.catalogue import CATALOG
from autograder.pipeline.records import malformed


class _Messages(Mapping):
    """The catalogue's words by mistake name, as registered now (questions' options register later)."""

    def __getitem__(self, name: str) -> str:
        return CATALOG[name].message

    def __iter__(self):
        return iter(CATALOG)

    def __len__(self) -> int:
        return len(CATALOG)


MESSAGES = _Messages()


def judge_probe(ref: dict, got: dict) -> Verdict:
    """Compare one probe record from a student's kernel with the reference's."""
    problem = malformed(got, ref)
    if problem:
        return tampered(ref.get("function", "the function"), problem, len(ref.get("cases", [])))
    return core.judge_probe(ref, got, MESSAGES)


def judge_cell(reference: list[dict], submitted: list[dict], error: dict | None,
               cells: list[str] | None = None) -> Verdict:
    """The verdict of one autograded test cell (see :func:`gdcourse.judge.judge_cell`); ``cells``: the code of
    the submitted notebook's cells before it, read (never run) for a derivative measured numerically."""
    return core.judge_cell(reference, submitted, error, MESSAGES, judge=judge_probe, cells=cells)
