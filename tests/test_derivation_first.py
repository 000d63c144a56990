"""No answer in the handout (issues 12 and 27): a release notebook never states what a learner derives.

For every exercise whose point is a derivative or a gradient, and for the half-worked derivations
a learner is asked to finish, the result must not occur anywhere in the release notebook: not in
the markdown above or below the exercise, not in a fold, a summary or a "what to notice", not in a
visible test, a comment, a printed string or a docstring of a given function, and not in the
titles, labels and annotations of the figures (the string constants of ``gdcourse.plots``). Each
result is matched in the ways it gets written in this course: Unicode (2θ, Xᵀ), LaTeX
(2\\theta, X^\\top), code (2 * theta, X.T) and, for a few, words ("half the gradient").

A notebook is read for its own derivations and for those of every later notebook; it may use the
results of earlier ones (05 is handed 04's gradient, (2/m)·Xᵀ(Xθ − y), and derives the batch's).
Worked solutions live in source/ only, in cells marked ``gd_course.worked_solution`` that
``course release`` drops; the learner reads them after grading. So a release notebook has no fold
but hints and "What to notice".

Predictions (``my_prediction_… = ...``) are checked against the run by ``gdcourse.reveal``; no text a
learner reads between the prediction cell and its reveal (markdown, visible tests, comments and
strings of code) may state what the reveal will show.

Every exercise is announced the same way: a markdown heading
``### Exercise N — `name` (k points)`` with N counting from 1 and k the points of its test cell.
"""

from __future__ import annotations

import ast
import contextlib
import functools
import io
import math
import re
import tokenize
from unittest import mock

import nbformat
import numpy as np
import pytest

from .grading import ASSIGNMENTS, ROOT, solution_namespace

# --- how the results are written --------------------------------------------------------------------

THETA = r"(?:θ|\\theta|theta|\bt\b)"
TIMES = r"\s*(?:[·*×]|\\cdot|\\,)?\s*"
TWO = r"(?<![\d.])2(?:\.0)?"
#  2θ, 2θ₁, 2 * theta[0], lambda t: 2 * t; not θ², 2θ^2, 2 * t ** 2, 20θ, nor the sum 2θ₁ + θ₂ (the coupled bowl's)
TWO_THETA = (r"(?<![\^_])(?<!\^\{)" + TWO + TIMES + THETA + r"(?:_?\{?[12]\}?|[₁₂]|\[[01]\])?"
             r"(?![²³^\d₀-₉_\[{])(?!\s*\*\*)(?!\s*[-+−]\s*(?:θ|\\theta|theta|t\b))")
ALPHA = r"(?:α|\\alpha|alpha)"
TRANSPOSED = r"(?:ᵀ|\^\s*\{?\s*(?:T|\\top)\s*\}?|\.T\b)"
TWO_OVER_M = r"(?<![\d.])\(?2(?:\.0)?\s*/\s*(?:m\b|len\(|X\.shape)"
FRAC_TWO_M = r"\\[dt]?frac\s*\{?\s*2\s*\}?\s*\{?\s*m\s*\}?"

