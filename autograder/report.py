"""`course report <assignment>`: one HTML page about a graded class, pictures first.

The data (:func:`class_data`) comes from the gradebook (scores, per-exercise points), the
graded notebooks (``cell.metadata.gd_course.verdict.kinds``: which mistake each failed
test cell recognised) and the status records (who failed and why). Rendering
(:func:`render_html`) is separate and pure: three Matplotlib figures embedded as PNG data
URIs, and tables; every student-controlled string is escaped. No network, no scripts.
"""

from __future__ import annotations

import base64
import html
import io
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from .notebook import test_cell_ids
from .status import GRADED, submission_status


@dataclass
class ClassData:
    assignment: str
    max_score: float
    scores: dict[str, float]  # student -> score, graded submissions only
    exercises: list[str]  # test cell ids, in notebook order
    passed: dict[str, int]  # test cell -> how many graded students got full points
    misconceptions: Counter = field(default_factory=Counter)  # (test cell, kind) -> students
    statuses: dict[str, str] = field(default_factory=dict)  # student -> status, for every submitter

    @property
    def graded(self) -> int:
        return len(self.scores)

    def pass_rate(self, exercise: str) -> float:
        return self.passed.get(exercise, 0) / self.graded if self.graded else 0.0


def class_data(root: Path, assignment: str) -> ClassData:
    """Everything the report shows, read from the gradebook, autograded/ and grading-status/."""
    from nbgrader.api import Gradebook, MissingEntry

    root = Path(root)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        try:
            spec = gb.find_assignment(assignment)
        except MissingEntry:
            raise ValueError(f"{assignment!r} has not been graded yet (no such assignment in gradebook.db)") from None
        max_score = spec.max_score
        submitters = sorted({p.parent.name for p in (root / "submitted").glob(f"*/{assignment}") if p.is_dir()})
        data = ClassData(assignment, max_score, {}, [], {})
        for student in submitters:
            try:
                sub = gb.find_submission(assignment, student)
                needs_manual = sub.needs_manual_grade
            except MissingEntry:
                sub, needs_manual = None, False
            status = submission_status(root, assignment, student, needs_manual)
            data.statuses[student] = status
            if sub is None or status.startswith(("failed", "missing")):
                continue
            data.scores[student] = sub.score
            for nb in sub.notebooks:
                for grade in nb.grades:
                    if grade.max_score and grade.score >= grade.max_score:
                        data.passed[grade.name] = data.passed.get(grade.name, 0) + 1
            for notebook in sorted((root / "autograded" / student / assignment).glob("*.ipynb")):
                for grade_id, cell in test_cell_ids(nbformat.read(notebook, as_version=4)):
                    if grade_id not in data.exercises:
                        data.exercises.append(grade_id)
                    verdict = cell.metadata.get("gd_course", {}).get("verdict") or {}
                    if verdict and not verdict.get("passed"):
                        for kind in dict.fromkeys(verdict.get("kinds") or ["unrecognised"]):
                            data.misconceptions[(grade_id, kind)] += 1
    return data


def mistake_label(kind: str) -> str:
    """A readable name for a verdict kind: the catalogue's message, or the kind in words."""
    from .mistakes import CATALOG

    if kind in CATALOG:
        return CATALOG[kind].message
    return kind.replace("_", " ")


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=96, bbox_inches="tight")
    plt.close(fig)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


def figures(data: ClassData) -> dict[str, str]:
    """The three pictures, as PNG data URIs: score distribution, pass rates, misconceptions."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import MaxNLocator

    out = {}
    fig, ax = plt.subplots(figsize=(6, 3))
    bins = max(1, int(round(data.max_score))) if data.max_score else 10
    ax.hist(list(data.scores.values()), bins=bins, range=(0, data.max_score or 1), color="#4c72b0", edgecolor="white")
    ax.set_xlabel(f"score (of {data.max_score:g})")
    ax.set_ylabel("students")
    ax.yaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_title(f"Score distribution ({data.graded} graded)")
    out["scores"] = _png(fig)

    fig, ax = plt.subplots(figsize=(6, 0.45 * len(data.exercises) + 1))
    names = [e.removeprefix("test_") for e in data.exercises]
    rates = [100 * data.pass_rate(e) for e in data.exercises]
    ax.barh(names[::-1], rates[::-1], color="#55a868")
    ax.set_xlim(0, 100)
    ax.set_xlabel("% of graded students with full points")
    ax.set_title("Pass rate per exercise")
    out["pass_rates"] = _png(fig)

    common = data.misconceptions.most_common(15)
    fig, ax = plt.subplots(figsize=(7, 0.45 * max(1, len(common)) + 1))
    if common:
        labels = [f"{e.removeprefix('test_')}: {k.replace('_', ' ')}" for (e, k), _ in common]
        ax.barh(labels[::-1], [n for _, n in common][::-1], color="#c44e52")
        ax.set_xlabel("students")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    else:
        ax.text(0.5, 0.5, "no mistakes recognised", ha="center", va="center")
        ax.set_axis_off()
    ax.set_title("Misconceptions recognised by the hidden checks")
    out["misconceptions"] = _png(fig)
    return out


def render_html(data: ClassData, pictures: dict[str, str] | None = None) -> str:
    """The report page (self-contained: no network, no scripts)."""
    pictures = figures(data) if pictures is None else pictures
    e = html.escape
    scores = sorted(data.scores.values())
    median = scores[len(scores) // 2] if scores else 0
    problems = {s: st for s, st in sorted(data.statuses.items()) if st != GRADED}
    rows = "".join(f"<tr><td>{e(s)}</td><td>{e(st)}</td></tr>" for s, st in problems.items())
    mistakes = "".join(
        f"<tr><td>{e(ex.removeprefix('test_'))}</td><td>{e(mistake_label(kind))}</td><td>{n}</td></tr>"
        for (ex, kind), n in data.misconceptions.most_common())
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{e(data.assignment)}: class report</title>
<style>body{{font-family:sans-serif;max-width:60em;margin:2em auto;color:#222}}
img{{max-width:100%}}table{{border-collapse:collapse}}td,th{{border-bottom:1px solid #ddd;padding:.3em .8em;text-align:left}}</style>
</head><body>
<h1>{e(data.assignment)}</h1>
<p>{len(data.statuses)} submissions: {data.graded} graded, {len(problems)} to look at (listed at the end).
Median score {median:g} of {data.max_score:g}.</p>
<h2>Scores</h2><img alt="score distribution" src="{pictures['scores']}">
<h2>Exercises</h2><img alt="pass rate per exercise" src="{pictures['pass_rates']}">
<h2>Misconceptions</h2><img alt="misconceptions" src="{pictures['misconceptions']}">
<table><tr><th>exercise</th><th>what the checks recognised</th><th>students</th></tr>{mistakes}</table>
<h2>Submissions that need a look</h2>
<table><tr><th>student</th><th>status</th></tr>{rows or '<tr><td colspan="2">none</td></tr>'}</table>
</body></html>
"""


def write_report(root: Path, assignment: str, out: Path | None = None) -> Path:
    """Write ``reports/<assignment>.html`` (or into ``out``); return its path."""
    data = class_data(root, assignment)
    folder = Path(out) if out else Path(root) / "reports"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{assignment}.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render_html(data), encoding="utf-8")
    tmp.replace(path)
    return path
