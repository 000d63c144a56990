"""The pre-submission check: the saved notebook, run top to bottom in a fresh kernel, as the grade runs it.

``gdcourse.check()`` judges the functions of the kernel you work in, whatever order its cells ran in.
The grade runs the *saved file* from its first cell to its last in a new kernel: a notebook that
works only because a cell below was run first, or because of a cell deleted since, loses points
there. Before you hand in, save the notebook and run, in a cell::

    gdcourse.presubmit()

or, in a terminal, with the Python of your notebooks::

    python -m gdcourse.presubmit path/to/notebook.ipynb

Either one runs a copy of the saved notebook top to bottom in a fresh kernel (each cell may take
:data:`SECONDS_PER_CELL` seconds at most, as in the grade), then runs the practice checks of
``gdcourse.check()`` on that kernel's functions and reports, per exercise, what ``check()`` would,
a test cell that fails in that run included; and it lists the cells that raised an error in that
run, first those that ran without one in your session (they work only when run out of order).
The notebook file is read, never written.

Where the notebook is: ``gdcourse.presubmit("name.ipynb")`` says it. Without it, the check asks
VS Code (``__vsc_ipynb_file__``), the Jupyter server that runs this kernel (JupyterLab, Jupyter
Notebook: its sessions, or ``JPY_SESSION_NAME``), or Colab (the notebook as it is in the editor: hand
in what File > Download > Download .ipynb gives, which is the same); failing those, it takes the
notebook named after the practice file in the working folder.

Running a notebook needs ``nbclient`` (with ``nbformat`` and ``jupyter_client``) in the notebook's
Python: it comes with JupyterLab and Jupyter Notebook and is there in Colab; VS Code's kernels need
only ipykernel, so there (or in a kernel of an environment of its own) the check says to run
``%pip install nbclient``. The wheel of ``gdcourse`` does not depend on it. They are imported by name when the check runs (:func:`_jupyter`), so that nothing of
gdcourse imports Jupyter's execution machinery (the grader's) where it is not there.
"""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path
from typing import Any

from .namespace import notebook_namespace
from .practice import GRADE_ONLY, PracticeError, Result, check_results, find_practice_file, load_practice_file, render
from .wording import plain_numbers

SECONDS_PER_CELL = 30  # as the grade: each cell may take this long (nbgrader_config.py, c.Execute.timeout)
INSIDE = "GDCOURSE_PRESUBMIT"  # set in the fresh kernel: a presubmit() cell of the notebook does nothing there
MARKER = "GDCOURSE-PRESUBMIT-RESULTS "
INSTALL = ("the pre-submission check needs nbclient in the Python of this notebook (it comes with JupyterLab and "
           "Jupyter Notebook, and Colab has it; VS Code does not install it). Install it once, in a cell: "
           "%pip install nbclient   (or in a terminal: python -m pip install nbclient), then run this again.")


# --- in the notebook -----------------------------------------------------------------------------

def presubmit(notebook: str | Path | None = None, seconds_per_cell: float = SECONDS_PER_CELL,
              practice_file: str | Path | None = None) -> None:
    """Run the saved notebook top to bottom in a fresh kernel, as the grade will, and report per exercise.

    Save the notebook first (Ctrl+S, or Cmd+S on a Mac): the saved file is what you hand in and
    what this checks. It prints its report and returns None; it never changes the notebook file.

    Parameters
    ----------
    notebook : path, optional
        The notebook file (default: the one this kernel runs, asked of VS Code, JupyterLab or Colab).
    seconds_per_cell : float
        How long one cell may run before it is stopped, as the grade stops it.
    practice_file : path, optional
        ``<assignment>.practice.json`` (default: the one beside the notebook).
    """
    if os.environ.get(INSIDE):
        print("(gdcourse.presubmit() does nothing inside the pre-submission run itself)")
        return None
    if os.environ.get("NBGRADER_EXECUTION"):
        print("(gdcourse.presubmit() does nothing while the notebook is graded)")
        return None
    found, how, folder = find_notebook(notebook)
    if found is None:
        print(f"gdcourse.presubmit(): {how}")
        return None
    if importlib.util.find_spec("nbclient") is None:
        print(f"gdcourse.presubmit(): {INSTALL}")
        return None
    command = [sys.executable, "-m", "gdcourse.presubmit", str(found), "--seconds-per-cell", f"{seconds_per_cell:g}",
               "--folder", str(folder)]
    if how:
        command += ["--found", how]
    if practice_file:
        command += ["--practice-file", str(Path(practice_file).resolve())]
    with tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace") as log:  # the kernel's warnings
        process = subprocess.Popen(command, cwd=folder, stdout=subprocess.PIPE, stderr=log, text=True,
                                   encoding="utf-8", errors="replace")
        try:
            for line in process.stdout:
                print(line, end="", flush=True)
            if process.wait() == 2:  # it could not run the notebook: what went wrong may be in the log
                log.seek(0)
                print(log.read()[-3000:], end="")
        except KeyboardInterrupt:  # the learner interrupted this kernel: stop the run and its kernel
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
            print("\n(pre-submission check interrupted)")
    return None