STATED = {  # assignment -> exercise (or half-worked step) -> patterns of its result
    "01_one_variable": {
        "dJ": [TWO_THETA, TWO + TIMES + ALPHA + TIMES + THETA + r"(?![²^\d])"],
        "dJ_double_well": [r"4" + TIMES + THETA + r"\s*(?:³|\^\s*\{?3|\*\*\s*3)",
                           r"[-−]\s*4" + TIMES + THETA + r"\s*\+\s*0\.5"],
    },
    "02_partial_derivatives": {
        "grad_J": [TWO_THETA],
        "grad_rosenbrock": [r"(?<!\d)400(?:\.0)?" + TIMES + r"(?:θ|\\theta|theta|t1?\b)",
                            r"(?<!\d)200(?:\.0)?" + TIMES + r"(?:\(|\\left\(|\\big\(|valley\b)",
                            r"(?<![\d.])2(?:\.0)?\s*(?:[·*]|\\cdot)?\s*\(\s*1(?:\.0)?\s*[-−]\s*(?:θ|\\theta|theta|t1\b)"],
    },
    "03_mse_linear_regression": {
        "dC_dyhat": [r"(?<![\d.])2(?:\.0)?\s*(?:[·*]|\\cdot)?\s*\(\s*(?:ŷ|\\hat\s*\{?\s*y\s*\}?|yhat|y_hat)"],
        "dyhat_dtheta": [r"\(\s*1(?:\.0)?\s*,\s*(?:float\(\s*)?x(?:_i|\^\{?\(i\)\}?|⁽ⁱ⁾|\[i\])?\s*\)?\s*\)",
                         r"∂\s*ŷ\s*/\s*∂\s*θ₁\s*=\s*x"],
        "mse_partials": [TWO_OVER_M, FRAC_TWO_M, r"(?<![\d.])2(?:\.0)?\s*\*\s*np\.mean\(", r"\btwice the \**mean"],
        "half_mse_partials": [r"\bhalf (?:the |of the )?gradient\b", r"gradient[^.\n$]{0,40}\bis half\b",
                              r"\bhalf (?:that|those) of\b",
                              r"(?:½|\\tfrac\s*\{?1\}?\s*\{?2\}?|\\frac\s*\{1\}\s*\{2\})\s*(?:\\,)?\s*(?:∇|\\nabla)",
                              r"\\frac\s*\{\s*\\alpha\s*\}\s*\{\s*2\s*\}\s*\\nabla"],
        "huber_partials": [r"(?:δ|\\delta|delta)\s*(?:[·*]|\\cdot)?\s*(?:\\operatorname\{)?(?:np\.)?sign",
                           r"\bclip\(", r"\bclipped to\b",
                           r"L_\{?(?:\\delta|δ)\}?'\s*\(\s*e\s*\)\s*=\s*e\b"],
    },
    "04_vectorized_gradient": {
        "mse_gradient_loop": [TWO_OVER_M, FRAC_TWO_M,  # Step 4, and Step 3 (the inner derivative)
                              r"(?:\\partial\s*e_\{?i\}?|∂\s*e_?[iᵢ])\s*\}?\s*(?:\{\s*\\partial\s*\\theta_\{?j\}?\s*\}|/\s*∂\s*θ_?[jⱼ])"
                              r"\s*=\s*x"],
        "mse_gradient": [TWO_OVER_M, FRAC_TWO_M,
                         r"X\s*" + TRANSPOSED + r"\s*(?:@\s*)?(?:\(\s*(?:X|\\hat)|e\b|errors\b|residuals?\b)"],
        "ridge_gradient": [r"(?<![\d.])2(?:\.0)?\s*(?:[·*]|\\cdot|\\,)?\s*(?:λ|\\lambda|lam\b)",
                           r"proportional to the weight itself"],
    },
    "05_stochastic_gradient": {
        "minibatch_gradient": [r"(?<![\d.])\(?2(?:\.0)?\s*/\s*(?:b\b|len\(\s*(?:idx|rows|batch)\b)",
                               r"\\[dt]?frac\s*\{?\s*2\s*\}?\s*\{?\s*b\s*\}?",
                               r"X_\{?[bB]\}?\s*" + TRANSPOSED, r"X\[\s*(?:idx|rows)\s*\]\s*\.T\b"],
    },
    "06_momentum_adam": {  # the step momentum settles on where the gradient stays g: α·g/(1 − β)
        "effective_step": [r"/\s*\(\s*1(?:\.0)?\s*[-−]\s*(?:β|\\beta|beta)\s*\)",
                           r"\\[dt]?frac\s*\{[^{}]*\}\s*\{\s*1\s*-\s*\\beta\s*\}",
                           r"1\s*\+\s*(?:β|\\beta|beta)\s*\+\s*(?:β|\\beta|beta)\s*(?:²|\^\s*\{?\s*2|\*\*\s*2)",
                           r"/\s*\(\s*1(?:\.0)?\s*[-−]\s*0?\.9\s*\)",
                           r"\b(?:ten|10)\s*(?:times|×)\s+(?:as long|as far|the (?:plain |ordinary )?step)"],
    },
}

