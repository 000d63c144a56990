"""Issue 28: nothing a submission shows runs in the instructor's browser (autograder/pipeline/sanitize.py).

Unit tests of the two preprocessors on crafted outputs and cells (each kind of script removed,
what the course legitimately shows kept byte for byte), then one submission carrying every kind
graded by both graders: its autograded notebook, formgrader's page of it and its feedback page
hold no live script, and its answers get full marks.
"""

from __future__ import annotations

import base64
import copy
import csv
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from autograder.pipeline.sanitize import (SanitizeStudentMarkdown, SanitizeStudentOutputs, html_is_safe, markdown_html,
                                 markdown_is_safe, safe_html)
from autograder.pipeline.mathml import markdown_with_mathml

from .grading import ASSIGNMENTS, ROOT, Course, venv_env

MARK = "gd_pwned"  # in every payload: it must never be where a browser would run it
LIVE_TAGS = {"script", "iframe", "object", "embed", "form", "svg", "style", "link", "meta", "base", "frame"}


def live_payloads(page: str, mark: str = MARK) -> list[str]:
    """Where ``mark`` (in every payload) sits in ``page`` in a form a browser would act on, as parsed by
    BeautifulSoup (independently of the sanitiser's html5lib): inside a script or another live
    element, or in an attribute (an event handler, an address); as text, a title or an alt it is inert."""
    found = []
    for tag in BeautifulSoup(page, "html.parser").find_all(True):
        if tag.name in LIVE_TAGS and mark in str(tag):
            found.append(f"<{tag.name}>: {str(tag)[:120]}")
        for name, value in tag.attrs.items():
            value = " ".join(value) if isinstance(value, list) else str(value)
            url = "".join(ch for ch in value if ch not in "\t\n\r").strip().lower()
            if name.lower() == "href" and not url.startswith(("javascript:", "data:", "vbscript:")):
                continue  # a link elsewhere, even with the mark in its path, only goes there when clicked
            if mark in value and name.lower() not in ("title", "alt"):
                found.append(f"<{tag.name} {name}={value[:80]!r}>")
    return found


PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 32).decode()
SVG_WITH_SCRIPT = f'<svg xmlns="http://www.w3.org/2000/svg"><script>window.{MARK}=1</script><circle r="4"/></svg>'


def display(data: dict, metadata: dict | None = None, kind: str = "display_data"):
    if kind == "execute_result":
        return new_output(kind, data=data, metadata=metadata or {}, execution_count=3)
    return new_output(kind, data=data, metadata=metadata or {})


def sanitised(*outputs, preprocessor=SanitizeStudentOutputs, cells=None, metadata=None):
    nb = new_notebook(cells=cells if cells is not None else [new_code_cell("x", outputs=list(outputs))],
                      metadata=metadata or {})
    nb, _ = preprocessor()(nb, {})
    return nb


# --- each vector is removed -------------------------------------------------------------------