def find_notebook(given: str | Path | None = None) -> tuple[Path | None, str, Path]:
    """(the notebook file, how it was found, the folder to run it in); (None, what to do, cwd) if not found."""
    cwd = Path.cwd()
    if given is not None:
        path = Path(given).expanduser()
        path = path if path.is_absolute() else cwd / path
        if not path.is_file():
            return None, f"{path} is not a file: pass the path of your .ipynb file", cwd
        return path, "", path.parent
    for how, finder in (("VS Code", _from_vscode), ("the Jupyter server", _from_jupyter_server),
                        ("JPY_SESSION_NAME", _from_session_name)):
        try:
            path = finder()
        except Exception:  # noqa: BLE001 - each way is a guess; the next one is tried
            path = None
        if path is not None and path.is_file():
            return path, f"the notebook this kernel runs, as {how} names it", path.parent
    if "google.colab" in sys.modules:
        try:
            return _from_colab(), "Colab's editor (what File > Download > Download .ipynb gives)", cwd
        except Exception as exc:  # noqa: BLE001
            return None, (f"Colab did not hand over the notebook ({type(exc).__name__}). Download it (File > "
                          "Download > Download .ipynb), upload it to the Files panel on the left, and run "
                          "gdcourse.presubmit(\"<its name>.ipynb\")"), cwd
    named = _by_practice_file(cwd)
    if named is not None:
        return named, "its name, which matches the practice file here (pass the path if you work in another file)", cwd
    return None, ("the notebook file cannot be found from here: pass its path, "
                  "e.g. gdcourse.presubmit(\"01_one_variable.ipynb\")"), cwd


def _from_vscode() -> Path | None:
    name = dict.get(notebook_namespace(), "__vsc_ipynb_file__")
    return Path(name) if isinstance(name, str) else None


def _from_session_name() -> Path | None:
    name = os.environ.get("JPY_SESSION_NAME")
    if not name:
        return None
    path = Path(name)
    for candidate in (path, Path.cwd() / path, Path.cwd() / path.name):
        if candidate.is_file() and candidate.suffix == ".ipynb":
            return candidate
    return None


def _from_jupyter_server() -> Path | None:
    """The notebook of this kernel's session, asked of the Jupyter servers running here (their sessions API)."""
    import urllib.request

    connection = importlib.import_module("ipykernel.connect").get_connection_file()
    kernel = re.sub(r"^kernel-", "", Path(connection).stem)
    runtime = Path(importlib.import_module("jupyter_core.paths").jupyter_runtime_dir())
    for info_file in sorted([*runtime.glob("jpserver-*.json"), *runtime.glob("nbserver-*.json")]):
        info = json.loads(info_file.read_text(encoding="utf-8"))
        request = urllib.request.Request(info["url"].rstrip("/") + "/api/sessions",
                                         headers={"Authorization": f"token {info.get('token', '')}"})
        try:
            with urllib.request.urlopen(request, timeout=2) as response:  # noqa: S310 - a local Jupyter server
                sessions = json.load(response)
        except Exception:  # noqa: BLE001 - another user's server, a password, a server gone: next one
            continue
        for session in sessions:
            if session.get("kernel", {}).get("id") == kernel:
                path = session.get("path") or session.get("notebook", {}).get("path")
                root = info.get("root_dir") or info.get("notebook_dir") or ""
                if path:
                    return Path(root) / path
    return None


