"""The offline book (`course book`), checked as a reader sees it.

The book is built twice per run into temporary folders: with collapsed solutions (opened page by
page from file:// in Debian's headless Chromium, driven by Selenium through Debian's chromedriver)
and without solutions (searched for solution code). One full-page screenshot per page is kept in
build/book-screenshots/.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import nbformat
import pytest

from course.book import BookError, BookStats, build_book, solution_text, strip_hidden_tests

from .browser import headless_chromium
from .grading import ASSIGNMENTS, ROOT

pytestmark = pytest.mark.xdist_group("book")

SCREENSHOTS = ROOT / "build" / "book-screenshots"
CHAPTERS = [f"{name}.html" for name in ASSIGNMENTS]
PAGES = ["index.html", *CHAPTERS, "search.html"]
LOCAL_SCHEMES = {"file", "data", "blob", "about"}  # everything else would be the network


def source_nb(name):
    return nbformat.read(ROOT / "source" / name / f"{name}.ipynb", as_version=4)


def release_nb(name):
    return nbformat.read(ROOT / "release" / name / f"{name}.ipynb", as_version=4)


def solution_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


class _Text(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data):
        self.parts.append(data)


def book_text(folder: Path) -> dict[str, str]:
    """Every text file of a built book as a reader's tools would see it (HTML reduced to its text)."""
    texts = {}
    for path in folder.rglob("*"):
        if not path.is_file() or path.suffix in {".png", ".woff", ".woff2", ".ttf", ".eot", ".ico", ".inv"}:
            continue
        raw = path.read_text(encoding="utf-8", errors="ignore")
        if path.suffix == ".html":
            parser = _Text()
            parser.feed(raw)
            texts[str(path.relative_to(folder))] = "".join(parser.parts)
        else:
            texts[str(path.relative_to(folder))] = raw
    return texts


def solution_lines(name) -> list[str]:
    """Lines that only the instructor's solutions contain (no stub, prose or other cell of the course has them)."""
    elsewhere = "\n".join(strip_hidden_tests(c.source) for other in ASSIGNMENTS for c in source_nb(other).cells
                          if not c.metadata.get("nbgrader", {}).get("solution"))
    stubs = "\n".join(c.source for other in ASSIGNMENTS for c in solution_cells(release_nb(other)))
    lines = []
    for cell in solution_cells(source_nb(name)):
        inside = False
        for line in cell.source.split("\n"):
            if "### BEGIN SOLUTION" in line or "### END SOLUTION" in line:
                inside = "BEGIN" in line
                continue
            line = line.strip()
            if inside and len(line) >= 10 and line not in elsewhere and line not in stubs:
                lines.append(line)
    return lines


# --------------------------------------------------------------------------- builds

@pytest.fixture(scope="module")
def book(tmp_path_factory):
    stats = BookStats()
    index = build_book(ROOT, tmp_path_factory.mktemp("book") / "book", solutions=True, stats=stats)
    return index.parent, stats


@pytest.fixture(scope="module")
def bare_book(tmp_path_factory):
    index = build_book(ROOT, tmp_path_factory.mktemp("bare") / "book", solutions=False)
    return index.parent


# --------------------------------------------------------------------------- the browser

@pytest.fixture(scope="module")
def browser():
    with headless_chromium("book", "1280,1000", ["--hide-scrollbars"], logs=["performance", "browser"],
                           timeout=30) as driver:
        yield driver


READ_PAGE = r"""
const done = arguments[arguments.length - 1];
// chromedriver may hand the page over while it is still loading: wait for it, then for MathJax
const loaded = document.readyState === 'complete' ? Promise.resolve()
  : new Promise(resolve => window.addEventListener('load', resolve, {once: true}));
loaded.then(() => (window.MathJax && MathJax.startup) ? MathJax.startup.promise : null).then(() => {
  const math = [...document.querySelectorAll('.math')];
  // the prose a reader sees: code, program output and MathJax's hidden MathML copy left out
  const hide = document.createElement('style');
  hide.textContent = 'pre, code, .cell_output, mjx-assistive-mml {display: none !important}';
  document.head.appendChild(hide);
  const prose = document.body.innerText;
  hide.remove();
  done({
    title: document.title,
    mathjax: !!(window.MathJax && MathJax.startup),
    math: math.length,
    unrendered: math.filter(m => !m.querySelector('mjx-container svg')).map(m => m.textContent.slice(0, 80)),
    rendered: document.querySelectorAll('mjx-container svg').length,
    tex_errors: document.querySelectorAll('[data-mml-node="merror"], mjx-merror').length,
    images: [...document.images].map(i => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0,
                                             width: i.naturalWidth})),
    prose: prose,
    next: (document.querySelector('a.right-next') || {}).href || null,
    prev: (document.querySelector('a.left-prev') || {}).href || null,
    toc: [...document.querySelectorAll('nav.bd-links a.reference.internal')].map(a => a.href),
    solutions: document.querySelectorAll('details.hide').length,
    stubs: document.querySelectorAll('.tag_exercise-stub').length,
  });
}).catch(e => done({error: `${e} at ${location.href} (${document.readyState})`}));
"""