# Every pattern has to find the result in each notation it stands for, and nothing in these.
SAMPLES = {
    ("01_one_variable", "dJ"): ["J'(θ) = 2θ", "2 * theta", "2\\theta", "2·θ", "lambda t: 2 * t", "return 2.0 * theta",
                                "α·J'(θ) = 2αθ", "2\\alpha\\,\\theta", "2 * alpha * theta"],
    ("01_one_variable", "dJ_double_well"): ["4θ³", "4 * theta**3", "4\\theta^3", "4θ³ − 4θ + 0.5", "- 4 * theta + 0.5",
                                            "4\\theta^3 - 4\\theta + 0.5"],
    ("02_partial_derivatives", "grad_J"): ["[2θ₁, 2θ₂]", "2 * theta", "2\\theta_1", "lambda t: 2 * t",
                                           "np.array([2.0 * theta[0], 2.0 * theta[1]])", "∂J/∂θ₂ = 2θ₂ does not",
                                           "-\\nabla J = -2\\theta", "\\begin{bmatrix} 2\\theta_1 \\\\ 2\\theta_2"],
    ("02_partial_derivatives", "grad_rosenbrock"): ["−400θ₁(θ₂ − θ₁²)", "200(θ₂ − θ₁²)", "400\\,\\theta_1",
                                                    "200\\,(\\theta_2 - \\theta_1^2)", "-2(1 - \\theta_1)",
                                                    "400.0 * theta1 * valley", "200.0 * valley", "2(1 − θ₁)",
                                                    "-2 * (1 - t1)"],
    ("03_mse_linear_regression", "dC_dyhat"): ["2·(ŷ − y)", "2 * (yhat - y)", "2(\\hat{y} - y)", "2.0 * (y_hat - y)",
                                               "2(\\hat y - y)"],
    ("03_mse_linear_regression", "dyhat_dtheta"): ["(1, x)", "(1.0, float(x))", "(1, x^{(i)})", "rows (1, x⁽ⁱ⁾)",
                                                   "∂ŷ/∂θ₁ = x"],
    ("03_mse_linear_regression", "mse_partials"): ["(2/m)·Σ", "\\frac{2}{m}\\sum", "2.0 * np.mean(errors)",
                                                   "twice the **mean error**", "\\dfrac{2}{m}"],
    ("03_mse_linear_regression", "half_mse_partials"): ["same minimiser, half the gradient",
                                                        "the gradient of J½ is half that of J",
                                                        "\\nabla J_{1/2} = \\tfrac12\\nabla J", "½∇J",
                                                        "a step \\frac{\\alpha}{2}\\nabla J"],
    ("03_mse_linear_regression", "huber_partials"): ["δ·sign(e)", "\\delta\\cdot\\operatorname{sign}(e)",
                                                     "np.clip(e, -delta, delta)", "delta * np.sign(e)",
                                                     "L_\\delta'(e) = e", "L_δ'(e) = e for |e| ≤ δ",
                                                     "the error itself, clipped to [-δ, δ]"],
    ("04_vectorized_gradient", "mse_gradient_loop"): ["\\frac{2}{m}\\sum_{i=1}^{m}", "2.0 / m * total", "(2/m)·Σ",
                                                      "\\dfrac{\\partial e_i}{\\partial\\theta_j} = x^{(i)}_j",
                                                      "∂eᵢ/∂θⱼ = xⱼ⁽ⁱ⁾"],
    ("04_vectorized_gradient", "mse_gradient"): ["Xᵀ(Xθ − y)", "X.T @ (X @ theta - y)", "X^\\top (X\\theta", "X^\\top e",
                                                 "X.T @ errors", "Xᵀe", "(2.0 / X.shape[0])",
                                                 "\\frac{2}{m} X^\\top e", "(2.0 / len(X)) * (X.T @ X)"],
    ("04_vectorized_gradient", "ridge_gradient"): ["+ 2λθ", "2 * lam * theta", "2\\lambda\\,\\tilde\\theta",
                                                   "2.0 * lam * weights", "by an amount proportional to the weight itself"],
    ("05_stochastic_gradient", "minibatch_gradient"): ["(2/b)·X_bᵀ(X_bθ − y_b)", "\\frac{2}{b} X_B^\\top (X_B\\theta - y_B)",
                                                       "2.0 / len(rows)", "X_b.T @ errors",
                                                       "X[idx].T @ (X[idx] @ theta - y[idx])"],
    ("06_momentum_adam", "effective_step"): ["α/(1 − β)·g", "g / (1 - beta)", "alpha * g / (1.0 - beta)",
                                             "\\frac{\\alpha}{1 - \\beta}", "\\dfrac{g}{1-\\beta}",
                                             "v_k = (1 + β + β² + …)·g", "1 + \\beta + \\beta^2 + \\dots",
                                             "1 + beta + beta**2", "0.1/(1 − 0.9) = 1", "ten times as long",
                                             "10 times the plain step"],
}
HARMLESS = {  # text of the notebooks that states no result
    "01_one_variable": ["θ²", "(1 − 2α)", "(1 - 2\\alpha)\\,\\theta_k", "J(θ) = θ⁴ − 2θ² + 0.5θ", "12θ", "0.2θ",
                        "2 * t ** 2", "θ_k = 3·0.8^k", "2 * theta0", "\\theta^4 - 2\\theta^2 + 0.5\\,\\theta",
                        "the slope of 0.5θ", "1 − 2α = 0.8"],
    "02_partial_derivatives": ["2θ₁ + θ₂", "2\\theta_1 + \\theta_2", "θ₁ + 4θ₂", "(2·3 + 2, 3 + 4·2)",
                               "\\theta(\\theta\\cos\\theta + 2\\sin\\theta)", "3\\theta_1^2 + 5\\theta_2",
                               "20\\,\\theta_1", "(1 − θ₁)² + 100·(θ₂ − θ₁²)²", "100\\,(\\theta_2 - \\theta_1^2)^2",
                               "for 2000 steps", "roughly $2/1000 = 0.002$", "2 * t ** 2",
                               "g = \\theta_1^2\\,\\theta_2 + 3\\,\\theta_2", "e^{2}\\theta"],
    "03_mse_linear_regression": ["(ŷ − y)²", "C(\\hat y, y) = (\\hat y - y)^2", "2u", "6(3θ − 5)", "\\frac{1}{m}\\sum",
                                 "(1/2m)", "\\frac{1}{2m}", "2/3", "θ = (1, 2)", "(x, y)", "half the MSE",
                                 "J_{1/2} = \\tfrac12\\,J", "half as long as before", "δ·(|e| − δ/2)",
                                 "\\delta\\,\\big(|e| - \\tfrac12\\delta\\big)", "np.abs(errors)",
                                 "at half the θ where J is lowest"],
    "04_vectorized_gradient": ["\\frac{1}{m}\\sum", "e_i = \\theta^\\top x^{(i)} - y^{(i)}",
                               "2\\,e_i\\,\\dfrac{\\partial e_i}{\\partial\\theta_j}$.", "XᵀXθ = Xᵀy",
                               "X^\\top X\\,\\theta = X^\\top y", "X.T @ X", "np.linalg.solve(X.T @ X, X.T @ y)",
                               "X.T @ v", "2/\\lambda_{\\max}", "λ·Σⱼ₌₁ⁿ θⱼ²", "\\lambda \\sum_{j=1}^{n} \\theta_j^2",
                               "1 - \\alpha\\lambda", "(n+1)^2", "2m(n+1)"],
    "05_stochastic_gradient": ["\\frac{1}{b}\\sum_{i \\in B}", "\\frac{1}{b}\\,\\lVert X_B\\theta - y_B\\rVert^2",
                               "X_b = X[idx]", "len(idx)", "2/\\lambda_{\\max} = 1"],
    "06_momentum_adam": ["\\hat m_t = \\frac{m_t}{1 - \\beta_1^{\\,t}}", "m / (1 - beta1 ** t)", "(1 - 0.9 ** t)",
                         "(1 − β₁)·g", "1 - \\beta_2^{\\,t}", "v_{k+1} = \\beta\\, v_k + \\nabla J(\\theta_k)",
                         "v ← β·v + ∇J(θ)", "1/\\lambda_{\\max}", "10 or 100 times", "times as far as plain descent",
                         "(1 - 0.999 ** t)", "ten times larger"],
}

