"""Wrong submissions for 01_one_variable: each must lose exactly its own exercise.

The first fourteen are the curriculum's misconceptions for this notebook (derivative,
update rule, history, table); then other answers students really write, the
misconceptions of the derivation exercise dJ_double_well, every wrong option of every
concept question, derivatives measured instead of derived, and last the wrong answers
collected for issue 30 (written and graded before their messages were).
"""

from content.mutants import Mutant

ASSIGNMENT = "01_one_variable"

MUTANTS = [
    # --- derivative: missing factor 2; wrong sign; returns the cost; hard-coded ---------------
    Mutant("dJ-missing-two", cell="dJ", fails="test_dJ", says="factor 2", source='''
def dJ(theta):
    """Derivative of θ²."""
    return theta
'''),
    Mutant("dJ-wrong-sign", cell="dJ", fails="test_dJ", says="wrong sign", source='''
def dJ(theta):
    """Derivative of θ²: the direction to move in."""
    return -2 * theta
'''),
    Mutant("dJ-returns-cost", cell="dJ", fails="test_dJ", says="returns the cost", source='''
def dJ(theta):
    """Derivative of the cost."""
    return theta ** 2
'''),
    Mutant("dJ-hard-coded", cell="dJ", fails="test_dJ", says="hard-coded", source='''
def dJ(theta):
    # the slope at θ = 3 is 6
    return 6.0
'''),
    Mutant("dJ-hard-coded-lookup", cell="dJ", fails="test_dJ", says="hard-coded", source='''
def dJ(theta):
    """The slopes the tests ask for; anything else falls back to θ."""
    slopes = {3.0: 6.0, -1.0: -2.0, 0.7: 1.4, 0.0: 0.0, 1.0: 2.0, -0.5: -1.0, 2.0: 4.0}
    return np.vectorize(lambda t: slopes.get(float(t), t))(theta)
'''),
    Mutant("dJ-hard-coded-interpolated", cell="dJ", fails="test_dJ", says="hard-coded", source='''
def dJ(theta):
    # join the slopes of the visible checks with straight lines
    return np.interp(theta, [-1.0, 0.0, 0.7, 3.0], [-2.0, 0.0, 1.4, 6.0])
'''),
    # --- update rule: ascent; α ignored; grad ignored; returns the step -----------------------
    Mutant("gd_step-ascent", cell="gd_step", fails="test_gd_step", says="uphill", source='''
def gd_step(theta, alpha, grad=dJ):
    """Move θ along the slope."""
    return theta + alpha * grad(theta)
'''),
    Mutant("gd_step-alpha-ignored", cell="gd_step", fails="test_gd_step", says="learning rate", source='''
def gd_step(theta, alpha, grad=dJ):
    return theta - grad(theta)
'''),
    Mutant("gd_step-grad-ignored", cell="gd_step", fails="test_gd_step", says="`grad` argument", source='''
def gd_step(theta, alpha, grad=dJ):
    return theta - alpha * dJ(theta)
'''),
    Mutant("gd_step-returns-step", cell="gd_step", fails="test_gd_step", says="returns the step", source='''
def gd_step(theta, alpha, grad=dJ):
    step = alpha * grad(theta)
    return step
'''),
    # --- history: final θ only; θ₀ missing; one update too few; one too many ------------------
    Mutant("gradient_descent-final-only", cell="gradient_descent", fails="test_gradient_descent",
           says="only the final", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    theta = theta0
    for _ in range(n_iters):
        theta = theta - alpha * grad(theta)
    return theta
'''),
    Mutant("gradient_descent-missing-start", cell="gradient_descent", fails="test_gradient_descent",
           says="missing θ₀", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = []
    theta = theta0
    for _ in range(n_iters):
        theta = theta - alpha * grad(theta)
        history.append(theta)
    return np.array(history, dtype=float)
'''),
    Mutant("gradient_descent-one-too-few", cell="gradient_descent", fails="test_gradient_descent",
           says="one update too few", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = [float(theta0)]
    for _ in range(n_iters - 1):
        history.append(history[-1] - alpha * grad(history[-1]))
    return np.array(history)
'''),
    Mutant("gradient_descent-one-too-many", cell="gradient_descent", fails="test_gradient_descent",
           says="one update too many", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = [float(theta0)]
    for _ in range(n_iters + 1):
        history.append(history[-1] - alpha * grad(history[-1]))
    return np.array(history)
'''),
    # --- table: θ after the update; iterations from 0 -----------------------------------------
    Mutant("update_table-theta-after", cell="update_table", fails="test_update_table",
           says="after the update", source='''
def update_table(theta0=3.0, alpha=0.1, n_iters=10):
    rows = []
    theta = theta0
    for k in range(1, n_iters + 1):
        update = alpha * 2 * theta
        theta = theta - update
        rows.append((k, theta, update))
    return rows
'''),
    Mutant("update_table-from-zero", cell="update_table", fails="test_update_table",
           says="counts iterations from 0", source='''
def update_table(theta0=3.0, alpha=0.1, n_iters=10):
    rows = []
    theta = theta0
    for k in range(n_iters):
        update = alpha * 2 * theta
        rows.append((k, theta, update))
        theta = theta - update
    return rows
'''),
    # --- further wrong answers students write ------------------------------------------------
    Mutant("J-caret-power", cell="J", fails="test_J", says="TypeError", source='''
def J(theta):
    return theta ^ 2
'''),
    Mutant("J-scalar-only", cell="J", fails="test_J", says="TypeError", source='''
import math

def J(theta):
    return math.pow(theta, 2)
'''),
    Mutant("dJ-scalar-only", cell="dJ", fails="test_dJ", says="TypeError", source='''
import math

def dJ(theta):
    # power rule: bring the exponent down, lower it by one
    return 2 * math.pow(theta, 2 - 1)
'''),
    Mutant("dJ-positive-only", cell="dJ", fails="test_dJ", says="wrong sign", source='''
def dJ(theta):
    # the slope of the parabola gets steeper the further we are from 0
    return 2 * abs(theta)
'''),
    Mutant("gd_step-in-place", cell="gd_step", fails="test_gd_step", says="in place", source='''
def gd_step(theta, alpha, grad=dJ):
    theta -= alpha * grad(theta)
    return theta
'''),
    Mutant("gradient_descent-list", cell="gradient_descent", fails="test_gradient_descent",
           says="NumPy array", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = [theta0]
    for _ in range(n_iters):
        history.append(history[-1] - alpha * grad(history[-1]))
    return history
'''),
    Mutant("gradient_descent-integer-history", cell="gradient_descent", fails="test_gradient_descent",
           says="integer array", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = np.array([theta0] * (n_iters + 1))
    for k in range(n_iters):
        history[k + 1] = history[k] - alpha * grad(history[k])
    return history
'''),
    Mutant("update_table-rounded", cell="update_table", fails="test_update_table",
           says="round only when printing", source='''
def update_table(theta0=3.0, alpha=0.1, n_iters=10):
    rows = []
    theta = theta0
    for k in range(1, n_iters + 1):
        update = alpha * 2 * theta
        rows.append((k, round(theta, 3), round(update, 3)))
        theta = theta - update
    return rows
'''),
    Mutant("learning_rate_regime-alpha-one", cell="learning_rate_regime", fails="test_learning_rate_regime",
           says="α = 1", source='''
def learning_rate_regime(alpha):
    if alpha == 0:
        return "stuck"
    if alpha < 0 or alpha >= 1:
        return "diverging"
    if alpha < 0.5:
        return "monotone"
    if alpha == 0.5:
        return "one step"
    return "oscillating"
'''),
    Mutant("learning_rate_regime-negative-alpha", cell="learning_rate_regime",
           fails="test_learning_rate_regime", says="negative α", source='''
def learning_rate_regime(alpha):
    if alpha == 0:
        return "stuck"
    elif alpha < 0.5:
        return "monotone"
    elif alpha == 0.5:
        return "one step"
    elif alpha < 1:
        return "oscillating"
    elif alpha == 1:
        return "bouncing"
    else:
        return "diverging"
'''),
    Mutant("run_until_converged-no-divergence", cell="run_until_converged", fails="test_run_until_converged",
           says="never reports divergence", source='''
def run_until_converged(theta0, alpha, tol=1e-6, max_iters=1000, grad=dJ):
    theta = theta0
    for k in range(max_iters):
        g = grad(theta)
        if abs(g) < tol:
            return theta, k, "converged"
        theta = theta - alpha * g
    return theta, max_iters, "max_iters"
'''),
    Mutant("run_until_converged-update-first", cell="run_until_converged", fails="test_run_until_converged",
           says="updates before it checks", source='''
def run_until_converged(theta0, alpha, tol=1e-6, max_iters=1000, grad=dJ):
    theta = theta0
    limit = 1e6 * max(1.0, abs(grad(theta0)))
    for k in range(1, max_iters + 1):
        theta = theta - alpha * grad(theta)
        g = grad(theta)
        if not np.isfinite(g) or abs(g) > limit:
            return theta, k, "diverged"
        if abs(g) < tol:
            return theta, k, "converged"
    return theta, max_iters, "max_iters"
'''),
    # --- derivation exercise: dJ_double_well, the slope of θ⁴ − 2θ² + 0.5θ ----------------------
    Mutant("dJ_double_well-exponent-kept", cell="dJ_double_well", fails="test_dJ_double_well",
           says="does not lower the power", source='''
def dJ_double_well(theta):
    # power rule: bring the exponent down in front
    return 4 * theta ** 4 - 4 * theta ** 2 + 0.5
'''),
    Mutant("dJ_double_well-linear-dropped", cell="dJ_double_well", fails="test_dJ_double_well",
           says="linear term", source='''
def dJ_double_well(theta):
    return 4 * theta ** 3 - 4 * theta
'''),
    Mutant("dJ_double_well-middle-factor", cell="dJ_double_well", fails="test_dJ_double_well",
           says="coefficient −2", source='''
def dJ_double_well(theta):
    return 4 * theta ** 3 - 2 * theta + 0.5
'''),
    Mutant("dJ_double_well-returns-cost", cell="dJ_double_well", fails="test_dJ_double_well",
           says="returns the cost", source='''
def dJ_double_well(theta):
    return theta ** 4 - 2 * theta ** 2 + 0.5 * theta
'''),
    Mutant("dJ_double_well-wrong-sign", cell="dJ_double_well", fails="test_dJ_double_well",
           says="wrong sign", source='''
def dJ_double_well(theta):
    # the direction to move in: downhill
    return -(4 * theta ** 3 - 4 * theta + 0.5)
'''),
    # --- concept questions: every wrong option, each a misconception at work on a new cost or situation ---
    Mutant("q_slope_sign-ascent", cell="q_slope_sign", fails="test_q_slope_sign", says="uphill",
           source='q_slope_sign = "a"'),
    Mutant("q_slope_sign-factor-lost", cell="q_slope_sign", fails="test_q_slope_sign", says="power rule brings down",
           source='q_slope_sign = "C"'),
    Mutant("q_slope_sign-steps-by-cost", cell="q_slope_sign", fails="test_q_slope_sign", says="not by α times its slope",
           source='q_slope_sign = " d "'),
    Mutant("q_slope_size-fixed-step", cell="q_slope_size", fails="test_q_slope_size", says="fixed α for a fixed step",
           source='q_slope_size = "a"'),
    Mutant("q_slope_size-distance", cell="q_slope_size", fails="test_q_slope_size", says="distance to the minimum",
           source='q_slope_size = "B "'),
    Mutant("q_slope_size-cost", cell="q_slope_size", fails="test_q_slope_size", says="with the cost",
           source='q_slope_size = "c"'),
    Mutant("q_factor-slope-without-two", cell="q_factor", fails="test_q_factor", says="not 3θ",
           source="q_factor = 1 - 3 * 0.3"),
    Mutant("q_factor-theta-squared", cell="q_factor", fails="test_q_factor", says="constant factor",
           source="q_factor = 1 - 2 * 0.3"),
    Mutant("q_factor-sign-dropped", cell="q_factor", fails="test_q_factor", says="not its sign",
           source="q_factor = abs(1 - 6 * 0.3)"),
    Mutant("q_factor-fraction-removed", cell="q_factor", fails="test_q_factor", says="takes away",
           source="q_factor = 6 * 0.3"),
    Mutant("q_factor-ascent", cell="q_factor", fails="test_q_factor", says="gradient ascent",
           source="q_factor = 1 + 6 * 0.3"),
    Mutant("q_converging-bounce", cell="q_converging", fails="test_q_converging", says="bounce back",
           source='q_converging = "a"'),
    Mutant("q_converging-one-flip", cell="q_converging", fails="test_q_converging", says="sign included",
           source='q_converging = "b"'),
    Mutant("q_converging-same-step", cell="q_converging", fails="test_q_converging", says="step's length",
           source='q_converging = "d"'),
    Mutant("q_stopping-distance", cell="q_stopping", fails="test_q_stopping", says="bound on the distance",
           source='q_stopping = "b"'),
    Mutant("q_stopping-cost", cell="q_stopping", fails="test_q_stopping", says="stops on the cost",
           source='q_stopping = "c"'),
    Mutant("q_stopping-minimum-reached", cell="q_stopping", fails="test_q_stopping", says="reach the minimum",
           source='q_stopping = "d"'),
    Mutant("q_well_start-picture", cell="q_well_start", fails="test_q_well_start", says="from the picture",
           source='q_well_start = "b"'),
    Mutant("q_well_start-flat", cell="q_well_start", fails="test_q_well_start", says="flat point",
           source='q_well_start = "c"'),
    Mutant("q_well_start-hilltop", cell="q_well_start", fails="test_q_well_start", says="stop on a hilltop",
           source='q_well_start = "d"'),
]