# the search has finished and its results hold no formula MathJax has yet to typeset (5 s at most)
SEARCH_DONE = r"""
const results = document.getElementById('search-results');
return !!results && /Search finished|did not match/.test(results.innerText)
       && !/\\[A-Za-z]/.test(results.innerText);
"""


def visit(driver, url: str, shot: Path | None = None, until: str | None = None) -> dict:
    """Open ``url``; return what the page shows plus every request it made and every failure."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.wait import WebDriverWait

    driver.get("about:blank")
    driver.get_log("performance"), driver.get_log("browser")  # start from an empty log
    driver.get(url)
    if until:
        try:
            WebDriverWait(driver, 5, poll_frequency=0.1).until(lambda d: d.execute_script(until))
        except TimeoutException:
            pass  # read the page as it is: the checks below say what is wrong with it
    page = driver.execute_async_script(READ_PAGE)
    assert "error" not in page, page
    requests, failed = {}, []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message.get("params", {})
        if message["method"] == "Network.requestWillBeSent":
            requests[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed":
            failed.append(f"{requests.get(params['requestId'], '?')}: {params.get('errorText', '?')}")
    requests = list(requests.values())
    page["requests"] = requests
    page["failed"] = failed
    page["console_errors"] = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    if shot is not None:
        size = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})["cssContentSize"]
        png = driver.execute_cdp_cmd("Page.captureScreenshot", {
            "format": "png", "captureBeyondViewport": True,
            "clip": {"x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1}})
        shot.parent.mkdir(parents=True, exist_ok=True)
        shot.write_bytes(base64.b64decode(png["data"]))
    return page


@pytest.fixture(scope="module")
def pages(book, browser):
    """Every page of the book, opened once from file:// (search with a query), screenshot kept."""
    folder, _ = book
    shutil.rmtree(SCREENSHOTS, ignore_errors=True)
    seen = {}
    for name in PAGES:
        url = (folder / name).as_uri() + ("?q=learning+rate" if name == "search.html" else "")
        seen[name] = visit(browser, url, SCREENSHOTS / name.replace(".html", ".png"),
                           until=SEARCH_DONE if name == "search.html" else None)
        if name == "search.html":
            seen[name]["results"] = browser.execute_script(
                "return document.querySelectorAll('#search-results li').length")
    return seen


# --------------------------------------------------------------------------- every page

@pytest.mark.parametrize("name", PAGES)
def test_page_needs_no_network_and_loads_whole(pages, name):
    page = pages[name]
    assert page["requests"], "the browser log recorded no request at all: the network check would be blind"
    remote = [u for u in page["requests"] if urlparse(u).scheme not in LOCAL_SCHEMES]
    assert not remote, f"{name} asked the network for {remote}"
    assert not page["failed"], f"{name}: some local file did not load: {page['failed']}"
    assert not page["console_errors"], f"{name}: errors in the console: {page['console_errors']}"


@pytest.mark.parametrize("name", PAGES)
def test_page_shows_no_raw_tex(pages, name):
    prose = pages[name]["prose"]
    assert len(prose) > 200, f"{name} shows almost no text: {prose!r}"
    commands = sorted(set(re.findall(r"\\[A-Za-z]+|\\[()\[\]]", prose)))
    assert not commands, f"{name} shows raw TeX: {commands}"
    dollars = re.findall(r"\$[^$\n]+\$", prose)
    assert not dollars, f"{name} shows unrendered $...$: {dollars[:5]}"


@pytest.mark.parametrize("name", ["index.html", *CHAPTERS])
def test_formulas_are_typeset_by_the_local_mathjax(pages, name):
    page = pages[name]
    assert page["mathjax"], f"{name}: MathJax did not start"
    assert page["math"] >= (2 if name == "index.html" else 20), f"{name}: only {page['math']} formulas"
    assert not page["unrendered"], f"{name}: formulas left as TeX: {page['unrendered'][:5]}"
    assert page["rendered"] >= page["math"]
    assert page["tex_errors"] == 0, f"{name}: {page['tex_errors']} formulas MathJax could not parse"


@pytest.mark.parametrize("name", PAGES)
def test_every_image_loads(pages, name):
    broken = [i["src"] for i in pages[name]["images"] if not i["ok"]]
    assert not broken, f"{name}: images that did not load: {broken}"


