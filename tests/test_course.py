"""The course as instructors and students meet it, through real nbgrader commands."""

from __future__ import annotations

import csv
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat

from course.worked import worked_solution_of
import pytest

from .conftest import by_assignment
from .grading import ASSIGNMENTS, ROOT, grade_test_cells, venv_env

EXPECTED_ASSIGNMENTS = ["01_one_variable", "02_partial_derivatives", "03_mse_linear_regression",
                        "04_vectorized_gradient", "05_stochastic_gradient", "06_momentum_adam"]


def test_all_six_assignments_exist():
    assert ASSIGNMENTS == EXPECTED_ASSIGNMENTS


@pytest.mark.parametrize("assignment", by_assignment())
def test_solution_scores_full_marks_and_runs_cleanly(graded_class, assignment):
    graded = graded_class(assignment)
    results = graded.results["solution"]
    assert len(results) >= 5
    for cell, result in results.items():
        assert result.score == result.max_score and result.passed, f"{cell}: {result.message}"
    autograded = nbformat.read(graded.course.root / "autograded" / "solution" / assignment / f"{assignment}.ipynb", 4)
    errors = [(c.get("id"), o.get("ename"), o.get("evalue")) for c in autograded.cells if c.cell_type == "code"
              for o in c.outputs if o.output_type == "error"]
    assert not errors, errors


@pytest.mark.parametrize("assignment", by_assignment())
def test_untouched_release_scores_zero(graded_class, assignment):
    graded = graded_class(assignment)
    assert graded.total("untouched") == 0
    for cell, result in graded.results["untouched"].items():
        unanswered = "no answer yet" in result.message  # a concept question left blank
        assert "not implemented" in result.message.lower() or unanswered, f"{cell}: {result.message}"


