"""gdcourse.check(): practice checks in the learner's own kernel (here: a namespace), and the files they read."""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import sys

import nbformat
import numpy as np
import pytest

import gdcourse
from gdcourse import costs, practice
from gdcourse.practice import PracticeError, decode_input, encode_input

from .grading import ROOT, Course, solution_namespace, venv_env

pytestmark = pytest.mark.xdist_group("practice")
A = "01_one_variable"


@pytest.fixture(scope="module")
def practice_file(tmp_path_factory):
    from course.bundle import practice_data

    path = tmp_path_factory.mktemp("practice") / f"{A}.practice.json"
    path.write_text(json.dumps(practice_data(ROOT, A)))
    return path


def graded_cells() -> list:
    nb = nbformat.read(ROOT / "source" / A / f"{A}.ipynb", 4)
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


@pytest.mark.parametrize("value", [
    3, -2.5, math.inf, np.float64(0.25), np.int32(7), np.array([1.5, -2.0]), np.array([[1, 2], [3, 4]]),
    np.zeros((0, 3)), (1.0, [2, np.array([3.0])]), {"alpha": 0.1}, None, True, "text", costs.quartic_grad,
])
def test_inputs_round_trip_exactly(value):
    back = decode_input(json.loads(json.dumps(encode_input(value))))
    assert type(back) is type(value)
    if isinstance(value, np.ndarray):
        assert back.dtype == value.dtype and back.shape == value.shape and np.array_equal(back, value)
    elif isinstance(value, tuple):
        assert back[0] == value[0] and back[1][0] == 2 and np.array_equal(back[1][1], value[1][1])
    else:
        assert back == value or back is value


def test_only_functions_of_gdcourse_go_into_a_practice_file_and_others_by_source_in_a_hidden_one():
    def local_grad(t):
        return 3.0 * t

    with pytest.raises(PracticeError, match="functions of gdcourse only"):
        encode_input(local_grad)
    back = decode_input(json.loads(json.dumps(encode_input(local_grad, allow_source=True))))
    assert back(2.0) == 6.0


def test_a_correct_notebook_passes_every_practice_check_quietly_and_quickly(practice_file, capsys):
    assert gdcourse.check(practice_file, namespace=solution_namespace(A)) is None
    out = capsys.readouterr().out
    practised = [c for c in graded_cells() if "answer(" not in c.source]  # concept questions are graded only
    points = sum(c.metadata["nbgrader"]["points"] for c in practised)
    assert out.count("✓") == len(practised) and "✗" not in out and f"{points:g} of {points:g} points" in out
    assert sum(line.startswith("  ? ") for line in out.splitlines()) == len(graded_cells()) - len(practised)
    assert "other, hidden inputs" in out


def test_a_mistake_is_named_without_the_expected_values(practice_file, capsys):
    ns = solution_namespace(A)
    exec("def dJ(theta):\n    return theta", ns)  # noqa: S102 - the missing factor 2
    gdcourse.check(practice_file, namespace=ns)
    out = capsys.readouterr().out
    line = next(l for l in out.splitlines() if " dJ " in l)
    assert line.strip().startswith("✗") and "factor 2" in line
    data = json.loads(practice_file.read_text())
    expected = [c["result"] for e in data["exercises"] if e["grade_id"] == "test_dJ" for p in e["probes"]
                for c in p["cases"]]
    for value in expected:
        shown = value.get("value") if value["kind"] == "scalar" else None
        assert shown is None or f"{shown:g}" not in line


def test_an_undefined_exercise_and_an_endless_loop_are_reported(practice_file, capsys, monkeypatch):
    monkeypatch.setattr(practice, "SECONDS_PER_CALL", 0.2)
    ns = solution_namespace(A)
    del ns["gd_step"]
    exec("def J(theta):\n    while True:\n        pass", ns)  # noqa: S102
    gdcourse.check(practice_file, namespace=ns)
    out = capsys.readouterr().out
    assert re.search(r"· gd_step +is not defined yet", out)
    assert re.search(r"✗ J +timed out: it did not return within 0.2 s \(an endless loop\?\), was stopped there and "
                     r"not called again \[3 of 3 practice checks failed\]", out), out


def test_check_finds_the_practice_file_that_fits_and_does_nothing_while_graded(practice_file, tmp_path, capsys,
                                                                              monkeypatch):
    shutil.copy(practice_file, tmp_path / practice_file.name)
    (tmp_path / "other.practice.json").write_text(json.dumps({"format": 1, "exercises": [
        {"grade_id": "test_x", "probes": [{"function": "something_else", "cases": []}]}]}))
    assert practice.find_practice_file(solution_namespace(A), tmp_path) == tmp_path / practice_file.name
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    gdcourse.check(practice_file, namespace=solution_namespace(A))
    assert "does nothing while the notebook is graded" in capsys.readouterr().out


def test_a_damaged_practice_file_is_explained(tmp_path, capsys):
    bad = tmp_path / "x.practice.json"
    bad.write_text("{")
    gdcourse.check(bad, namespace={})
    assert "cannot be read as a practice file" in capsys.readouterr().out


def test_a_workbook_is_checked_on_the_hidden_inputs_and_never_replaced(tmp_path):
    course = Course(tmp_path / "course")
    course.generate(A)
    run = lambda: subprocess.run([sys.executable, "-m", "course.cli", "workbook", A], cwd=course.root,  # noqa: E731
                                 capture_output=True, text=True, env=venv_env(), timeout=300)
    first = run()
    assert first.returncode == 0 and "wrote work/" in first.stdout, first.stderr
    book = course.root / "work" / f"{A}.ipynb"
    hidden = json.loads((course.root / "work" / f"{A}.hidden.json").read_text())
    assert hidden["kind"] == "hidden" and len(hidden["exercises"]) == len(graded_cells())
    book.write_text(book.read_text().replace("raise NotImplementedError()", "return 0.0", 1))
    mine = book.read_bytes()
    second = run()
    assert second.returncode == 0 and "kept your work/" in second.stdout and book.read_bytes() == mine
    ns = solution_namespace(A)
    data = practice.load_practice_file(course.root / "work" / f"{A}.hidden.json")
    results = practice.check_exercises(data, ns)
    assert all(passed for _, _, passed, _ in results), results
    assert "hidden inputs of the grader" in practice.render(data, results)
