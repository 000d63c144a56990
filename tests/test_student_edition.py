"""The student edition, through real installs: what a student of a graded class gets and runs.

`course bundle` makes one zip per assignment. For Python 3.10, 3.12 and 3.13 (pyenv's
interpreters), a fresh virtual environment gets only pip, ipykernel and nbclient; the zip is
unpacked and its notebook run as a student would (its first cell installs the wheel beside
it, with NumPy and Matplotlib): untouched, with the instructor's solutions pasted in, and
with every known mistake pasted in, each followed by `gdcourse.check()`.
"""

from __future__ import annotations

import email
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

from autograder.run.check import left_undefined
from gdcourse.practice import GRADE_ONLY
from gdcourse.wording import ANSWER_FORM_WORDS

from .grading import ASSIGNMENTS, ROOT, Course, venv_env
from content.mutants import all_mutants

PYTHONS = ["3.10", "3.12", "3.13"]
DRIVER = Path(__file__).with_name("student_edition_driver.py")


def interpreter(version: str) -> Path | None:
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip() if shutil.which("pyenv") \
        else os.path.expanduser("~/.pyenv")
    found = sorted(Path(root, "versions").glob(f"{version}.*/bin/python")) if root else []
    return found[-1] if found else None


def course_command(course: Course, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=course.root, capture_output=True,
                          text=True, env=venv_env(), timeout=600)


