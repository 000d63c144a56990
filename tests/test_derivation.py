"""A derivative measured from the cost is not a derivation (issue 27): read the code, name the shortcut."""

from __future__ import annotations

import pytest

import gdcourse.derivation as derivation
from gdcourse.derivation import numerical_shortcuts, require_derived
from gdcourse.judge import judge_cell
from gdcourse.practice import check_exercises, encode_input

SETUP = "import numpy as np\nimport gdcourse\nfrom gdcourse import plots, data\n%matplotlib inline"
COST = "def double_well(theta):\n    '''The double well (numbers, arrays, complex input).'''\n    return theta**4 - 2*theta**2 + 0.5*theta"

DERIVED = {
    "formula": "def d(theta):\n    return 4 * theta ** 3 - 4 * theta + 0.5",
    "docstring mentioning complex numbers": ("def d(theta):\n    '''A complex-looking formula; no complex step.'''\n"
                                             "    return 4 * theta ** 3 - 4 * theta + 0.5"),
    "numpy and locals named like tools": ("def d(theta):\n    theta = np.asarray(theta, dtype=float)\n"
                                          "    gradient = 4 * np.power(theta, 3) - 4 * theta\n    step = 0.5\n"
                                          "    return gradient + step"),
    "a helper of its own": ("def cubic_part(t):\n    return 4 * t ** 3\n"
                            "def d(theta):\n    return cubic_part(theta) - 4 * theta + 0.5"),
    "loops and methods": ("def d(theta):\n    t = np.array(theta, dtype=float)\n    out = np.zeros_like(t)\n"
                          "    for i in range(t.size):\n        out.flat[i] = 4 * t.flat[i] ** 3 - 4 * t.flat[i] + 0.5\n"
                          "    return out.reshape(np.shape(theta)) if np.ndim(theta) else float(out)"),
    "differences of data, not of a function": ("def d(theta):\n    e = np.clip(theta, -1, 1) - np.clip(theta, -2, 2)\n"
                                               "    return 4 * theta ** 3 - 4 * theta + 0.5 + 0 * e"),
    "np.max minus np.min": "def d(theta):\n    return 4 * theta ** 3 - 4 * theta + 0.5 + 0 * (np.max(theta) - np.min(theta))",
}

MEASURED = {
    "complex step through the cost": ("def d(theta):\n    return np.imag(double_well(theta + 1e-20j)) / 1e-20",
                                      "complex"),
    "complex step written out": ("def d(theta):\n    h = 1e-20\n    z = theta + complex(0, h)\n"
                                 "    return (z**4 - 2*z**2 + 0.5*z).imag / h", "complex"),
    "complex dtype": ("def d(theta):\n    z = np.asarray(theta).astype('complex128') + 1e-20 * 1j\n"
                      "    return (z**4 - 2*z**2 + 0.5*z).imag / 1e-20", "complex"),
    "central difference of an inline lambda": ("def d(theta):\n    f = lambda t: t**4 - 2*t**2 + 0.5*t\n    h = 1e-6\n"
                                               "    return (f(theta + h) - f(theta - h)) / (2 * h)", "finite difference"),
    "difference of names holding values": ("def d(theta):\n    def f(t):\n        return t**4 - 2*t**2 + 0.5*t\n"
                                           "    up = f(theta + 1e-6)\n    down = f(theta - 1e-6)\n"
                                           "    return (up - down) / 2e-6", "finite difference"),
    "forward difference of the cost": ("def d(theta):\n    return (double_well(theta + 1e-7) - double_well(theta)) / 1e-7",
                                       "cost `double_well`"),
    "the cost behind a helper": ("def slope(f, t):\n    return (f(t + 1e-6) - f(t - 1e-6)) / 2e-6\n"
                                 "def d(theta):\n    return slope(double_well, theta)", "cost `double_well`"),
    "the notebook's numerical_gradient": ("def numerical_gradient(f, theta, h=1e-5):\n    return theta\n"
                                          "def d(theta):\n    return numerical_gradient(lambda t: t**4, theta)",
                                          "`numerical_gradient`"),
    "np.gradient": ("def d(theta):\n    return np.gradient(theta ** 4 - 2 * theta ** 2)", "numpy.gradient"),
    "gdcourse.gradcheck": ("from gdcourse import gradcheck\ndef d(theta):\n    return gradcheck.check_gradient(None, None, theta)",
                           "gdcourse.gradcheck"),
    "scipy": ("def d(theta):\n    from scipy.optimize import approx_fprime\n    return approx_fprime(theta, lambda t: t)",
              "scipy"),
    "sympy": ("import sympy\ndef d(theta):\n    t = sympy.Symbol('t')\n"
              "    return float(sympy.diff(t**4, t).subs(t, theta))", "sympy"),
    "eval": ("def d(theta):\n    return eval('4*theta**3 - 4*theta + 0.5')", "`eval`"),
    "getattr on numpy": ("def d(theta):\n    return getattr(np, 'grad' + 'ient')(theta)", "`getattr`"),
    "globals": ("def d(theta):\n    return globals()['double' + '_well'](theta)", "`globals`"),
    "a name put into builtins": ("import builtins\nbuiltins.slope = lambda t: t\ndef d(theta):\n    return slope(theta)",
                                 "`slope`, which no cell"),
    "a dunder attribute": ("def d(theta):\n    return d.__globals__['double_well'](theta)", "__globals__"),
}


