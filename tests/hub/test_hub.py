"""Issue 15: the course on a real JupyterHub, end to end, as its people would use it.

The instructor releases 01_one_variable from formgrader; ada and ben log in, fetch it in the
Assignments tab, ada puts in the solutions and ben the same with dJ missing its factor 2,
both validate and submit; the instructor collects with `nbgrader collect`, grades with
`course grade`, writes feedback with `course feedback` and hands it back with
`nbgrader release_feedback`; ada and ben fetch their feedback in the Assignments tab and
read the verdict; the grader (a second instructor account) sees both graded submissions in
formgrader. `course export`, `course report` and `course scores` then work on what the
exchange collected. A screenshot of every step goes to build/hub-screenshots/.

Issue 28: ada's notebook also carries a cell that displays scripts (HTML with <script>, an
<img onerror>, JavaScript, SVG, a javascript: link) and a markdown cell with a script, each of
which would set window.__gd_pwned and the page's title. In the grader's formgrader view of her
submission (formgrader's own scripts running) and on her feedback page, none runs; put back
unsanitised into autograded/, the same notebook sets the marker on the same page (the control).

In the browser: every student step, the instructor's release and the grader's view. Two things are not typed:
the answers are put into the notebook's cells through JupyterLab's own model
(`window.jupyterapp`, as a paste would), since typing code into the editor gets it
re-indented and bracket-completed; and the instructor's command-line steps run as commands
in the course root with the environment the hub gives the instructor's JupyterLab (what its
terminal would run), not typed into a terminal page.
"""

from __future__ import annotations

import csv
import json
import re
import subprocess
import time
from urllib.parse import quote

import nbformat

from content.mutants import all_mutants

from .conftest import PASSWORD, ROOT, SCREENSHOTS, STUDENT_ENV, marked_processes

ASSIGNMENT = "01_one_variable"
COURSE_ID = "gradient-descent"
MISTAKE = next(m for m in all_mutants()[ASSIGNMENT] if m.name == "dJ-missing-two")
PWNED = "__gd_pwned"  # what a student's script sets in the instructor's page, if it runs
SCRIPT_HTML = f"<b>bold is kept</b><script>window.{PWNED} = 'html script'; document.title = 'pwned'</script>"
ONERROR_HTML = f"<img src=x onerror=\"window.{PWNED} = 'onerror'; document.title = 'pwned'\">"
SCRIPT_JS = f"window.{PWNED} = 'javascript'; document.title = 'pwned'"
SCRIPT_SVG = f'<svg xmlns="http://www.w3.org/2000/svg"><script>window.{PWNED} = "svg"</script><circle r="4"/></svg>'
SCRIPT_LINK = f"[a link](javascript:window.{PWNED}='markdown link')"
SCRIPT_OUTPUTS = "\n".join(["from IPython.display import HTML, SVG, Javascript, Markdown, display",
                             f"display(HTML({SCRIPT_HTML!r}))", f"display(HTML({ONERROR_HTML!r}))",
                             f"display(Javascript({SCRIPT_JS!r}))", f"display(SVG({SCRIPT_SVG!r}))",
                             f"display(Markdown({SCRIPT_LINK!r}))"])
SCRIPT_MARKDOWN = (f"My notes.\n\n<script>window.{PWNED} = 'markdown cell'; document.title = 'pwned'</script>\n\n"
                   f"<img src=x onerror=\"window.{PWNED} = 'markdown onerror'\">")
SCRIPT_CELLS = [{"cell_type": "code", "source": SCRIPT_OUTPUTS}, {"cell_type": "markdown", "source": SCRIPT_MARKDOWN}]