@pytest.fixture(scope="module")
def bundled(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("student-edition"))
    shutil.copytree(ROOT / "learner", course.root / "learner",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
    for args in (("release",), ("bundle",)):
        proc = course_command(course, *args)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    return course


def solutions(assignment: str) -> dict[str, str]:
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", 4)
    return {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")}


def hidden_lines(assignment: str) -> list[str]:
    """Lines of the hidden tests and of the solutions that compute something (they hold an operator)."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", 4)
    out = []
    for cell in nb.cells:
        for begin, end in (("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"), ("### BEGIN SOLUTION", "### END SOLUTION")):
            inside = False
            for line in cell.source.splitlines():
                if line.strip() == begin:
                    inside = True
                elif line.strip() == end:
                    inside = False
                elif inside and len(line.strip()) > 24 and re.search(r"[-+*/@]", line) \
                        and not line.strip().startswith("#") and "practice=" not in line:
                    out.append(line.strip())  # a formula, not a conversion or an import
    return out


def test_a_bundle_holds_the_notebook_the_wheel_the_practice_file_and_a_readme(bundled):
    for assignment in ASSIGNMENTS:
        with zipfile.ZipFile(bundled.root / "dist" / f"{assignment}.zip") as zf:
            names = sorted(zf.namelist())
        assert names == sorted([f"{assignment}/{assignment}.ipynb", f"{assignment}/README.txt",
                                f"{assignment}/{assignment}.practice.json",
                                f"{assignment}/gdcourse-0.1.0-py3-none-any.whl"])
        release = bundled.root / "release" / assignment
        assert (release / "gdcourse-0.1.0-py3-none-any.whl").is_file()  # what nbgrader release_assignment hands out
        assert (release / f"{assignment}.practice.json").is_file()


def test_the_wheel_holds_no_grader_and_needs_numpy_and_matplotlib_only(bundled):
    wheel = bundled.root / "release" / ASSIGNMENTS[0] / "gdcourse-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
        metadata = email.message_from_bytes(zf.read("gdcourse-0.1.0.dist-info/METADATA"))
    assert {n.split("/")[0] for n in names} == {"gdcourse", "gdcourse-0.1.0.dist-info"}
    assert not [n for n in names if re.search(r"autograder|mutant|nbgrader|mistakes", n)]
    requires = sorted(re.split(r"[<>=!~ ;\[]", r)[0].lower() for r in metadata.get_all("Requires-Dist") or [])
    assert requires == ["matplotlib", "numpy"]
    assert metadata["Requires-Python"] == ">=3.10"


def test_nothing_of_the_answers_leaves_the_instructor(bundled):
    for assignment in ASSIGNMENTS:
        texts = []
        with zipfile.ZipFile(bundled.root / "dist" / f"{assignment}.zip") as zf:
            for name in zf.namelist():
                if name.endswith(".whl"):
                    with zipfile.ZipFile(zf.open(name)) as wheel:
                        texts += [wheel.read(n).decode("utf-8", "replace") for n in wheel.namelist()]
                else:
                    texts.append(zf.read(name).decode("utf-8", "replace"))
        everything = "\n".join(texts)
        leaks = [line for line in hidden_lines(assignment) if line in everything]
        assert not leaks, f"{assignment}: {leaks[:5]}"
        with zipfile.ZipFile(bundled.root / "dist" / f"{assignment}.zip") as zf:
            practice = json.loads(zf.read(f"{assignment}/{assignment}.practice.json"))
        calls = {c["call"] for e in practice["exercises"] for p in e["probes"] for c in p["cases"]}
        hidden = {c["call"] for record in _reference(bundled, assignment).values() for p in record["probes"]
                  for c in p["cases"]}
        assert practice["kind"] == "practice" and calls and not calls & hidden


def _reference(course: Course, assignment: str) -> dict:
    from autograder.pipeline.reference import reference_records

    return reference_records(course.source_path(assignment), course.root / ".grading-cache" / "reference")


def test_release_refuses_to_overwrite_a_notebook_someone_worked_in(bundled):
    path = bundled.release_path(ASSIGNMENTS[0])
    nb = nbformat.read(path, 4)
    nb.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="my work\n")]
    nbformat.write(nb, path)
    before = path.read_bytes()
    refused = course_command(bundled, "release", ASSIGNMENTS[0])
    assert refused.returncode == 1 and "someone has worked in these notebooks" in refused.stderr, refused.stderr
    assert path.read_bytes() == before
    forced = course_command(bundled, "release", ASSIGNMENTS[0], "--force")
    assert forced.returncode == 0 and path.read_bytes() != before


@pytest.fixture(scope="module", params=[pytest.param(v, marks=pytest.mark.xdist_group(f"student-{v}")) for v in PYTHONS])
def student(request, bundled, tmp_path_factory):
    """Every assignment, run by a student on Python ``version`` in a fresh environment."""
    python = interpreter(request.param)
    if python is None:
        pytest.skip(f"Python {request.param} is not installed under pyenv here")
    home = tmp_path_factory.mktemp(f"student-{request.param}")
    venv = home / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "ipykernel", "nbclient"],
                         capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-3000:]
    mutants = all_mutants()
    results = {}
    for assignment in ASSIGNMENTS:
        with zipfile.ZipFile(bundled.root / "dist" / f"{assignment}.zip") as zf:
            zf.extractall(home)
        job = {"folder": str(home / assignment), "assignment": assignment, "solutions": solutions(assignment),
               "mutants": [{"name": m.name, "cell": m.cell, "source": m.source} for m in mutants[assignment]]}
        (home / f"{assignment}.job.json").write_text(json.dumps(job))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "MPL"))}
        env["PATH"] = f"{venv / 'bin'}:/usr/bin:/bin"
        env["MPLBACKEND"] = "Agg"
        run = subprocess.run([str(venv / "bin" / "python"), str(DRIVER), str(home / f"{assignment}.job.json"),
                              str(home / f"{assignment}.result.json")], cwd=home, env=env, capture_output=True,
                             text=True, timeout=900)
        assert run.returncode == 0, run.stderr[-3000:]
        results[assignment] = json.loads((home / f"{assignment}.result.json").read_text())
    freeze = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"],
                            capture_output=True, text=True).stdout
    return {"version": request.param, "results": results, "mutants": mutants, "packages": freeze}


def test_an_untouched_notebook_runs_but_for_the_exercises(student):
    """Every error of an untouched notebook is an unfinished exercise, or a name that an earlier cell
    did not get to define because it stopped at one."""
    for assignment, result in student["results"].items():
        stopped = []  # sources of the cells that stopped, in order
        for _, ename, evalue, source in result["release_errors"]:
            if ename == "NameError":
                assert left_undefined(ename, evalue, stopped), (assignment, evalue)
            elif ename == "AssertionError":  # a question's visible test: gdcourse.require_answer on a blank answer
                assert evalue.endswith(ANSWER_FORM_WORDS["unanswered"]), (assignment, evalue)
            else:
                assert ename == "NotImplementedError", (assignment, ename, evalue)
            stopped.append(source)
        assert stopped, assignment
    assert "gdcourse" in student["packages"] and "nbgrader" not in student["packages"]


def test_the_solutions_run_and_every_practice_check_passes_in_well_under_half_a_second(student):
    for assignment, result in student["results"].items():
        assert result["solution_errors"] == [], (assignment, result["solution_errors"])
        assert result["solution_check"] and all(passed is True or passed == GRADE_ONLY  # questions: graded only
                                                for _, _, passed, _ in result["solution_check"]), \
            (assignment, result["solution_check"])
        assert "practice inputs" in result["check_output"] and "✗" not in result["check_output"]
        assert result["check_seconds"] < 0.5, (assignment, result["check_seconds"])


# known mistakes that practice checks do not name, on purpose
NOT_PRACTISED = {
    "learning_rate_regime-alpha-one": "the boundary α = 1 is the learner's to work out: no practice input gives "
                                      "its answer away (the hidden checks test it)",
    "mse_gradient-python-loop": "its values are right: the notebook's visible test (a look at the code, not at "
                                "values) says it has a loop",
    "dJ-central-difference-behind-a-forged-parse": "it forges the kernel's own derivation check, which only the "
                                                   "student reads; the grade judges the cells outside the kernel",
}


def test_every_known_mistake_is_named_by_the_practice_check(student):
    missed = []
    for assignment, result in student["results"].items():
        for mutant in student["mutants"][assignment]:
            if mutant.name in NOT_PRACTISED:
                continue
            verdicts = result["mutants"][mutant.name]
            mine = [v for v in verdicts if v[0] == mutant.fails] if isinstance(verdicts, list) else []
            if mine and mine[0][2] == GRADE_ONLY:
                continue  # a concept question's wrong option: no practice input could test it without the answer
            if not mine or mine[0][2] is not False or mutant.says.lower() not in mine[0][3].lower():
                missed.append((assignment, mutant.name, mutant.says, mine[0][3] if mine else verdicts))
    assert not missed, "\n".join(map(str, missed))
