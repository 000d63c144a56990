"""`course book`: every notebook of the course as a static HTML book that reads well offline.

The work is done by tools of the Jupyter ecosystem; this module only prepares their input:

1. every ``source/<id>/<id>.ipynb`` loses its hidden tests (the lines from ``### BEGIN HIDDEN
   TESTS`` to ``### END HIDDEN TESTS``, as ``nbgrader generate_assignment`` removes them) and is
   executed with the instructor's solutions by nbclient, so outputs and figures are real;
2. each exercise is shown as the student receives it (the stub, made from ``source/``), followed by
   the instructor's solution in a collapsed "Show solution" block (MyST-NB's ``hide-input``),
   or by nothing at all with ``solutions=False``; a worked solution (``course/worked.py``) is
   folded under "Show worked solution" (a ``<details>`` element around its markdown, MyST-NB's
   ``hide-cell`` for code), or left out with ``solutions=False``;
3. Sphinx with MyST-NB and sphinx-book-theme renders the site (table of contents, next and
   previous links), with MathJax 3 served from the installed ``django-static-mathjax`` package
   (its single-file SVG build: no fonts or other files to fetch, works from ``file://``).

The site is built in a staging folder next to the destination and moved into place at the
end, so a failed build leaves the previous book (or none) and never a half-built one.
"""

from __future__ import annotations

import asyncio
import copy
import hashlib
import io
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from autograder.errors import FixableError
from autograder.pipeline.notebook import UnbalancedHiddenTests
from autograder.pipeline.notebook import strip_hidden_tests as _strip_hidden_tests