def test_every_chapter_shows_its_figures(pages, book):
    _, stats = book
    figures = {name: [i for i in pages[name]["images"] if "_images/" in (i["src"] or "")] for name in CHAPTERS}
    assert all(figures.values()), f"a chapter without figures: { {n: len(f) for n, f in figures.items()} }"
    assert sum(len(f) for f in figures.values()) == stats.figures, "figures executed but not on the pages"
    assert all(i["width"] >= 300 for f in figures.values() for i in f), "a figure is suspiciously small"


def test_screenshot_per_page(pages):
    for name in PAGES:
        shot = SCREENSHOTS / name.replace(".html", ".png")
        assert shot.is_file() and shot.stat().st_size > 20_000, f"no real screenshot of {name}"
        assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_search_works_offline(pages):
    assert pages["search.html"]["results"] > 0, "searching the book for 'learning rate' found nothing"


# --------------------------------------------------------------------------- the book's structure

def test_every_section_a_feedback_page_links_to_is_in_the_book(book):
    """Feedback links an exercise not passed to its section (c.ExerciseSummary.book_url): each such id exists."""
    from course.feedback import _SECTION, book_anchor

    folder, _ = book
    for name in ASSIGNMENTS:
        ids = set(re.findall(r'<section id="([^"]+)"', (folder / f"{name}.html").read_text()))
        headings = [h for c in source_nb(name).cells if c.cell_type == "markdown" for h in _SECTION.findall(c.source)]
        assert len(headings) >= 5
        missing = [h for h in headings if book_anchor(h) not in ids]
        assert not missing, f"{name}: no section id for {missing} (ids: {sorted(ids)[:8]} ...)"


def test_table_of_contents_and_next_previous_links(pages):
    order = ["index.html", *CHAPTERS]
    for i, name in enumerate(order):
        page = pages[name]
        toc = {Path(urlparse(u).path).name for u in page["toc"]}
        assert set(CHAPTERS) <= toc, f"{name}: the table of contents lacks {set(CHAPTERS) - toc}"
        nxt = Path(urlparse(page["next"]).path).name if page["next"] else None
        prev = Path(urlparse(page["prev"]).path).name if page["prev"] else None
        assert nxt == (order[i + 1] if i + 1 < len(order) else None), f"{name}: next link goes to {nxt}"
        assert prev == (order[i - 1] if i > 0 else None), f"{name}: previous link goes to {prev}"
    for name in ASSIGNMENTS:
        first_heading = next(line[2:] for c in source_nb(name).cells if c.cell_type == "markdown"
                             for line in c.source.splitlines() if line.startswith("# "))
        plain = re.sub(r"\$.*?\$", "", first_heading).strip(" :")
        assert plain in pages[f"{name}.html"]["prose"], f"{name}: its title {plain!r} is not on its page"


@pytest.mark.parametrize("name", ASSIGNMENTS)
def test_each_exercise_is_a_stub_then_a_collapsed_solution(pages, name):
    page = pages[f"{name}.html"]
    n = len(solution_cells(source_nb(name)))
    assert page["stubs"] == n, f"{name}: {page['stubs']} exercise stubs on the page, the notebook has {n}"
    assert page["solutions"] == n, f"{name}: {page['solutions']} collapsed solutions, the notebook has {n}"
    assert page["prose"].count("Show solution") == n
    for line in solution_lines(name):  # collapsed: none of the solution's code is visible yet
        assert line not in page["prose"]