@pytest.mark.parametrize("writing", DERIVED)
def test_a_derived_formula_is_not_flagged(writing):
    assert numerical_shortcuts("d", [SETUP, COST, DERIVED[writing]], ["double_well"]) == []


@pytest.mark.parametrize("writing", MEASURED)
def test_a_measured_derivative_is_named(writing):
    code, words = MEASURED[writing]
    reasons = numerical_shortcuts("d", [SETUP, COST, code], ["double_well"])
    assert any(words in reason for reason in reasons), reasons


def test_the_last_definition_counts_and_an_undefined_function_has_nothing_to_read():
    measured, derived = MEASURED["forward difference of the cost"][0], DERIVED["formula"]
    assert numerical_shortcuts("d", [SETUP, COST, measured, derived], ["double_well"]) == []
    assert numerical_shortcuts("d", [SETUP, COST, derived, measured], ["double_well"])
    assert numerical_shortcuts("d", [SETUP, COST, "def e(t):\n    return t"], ["double_well"]) == []
    assert numerical_shortcuts("d", [SETUP, "def d(theta) return", DERIVED["formula"]], []) == []


def test_the_visible_test_says_it_in_the_kernel(monkeypatch):
    cells = [SETUP, COST, MEASURED["complex step through the cost"][0]]
    monkeypatch.setattr(derivation, "kernel_cells", lambda: cells)
    namespace: dict = {"np": __import__("numpy")}
    exec(COST, namespace)  # noqa: S102 - the test's own code
    exec(cells[2], namespace)  # noqa: S102
    with pytest.raises(AssertionError, match=r"^d computes the derivative numerically \(.*\): derive it"):
        require_derived(namespace["d"], costs=["double_well"])
    cells[2] = DERIVED["formula"]
    exec(cells[2], namespace)  # noqa: S102
    require_derived(namespace["d"], costs=["double_well"])


REFERENCE = [{"function": "d", "derived_from": ["double_well"], "mistakes": [],
              "cases": [{"call": "d(1.0)", "args": {}, "result": {"kind": "scalar", "value": 0.5}}]}]
SUBMITTED = [{"function": "d", "cases": [{"call": "d(1.0)", "args": {}, "result": {"kind": "scalar", "value": 0.5}}]}]


def test_the_grade_gives_right_numbers_measured_numerically_no_point():
    cells = [SETUP, COST, MEASURED["forward difference of the cost"][0]]
    verdict = judge_cell(REFERENCE, SUBMITTED, None, {}, cells=cells)
    assert not verdict.passed and verdict.kinds == ["numerical_derivative"]
    assert verdict.message.startswith("d: computes the derivative numerically (") and "derive it" in verdict.message
    assert judge_cell(REFERENCE, SUBMITTED, None, {}, cells=[SETUP, COST, DERIVED["formula"]]).passed


