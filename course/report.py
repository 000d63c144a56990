"""`course report <assignment>`: one self-contained HTML page about a graded class.

The data (:func:`report_data`) is read from three places and kept apart from rendering:

- the gradebook: each student's score and, per test cell, whether they got full points;
- the graded notebooks ``autograded/<student>/<assignment>/<assignment>.ipynb``: each graded
  test cell carries ``metadata.gd_course.verdict = {"passed", "kinds"}`` (written by
  ``autograder.pipeline.preprocessors.ProbeVerdicts``), the mistakes the hidden checks recognised,
  and its error output holds the message the student saw;
- ``autograder.run.status.submission_status``: who failed, needs manual grading or is missing,
  and why.

Rendering (:func:`figures`, :func:`render_html`) draws three Matplotlib figures (Agg, no
display) embedded as PNG data URIs in a ``string.Template`` page: no network, no scripts.
Every student-controlled string (ids, messages) is escaped with :func:`html.escape`.
"""

from __future__ import annotations

import base64
import csv
import datetime as dt
import html
import io
import textwrap
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from string import Template

from autograder.errors import FixableError
from autograder.pipeline.notebook import CellVerdict, cell_verdict
from autograder.run.status import FAILED, GRADED, MISSING, NEEDS_MANUAL, Status


class ReportError(FixableError):
    """There is nothing to report on yet; the message says what to do first."""


#: Verdict kinds that mean "not attempted" rather than a misconception.
NOT_ATTEMPTED = "not_implemented"
STATUS_KINDS = (GRADED, NEEDS_MANUAL, FAILED, MISSING)


@dataclass
class Exercise:
    """One autograded test cell and how the graded class did on it."""

    grade_id: str
    max_points: float
    passed: int = 0  # graded submissions with full points
    graded: int = 0  # graded submissions with a grade for this cell
    not_attempted: int = 0  # of those, still raising NotImplementedError

    @property
    def pass_rate(self) -> float:
        """Fraction of graded submissions with full points (0 if none graded)."""
        return self.passed / self.graded if self.graded else 0.0

    @property
    def name(self) -> str:
        """The exercise's name: the test cell's id without ``test_`` (the function tested)."""
        return self.grade_id.removeprefix("test_")


@dataclass
class Misconception:
    """A verdict kind recognised in one exercise, and who got it."""

    exercise: str  # test cell id
    kind: str
    students: list[str] = field(default_factory=list)
    example: str = ""  # one failure message as a student saw it (student-controlled values inside)

    @property
    def label(self) -> str:
        """A readable name for the kind (see :func:`misconception_label`)."""
        return misconception_label(self.kind)


@dataclass
class ReportData:
    """Everything the report shows, independent of how it is drawn.

    Attributes
    ----------
    assignment : str
    max_score : float
    scores : dict
        Student id -> score (after late penalty) for submissions that were graded
        (status ``graded`` or ``needs manual grading``).
    exercises : list of Exercise
        Test cells in notebook order.
    misconceptions : list of Misconception
        Every (exercise, kind) seen in a failed test cell, most frequent first.
    statuses : dict
        Student id -> ``submission_status`` for every student of the gradebook and every
        folder in ``submitted/`` for this assignment.
    """

    assignment: str
    max_score: float
    scores: dict[str, float] = field(default_factory=dict)
    exercises: list[Exercise] = field(default_factory=list)
    misconceptions: list[Misconception] = field(default_factory=list)
    statuses: dict[str, Status] = field(default_factory=dict)
    late: dict[str, str] = field(default_factory=dict)  # student -> "2 days 3 h late", after the due date

    def status_counts(self) -> dict[str, int]:
        """How many students are graded, need manual grading, failed, are missing."""
        return status_counts(self.statuses.values())

    @property
    def to_look_at(self) -> dict[str, str]:
        """Student -> status for every submission that is not simply ``graded`` on time."""
        return {s: str(st) + (f" ({self.late[s]})" if s in self.late else "")
                for s, st in sorted(self.statuses.items()) if st != Status(GRADED) or s in self.late}

    def counts(self) -> Counter:
        """(exercise, kind) -> number of students, for every misconception."""
        return Counter({(m.exercise, m.kind): len(m.students) for m in self.misconceptions})


def status_counts(statuses) -> dict[str, int]:
    """Count statuses by kind (the text before the first colon).

    Parameters
    ----------
    statuses : iterable of Status or str
        Statuses, or values of the export's ``status`` column (text: the kind is before the first colon).

    Returns
    -------
    dict
        ``{"graded": n, "needs manual grading": n, "failed": n, "missing": n}`` plus any
        other kind found.
    """
    counts = dict.fromkeys(STATUS_KINDS, 0)
    for status in statuses:
        kind = status.kind if isinstance(status, Status) else status.split(":", 1)[0].strip()
        counts[kind] = counts.get(kind, 0) + 1
    return counts