def test_show_solution_reveals_the_instructors_code(book, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.wait import WebDriverWait

    folder, _ = book
    name = ASSIGNMENTS[0]
    visit(browser, (folder / f"{name}.html").as_uri())
    first = solution_cells(source_nb(name))[0]
    body = [line.strip() for line in solution_text(first.source).split("\n")][-1]  # e.g. "return theta ** 2"
    stub = browser.find_elements(By.CSS_SELECTOR, ".tag_exercise-stub")[0]
    assert "raise NotImplementedError()" in stub.text, "the exercise is not shown as the student gets it"
    details = browser.find_elements(By.CSS_SELECTOR, "details.hide")[0]
    code = details.find_element(By.CSS_SELECTOR, "pre")
    assert details.get_attribute("open") is None and not code.is_displayed(), "the solution starts open"
    assert body not in browser.find_element(By.TAG_NAME, "body").text
    summary = details.find_element(By.TAG_NAME, "summary")
    assert "Show solution" in summary.text
    browser.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
    summary.click()
    assert details.get_attribute("open") is not None, "clicking did not open it"
    WebDriverWait(browser, 3).until(lambda _: code.is_displayed(), "the opened solution stays invisible")
    assert body in code.text, f"the revealed code is not the solution: {code.text[:200]!r}"
    assert "Hide solution" in summary.text


# --------------------------------------------------------------------------- what must never be in it

def test_no_hidden_tests_in_either_book(book, bare_book):
    folder, _ = book
    for edition in (folder, bare_book):
        for path, text in book_text(edition).items():
            for marker in ("BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "from gdcourse.probe import", "probe("):
                assert marker not in text, f"{edition.name}/{path} contains hidden-test code {marker!r}"


def test_no_solutions_edition_leaves_out_every_solution(book, bare_book):
    folder, _ = book
    with_solutions = "\n".join(book_text(folder).values())
    without = book_text(bare_book)
    for name in ASSIGNMENTS:
        lines = solution_lines(name)
        assert len(lines) >= 5, f"{name}: too few distinctive solution lines to test with: {lines}"
        missing = [line for line in lines if line not in with_solutions]
        assert not missing, f"the check is blind: the solutions edition lacks {missing[:3]}"
        for path, text in without.items():
            leaked = [line for line in lines if line in text]
            assert not leaked, f"--no-solutions: {path} contains solution code {leaked[:3]}"
        page = without[f"{name}.html"]
        assert "Show solution" not in page
        stubs = len(solution_cells(source_nb(name)))
        assert page.count("raise NotImplementedError()") >= stubs, f"{name}: exercises missing without solutions"
    assert not (bare_book / "_sources").exists()
    assert not list(bare_book.rglob("*.ipynb")), "a notebook (with its solutions) was copied into the book"


# --------------------------------------------------------------------------- the build itself

def test_hidden_tests_are_removed_as_nbgrader_does():
    for name in ASSIGNMENTS:
        release = {c.metadata["nbgrader"]["grade_id"]: c.source for c in release_nb(name).cells
                   if c.metadata.get("nbgrader", {}).get("grade")}
        graded = [c for c in source_nb(name).cells if c.metadata.get("nbgrader", {}).get("grade")]
        assert graded and all("BEGIN HIDDEN TESTS" in c.source for c in graded)
        for cell in graded:
            assert strip_hidden_tests(cell.source) == release[cell.metadata["nbgrader"]["grade_id"]]


def _small_course(tmp_path: Path, broken: bool) -> Path:
    name = ASSIGNMENTS[0]
    course = tmp_path / "course"
    for kind in ("source", "release"):
        shutil.copytree(ROOT / kind / name, course / kind / name)
    if broken:
        path = course / "source" / name / f"{name}.ipynb"
        nb = nbformat.read(path, as_version=4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        first_code.source = "raise RuntimeError('this notebook is broken on purpose')"
        nbformat.write(nb, path)
    return course


def test_a_failed_build_keeps_the_previous_book(tmp_path):
    out = tmp_path / "site" / "book"
    out.mkdir(parents=True)
    (out / ".buildinfo").write_text("# an earlier book\n")
    (out / "index.html").write_text("the earlier book")
    with pytest.raises(BookError, match="broken on purpose"):
        build_book(_small_course(tmp_path, broken=True), out)
    assert (out / "index.html").read_text() == "the earlier book"
    assert [p.name for p in out.parent.iterdir()] == ["book"], "the staging folder was left behind"


def test_refuses_to_replace_a_folder_that_is_not_a_book(tmp_path):
    out = tmp_path / "notes"
    out.mkdir()
    (out / "thesis.tex").write_text("precious")
    with pytest.raises(BookError, match="not a book"):
        build_book(_small_course(tmp_path, broken=False), out)
    assert (out / "thesis.tex").read_text() == "precious"


def test_cli_book_builds_where_asked_and_opens_it(tmp_path, monkeypatch, capsys):
    import webbrowser

    import course.book
    from course.cli import main

    calls, opened = [], []

    def fake_build(root, out, solutions=True, stats=None):
        calls.append((Path(root), Path(out), solutions))
        return Path(out) / "index.html"

    monkeypatch.setattr(course.book, "build_book", fake_build)
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    monkeypatch.chdir(ROOT)
    assert main(["book", "--out", str(tmp_path / "b"), "--no-solutions", "--open"]) == 0
    assert calls == [(ROOT, tmp_path / "b", False)]
    assert opened == [(tmp_path / "b" / "index.html").as_uri()]
    assert capsys.readouterr().out.strip() == str(tmp_path / "b" / "index.html")
    calls.clear()
    assert main(["book"]) == 0
    assert calls == [(ROOT, ROOT / "build" / "book", True)]

    def failing_build(root, out, solutions=True, stats=None):
        raise course.book.BookError("no kernel")

    monkeypatch.setattr(course.book, "build_book", failing_build)
    assert main(["book", "--out", str(tmp_path / "c")]) == 1
    assert "course book: no kernel" in capsys.readouterr().err


def test_the_index_counts_the_notebooks_it_lists():
    from course.book import index_page

    titles = {f"0{i}_name": f"Notebook {i} · a title" for i in range(1, 7)}
    page = index_page(titles, solutions=False)
    assert page.count("](0") == 6 and "\nSix notebooks take you" in page