def _from_colab() -> Path:
    message = importlib.import_module("google.colab._message")
    notebook = message.blocking_request("get_ipynb", request="", timeout_sec=60)["ipynb"]
    folder = Path(tempfile.mkdtemp(prefix="gdcourse-presubmit-"))
    path = folder / "notebook.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")
    return path


def _by_practice_file(folder: Path) -> Path | None:
    names = [p.name[:-len(".practice.json")] for p in folder.glob("*.practice.json")]
    names += [p.name[:-len(".hidden.json")] for p in folder.glob("*.hidden.json")]
    found = [folder / f"{name}.ipynb" for name in names if (folder / f"{name}.ipynb").is_file()]
    return found[0] if len(found) == 1 else None


# --- in the fresh kernel -------------------------------------------------------------------------

def _report(practice_file: str | None = None) -> None:
    """The last cell of the pre-submission run: the practice checks of this (fresh) kernel, as one line."""
    namespace = notebook_namespace()
    path = Path(practice_file) if practice_file else find_practice_file(namespace)
    if path is None:
        print(MARKER + json.dumps({"error": "no practice file (<assignment>.practice.json) beside the notebook: "
                                            "put the one that came with it there"}))
        return
    try:
        data = load_practice_file(path)
        results = check_results(data, namespace)
    except PracticeError as exc:
        print(MARKER + json.dumps({"error": str(exc)}))
        return
    print(MARKER + json.dumps({"data": {k: data.get(k) for k in ("assignment", "kind")},
                               "results": [asdict(r) for r in results]}))


# --- the run -------------------------------------------------------------------------------------

def _jupyter() -> dict | None:
    """nbclient, nbformat and jupyter_client, imported by name (see the module's docstring); None if missing."""
    try:
        return {name: importlib.import_module(name)
                for name in ("nbclient", "nbclient.exceptions", "nbformat", "jupyter_client.manager",
                             "jupyter_client.kernelspec")}
    except ImportError:
        return None


def _this_python_kernel(jupyter: dict):
    """A kernel manager that starts the kernel with this Python (where gdcourse is), whatever kernel specs say."""
    spec = jupyter["jupyter_client.kernelspec"].KernelSpec(
        argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"], display_name="Python 3",
        language="python")

    class ThisPython(jupyter["jupyter_client.manager"].AsyncKernelManager):  # nbclient's default is async
        @property
        def kernel_spec(self):
            return spec

    return ThisPython


def _first_line(source: str) -> str:
    lines = [line.strip() for line in source.splitlines() if line.strip() and not line.strip().startswith("#")]
    line = lines[0] if lines else (source.strip().splitlines() or [""])[0]
    return line if len(line) <= 60 else line[:57] + "..."


