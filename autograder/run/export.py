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

from nbgrader.api import Gradebook
from nbgrader.coursedir import CourseDirectory
from nbgrader.plugins.export import ExportPlugin

from autograder import patches
from autograder.run.status import submission_status

BASE_COLUMNS = ["assignment", "duedate", "timestamp", "student_id", "last_name", "first_name", "email",
                "lms_user_id", "raw_score", "late_submission_penalty", "score", "max_score", "late", "status"]
#: Canvas's gradebook CSV: its id columns first, then one column per assignment (Canvas makes an
#: assignment of each column it does not know; "Points Possible" is its second row).
CANVAS_ID_COLUMNS = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]


def late_text(seconds: float | None) -> str:
    """How late a submission is, for people: "2 days 3 h late", "" when on time or without a due date."""
    if not seconds or seconds <= 0:
        return ""
    minutes = int(seconds // 60)
    days, hours, minutes = minutes // 1440, minutes // 60 % 24, minutes % 60
    parts = ([f"{days} day{'s' * (days != 1)}"] if days else []) + ([f"{hours} h"] if hours else [])
    if not days:
        parts.append(f"{minutes} min")
    return " ".join(parts[:2]) + " late"


def submissions_of(gradebook: Gradebook, assignment, max_scores: bool = False) -> dict:
    """Student id -> the ``SubmittedAssignment`` of ``assignment`` (an ``Assignment`` of the gradebook),
    with its score, penalty, manual-grading flag, notebooks and grades (with ``max_score`` if asked) read
    in a few queries for the whole class: nbgrader's ``find_submission`` and its lazily loaded
    attributes take about ten queries per student, which dominate at a thousand students."""
    from nbgrader.api import Grade, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy.orm import selectinload, undefer

    grades = selectinload(SubmittedAssignment.notebooks).selectinload(SubmittedNotebook.grades)
    query = (gradebook.db.query(SubmittedAssignment)
             .filter(SubmittedAssignment.assignment_id == assignment.id)
             .options(undefer(SubmittedAssignment.score), undefer(SubmittedAssignment.late_submission_penalty),
                      grades.joinedload(Grade.cell),
                      *([grades.undefer(Grade.max_score)] if max_scores else [])))
    submissions = {submission.student_id: submission for submission in query}
    if patches.applies("nbgrader-manual-flags-in-one-query"):
        _load_manual_flags(gradebook, assignment, submissions.values())
    return submissions


def _load_manual_flags(gradebook: Gradebook, assignment, submissions) -> None:
    """Set ``needs_manual_grade`` of every submission of ``assignment`` from one query."""
    from nbgrader.api import Grade, SubmittedAssignment, SubmittedNotebook
    from sqlalchemy.orm.attributes import set_committed_value

    # nbgrader's needs_manual_grade (EXISTS a grade needing it in one of the submission's notebooks)
    # scans every submitted notebook for each submission, a time that grows with the square of the
    # class; the same question for the whole class is one join
    manual = {id_ for (id_,) in gradebook.db.query(SubmittedNotebook.assignment_id).distinct()
              .join(Grade, Grade.notebook_id == SubmittedNotebook.id)
              .join(SubmittedAssignment, SubmittedAssignment.id == SubmittedNotebook.assignment_id)
              .filter(SubmittedAssignment.assignment_id == assignment.id, Grade.needs_manual_grade)}
    for submission in submissions:
        set_committed_value(submission, "needs_manual_grade", submission.id in manual)


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
        submissions = submissions_of(gradebook, assignment)
        for student_id in sorted(set(known) | submitted):
            if students and student_id not in students:
                continue
            student = known.get(student_id)
            row = {"assignment": assignment.name, "duedate": assignment.duedate or "", "student_id": student_id,
                   "last_name": getattr(student, "last_name", None) or "",
                   "first_name": getattr(student, "first_name", None) or "",
                   "email": getattr(student, "email", None) or "",
                   "lms_user_id": getattr(student, "lms_user_id", None) or "", "max_score": assignment.max_score,
                   "timestamp": "", "raw_score": 0.0, "late_submission_penalty": 0.0, "score": 0.0, "late": ""}
            needs_manual = False
            submission = submissions.get(student_id)
            if submission is not None:
                penalty = submission.late_submission_penalty or 0.0
                row.update(timestamp=submission.timestamp or "", raw_score=submission.score,
                           late_submission_penalty=penalty, score=max(0.0, submission.score - penalty),
                           late=late_text(submission.total_seconds_late))
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


def write_canvas_csv(gradebook: Gradebook, root: Path, assignments, dest: Path) -> int:
    """Canvas's gradebook import file: one row per student of the gradebook (the roster's, after
    ``course collect --roster``), Canvas's user id in ``ID``, the course's id as ``SIS User ID``, the
    score after late penalties per assignment; empty where there is no grade (missing, failed).
    Returns the number of student rows."""
    names = list(assignments)
    _, rows = export_rows(gradebook, root, names)
    by_student: dict[str, dict] = {}
    for row in rows:
        person = by_student.setdefault(row["student_id"], {
            "Student": ", ".join(part for part in (row["last_name"], row["first_name"]) if part) or row["student_id"],
            "ID": row["lms_user_id"], "SIS User ID": row["student_id"], "SIS Login ID": row["email"], "Section": ""})
        graded = row["status"].has_grade
        person[row["assignment"]] = f"{row['score']:g}" if graded else ""
    maxima = {a.name: a.max_score for a in gradebook.assignments if a.name in names}
    tmp = dest.with_name(f".{dest.name}.tmp")
    with open(tmp, "w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=CANVAS_ID_COLUMNS + names, restval="")
        writer.writeheader()
        writer.writerow({"Student": "Points Possible", **{n: f"{maxima.get(n, 0):g}" for n in names}})
        writer.writerows(by_student[s] for s in sorted(by_student))
    tmp.replace(dest)
    return len(by_student)