# --- a derivative measured instead of derived (issue 27): right numbers, no point -------------
MUTANTS += [
    Mutant("dJ-central-difference-of-J", cell="dJ", fails="test_dJ", says="numerically", source='''
def dJ(theta):
    h = 1e-6
    return (J(theta + h) - J(theta - h)) / (2 * h)
'''),
    # the same, with the kernel's own derivation check forged: its parse of every cell that defines dJ now
    # shows a derived one. The grade reads the notebook's cells in the grader's process, so it still sees this.
    Mutant("dJ-central-difference-behind-a-forged-parse", cell="dJ", fails="test_dJ", says="numerically",
           source='''
import ast
import gdcourse.derivation as _derivation
_looks_derived = ast.parse("def dJ(theta):\\n    return 2 * theta\\n")
_parse = _derivation._parse_cell
_derivation._parse_cell_cached = lambda source: _looks_derived if "def dJ(" in source else _parse(source)
_derivation.numerical_shortcuts = lambda *args, **kwargs: []

def dJ(theta):
    h = 1e-6
    return (J(theta + h) - J(theta - h)) / (2 * h)
'''),
    Mutant("dJ_double_well-complex-step", cell="dJ_double_well", fails="test_dJ_double_well", says="numerically",
           source='''
def dJ_double_well(theta):
    return np.imag(double_well(theta + 1e-20j)) / 1e-20
'''),
    Mutant("dJ_double_well-inline-difference", cell="dJ_double_well", fails="test_dJ_double_well",
           says="numerically", source='''
def dJ_double_well(theta):
    def f(t):
        return t ** 4 - 2 * t ** 2 + 0.5 * t
    step = 1e-5
    return (f(theta + step) - f(theta - step)) / (2 * step)
'''),
]