HEADING = re.compile(r"^###\s+Exercise\s+(\d+)\s+—\s+`([A-Za-z_]\w*)`\s+\((\d+(?:\.\d+)?) points?\)\s*$", re.M)
FOLD = re.compile(r"<summary>(.*?)</summary>", re.S)
FOLDS_ALLOWED = re.compile(r"Hint \d+|What to notice")
OPEN_LATER = re.compile(r"(?i)\bopen (?:it|this|me)\b[^.\n]{0,20}\b(?:once|after|when)\b[^.\n]{0,30}\bpass")
PLOTS = {"01_one_variable": "one_variable", "02_partial_derivatives": "partial", "03_mse_linear_regression": "regression",
         "04_vectorized_gradient": "vectorized", "05_stochastic_gradient": "stochastic", "06_momentum_adam": "momentum"}


def release_notebook(assignment: str):
    return nbformat.read(ROOT / "release" / assignment / f"{assignment}.ipynb", as_version=4)


def source_notebook(assignment: str):
    return nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def _grade_id(cell) -> str | None:
    return cell.metadata.get("nbgrader", {}).get("grade_id")


def _is_test_cell(cell) -> bool:
    return bool(cell.metadata.get("nbgrader", {}).get("grade")) and cell.cell_type == "code"


def derivations_read_in(assignment: str):
    """(owner, exercise) of every derivation a notebook must not state: its own and every later notebook's."""
    later = [a for a in STATED if a >= assignment]
    return [(owner, exercise) for owner in later for exercise in STATED[owner]]


