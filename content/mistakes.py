"""Known mistakes, each a wrong answer built from the instructor's own functions.

A hidden test names the mistakes it wants recognised::

    probe(gd_step, [case(-2.5, 0.3), ...], mistakes=["ascent", "alpha_ignored"])

In the grader's reference kernel (never in a student's) every named mistake is
computed on every hidden input, with ``ref`` the instructor's function, ``ns`` the
instructor's notebook namespace and ``a`` the call's arguments bound by name
(defaults filled in). When a wrong answer equals a mistake's output on every input
it got wrong, the feedback names that mistake. The right values only ever come from
``source/``; but some mistakes here are the right formula with one thing changed, so,
like ``source/``, this module must never be readable from a student's kernel.

To add one: write a function ``(ref, ns, a) -> value`` and decorate it with
``@mistake("name", "message the student reads")``; a concept question's wrong option is
``wrong_option(question, name, option, message)``. The mechanism (and where the grader finds this
module: ``c.ProbeVerdicts.catalogue``) is ``autograder.pipeline.catalogue``; this module is the
course's content.
"""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import CATALOG, Mistake, mistake, options_of, wrong_option  # noqa: F401


def _with(a: dict, **changes) -> dict:
    out = dict(a)
    out.update(changes)
    return out


def _scale(value, factor):
    """Multiply every number in a scalar, array or tuple by ``factor``."""
    if isinstance(value, (tuple, list)):
        return type(value)(_scale(v, factor) for v in value)
    return np.asarray(value, dtype=float) * factor if isinstance(value, np.ndarray) else value * factor


def _predictions(ns: dict, a: dict):
    if "theta0" in a:
        return ns["h"](a["theta0"], a["theta1"], np.asarray(a["x"], dtype=float))
    return np.asarray(a["X"], dtype=float) @ np.asarray(a["theta"], dtype=float).reshape(-1)


def _targets(a: dict):
    return np.asarray(a["y"], dtype=float).reshape(-1)


# --- derivatives -----------------------------------------------------------

@mistake("returns_cost", "returns the cost J(θ) itself, not its derivative")
def _returns_cost(ref, ns, a):
    return ns["J"](*a.values())


@mistake("missing_two", "is missing the factor 2 that the power rule brings down (off by a constant factor of 1/2)")
def _missing_two(ref, ns, a):
    return _scale(ref(**a), 0.5)


@mistake("wrong_sign", "has the wrong sign")
def _wrong_sign(ref, ns, a):
    return _scale(ref(**a), -1.0)


@mistake("error_flipped", "has the sign of the error flipped: the error is h(x) − y, not y − h(x)")
def _error_flipped(ref, ns, a):
    return _scale(ref(**a), -1.0)


@mistake("swapped", "returns the components in the wrong order (swapped)")
def _swapped(ref, ns, a):
    value = ref(**a)
    return type(value)(reversed(value)) if isinstance(value, tuple) else np.asarray(value)[::-1]


@mistake("missing_x", "∂J/∂θ₁ is missing the factor x⁽ⁱ⁾ that the chain rule brings in through h")
def _missing_x(ref, ns, a):
    d0, _ = ref(**a)
    return (d0, d0)


@mistake("sum_not_mean", "sums over the examples instead of averaging: the 1/m is missing (off by a factor of m)")
def _sum_not_mean(ref, ns, a):
    return _scale(ref(**a), float(len(_targets(a))))


# --- the update rule -------------------------------------------------------

@mistake("ascent", "the update moved uphill: it adds α·gradient instead of subtracting it")
def _ascent(ref, ns, a):
    return ref(**_with(a, alpha=-a["alpha"]))


@mistake("alpha_ignored", "ignores the learning rate α (it steps by the whole gradient)")
def _alpha_ignored(ref, ns, a):
    return ref(**_with(a, alpha=1.0))


@mistake("grad_ignored", "ignores its `grad` argument and uses the notebook's own derivative instead")
def _grad_ignored(ref, ns, a):
    own = ns["dJ"] if "dJ" in ns else ns["grad_J"]
    return ref(**_with(a, grad=own))


@mistake("returns_step", "returns the step α·∇J(θ) instead of the new θ = θ − α·∇J(θ)")
def _returns_step(ref, ns, a):
    return np.asarray(a["theta"], dtype=float) - ref(**a)


def _sequential_step(theta, alpha, grad):
    theta = np.array(theta, dtype=float)
    for i in range(theta.size):
        theta[i] = theta[i] - alpha * np.asarray(grad(theta), dtype=float)[i]
    return theta


@mistake("sequential", "the update uses already-updated components: compute the whole gradient from the old θ first (simultaneous update)")
def _sequential(ref, ns, a):
    return _sequential_step(a["theta"], a["alpha"], a["grad"])


@mistake("sequential_history", "the updates use already-updated components: every component must come from the same old θ (simultaneous update)")
def _sequential_history(ref, ns, a):
    rows = [np.array(a["theta0"], dtype=float)]
    for _ in range(a["n_iters"]):
        rows.append(_sequential_step(rows[-1], a["alpha"], a["grad"]))
    return np.array(rows)


def _fit_one_at_a_time(ns, a, first: int):
    """fit() where parameter ``first`` is updated, then the other from the new value."""
    theta = [float(a["theta0"]), float(a["theta1"])]
    x, y = a["x"], a["y"]
    costs = [ns["mse"](*theta, x, y)]
    for _ in range(a["n_iters"]):
        for k in (first, 1 - first):
            theta[k] = theta[k] - a["alpha"] * ns["mse_partials"](*theta, x, y)[k]
        costs.append(ns["mse"](*theta, x, y))
    return (theta[0], theta[1], np.array(costs))


@mistake("sequential_fit", "updates θ₀ first and then uses the new θ₀ to update θ₁: both must come from the old values (simultaneous update)")
def _sequential_fit(ref, ns, a):
    return _fit_one_at_a_time(ns, a, first=0)


# --- histories ---------------------------------------------------------------

@mistake("final_only", "returns only the final θ instead of the whole history")
def _final_only(ref, ns, a):
    return ref(**a)[-1]


@mistake("missing_start", "the history is missing θ₀: row 0 must be the starting point")
def _missing_start(ref, ns, a):
    return ref(**a)[1:]


