"""Issue 30, done when: in a student's fresh environment (Python 3.10 and 3.13: pip, ipykernel, nbclient and
the gdcourse wheel, as a student's JupyterLab has them) a kernel driven as JupyterLab drives it gets the
issue's wrong answers pasted in, and the visible test, ``gdcourse.check()``, the pre-submission check and the
grade (gdcourse.judge on the recorded answer against the reference) agree, no visible test ending in an
error other than an AssertionError; the pre-submission check names a cell that works only out of order.

The notebook is tests/answer_forms_notebook.py's (one exercise, a letter and a number question, their test
cells with the visible test ``gdcourse.require_answer(name, form)``); the driver is
tests/student_answers_driver.py. Each environment is built once per session (about 20 s).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from gdcourse.answers import answer_problem
from gdcourse.judge import judge_cell
from gdcourse.wording import ANSWER_FORM_WORDS, ANSWERED_TEXT, answer_form_text

from . import answer_forms_notebook as forms
from .grading import ROOT

PYTHONS = ["3.10", "3.13"]
DRIVER = Path(__file__).with_name("student_answers_driver.py")
SESSION_ANSWERS = {"q_slope_sign": '" C "', "q_factor": '"0.25"'}
ORDER = [0, 2, 1, 3, 4, 5, 6, 7, 8]  # the cell that uses `scale` run after the one that defines it


def interpreter(version: str) -> Path | None:
    root = subprocess.run(["pyenv", "root"], capture_output=True, text=True).stdout.strip() if shutil.which("pyenv") \
        else os.path.expanduser("~/.pyenv")
    found = sorted(Path(root, "versions").glob(f"{version}.*/bin/python")) if root else []
    return found[-1] if found else None


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The learner wheel, as `course bundle` ships it (built from a copy of learner/ when the course's own
    builder is not importable here)."""
    try:
        from course.bundle import learner_wheel
    except ImportError:
        learner_wheel = None
    if learner_wheel is not None:
        return learner_wheel(ROOT)
    out = tmp_path_factory.mktemp("wheel")
    with tempfile.TemporaryDirectory() as tmp:
        copy = Path(tmp) / "learner"
        shutil.copytree(ROOT / "learner", copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
        subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(out), str(copy)],
                       check=True)
    return next(out.glob("gdcourse-*.whl"))


@pytest.fixture(scope="session", params=[pytest.param(v, marks=pytest.mark.xdist_group(f"answers-{v}"))
                                         for v in PYTHONS])
def student(request, wheel, tmp_path_factory):
    """The issue's answers pasted into a kernel of a fresh environment on Python ``version``."""
    python = interpreter(request.param)
    if python is None:
        pytest.skip(f"Python {request.param} is not installed under pyenv here")
    home = tmp_path_factory.mktemp(f"answers-{request.param}")
    venv = home / "venv"
    subprocess.run([str(python), "-m", "venv", str(venv)], check=True)
    pip = subprocess.run([str(venv / "bin" / "python"), "-m", "pip", "install", "--quiet", "ipykernel", "nbclient",
                          str(wheel)], capture_output=True, text=True)
    assert pip.returncode == 0, pip.stderr[-3000:]
    notebook = forms.write(home / "forms")
    trials = [{"question": q, "form": forms.FORMS[q], "answer": code,
               "hidden": forms.HIDDEN.format(name=q), "visible": forms.VISIBLE.format(name=q, form=forms.FORMS[q])}
              for q, codes in forms.WRONG.items() for code in codes]
    job = {"notebook": str(notebook), "trials": trials, "order": ORDER, "session_answers": SESSION_ANSWERS}
    (home / "job.json").write_text(json.dumps(job))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("VIRTUAL_ENV", "PYTHON", "JUPYTER", "MPL", "JPY"))}
    env["PATH"] = f"{venv / 'bin'}:/usr/bin:/bin"
    env["MPLBACKEND"] = "Agg"
    env["JUPYTER_RUNTIME_DIR"] = str(home / "runtime")  # no Jupyter server of this machine's answers the kernel
    run = subprocess.run([str(venv / "bin" / "python"), str(DRIVER), str(home / "job.json"), str(home / "result.json")],
                         cwd=home, env=env, capture_output=True, text=True, timeout=900)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads((home / "result.json").read_text())