def misconception_label(kind: str) -> str:
    """A readable name for a verdict kind.

    Parameters
    ----------
    kind : str
        A named mistake of ``content.mistakes.CATALOG`` or a generic diagnosis of
        ``gdcourse.judge`` (``wrong_sign``, ``constant_factor``, ...).

    Returns
    -------
    str
        The catalogue's message, the generic label (``gdcourse.wording.LABELS``), or the kind with spaces.
    """
    from autograder.pipeline.judge import MESSAGES
    from gdcourse.wording import label

    return label(kind, MESSAGES)


def _test_cells(nb):
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.get("cell_type") == "code" and meta.get("grade") and not meta.get("solution"):
            yield meta.get("grade_id"), cell


def _read_graded(path: Path):
    """A graded notebook as nbformat.read gives it, for :func:`_test_cells`: a format-4 notebook
    (every graded one: nbgrader writes them) as plain JSON, which reads the cells' metadata and
    outputs alike; nbformat's conversion and validation, which change neither, cost ten times
    the parse. Anything else goes through nbformat."""
    import json

    import nbformat

    text = Path(path).read_text(encoding="utf-8")
    try:
        nb = json.loads(text)
    except ValueError:
        nb = None
    if isinstance(nb, dict) and nb.get("nbformat") == 4 and isinstance(nb.get("cells"), list):
        return nbformat.NotebookNode(nb)  # only the top level: the cells stay dicts
    return nbformat.reads(text, as_version=4)


def graded_verdicts(path: Path) -> dict[str, CellVerdict]:
    """The verdict of every test cell of one graded notebook.

    Parameters
    ----------
    path : pathlib.Path
        ``autograded/<student>/<assignment>/<notebook>.ipynb``.

    Returns
    -------
    dict
        Test cell id -> :class:`autograder.pipeline.notebook.CellVerdict`.
    """
    return {grade_id: cell_verdict(cell) for grade_id, cell in _test_cells(_read_graded(path))}


def failed_verdicts(root: Path, student: str, assignment: str) -> list[tuple[str, str]]:
    """(test cell, verdict as the cell shows it: "WrongAnswer: dJ: …") for every test cell the student
    failed in their graded ``<assignment>.ipynb``; empty if it was not graded."""
    path = Path(root) / "autograded" / student / assignment / f"{assignment}.ipynb"
    if not path.is_file():
        return []
    return [(grade_id, verdict.shown) for grade_id, verdict in graded_verdicts(path).items() if not verdict.passed]


def report_data(root: Path, assignment: str) -> ReportData:
    """Read the gradebook, the graded notebooks and the status records of one assignment.

    Parameters
    ----------
    root : pathlib.Path
        The course root (with ``gradebook.db``, ``autograded/``, ``submitted/``).
    assignment : str
        The assignment id.

    Returns
    -------
    ReportData

    Raises
    ------
    ReportError
        If there is no gradebook or the assignment is not in it.
    """
    import nbformat
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.run.export import late_text, submissions_of
    from autograder.run.gradebook import gradebook_exists, gradebook_url
    from autograder.run.status import submission_status

    root = Path(root)
    url = gradebook_url(root)
    if not gradebook_exists(url):
        raise ReportError("no gradebook.db: grade the assignment first (course grade)")
    order = []
    source = root / "source" / assignment / f"{assignment}.ipynb"
    if source.is_file():
        order = [gid for gid, _ in _test_cells(nbformat.read(source, as_version=4))]
    with Gradebook(url) as gb:
        try:
            spec = gb.find_assignment(assignment)
        except MissingEntry:
            raise ReportError(f"{assignment!r} is not in the gradebook: release and grade it first") from None
        data = ReportData(assignment, float(spec.max_score or 0))
        points = {cell.name: float(cell.max_score) for nb in spec.notebooks for cell in nb.grade_cells
                  if cell.cell_type == "code"}
        solutions = {cell.name for nb in spec.notebooks for cell in nb.solution_cells}
        tests = [gid for gid in order if gid in points] + sorted(set(points) - solutions - set(order))
        exercises = {gid: Exercise(gid, points[gid]) for gid in tests}
        found: dict[tuple[str, str], Misconception] = {}
        submitted = {p.parent.name for p in (root / "submitted").glob(f"*/{assignment}") if p.is_dir()}
        submissions = submissions_of(gb, spec, max_scores=True)
        for student in sorted({s.id for s in gb.students} | submitted):
            sub = submissions.get(student)
            status = submission_status(root, assignment, student, bool(sub and sub.needs_manual_grade))
            data.statuses[student] = status
            if sub is not None and late_text(sub.total_seconds_late):
                data.late[student] = late_text(sub.total_seconds_late)
            if sub is None or not status.has_grade:
                continue
            data.scores[student] = max(0.0, sub.score - (sub.late_submission_penalty or 0.0))
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.name in exercises and grade.score is not None:
                        exercises[grade.name].graded += 1
                        exercises[grade.name].passed += grade.score >= grade.max_score
            for notebook in sorted((root / "autograded" / student / assignment).glob("*.ipynb")):
                for gid, verdict in graded_verdicts(notebook).items():
                    if not verdict.judged or verdict.passed:
                        continue
                    message = verdict.message
                    kinds = list(dict.fromkeys(verdict.kinds or ["unrecognised"]))
                    if gid in exercises and NOT_ATTEMPTED in kinds:
                        exercises[gid].not_attempted += 1
                    for kind in kinds:
                        entry = found.setdefault((gid, kind), Misconception(gid, kind, example=message))
                        if student not in entry.students:
                            entry.students.append(student)
    data.exercises = list(exercises.values())
    data.misconceptions = sorted(found.values(), key=lambda m: (-len(m.students), m.exercise, m.kind))
    return data