def first_match(patterns, text: str):
    for pattern in patterns:
        found = re.search(pattern, text)
        if found:
            return found
    return None


def excerpt(text: str, found) -> str:
    return text[max(0, found.start() - 80):found.end() + 40]


# --- the release notebooks ---------------------------------------------------------------------------

CASES = [pytest.param(a, owner, e, id=f"{a}:{owner}:{e}") for a in ASSIGNMENTS for owner, e in derivations_read_in(a)]


@pytest.mark.parametrize("assignment, owner, exercise", CASES)
def test_no_release_notebook_states_a_derived_result(assignment, owner, exercise):
    owner_ids = [_grade_id(c) for c in release_notebook(owner).cells]
    assert exercise in owner_ids, f"`{exercise}` should be an exercise of {owner} (../shared/curriculum.md)"
    stated = statements(release_notebook(assignment).cells, owner, exercise)
    assert not stated, (f"{assignment}: the handout states the result of `{exercise}` ({owner}), which the learner "
                        f"derives, in cell(s) {stated}. Move it into a worked-solution cell of source/ (metadata "
                        "gd_course.worked_solution) or refer to the learner's own function.")


def statements(cells, owner: str, exercise: str) -> list[tuple[str, str]]:
    """(cell id, excerpt) of every cell, markdown or code, that states the result of ``exercise``."""
    found = [(cell.get("id"), first_match(STATED[owner][exercise], cell.source)) for cell in cells]
    return [(cell_id, excerpt(cell.source, match)) for cell, (cell_id, match) in zip(cells, found) if match]


