"""`nbgrader export` with a status column and one column per exercise.

Stock nbgrader exports a 0 for a submission it could not grade, the same as a 0 earned.
This plugin (``c.ExportApp.plugin_class`` in nbgrader_config.py) keeps nbgrader's columns
and adds ``status`` (``graded``, ``failed: <reason>``, ``needs manual grading[: why]``,
``missing: no submission``) and the score of every graded cell, by its grade id.
Students with a folder in ``submitted/`` whom nbgrader never reached are listed too.
"""

from __future__ import annotations

import csv
from pathlib import Path

from nbgrader.api import Gradebook, MissingEntry
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import ExportPlugin

from .status import submission_status

BASE_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                "raw_score", "late_submission_penalty", "score", "max_score", "status"]


def export_rows(gradebook: Gradebook, root: Path, assignments=(), students=()) -> tuple[list[str], list[dict]]:
    """The rows of the export, one per (assignment, student), and the exercise columns in order."""
    exercise_columns: list[str] = []
    rows = []
    known = {s.id: s for s in gradebook.students}
    submitted = {p.name for p in (root / "submitted").iterdir() if p.is_dir()} if (root / "submitted").is_dir() else set()
    for assignment in gradebook.assignments:
        if assignments and assignment.name not in assignments:
            continue
        cells = [(nb.name, cell.name) for nb in assignment.notebooks for cell in nb.grade_cells]
        for _, grade_id in cells:
            if grade_id not in exercise_columns:
                exercise_columns.append(grade_id)
        for student_id in sorted(set(known) | submitted):
            if students and student_id not in students:
                continue
            student = known.get(student_id)
            row = {"assignment": assignment.name, "duedate": assignment.duedate or "", "student_id": student_id,
                   "last_name": getattr(student, "last_name", None) or "",
                   "first_name": getattr(student, "first_name", None) or "",
                   "email": getattr(student, "email", None) or "", "max_score": assignment.max_score,
                   "timestamp": "", "raw_score": 0.0, "late_submission_penalty": 0.0, "score": 0.0}
            needs_manual = False
            try:
                submission = gradebook.find_submission(assignment.name, student_id)
            except MissingEntry:
                pass
            else:
                penalty = submission.late_submission_penalty or 0.0
                row.update(timestamp=submission.timestamp or "", raw_score=submission.score,
                           late_submission_penalty=penalty, score=max(0.0, submission.score - penalty))
                needs_manual = submission.needs_manual_grade
                for nb in submission.notebooks:
                    for grade in nb.grades:
                        row[grade.name] = grade.score
            row["status"] = submission_status(root, assignment.name, student_id, needs_manual)
            rows.append(row)
    return exercise_columns, rows


class StatusCsvExport(ExportPlugin):
    """CSV export: nbgrader's columns, a status column, a column per graded cell."""

    def export(self, gradebook: Gradebook) -> None:
        dest = Path(self.to or "grades.csv")
        root = Path(CourseDirectory(config=self.config).root)
        columns, rows = export_rows(gradebook, root, [str(a) for a in self.assignment],
                                    [str(s) for s in self.student])
        tmp = dest.with_name(f".{dest.name}.tmp")
        with open(tmp, "w", newline="") as fh:
            writer = csv.DictWriter(fh, fieldnames=BASE_COLUMNS + columns, restval="")
            writer.writeheader()
            writer.writerows(rows)
        tmp.replace(dest)
        self.log.info("Exported %d rows with a status column to %s", len(rows), dest)
