"""Mistakes that several notebooks share: derivatives, update rules, histories, tables, numerical gradients, the MSE."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered


def with_changes(a: dict, **changes) -> dict:
    out = dict(a)
    out.update(changes)
    return out


def scaled(value, factor):
    """Multiply every number in a scalar, array or tuple by ``factor``."""
    if isinstance(value, (tuple, list)):
        return type(value)(scaled(v, factor) for v in value)
    return np.asarray(value, dtype=float) * factor if isinstance(value, np.ndarray) else value * factor


def predictions(ns: dict, a: dict):
    if "theta0" in a:
        return ns["h"](a["theta0"], a["theta1"], np.asarray(a["x"], dtype=float))
    return np.asarray(a["X"], dtype=float) @ np.asarray(a["theta"], dtype=float).reshape(-1)


def targets(a: dict):
    return np.asarray(a["y"], dtype=float).reshape(-1)


# --- derivatives -----------------------------------------------------------

@mistake("returns_cost", "returns the cost J(θ) itself, not its derivative")
def _returns_cost(ref, ns, a):
    return ns["J"](*a.values())


@mistake("missing_two", "is missing the factor 2 that the power rule brings down (off by a constant factor of 1/2)")
def _missing_two(ref, ns, a):
    return scaled(ref(**a), 0.5)


@mistake("wrong_sign", "has the wrong sign")
def _wrong_sign(ref, ns, a):
    return scaled(ref(**a), -1.0)


@mistake("error_flipped", "has the sign of the error flipped: the error is h(x) − y, not y − h(x)")
def _error_flipped(ref, ns, a):
    return scaled(ref(**a), -1.0)


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
    return scaled(ref(**a), float(len(targets(a))))


# --- the update rule -------------------------------------------------------

@mistake("ascent", "the update moved uphill: it adds α·gradient instead of subtracting it")
def _ascent(ref, ns, a):
    return ref(**with_changes(a, alpha=-a["alpha"]))


@mistake("alpha_ignored", "ignores the learning rate α (it steps by the whole gradient)")
def _alpha_ignored(ref, ns, a):
    return ref(**with_changes(a, alpha=1.0))


@mistake("grad_ignored", "ignores its `grad` argument and uses the notebook's own derivative instead")
def _grad_ignored(ref, ns, a):
    own = ns["dJ"] if "dJ" in ns else ns["grad_J"]
    return ref(**with_changes(a, grad=own))


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


def fit_one_at_a_time(ns, a, first: int):
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
    return fit_one_at_a_time(ns, a, first=0)


# --- histories ---------------------------------------------------------------

@mistake("final_only", "returns only the final θ instead of the whole history")
def _final_only(ref, ns, a):
    return ref(**a)[-1]


@mistake("missing_start", "the history is missing θ₀: row 0 must be the starting point")
def _missing_start(ref, ns, a):
    return ref(**a)[1:]


@mistake("one_too_few", "the history has one update too few (n_iters updates give n_iters + 1 entries)")
def _one_too_few(ref, ns, a):
    return ref(**with_changes(a, n_iters=a["n_iters"] - 1))


@mistake("one_too_many", "the history has one update too many (n_iters updates give n_iters + 1 entries)")
def _one_too_many(ref, ns, a):
    return ref(**with_changes(a, n_iters=a["n_iters"] + 1))


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
    return scaled(ref(**a), 2.0)


# --- mean squared error ----------------------------------------------------------

@mistake("half_in_mse", "has a ½ that belongs only in the half-MSE: the MSE is (1/m)·Σ(h − y)²")
def _half_in_mse(ref, ns, a):
    return scaled(ref(**a), 0.5)


@mistake("half_missing", "is the gradient of the full MSE: the ½ in (1/2m)·Σ(h − y)² cancels the 2")
def _half_missing(ref, ns, a):
    return scaled(ref(**a), 2.0)


@mistake("absolute_error", "averages the absolute error |h − y|, not the squared error")
def _absolute_error(ref, ns, a):
    return float(np.mean(np.abs(predictions(ns, a) - targets(a))))


@mistake("square_of_mean", "squares the mean error instead of averaging the squared errors")
def _square_of_mean(ref, ns, a):
    return float(np.mean(predictions(ns, a) - targets(a)) ** 2)


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
    residual = X @ np.asarray(a["theta"], dtype=float).reshape(-1) - targets(a)
    return 2.0 / X.shape[0] * X @ residual


@mistake("bias_at_end", "puts the column of ones last; it must be the first column")
def _bias_at_end(ref, ns, a):
    return np.roll(ref(**a), -1, axis=1)


@mistake("bias_missing_1d", "a 1-D X is one feature: reshape it to (m, 1) and then add the column of ones")
def _bias_missing_1d(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    return X.reshape(-1, 1) if X.ndim == 1 else X