BOOK_TITLE = "Gradient descent, from θ² to Xᵀ(Xθ − y)"
NUMBER_WORDS = {1: "One", 2: "Two", 3: "Three", 4: "Four", 5: "Five", 6: "Six", 7: "Seven", 8: "Eight", 9: "Nine"}
BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
INLINE_BACKEND = "module://matplotlib_inline.backend_inline"
MATHJAX_FILE = "tex-svg-full.js"  # every TeX extension and the SVG glyphs in one file
STUB_TAG, SOLUTION_TAG = "exercise-stub", "solution"  # MyST-NB turns tags into classes tag_<name>
WORKED_TAG, WORKED_CLASS = "worked-solution", "worked-solution"  # a code / a markdown worked solution
SHOW_WORKED, HIDE_WORKED = "Show worked solution", "Hide worked solution"
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(.*?)[ \t#]*$")
CELL_TIMEOUT = 120
SEARCH_TITLES_JS = "search-titles.js"
# Sphinx's search lists page titles as plain text: a formula in a title would show as raw TeX there.
SEARCH_TITLES = r"""// Show a search result whose title holds TeX as the table of contents shows that page
// (typeset by MathJax when this page loaded).
document.addEventListener("DOMContentLoaded", () => {
  const results = document.getElementById("search-results");
  if (!results || !window.MathJax || !MathJax.startup) return;
  const toc = new Map([...document.querySelectorAll("nav.bd-links a.reference.internal")]
    .map((a) => [a.getAttribute("href"), a]));
  const typeset = () => {
    for (const link of results.querySelectorAll("li > a")) {
      const entry = toc.get(link.getAttribute("href"));
      if (entry && /\\[A-Za-z]/.test(link.textContent)) link.innerHTML = entry.innerHTML;
    }
  };
  let pending = null;
  new MutationObserver(() => {
    clearTimeout(pending);
    pending = setTimeout(() => MathJax.startup.promise.then(typeset), 50);
  }).observe(results, {childList: true, subtree: true});
});
"""
WORKED_CSS = "worked-solution.css"
# A markdown worked solution's fold (folded_worked_solution), drawn like the theme's admonitions.
WORKED_STYLE = """details.worked-solution {
  margin: 1em 0; padding: 0 1em; border-left: 0.25rem solid var(--pst-color-info, #3a6ea5);
  background: var(--pst-color-surface, #f5f7fa); border-radius: 0.25rem;
}
details.worked-solution > summary { cursor: pointer; padding: 0.5em 0; font-weight: 600; opacity: 0.75; }
details.worked-solution[open] > summary { opacity: 1; }
details.worked-solution[open] > summary > .collapsed, details.worked-solution:not([open]) > summary > .expanded {
  display: none;
}
"""
# conf.py's own setup(): MathJax on every page, since a chapter title with a formula is in every sidebar.
CONF_SETUP = """
def setup(app):
    app.set_html_assets_policy("always")
"""


# Notebooks this process has executed, by what they were made from (the notebook and the course
# package it imports): a second build in the same process (the other edition) reuses them.
_EXECUTED: dict[str, object] = {}


class BookError(FixableError):
    """The book cannot be built; the message says why."""


@dataclass
class BookStats:
    """What the last build did (filled by :func:`build_book` when given one)."""

    seconds: float = 0.0
    execute_seconds: float = 0.0
    render_seconds: float = 0.0
    pages: list[str] = field(default_factory=list)
    figures: int = 0
    reused: int = 0  # notebooks whose execution this process had already done
    bytes: int = 0
    warnings: list[str] = field(default_factory=list)


def strip_hidden_tests(source: str) -> str:
    """``source`` without its hidden-test regions, markers included (nbgrader's ClearHiddenTests)."""
    try:
        return _strip_hidden_tests(source)
    except UnbalancedHiddenTests as exc:
        raise BookError(str(exc)) from None


def solution_text(source: str) -> str:
    """The instructor's cell as a reader should see it: the solution markers dropped."""
    return "\n".join(line for line in source.split("\n")
                     if BEGIN_SOLUTION not in line and END_SOLUTION not in line)


def _nbgrader(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def _assignments(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "source").iterdir() if (p / f"{p.name}.ipynb").is_file())


def executable_notebook(source_nb):
    """The instructor's notebook with hidden tests removed and solution markers dropped: what is run."""
    nb = copy.deepcopy(source_nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cell.source = strip_hidden_tests(cell.source)
        if _nbgrader(cell).get("solution"):
            cell.source = solution_text(cell.source)
        cell.outputs, cell.execution_count = [], None
    return nb


def student_stubs(source_nb):
    """The notebook as students receive it, made from ``source/`` in memory as nbgrader does
    (``ClearSolutions``): the book never reads ``release/``, where a reader may have worked."""
    from nbgrader.preprocessors import ClearSolutions

    nb, _ = ClearSolutions().preprocess(copy.deepcopy(source_nb), {})
    return nb


def _headings_as_bold(markdown: str) -> str:
    """Markdown headings (outside code fences) as bold lines: a heading inside a folded block would
    become a section of the page and break the fold."""
    lines, fenced = [], False
    for line in markdown.split("\n"):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
        heading = None if fenced else _HEADING_LINE.match(line)
        lines.append(f"**{heading.group(1)}**" if heading and heading.group(1) else line)
    return "\n".join(lines)


def folded_worked_solution(markdown: str) -> str:
    """A markdown worked solution folded under "Show worked solution": an HTML ``<details>`` element
    around its markdown (MyST renders the markdown between the two HTML blocks, formulas included)."""
    return (f'<details class="{WORKED_CLASS}">\n<summary><span class="collapsed">{SHOW_WORKED}</span>'
            f'<span class="expanded">{HIDE_WORKED}</span></summary>\n\n{_headings_as_bold(markdown)}\n\n</details>')


def worked_code_cell(cell):
    """A code worked solution folded whole (code and outputs) under "Show worked solution"."""
    cell.metadata.pop("nbgrader", None)
    tags = [t for t in cell.metadata.get("tags", []) if t not in ("hide-input", "remove-input", "hide-cell")]
    cell.metadata["tags"] = [*tags, WORKED_TAG, "hide-cell"]
    cell.metadata["mystnb"] = {"code_prompt_show": SHOW_WORKED, "code_prompt_hide": HIDE_WORKED}
    return cell


def reader_notebook(executed_nb, release_nb, solutions: bool):
    """The page a reader sees: stubs from the release, solutions collapsed (or left out), real outputs."""
    from course.worked import worked_solution_of

    stubs = {_nbgrader(c).get("grade_id"): c for c in release_nb.cells if _nbgrader(c).get("solution")}
    book = nbformat.v4.new_notebook(metadata=copy.deepcopy(executed_nb.metadata))
    fold = None  # (exercise, the book's cell, its markdown so far): consecutive markdown cells share a fold
    for cell in executed_nb.cells:
        meta = _nbgrader(cell)
        cell = copy.deepcopy(cell)
        worked = worked_solution_of(cell)
        if worked is not None:  # dropped from the release as well, whatever else the cell is
            if not solutions:
                continue
            if cell.cell_type != "markdown":
                book.cells.append(worked_code_cell(cell))
                fold = None
            elif fold is not None and fold[0] == worked:
                fold[2].append(cell.source)
                fold[1].source = folded_worked_solution("\n\n".join(fold[2]))
            else:
                folded = nbformat.v4.new_markdown_cell(folded_worked_solution(cell.source))
                folded.id = cell.id
                book.cells.append(folded)
                fold = (worked, folded, [cell.source])
            continue
        fold = None
        cell.metadata.pop("nbgrader", None)
        if not meta.get("solution"):
            book.cells.append(cell)
            continue
        grade_id = meta.get("grade_id")
        if cell.cell_type != "code":
            raise BookError(f"solution cell {grade_id!r} is a {cell.cell_type} cell: the book only "
                            "knows code exercises")
        if grade_id not in stubs:
            raise BookError(f"exercise {grade_id!r} has no stub: is its cell marked as a solution in source/?")
        stub = nbformat.v4.new_code_cell(stubs[grade_id].source, metadata={"tags": [STUB_TAG]})
        stub.id = f"{cell.id}-stub"
        book.cells.append(stub)
        tags = [t for t in cell.metadata.get("tags", []) if t not in ("hide-input", "remove-input")]
        if solutions:
            cell.metadata["tags"] = [*tags, SOLUTION_TAG, "hide-input"]
            cell.metadata["mystnb"] = {"code_prompt_show": "Show solution",
                                       "code_prompt_hide": "Hide solution"}
            book.cells.append(cell)
        elif cell.outputs:  # keep what the solution printed or drew, never its code
            cell.metadata["tags"] = [*tags, "remove-input"]
            cell.source = ""
            book.cells.append(cell)
    return book


def check_worked_solutions(name: str, source_nb) -> None:
    """Every worked solution must name a test cell of its notebook (a typo would hide it everywhere)."""
    from course.worked import worked_solutions

    tests = {_nbgrader(c).get("grade_id") for c in source_nb.cells
             if _nbgrader(c).get("grade") and not _nbgrader(c).get("solution")}
    stray = sorted(set(worked_solutions(source_nb)) - tests)
    if stray:
        raise BookError(f"{name}: worked solution(s) for {', '.join(stray)}, which is no test cell of this notebook: "
                        "set gd_course.worked_solution to the grade id of the exercise's test cell")


def _kernel_env() -> dict[str, str]:
    env = dict(os.environ)
    env["MPLBACKEND"] = INLINE_BACKEND  # figures as inline PNG outputs, whatever the caller's backend
    env["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"  # no debugger warning about frozen modules in the outputs
    return env


async def _execute_all(jobs: list[tuple[str, object, Path]], parallel: int, sockets: Path) -> None:
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError
    from traitlets.config import Config

    gate = asyncio.Semaphore(parallel)
    env = _kernel_env()

    async def run(name, nb, cwd):
        async with gate:
            # kernels on private Unix sockets, not TCP ports on localhost
            config = Config({"KernelManager": {"transport": "ipc", "ip": str(sockets / name)}})
            client = NotebookClient(nb, timeout=CELL_TIMEOUT, kernel_name="python3", config=config,
                                    resources={"metadata": {"path": str(cwd)}})
            try:
                await client.async_execute(env=env)
            except CellExecutionError as exc:
                plain = re.sub(r"\x1b\[[0-9;]*m", "", str(exc))  # the traceback without terminal colours
                raise BookError(f"{name}: a cell failed while executing the solutions:\n{plain}") from None
            except Exception as exc:  # no kernel, a dead kernel, a cell over the time limit
                raise BookError(f"{name}: could not execute it: {type(exc).__name__}: {exc}") from None

    # let every notebook finish (cancelling a running client leaves its kernel half shut down),
    # then report the first failure
    failures = [r for r in await asyncio.gather(*(run(*job) for job in jobs), return_exceptions=True) if r]
    if failures:
        raise failures[0]


def _execution_key(nb) -> str:
    digest = hashlib.sha256(nbformat.writes(nb).encode())
    package = Path(__file__).resolve().parent
    for path in sorted(package.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _figures(nb) -> int:
    return sum(1 for c in nb.cells if c.cell_type == "code"
               for o in c.get("outputs", []) if "image/png" in o.get("data", {}))


def _mathjax_dir() -> Path:
    try:
        import mathjax  # the django-static-mathjax distribution (MathJax 3, no dependencies)
    except ImportError:
        raise BookError("MathJax is not installed: run `make setup` (or pip install -e '.[book]')") from None
    folder = Path(mathjax.__file__).parent / "static" / "mathjax"
    if not (folder / "es5" / MATHJAX_FILE).is_file():
        raise BookError(f"no {MATHJAX_FILE} in {folder}: the installed MathJax package is not the expected one")
    return folder


def sphinx_conf() -> dict:
    """The Sphinx configuration of the book (written out as conf.py in the staging folder)."""
    return {
        "project": BOOK_TITLE,
        "author": "the gradient-descent course",
        "copyright": "the gradient-descent course authors",
        "extensions": ["myst_nb", "sphinx.ext.mathjax"],
        "myst_enable_extensions": ["dollarmath", "amsmath"],
        "nb_execution_mode": "off",  # executed beforehand by build_book, solutions in place
        "nb_merge_streams": True,
        "exclude_patterns": ["_build", "**.ipynb_checkpoints"],
        "html_theme": "sphinx_book_theme",
        "html_title": BOOK_TITLE,
        "html_static_path": ["_static"],
        "html_js_files": [SEARCH_TITLES_JS],
        "html_css_files": [WORKED_CSS],
        "html_copy_source": False,  # no _sources/: the pages are the whole book
        "html_show_sourcelink": False,
        "html_show_search_summary": False,  # summaries are fetched with XHR, which file:// pages may not do
        "html_use_index": False,  # no index entries: an empty genindex.html would only be noise
        "html_last_updated_fmt": None,
        "mathjax_path": f"mathjax/{MATHJAX_FILE}",
        "html_theme_options": {
            "home_page_in_toc": True,
            "show_navbar_depth": 1,
            "use_download_button": False,
            "use_fullscreen_button": False,
            "use_repository_button": False,
            "use_source_button": False,
            "use_issues_button": False,
            "use_edit_page_button": False,
            "show_toc_level": 2,
            "navigation_with_keys": False,
        },
        "html_context": {"default_mode": "light"},
        "suppress_warnings": [],
    }


def index_page(titles: dict[str, str], solutions: bool) -> str:
    how = ("Each exercise shows the function as a student receives it. Try it first (in "
           "`release/<assignment>/` with Jupyter, or on paper), then open **Show solution** under "
           "it to compare. Outputs and figures on these pages come from running the solutions."
           if solutions else
           "This edition leaves the solutions out: each exercise shows the function as a student "
           "receives it, and the outputs and figures come from running the instructor's solutions.")
    listing = "\n".join(f"{i}. [{title}]({name}.ipynb)" for i, (name, title) in enumerate(titles.items(), 1))
    toctree = "\n".join(titles)
    count = NUMBER_WORDS.get(len(titles), str(len(titles)))
    return f"""# {BOOK_TITLE}

{count} notebooks take you from the derivative of $J(\\theta) = \\theta^2$, through the vectorized gradient
of the mean squared error, $\\nabla_\\theta \\mathrm{{MSE}} = \\frac{{2}}{{m}} X^\\top (X\\theta - y)$, to mini-batch
descent, momentum, Adam and early stopping.

{how}

{listing}

When you have written an exercise yourself, `course check <your notebook>` runs the grader's
hidden checks on it and names any mistake it recognises.

```{{toctree}}
:hidden:
:maxdepth: 2

{toctree}
```
"""


def _title(nb, fallback: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return fallback


def _size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def _render(src: Path, html: Path, doctrees: Path) -> list[str]:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    from sphinx.errors import SphinxError

    status, warnings = io.StringIO(), io.StringIO()
    try:
        with patch_docutils(src), docutils_namespace():
            app = Sphinx(str(src), str(src), str(html), str(doctrees), "html",
                         status=status, warning=warnings, freshenv=True, keep_going=True)
            app.build()
    except SphinxError as exc:
        raise BookError(f"Sphinx could not build the book: {exc}\n{warnings.getvalue()[-2000:]}") from None
    lines = [w for w in warnings.getvalue().splitlines() if w.strip()]
    if app.statuscode != 0:
        raise BookError("Sphinx could not build the book:\n" + "\n".join(lines[-20:]))
    return lines


def _check_replaceable(out: Path) -> None:
    """Only an earlier book (Sphinx leaves .buildinfo in it) or an empty folder may be replaced."""
    if out.exists() and (not out.is_dir() or (any(out.iterdir()) and not (out / ".buildinfo").is_file())):
        raise BookError(f"{out} exists and is not a book built by `course book`: choose another --out")


def _replace(staged: Path, out: Path, attic: Path) -> None:
    """Move the finished book into ``out``, the earlier one into ``attic`` (two renames, so ``out``
    is always a whole book, old or new; ``attic`` is in the staging folder, removed afterwards)."""
    _check_replaceable(out)
    if out.exists():
        out.rename(attic)
        try:
            staged.rename(out)
        except BaseException:
            attic.rename(out)
            raise
    else:
        staged.rename(out)


def build_book(root: Path, out: Path, solutions: bool = True, stats: BookStats | None = None) -> Path:
    """Build the book of the course at ``root`` into ``out``; return ``out/index.html``.

    ``solutions=False`` leaves every solution out of the pages (the code never reaches the
    output folder). ``stats``, if given, is filled with timings, pages, figures and size.
    """
    root, out = Path(root).resolve(), Path(out).resolve()
    stats = stats if stats is not None else BookStats()
    started = time.perf_counter()
    names = _assignments(root)
    if not names:
        raise BookError(f"no notebooks in {root / 'source'}")
    mathjax = _mathjax_dir()
    _check_replaceable(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.staging-", dir=out.parent))
    try:
        src = staging / "src"
        (src / "_static" / "mathjax").mkdir(parents=True)
        shutil.copy2(mathjax / "es5" / MATHJAX_FILE, src / "_static" / "mathjax" / MATHJAX_FILE)
        shutil.copy2(mathjax / "LICENSE", src / "_static" / "mathjax" / "LICENSE")
        (src / "_static" / SEARCH_TITLES_JS).write_text(SEARCH_TITLES, encoding="utf-8")
        (src / "_static" / WORKED_CSS).write_text(WORKED_STYLE, encoding="utf-8")

        jobs, releases = [], {}
        for name in names:
            source_nb = nbformat.read(root / "source" / name / f"{name}.ipynb", as_version=4)
            check_worked_solutions(name, source_nb)
            releases[name] = student_stubs(source_nb)  # never release/, which a reader may have edited
            nb = executable_notebook(source_nb)
            cwd = staging / "run" / name
            cwd.mkdir(parents=True)
            jobs.append((name, nb, cwd))
        t0 = time.perf_counter()
        keys = {name: _execution_key(nb) for name, nb, _ in jobs}
        todo = [job for job in jobs if keys[job[0]] not in _EXECUTED]
        if todo:
            sockets = Path(tempfile.mkdtemp(prefix="course-book-"))  # short paths: Unix sockets allow ~100 bytes
            try:
                asyncio.run(_execute_all(todo, parallel=max(1, min(len(todo), os.cpu_count() or 1)), sockets=sockets))
            finally:
                shutil.rmtree(sockets, ignore_errors=True)
            for name, nb, _ in todo:
                _EXECUTED[keys[name]] = copy.deepcopy(nb)
        jobs = [(name, copy.deepcopy(_EXECUTED[keys[name]]), cwd) for name, _, cwd in jobs]
        stats.reused = len(jobs) - len(todo)
        stats.execute_seconds = time.perf_counter() - t0

        titles, stats.figures = {}, 0
        for name, nb, _ in jobs:
            figures = _figures(nb)
            if figures == 0:
                raise BookError(f"{name}: executing it produced no figure (is the inline backend available?)")
            stats.figures += figures
            titles[name] = _title(nb, name)
            nbformat.write(reader_notebook(nb, releases[name], solutions), src / f"{name}.ipynb")
        (src / "index.md").write_text(index_page(titles, solutions), encoding="utf-8")
        conf = sphinx_conf()
        (src / "conf.py").write_text("# written by course/book.py\n" +
                                     "".join(f"{k} = {v!r}\n" for k, v in conf.items()) + CONF_SETUP,
                                     encoding="utf-8")

        t0 = time.perf_counter()
        stats.warnings = _render(src, staging / "html", staging / "doctrees")
        stats.render_seconds = time.perf_counter() - t0
        html = staging / "html"
        if not (html / "index.html").is_file():
            raise BookError("Sphinx finished without writing index.html")
        if (html / "_sources").is_dir() and not any((html / "_sources").iterdir()):
            (html / "_sources").rmdir()  # left empty by html_copy_source = False
        _replace(html, out, attic=staging / "previous")
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    reading_order = ["index.html", *(f"{name}.html" for name in names)]
    stats.pages = reading_order + sorted(p.name for p in out.glob("*.html") if p.name not in reading_order)
    stats.bytes = _size(out)
    stats.seconds = time.perf_counter() - started
    return out / "index.html"


def command(root: Path, out: Path | None, solutions: bool = True, open_browser: bool = False) -> int:
    """``course book``: build, say what was built, print the index page's path, optionally open it."""
    import sys
    import webbrowser

    out = Path(out) if out is not None else root / "build" / "book"
    edition = "with collapsed solutions" if solutions else "without solutions"
    print(f"building the book ({edition}) into {out} ...", file=sys.stderr, flush=True)
    stats = BookStats()
    try:
        index = build_book(root, out, solutions=solutions, stats=stats)
    except BookError as exc:
        print(f"course book: {exc}", file=sys.stderr)
        return 1
    for warning in stats.warnings:
        print(f"  sphinx: {warning}", file=sys.stderr)
    print(f"{len(stats.pages)} pages, {stats.figures} figures, {stats.bytes / 1e6:.1f} MB in {stats.seconds:.1f} s "
          f"(executing {stats.execute_seconds:.1f} s, rendering {stats.render_seconds:.1f} s)", file=sys.stderr)
    print(index)
    if open_browser and not webbrowser.open(index.as_uri()):
        print(f"course book: no browser to open; open {index.as_uri()} yourself", file=sys.stderr)
    return 0