@pytest.mark.parametrize("assignment", by_assignment())
def test_committed_release_is_what_generate_assignment_produces(graded_class, assignment):
    generated = nbformat.read(graded_class(assignment).course.release_path(assignment), 4)
    committed = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", 4)
    assert committed == generated, (
        f"release/{assignment} has drifted from source/: run `make release` and commit the result")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_holds_no_solution_and_no_hidden_test(assignment):
    source = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", 4)
    text = (ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS", "probe("):
        assert marker not in text
    hidden = [m.group(1) for c in source.cells
              for m in re.finditer(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", c.source, re.S)]
    solutions = [m.group(1) for c in source.cells
                 for m in re.finditer(r"### BEGIN SOLUTION\n(.*?)### END SOLUTION", c.source, re.S)]
    assert hidden and solutions
    release = json.loads(text)
    release_source = "\n".join("".join(c["source"]) for c in release["cells"])
    for block in hidden + solutions:
        for line in block.splitlines():
            line = line.strip()
            if len(line) > 25 and not line.startswith("#"):
                assert line not in release_source, f"leaked into the release: {line!r}"


@pytest.mark.parametrize("folder", ["source", "release"])
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebooks_are_committed_clean_with_stable_ids(folder, assignment):
    nb = nbformat.read(ROOT / folder / assignment / f"{assignment}.ipynb", 4)
    nbformat.validate(nb)
    ids = [c.get("id") for c in nb.cells]
    assert all(ids) and len(set(ids)) == len(ids)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{cell.id} has outputs"
    # ids are chosen names, kept from source to release, not random per save; worked solutions stay in source/
    source_ids = [c.id for c in nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", 4).cells
                  if folder == "source" or worked_solution_of(c) is None]
    assert ids == source_ids
    assert not all(re.fullmatch(r"[0-9a-f]{8}", i) for i in ids)


def test_first_cell_explains_how_to_install_the_course_package():
    for assignment in ASSIGNMENTS:
        nb = nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", 4)
        first_code = next(c for c in nb.cells if c.cell_type == "code")
        assert "except ModuleNotFoundError" in first_code.source
        assert 'glob.glob("gdcourse-*.whl")' in first_code.source  # the wheel that came with the notebook
        assert "pip install -e ." not in first_code.source  # students have no course folder


@pytest.mark.parametrize("assignment", by_assignment())
def test_feedback_shows_verdicts_but_no_hidden_code_or_expected_values(graded_class, assignment):
    graded = graded_class(assignment)
    course = graded.course
    proc = subprocess.run([sys.executable, "-m", "course.cli", "feedback", assignment], cwd=course.root,
                          capture_output=True, text=True, env=venv_env())
    assert proc.returncode == 0, proc.stderr[-3000:]
    counted = re.search(r"wrote (\d+) feedback pages? for (\d+) of (\d+) students", proc.stdout)
    assert counted, proc.stdout
    pages, got, handed_in = map(int, counted.groups())
    without = re.findall(r"no feedback  (\S+): (.+)", proc.stdout)
    assert pages == got == len(list((course.root / "feedback").glob(f"*/{assignment}/*.html")))
    assert handed_in == len(graded.results) and got + len(without) == handed_in
    assert all(why for _, why in without)  # each says why (its status: failed, not graded yet)
    public = (ROOT / "release" / assignment / f"{assignment}.ipynb").read_text()
    expected = _distinctive_expected_numbers(course.root, assignment)
    assert expected, "the reference records should hold some non-trivial numbers"
    mutant = next((s for s in graded.results if s.startswith("mutants-")), "untouched")
    for student in ("solution", mutant):
        html = (course.root / "feedback" / student / assignment / f"{assignment}.html").read_text()
        assert "HIDDEN TESTS" not in html and "probe(" not in html and "case(" not in html
        leaked = [n for n in expected if n in html and n not in public]
        assert not leaked, f"{student}'s feedback shows expected values: {leaked[:5]}"
    wrong = graded.results[mutant]
    failed = [r for r in wrong.values() if not r.passed]
    html = (course.root / "feedback" / mutant / assignment / f"{assignment}.html").read_text()
    assert failed and "WrongAnswer" in html


def _distinctive_expected_numbers(course_root: Path, assignment: str) -> set[str]:
    numbers: set[str] = set()

    def walk(enc):
        if not isinstance(enc, dict):
            return
        values = [enc["value"]] if enc.get("kind") == "scalar" else (enc.get("data") or [])
        for v in values:
            if isinstance(v, float) and abs(v - round(v)) > 1e-3 and len(f"{abs(v):.6g}".strip("0.")) >= 4:
                numbers.add(f"{v:.6g}")
                numbers.add(repr(v))
        for item in enc.get("items", []) if isinstance(enc.get("items"), list) else []:
            walk(item)

    for path in (course_root / ".grading-cache" / "reference" / assignment).glob("*.json"):
        for cell in json.loads(path.read_text()).values():
            for record in cell["probes"]:
                for case in record["cases"]:
                    walk(case.get("result"))
    return numbers


@pytest.mark.parametrize("assignment", by_assignment(ASSIGNMENTS[:1]))
def test_export_and_validate_work_with_plain_commands(graded_class, assignment):
    course = graded_class(assignment).course
    course.nbgrader("export")
    rows = list(csv.DictReader(open(course.root / "grades.csv")))
    by_student = {r["student_id"]: r for r in rows if r["assignment"] == assignment}
    assert float(by_student["solution"]["score"]) == float(by_student["solution"]["max_score"]) > 0
    assert float(by_student["untouched"]["score"]) == 0
    proc = course.nbgrader("validate", str(course.source_path(assignment)))
    assert "Success" in proc.stdout + proc.stderr or "passed" in (proc.stdout + proc.stderr).lower()


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_test_cell_probes_hidden_inputs(assignment):
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", 4)
    cells = {c.metadata["nbgrader"]["grade_id"]: c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id")}
    for grade_id in grade_test_cells(nb):
        source = cells[grade_id].source
        hidden = source.split("### BEGIN HIDDEN TESTS", 1)[-1].split("### END HIDDEN TESTS", 1)[0]
        assert "probe(" in hidden, f"{grade_id} has no probe in its hidden tests"
        visible = source.split("### END HIDDEN TESTS", 1)[-1]
        # a question's visible test is the shared validator (tests/test_hidden_cells.py checks its form)
        assert "assert " in visible or "gdcourse.require_answer(" in visible, f"{grade_id} has no visible test"