# --- rendering ------------------------------------------------------------------------------

def _png(fig) -> bytes:
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    return buffer.getvalue()


def _short(text: str, width: int = 60) -> str:
    text = text.split(": ", 1)[0].split(" (", 1)[0].split("; ", 1)[0]
    return textwrap.shorten(text, width=width, placeholder="…")


def figures(data: ReportData) -> dict[str, bytes]:
    """The three figures as PNG bytes (Matplotlib, Agg canvas, no pyplot state).

    Parameters
    ----------
    data : ReportData

    Returns
    -------
    dict
        ``"scores"``: histogram of the scores; ``"pass_rates"``: pass rate per exercise;
        ``"misconceptions"``: students per misconception (not attempted left out).
    """
    import numpy as np
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    out = {}
    fig = Figure(figsize=(6.5, 3))
    ax = fig.subplots()
    top = max([data.max_score, *data.scores.values(), 1.0])
    edges = np.arange(-0.5, top + 1.0, 1.0) if top <= 40 else np.linspace(0, top, 21)
    ax.hist(list(data.scores.values()), bins=edges, color="#4c72b0", edgecolor="white")
    ax.set_xlim(edges[0], edges[-1])
    ax.set_xlabel(f"score (out of {data.max_score:g})")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Score distribution ({len(data.scores)} graded)")
    out["scores"] = _png(fig)

    fig = Figure(figsize=(6.5, 0.4 * len(data.exercises) + 1.2))
    ax = fig.subplots()
    names = [e.name for e in data.exercises][::-1]
    rates = [100 * e.pass_rate for e in data.exercises][::-1]
    bars = ax.barh(names, rates, color="#55a868")
    ax.bar_label(bars, labels=[f"{r:.0f}%" for r in rates], padding=3, fontsize=8)
    ax.set_xlim(0, 110)
    ax.xaxis.set_major_formatter(PercentFormatter())
    ax.set_xlabel("graded submissions with full points")
    ax.set_title("Pass rate per exercise")
    out["pass_rates"] = _png(fig)

    shown = [m for m in data.misconceptions if m.kind != NOT_ATTEMPTED][:20]
    fig = Figure(figsize=(7.5, 0.45 * max(1, len(shown)) + 1.2))
    ax = fig.subplots()
    if shown:
        labels = [f"{m.exercise.removeprefix('test_')}: {_short(m.label)}" for m in shown][::-1]
        counts = [len(m.students) for m in shown][::-1]
        bars = ax.barh(labels, counts, color="#c44e52")
        ax.bar_label(bars, padding=3, fontsize=8)
        ax.set_xlabel("students")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.set_xlim(0, max(counts) * 1.15 + 0.5)
    else:
        ax.text(0.5, 0.5, "no misconception recognised", ha="center", va="center")
        ax.set_axis_off()
    ax.set_title("Misconceptions recognised by the hidden checks")
    out["misconceptions"] = _png(fig)
    return out


