"""Feedback pages worth reading: nbgrader's ``generate_feedback`` with this course's template.

- :class:`MathAsMathML` turns the TeX of markdown cells into MathML, which browsers draw with no
  script and no network (stock feedback loads MathJax from a CDN: offline, formulas stay raw TeX);
- :class:`ExerciseSummary` lists each exercise (test cell) with its points and its verdict, for
  the summary at the top of the page (``course/feedback_templates/gd_feedback``), names the
  section of the notebook to review for each exercise not passed (a link into the course's
  published book with ``c.ExerciseSummary.book_url``), and notes when the page has no figures
  because grading drew none.

``nbgrader_config.py`` adds both to ``GenerateFeedback.preprocessors`` and selects the template,
so ``nbgrader generate_feedback`` and ``course feedback`` write the same pages.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool, Unicode

from autograder.pipeline.mathml import INLINE_MATH, markdown_with_mathml, tex_to_mathml  # noqa: F401 - feedback's names

TEMPLATES = Path(__file__).resolve().parent / "feedback_templates"
TEMPLATE_NAME = "gd_feedback"
TEMPLATE_FILE = "feedback_page.html.j2"  # extends nbgrader's feedback index.html.j2, found after this folder

_FENCED = re.compile(r"```.*?```", re.S)
_SECTION = re.compile(r"^##[ \t]+(.+?)[ \t#]*$", re.M)  # a level-2 heading: a section of the book


class MathAsMathML(Preprocessor):
    """Markdown cells' TeX as MathML (a feedback page must read right offline)."""

    enabled = Bool(True).tag(config=True)  # nbgrader registers its converters' preprocessors as they are

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = markdown_with_mathml(cell.source)
        return cell, resources


def heading_text(markdown: str) -> str:
    """A heading's words as a reader sees them: inline code and math marks dropped, their content kept."""
    return INLINE_MATH.sub(lambda m: m.group(1), markdown).replace("`", "").strip()


def book_anchor(heading: str) -> str:
    """The id the course's book (Sphinx) gives the section under this markdown heading.

    docutils makes section ids from the heading's text, with math and code as their source
    (``$m$`` reads ``m``): ``"4. Many updates: the history of θ"`` becomes
    ``"many-updates-the-history-of"``. ``tests/test_book.py`` checks every exercise's anchor
    against a built book.
    """
    from docutils.nodes import make_id

    return make_id(heading_text(heading))


def _verdict(cell, name: str) -> str:
    """The test cell's verdict as one line, without what the summary line already says."""
    from autograder.pipeline.notebook import VERDICT_ERROR_NAME, cell_verdict

    verdict = cell_verdict(cell)
    text = verdict.message if verdict.error_name in ("", VERDICT_ERROR_NAME) else verdict.shown
    return text.removeprefix(f"{name}: ")


class ExerciseSummary(Preprocessor):
    """Each exercise's name, points and verdict, into ``resources["gd_feedback"]`` for the template."""

    enabled = Bool(True).tag(config=True)
    book_url = Unicode("", help="Address of the course's published book (`course book`), e.g. "
                       "https://example.org/gd-book/: each exercise not passed links to the section of "
                       "its chapter to review. Empty: the section is named, without a link.").tag(config=True)

    def section_link(self, notebook_id: str, heading: str) -> str:
        """The book's address of a section of a chapter (a notebook); "" without :attr:`book_url`."""
        if not self.book_url:
            return ""
        return f"{self.book_url.rstrip('/')}/{notebook_id}.html#{book_anchor(heading)}"

    def preprocess(self, nb, resources):
        exercises = []
        notebook_id = resources.get("nbgrader", {}).get("notebook") or resources.get("unique_key", "")
        section = ""
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                headings = _SECTION.findall(_FENCED.sub("", cell.source))
                section = headings[-1] if headings else section
                continue
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                grade_id = meta.get("grade_id", "")
                score, points = float(meta.get("score") or 0.0), float(meta.get("points") or 0.0)
                name = grade_id.removeprefix("test_")
                passed = score >= points
                review = {"title": heading_text(section), "url": self.section_link(notebook_id, section)} \
                    if section and not passed else None
                exercises.append({"grade_id": grade_id, "name": name, "score": score, "points": points,
                                  "passed": passed, "message": _verdict(cell, name), "review": review})
        drew = any(key.startswith("image/") for cell in nb.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) for key in output.get("data", {}))
        plots = any("plot" in cell.source or "plt." in cell.source for cell in nb.cells if cell.cell_type == "code")
        resources["gd_feedback"] = {"exercises": exercises, "no_figures": plots and not drew}
        return nb, resources


@dataclass
class FeedbackPages:
    """What ``course feedback`` wrote: the pages, and the students who handed in but got none, with why."""

    pages: list[Path]
    students: int  # who handed in the assignment
    without: dict[str, str]  # student -> their status (why no page)


def generate_feedback(root: Path, assignment: str) -> FeedbackPages:
    """``nbgrader generate_feedback`` for ``assignment`` (this course's template and preprocessors), then who
    got a page and who did not, and why."""
    from autograder.run.status import submission_status
    from course.root import chosen_assignments, run_nbgrader

    chosen_assignments(root, [assignment])
    run_nbgrader(root, "generate_feedback", assignment, "--force")
    pages = sorted((root / "feedback").glob(f"*/{assignment}/*.html"))
    got = {page.parts[-3] for page in pages}
    submitted = sorted(p.parent.name for p in (root / "submitted").glob(f"*/{assignment}") if p.is_dir())
    return FeedbackPages(pages, len(submitted), {student: str(submission_status(root, assignment, student))
                                                 for student in submitted if student not in got})
