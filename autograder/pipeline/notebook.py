"""Small readers of notebook cells shared by the reference run, the verdicts and every reader of
graded notebooks (check, feedback, report, demo)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from nbgrader import utils

from gdcourse.probe import MIME

from autograder.pipeline import metadata


def is_test_cell(cell) -> bool:
    """An autograded test cell: a graded code cell that is not a student's answer."""
    return cell.cell_type == "code" and utils.is_grade(cell) and not utils.is_solution(cell)


def test_cell_ids(nb) -> Iterator[tuple[str, object]]:
    for cell in nb.cells:
        if is_test_cell(cell):
            yield cell.metadata["nbgrader"]["grade_id"], cell


def probe_records(cell) -> list[dict]:
    """The probe payloads a cell published, in order."""
    records = []
    for out in cell.get("outputs", []):
        if out.get("output_type") in ("display_data", "execute_result"):
            payload = out.get("data", {}).get(MIME)
            if payload is not None:
                records.append(payload)
    return records


def first_error(cell) -> dict | None:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return out
    return None


#: The error a failed verdict shows in its test cell (an ``error`` output gives the cell 0 points).
VERDICT_ERROR_NAME = "WrongAnswer"


@dataclass(frozen=True)
class CellVerdict:
    """How one graded test cell came out, read from the graded notebook.

    Attributes
    ----------
    passed : bool
    message : str
        The verdict's words ("dJ: is missing the factor 2 … [6 of 7 hidden checks failed]").
    kinds : tuple of str
        The judge's diagnoses and named mistakes; empty for a cell the judge did not decide.
    error_name : str
        The error the cell shows: :data:`VERDICT_ERROR_NAME` for a failed verdict, the
        exception's name for a cell decided by nbgrader's own rule, "" when passed.
    judged : bool
        Whether the judge decided it (``metadata.gd_course.verdict``), or nbgrader's rule did
        (a test cell without probes: an error fails it).
    """

    passed: bool
    message: str
    kinds: tuple[str, ...] = ()
    error_name: str = ""
    judged: bool = True

    @property
    def shown(self) -> str:
        """The verdict as the cell shows it: "WrongAnswer: dJ: …"."""
        return f"{self.error_name}: {self.message}" if self.error_name else self.message


def cell_verdict(cell) -> CellVerdict:
    """The verdict of a graded test cell: the judge's (``metadata.gd_course.verdict``, written by
    ``ProbeVerdicts`` after the student's code ran), else nbgrader's rule on the cell's outputs."""
    verdict = metadata.verdict(cell)
    error = first_error(cell)
    if verdict:
        passed = bool(verdict.get("passed"))
        message = verdict.get("message")
        if message is None:  # graded before the verdict's words were kept beside it
            message = str(error.get("evalue", "")) if error else _passed_text(cell)
        return CellVerdict(passed, message, tuple(verdict.get("kinds") or ()), "" if passed else VERDICT_ERROR_NAME)
    if error:
        return CellVerdict(False, str(error.get("evalue", "")), (), str(error.get("ename", "")), judged=False)
    return CellVerdict(True, _passed_text(cell), judged=False)


def _passed_text(cell) -> str:
    """What a passing cell printed, without the verdict's check marks."""
    for out in cell.get("outputs", []):
        if out.get("output_type") == "stream":
            return "".join(line.removeprefix("✓ ") for line in out.get("text", "").splitlines(keepends=True)).strip()
    return ""


BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


class UnbalancedHiddenTests(ValueError):
    """A cell whose hidden-test markers do not pair up."""


def strip_hidden_tests(source: str) -> str:
    """``source`` without its hidden-test regions, markers included (nbgrader's ClearHiddenTests line rule)."""
    kept, hidden = [], False
    for line in source.split("\n"):
        if BEGIN_HIDDEN in line:
            if hidden:
                raise UnbalancedHiddenTests("nested ### BEGIN HIDDEN TESTS")
            hidden = True
        elif END_HIDDEN in line:
            hidden = False
        elif not hidden:
            kept.append(line)
    if hidden:
        raise UnbalancedHiddenTests("### BEGIN HIDDEN TESTS without ### END HIDDEN TESTS")
    return "\n".join(kept)