PAGE = Template("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>$assignment: class report</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 62em; margin: 2em auto; padding: 0 1em; color: #222; }
img { max-width: 100%; }
table { border-collapse: collapse; margin: 1em 0; }
th, td { border-bottom: 1px solid #ddd; padding: .3em .8em; text-align: left; vertical-align: top; }
td.n { text-align: right; }
.small { color: #555; font-size: .9em; }
</style></head><body>
<h1>$assignment: class report</h1>
<p>$summary</p>
<p class="small">Written $when from gradebook.db, autograded/ and grading-status/.</p>

<h2>Scores</h2>
<img alt="histogram of the scores" src="data:image/png;base64,$img_scores">

<h2>Exercises</h2>
<img alt="pass rate per exercise" src="data:image/png;base64,$img_pass_rates">
<table><tr><th>exercise</th><th>points</th><th>full points</th><th>not attempted</th></tr>
$exercise_rows</table>

<h2>Misconceptions</h2>
<p class="small">Per exercise, what the hidden checks recognised in failed test cells (a student counts once per
exercise and mistake; one cell can show several). Exercises not attempted are counted in the table above.</p>
<img alt="students per misconception" src="data:image/png;base64,$img_misconceptions">
<table><tr><th>exercise</th><th>what the checks recognised</th><th>students</th><th>a message as students saw it</th></tr>
$misconception_rows</table>

<h2>Submissions to look at</h2>
<table><tr><th>student</th><th>status</th></tr>
$problem_rows</table>
</body></html>
""")


def render_html(data: ReportData, pictures: dict[str, bytes] | None = None) -> str:
    """The report page: self-contained, no scripts, student-controlled text escaped.

    Parameters
    ----------
    data : ReportData
    pictures : dict, optional
        PNG bytes by name as :func:`figures` returns them (drawn if not given).

    Returns
    -------
    str
        The HTML document.
    """
    pictures = figures(data) if pictures is None else pictures
    e = html.escape
    scores = sorted(data.scores.values())
    counts = data.status_counts()
    summary = (f"{len(data.statuses)} students: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
               + (f", {len(data.late)} of them late" if data.late else "") + ".")
    if scores:
        median = (scores[(len(scores) - 1) // 2] + scores[len(scores) // 2]) / 2
        summary += (f" Scores of the graded: median {median:g}, mean {sum(scores) / len(scores):.1f} "
                    f"out of {data.max_score:g}.")
    exercise_rows = "\n".join(
        f"<tr><td>{e(x.name)}</td><td class=n>{x.max_points:g}</td>"
        f"<td class=n>{x.passed} of {x.graded} ({100 * x.pass_rate:.0f}%)</td><td class=n>{x.not_attempted}</td></tr>"
        for x in data.exercises)
    misconception_rows = "\n".join(
        f"<tr><td>{e(m.exercise.removeprefix('test_'))}</td><td>{e(m.label)}</td>"
        f"<td><details><summary>{len(m.students)}</summary>{e(', '.join(m.students))}</details></td>"
        f"<td class=small>{e(textwrap.shorten(m.example, 240, placeholder='…'))}</td></tr>"
        for m in data.misconceptions if m.kind != NOT_ATTEMPTED) or "<tr><td colspan=4>none</td></tr>"
    problem_rows = "\n".join(f"<tr><td>{e(s)}</td><td>{e(st)}</td></tr>" for s, st in data.to_look_at.items()
                             ) or "<tr><td colspan=2>none: every submission was graded</td></tr>"
    return PAGE.substitute(
        assignment=e(data.assignment), summary=e(summary),
        when=dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        img_scores=base64.b64encode(pictures["scores"]).decode(),
        img_pass_rates=base64.b64encode(pictures["pass_rates"]).decode(),
        img_misconceptions=base64.b64encode(pictures["misconceptions"]).decode(),
        exercise_rows=exercise_rows, misconception_rows=misconception_rows, problem_rows=problem_rows)


def write_report(root: Path, assignment: str, out: Path | None = None) -> Path:
    """Write ``<out>/<assignment>.html`` (default ``<root>/reports/``) and return its path.

    Parameters
    ----------
    root : pathlib.Path
        The course root.
    assignment : str
    out : pathlib.Path, optional
        The folder to write into.

    Returns
    -------
    pathlib.Path
    """
    page = render_html(report_data(root, assignment))
    folder = Path(out) if out else Path(root) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.html"
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(page, encoding="utf-8")
    tmp.replace(path)
    return path


def export_summary(path: Path) -> str:
    """One line about an exported grades CSV: rows and statuses by kind.

    Parameters
    ----------
    path : pathlib.Path
        The CSV written by ``nbgrader export`` with this course's plugin.

    Returns
    -------
    str
        e.g. ``"4 rows (2 graded, 1 failed, 1 missing)"``: the kinds in the order graded,
        needs manual grading, failed, missing; kinds with no row are left out.
    """
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        return "0 rows (nothing graded yet)"
    if "status" not in rows[0]:
        return f"{len(rows)} rows (no status column: is c.ExportApp.plugin_class set in nbgrader_config.py?)"
    counts = status_counts(row["status"] for row in rows)
    return f"{len(rows)} rows (" + ", ".join(f"{n} {kind}" for kind, n in counts.items() if n) + ")"
