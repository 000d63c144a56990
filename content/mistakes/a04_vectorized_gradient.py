"""04_vectorized_gradient: the vectorized gradient, descent, scaling, the closed form, ridge; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered

from content.mistakes.shared import targets, with_changes


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


@mistake("mse_dyhat_missing_x", "returns 1 for ∂ŷ/∂θ₁, missing the factor x: how far ŷ moves when θ₁ grows by 1 depends on the input")

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
