"""The release notebooks make learners derive: no derivative exercise is handed its answer.

For every exercise whose point is a derivative or a gradient, the text a learner reads before
writing it (every markdown cell above the exercise, its docstring) and the visible test cell
under it must not state the formula. Each formula is matched in the ways it gets written in
this course: Unicode (2θ, Xᵀ), LaTeX (2\\theta, X^\\top) and code (2 * theta, X.T).
After the exercise, later sections may use the result.

Every exercise is announced the same way: a markdown heading
``### Exercise N — `name` (k points)`` with N counting from 1 and k the points of its test cell.
"""

from __future__ import annotations

import re

import nbformat
import numpy as np
import pytest

from .grading import ASSIGNMENTS, ROOT, solution_namespace

THETA = r"(?:θ|\\theta|theta)"
TIMES = r"\s*(?:[·*×]|\\cdot|\\,)?\s*"

STATED = {  # assignment -> exercise -> patterns of its answer
    "01_one_variable": {
        "dJ": [rf"(?<![\d.])2{TIMES}{THETA}(?![²^\d])"],
        "dJ_double_well": [rf"4{TIMES}{THETA}\s*(?:³|\^\s*\{{?3|\*\*\s*3)"],
    },
    "02_partial_derivatives": {
        "grad_J": [rf"(?<![\d.])2{TIMES}{THETA}(?![²^\d])"],
        "grad_rosenbrock": [rf"400{TIMES}{THETA}", rf"200{TIMES}\(", r"2\s*[·*]?\s*\(\s*1\s*[-−]\s*(?:θ|\\theta|theta)"],
    },
    "03_mse_linear_regression": {
        "dC_dyhat": [r"(?<![\d.])2\s*(?:[·*]|\\cdot)?\s*\(\s*(?:ŷ|\\hat\s*\{?\s*y\s*\}?|yhat|y_hat)"],
        "dyhat_dtheta": [r"\(\s*1\s*,\s*x(?:_i|\^\{?\(i\)\}?|⁽ⁱ⁾)?\s*\)"],
        "mse_partials": [r"\(?2\s*/\s*m\)?", r"\\frac\s*\{?\s*2\s*\}?\s*\{?\s*m\s*\}?"],
        "huber_partials": [r"(?:δ|\\delta|delta)\s*(?:[·*]|\\cdot)?\s*(?:\\operatorname\{)?(?:np\.)?sign", r"\bclip"],
    },
    "04_vectorized_gradient": {
        "mse_gradient_loop": [r"\(?2\s*/\s*m\)?", r"\\frac\s*\{?\s*2\s*\}?\s*\{?\s*m\s*\}?"],
        "mse_gradient": [r"\(?2\s*/\s*m\)?", r"\\frac\s*\{?\s*2\s*\}?\s*\{?\s*m\s*\}?",
                         r"X\s*(?:ᵀ|\^\s*\{?\s*(?:T|\\top)\s*\}?|\.T)\s*(?:@\s*)?\(\s*X"],
        "ridge_gradient": [r"(?<![\d.])2\s*(?:[·*]|\\cdot)?\s*(?:λ|\\lambda|lam)"],
    },
}

HEADING = re.compile(r"^###\s+Exercise\s+(\d+)\s+—\s+`([A-Za-z_]\w*)`\s+\((\d+(?:\.\d+)?) points?\)\s*$", re.M)


def release_notebook(assignment: str):
    return nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def text_before_answering(nb, exercise: str) -> str:
    """Markdown above the exercise, its stub (the docstring) and its visible test cell."""
    ids = [_grade_id(c) for c in nb.cells]
    if exercise not in ids:
        return ""
    at = ids.index(exercise)
    parts = [c.source for c in nb.cells[:at] if c.cell_type == "markdown"]
    parts.append(nb.cells[at].source)
    parts += [c.source for c in nb.cells[at + 1:] if _grade_id(c) == f"test_{exercise}"]
    return "\n".join(parts)


CASES = [pytest.param(a, e, id=f"{a}:{e}") for a, exercises in STATED.items() for e in exercises]


@pytest.mark.parametrize("assignment, exercise", CASES)
def test_no_derivative_exercise_states_its_answer(assignment, exercise):
    nb = release_notebook(assignment)
    text = text_before_answering(nb, exercise)
    assert text, f"`{exercise}` should be an exercise of {assignment} (../shared/curriculum.md)"
    for pattern in STATED[assignment][exercise]:
        found = re.search(pattern, text)
        assert not found, (f"{assignment}: the learner reads the answer of `{exercise}` before writing it: "
                           f"{text[max(0, found.start() - 80):found.end() + 40]!r}")