HTML_VECTORS = {
    "script": f"<b>kept</b><script>window.{MARK}=1</script>",
    "img onerror": f'<img src=x onerror="window.{MARK}=1">',
    "img onerror, slashes": f"<img/src=x/onerror=window.{MARK}=1>",
    "svg onload": f"<svg onload=window.{MARK}=1>",
    "svg script": SVG_WITH_SCRIPT,
    "iframe": f"<iframe src='javascript:window.{MARK}=1'></iframe>",
    "iframe srcdoc": f"<iframe srcdoc='<script>window.{MARK}=1</script>'></iframe>",
    "object": f"<object data='data:text/html,<script>window.{MARK}=1</script>'></object>",
    "embed": f"<embed src='javascript:window.{MARK}=1'>",
    "form": f"<form action='javascript:window.{MARK}=1'><button>go</button></form>",
    "javascript link": f"<a href='javascript:window.{MARK}=1'>click</a>",
    "javascript link, disguised": f"<a href=' JaVa&#x09;ScRiPt&colon;window.{MARK}=1'>click</a>",
    "data link": f"<a href='data:text/html,<script>window.{MARK}=1</script>'>click</a>",
    "body onload": f"<body onload='window.{MARK}=1'>",
    "details ontoggle": f"<details open ontoggle='window.{MARK}=1'><summary>x</summary></details>",
    "style element": f"<style>body {{ background: url('{MARK}') }}</style>",
    "style attribute": f"<p style='position:fixed;background:url({MARK})'>x</p>",
    "meta refresh": f"<meta http-equiv=refresh content='0;url=javascript:window.{MARK}=1'>",
    "base": f"<base href='javascript:window.{MARK}=1//'>",
    "html onclick": f"<html onclick='window.{MARK}=1'>",
    "template": f"<template><img src=x onerror=window.{MARK}=1></template>",
    "image from elsewhere": f"<img src='https://example.org/{MARK}.png'>",
}
# live only once a page re-parses them, or as a browser (with scripting) parses <noscript>: their
# markup must go as well
MUTATIONS = {
    "math and style": f"<math><mtext><table><mglyph><style><img src=x onerror=window.{MARK}=1>",
    "noscript": f"<noscript><p title='</noscript><img src=x onerror=window.{MARK}=1>'>",
    "svg and style": f"<svg></p><style><a id='</style><img src=x onerror=window.{MARK}=1>'>",
}


@pytest.mark.parametrize("html", HTML_VECTORS.values(), ids=HTML_VECTORS.keys())
def test_html_outputs_lose_every_script(html):
    assert live_payloads(html), "the vector itself must be live, or the test proves nothing"
    assert not html_is_safe(html)
    nb = sanitised(display({"text/html": html, "text/plain": "<HTML>"}))
    kept = nb.cells[0].outputs[0].data
    assert not live_payloads(kept["text/html"]), kept["text/html"]
    assert html_is_safe(kept["text/html"])
    assert kept["text/plain"] == "<HTML>"


@pytest.mark.parametrize("html", MUTATIONS.values(), ids=MUTATIONS.keys())
def test_markup_that_mutates_when_parsed_again_is_rewritten(html):
    assert not html_is_safe(html)
    cleaned = safe_html(html)
    assert html_is_safe(cleaned) and not live_payloads(cleaned), cleaned


@pytest.mark.parametrize("html", ["</div></div></div><p>outside its box</p>", "<!-- the rest of the page",
                                  "<textarea>the rest of the page", "<b>unclosed <i>tags"])
def test_html_that_leaves_or_swallows_its_box_is_rewritten(html):
    assert not html_is_safe(html)
    cleaned = safe_html(html)
    assert html_is_safe(cleaned), cleaned


@pytest.mark.parametrize("mime", ["application/javascript", "text/javascript", "application/x-javascript",
                                  "application/vnd.jupyter.widget-view+json", "image/svg+xml",
                                  "application/vnd.plotly.v1+json", "application/vnd.bokehjs_exec.v0+json",
                                  "text/x-unknown"])
def test_script_bearing_outputs_are_removed(mime):
    payload = SVG_WITH_SCRIPT if mime == "image/svg+xml" else f"window.{MARK} = 1"
    payload = {"model_id": MARK} if mime.endswith("+json") else payload
    nb = sanitised(display({mime: payload, "text/plain": "<IPython.core.display.Javascript object>"}),
                   display({mime: payload}, kind="execute_result"))
    first, second = nb.cells[0].outputs
    assert first.data == {"text/plain": "<IPython.core.display.Javascript object>"}
    assert list(second.data) == ["text/plain"] and mime in second.data["text/plain"]  # nothing else to show: a note
    assert MARK not in json.dumps(nb)


def test_the_notebooks_widget_state_goes():
    state = {"application/vnd.jupyter.widget-state+json": {"state": {MARK: {}}, "version_major": 2}}
    kernelspec = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = sanitised(metadata={"widgets": state, "kernelspec": kernelspec})
    assert "widgets" not in nb.metadata and nb.metadata.kernelspec == kernelspec


