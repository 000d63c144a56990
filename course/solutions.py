"""`course solutions`: an assignment's solutions for learners, written only after its due date.

The solutions notebook is the instructor's notebook of ``source/`` as a learner may read it once
the assignment is graded: hidden tests removed (the rule of nbgrader's ``ClearHiddenTests``, as
:func:`course.book.executable_notebook` applies it), solutions kept without their markers,
worked solutions (``course/worked.py``) kept where they are under a heading, no outputs, and no
nbgrader metadata, so it cannot pass for a submission. Beside it, the same as an HTML page that
reads offline (the feedback page's template and MathML).

Writing it is refused before the due date that the gradebook holds (nbgrader's
``Assignment.duedate``, set by ``course release ASSIGNMENT --due``) and when there is none,
unless forced.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import nbformat

from autograder.errors import FixableError

SOLUTIONS_DIR = "solutions"  # under the course root, like feedback/
PAGE_TEMPLATE_FILE = "solutions_page.html.j2"  # in course/feedback_templates/gd_feedback/


class SolutionsRefused(FixableError):
    """The solutions may not be written yet (or cannot be); the message says what to do."""


@dataclass
class Solutions:
    """What :func:`write_solutions` wrote."""

    notebook: Path
    page: Path
    due: dt.datetime | None  # naive UTC, as nbgrader keeps it
    forced: bool  # written before the due date, or without one, because of --force


def utc_now() -> dt.datetime:
    """Now, naive UTC: what nbgrader's due dates are compared with."""
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def check_due(assignment: str, due: dt.datetime | None, now: dt.datetime, force: bool) -> bool:
    """Whether writing now needs ``force``; raise :class:`SolutionsRefused` if it does and there is none."""
    if due is None:
        if force:
            return True
        raise SolutionsRefused(f"no due date is set for {assignment}: set one with `course release {assignment} "
                               f"--due 'YYYY-MM-DD HH:MM'`, or pass --force to write the solutions anyway")
    if now < due:
        if force:
            return True
        raise SolutionsRefused(f"not writing the solutions of {assignment}: it is due {due:%Y-%m-%d %H:%M} UTC "
                               f"(now {now:%Y-%m-%d %H:%M} UTC) and students may still hand it in; run this after "
                               "the due date, or pass --force to write them now")
    return False


def solutions_notebook(source_nb):
    """The solutions notebook made from an instructor's notebook (see the module's docstring)."""
    from course.book import executable_notebook
    from course.worked import with_headings

    nb = with_headings(executable_notebook(source_nb))  # hidden tests and solution markers out, no outputs
    for cell in nb.cells:
        cell.metadata.pop("nbgrader", None)
    nb.metadata.pop("celltoolbar", None)
    return nb


def solutions_page(nb, title: str) -> str:
    """The solutions notebook as one HTML page: the feedback page's look, formulas as MathML, no script."""
    import nbgrader
    from nbconvert import HTMLExporter

    from course.feedback import TEMPLATE_NAME, TEMPLATES, MathAsMathML

    nbgrader_folder = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader"
    exporter = HTMLExporter(template_name=TEMPLATE_NAME, template_file=PAGE_TEMPLATE_FILE,
                            extra_template_basedirs=[str(TEMPLATES), str(nbgrader_folder / "templates")],
                            extra_template_paths=[str(nbgrader_folder / "static" / "node_modules" / "bootstrap"
                                                      / "dist" / "css")])
    exporter.register_preprocessor(MathAsMathML(), enabled=True)
    body, _ = exporter.from_notebook_node(nb, resources={"nbgrader": {"notebook": title}})
    return body


def write_solutions(root: Path, assignment: str, out: Path | None = None, force: bool = False,
                    now: dt.datetime | None = None) -> Solutions:
    """Write ``<out>/<assignment>/<assignment>.ipynb`` and ``.html`` (``out``: ``solutions/`` of the course).

    Refused (:class:`SolutionsRefused`) before the assignment's due date in the gradebook, or when
    it has none, unless ``force``. ``now`` (naive UTC) is for tests.
    """
    from course.collect import due_date

    root = Path(root)
    source = root / "source" / assignment / f"{assignment}.ipynb"
    if not source.is_file():
        raise SolutionsRefused(f"no notebook {source.relative_to(root)}: is {assignment!r} an assignment of this course?")
    due = due_date(root, assignment)
    forced = check_due(assignment, due, now or utc_now(), force)
    nb = solutions_notebook(nbformat.read(source, as_version=4))
    folder = (Path(out) if out is not None else root / SOLUTIONS_DIR) / assignment
    folder.mkdir(parents=True, exist_ok=True)
    notebook, page = folder / f"{assignment}.ipynb", folder / f"{assignment}.html"
    nbformat.write(nb, notebook)
    page.write_text(solutions_page(nb, assignment), encoding="utf-8")
    return Solutions(notebook=notebook, page=page, due=due, forced=forced)
