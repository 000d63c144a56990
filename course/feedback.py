"""Feedback pages worth reading: nbgrader's ``generate_feedback`` with this course's template.

- :class:`MathAsMathML` turns the TeX of markdown cells into MathML, which browsers draw with no
  script and no network (stock feedback loads MathJax from a CDN: offline, formulas stay raw TeX);
- :class:`ExerciseSummary` lists each exercise (test cell) with its points and its verdict, for
  the summary at the top of the page (``course/feedback_templates/gd_feedback``), and notes when
  the page has no figures because grading drew none.

``nbgrader_config.py`` adds both to ``GenerateFeedback.preprocessors`` and selects the template,
so ``nbgrader generate_feedback`` and ``course feedback`` write the same pages.
"""

from __future__ import annotations

import re
from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

TEMPLATES = Path(__file__).resolve().parent / "feedback_templates"
TEMPLATE_NAME = "gd_feedback"
TEMPLATE_FILE = "feedback_page.html.j2"  # extends nbgrader's feedback index.html.j2, found after this folder

_CODE = re.compile(r"(```.*?```|`[^`\n]*`)", re.S)  # code in markdown: never math
_DISPLAY = re.compile(r"\$\$(.+?)\$\$", re.S)
_INLINE = re.compile(r"(?<![\\$])\$(?!\$)([^$\n]+?)(?<!\\)\$(?!\$)")


def tex_to_mathml(tex: str, display: bool) -> str:
    """MathML for one formula; the TeX itself, escaped, if it cannot be converted."""
    import html

    from latex2mathml.converter import convert

    try:
        return convert(tex.strip(), display="block" if display else "inline")
    except Exception:  # noqa: BLE001 - a formula the converter does not know stays readable as TeX
        return f"<code>{html.escape(tex)}</code>"


def markdown_with_mathml(source: str) -> str:
    """``source`` with every ``$…$`` and ``$$…$$`` outside code replaced by MathML."""
    parts = _CODE.split(source)
    for i in range(0, len(parts), 2):  # even parts are prose, odd ones code
        text = _DISPLAY.sub(lambda m: "\n\n" + tex_to_mathml(m.group(1), True) + "\n\n", parts[i])
        parts[i] = _INLINE.sub(lambda m: tex_to_mathml(m.group(1), False), text)
    return "".join(parts)


class MathAsMathML(Preprocessor):
    """Markdown cells' TeX as MathML (a feedback page must read right offline)."""

    enabled = Bool(True).tag(config=True)  # nbgrader registers its converters' preprocessors as they are

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and "$" in cell.source:
            cell.source = markdown_with_mathml(cell.source)
        return cell, resources


def _verdict(cell, name: str) -> str:
    """The test cell's verdict as one line, without what the summary line already says."""
    for output in cell.get("outputs", []):
        if output.get("output_type") == "error":
            text = str(output.get("evalue")) if output.get("ename") == "WrongAnswer" else \
                f"{output.get('ename')}: {output.get('evalue')}"
            return text.removeprefix(f"{name}: ")
        if output.get("output_type") == "stream":
            return "".join(output.get("text", "")).strip().removeprefix("✓ ").removeprefix(f"{name}: ")
    return ""


class ExerciseSummary(Preprocessor):
    """Each exercise's name, points and verdict, into ``resources["gd_feedback"]`` for the template."""

    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        exercises = []
        for cell in nb.cells:
            meta = cell.metadata.get("nbgrader", {})
            if meta.get("grade") and not meta.get("solution") and cell.cell_type == "code":
                grade_id = meta.get("grade_id", "")
                score, points = float(meta.get("score") or 0.0), float(meta.get("points") or 0.0)
                name = grade_id.removeprefix("test_")
                exercises.append({"grade_id": grade_id, "name": name, "score": score, "points": points,
                                  "passed": score >= points, "message": _verdict(cell, name)})
        drew = any(key.startswith("image/") for cell in nb.cells if cell.cell_type == "code"
                   for output in cell.get("outputs", []) for key in output.get("data", {}))
        plots = any("plot" in cell.source or "plt." in cell.source for cell in nb.cells if cell.cell_type == "code")
        resources["gd_feedback"] = {"exercises": exercises, "no_figures": plots and not drew}
        return nb, resources