def plot_strings(module: str) -> list[tuple[int, str]]:
    """Every string constant of gdcourse.plots.<module>: titles, labels, annotations, docstrings, messages."""
    path = ROOT / "learner" / "gdcourse" / "plots" / f"{module}.py"
    return [(node.lineno, node.value) for node in ast.walk(ast.parse(path.read_text()))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_figures_state_no_derived_result(assignment):
    strings = plot_strings(PLOTS[assignment])
    assert strings
    for owner, exercise in derivations_read_in(assignment):
        for line, text in strings:
            found = first_match(STATED[owner][exercise], text)
            assert not found, (f"gdcourse/plots/{PLOTS[assignment]}.py:{line} (a figure of {assignment}) states the result "
                               f"of `{exercise}` ({owner}): {excerpt(text, found)!r}")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_fold_holds_a_solution(assignment):
    for cell in release_notebook(assignment).cells:
        for summary in FOLD.findall(cell.source):
            assert FOLDS_ALLOWED.fullmatch(summary.strip()), (
                f"{assignment}, cell {cell.id!r}: a fold {summary.strip()!r} in the handout. A release notebook folds "
                "hints and 'What to notice' only; a solution or a derivation written out belongs in a worked-solution "
                "cell of source/, which the learner reads after grading")
        later = OPEN_LATER.search(cell.source)
        assert not later, (f"{assignment}, cell {cell.id!r} asks to be read after the tests pass ({later.group()!r}): "
                           "what is read after grading belongs in a worked-solution cell of source/")


def test_the_fold_check_knows_the_folds_of_the_first_release():
    """The folds that held answers before issue 27, as they were worded, are refused; hints and notices are not."""
    for summary in ["Solution: the gradient of the ridge cost", "The result, written out (open it once your test passes)",
                    "The bowl's derivation, finished (open it after the tests pass)", "Answer", "Show solution"]:
        assert not FOLDS_ALLOWED.fullmatch(summary)
    assert OPEN_LATER.search("### The derivation in full (open it once your tests pass)")
    assert all(FOLDS_ALLOWED.fullmatch(s) for s in ["Hint 1", "Hint 2", "What to notice"])
    assert not OPEN_LATER.search("Hints are folded under each exercise: open one only when you are stuck.")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_worked_solution_names_an_exercise_of_its_notebook(assignment):
    source = source_notebook(assignment)
    tests = {_grade_id(c) for c in source.cells if _is_test_cell(c)}
    worked = [c for c in source.cells if "gd_course" in c.metadata]
    for cell in worked:
        assert cell.metadata["gd_course"].get("worked_solution") in tests, (cell.id, cell.metadata["gd_course"])
        assert "nbgrader" not in cell.metadata, f"{cell.id}: a worked solution is no nbgrader cell"
    release_ids = {c.id for c in release_notebook(assignment).cells}
    assert not release_ids & {c.id for c in worked}


def test_the_patterns_find_the_formulas_they_stand_for():
    assert set(SAMPLES) == {(a, e) for a, exercises in STATED.items() for e in exercises}, \
        "every derivation needs samples of the notations its patterns stand for"
    for (assignment, exercise), texts in SAMPLES.items():
        patterns = STATED[assignment][exercise]
        for text in texts:
            assert first_match(patterns, text), (exercise, text)
        for pattern in patterns:
            assert any(re.search(pattern, text) for text in texts), f"{exercise}: no sample for {pattern!r}"
    for assignment, texts in HARMLESS.items():
        for owner, exercise in derivations_read_in(assignment):
            for text in texts:
                assert not first_match(STATED[owner][exercise], text), (owner, exercise, text)


def test_the_give_away_test_reads_every_cell():
    """A result planted anywhere in a notebook (after the exercise, in a fold, in a comment of code) is found."""
    nb = release_notebook("04_vectorized_gradient")
    planted = [nbformat.v4.new_markdown_cell("A note at the very end: $\\nabla J = \\frac{2}{m}X^\\top(X\\theta - y)$."),
               nbformat.v4.new_markdown_cell("<details><summary>What to notice</summary>\n\nIt is Xᵀ(Xθ − y).\n</details>"),
               nbformat.v4.new_code_cell("print(1)  # the gradient is X.T @ (X @ theta - y)")]
    for cell in planted:
        assert statements(nb.cells + [cell], "04_vectorized_gradient", "mse_gradient")


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


# --- predictions: nothing between the prediction and its reveal says what the run will show ---------

PREDICTION = re.compile(r"^\s*(my_prediction_\w+)\s*=", re.M)


def _reveal_calls(source: str) -> list[str]:
    """The prediction names of the gdcourse.reveal(...) calls of a cell, in the order they are written."""
    calls = []
    for node in ast.walk(ast.parse(source)):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "reveal"
                and node.args and isinstance(node.args[0], ast.Name)):
            calls.append((node.lineno, node.col_offset, node.args[0].id))
    return [name for *_, name in sorted(calls)]