def test_the_patterns_find_the_formulas_they_stand_for():
    samples = {("01_one_variable", "dJ"): ["J'(θ) = 2θ", "2 * theta", "2\\theta", "2·θ"],
               ("01_one_variable", "dJ_double_well"): ["4θ³", "4 * theta**3", "4\\theta^3"],
               ("02_partial_derivatives", "grad_J"): ["[2θ₁, 2θ₂]", "2 * theta"],
               ("03_mse_linear_regression", "dC_dyhat"): ["2·(ŷ − y)", "2 * (yhat - y)", "2(\\hat{y} - y)"],
               ("03_mse_linear_regression", "mse_partials"): ["(2/m)·Σ", "\\frac{2}{m}\\sum"],
               ("04_vectorized_gradient", "mse_gradient"): ["Xᵀ(Xθ − y)", "X.T @ (X @ theta - y)", "X^\\top (X\\theta"],
               ("04_vectorized_gradient", "ridge_gradient"): ["+ 2λθ", "2 * lam * theta"]}
    for (assignment, exercise), texts in samples.items():
        for text in texts:
            assert any(re.search(p, text) for p in STATED[assignment][exercise]), (exercise, text)
    for harmless in ["θ²", "(1 − 2α)", "J(θ) = θ⁴ − 2θ² + 0.5θ", "12θ", "0.2θ"]:
        assert not re.search(STATED["01_one_variable"]["dJ"][0], harmless), harmless


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_exercise_is_labelled_the_same_way(assignment):
    nb = release_notebook(assignment)
    points = {_grade_id(c)[len("test_"):]: float(c.metadata["nbgrader"]["points"])
              for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade") and _grade_id(c).startswith("test_")}
    headings = [m for c in nb.cells if c.cell_type == "markdown" for m in HEADING.finditer(c.source)]
    assert [int(m.group(1)) for m in headings] == list(range(1, len(headings) + 1)), \
        f"exercises should be numbered 1, 2, …: {[m.group(0) for m in headings]}"
    labelled = {m.group(2): float(m.group(3)) for m in headings}
    assert labelled == points, (f"every exercise needs a heading `### Exercise N — `name` (k points)` "
                                f"with the points of its test cell: headings {labelled}, test cells {points}")


# --- the instructor's solutions of the derivation exercises, against independent formulas --------

def _double_well_slope(theta):
    return 4 * theta ** 3 - 4 * theta + 0.5


def _rosenbrock_gradient(theta):
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 400 * t1 * (t2 - t1 ** 2), 200 * (t2 - t1 ** 2)])


def _huber_partials(theta0, theta1, x, y, delta=1.0):
    psi = np.clip(theta0 + theta1 * x - y, -delta, delta)  # L_δ'(e)
    return float(np.mean(psi)), float(np.mean(psi * x))


def _ridge_gradient(theta, X, y, lam):
    theta = np.asarray(theta, dtype=float)
    penalised = theta.copy()
    penalised[0] = 0.0
    return 2 / len(X) * X.T @ (X @ theta - np.ravel(y)) + 2 * lam * penalised


def test_the_solutions_of_the_derivation_exercises_agree_with_independent_formulas():
    rng = np.random.default_rng(20261202)
    one = solution_namespace("01_one_variable")["dJ_double_well"]
    thetas = rng.uniform(-3, 3, size=20)
    assert np.allclose(one(thetas), _double_well_slope(thetas), rtol=1e-12, atol=1e-12)
    assert all(np.isclose(one(float(t)), _double_well_slope(t)) for t in thetas[:5])

    two = solution_namespace("02_partial_derivatives")["grad_rosenbrock"]
    for theta in rng.uniform(-2, 2, size=(20, 2)):
        assert np.allclose(two(theta.copy()), _rosenbrock_gradient(theta), rtol=1e-12, atol=1e-9)

    three = solution_namespace("03_mse_linear_regression")["huber_partials"]
    for _ in range(20):
        x, y = rng.normal(size=12), rng.normal(scale=3, size=12)
        theta0, theta1, delta = rng.normal(), rng.normal(), rng.uniform(0.2, 3)
        assert np.allclose(three(theta0, theta1, x, y, delta), _huber_partials(theta0, theta1, x, y, delta))

    four = solution_namespace("04_vectorized_gradient")["ridge_gradient"]
    for _ in range(20):
        X = np.column_stack([np.ones(15), rng.normal(size=(15, 3))])
        y, theta, lam = rng.normal(size=15), rng.normal(size=4), rng.uniform(0, 2)
        assert np.allclose(four(theta, X, y, lam), _ridge_gradient(theta, X, y, lam))
        assert np.allclose(four(theta, X, y.reshape(-1, 1), lam), _ridge_gradient(theta, X, y, lam))