def grade(trial: dict) -> tuple[bool, str]:
    """The grade of the trial's test cell: its hidden check's record judged against the reference, with the
    visible test's error, as the grader judges a test cell (hidden check first, then the visible test)."""
    error = trial["visible"]["error"]
    verdict = judge_cell([forms.reference_record(trial["question"])], [trial["record"]],
                         {"ename": error[0], "evalue": error[1]} if error else None, {})
    return verdict.passed, verdict.message


def value_of(code: str):
    import math  # noqa: F401 - for the codes

    import numpy as np  # noqa: F401

    return eval(code, {"float": float, "np": np})  # noqa: S307 - the test's own list


def test_every_answer_is_judged_alike_by_the_visible_test_check_and_the_grade(student):
    disagree = []
    for trial in student["trials"]:
        question, form = trial["question"], trial["form"]
        problem = answer_problem(value_of(trial["answer"]), form)
        assert trial["hidden_error"] is None, trial  # the hidden check never stops the cell
        visible, check = trial["visible"], trial["check"]
        passed, message = grade(trial)
        if problem is None:
            ok = (visible["error"] is None and visible["stdout"] == f"{question} {ANSWERED_TEXT}.\n"
                  and re.search(rf"\? {question} +{re.escape(ANSWERED_TEXT)}\n", check)
                  and (passed or "is not the right answer (you answered" in message))
        else:
            example = f"{question} = {value_of(trial['answer']).strip()}" if problem == "quoted_number" else ""
            words = answer_form_text(problem, example)
            ok = (visible["error"] == ["AssertionError", f"{question} {words}"]  # never another error
                  and re.search(rf"✗ {question} +{re.escape(words)}\n", check)
                  and not passed and f"{question}: {words}" in message and "options offered" not in message)
        if not ok:
            disagree.append((question, trial["answer"], problem, visible, check, message))
    assert not disagree, "\n".join(map(str, disagree))


def test_the_listed_answers_get_the_listed_verdicts(student):
    verdicts = {(t["question"], t["answer"]): (grade(t)[0], t["visible"]["error"]) for t in student["trials"]}
    for code in ('"C"', '" c "'):  # valid, and right: "c"
        assert verdicts[("q_slope_sign", code)] == (True, None)
    for code in ('"z"', "3", '"a or b"', "True", 'float("nan")', '"0.25"'):
        passed, error = verdicts[("q_slope_sign", code)]
        assert not passed and error[1].startswith("q_slope_sign " + ANSWER_FORM_WORDS["letter"]), (code, error)
    assert verdicts[("q_factor", '"0.25"')][1][1] == \
        "q_factor is text, not a number: write the number without quotes, q_factor = 0.25"
    for code in ("True", 'float("nan")', '"z"'):
        passed, error = verdicts[("q_factor", code)]
        assert not passed and error[1] == "q_factor " + ANSWER_FORM_WORDS["number"], (code, error)
    assert verdicts[("q_factor", "-0.6")] == (True, None) and verdicts[("q_factor", "np.float64(-0.6)")] == (True, None)


def test_the_pre_submission_check_reports_what_check_says_and_the_cell_that_works_only_out_of_order(student):
    cell = student["presubmit_cell"]
    assert student["presubmit_cell_error"] is None, student["presubmit_cell_error"]
    assert cell.startswith("Pre-submission check of forms.ipynb (found by the notebook this kernel runs, as "
                           "JPY_SESSION_NAME names it), as saved at "), cell
    assert re.search(r"These cells ran without an error in your session but fail when the notebook runs top to "
                     r"bottom: .*\n  code cell 2 of 9 \(In \[3\] in your session\), `scaled = scale \* 2 .*`: "
                     r"NameError: name 'scale' is not defined\n", cell), cell
    exercises = cell.split("Exercises, checked in that fresh kernel as gdcourse.check() checks them:\n")[1]
    session = student["session_check"].splitlines()[1:]  # check() in the session, on the same answers
    assert exercises.splitlines()[:len(session)] == session, (exercises, session)
    assert "✗ q_factor                 is text, not a number: write the number without quotes, q_factor = 0.25" \
        in exercises
    status, out, err = student["presubmit_cli"]  # from a terminal: the same report, exit status 1

    def report(text):  # without the first line (how the notebook was found) and the time the run took
        return [line for line in text.splitlines()[1:] if not line.startswith("It ran in ")]

    assert status == 1 and report(out) == report(cell), (out, err)
    assert student["unchanged"]
