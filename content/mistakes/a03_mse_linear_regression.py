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


@mistake("mse_dyhat_x_missing", "returns 1 for ∂ŷ/∂θ₁, missing the factor x: how far ŷ moves when θ₁ grows by 1 "
         "depends on the input")
def _mse_dyhat_x_missing(ref, ns, a):
    d0, _ = ref(**a)
    return (d0, d0)


# --- mistakes a teacher sees beyond the curriculum's list (issue 30) ----------------------------

@mistake("mse_h_no_intercept", "leaves out the intercept θ₀: the line is θ₀ + θ₁·x, a slope times x plus where it "
         "crosses x = 0")
def _mse_h_no_intercept(ref, ns, a):
    return ref(**with_changes(a, theta0=0.0))


@mistake("mse_partials_no_intercept", "computes the errors without the intercept θ₀ (as if θ₀ were 0): the prediction "
         "inside each error is the whole line, θ₀ + θ₁·x")
def _mse_partials_no_intercept(ref, ns, a):
    return ref(**with_changes(a, theta0=0.0))


@mistake("mse_h_times_x", "multiplies the intercept by x as well, (θ₀ + θ₁)·x: θ₀ is added to the line on its own, "
         "only the slope θ₁ multiplies x")
def _mse_h_times_x(ref, ns, a):
    return (a["theta0"] + a["theta1"]) * a["x"]


@mistake("mse_root", "takes the square root of the mean squared error (that is the RMSE, in the units of y): the "
         "MSE is the mean of the squared errors, with no root")
def _mse_root(ref, ns, a):
    return float(np.sqrt(ref(**a)))


@mistake("mse_x_y_swapped", "swaps the roles of x and y: the line predicts from the inputs x, and its predictions "
         "are compared with the targets y")
def _mse_x_y_swapped(ref, ns, a):
    return ref(**with_changes(a, x=a["y"], y=a["x"]))


@mistake("mse_square_of_sum", "squares the sum of the errors (then divides by m) instead of averaging the squared "
         "errors: square each error first, then take the mean")
def _mse_square_of_sum(ref, ns, a):
    errors = a["theta0"] + a["theta1"] * np.asarray(a["x"], dtype=float) - targets(a)
    return float(np.sum(errors) ** 2 / errors.size)


@mistake("mse_dC_brackets", "multiplies only ŷ by the power rule's factor, not the whole inside ŷ − y "
         "(brackets missing?)")
def _mse_dC_brackets(ref, ns, a):
    y_hat, y = np.asarray(a["y_hat"], dtype=float), np.asarray(a["y"], dtype=float)
    half = np.asarray(ref(**with_changes(a, y=np.zeros_like(y))), dtype=float)  # the outer factor at y = 0
    out = half - y
    return float(out) if out.ndim == 0 else out


@mistake("mse_dC_absolute", "takes the size of the error, |ŷ − y|: the slope of C is negative where the prediction "
         "is too low (ŷ < y), so the error keeps its sign")
def _mse_dC_absolute(ref, ns, a):
    out = np.abs(np.asarray(ref(**a), dtype=float))
    return float(out) if out.ndim == 0 else out


@mistake("mse_dyhat_intercept_zero", "gives 0 for ∂ŷ/∂θ₀, as for a constant: θ₀ is one of the variables here (the "
         "data are the constants); ask how far ŷ moves when θ₀ grows by 1")
def _mse_dyhat_intercept_zero(ref, ns, a):
    _, d1 = ref(**a)
    return (0.0, d1)


def _outer_factors(ref, a) -> np.ndarray:
    """Each example's outer factor: the instructor's partials on a training set of that example alone (the inner
    factor of θ₀ is 1)."""
    x, y = np.asarray(a["x"], dtype=float), np.asarray(a["y"], dtype=float)
    return np.array([ref(**with_changes(a, x=x[i:i + 1], y=y[i:i + 1]))[0] for i in range(x.size)])


@mistake("mse_x_in_both", "multiplies the errors by x⁽ⁱ⁾ in ∂/∂θ₀ too: θ₀ is not multiplied by the input in h, so its "
         "inner factor does not depend on x")
def _mse_x_in_both(ref, ns, a):
    _, d1 = ref(**a)
    return (d1, d1)


@mistake("mse_mean_times_mean", "multiplies the mean of the outer factors by the mean of x in ∂/∂θ₁: average the "
         "products, one per example (the mean of a product is not the product of the means)")
def _mse_mean_times_mean(ref, ns, a):
    d0, _ = ref(**a)
    return (d0, d0 * float(np.mean(np.asarray(a["x"], dtype=float))))


@mistake("mse_times_y", "multiplies by the targets y⁽ⁱ⁾ in ∂/∂θ₁: the inner factor comes from h, where θ₁ multiplies "
         "the input x, not the target")