def _errors(cell) -> list[dict]:
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def run(path: str | Path, seconds_per_cell: float = SECONDS_PER_CELL, practice_file: str | Path | None = None,
        folder: str | Path | None = None, found: str = "", out=print) -> int:
    """Run the notebook ``path`` top to bottom in a fresh kernel in ``folder`` (default: its own) and print the
    report with ``out``. Returns 0 when every exercise passes and no cell fails in that run, 1 when some
    exercise or cell does, 2 when the notebook could not be run."""
    jupyter = _jupyter()
    if jupyter is None:
        out(f"gdcourse.presubmit: {INSTALL}")
        return 2
    path = Path(path)
    folder = Path(folder) if folder else path.parent
    try:
        text = path.read_text(encoding="utf-8")
        saved = jupyter["nbformat"].reads(text, as_version=4)
    except (OSError, ValueError) as exc:
        out(f"gdcourse.presubmit: {path} cannot be read as a notebook: {exc}")
        return 2
    nb = jupyter["nbformat"].reads(text, as_version=4)  # the copy that runs; the file is never written
    practice = repr(str(practice_file)) if practice_file else "None"
    nb.cells.append(jupyter["nbformat"].v4.new_code_cell(
        f"import gdcourse.presubmission as _gdcourse_presubmission\n_gdcourse_presubmission._report({practice})"))
    saved_at = time.strftime("%H:%M on %d %b", time.localtime(path.stat().st_mtime))
    code = [i for i, c in enumerate(saved.cells) if c.cell_type == "code"]
    out(f"Pre-submission check of {path.name}" + (f" (found by {found})" if found else "")
        + f", as saved at {saved_at}: save first if you changed it since (Ctrl+S, or Cmd+S on a Mac).")
    out(f"Running its {len(code)} code cells top to bottom in a fresh kernel, as the grade will "
        f"({seconds_per_cell:g} s per cell at most)...")
    env = {k: v for k, v in os.environ.items() if k != "NBGRADER_EXECUTION"}
    env[INSIDE] = "1"  # a presubmit() cell of the notebook does nothing in the fresh kernel
    client = jupyter["nbclient"].NotebookClient(
        nb, timeout=seconds_per_cell, interrupt_on_timeout=True, allow_errors=True, startup_timeout=120,
        kernel_manager_class=_this_python_kernel(jupyter), resources={"metadata": {"path": str(folder)}})
    started = time.perf_counter()
    stopped = None
    try:
        client.execute(env=env)
    except jupyter["nbclient.exceptions"].DeadKernelError:
        stopped = "the kernel died (out of memory, or a crash)"
    except Exception as exc:  # noqa: BLE001 - the kernel did not start, or nbclient failed: say so, and stop
        stopped = f"{type(exc).__name__}: {str(exc)[:300]}"
    seconds = time.perf_counter() - started
    return _report_run(saved, nb, code, seconds, seconds_per_cell, stopped, out)


def _report_run(saved, ran, code: list[int], seconds: float, seconds_per_cell: float, stopped: str | None,
                out) -> int:
    results, problem = None, None
    for o in ran.cells[-1].get("outputs", []):
        for line in str(o.get("text", "")).splitlines():
            if line.startswith(MARKER):
                answer = json.loads(line[len(MARKER):])
                results, problem = answer.get("results"), answer.get("error")
    out(f"It ran in {seconds:.1f} s." if stopped is None else
        f"It stopped after {seconds:.1f} s: {stopped}. The grade would stop there too.")

    test_cells = {c.metadata.get("nbgrader", {}).get("grade_id"): i for i, c in enumerate(ran.cells[:len(saved.cells)])
                  if c.metadata.get("nbgrader", {}).get("grade")}
    failing = []  # (cell index, error output) in the fresh run
    for i in code:
        errors = _errors(ran.cells[i])
        if errors:
            failing.append((i, errors[0]))
    in_order, others, not_done, after_failure, tests = [], [], [], [], []
    for i, error in failing:
        was = saved.cells[i]
        if was.get("execution_count") is not None and not _errors(was):
            in_order.append((i, error))  # it ran without an error in the learner's session
        elif error.get("ename") == "NotImplementedError":
            not_done.append(i)
        elif _because(saved, failing, i, error):
            after_failure.append(i)
        elif saved.cells[i].metadata.get("nbgrader", {}).get("grade"):
            tests.append(i)  # a test cell: its exercise's line says it
        else:
            others.append((i, error))

    def where(i: int) -> str:
        count = saved.cells[i].get("execution_count")
        label = f"code cell {code.index(i) + 1} of {len(code)}" + (f" (In [{count}] in your session)" if count else "")
        return f"{label}, `{_first_line(saved.cells[i].source)}`"

    def what(i: int, error: dict) -> str:
        if error.get("ename") == "KeyboardInterrupt":
            return f"did not finish within {seconds_per_cell:g} s (an endless loop?): the grade stops it there too"
        because = _because(saved, failing, i, error)
        return f"{error.get('ename')}: {plain_numbers(str(error.get('evalue', ''))[:200])}{because}"

    def numbers(cells: list[int]) -> str:
        return ", ".join(str(code.index(i) + 1) for i in cells)

    if in_order:
        counts = [c.get("execution_count") for c in saved.cells if c.cell_type == "code" and c.get("execution_count")]
        shuffled = any(b < a for a, b in zip(counts, counts[1:]))
        out("")
        out("These cells ran without an error in your session but fail when the notebook runs top to bottom: they "
            "use something that a cell below them, a cell since deleted or an earlier version of a cell defined"
            + (" (your session ran cells out of order)" if shuffled else "") + ". The grade runs them in order:")
        for i, error in in_order:
            out(f"  {where(i)}: {what(i, error)}")
    if others:
        out("")
        out("Other cells that raise an error in this run:" if in_order else "Cells that raise an error in this run:")
        for i, error in others:
            out(f"  {where(i)}: {what(i, error)}")
    if not_done or after_failure or tests:
        out("")
    if not_done:
        out(f"{_cells(not_done, 'code cell stops', 'code cells stop')} at work not done yet (NotImplementedError): "
            f"{numbers(not_done)}.")
    if after_failure:
        out(f"{_cells(after_failure, 'code cell fails', 'code cells fail')} only because a cell above "
            f"{'it' if len(after_failure) == 1 else 'them'} failed first: {numbers(after_failure)}.")
    if tests:
        out(f"{_cells(tests, 'test cell fails', 'test cells fail')}: {numbers(tests)} (see "
            f"{'its exercise' if len(tests) == 1 else 'their exercises'} below).")

    out("")
    if results is None:
        out(f"No practice checks ran: {problem or 'the last cell of the run did not finish'}.")
        return 1 if stopped is None else 2
    shown = []
    for r in results:
        result = Result(**r)
        cell = test_cells.get(result.grade_id)
        errors = _errors(ran.cells[cell]) if cell is not None else []
        if result.passed is None and "is not defined yet" in result.message:
            result.message = result.message.replace(
                "is not defined yet: run its cell first",
                "is not defined after the run top to bottom: its cell raised an error (see above), or there is none")
        elif errors and result.passed in (True, GRADE_ONLY):
            result.passed = False
            result.message = (f"{result.message}, but its test cell fails in this run: {what(cell, errors[0])}; the "
                              "grade fails it too")
        shown.append(result)
    out("Exercises, checked in that fresh kernel as gdcourse.check() checks them:")
    out("\n".join(render({"assignment": "", "kind": "practice"}, shown).splitlines()[1:]))
    out("Your notebook file was not changed.")
    all_pass = all(r.passed in (True, GRADE_ONLY) for r in shown)
    return 0 if all_pass and not failing and stopped is None else 1


