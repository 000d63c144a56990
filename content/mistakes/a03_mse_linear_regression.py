"""03_mse_linear_regression: the MSE of a line, the chain rule, fit, the Huber cost; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered

from content.mistakes.shared import fit_one_at_a_time, targets, with_changes


# --- 03_mse_linear_regression (names start with mse_) ------------------------------

@mistake("mse_h_params_swapped", "uses θ₀ as the slope and θ₁ as the intercept: h(x) = θ₀ + θ₁·x, θ₀ is the intercept")
def _mse_h_params_swapped(ref, ns, a):
    return ref(**with_changes(a, theta0=a["theta1"], theta1=a["theta0"]))


@mistake("mse_divides_by_m_minus_one", "divides the sum of squared errors by m − 1 (as for a sample variance): the mean squared error divides by m")
def _mse_divides_by_m_minus_one(ref, ns, a):
    m = len(targets(a))
    return np.float64(ref(**a)) * np.float64(m) / np.float64(m - 1)


@mistake("mse_chain_returns_squared_error", "returns the squared error (ŷ − y)² itself, not its derivative with respect to ŷ")
def _mse_chain_returns_squared_error(ref, ns, a):
    return (np.asarray(a["y_hat"], dtype=float) - np.asarray(a["y"], dtype=float)) ** 2


@mistake("mse_sequential_fit_theta1_first", "updates θ₁ first and then uses the new θ₁ to update θ₀: both must come from the old values (simultaneous update)")
def _mse_sequential_fit_theta1_first(ref, ns, a):
    return fit_one_at_a_time(ns, a, first=1)


@mistake("mse_costs_missing_last", "the cost history stops one update early: costs[k] is the cost after k updates, up to k = n_iters")
def _mse_costs_missing_last(ref, ns, a):
    *params, costs = ref(**a)
    return (*params, costs[:-1])


@mistake("mse_fit_half_gradient", "steps along the gradient of the half MSE (half of the MSE's gradient): fit descends J = (1/m)·Σ(h − y)², whose gradient has the factor 2")
def _mse_fit_half_gradient(ref, ns, a):
    return ref(**with_changes(a, alpha=a["alpha"] / 2.0))


@mistake("mse_fit_start_ignored", "ignores the starting values theta0 and theta1: the descent must start where the caller says")
def _mse_fit_start_ignored(ref, ns, a):
    return ref(**with_changes(a, theta0=0.0, theta1=0.0))



def _mse_dyhat_missing_x(ref, ns, a):
    d0, _ = ref(**a)
    return (d0, d0)



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