def _mse_times_y(ref, ns, a):
    d0, _ = ref(**a)
    return (d0, float(np.mean(_outer_factors(ref, a) * np.asarray(a["y"], dtype=float))))


@mistake("mse_half_one_component", "has the ½ in ∂J½/∂θ₀ only: the ½ multiplies the whole cost, so it reaches both "
         "partial derivatives")
def _mse_half_one_component(ref, ns, a):
    d0, d1 = ref(**a)
    return (d0, 2.0 * d1)


@mistake("mse_fit_stale_costs", "records each cost from the errors computed before the update: costs[k] is the "
         "cost after k updates, at the new θ (here costs[1] repeats costs[0])")
def _mse_fit_stale_costs(ref, ns, a):
    theta0, theta1, costs = ref(**a)
    return (theta0, theta1, np.concatenate([costs[:1], costs[:-1]]))


@mistake("mse_fit_sum_gradient", "steps along the gradient of the sum of squared errors, without the 1/m: fit "
         "descends the mean, so every step here is m times too long")
def _mse_fit_sum_gradient(ref, ns, a):
    return ref(**with_changes(a, alpha=a["alpha"] * len(targets(a))))


@mistake("mse_fit_theta1_with_d0", "updates θ₁ with ∂J/∂θ₀ (a line copied and not changed?): each parameter steps "
         "along its own partial derivative")
def _mse_fit_theta1_with_d0(ref, ns, a):
    theta0, theta1, x, y = float(a["theta0"]), float(a["theta1"]), a["x"], a["y"]
    costs = [ns["mse"](theta0, theta1, x, y)]
    for _ in range(a["n_iters"]):
        d0, _ = ns["mse_partials"](theta0, theta1, x, y)
        theta0, theta1 = theta0 - a["alpha"] * d0, theta1 - a["alpha"] * d0
        costs.append(ns["mse"](theta0, theta1, x, y))
    return (theta0, theta1, np.array(costs))


@mistake("mse_fit_costs_half", "records the half MSE in costs: costs[k] is the MSE J itself after k updates")
def _mse_fit_costs_half(ref, ns, a):
    theta0, theta1, costs = ref(**a)
    return (theta0, theta1, np.asarray(costs) / 2.0)



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


@mistake("huber_keeps_mse_two", "keeps the MSE's factor 2: the quadratic branch of the Huber loss is e²/2, so the "
         "power rule's 2 cancels there")
def _huber_keeps_mse_two(ref, ns, a):
    d0, d1 = ref(**a)
    return (2.0 * d0, 2.0 * d1)


@mistake("huber_linear_loss_not_slope", "uses the loss δ·(|e| − δ/2) itself for errors beyond δ, not its slope: "
         "differentiate the linear branch as you did the quadratic one")
def _huber_linear_loss_not_slope(ref, ns, a):
    e, x = _huber_errors(a)
    delta = a["delta"]
    return _huber_pulls(np.where(np.abs(e) <= delta, e, delta * (np.abs(e) - delta / 2)), x)


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
wrong_option("q_half", "q_half_a", "a", "thinks the learning rates that work depend on where the lowest point is: "
             "they depend on how steep the bowl is, and a constant factor in the cost changes its steepness")
wrong_option("q_half", "q_half_b", "b", "moves the ½ onto α the wrong way round: a step is α times the gradient of the "
             "cost being descended, so first ask what the ½ does to that gradient, then what α must do to overshoot")
wrong_option("q_half", "q_half_d", "d", "thinks a flatter bowl cannot make descent diverge: every bowl of this shape has "
             "a largest stable α, set by its steepest direction; a constant factor moves that limit, it does not "
             "remove it")
wrong_option("q_outlier", "q_outlier_a", "a", "lets the Huber pull keep growing with the error: beyond δ the Huber loss grows "
             "linearly, so its slope there is a constant")
wrong_option("q_outlier", "q_outlier_b", "b", "compares how fast the losses grow, not their slopes: the pull is the derivative "
             "of the loss, one power lower")
wrong_option("q_outlier", "q_outlier_c", "c", "thinks the squared error's pull stays put as the error grows: the derivative of a "
             "square grows in proportion to what is squared")
wrong_option("q_scale", "q_scale_a", "a", "thinks the unit of x does not reach the shape of the cost: ∂J/∂θ₁ carries a factor "
             "x, so the bowl's steepness along θ₁ grows with the square of x")
wrong_option("q_scale", "q_scale_c", "c", "thinks larger gradients always mean faster progress: α must stay below a limit set "
             "by the steepest direction of the bowl, and that direction got steeper")
wrong_option("q_scale", "q_scale_d", "d", "assumes the same α copes with any unit of x: the bowl's steepness along θ₁ grows "
             "with the square of x")