def solutions() -> dict[str, str]:
    """grade id -> the instructor's answer, as a student would write it (no solution markers)."""
    nb = nbformat.read(ROOT / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", as_version=4)
    out = {}
    for cell in nb.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution") and cell.cell_type == "code":
            lines = [l for l in cell.source.splitlines() if l.strip() not in ("### BEGIN SOLUTION", "### END SOLUTION")]
            out[meta["grade_id"]] = "\n".join(lines)
    return out


# ---------------------------------------------------------------------------------------------
# the browser


class Browser:
    def __init__(self, driver, url: str):
        self.d, self.url = driver, url
        self.shots: list[str] = []

    def shot(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        n = len(self.shots) + 1
        path = SCREENSHOTS / f"{n:02d}-{name}.png"
        self.d.save_screenshot(str(path))
        self.shots.append(path.name)

    def wait(self, condition, timeout: float = 60, what: str = ""):
        from selenium.common.exceptions import TimeoutException
        from selenium.webdriver.support.wait import WebDriverWait

        try:
            return WebDriverWait(self.d, timeout, poll_frequency=0.2).until(condition)
        except TimeoutException:
            self.shot("TIMEOUT-" + re.sub(r"\W+", "-", what)[:40])
            raise AssertionError(f"timed out ({timeout} s) waiting for {what}; page: {self.d.current_url}\n"
                                 f"{self.text()[-3000:]}") from None

    def text(self) -> str:
        try:
            return self.d.execute_script("return document.body ? document.body.innerText : ''")
        except Exception:  # noqa: BLE001 - only for messages
            return ""

    def xpath(self, xpath: str, timeout: float = 60, what: str = ""):
        from selenium.webdriver.common.by import By

        def find(d):
            found = [e for e in d.find_elements(By.XPATH, xpath) if e.is_displayed()]
            return found[0] if found else False

        return self.wait(find, timeout, what or xpath)

    def click(self, xpath: str, timeout: float = 60, what: str = "") -> None:
        element = self.xpath(xpath, timeout, what)
        self.d.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

    def login(self, user: str) -> None:
        from selenium.webdriver.common.by import By

        self.d.execute_cdp_cmd("Network.clearBrowserCookies", {})
        self.d.get(f"{self.url}/hub/login")
        self.xpath("//input[@id='username_input']", what="the hub's login form").send_keys(user)
        self.d.find_element(By.ID, "password_input").send_keys(PASSWORD)
        self.d.find_element(By.ID, "login_submit").click()
        self.wait(lambda d: d.current_url.startswith(f"{self.url}/user/{user}/lab")
                  and d.execute_script("return !!window.jupyterapp"), 120, f"{user}'s JupyterLab")
        self.d.execute_async_script("const done = arguments[arguments.length - 1];"
                                    "window.jupyterapp.restored.then(() => done(true));")
        time.sleep(1)  # the launcher and the sidebars settle

    def command(self, command: str, args: dict | None = None):
        return self.d.execute_async_script(
            "const [cmd, args, done] = arguments;"
            "window.jupyterapp.commands.execute(cmd, args).then(() => done(null), e => done(String(e)));",
            command, args or {})

    def plugins(self) -> list[str]:
        return self.d.execute_script("return window.jupyterapp.listPlugins()")

    def status(self, path: str) -> int:
        """The HTTP status of a GET of ``path`` from inside the page (with the user's cookies)."""
        return self.d.execute_async_script(
            "const [path, done] = arguments; fetch(path).then(r => done(r.status), e => done(String(e)));", path)

    def open_assignment_list(self) -> None:
        self.click("//div[contains(@class,'lm-MenuBar-itemLabel') and normalize-space()='Nbgrader']",
                   what="the Nbgrader menu")
        self.click("//div[contains(@class,'lm-Menu-itemLabel') and normalize-space()='Assignment List']",
                   what="Nbgrader > Assignment List")
        self.xpath("//div[@id='released_assignments_list']", what="the Assignments tab")
        time.sleep(1)


def put_answers(b: Browser, answers: dict[str, str], extra_cells: list[dict] = ()) -> int:
    """Replace the answer cells of the open notebook (by grade id), add ``extra_cells`` at its end
    and save it: how many answers were replaced."""
    return b.d.execute_async_script("""
const [answers, extra, done] = arguments;
(async () => {
  const app = window.jupyterapp;
  const panel = app.shell.currentWidget;
  await panel.context.ready;
  let n = 0;
  for (const cell of panel.content.model.cells) {
    const meta = cell.getMetadata('nbgrader') || {};
    if (meta.solution && answers[meta.grade_id] !== undefined) {
      cell.sharedModel.setSource(answers[meta.grade_id]);
      n += 1;
    }
  }
  if (extra.length) panel.content.model.sharedModel.insertCells(panel.content.model.cells.length, extra);
  await app.commands.execute('docmanager:save');
  // show the first answer changed from the solution (dJ) for the screenshot
  const nb = panel.content;
  const at = [...nb.model.cells].findIndex(c => ((c.getMetadata('nbgrader') || {}).grade_id === 'dJ'));
  if (at >= 0) { nb.activeCellIndex = at; try { await nb.scrollToItem(at, 'start'); } catch (e) {} }
  return n;
})().then(done, e => done('error: ' + e));
""", answers, list(extra_cells))


# ---------------------------------------------------------------------------------------------
# the workflow


def instructor_releases(b: Browser, site) -> None:
    b.login("instructor")
    b.shot("instructor-lab")
    b.d.get(f"{b.url}/user/instructor/formgrader/manage_assignments")
    row = f"//tr[td[contains(@class,'name')][contains(normalize-space(),'{ASSIGNMENT}')]]"
    b.xpath(f"{row}//td[contains(@class,'release')]//a", what="formgrader's release button")
    b.shot("instructor-formgrader")
    b.click(f"{row}//td[contains(@class,'release')]//a", what="formgrader's release button")
    b.xpath("//*[@id='success-modal']", what="formgrader: released")
    assert f"Successfully released '{ASSIGNMENT}'" in b.text()
    b.shot("instructor-released")
    outbound = site.exchange / COURSE_ID / "outbound" / ASSIGNMENT
    assert (outbound / f"{ASSIGNMENT}.ipynb").is_file()
    assert list(outbound.glob("gdcourse-*.whl")) and (outbound / f"{ASSIGNMENT}.practice.json").is_file()


def student_works(b: Browser, student: str, answers: dict[str, str], extra_cells: list[dict] = ()) -> str:
    """Log in, check the student side only, fetch, answer (and add ``extra_cells``), validate, submit:
    the validation text."""
    b.login(student)
    plugins = b.plugins()
    assert "@jupyter/nbgrader:assignment-list" in plugins
    for instructor_only in ("formgrader", "create-assignment", "course-list"):
        assert f"@jupyter/nbgrader:{instructor_only}" not in plugins, instructor_only
    assert b.status(f"/user/{student}/formgrader") == 404
    b.open_assignment_list()
    b.shot(f"{student}-assignments")
    b.click(f"//div[@id='released_assignments_list']//div[contains(@class,'list_item')]"
            f"[contains(normalize-space(),'{ASSIGNMENT}')]//button[normalize-space()='Fetch']",
            what="the Fetch button of 01")
    fetched = f"//div[@id='fetched_assignments_list']//div[contains(@class,'list_item')][contains(normalize-space(),'{ASSIGNMENT}')]"
    b.xpath(fetched, what="the fetched assignment")
    b.command("filebrowser:refresh")
    b.xpath("//li[contains(@class,'jp-DirListing-item')][contains(normalize-space(),'01_one_variable')]",
            what="the fetched folder in the file browser")
    b.shot(f"{student}-fetched")

    assert b.command("docmanager:open", {"path": f"{ASSIGNMENT}/{ASSIGNMENT}.ipynb"}) is None
    b.wait(lambda d: d.execute_script("const w = window.jupyterapp.shell.currentWidget;"
                                      "return !!(w && w.context && w.context.path.endsWith('.ipynb'))"),
           what="the notebook open")
    replaced = put_answers(b, answers, extra_cells)
    assert replaced == len(answers), replaced
    b.shot(f"{student}-answered")

    b.command("nbgrader:open-assignment-list")
    b.click(f"{fetched}//a[contains(@class,'assignment-notebooks-link')]", what="the fetched assignment's notebooks")
    b.click(f"{fetched}//button[normalize-space()='Validate']", what="the Validate button")
    dialog = b.xpath("//div[contains(@class,'jp-Dialog-content')][.//*[contains(@class,'validation-success') "
                     "or contains(@class,'validation-failed')]]", 180, "the validation result")
    validation = dialog.text
    b.shot(f"{student}-validated")
    b.click("//div[contains(@class,'jp-Dialog')]//button[contains(@class,'jp-mod-accept')]", what="OK")

    b.click(f"{fetched}//button[normalize-space()='Submit']", what="the Submit button")
    b.xpath(f"//div[@id='submitted_assignments_list']//div[contains(@class,'list_item')]"
            f"[contains(normalize-space(),'{ASSIGNMENT}')]", what="the submitted assignment")
    b.shot(f"{student}-submitted")
    return validation


def unsanitised(nb):
    """The graded notebook as it would be without autograder.pipeline.sanitize: the outputs the script cell
    displayed, and the markdown cell, as the student's kernel and file had them (the control)."""
    code = next(c for c in nb.cells if c.cell_type == "code" and PWNED in c.source)
    code.outputs = [nbformat.v4.new_output("display_data", data={mime: payload, "text/plain": "<display>"})
                    for mime, payload in (("text/html", SCRIPT_HTML), ("text/html", ONERROR_HTML),
                                          ("application/javascript", SCRIPT_JS))]
    next(c for c in nb.cells if c.cell_type == "markdown" and PWNED in c.source).source = SCRIPT_MARKDOWN
    return nb


def formgrader_runs_no_student_script(b: Browser, site, student: str) -> None:
    """The grader opens ``student``'s submission in formgrader: the page's own scripts run (they
    fill in the scores), the student's do not; with the notebook unsanitised, they do."""
    from nbgrader.api import Gradebook

    with Gradebook(f"sqlite:///{site.course / 'gradebook.db'}") as gb:
        submission = gb.find_submission_notebook(ASSIGNMENT, ASSIGNMENT, student).id
    b.d.get(f"{b.url}/user/grader/formgrader/gradebook/{ASSIGNMENT}/{ASSIGNMENT}")
    b.click(f"//a[contains(@href, '/formgrader/submissions/{submission}')]",
            what=f"{student}'s submission in formgrader's list")
    loaded = ("return !!document.getElementById('notebook-container') && "
              "[...document.querySelectorAll('input.score')].some(i => i.placeholder !== '')")
    failed = "return document.body.innerText.includes('the formgrader encountered an error')"
    b.wait(lambda d: d.execute_script(loaded) or d.execute_script(failed), 60,
           f"formgrader's view of {student}'s submission, its scores filled in")
    assert not b.d.execute_script(failed), (
        f"formgrader cannot show {student}'s graded notebook: its error is in {SCREENSHOTS / 'hub.log'} (a setting "
        "of nbgrader_config.py for the feedback pages, such as c.HTMLExporter.template_file, applies to "
        "formgrader's own exporter too)")
    b.xpath("//*[contains(normalize-space(), 'bold is kept')]", what="the student's sanitised HTML output")
    time.sleep(2)  # time for an onerror or a script to run, were there any
    assert b.d.execute_script(f"return window.{PWNED} === undefined"), b.d.execute_script(f"return window.{PWNED}")
    assert b.d.title == ASSIGNMENT, b.d.title
    assert f"window.{PWNED} = 'markdown cell'" in b.text()  # the markdown cell, shown as its text
    b.d.execute_script("const at = [...document.querySelectorAll('.output_html')].find(e => e.textContent"
                       ".includes('bold is kept')); if (at) at.scrollIntoView({block: 'center'});")
    b.shot("grader-formgrader-student-scripts-inert")

    graded = site.course / "autograded" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    sanitised = graded.read_bytes()
    try:  # the control: the same notebook unsanitised, on the same page, runs the student's scripts
        graded.chmod(0o644)
        nbformat.write(unsanitised(nbformat.reads(sanitised.decode(), as_version=4)), graded)
        b.d.refresh()
        b.wait(lambda d: d.execute_script(f"return window.{PWNED} !== undefined"), 30,
               "the control: the unsanitised notebook's scripts running in formgrader")
        b.shot("grader-formgrader-control-unsanitised")
    finally:
        graded.write_bytes(sanitised)
        graded.chmod(0o444)


def student_reads_feedback(b: Browser, student: str) -> str:
    """Fetch the feedback in the Assignments tab, follow its link: the feedback page's text."""
    b.login(student)
    b.open_assignment_list()
    b.click("//div[@id='submitted_assignments_list']//button[normalize-space()='Fetch Feedback']",
            what="the Fetch Feedback button")
    b.click("//div[@id='submitted_assignments_list']//a[contains(normalize-space(),'view feedback')]",
            what="the (view feedback) link")
    folder = b.wait(lambda d: d.execute_script(
        "const fb = window.jupyterapp.shell.widgets('left');"
        "for (const w of fb) { if (w.model && w.model.path !== undefined && w.model.path.includes('feedback'))"
        "  return w.model.path; } return false;"), what="the file browser in the feedback folder")
    b.shot(f"{student}-feedback-folder")
    b.d.get(f"{b.url}/user/{student}/files/{quote(folder)}/{ASSIGNMENT}.html")
    b.xpath("//body[contains(normalize-space(), 'Score')]", what="the feedback page")
    b.d.execute_script("const lost = [...document.querySelectorAll('pre, .output_text, .output_error')]"
                       "  .find(e => e.textContent.includes('WrongAnswer'));"
                       "if (lost) lost.scrollIntoView({block: 'center'});")
    b.shot(f"{student}-feedback")
    return b.text()


def test_release_fetch_submit_collect_grade_feedback(site, hub, browser):
    started = time.monotonic()
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    answers = solutions()
    with_mistake = {**answers, MISTAKE.cell: MISTAKE.source.strip("\n")}
    b = Browser(browser, hub)
    # the students' environment has the learner package and nothing of the grader
    for module, importable in (("gdcourse", True), ("nbgrader.server_extensions.assignment_list", True),
                               ("autograder", False), ("course", False)):
        probe = subprocess.run([str(STUDENT_ENV / "bin" / "python"), "-I", "-c", f"import {module}"], cwd=site.homes,
                               capture_output=True)
        assert (probe.returncode == 0) == importable, (module, probe.stderr[-500:])

    # the instructor prepares 01 (release/ + gradebook, then the wheel and practice file) ...
    site.run("course", "release", ASSIGNMENT)
    site.run("course", "bundle", ASSIGNMENT)
    # ... and releases it from formgrader
    instructor_releases(b, site)

    ada = student_works(b, "ada", answers, SCRIPT_CELLS)
    assert "Success! Your notebook passes all the tests." in ada, ada
    ben = student_works(b, "ben", with_mistake)
    assert "The following cell failed" in ben and "dJ does not match the slope" in ben, ben
    running = [" ".join(p.cmdline()) for p in marked_processes()]
    for program in ("jupyterhub", "configurable-http-proxy", "jupyterhub-singleuser", "ipykernel"):
        assert any(program in cmd for cmd in running), f"no {program} among the marked processes: {running}"
    inbound = sorted(p.name.split("+")[0] for p in (site.exchange / COURSE_ID / "inbound").iterdir())
    assert inbound == ["ada", "ben"], inbound

    # the instructor: collect, grade, feedback, hand it back
    site.run("nbgrader", "collect", ASSIGNMENT)
    for student in ("ada", "ben"):
        assert (site.course / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb").is_file()
        assert (site.course / "submitted" / student / ASSIGNMENT / "timestamp.txt").is_file()
    graded = site.run("course", "grade", ASSIGNMENT)
    assert "2 graded" in graded.stdout, graded.stdout
    site.run("course", "feedback", ASSIGNMENT)
    site.run("nbgrader", "release_feedback", ASSIGNMENT)
    assert len(list((site.exchange / COURSE_ID / "feedback").glob("*.html"))) == 2

    # the course's own records work on what the exchange collected
    for student in ("ada", "ben"):
        status = json.loads((site.course / "grading-status" / ASSIGNMENT / f"{student}.json").read_text())
        assert status.get("state") == "graded", status
    site.run("course", "export", "--to", str(site.base / "grades.csv"))
    rows = {r["student_id"]: r for r in csv.DictReader(open(site.base / "grades.csv"))
            if r["assignment"] == ASSIGNMENT}
    assert rows["ada"]["status"] == "graded" and rows["ben"]["status"] == "graded", rows
    assert float(rows["ada"]["score"]) == float(rows["ada"]["max_score"]) == 21.0, rows["ada"]
    assert float(rows["ben"]["score"]) < 21.0, rows["ben"]
    assert float(rows["ben"]["test_dJ"]) == 0.0 and float(rows["ada"]["test_dJ"]) > 0, rows
    site.run("course", "report", ASSIGNMENT, "--out", str(site.base / "reports"))
    report = (site.base / "reports" / f"{ASSIGNMENT}.html").read_text()
    assert "factor 2" in report and "ben" in report
    scores = site.run("course", "scores").stdout
    assert re.search(r"ada\s+21\.0 / 21", scores) and re.search(r"ben\s+\d+\.\d / 21", scores), scores

    # the grader (a second instructor account) sees the graded class in formgrader
    b.login("grader")
    b.d.get(f"{b.url}/user/grader/formgrader/manage_submissions/{ASSIGNMENT}")
    for student in ("ada", "ben"):
        b.xpath(f"//td[contains(@class,'student-id')][normalize-space()='{student}']", what=f"{student}'s submission in formgrader")
    b.shot("grader-formgrader-submissions")
    formgrader_runs_no_student_script(b, site, "ada")  # issue 28

    # the students read their verdicts
    ada_feedback = student_reads_feedback(b, "ada")
    assert re.search(r"Score: 21(\.0)? / 21(\.0)?", ada_feedback), ada_feedback[:2000]
    assert b.d.execute_script(f"return window.{PWNED} === undefined && document.title !== 'pwned'")
    ben_feedback = student_reads_feedback(b, "ben")
    assert "factor 2" in ben_feedback, ben_feedback[:4000]
    assert not re.search(r"Score: 21(\.0)? / 21", ben_feedback)

    elapsed = time.monotonic() - started
    print(f"\nhub workflow: {elapsed:.0f} s; screenshots: {', '.join(b.shots)}")
    assert elapsed < 360, f"the hub test took {elapsed:.0f} s"
