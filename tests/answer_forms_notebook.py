"""A small notebook of the course's shape, with its practice file, for the tests of issue 30.

``forms.ipynb`` holds one exercise (``dJ``), a multiple-choice question (``q_slope_sign``, a letter)
and a number question (``q_factor``), each with its test cell as a release notebook has it (the
visible test only; :data:`HIDDEN` is the hidden check the grade adds), and a cell that works only
when a cell below it ran first. ``forms.practice.json`` is written as ``course bundle`` writes one,
from gdcourse's own probe: nothing here needs the grader or the course package.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat

ASSIGNMENT = "forms"
#: The right answers (the reference), and each question's form.
RIGHT = {"q_slope_sign": "c", "q_factor": -0.6}
FORMS = {"q_slope_sign": "letter", "q_factor": "number"}
#: Answers pasted by the tests (as code), per question: the issue's list.
WRONG = {
    "q_slope_sign": ['"z"', "3", '"a or b"', '"C"', '" c "', "True", 'float("nan")', '"0.25"'],
    "q_factor": ['"0.25"', "True", 'float("nan")', '"z"', '" -0.6 "', "-0.6", "np.float64(-0.6)"],
}
HIDDEN = ('from gdcourse.probe import probe, case\nfrom gdcourse.answers import answer\n'
          'probe(answer("{name}"), [case()])')
VISIBLE = 'gdcourse.require_answer("{name}", "{form}")'
MISSING_TWO = "is missing the factor 2 that the power rule brings down (off by a constant factor of 1/2)"


def _cell(source: str, grade_id: str | None = None, grade: bool = False, solution: bool = False, points: float = 0):
    cell = nbformat.v4.new_code_cell(source)
    if grade_id:
        cell.metadata["nbgrader"] = {"grade": grade, "grade_id": grade_id, "locked": grade, "solution": solution,
                                     "schema_version": 3, "task": False, **({"points": points} if grade else {})}
    return cell


def notebook(answers: dict | None = None, dj: str = "2 * theta") -> nbformat.NotebookNode:
    """The notebook, with ``answers`` (code, by question) in its answer cells and ``dj`` as dJ's formula."""
    answers = {name: repr(value) for name, value in RIGHT.items()} | (answers or {})
    cells = [
        _cell("import numpy as np\nimport gdcourse"),
        _cell("scaled = scale * 2   # works only after the cell below has run", "uses-scale"),
        _cell("scale = 3", "defines-scale"),
        _cell(f"def dJ(theta):\n    return {dj}", "dJ", solution=True),
        _cell('assert np.isclose(dJ(3.0), 6.0), "dJ(3) should be 6"', "test_dJ", grade=True, points=1),
    ]
    for name, form in FORMS.items():
        comment = '"a", "b", "c" or "d"' if form == "letter" else "a number"
        cells.append(_cell(f"# {name} = {comment}\n{name} = {answers[name]}", name, solution=True))
        cells.append(_cell(VISIBLE.format(name=name, form=form), f"test_{name}", grade=True, points=1))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.metadata["kernelspec"] = {"display_name": "Python 3", "language": "python", "name": "python3"}
    return nb


def practice_data() -> dict:
    """The practice file of :func:`notebook`, as ``course.bundle.practice_data`` writes one."""
    import numpy as np

    from gdcourse.inputs import encode_input
    from gdcourse.probe import argument_names, case, encode, run_case

    def dJ(theta):
        return 2 * theta

    def records(cases):
        out = []
        for c in cases:
            record = run_case(dJ, c)
            record["arg_names"] = argument_names(dJ, c)
            record["mistakes"] = {"missing_two": encode(c.args[0])}
            record["inputs"] = encode_input([list(c.args), c.kwargs])
            out.append(record)
        return out

    exercise = {"grade_id": "test_dJ", "points": 1.0, "probes": [
        {"function": "dJ", "mistakes": ["missing_two"], "messages": {"missing_two": MISSING_TWO},
         "cases": records([case(3.5), case(-0.8)]), "visible": records([case(3.0), case(-1.0)])},
        {"function": "dJ", "mistakes": ["missing_two"], "messages": {"missing_two": MISSING_TWO},
         "cases": records([case(np.array([1.2, -2.5, 0.2]))]), "visible": records([case(np.array([1.0, -0.5]))])},
    ]}
    questions = [{"grade_id": f"test_{name}", "points": 1.0, "probes": [
        {"function": name, "kind": "answer", "mistakes": [], "messages": {}, "cases": []}]} for name in FORMS]
    return {"format": 1, "assignment": ASSIGNMENT, "kind": "practice", "exercises": [exercise, *questions]}


def write(folder: Path, answers: dict | None = None, dj: str = "2 * theta") -> Path:
    """``forms.ipynb`` and ``forms.practice.json`` in ``folder``; the notebook's path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{ASSIGNMENT}.ipynb"
    nbformat.write(notebook(answers, dj), path)
    (folder / f"{ASSIGNMENT}.practice.json").write_text(json.dumps(practice_data()), encoding="utf-8")
    return path


def reference_record(name: str) -> dict:
    """The grader's reference record of question ``name`` (the right answer, probed as the hidden check does)."""
    from gdcourse.answers import answer
    from gdcourse.probe import case, run_case

    read = answer(name, {name: RIGHT[name]})
    return {"version": 1, "function": name, "kind": "answer", "mistakes": [], "cases": [run_case(read, case())]}