MARKDOWN_VECTORS = {
    "script": f"Some text\n\n<script>window.{MARK}=1</script>",
    "img onerror": f'<img src=x onerror="window.{MARK}=1">',
    "javascript link": f"[click](javascript:window.{MARK}=1)",
    "javascript autolink": f"<javascript:window.{MARK}=1>",
    "javascript image": f"![x](javascript:window.{MARK}=1)",
    "iframe": f"<iframe src='https://example.org/{MARK}'></iframe>",
    "svg": SVG_WITH_SCRIPT,
    "TeX that feedback turns into a script": f"$\\text{{<script>window.{MARK}=1</script>}}$",
    "TeX that feedback turns into a link": f"$$\\href{{javascript:window.{MARK}=1}}{{x}}$$",
}


@pytest.mark.parametrize("source", MARKDOWN_VECTORS.values(), ids=MARKDOWN_VECTORS.keys())
def test_markdown_cells_with_scripts_are_shown_as_text(source):
    assert not markdown_is_safe(source)
    nb = sanitised(preprocessor=SanitizeStudentMarkdown, cells=[new_markdown_cell(source)])
    shown = nb.cells[0].source
    formgrader, feedback = markdown_html(shown), markdown_html(markdown_with_mathml(shown))
    assert not live_payloads(formgrader) and not live_payloads(feedback), (formgrader, feedback)
    assert MARK in BeautifulSoup(formgrader, "html.parser").get_text()  # the grader still sees what was written


@pytest.mark.parametrize("source", MARKDOWN_VECTORS.values(), ids=MARKDOWN_VECTORS.keys())
def test_markdown_outputs_with_scripts_are_removed(source):
    nb = sanitised(display({"text/markdown": source, "text/plain": "<Markdown>"}))
    assert nb.cells[0].outputs[0].data == {"text/plain": "<Markdown>"}


def test_a_markdown_cell_with_fences_inside_cannot_break_out_of_its_text_block():
    source = f"````\n```\n</code></pre><script>window.{MARK}=1</script>\n$$\\text{{<script>{MARK}</script>}}$$\n````"
    nb = sanitised(preprocessor=SanitizeStudentMarkdown, cells=[new_markdown_cell(source)])
    shown = nb.cells[0].source
    assert not live_payloads(markdown_html(shown)) and not live_payloads(markdown_html(markdown_with_mathml(shown)))


