"""04_vectorized_gradient: the vectorized gradient, descent, scaling, the closed form, ridge; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import CATALOG, mistake, wrong_option  # noqa: F401 - how a mistake is registered

from content.mistakes.shared import scaled, targets, with_changes


# --- 04 vectorized gradient (appended) ------------------------------------------------

@mistake("vectorized_mse_y_column", "with y of shape (m, 1), Xθ − y broadcasts to an (m, m) matrix and the mean runs over m² numbers: flatten y first")
def _vectorized_mse_y_column(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    errors = X @ np.asarray(a["theta"], dtype=float) - np.asarray(a["y"], dtype=float)
    return float(np.mean(errors ** 2))


@mistake("vectorized_theta_ignored", "ignores the starting θ it is given and always starts from zeros")
def _vectorized_theta_ignored(ref, ns, a):
    return ref(**with_changes(a, theta=None))


@mistake("vectorized_sequential_update", "updates θ one component at a time, each from an already-updated θ: compute the whole gradient from the old θ first (simultaneous update)")
def _vectorized_sequential_update(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    y = targets(a)
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


# --- issue 30: what students write beyond the curriculum's list, each named by what it does -------------------

def _as_theta_shape(values, a):
    return np.asarray(values, dtype=float).reshape(np.shape(a["theta"]))


def _errors(a):
    X = np.asarray(a["X"], dtype=float)
    return X @ np.asarray(a["theta"], dtype=float).reshape(-1) - targets(a)


@mistake("bias_1d_as_row", "turns a 1-D X into a row, one example with m features (np.atleast_2d puts the new axis in "
         "front): a 1-D X is one feature measured on m examples, a column of shape (m, 1)")
def _bias_1d_as_row(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    return ref(**with_changes(a, X=X.reshape(1, -1))) if X.ndim == 1 else ref(**a)


@mistake("mean_over_features", "averages over the wrong axis: X·error averaged along each row (axis=1) is one number "
         "per example; the gradient averages down each column, over the examples (Xᵀ·error / m), one number per "
         "parameter")
def _mean_over_features(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    return 2 * np.mean(X * _errors(a)[:, None], axis=1)


@mistake("mean_over_parameters", "divides by the number of columns of X (the parameters) where the mean divides by "
         "the number of rows (the examples, m)")
def _mean_over_parameters(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    return scaled(ref(**a), X.shape[0] / X.shape[1])


@mistake("root_of_mse", "takes the square root of the mean squared error (that is the RMSE): the MSE is the mean of "
         "the squared errors, with no root")
def _root_of_mse(ref, ns, a):
    return float(np.sqrt(ref(**a)))


@mistake("loop_skips_first_example", "leaves out example 0: the sum runs over i = 1, …, m on paper, but Python counts "
         "the rows of X from 0, so the loop must visit range(m)")
def _loop_skips_first_example(ref, ns, a):
    m = len(targets(a))
    rest = ref(**with_changes(a, X=np.asarray(a["X"], dtype=float)[1:], y=np.asarray(a["y"], dtype=float)[1:]))
    return scaled(rest, (m - 1) / m)


@mistake("loop_first_feature_everywhere", "uses column 1 of X (Notebook 3's x) in the component of every weight: "
         "the inner derivative of component j comes from the term of θⱼ, so each weight has a column of its own")
def _loop_first_feature_everywhere(ref, ns, a):
    grad = np.asarray(ref(**a), dtype=float).reshape(-1).copy()
    grad[1:] = grad[1] if grad.size > 1 else grad[1:]
    return _as_theta_shape(grad, a)


@mistake("loop_sum_not_reset", "carries the running sum over from one component to the next (component j holds the "
         "sums of components 0 to j): start each component's sum at 0 inside the loop over j")
def _loop_sum_not_reset(ref, ns, a):
    return _as_theta_shape(np.cumsum(np.asarray(ref(**a), dtype=float).reshape(-1)), a)


@mistake("keeps_the_square", "multiplies the columns of X by the squared errors: the outer derivative of eᵢ² (Step 2) "
         "replaces the square, it does not keep it")
def _keeps_the_square(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    return _as_theta_shape(2.0 / X.shape[0] * X.T @ _errors(a) ** 2, a)


@mistake("theta_row_times_X", "computes the predictions as θ times X (θᵀX) instead of X times θ: each prediction is a "
         "row of X times θ, so all of them together are Xθ")
def _theta_row_times_X(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    theta = np.asarray(a["theta"], dtype=float).reshape(-1)
    return _as_theta_shape(2.0 / X.shape[0] * X.T @ (theta @ X - targets(a)), a)


@mistake("batch_step_sums", "steps by the sum over the examples where the MSE's gradient takes their mean: every step "
         "is m times too long")
def _batch_step_sums(ref, ns, a):
    return ref(**with_changes(a, alpha=a["alpha"] * len(targets(a))))


@mistake("batch_half_gradient_step", "steps along half the MSE's gradient (the half MSE's, as in Notebook 3): "
         "batch_gradient_descent descends the MSE itself, so every step is half as long as it should be")
def _batch_half_gradient_step(ref, ns, a):
    return ref(**with_changes(a, alpha=a["alpha"] / 2.0))


@mistake("batch_costs_half_mse", "records half the MSE as the cost (the half MSE of Notebook 3): θ is right, but "
         "costs[k] is the MSE itself after k updates")
def _batch_costs_half_mse(ref, ns, a):
    theta, costs = ref(**a)
    return theta, np.asarray(costs, dtype=float) / 2.0


@mistake("batch_cost_before_each_update", "records the cost before each update but not after the last one: n_iters "
         "updates give n_iters + 1 costs, from the start to after the final update")
def _batch_cost_before_each_update(ref, ns, a):
    theta, costs = ref(**a)
    return theta, np.asarray(costs)[:-1]


@mistake("batch_pair_swapped", "returns (costs, theta): the pair is (theta, costs), θ first")
def _batch_pair_swapped(ref, ns, a):
    theta, costs = ref(**a)
    return costs, theta


@mistake("normal_lstsq_tuple", "returns everything np.linalg.lstsq returns, a tuple of four: θ is its first item")
def _normal_lstsq_tuple(ref, ns, a):
    return np.linalg.lstsq(np.asarray(a["X"], dtype=float), targets(a), rcond=None)


def _with_constant_columns_as(X, spread, replace_with):
    spread = np.asarray(spread, dtype=float).copy()
    spread[np.ptp(X, axis=0) == 0] = replace_with
    return spread


@mistake("standardize_variance", "divides by the variance instead of the standard deviation, its square root: a column "
         "then has standard deviation 1/σ, not 1")
def _standardize_variance(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    mean, var = X.mean(axis=0), _with_constant_columns_as(X, X.var(axis=0), 1.0)
    return (X - mean) / var, mean, var


@mistake("standardize_per_row", "computes a mean and a standard deviation for every row (axis=1), one per example: a "
         "feature is a column, so standardize column by column (axis=0)")
def _standardize_per_row(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return (X - mean) / std, mean.ravel(), std.ravel()


@mistake("standardize_zero_std_returned", "divides a constant column by 1 but returns its standard deviation as 0: "
         "return the 1 it was divided by, so that new data is scaled the same way")
def _standardize_zero_std_returned(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    scaled_X, mean, std = ref(**a)
    return scaled_X, mean, _with_constant_columns_as(X, std, 0.0)


@mistake("standardize_min_max", "rescales each column to [0, 1] by its minimum and its range (min-max scaling): "
         "standardizing centres each column on its mean and divides by its standard deviation")
def _standardize_min_max(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    low = X.min(axis=0)
    spread = _with_constant_columns_as(X, X.max(axis=0) - low, 1.0)
    return (X - low) / spread, low, spread


@mistake("standardize_mean_std_swapped", "returns the standard deviations where the means belong and the means where "
         "the standard deviations belong: the triple is (X_scaled, mean, std)")
def _standardize_mean_std_swapped(ref, ns, a):
    scaled_X, mean, std = ref(**a)
    return scaled_X, std, mean

# --- derivation exercise of 04: ridge_gradient (names start with ridge_) -------------------

def _ridge_parts(ref, a):
    """(the data term's gradient, the penalty's gradient), both of θ's shape, from the instructor's function."""
    data_term = np.asarray(ref(**with_changes(a, lam=0.0)), dtype=float)
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
    return data_term + penalty / len(targets(a))


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


@mistake("ridge_penalty_not_differentiated", "adds the penalty's terms λθⱼ² themselves, not their derivatives: "
         "differentiate each term of the penalty with respect to its θⱼ")
def _ridge_penalty_not_differentiated(ref, ns, a):
    data_term, _ = _ridge_parts(ref, a)
    weights = np.asarray(a["theta"], dtype=float).copy()
    weights.reshape(-1)[0] = 0.0
    return data_term + a["lam"] * weights ** 2


@mistake("ridge_intercept_component_zeroed", "sets θ₀'s whole component to 0: the penalty leaves θ₀ out, but the MSE's "
         "part of θ₀'s component stays")
def _ridge_intercept_component_zeroed(ref, ns, a):
    grad = np.asarray(ref(**a), dtype=float).copy()
    grad.reshape(-1)[0] = 0.0
    return grad


@mistake("ridge_penalty_summed", "adds one number, the penalty's derivatives summed over all the weights, to every "
         "component: component k gets the derivative of its own term θₖ² only, and θ₀'s gets none")
def _ridge_penalty_summed(ref, ns, a):
    data_term, penalty = _ridge_parts(ref, a)
    return data_term + np.sum(penalty)


@mistake("ridge_intercept_taken_as_last", "leaves the last weight unpenalised and penalises θ₀: the bias column is "
         "column 0 of X, so the intercept is θ₀, the first component")
def _ridge_intercept_taken_as_last(ref, ns, a):
    data_term, _ = _ridge_parts(ref, a)
    weights = np.asarray(a["theta"], dtype=float).copy()
    weights.reshape(-1)[-1] = 0.0
    return data_term + 2.0 * a["lam"] * weights


# concept questions of 04 (names start with q_), each wrong option with the misconception behind it
wrong_option("q_error_shape", "q_error_shape_a", "a", "expects a 1-D result from a product with a column: a matrix times a "
             "2-D column is 2-D, and it keeps the column's second axis")
wrong_option("q_error_shape", "q_error_shape_b", "b", "expects the (m, m) broadcast whenever y is a column: that trap needs a "
             "1-D array on one side of the subtraction; look at the shape of X @ theta when θ is a column")
wrong_option("q_error_shape", "q_error_shape_c", "c", "takes θ's shape for the predictions' shape: X @ theta has one entry per "
             "example, one per row of X")
wrong_option("q_no_bias", "q_no_bias_a", "a", "expects an intercept to be learned with no parameter for it: without the column of "
             "ones nothing in Xθ adds a constant")
wrong_option("q_no_bias", "q_no_bias_b", "b", "mixes up a missing bias column with linearly dependent columns: one column of "
             "non-zero values still gives an invertible XᵀX and one minimum")
wrong_option("q_no_bias", "q_no_bias_d", "d", "mixes up which parameter is lost: the one column left multiplies x, so the one "
             "parameter left is a slope")
wrong_option("q_curvature_ratio", "q_curvature_ratio_50", 50, "compares the spreads (or the contours' axes) instead of the curvatures: a "
             "feature enters H through the mean of its square")
wrong_option("q_curvature_ratio", "q_curvature_ratio_0_0004", 0.0004, "divides the smallest eigenvalue by the largest: the ratio asked "
             "for is the largest over the smallest, a number of at least 1")
wrong_option("q_closed_form_cost", "q_closed_form_cost_b", "b", "lets forming XᵀX grow like the size of X, m·(n + 1): it multiplies every "
             "pair of columns, so it grows with the square of their number")
wrong_option("q_closed_form_cost", "q_closed_form_cost_c", "c", "counts only the solve, (n + 1)³, and leaves out forming XᵀX, which costs "
             "far more when m is much larger than n")
wrong_option("q_closed_form_cost", "q_closed_form_cost_d", "d", "charges a step of gradient descent for a product with XᵀX: a step needs "
             "only Xθ and one more product with the m errors, each about m·(n + 1) operations")
wrong_option("q_ridge_duplicate", "q_ridge_duplicate_a", "a", "takes ridge for a method that drops features: a penalty on squares shrinks "
             "weights smoothly and pushes none to exactly 0")
wrong_option("q_ridge_duplicate", "q_ridge_duplicate_c", "c", "forgets the penalty: without it every split of the weight with the same "
             "sum fits equally well, but λ(θ₁² + θ₂²) is not the same for all of those splits")
wrong_option("q_ridge_duplicate", "q_ridge_duplicate_d", "d", "fits each weight as if its feature were alone: the predictions depend on "
             "the sum of the two weights, and giving each copy the whole weight doubles the feature's effect")