def _cells(cells: list, one: str, many: str) -> str:
    return f"1 {one}" if len(cells) == 1 else f"{len(cells)} {many}"


def _because(saved, failing, i: int, error: dict) -> str:
    """For a NameError: the failed cell above that defines the missing name, if there is one."""
    match = re.fullmatch(r"name '(\w+)' is not defined", str(error.get("evalue", "")))
    if error.get("ename") != "NameError" or not match:
        return ""
    name = match.group(1)
    defines = re.compile(rf"^\s*(?:def|class)\s+{name}\b|^\s*{name}\s*(?:,[^=]*)?=(?!=)|^\s*(?:import|from)\b.*\b{name}\b",
                         re.MULTILINE)
    for j, _ in failing:
        if j < i and defines.search(saved.cells[j].source):
            return " (the cell above that defines it failed first)"
    return ""


# --- the command line ------------------------------------------------------------------------------

def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m gdcourse.presubmit",
        description="Run a saved notebook of the course top to bottom in a fresh kernel, as the grade will, and "
                    "report per exercise what gdcourse.check() would, with the cells that fail in that run. "
                    "The notebook file is not changed.")
    parser.add_argument("notebook", help="the .ipynb file")
    parser.add_argument("--seconds-per-cell", type=float, default=SECONDS_PER_CELL,
                        help=f"stop a cell that runs longer (default {SECONDS_PER_CELL}, as the grade)")
    parser.add_argument("--practice-file", help="<assignment>.practice.json (default: the one beside the notebook)")
    parser.add_argument("--folder", help="the folder to run it in (default: the notebook's)")
    parser.add_argument("--found", default="", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    path = Path(args.notebook)
    if not path.is_file():
        print(f"gdcourse.presubmit: {path} is not a file")
        return 2
    import signal

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(3))  # stopped from the notebook: nbclient ends its kernel
    return run(path, args.seconds_per_cell, args.practice_file, args.folder, args.found,
               out=lambda line: print(line, flush=True))


if __name__ == "__main__":
    sys.exit(main())
