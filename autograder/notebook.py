"""Small readers of notebook cells shared by the reference run and the verdicts."""

from __future__ import annotations

from typing import Iterator

from nbgrader import utils

from gdcourse.probe import MIME


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