def test_markdown_and_raw_cells_too_long_to_render_are_shown_as_text_at_once():
    """A hostile review of 06: 2 MB of `$$a+a+…$$` cost a grader 84 s of rendering, the class waiting behind it."""
    import time

    from autograder.pipeline.sanitize import MAX_RENDERED_CELL_CHARS, MAX_RENDERED_NOTEBOOK_CHARS

    vectors = "\n\n".join(MARKDOWN_VECTORS.values()) + f"\n````\n</code></pre><script>window.{MARK}=1</script>\n"
    math = "$$" + "a+" * 50_000 + "a$$"  # 100,000 characters of TeX
    fits = "ordinary *text* " * (MAX_RENDERED_CELL_CHARS // 20)  # under the cell's limit, not under the notebook's
    cells = [new_markdown_cell(math), new_markdown_cell(vectors * 100), new_raw_cell(vectors * 100)]  # each > 20,000
    cells += [new_markdown_cell(fits) for _ in range(MAX_RENDERED_NOTEBOOK_CHARS // len(fits) + 3)]
    cells += [new_markdown_cell(vectors), new_raw_cell(f"<b>late</b><script>window.{MARK}=1</script>")]
    started = time.process_time()
    nb = sanitised(preprocessor=SanitizeStudentMarkdown, cells=cells)
    assert time.process_time() - started < 60  # a bound far above what it takes, far below the hours it took
    for cell in nb.cells:
        shown = cell.source if cell.cell_type == "raw" else markdown_html(cell.source)
        assert not live_payloads(shown), shown[:300]
    assert nb.cells[0].source.startswith("*The grader shows this cell as text: it is longer than the grader renders")
    assert "a+a+a" in BeautifulSoup(markdown_html(nb.cells[0].source), "html.parser").get_text()
    assert nb.cells[3].source == fits  # the first cells within the notebook's budget are checked and kept
    shown = [cell.source == fits for cell in nb.cells[3:-2]]
    assert shown.index(False) == MAX_RENDERED_NOTEBOOK_CHARS // len(fits) and not any(shown[shown.index(False):])
    assert nb.cells[-2].source.startswith("*The grader shows this cell as text")  # a short one still fits: checked
    assert "late" in nb.cells[-1].source


def test_raw_cells_lose_their_scripts():
    nb = sanitised(preprocessor=SanitizeStudentMarkdown,
                   cells=[new_raw_cell(f"<b>kept</b><script>window.{MARK}=1</script>"), new_raw_cell("plain\ntext")])
    assert not live_payloads(nb.cells[0].source) and "<b>kept</b>" in nb.cells[0].source
    assert nb.cells[1].source == "plain\ntext"


def test_attachments_keep_only_bitmap_images():
    cell = new_markdown_cell("![a](attachment:a.png) ![b](attachment:b.svg)")
    cell.attachments = {"a.png": {"image/png": PNG}, "b.svg": {"image/svg+xml": SVG_WITH_SCRIPT},
                        "c": {"text/html": f"<script>{MARK}</script>", "image/jpeg": PNG}}
    nb = sanitised(preprocessor=SanitizeStudentMarkdown, cells=[cell])
    assert nb.cells[0].attachments == {"a.png": {"image/png": PNG}, "c": {"image/jpeg": PNG}}
    assert not live_payloads(markdown_html(nb.cells[0].source, nb.cells[0].attachments))


# --- what the course shows is kept, byte for byte --------------------------------------------

LEGITIMATE = [
    new_output("stream", name="stdout", text="✓ dJ: passed all 7 hidden checks\n"),
    new_output("error", ename="WrongAnswer", evalue="dJ: is missing the factor 2 <b>",
               traceback=["WrongAnswer: dJ: is missing the factor 2 <b>"]),
    display({"text/plain": "array([3. , 2.4])"}, kind="execute_result"),
    display({"image/png": PNG, "text/plain": "<Figure size 640x480 with 1 Axes>"},
            {"image/png": {"width": 320, "height": 240}}),
    display({"image/jpeg": PNG, "text/plain": "<IPython.core.display.Image object>"}),
    display({"text/latex": "$\\theta_{t+1} = \\theta_t - \\alpha J'(\\theta_t)$", "text/plain": "<Math>"}),
    display({"application/json": {"a": [1, 2]}, "text/plain": "<JSON>"}),
    display({"application/vnd.gd-course.probe+json": {"v": 1, "cases": []}}),
    display({"text/html": "<table border=\"1\" class=\"dataframe\">\n<thead><tr style=\"text-align: right;\"><th>"
                          "</th><th>θ</th></tr></thead>\n<tbody><tr><th>0</th><td>3.0</td></tr>"
                          "<tr><td colspan=2 style=\"text-align:left\">0 &lt; r &lt; 1</td></tr></tbody>\n</table>",
             "text/plain": "table"}),
    display({"text/html": "<p><b>Note</b>: <em>α</em> = 0.1 &amp; <code>gd_step</code><br>next line, "
                          "<a href=\"https://nbgrader.readthedocs.io\">docs</a>, <a href=\"#top\">top</a>, "
                          "<sub>1</sub><sup>2</sup></p><details><summary>Hint</summary><ul><li>one</li></ul></details>"
                          "<img src=\"data:image/png;base64," + PNG + "\" alt=\"plot\" width=\"100\">"}),
    display({"text/markdown": "**Learning rate** $\\alpha$: `0 < α < 1`, [docs](https://example.org)\n\n"
                              "| a | b |\n|:--|--:|\n| 1 | 2 |", "text/plain": "<Markdown>"}),
]


def test_legitimate_outputs_are_kept_byte_for_byte():
    nb = sanitised(*copy.deepcopy(LEGITIMATE))
    assert nb.cells[0].outputs == LEGITIMATE


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_course_notebooks_cells_are_kept_byte_for_byte(assignment):
    """Every markdown cell of source/ (headings with formulas, tables, folds, "0 < r < 1") passes."""
    original = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", 4)
    nb = copy.deepcopy(original)
    for preprocessor in (SanitizeStudentOutputs, SanitizeStudentMarkdown):
        nb, _ = preprocessor()(nb, {})
    assert nb == original


def test_cell_metadata_is_left_alone():
    meta = {"nbgrader": {"grade": True, "grade_id": "test_dJ", "points": 3, "solution": False, "locked": True},
            "gd_course": {"verdict": {"passed": True}}, "tags": ["x"]}
    cells = [new_code_cell("x", outputs=[display({"application/javascript": "1"})], metadata=copy.deepcopy(meta)),
             new_markdown_cell(f"<script>{MARK}</script>", metadata=copy.deepcopy(meta))]
    nb = new_notebook(cells=cells)
    for preprocessor in (SanitizeStudentOutputs, SanitizeStudentMarkdown):
        nb, _ = preprocessor()(nb, {})
    assert [c.metadata for c in nb.cells] == [meta, meta]


def test_both_graders_run_them_right_after_the_verdicts(tmp_path):
    """`course grade` runs the lists of nbgrader_config.py (autograder.run.worker.pipelines), as nbgrader does."""
    from traitlets.config import PyFileConfigLoader

    from autograder.run.worker import pipelines as _pipelines

    course = Course(tmp_path)
    config = PyFileConfigLoader("nbgrader_config.py", path=str(course.root)).load_config()
    _, autograde, _ = _pipelines(config)
    names = [pp.__name__ for pp in autograde]
    at = names.index("ProbeVerdicts")
    assert names[at + 1:at + 3] == ["SanitizeStudentOutputs", "SanitizeStudentMarkdown"], names


# --- end to end: both graders, formgrader's page, the feedback page --------------------------

A = "01_one_variable"
SANDBOX_UID = 62410
GRADERS = {"nbgrader autograde": ("-m", "nbgrader", "autograde", A), "course grade": ("-m", "course.cli", "grade", A)}
PAYLOAD_CODE = f'''\
from IPython.display import HTML, SVG, Javascript, Markdown, display
display(HTML("<b>bold is kept</b><script>window.{MARK} = 'html script'</script>"))
display(HTML("<img src=x onerror=\\"window.{MARK} = 'onerror'\\">"))
display(Javascript("window.{MARK} = 'application/javascript'"))
display(SVG('<svg xmlns="http://www.w3.org/2000/svg"><script>window.{MARK} = "svg"</script><circle r="4"/></svg>'))
display(Markdown("[click](javascript:window.{MARK}='markdown output')"))
display({{"application/vnd.jupyter.widget-view+json": {{"model_id": "{MARK}", "version_major": 2}},
         "text/plain": "a widget"}}, raw=True)
'''
PAYLOAD_MARKDOWN = (f"A note of mine.\n\n<script>window.{MARK} = 'markdown cell'</script>\n\n"
                    f"<img src=x onerror=\"window.{MARK} = 'markdown onerror'\">")


def with_payloads(nb):
    """The notebook with, after its first cell, a code cell that displays each kind of script and a
    markdown cell with some."""
    nb = nbformat.from_dict(copy.deepcopy(nb))
    nb.cells[1:1] = [new_code_cell(PAYLOAD_CODE), new_markdown_cell(PAYLOAD_MARKDOWN)]
    return nb


def formgrader_page(path: Path) -> str:
    """The page formgrader shows an instructor for this autograded notebook (its exporter and template)."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers
    from traitlets.config import Config

    config = Config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    resources = {"assignment_id": A, "notebook_id": A, "submission_id": "x", "index": 0, "total": 1,
                 "base_url": "", "student": "hostile", "last_name": None, "first_name": None, "notebook_path": ""}
    page, _ = HTMLExporter(config=config).from_filename(str(path), resources=resources)
    return page


@pytest.fixture(scope="module", params=[pytest.param(g, marks=pytest.mark.xdist_group(f"sanitize-{g}"))
                                        for g in GRADERS])
def graded(tmp_path_factory, request):
    course = Course(tmp_path_factory.mktemp("sanitize"))
    course.configure(f"c.SandboxedKernelManager.sandbox_uid = {SANDBOX_UID + 5 * list(GRADERS).index(request.param)}")
    course.generate(A)
    course.submit("hostile", A, with_payloads(nbformat.read(course.source_path(A), 4)))
    proc = subprocess.run([sys.executable, *GRADERS[request.param]], cwd=course.root, capture_output=True,
                          text=True, env=venv_env())
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stdout[-3000:] + proc.stderr[-3000:]
    course.nbgrader("generate_feedback", A)
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        export = {row["student_id"]: row for row in csv.DictReader(f)}
    notebook = course.root / "autograded" / "hostile" / A / f"{A}.ipynb"
    feedback = course.root / "feedback" / "hostile" / A / f"{A}.html"
    return {"export": export["hostile"], "notebook": notebook, "feedback": feedback.read_text()}


def test_the_payloads_would_run_without_the_sanitiser(tmp_path):
    """The control: the same outputs and cell, unsanitised, on formgrader's page, are live."""
    outputs = [display({"text/html": f"<script>window.{MARK} = 1</script>", "text/plain": "<HTML>"}),
               display({"text/html": f"<img src=x onerror=\"window.{MARK} = 1\">", "text/plain": "<HTML>"}),
               display({"application/javascript": f"window.{MARK} = 1", "text/plain": "<Javascript>"}),
               display({"image/svg+xml": SVG_WITH_SCRIPT, "text/plain": "<SVG>"})]
    nb = new_notebook(cells=[new_code_cell("payloads", outputs=outputs), new_markdown_cell(PAYLOAD_MARKDOWN)])
    nbformat.write(nb, tmp_path / "raw.ipynb")
    live = live_payloads(formgrader_page(tmp_path / "raw.ipynb"))
    assert len(live) >= 4, live  # html script, onerror, javascript, the markdown cell's script and onerror
    nb, _ = SanitizeStudentMarkdown()(*SanitizeStudentOutputs()(nb, {}))
    nbformat.write(nb, tmp_path / "sanitised.ipynb")
    assert not live_payloads(formgrader_page(tmp_path / "sanitised.ipynb"))


def test_the_autograded_notebook_holds_no_script(graded):
    nb = nbformat.read(graded["notebook"], 4)
    mimes = {key for cell in nb.cells if cell.cell_type == "code"
             for out in cell.outputs for key in out.get("data", {})}
    assert not mimes & {"application/javascript", "image/svg+xml", "application/vnd.jupyter.widget-view+json"}, mimes
    payload = next(c for c in nb.cells if c.cell_type == "code" and MARK in c.source)
    shown = [out.data for out in payload.outputs]
    assert len(shown) == 6, shown  # every display is still there, as what is left of it
    assert "<b>bold is kept</b>" in shown[0]["text/html"]
    for data in shown:
        for key in ("text/html", "text/markdown"):
            assert not live_payloads(data.get(key, "")), data
    markdown = next(c for c in nb.cells if c.cell_type == "markdown" and MARK in c.source)
    assert not live_payloads(markdown_html(markdown.source))
    assert "A note of mine." in markdown.source  # shown as text


def test_formgraders_page_holds_no_script(graded):
    page = formgrader_page(graded["notebook"])
    assert not live_payloads(page), live_payloads(page)
    assert "bold is kept" in page and MARK in BeautifulSoup(page, "html.parser").get_text()


def test_the_feedback_page_holds_no_script(graded):
    assert not live_payloads(graded["feedback"]), live_payloads(graded["feedback"])
    assert "<b>bold is kept</b>" in graded["feedback"]


def test_the_answers_still_get_full_marks(graded):
    assert float(graded["export"]["score"]) == float(graded["export"]["max_score"]) > 0, graded["export"]
    assert graded["export"]["status"] == "graded"