@mistake("one_too_few", "the history has one update too few (n_iters updates give n_iters + 1 entries)")
def _one_too_few(ref, ns, a):
    return ref(**_with(a, n_iters=a["n_iters"] - 1))


@mistake("one_too_many", "the history has one update too many (n_iters updates give n_iters + 1 entries)")
def _one_too_many(ref, ns, a):
    return ref(**_with(a, n_iters=a["n_iters"] + 1))


@mistake("costs_one_too_few", "the cost history has one entry too few: costs[0] is the cost before any update")
def _costs_one_too_few(ref, ns, a):
    *params, costs = ref(**a)
    return (*params, costs[1:])


# --- the update table --------------------------------------------------------

@mistake("theta_after_update", "shows θ after the update; the table lists θ *before* each update")
def _theta_after_update(ref, ns, a):
    return [(k, theta - update, update) for k, theta, update in ref(**a)]


@mistake("iterations_from_zero", "counts iterations from 0; the first iteration is 1")
def _iterations_from_zero(ref, ns, a):
    return [(k - 1, theta, update) for k, theta, update in ref(**a)]


# --- numerical gradients -------------------------------------------------------

@mistake("forward_difference", "uses the forward difference (f(θ+h) − f(θ))/h instead of the central difference")
def _forward_difference(ref, ns, a):
    f, theta, h = a["f"], np.array(a["theta"], dtype=float), a["h"]
    out = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        out[i] = (f(theta + step) - f(theta)) / h
    return out


@mistake("divides_by_h", "divides by h instead of 2h (off by a constant factor of 2)")
def _divides_by_h(ref, ns, a):
    return _scale(ref(**a), 2.0)


# --- mean squared error ----------------------------------------------------------

@mistake("half_in_mse", "has a ½ that belongs only in the half-MSE: the MSE is (1/m)·Σ(h − y)²")
def _half_in_mse(ref, ns, a):
    return _scale(ref(**a), 0.5)


@mistake("half_missing", "is the gradient of the full MSE: the ½ in (1/2m)·Σ(h − y)² cancels the 2")
def _half_missing(ref, ns, a):
    return _scale(ref(**a), 2.0)


@mistake("absolute_error", "averages the absolute error |h − y|, not the squared error")
def _absolute_error(ref, ns, a):
    return float(np.mean(np.abs(_predictions(ns, a) - _targets(a))))


@mistake("square_of_mean", "squares the mean error instead of averaging the squared errors")
def _square_of_mean(ref, ns, a):
    return float(np.mean(_predictions(ns, a) - _targets(a)) ** 2)


# --- vectorized gradient -----------------------------------------------------------