@functools.lru_cache(maxsize=None)
def revealed(assignment: str) -> dict[str, tuple[object, float]]:
    """Run the instructor's notebook (its solutions, not its test cells) and record, for every prediction,
    what its reveal compares it with: {name: (actual, tolerance)}."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import gdcourse

    calls: list[tuple[object, float]] = []

    def record(prediction, actual, tolerance=0.0):
        calls.append((actual, tolerance))

    shown: dict[str, tuple[object, float]] = {}
    namespace: dict = {"__name__": "__main__"}
    folder = ROOT / "source" / assignment
    with mock.patch.object(gdcourse, "reveal", record), contextlib.redirect_stdout(io.StringIO()), \
            contextlib.chdir(folder), np.errstate(all="ignore"):
        for cell in source_notebook(assignment).cells:
            if cell.cell_type != "code" or _is_test_cell(cell) or "gd_course" in cell.metadata:
                continue
            names, before = _reveal_calls(cell.source), len(calls)
            exec(compile(cell.source, f"{assignment}:{cell.id}", "exec"), namespace)  # noqa: S102 - the course's own source
            plt.close("all")
            assert len(calls) - before == len(names), f"{assignment}:{cell.id}: reveal calls {names}"
            shown.update(zip(names, calls[before:]))
    return shown


def _prose_of_code(source: str) -> str:
    """The comments and string literals of a code cell: what a reader reads there as text."""
    parts = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type in (tokenize.COMMENT, tokenize.STRING) or token.type == getattr(tokenize, "FSTRING_MIDDLE", -1):
                parts.append(token.string)
    except (tokenize.TokenError, IndentationError):
        return source
    return "\n".join(parts)


def read_before_the_reveal(cell) -> str:
    """What a learner reads in a cell: all of markdown and of a visible test, the prose of other code."""
    if cell.cell_type == "markdown" or _is_test_cell(cell):
        return cell.source
    return _prose_of_code(cell.source)


NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?(?![\w.])")
SEQUENCE = re.compile(r"[\[(]([^\[\]()]*)[\])]")


def _numbers(text: str) -> list[float]:
    return [float(n.replace("−", "-")) for n in NUMBER.findall(text)]


def _same_number(a: float, b: float, tolerance: float) -> bool:
    return math.isclose(a, b, rel_tol=max(tolerance, 1e-9), abs_tol=1e-12)


def states(text: str, actual, tolerance: float) -> str | None:
    """Where ``text`` states ``actual``: the number itself, the sequence of numbers, or the word in quotes."""
    if isinstance(actual, (bool, np.bool_)):
        return None
    if isinstance(actual, (int, float, np.integer, np.floating)):
        for found in NUMBER.finditer(text):
            if _same_number(float(found.group().replace("−", "-")), float(actual), tolerance):
                return excerpt(text, found)
        return None
    if isinstance(actual, (list, tuple, np.ndarray)) and len(actual) and all(
            isinstance(v, (int, float, np.integer, np.floating)) for v in actual):
        for found in SEQUENCE.finditer(text):
            numbers = _numbers(found.group(1))
            if len(numbers) == len(actual) and all(_same_number(a, float(b), tolerance) for a, b in zip(numbers, actual)):
                return excerpt(text, found)
        return None
    if isinstance(actual, str):
        found = re.search(r"[\"'`*]" + re.escape(actual) + r"[\"'`*]", text, re.I)
        return excerpt(text, found) if found else None
    return None


def predictions(nb) -> list[tuple[str, int, int]]:
    """(name, index of its prediction cell, index of its reveal cell) for every prediction of a notebook."""
    found = []
    for at, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        for name in PREDICTION.findall(cell.source):
            reveal = next((k for k in range(at + 1, len(nb.cells)) if nb.cells[k].cell_type == "code"
                           and name in _reveal_calls(nb.cells[k].source)), None)
            assert reveal is not None, f"{name} is never revealed"
            found.append((name, at, reveal))
    return found


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_nothing_between_a_prediction_and_its_reveal_states_what_it_shows(assignment):
    nb = release_notebook(assignment)
    made = predictions(nb)
    shown = revealed(assignment)
    assert made and {name for name, *_ in made} == set(shown), (made, sorted(shown))
    for name, at, reveal in made:
        actual, tolerance = shown[name]
        an_option = states(nb.cells[at].source, actual, tolerance)  # the prediction cell lists it among the answers
        for cell in nb.cells[at + 1:reveal]:
            if an_option and cell.cell_type == "code" and not _is_test_cell(cell):
                continue  # a run's labels may name the options it compares ("α = 0.001 after 10 steps")
            said = states(read_before_the_reveal(cell), actual, tolerance)
            assert not said, (f"{assignment}: cell {cell.id!r}, between the prediction {name} and its reveal, states "
                              f"what the reveal will show ({actual!r}): {said!r}")


def test_the_prediction_check_finds_an_answer_stated_early():
    """Today's wording of 01's visible test (before issue 27) stated both counts of the stopping prediction."""
    test_cell = nbformat.v4.new_code_cell('assert n == 70, "θ₀ = 3, α = 0.1 should take 70 updates"\n'
                                          'assert n == 13, "with α = 2 it is caught after k = 13 updates"',
                                          metadata={"nbgrader": {"grade": True, "grade_id": "test_x", "points": 1}})
    assert states(read_before_the_reveal(test_cell), 70, 0.0) and states(read_before_the_reveal(test_cell), 13, 0.0)
    assert states('my_prediction = ...   # "shrinking"', "shrinking", 0.0)
    assert states("the two lists are [0.05, 0.4, 0.5, 0.75]", [0.05, 0.4, 0.5, 0.75], 0.0)
    assert not states("print(f'{value:.3f}')  # after 1000 updates", 70, 0.0)
    plain = nbformat.v4.new_code_cell("runs = {alpha: fit(x, y, alpha, 200) for alpha in (0.1, 0.5, 0.85, 0.9)}")
    assert not states(read_before_the_reveal(plain), 0.9, 0.0)  # the run's own inputs are not a statement
    labelled = nbformat.v4.new_code_cell('print(f"after 2000 steps θ = {theta}")  # 2000 steps are 70 too many')
    assert states(read_before_the_reveal(labelled), 70, 0.0) and not states(read_before_the_reveal(labelled), 1.5, 0.0)


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
