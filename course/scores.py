"""The score table (`course scores`): every student's score per assignment, from the gradebook."""

from __future__ import annotations

from pathlib import Path

from autograder.errors import FixableError
from autograder.run.gradebook import gradebook_exists, gradebook_url


class NoGradebook(FixableError):
    """Nothing has been graded in this course yet."""


def score_rows(root: Path, names: list[str]) -> list[list[str]]:
    """One row per student of the gradebook: the id, "score / max" per assignment of ``names``
    ("—" where there is no submission) and the total, read back from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    url = gradebook_url(root)
    if not gradebook_exists(url):
        raise NoGradebook("no gradebook.db yet: grade something first (e.g. `course demo`)")
    rows = []
    with Gradebook(url) as gb:
        for student in sorted(s.id for s in gb.students):
            cells, total, max_total = [], 0.0, 0.0
            for name in names:
                try:
                    sub = gb.find_submission(name, student)
                except MissingEntry:
                    cells.append("—")
                    continue
                cells.append(f"{sub.score:.1f} / {sub.max_score:g}")
                total += sub.score
                max_total += sub.max_score
            rows.append([student, *cells, f"{total:.1f} / {max_total:g}"])
    return rows


def score_table(root: Path, names: list[str]) -> str:
    """:func:`score_rows` as text, under a header; columns as wide as their longest entry (any id fits)."""
    header = ["student", *names, "total"]
    rows = score_rows(root, names)
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join([header[0].ljust(widths[0])] + [h.rjust(w) for h, w in zip(header[1:], widths[1:])])]
    lines.append("-" * len(lines[0]))
    lines += ["  ".join([row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])])
              for row in rows]
    return "\n".join(lines)
