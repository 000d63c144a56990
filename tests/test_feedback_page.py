"""Feedback pages worth reading (issue 14): checked in headless Chromium like the book.

A small class (the solution, a known mistake, an endless loop) is graded with `course grade`;
`course feedback` writes the pages; each page must make no network request, show its formulas
as drawn MathML (no raw TeX), wrap its verdicts (nothing clipped), open with a summary that
names every exercise and the mistake, and say why it has no figures.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from content.mutants import all_mutants

from .browser import headless_chromium
from .grading import Course, course_cli, replace_cell

A = "01_one_variable"
BOOK = "https://book.example.org/gd/"
LOOP = "import time\nwhile True:\n    time.sleep(0.05)"
pytestmark = pytest.mark.xdist_group("feedback-page")


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("feedback"))
    course.configure("c.Execute.timeout = 3")
    course.configure(f"c.ExerciseSummary.book_url = {BOOK!r}")
    course_cli(course.root, "release", A)
    source = nbformat.read(course.root / "source" / A / f"{A}.ipynb", 4)
    mistake = next(m for m in all_mutants()[A] if m.name == "dJ-missing-two")
    looping = replace_cell(source, "gd_step", "def gd_step(theta, alpha, grad=dJ):\n" +
                           "\n".join("    " + line for line in LOOP.splitlines()))
    for student, nb in {"ada": source, "ben": replace_cell(source, mistake.cell, mistake.source),
                        "cy": looping}.items():
        course.submit(student, A, nb)
    course_cli(course.root, "grade", A)
    said = course_cli(course.root, "feedback", A)
    return {s: course.root / "feedback" / s / A / f"{A}.html" for s in ("ada", "ben", "cy")} | {"said": said}


READ = r"""
const pre = [...document.querySelectorAll('.output_area pre, .output_subarea pre')];
const hide = document.createElement('style');
hide.textContent = 'pre, code, math {display: none !important}';
document.head.appendChild(hide);
const prose = document.body.innerText;
hide.remove();
return {
  math: document.querySelectorAll('math').length,
  drawn: [...document.querySelectorAll('math')].filter(m => m.getBoundingClientRect().width > 0).length,
  raw_tex: (prose.match(/\$[^$\n]{1,80}\$/g) || []).slice(0, 5),
  clipped: pre.filter(p => p.scrollWidth > p.clientWidth + 1).map(p => p.innerText.slice(0, 80)),
  summary: (document.querySelector('section.gd-summary') || {}).innerText || '',
  scripts: document.querySelectorAll('script[src]').length,
};
"""


@pytest.fixture(scope="module")
def browser():
    with headless_chromium("feedback", "1000,900", logs=["performance"]) as driver:
        yield driver


def read(browser, page: Path) -> dict:
    browser.get("about:blank")
    browser.get_log("performance")
    browser.get(page.as_uri())
    seen = browser.execute_script(READ)
    seen["requests"] = [json.loads(e["message"])["message"]["params"]["request"]["url"]
                        for e in browser.get_log("performance")
                        if json.loads(e["message"])["message"]["method"] == "Network.requestWillBeSent"]
    return seen


def test_course_feedback_says_how_many_pages_it_wrote(pages):
    assert "wrote 3 feedback pages for 3 of 3 students" in pages["said"]


@pytest.mark.parametrize("student", ["ada", "ben", "cy"])
def test_a_page_reads_right_offline(pages, browser, student):
    seen = read(browser, pages[student])
    assert not [url for url in seen["requests"] if not url.startswith(("file:", "data:", "chrome:", "about:"))]
    assert seen["scripts"] == 0  # no MathJax, no CDN
    assert seen["math"] > 20 and seen["drawn"] == seen["math"], seen
    assert seen["raw_tex"] == [], seen["raw_tex"]
    assert seen["clipped"] == [], seen["clipped"]
    assert "Figures are not drawn while grading" in seen["summary"]
    assert pages[student].stat().st_size < 1_000_000


def test_the_summary_names_every_exercise_and_the_mistake(pages, browser):
    ada, ben, cy = (read(browser, pages[s])["summary"] for s in ("ada", "ben", "cy"))
    source = nbformat.read(Path(__file__).parents[1] / "source" / A / f"{A}.ipynb", 4)
    names = [c.metadata["nbgrader"]["grade_id"].removeprefix("test_") for c in source.cells
             if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution")]
    for name in names:
        assert f"{name} (" in ada
    assert "Test cell" not in ada
    assert "factor 2" in ben and "dJ (0.0 / 1.0)" in ben
    assert "gd_step (0.0 / 2.0): timed out: it did not return within 2 s (an endless loop?)" in cy
    assert "KeyboardInterrupt" not in cy


def test_an_exercise_not_passed_links_to_the_book_section_to_review(pages, browser):
    ben = read(browser, pages["ben"])["summary"]
    assert "Review: 2. The derivative, and why descent needs it." in ben
    assert ben.count("Review:") == 1  # only the exercise ben did not pass
    page = pages["ben"].read_text()
    assert f'href="{BOOK}{A}.html#the-derivative-and-why-descent-needs-it"' in page


def test_without_a_book_address_the_section_is_named_without_a_link():
    from course.feedback import ExerciseSummary

    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("## 4. Many updates: the history of θ\n\n```\n## not a heading\n```"),
        nbformat.v4.new_code_cell("probe()", metadata={"nbgrader": {
            "grade": True, "solution": False, "grade_id": "test_gd", "points": 2, "score": 0}}),
        nbformat.v4.new_code_cell("probe()", metadata={"nbgrader": {
            "grade": True, "solution": False, "grade_id": "test_ok", "points": 1, "score": 1}})])
    for url, link in (("", ""), ("https://b.example/x/", "https://b.example/x/nb.html#many-updates-the-history-of")):
        _, resources = ExerciseSummary(book_url=url).preprocess(nb, {"nbgrader": {"notebook": "nb"}})
        failed, passed = resources["gd_feedback"]["exercises"]
        assert failed["review"] == {"title": "4. Many updates: the history of θ", "url": link}
        assert passed["review"] is None