@mistake("y_column_broadcast", "with y of shape (m, 1), Xθ − y broadcasts to an (m, m) matrix: flatten y first")
def _y_column_broadcast(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    theta = np.asarray(a["theta"], dtype=float)
    return 2.0 / X.shape[0] * X.T @ (X @ theta - np.asarray(a["y"], dtype=float))


@mistake("column_result", "returns a column vector (n, 1) for a 1-D θ of shape (n,): the gradient has θ's shape")
def _column_result(ref, ns, a):
    return np.asarray(ref(**a)).reshape(-1, 1)


@mistake("missing_transpose", "multiplies by X instead of Xᵀ, its transpose (check the shapes: the gradient has one entry per column of X)")
def _missing_transpose(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    residual = X @ np.asarray(a["theta"], dtype=float).reshape(-1) - _targets(a)
    return 2.0 / X.shape[0] * X @ residual


@mistake("bias_at_end", "puts the column of ones last; it must be the first column")
def _bias_at_end(ref, ns, a):
    return np.roll(ref(**a), -1, axis=1)


@mistake("bias_missing_1d", "a 1-D X is one feature: reshape it to (m, 1) and then add the column of ones")
def _bias_missing_1d(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    return X.reshape(-1, 1) if X.ndim == 1 else X


# --- 02_partial_derivatives ------------------------------------------------------------

@mistake("partial_same_component", "uses θ₁ in every component: ∂J/∂θ₂ holds θ₁ constant and differentiates with respect to θ₂")
def _partial_same_component(ref, ns, a):
    value = np.asarray(ref(**a), dtype=float)
    return np.full_like(value, value.reshape(-1)[0])


@mistake("partial_first_two_only", "computes only the first two partial derivatives: θ may have any number of components, so loop over all of them")
def _partial_first_two_only(ref, ns, a):
    value = np.array(ref(**a), dtype=float)
    value.reshape(-1)[2:] = 0.0
    return value


@mistake("partial_int_result", "returns integers for an integer θ, so the new θ was rounded toward zero: build the result as a float array (e.g. np.asarray(theta, dtype=float))")
def _partial_int_result(ref, ns, a):
    return np.trunc(np.asarray(ref(**a), dtype=float))


# --- 01_one_variable: gradient descent on θ² ------------------------------------------

@mistake("one_variable_integer_history",
         "stores the history in an integer array: with an integer θ₀ every new θ is cut to a whole "
         "number. Make the history a float array (e.g. np.zeros(n_iters + 1)) and put θ₀ in it")
def _one_variable_integer_history(ref, ns, a):
    theta = a["theta0"]
    if isinstance(theta, bool) or not isinstance(theta, (int, np.integer)):
        return ref(**a)
    rows = [int(theta)]
    for _ in range(a["n_iters"]):
        rows.append(int(ref(**_with(a, theta0=rows[-1], n_iters=1))[1]))  # numpy truncates like int()
    return np.array(rows)


@mistake("one_variable_divergence_missed",
         "never reports divergence: once the slope is not finite or grows past 10⁶·max(1, |grad(θ₀)|) "
         "the run must stop at once with reason \"diverged\" (not run on into inf and nan)")
def _one_variable_divergence_missed(ref, ns, a):
    theta, grad = a["theta0"], a["grad"]
    for k in range(a["max_iters"]):
        g = grad(theta)
        if abs(g) < a["tol"]:
            return (theta, k, "converged")
        theta = theta - a["alpha"] * g
    return (theta, a["max_iters"], "max_iters")


@mistake("one_variable_alpha_one_diverges",
         "calls α = 1 diverging: there the factor 1 − 2α is exactly −1, so θ flips sign but keeps "
         "its size forever (bouncing); diverging needs |1 − 2α| > 1")
def _one_variable_alpha_one_diverges(ref, ns, a):
    return "diverging" if a["alpha"] == 1 else ref(**a)


@mistake("one_variable_negative_alpha",
         "misses that a negative α diverges: the factor 1 − 2α is then above 1, so every update "
         "climbs uphill and |θ| grows")
def _one_variable_negative_alpha(ref, ns, a):
    return "monotone" if a["alpha"] < 0 else ref(**a)


# --- 03_mse_linear_regression (names start with mse_) ------------------------------

@mistake("mse_h_params_swapped", "uses θ₀ as the slope and θ₁ as the intercept: h(x) = θ₀ + θ₁·x, θ₀ is the intercept")
def _mse_h_params_swapped(ref, ns, a):
    return ref(**_with(a, theta0=a["theta1"], theta1=a["theta0"]))


@mistake("mse_divides_by_m_minus_one", "divides the sum of squared errors by m − 1 (as for a sample variance): the mean squared error divides by m")
def _mse_divides_by_m_minus_one(ref, ns, a):
    m = len(_targets(a))
    return np.float64(ref(**a)) * np.float64(m) / np.float64(m - 1)


@mistake("mse_chain_returns_squared_error", "returns the squared error (ŷ − y)² itself, not its derivative with respect to ŷ")
def _mse_chain_returns_squared_error(ref, ns, a):
    return (np.asarray(a["y_hat"], dtype=float) - np.asarray(a["y"], dtype=float)) ** 2


@mistake("mse_sequential_fit_theta1_first", "updates θ₁ first and then uses the new θ₁ to update θ₀: both must come from the old values (simultaneous update)")
def _mse_sequential_fit_theta1_first(ref, ns, a):
    return _fit_one_at_a_time(ns, a, first=1)


@mistake("mse_costs_missing_last", "the cost history stops one update early: costs[k] is the cost after k updates, up to k = n_iters")
def _mse_costs_missing_last(ref, ns, a):
    *params, costs = ref(**a)
    return (*params, costs[:-1])


@mistake("mse_fit_half_gradient", "steps along the gradient of the half MSE (half of the MSE's gradient): fit descends J = (1/m)·Σ(h − y)², whose gradient has the factor 2")
def _mse_fit_half_gradient(ref, ns, a):
    return ref(**_with(a, alpha=a["alpha"] / 2.0))


@mistake("mse_fit_start_ignored", "ignores the starting values theta0 and theta1: the descent must start where the caller says")
def _mse_fit_start_ignored(ref, ns, a):
    return ref(**_with(a, theta0=0.0, theta1=0.0))


# --- 04 vectorized gradient (appended) ------------------------------------------------

@mistake("vectorized_mse_y_column", "with y of shape (m, 1), Xθ − y broadcasts to an (m, m) matrix and the mean runs over m² numbers: flatten y first")
def _vectorized_mse_y_column(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    errors = X @ np.asarray(a["theta"], dtype=float) - np.asarray(a["y"], dtype=float)
    return float(np.mean(errors ** 2))


@mistake("vectorized_theta_ignored", "ignores the starting θ it is given and always starts from zeros")
def _vectorized_theta_ignored(ref, ns, a):
    return ref(**_with(a, theta=None))


@mistake("vectorized_sequential_update", "updates θ one component at a time, each from an already-updated θ: compute the whole gradient from the old θ first (simultaneous update)")
def _vectorized_sequential_update(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    y = _targets(a)
    m, p = X.shape
    theta = np.zeros(p) if a["theta"] is None else np.array(a["theta"], dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(a["n_iters"]):
        for j in range(p):
            theta[j] = theta[j] - a["alpha"] * 2.0 / m * np.dot(X @ theta - y, X[:, j])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)


@mistake("vectorized_std_zero_division", "divides by a standard deviation of 0 for a constant column (NaN): use a std of 1 for such a column, so it is only centred")
def _vectorized_std_zero_division(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    mean, std = X.mean(axis=0), X.std(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (X - mean) / std, mean, std


@mistake("vectorized_std_ddof1", "uses the sample standard deviation (ddof=1); standardize with the population standard deviation, np.std's default ddof=0")
def _vectorized_std_ddof1(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    mean = X.mean(axis=0)
    with np.errstate(divide="ignore", invalid="ignore"):
        std = X.std(axis=0, ddof=1)
        std = np.where(std == 0, 1.0, std)
        return (X - mean) / std, mean, std


@mistake("vectorized_std_whole_matrix", "uses one mean and one standard deviation for the whole matrix: every column (feature) needs its own, e.g. X.mean(axis=0)")
def _vectorized_std_whole_matrix(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    mean, std = X.mean(), X.std()
    return (X - mean) / std, mean, std


@mistake("vectorized_normal_column", "returns a column (n + 1, 1): flatten y first so that θ has shape (n + 1,)")
def _vectorized_normal_column(ref, ns, a):
    return np.asarray(ref(**a)).reshape(-1, 1)


@mistake("mse_dyhat_missing_x", "returns 1 for ∂ŷ/∂θ₁, missing the factor x: how far ŷ moves when θ₁ grows by 1 depends on the input")
def _mse_dyhat_missing_x(ref, ns, a):
    d0, _ = ref(**a)
    return (d0, d0)


# --- derivation exercise of 01: dJ_double_well (names start with double_well_) -------------

@mistake("double_well_returns_cost", "returns the cost J(θ) of the double well itself, not its derivative")
def _double_well_returns_cost(ref, ns, a):
    return ns["double_well"](a["theta"])


@mistake("double_well_exponent_kept",
         "brings each exponent down as a factor but does not lower the power: the power rule also "
         "reduces the exponent by one")
def _double_well_exponent_kept(ref, ns, a):
    t = a["theta"]
    return ref(t) * t + 0.5 - 0.5 * t  # exponents 4 and 2 kept, the linear term's slope kept


@mistake("double_well_linear_dropped",
         "drops the derivative of the linear term 0.5θ: only a constant term has slope 0")
def _double_well_linear_dropped(ref, ns, a):
    return ref(a["theta"]) - 0.5


@mistake("double_well_middle_factor",
         "gets the term −2θ² wrong: the exponent that the power rule brings down must multiply the "
         "coefficient −2, not be left out")
def _double_well_middle_factor(ref, ns, a):
    t = a["theta"]
    return ref(t) + 2 * t


# concept questions of 01 (names q_<question>_<option>)
wrong_option("q_slope_sign", "q_slope_sign_a", "a", "moves θ the way the slope points, which is uphill: the update moves θ against the slope")
wrong_option("q_slope_sign", "q_slope_sign_b", "b", "treats a nonzero slope as a flat point: θ only stays where it is when the slope is 0")
wrong_option("q_slope_sign", "q_slope_sign_d", "d", "thinks the update needs the value of the cost: it uses only the slope, whose sign "
             "alone gives the direction")
wrong_option("q_slope_size", "q_slope_size_a", "a", "treats the slope's size as the distance to the minimum: a small slope can also sit "
             "on a hilltop, far from any minimum")
wrong_option("q_slope_size", "q_slope_size_c", "c", "confuses the slope with the cost's value: a steep point can lie lower than a flat one")
wrong_option("q_slope_size", "q_slope_size_d", "d", "thinks the slope alone decides whether a step overshoots: that depends on α too")
wrong_option("q_factor", "q_factor_one_minus_alpha", 0.2, "forgets the factor 2 that the derivative of θ² brings: the step is α "
             "times the slope, not α times θ")
wrong_option("q_factor", "q_factor_sign_dropped", 0.6, "has the size of the factor but not its sign: ask on which side of the "
             "minimum θ lands after one update")
wrong_option("q_factor", "q_factor_fraction_removed", 1.6, "gives the part of θ that one update takes away, not the factor that "
             "multiplies θ")
wrong_option("q_factor", "q_factor_ascent", 2.6, "adds the step instead of subtracting it, which is gradient ascent")
wrong_option("q_converging", "q_converging_b", "b", "counts a factor of size 1 as converging: with it θ keeps its distance to the "
             "minimum forever")
wrong_option("q_converging", "q_converging_c", "c", "expects any α below 2 to work: descent converges only while the factor 1 − 2α "
             "stays between −1 and 1")
wrong_option("q_converging", "q_converging_d", "d", "takes a negative α for a slow one: it turns descent into ascent")
wrong_option("q_stopping", "q_stopping_a", "a", "looks for the reason in computing time; ask instead what the slope and the cost are "
             "at a minimum")
wrong_option("q_stopping", "q_stopping_c", "c", "treats the slope's size as the distance to the minimum: on a flat-bottomed cost such "
             "as θ⁴, θ can be far from the minimum although the slope is tiny")
wrong_option("q_stopping", "q_stopping_d", "d", "takes a converged run for the global minimum: the slope is 0 at a local minimum too")
wrong_option("q_well_start", "q_well_start_b", "b", "reads the way from the picture, not from the slope at θ₀: its sign decides where "
             "the first step goes, and descent never climbs back over the hilltop")
wrong_option("q_well_start", "q_well_start_c", "c", "takes θ = 0 for a flat point: the tilt 0.5θ leaves a slope there")
wrong_option("q_well_start", "q_well_start_d", "d", "expects descent to stop on a hilltop: it moves away from one, downhill on either side")


# --- derivation exercise of 02: grad_rosenbrock (names start with rosenbrock_) -------------

def _rosenbrock_terms(a):
    """θ₁, and the derivatives of the two squares with respect to their own brackets."""
    t1, t2 = np.asarray(a["theta"], dtype=float).reshape(-1)[:2]
    return t1, -2.0 * (1.0 - t1), 200.0 * (t2 - t1 ** 2)


@mistake("rosenbrock_inner_dropped",
         "∂f/∂θ₁ drops the chain rule's inner derivative in the valley term: the bracket (θ₂ − θ₁²) "
         "changes when θ₁ moves, so the derivative of its square must also be multiplied by the "
         "derivative of the bracket with respect to θ₁")
def _rosenbrock_inner_dropped(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer + valley, valley])


@mistake("rosenbrock_inner_sign",
         "∂f/∂θ₁ has the inner derivative of (θ₂ − θ₁²) with the wrong sign: θ₁² enters that bracket "
         "with a minus, and the minus stays in its derivative")
def _rosenbrock_inner_sign(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer + 2.0 * t1 * valley, valley])


@mistake("rosenbrock_outer_minus_dropped",
         "∂f/∂θ₁ drops the −1 of the chain rule in (1 − θ₁)²: θ₁ enters that bracket with a minus "
         "sign, so the derivative of the bracket with respect to θ₁ is negative")
def _rosenbrock_outer_minus_dropped(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([-outer - 2.0 * t1 * valley, valley])


@mistake("rosenbrock_valley_two_missing",
         "the term 100·(θ₂ − θ₁²)² lost the factor 2 that the power rule brings down from its square "
         "(in both partial derivatives)")
def _rosenbrock_valley_two_missing(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer - t1 * valley, valley / 2.0])


# concept questions of 02 (names start with q_): each wrong option or typical wrong number, by its misconception
wrong_option("q_frozen", "q_frozen_27", 27, "lets θ₁ move too, adding the slope along θ₁: a partial derivative moves one "
             "parameter only and holds the other fixed")
wrong_option("q_frozen", "q_frozen_20", 20, "differentiates with respect to the wrong parameter: ∂g/∂θ₂ moves θ₂ and holds θ₁ fixed")
wrong_option("q_frozen", "q_frozen_3", 3, "drops the term θ₁²θ₂ as if it were a constant: with θ₁ frozen, θ₁² is only a "
             "constant factor in front of θ₂, and the term still changes when θ₂ moves")
wrong_option("q_frozen", "q_frozen_35", 35, "gives the value of g at the point, not how fast g changes when θ₂ moves")
wrong_option("q_downhill", "q_downhill_a", "a", "steps along the gradient, the direction of steepest ascent: f rises fastest that way")
wrong_option("q_downhill", "q_downhill_c", "c", "steps along the contour line: at a right angle to the gradient f does not change, "
             "to first order")
wrong_option("q_downhill", "q_downhill_d", "d", "moves only the parameter with the largest partial derivative: the other partial "
             "derivative can lower f too, and the steepest step of a given length combines both")
wrong_option("q_simultaneous", "q_simultaneous_sequential", 0.53, "takes the partial derivative for θ₂ at the already-updated θ₁: "
             "every component of the step comes from the gradient at the same old θ")
wrong_option("q_simultaneous", "q_simultaneous_ascent", 1.5, "moves uphill: the step adds α times the gradient instead of subtracting it")
wrong_option("q_simultaneous", "q_simultaneous_other_partial", 0.7, "uses the wrong partial derivative for θ₂: ∂C/∂θ₂ holds θ₁ fixed "
             "and differentiates every term in which θ₂ appears, 2θ₂² included")
wrong_option("q_simultaneous", "q_simultaneous_alpha_ignored", -4, "leaves out the learning rate: the step is α times the partial "
             "derivative, not the partial derivative itself")
wrong_option("q_central_error", "q_central_error_a", "a", "lets the central difference's error shrink only in proportion to h, as if "
             "the even terms of Taylor's expansion did not cancel in it")
wrong_option("q_central_error", "q_central_error_c", "c", "gives the forward difference the cancellation that only the symmetric, "
             "central difference has: the forward difference keeps the first term after the derivative")
wrong_option("q_central_error", "q_central_error_d", "d", "lets rounding error take over at h = 10⁻³, where the formula's own error "
             "is still far larger than rounding")
wrong_option("q_valley_alpha", "q_valley_alpha_a", "a", "blames the gradient: the formula is exact everywhere; what goes wrong is the "
             "length of the steps in two very different directions")
wrong_option("q_valley_alpha", "q_valley_alpha_c", "c", "has the shape of the valley the wrong way round: look again at which "
             "direction is steep and which is nearly flat on the contour plot")
wrong_option("q_valley_alpha", "q_valley_alpha_d", "d", "assumes a larger α always gets further: above the limit that the steepest "
             "direction sets, every step overshoots more than the one before (no rounding needed)")
wrong_option("q_saddle", "q_saddle_a", "a", "takes a zero gradient for a minimum: the gradient is zero wherever the surface is "
             "flat to first order, on hilltops and saddles too; look at how s changes along each axis")
wrong_option("q_saddle", "q_saddle_b", "b", "calls every flat point that is not a minimum a hilltop: look at how s changes along "
             "each axis separately")
wrong_option("q_saddle", "q_saddle_d", "d", "reads s as a sum of squares: one square enters with a minus sign, so s takes "
             "negative values")



# --- derivation exercise of 03: huber_partials (names start with huber_) -------------------

def _huber_errors(a: dict):
    x = np.asarray(a["x"], dtype=float)
    return a["theta0"] + a["theta1"] * x - np.asarray(a["y"], dtype=float), x


def _huber_pulls(pull, x):
    return (float(np.mean(pull)), float(np.mean(pull * x)))


@mistake("huber_condition_on_e", "picks the branch by testing e ≤ δ instead of |e| ≤ δ: a large negative error is treated as a small one")
def _huber_condition_on_e(ref, ns, a):
    e, x = _huber_errors(a)
    return _huber_pulls(np.where(e <= a["delta"], e, a["delta"]), x)


@mistake("huber_linear_unsigned", "gives every large error the same pull, whatever its sign: the linear branch δ·(|e| − δ/2) falls where e is negative and rises where it is positive")
def _huber_linear_unsigned(ref, ns, a):
    e, x = _huber_errors(a)
    return _huber_pulls(np.where(np.abs(e) <= a["delta"], e, a["delta"]), x)


@mistake("huber_linear_missing_delta", "drops δ from the slope of the linear branch (right only when δ = 1): differentiate δ·(|e| − δ/2) with δ kept as a constant factor")
def _huber_linear_missing_delta(ref, ns, a):
    e, x = _huber_errors(a)
    return _huber_pulls(np.where(np.abs(e) <= a["delta"], e, np.sign(e)), x)


@mistake("huber_no_linear_branch", "uses the quadratic branch for every error (the gradient of the half MSE): errors beyond δ follow the linear branch")
def _huber_no_linear_branch(ref, ns, a):
    e, x = _huber_errors(a)
    return _huber_pulls(e, x)


@mistake("huber_mse_partials", "returns the partial derivatives of the MSE, not of the Huber cost: its quadratic branch is e²/2, and errors beyond δ follow the linear branch")
def _huber_mse_partials(ref, ns, a):
    e, x = _huber_errors(a)
    return _huber_pulls(2.0 * e, x)


# concept questions of 03 (names start with q_): each wrong option, with the misconception behind it
wrong_option("q_squares", "q_squares_b", "b", "thinks several errors cost more than one error of the same total size: squaring "
             "makes a large error count far more than several small ones")
wrong_option("q_squares", "q_squares_c", "c", "measures the errors by their size, as the mean absolute error does: the MSE squares "
             "them first, so sizes that add up the same can cost very differently")
wrong_option("q_squares", "q_squares_d", "d", "lets errors above and below the line cancel: a square is never negative, so no "
             "error can cancel another in the MSE")
wrong_option("q_chain", "q_chain_6", 6, "stops at the outer factor ∂C/∂ŷ: the chain rule multiplies it by the inner factor "
             "∂ŷ/∂θ₁")
wrong_option("q_chain", "q_chain_12", 12, "drops the power rule's factor from the outer factor: differentiate the square of "
             "the error, not the error")
wrong_option("q_chain", "q_chain_minus24", -24, "flips the sign of the error in the outer factor: it is the prediction minus "
             "the target, as inside the square")
wrong_option("q_chain", "q_chain_9", 9, "gives the squared error C itself, not its derivative")
wrong_option("q_half", "q_half_a", "a", "thinks multiplying a cost by a positive constant moves its lowest point: it changes "
             "every height by the same factor, not where the lowest point is")
wrong_option("q_half", "q_half_c", "c", "inverts what the constant does to the gradient: the constant multiple rule carries "
             "the same factor onto every partial derivative")
wrong_option("q_half", "q_half_d", "d", "thinks a cost with the same minimiser gives the same descent: each step follows the "
             "gradient, and the gradient carries the cost's constant factor")
wrong_option("q_outlier", "q_outlier_a", "a", "lets the Huber pull keep growing with the error: beyond δ the Huber loss grows "
             "linearly, so its slope there is a constant")
wrong_option("q_outlier", "q_outlier_c", "c", "compares how fast the losses grow, not their slopes: the pull is the derivative "
             "of the loss, one power lower")
wrong_option("q_outlier", "q_outlier_d", "d", "thinks the squared error's pull stays put as the error grows: the derivative of a "
             "square grows in proportion to what is squared")
wrong_option("q_scale", "q_scale_a", "a", "thinks the unit of x does not reach the shape of the cost: ∂J/∂θ₁ carries a factor "
             "x, so the bowl's steepness along θ₁ grows with the square of x")
wrong_option("q_scale", "q_scale_c", "c", "thinks larger gradients always mean faster progress: α must stay below a limit set "
             "by the steepest direction of the bowl, and that direction got steeper")
wrong_option("q_scale", "q_scale_d", "d", "assumes the same α copes with any unit of x: the bowl's steepness along θ₁ grows "
             "with the square of x")



# --- derivation exercise of 04: ridge_gradient (names start with ridge_) -------------------

def _ridge_parts(ref, a):
    """(the data term's gradient, the penalty's gradient), both of θ's shape, from the instructor's function."""
    data_term = np.asarray(ref(**_with(a, lam=0.0)), dtype=float)
    return data_term, np.asarray(ref(**a), dtype=float) - data_term


@mistake("ridge_intercept_penalised", "penalises the intercept θ₀ too: the penalty's sum starts at j = 1, so "
         "θ₀'s component of the gradient gets nothing from it")
def _ridge_intercept_penalised(ref, ns, a):
    data_term, penalty = _ridge_parts(ref, a)
    theta = np.asarray(a["theta"], dtype=float)
    extra = np.zeros(theta.size)
    extra[0] = 2.0 * a["lam"] * theta.ravel()[0]
    return data_term + penalty + extra.reshape(theta.shape)


@mistake("ridge_penalty_missing_two", "differentiates the penalty without the factor the power rule brings "
         "down from θⱼ² (its part of the gradient is off by a constant factor of 1/2)")
def _ridge_penalty_missing_two(ref, ns, a):
    data_term, penalty = _ridge_parts(ref, a)
    return data_term + 0.5 * penalty


@mistake("ridge_penalty_over_m", "divides the penalty's gradient by m: the 1/m averages the squared errors "
         "only; λ·Σθⱼ² is not a mean over the examples")
def _ridge_penalty_over_m(ref, ns, a):
    data_term, penalty = _ridge_parts(ref, a)
    return data_term + penalty / len(_targets(a))


@mistake("ridge_penalty_sign_flipped", "subtracts the penalty's gradient: the penalty is added to the cost, "
         "so its gradient is added too (it pulls the weights towards 0)")
def _ridge_penalty_sign_flipped(ref, ns, a):
    data_term, penalty = _ridge_parts(ref, a)
    return data_term - penalty


@mistake("ridge_penalty_left_out", "leaves the penalty out: that is the plain MSE's gradient, but λ·Σθⱼ² "
         "depends on θ too")
def _ridge_penalty_left_out(ref, ns, a):
    data_term, _ = _ridge_parts(ref, a)
    return data_term


# concept questions of 04 (names start with q_), each wrong option with the misconception behind it
wrong_option("q_gradient_shape", "q_gradient_shape_a", "a", "takes the length of the error vector Xθ − y (one entry per example) for "
             "the gradient's: Xᵀ turns the m errors into one sum per column of X")
wrong_option("q_gradient_shape", "q_gradient_shape_c", "c", "takes Xᵀ(Xθ − y) for a matrix: a matrix times a vector is a vector")
wrong_option("q_gradient_shape", "q_gradient_shape_d", "d", "forgets the intercept: the bias column is a column of X like the others, "
             "and θ₀ gets its own partial derivative")
wrong_option("q_no_bias", "q_no_bias_a", "a", "expects an intercept to be learned with no parameter for it: without the column of "
             "ones nothing in Xθ adds a constant")
wrong_option("q_no_bias", "q_no_bias_c", "c", "mixes up a missing bias column with linearly dependent columns: one column of "
             "non-zero values still gives an invertible XᵀX and one minimum")
wrong_option("q_no_bias", "q_no_bias_d", "d", "mixes up which parameter is lost: the one column left multiplies x, so the one "
             "parameter left is a slope")
wrong_option("q_curvature_ratio", "q_curvature_ratio_50", 50, "compares the spreads (or the contours' axes) instead of the curvatures: a "
             "feature enters H through the mean of its square")
wrong_option("q_curvature_ratio", "q_curvature_ratio_0_0004", 0.0004, "divides the smallest eigenvalue by the largest: the ratio asked "
             "for is the largest over the smallest, a number of at least 1")
wrong_option("q_closed_form_cost", "q_closed_form_cost_a", "a", "lets forming XᵀX grow like the size of X, m·(n + 1): it multiplies every "
             "pair of columns, so it grows with the square of their number")
wrong_option("q_closed_form_cost", "q_closed_form_cost_c", "c", "counts only the solve, (n + 1)³, and leaves out forming XᵀX, which costs "
             "far more when m is much larger than n")
wrong_option("q_closed_form_cost", "q_closed_form_cost_d", "d", "charges a step of gradient descent for a product with XᵀX: a step needs "
             "only Xθ and Xᵀe, each about m·(n + 1) operations")
wrong_option("q_ridge_large_lambda", "q_ridge_large_lambda_a", "a", "penalises the intercept too: the penalty's sum leaves θ₀ out, so nothing "
             "pulls it towards 0")
wrong_option("q_ridge_large_lambda", "q_ridge_large_lambda_c", "c", "thinks the penalty changes only the path of gradient descent: it "
             "changes the cost, and with it where the minimum lies")
wrong_option("q_ridge_large_lambda", "q_ridge_large_lambda_d", "d", "mixes up a large penalty with a large learning rate: the penalty adds a "
             "bowl to the cost, so a minimum always exists, and divergence comes from α")


# --- 05_stochastic_gradient ---------------------------------------------------------------
# Every random choice of 05 goes through an `rng` argument. A mistake works on a deep copy of the
# call's arguments, so the case's generator (and θ) stay as they were for the next mistake.

import copy as _copy  # noqa: E402
import math as _math  # noqa: E402


def _fresh(a: dict) -> dict:
    return _copy.deepcopy(a)


def _stochastic_run(a, permute="each", keep_last=True, scale=lambda b, m: 2.0 / b, x_only=None, per_batch=False):
    """sgd() with one thing changed: the order of the rows (permute: "each" epoch, "once" for all, "none"),
    the last, shorter batch kept or dropped, the factor in front of the batch gradient, X shuffled without
    y (x_only: "fresh" each epoch, or "cumulative", X = X[order] again and again) or costs per batch."""
    a = _fresh(a)
    X = np.asarray(a["X"], dtype=float)
    y = np.asarray(a["y"], dtype=float).reshape(-1)
    m, p = X.shape
    size, rng, alpha = int(a["batch_size"]), a["rng"], a["alpha"]
    theta = np.zeros(p) if a["theta"] is None else np.array(a["theta"], dtype=float).reshape(-1)
    X_cost = X  # the rows the cost is computed on (X shuffled on its own, cumulatively: the shuffled X)
    costs = [np.mean((X_cost @ theta - y) ** 2)]
    fixed = rng.permutation(m) if permute == "once" else None
    for _ in range(a["n_epochs"]):
        order = np.arange(m) if permute == "none" else fixed if permute == "once" else rng.permutation(m)
        if x_only is None:
            X_order, y_order = X[order], y[order]
        elif x_only == "fresh":
            X_order, y_order = X[order], y
        else:
            X_cost = X_cost[order]
            X_order, y_order = X_cost, y
        stop = m if keep_last else (m // size) * size
        for start in range(0, stop, size):
            X_b, y_b = X_order[start:start + size], y_order[start:start + size]
            theta = theta - alpha * scale(len(y_b), m) * (X_b.T @ (X_b @ theta - y_b))
            if per_batch:
                costs.append(np.mean((X_cost @ theta - y) ** 2))
        if not per_batch:
            costs.append(np.mean((X_cost @ theta - y) ** 2))
    return theta, np.array(costs)


@mistake("sgd_not_shuffled", "never shuffles: every epoch visits the examples in the order 0, 1, …, m − 1. Draw a "
         "new order with rng.permutation(m) at the start of every epoch")
def _sgd_not_shuffled(ref, ns, a):
    return _stochastic_run(a, permute="none")


@mistake("sgd_shuffled_once", "shuffles only once, before the first epoch, and then repeats that order: every "
         "epoch needs its own rng.permutation(m)")
def _sgd_shuffled_once(ref, ns, a):
    return _stochastic_run(a, permute="once")


@mistake("sgd_remainder_dropped", "drops the last, shorter batch when batch_size does not divide m: every example "
         "must be used once per epoch, so the remainder is a batch of its own")
def _sgd_remainder_dropped(ref, ns, a):
    return _stochastic_run(a, keep_last=False)


@mistake("sgd_gradient_over_m", "divides each batch gradient by m, the number of all examples, instead of b, the "
         "number in the batch: a batch's gradient is the mean over its own rows")
def _sgd_gradient_over_m(ref, ns, a):
    return _stochastic_run(a, scale=lambda b, m: 2.0 / m)


@mistake("sgd_gradient_summed", "sums the batch's gradients instead of averaging them (the 1/b is missing), so the "
         "step grows with the batch size")
def _sgd_gradient_summed(ref, ns, a):
    return _stochastic_run(a, scale=lambda b, m: 2.0)


@mistake("sgd_x_without_y", "shuffles the rows of X but not y, so each example meets another example's target: "
         "index X and y with the same order")
def _sgd_x_without_y(ref, ns, a):
    return _stochastic_run(a, x_only="fresh")


@mistake("sgd_x_without_y_again", "shuffles the rows of X but not y, so each example meets another example's "
         "target: index X and y with the same order")
def _sgd_x_without_y_again(ref, ns, a):
    return _stochastic_run(a, x_only="cumulative")


@mistake("sgd_costs_per_batch", "records the cost after every batch: costs[k] is the cost after k epochs, one "
         "entry per epoch (n_epochs + 1 in all)")
def _sgd_costs_per_batch(ref, ns, a):
    return _stochastic_run(a, per_batch=True)


@mistake("sgd_theta_ignored", "ignores the starting θ it is given and always starts from zeros")
def _sgd_theta_ignored(ref, ns, a):
    return ref(**_with(_fresh(a), theta=None))


def _order_of(a: dict):
    return _fresh(a)["rng"].permutation(int(a["m"]))


@mistake("minibatches_not_shuffled", "never shuffles: the batches hold 0, 1, …, m − 1 in order. Take the order "
         "from rng.permutation(m), then cut it into batches")
def _minibatches_not_shuffled(ref, ns, a):
    m, size = int(a["m"]), int(a["batch_size"])
    return [np.arange(m)[start:start + size] for start in range(0, m, size)]


@mistake("minibatches_remainder_dropped", "drops the last, shorter batch when batch_size does not divide m: "
         "together the batches must hold every index once")
def _minibatches_remainder_dropped(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return [order[start:start + size] for start in range(0, (len(order) // size) * size, size)]


_EVEN_SPLIT = ("spreads the examples evenly over the batches (np.array_split): every batch but the last must "
               "hold exactly batch_size indices, and only the last may be shorter")


@mistake("minibatches_even_split", _EVEN_SPLIT)
def _minibatches_even_split(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return list(np.array_split(order, _math.ceil(len(order) / size)))


@mistake("minibatches_even_split_floor", _EVEN_SPLIT)
def _minibatches_even_split_floor(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return list(np.array_split(order, max(len(order) // size, 1)))


def _batch_size_of(a: dict) -> int:
    return int(np.asarray(a["idx"]).size)


@mistake("minibatch_gradient_over_m", "divides by m, the number of all examples, instead of b = len(idx), the "
         "number in the batch: the batch's cost is the mean over its own rows")
def _minibatch_gradient_over_m(ref, ns, a):
    return _scale(ref(**_fresh(a)), _batch_size_of(a) / np.asarray(a["X"]).shape[0])


@mistake("minibatch_gradient_summed", "sums over the batch instead of averaging: the 1/b is missing (off by a "
         "factor of the batch size)")
def _minibatch_gradient_summed(ref, ns, a):
    return _scale(ref(**_fresh(a)), float(_batch_size_of(a)))


@mistake("minibatch_gradient_all_rows", "uses every row of X, not only the rows in idx: that is the full gradient, "
         "not the batch's")
def _minibatch_gradient_all_rows(ref, ns, a):
    return ref(**_with(_fresh(a), idx=np.arange(np.asarray(a["X"]).shape[0])))


@mistake("minibatch_gradient_y_column", "with y of shape (m, 1), y[idx] is a column and X_bθ − y[idx] broadcasts "
         "to a (b, b) matrix: flatten y first")
def _minibatch_gradient_y_column(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    idx = np.asarray(a["idx"])
    X_b = X[idx]
    return 2.0 / idx.size * X_b.T @ (X_b @ np.asarray(a["theta"], dtype=float) - np.asarray(a["y"], dtype=float)[idx])


@mistake("step_decay_from_epoch_one", "counts epochs from 1, so α drops one epoch early: the first epoch is "
         "epoch 0, and α keeps α₀ for epochs 0 to every − 1")
def _step_decay_from_epoch_one(ref, ns, a):
    return a["alpha0"] * a["drop"] ** ((a["epoch"] + 1) // a["every"])


@mistake("step_decay_rounds_up", "rounds the number of drops up: α must stay α₀ for the first `every` epochs, "
         "so the exponent is epoch // every, rounded down")
def _step_decay_rounds_up(ref, ns, a):
    return a["alpha0"] * a["drop"] ** _math.ceil(a["epoch"] / a["every"])


@mistake("step_decay_smooth", "lets α shrink a little every epoch (exponential decay): a step schedule keeps α "
         "constant for `every` epochs and then drops it at once, so round the exponent down to a whole number")
def _step_decay_smooth(ref, ns, a):
    return a["alpha0"] * a["drop"] ** (a["epoch"] / a["every"])


@mistake("step_decay_drops_once", "drops α only once: it is multiplied by `drop` again after every further "
         "`every` epochs")
def _step_decay_drops_once(ref, ns, a):
    return a["alpha0"] * (a["drop"] if a["epoch"] >= a["every"] else 1.0)


def _costs_of(a: dict) -> np.ndarray:
    return np.asarray(a["costs"], dtype=float).reshape(-1)


def _diagnose(costs, window, finite_check=True, rises=False, against=None, absolute=False):
    """curve_diagnosis with one rule changed."""
    with np.errstate(invalid="ignore", over="ignore"):
        n = costs.size - 1
        if (finite_check and not np.all(np.isfinite(costs))) or costs[-1] > costs[0]:
            return "diverging"
        if rises and np.any(np.diff(costs) > 0):
            return "diverging"
        earlier = costs[0] if against == "first" else costs[-1 - window(n)]
        slow = (earlier - costs[-1] > 0.01) if absolute else (costs[-1] < 0.99 * earlier)
        return "too slow" if slow else "converged"


@mistake("curve_nonfinite_missed", "misses a cost that is NaN or infinite: comparisons with NaN are always False, "
         "so check np.isfinite on every cost first")
def _curve_nonfinite_missed(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: _math.ceil(n / 10), finite_check=False)


@mistake("curve_any_rise_diverging", "calls a curve diverging as soon as the cost rises once: the cost of "
         "mini-batch descent goes up and down from epoch to epoch; diverging means not finite, or ending above "
         "where it started")
def _curve_any_rise_diverging(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: _math.ceil(n / 10), rises=True)


@mistake("curve_window_one", "compares the last cost with the one just before it: the rule looks back "
         "k = ⌈n/10⌉ epochs, a tenth of the run")
def _curve_window_one(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: 1)


@mistake("curve_window_rounded_down", "rounds n/10 down: k = ⌈n/10⌉ is rounded up (at least 1 epoch), e.g. "
         "math.ceil(n / 10)")
def _curve_window_rounded_down(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: n // 10)


@mistake("curve_against_first", "compares the last cost with the first: a run that has converged has fallen far "
         "from its start too; compare with the cost k = ⌈n/10⌉ epochs before the end")
def _curve_against_first(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: n, against="first")


@mistake("curve_absolute_drop", "measures the last drop in absolute terms (more than 0.01): the rule is relative, "
         "the last cost below 0.99 times the earlier one, whatever the units of the cost")
def _curve_absolute_drop(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: _math.ceil(n / 10), absolute=True)


# concept questions of 05 (names start with q_), each wrong option with the misconception behind it
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_31", 31, "drops the last, shorter batch: it still holds examples of the epoch "
             "and makes an update of its own")
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_31_25", 31.25, "divides without rounding: a number of updates is whole, and the "
             "last, shorter batch makes one update")
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_1000", 1000, "counts one update per example, which is batch size 1: a batch "
             "makes one update, whatever its size")
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_1", 1, "counts one update per epoch, which is batch gradient descent: every "
             "mini-batch makes an update")
wrong_option("q_schedule_per_batch", "q_schedule_per_batch_a", "a", "applies the schedule per batch: `epoch` counts epochs, and every "
             "update of an epoch uses that epoch's α")
wrong_option("q_schedule_per_batch", "q_schedule_per_batch_c", "c", "counts examples instead of updates: a batch of 100 examples makes "
             "one update")
wrong_option("q_schedule_per_batch", "q_schedule_per_batch_d", "d", "counts epochs from 1: the first epoch is epoch 0, so α₀ lasts "
             "epochs 0 to 9")
wrong_option("q_batch_mean", "q_batch_mean_b", "b", "divides once too often: each batch gradient is already a mean over its "
             "batch, and the mean of the batch means is the mean over all examples")
wrong_option("q_batch_mean", "q_batch_mean_c", "c", "thinks the noise cancels only over many epochs: within one epoch every "
             "example is used once, so the equal-size batches' mean is exact")
wrong_option("q_batch_mean", "q_batch_mean_d", "d", "adds the batch gradients up instead of averaging them")
wrong_option("q_constant_alpha", "q_constant_alpha_b", "b", "blames rounding: the jitter is far larger than rounding, and it comes from "
             "the single example's gradient, which is not 0 at the minimum")
wrong_option("q_constant_alpha", "q_constant_alpha_c", "c", "blames the shuffling: in any order, each example's own gradient is not 0 "
             "at the minimum of the whole MSE, so a constant α keeps θ moving")
wrong_option("q_constant_alpha", "q_constant_alpha_d", "d", "has the effect of α the wrong way round: a smaller α makes the jitter "
             "smaller, which is what a decaying schedule uses")