def test_the_practice_check_says_it_before_the_learner_hands_in():
    data = {"kind": "practice", "exercises": [{"grade_id": "test_d", "points": 2.0, "probes": [
        {"function": "d", "derived_from": ["double_well"], "mistakes": [], "messages": {},
         "cases": [{"inputs": encode_input([[1.0], {}]), "result": {"kind": "scalar", "value": 0.5},
                    "mistakes": {}}]}]}]}
    namespace: dict = {"np": __import__("numpy")}
    code = MEASURED["complex step through the cost"][0]
    exec(COST, namespace)  # noqa: S102
    exec(code, namespace)  # noqa: S102
    namespace["In"] = ["", SETUP, COST, code]
    (_, _, passed, message), = check_exercises(data, namespace)
    assert passed is False and "computes the derivative numerically" in message


# --- what reading cannot see is not a way round it (a hostile review of 06 found each of these) -------------

CENTRAL = "def d(theta):\n    return (double_well(theta + 1e-6) - double_well(theta - 1e-6)) / 2e-6"


@pytest.mark.parametrize("cells, words", [
    ([CENTRAL, "d = d"], "not defined by a `def d(...)`"),
    ([CENTRAL, "d = np.vectorize(d)"], "not defined by a `def d(...)`"),
    (["%%capture\n" + CENTRAL], "cost `double_well`"),
    (["%%time\n" + CENTRAL], "cost `double_well`"),
    (["%%writefile slope.py\n" + CENTRAL, "from slope import d"], "not defined by a `def d(...)`"),
    (["exec(" + repr(CENTRAL) + ")"], "not defined by a `def d(...)`"),
    (["d = lambda theta: (double_well(theta + 1e-6) - double_well(theta - 1e-6)) / 2e-6"], "cost `double_well`"),
])
def test_a_function_bound_where_reading_cannot_follow_is_flagged(cells, words):
    reasons = numerical_shortcuts("d", [SETUP, COST, *cells], ["double_well"])
    assert any(words in reason for reason in reasons), reasons


@pytest.mark.parametrize("cell", ["%%time\n" + DERIVED["formula"], "d = lambda theta: 4 * theta ** 3 - 4 * theta + 0.5"])
def test_a_derived_formula_in_a_timed_cell_or_a_lambda_is_read(cell):
    assert numerical_shortcuts("d", [SETUP, COST, cell], ["double_well"]) == []


def test_code_too_deep_or_too_long_to_read_costs_the_grader_nothing():
    deep = "x = " + "+".join(["a"] * 5000)  # too deep for Python's parser: the kernel could not run it either
    assert numerical_shortcuts("d", [SETUP, COST, deep, DERIVED["formula"]], ["double_well"]) == []
    padding = ["_ = [" + "1," * 50_000 + "]"] * 5  # 500,000 characters, parsed: about 100 MB of syntax trees
    reasons = numerical_shortcuts("d", [SETUP, COST, *padding, DERIVED["formula"]], ["double_well"])
    assert reasons and "at most 400,000 characters" in reasons[0], reasons


def test_magics_inside_magics_are_read_three_deep_and_no_deeper():
    assert numerical_shortcuts("d", [SETUP, COST, "%%time\n%%capture\n" + CENTRAL], ["double_well"])
    nested = "%%time\n" * 2000 + DERIVED["formula"]  # no grader stack is deep enough to follow this
    assert numerical_shortcuts("d", [SETUP, COST, nested], ["double_well"]) == [
        "it is not defined by a `def d(...)` the grader can read"]


def test_a_cell_is_parsed_once_per_text_and_a_huge_one_is_not_kept():
    from gdcourse import derivation

    derivation._parse_cell_cached.cache_clear()
    cell = "def dJ(theta):\n    return 2 * theta\n"
    assert derivation.parse_cell(cell) is derivation.parse_cell(cell)
    huge = "x = 1\n" * 1_001  # a submission's own 6,006-character cell: the cache keeps at most 96 × 6,000
    assert derivation.parse_cell(huge) is not None and derivation._parse_cell_cached.cache_info().currsize == 1