# --- wrong answers a teacher sees, collected for issue 30 (item 5): one to three per exercise -----------
MUTANTS += [
    Mutant("J-times-two", cell="J", fails="test_J", says="doubles θ instead of squaring it", source='''
def J(theta):
    # the cost: θ squared
    return 2 * theta
'''),
    Mutant("J-sum-over-array", cell="J", fails="test_J", says="returns a single number where an array",
           source='''
def J(theta):
    """The cost, one number however many θ."""
    return np.sum(theta ** 2)
'''),
    Mutant("dJ-power-not-lowered", cell="dJ", fails="test_dJ", says="keeps the power", source='''
def dJ(theta):
    # power rule: the 2 comes down in front
    return 2 * theta ** 2
'''),
    Mutant("gd_step-steps-by-cost", cell="gd_step", fails="test_gd_step", says="not by α times the slope",
           source='''
def gd_step(theta, alpha, grad=dJ):
    """Step downhill, by α times how bad θ is."""
    return theta - alpha * J(theta)
'''),
    Mutant("gd_step-grad-not-called", cell="gd_step", fails="test_gd_step", says="raises TypeError", source='''
def gd_step(theta, alpha, grad=dJ):
    new_theta = theta - alpha * grad
    return new_theta
'''),
    Mutant("gradient_descent-start-not-stored", cell="gradient_descent", fails="test_gradient_descent",
           says="never stores θ₀", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = np.zeros(n_iters + 1)
    for k in range(n_iters):
        history[k + 1] = history[k] - alpha * grad(history[k])
    return history
'''),
    Mutant("gradient_descent-slope-at-start", cell="gradient_descent", fails="test_gradient_descent",
           says="slope at θ₀ for every update", source='''
def gradient_descent(theta0, alpha, n_iters, grad=dJ):
    history = [float(theta0)]
    slope = grad(theta0)
    for _ in range(n_iters):
        history.append(history[-1] - alpha * slope)
    return np.array(history)
'''),
    Mutant("update_table-slope-column", cell="update_table", fails="test_update_table",
           says="puts the slope", source='''
def update_table(theta0=3.0, alpha=0.1, n_iters=10):
    rows = []
    theta = theta0
    for k in range(1, n_iters + 1):
        slope = 2 * theta
        rows.append((k, theta, slope))
        theta = theta - alpha * slope
    return rows
'''),
    Mutant("update_table-seed-alpha", cell="update_table", fails="test_update_table",
           says="whatever `alpha` is", source='''
def update_table(theta0=3.0, alpha=0.1, n_iters=10):
    rows = []
    theta = theta0
    for k in range(1, n_iters + 1):
        update = 0.1 * 2 * theta   # α·J'(θ), as in the table
        rows.append((k, theta, update))
        theta = theta - update
    return rows
'''),
    Mutant("learning_rate_regime-factor-without-two", cell="learning_rate_regime",
           fails="test_learning_rate_regime", says="factor 1 − α", source='''
def learning_rate_regime(alpha):
    r = 1 - alpha   # the factor of the update
    if r == 1:
        return "stuck"
    if r == 0:
        return "one step"
    if r == -1:
        return "bouncing"
    if abs(r) > 1:
        return "diverging"
    return "monotone" if r > 0 else "oscillating"
'''),
    Mutant("learning_rate_regime-labels-swapped", cell="learning_rate_regime",
           fails="test_learning_rate_regime", says="swaps", source='''
def learning_rate_regime(alpha):
    if alpha == 0:
        return "stuck"
    if alpha < 0 or alpha > 1:
        return "diverging"
    if alpha == 0.5:
        return "one step"
    if alpha == 1:
        return "bouncing"
    return "oscillating" if alpha < 0.5 else "monotone"
'''),
    Mutant("run_until_converged-step-below-tol", cell="run_until_converged", fails="test_run_until_converged",
           says="compares the step", source='''
def run_until_converged(theta0, alpha, tol=1e-6, max_iters=1000, grad=dJ):
    theta = float(theta0)
    limit = 1e6 * max(1.0, abs(grad(theta)))
    n = 0
    while True:
        g = grad(theta)
        step = alpha * g
        if not np.isfinite(g) or abs(g) > limit:
            return theta, n, "diverged"
        if abs(step) < tol:          # the steps have become tiny
            return theta, n, "converged"
        if n >= max_iters:
            return theta, n, "max_iters"
        theta = theta - step
        n += 1
'''),
    Mutant("run_until_converged-distance-below-tol", cell="run_until_converged",
           fails="test_run_until_converged", says="distance to 0", source='''
def run_until_converged(theta0, alpha, tol=1e-6, max_iters=1000, grad=dJ):
    theta = float(theta0)
    limit = 1e6 * max(1.0, abs(grad(theta)))
    for n in range(max_iters + 1):
        g = grad(theta)
        if not np.isfinite(g) or abs(g) > limit:
            return theta, n, "diverged"
        if abs(theta) < tol:         # close enough to the minimum
            return theta, n, "converged"
        if n == max_iters:
            return theta, n, "max_iters"
        theta = theta - alpha * g
'''),
    Mutant("run_until_converged-counts-from-one", cell="run_until_converged",
           fails="test_run_until_converged", says="counts the checks", source='''
def run_until_converged(theta0, alpha, tol=1e-6, max_iters=1000, grad=dJ):
    theta = theta0
    limit = 1e6 * max(1.0, abs(grad(theta0)))
    for n in range(1, max_iters + 1):
        g = grad(theta)
        if not np.isfinite(g) or abs(g) > limit:
            return theta, n, "diverged"
        if abs(g) < tol:
            return theta, n, "converged"
        theta = theta - alpha * g
    return theta, max_iters, "max_iters"
'''),
    Mutant("dJ_double_well-linear-keeps-theta", cell="dJ_double_well", fails="test_dJ_double_well",
           says="θ of the linear term", source='''
def dJ_double_well(theta):
    return 4 * theta ** 3 - 4 * theta + 0.5 * theta
'''),
    Mutant("dJ_double_well-middle-sign", cell="dJ_double_well", fails="test_dJ_double_well",
           says="minus sign", source='''
def dJ_double_well(theta):
    # θ⁴ − 2θ²: 4θ³ and 4θ
    return 4 * theta ** 3 + 4 * theta + 0.5
'''),
]
