"""Wrong submissions for 04_vectorized_gradient: each must lose exactly its exercise."""

from content.mutants import Mutant

ASSIGNMENT = "04_vectorized_gradient"

MUTANTS = [
    # --- curriculum: vectorized (bias column) ----------------------------------------------
    Mutant("add_bias-ones-last", cell="add_bias", fails="test_add_bias", says="column of ones last", source='''
def add_bias(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X.reshape(-1, 1)
    return np.hstack([X, np.ones((X.shape[0], 1))])
'''),
    # --- curriculum: MSE ---------------------------------------------------------------------
    Mutant("mse-sum-not-mean", cell="mse", fails="test_mse", says="instead of averaging", source='''
def mse(theta, X, y):
    errors = X @ theta - np.ravel(y)
    return np.sum(errors ** 2)
'''),
    Mutant("add_bias-1d-left-without-ones", cell="add_bias", fails="test_add_bias", says="a 1-D X is one feature",
           source='''
def add_bias(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        return X.reshape(-1, 1)  # one feature: make it a column
    return np.hstack([np.ones((X.shape[0], 1)), X])
'''),
    Mutant("mse-half-in-the-wrong-function", cell="mse", fails="test_mse", says="half-MSE", source='''
def mse(theta, X, y):
    errors = X @ theta - np.ravel(y)
    return np.sum(errors ** 2) / (2 * len(errors))
'''),
    Mutant("mse-absolute-error", cell="mse", fails="test_mse", says="absolute error", source='''
def mse(theta, X, y):
    return np.mean(np.abs(X @ theta - np.ravel(y)))
'''),
    Mutant("mse-square-of-mean", cell="mse", fails="test_mse", says="squares the mean error", source='''
def mse(theta, X, y):
    return np.mean(X @ theta - np.ravel(y)) ** 2
'''),
    Mutant("mse-y-column-broadcast", cell="mse", fails="test_mse", says="(m, m) matrix", source='''
def mse(theta, X, y):
    return np.mean((X @ theta - y) ** 2)
'''),
    # --- curriculum: vectorized gradient --------------------------------------------------------
    Mutant("mse_gradient-y-column-broadcast", cell="mse_gradient", fails="test_mse_gradient", says="(m, m) matrix",
           source='''
def mse_gradient(theta, X, y):
    m = X.shape[0]
    return 2 / m * X.T @ (X @ theta - y)
'''),
    Mutant("mse_gradient-y-column-errors-first", cell="mse_gradient", fails="test_mse_gradient",
           says="(m, m) matrix", source='''
def mse_gradient(theta, X, y):
    errors = X @ theta - y
    return 2 * (errors.T @ X) / len(X)
'''),
    Mutant("mse_gradient-y-column-averaged-away", cell="mse_gradient", fails="test_mse_gradient",
           says="(m, m) matrix", source='''
def mse_gradient(theta, X, y):
    m = X.shape[0]
    g = 2 / m * X.T @ (X @ theta - y)
    return g.mean(axis=1) if g.ndim == 2 else g   # make it θ's shape
'''),
    Mutant("mse_gradient-y-column-einsum", cell="mse_gradient", fails="test_mse_gradient",
           says="(m, m) matrix", source='''
def mse_gradient(theta, X, y):
    residual = np.dot(X, theta) - y
    return np.einsum("ij,i...->j...", X, residual) * 2 / X.shape[0]
'''),
    Mutant("mse_gradient-column-result", cell="mse_gradient", fails="test_mse_gradient", says="column vector", source='''
def mse_gradient(theta, X, y):
    m = X.shape[0]
    theta = theta.reshape(-1, 1)
    y = np.reshape(y, (-1, 1))
    return 2 / m * X.T @ (X @ theta - y)
'''),
    Mutant("mse_gradient-missing-transpose", cell="mse_gradient", fails="test_mse_gradient", says="instead of Xᵀ",
           source='''
def mse_gradient(theta, X, y):
    m = X.shape[0]
    errors = X @ theta - np.ravel(y)
    return 2 / m * X @ errors
'''),
    Mutant("mse_gradient-wrong-sign", cell="mse_gradient", fails="test_mse_gradient", says="wrong sign", source='''
def mse_gradient(theta, X, y):
    m = X.shape[0]
    return 2 / m * X.T @ (np.ravel(y) - X @ theta)
'''),
    # --- curriculum: partial derivatives, in the loop version -------------------------------------
    Mutant("mse_gradient_loop-missing-two", cell="mse_gradient_loop", fails="test_mse_gradient_loop",
           says="factor 2", source='''
def mse_gradient_loop(theta, X, y):
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    for j in range(p):
        for i in range(m):
            error = X[i] @ theta - y[i]
            grad[j] += error * X[i, j] / m
    return grad
'''),
    Mutant("mse_gradient_loop-sum-not-mean", cell="mse_gradient_loop", fails="test_mse_gradient_loop",
           says="1/m is missing", source='''
def mse_gradient_loop(theta, X, y):
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    for j in range(p):
        for i in range(m):
            error = X[i] @ theta - y[i]
            grad[j] += 2 * error * X[i, j]
    return grad
'''),
    Mutant("mse_gradient_loop-indices-swapped", cell="mse_gradient_loop", fails="test_mse_gradient_loop",
           says="instead of Xᵀ", source='''
def mse_gradient_loop(theta, X, y):
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    for j in range(p):
        total = 0.0
        for i in range(m):
            error = X[i] @ theta - y[i]
            total += error * X[j, i]
        grad[j] = 2 / m * total
    return grad
'''),
    # --- curriculum: update rule and history ------------------------------------------------------------
    Mutant("batch-modifies-callers-theta", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="in place", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    if theta is None:
        theta = np.zeros(p)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta -= alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-costs-one-too-few", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="one entry too few", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = []
    for _ in range(n_iters):
        theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-ascent", cell="batch_gradient_descent", fails="test_batch_gradient_descent", says="uphill",
           source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta + alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-alpha-ignored", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="learning rate", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        gradient = 2 / m * X.T @ (X @ theta - y)
        theta = theta - gradient
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: standardize ------------------------------------------------------------------------
    Mutant("standardize-divides-by-zero", cell="standardize", fails="test_standardize", says="constant column",
           source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    return (X - mean) / std, mean, std
'''),
    # --- extra realistic wrong answers ---------------------------------------------------------------------
    Mutant("mse_gradient-mean-over-wrong-axis", cell="mse_gradient", fails="test_mse_gradient",
           says="averages over the wrong axis", source='''
def mse_gradient(theta, X, y):
    errors = X @ theta - np.ravel(y)
    return 2 * np.mean(X * errors[:, None], axis=1)
'''),
    Mutant("mse_gradient-python-loop", cell="mse_gradient", fails="test_mse_gradient", says="no Python loop",
           source='''
def mse_gradient(theta, X, y):
    y = np.ravel(y)
    m = X.shape[0]
    return 2 / m * sum((X[i] @ theta - y[i]) * X[i] for i in range(m))
'''),
    Mutant("mse_gradient_loop-only-two-parameters", cell="mse_gradient_loop", fails="test_mse_gradient_loop",
           says="should have shape", source='''
def mse_gradient_loop(theta, X, y):
    # the two partial derivatives of assignment 03, with x = the second column
    y = np.ravel(y)
    m = X.shape[0]
    d0 = 0.0
    d1 = 0.0
    for i in range(m):
        error = theta[0] + theta[1] * X[i, 1] - y[i]
        d0 += 2 / m * error
        d1 += 2 / m * error * X[i, 1]
    return np.array([d0, d1])
'''),
    Mutant("add_bias-ones-last-for-2d-only", cell="add_bias", fails="test_add_bias", says="column of ones last",
           source='''
def add_bias(X):
    X = np.asarray(X, dtype=float)
    m = X.shape[0]
    if X.ndim == 1:
        return np.column_stack([np.ones(m), X])
    return np.hstack((X, np.ones((m, 1))))
'''),
    Mutant("batch-costs-as-list", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="NumPy array", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, costs
'''),
    Mutant("batch-start-ignored", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="starting θ", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-one-component-at-a-time", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="simultaneous", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        for j in range(p):
            theta[j] = theta[j] - alpha * 2 / m * np.sum((X @ theta - y) * X[:, j])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("standardize-whole-matrix", cell="standardize", fails="test_standardize", says="every column",
           source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = np.mean(X)
    std = np.std(X)
    if std == 0:
        std = 1.0
    return (X - mean) / std, mean, std
'''),
    Mutant("standardize-sample-std", cell="standardize", fails="test_standardize", says="ddof=1", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0, ddof=1)
    std[std == 0] = 1.0
    return (X - mean) / std, mean, std
'''),
    Mutant("normal_equation-column-theta", cell="normal_equation", fails="test_normal_equation",
           says="flatten y", source='''
def normal_equation(X, y):
    y = np.asarray(y, dtype=float)
    if y.ndim == 1:
        y = y.reshape(-1, 1)
    return np.linalg.solve(X.T @ X, X.T @ y)
'''),
    # --- derivation exercise: ridge_gradient ------------------------------------------------------------
    Mutant("ridge_gradient-intercept-penalised", cell="ridge_gradient", fails="test_ridge_gradient",
           says="penalises the intercept", source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) + 2 * lam * theta
'''),
    Mutant("ridge_gradient-penalty-missing-two", cell="ridge_gradient", fails="test_ridge_gradient",
           says="power rule", source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    penalty = lam * theta
    penalty[0] = 0.0
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) + penalty
'''),
    Mutant("ridge_gradient-penalty-over-m", cell="ridge_gradient", fails="test_ridge_gradient",
           says="divides the penalty", source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    weights = np.concatenate([[0.0], theta[1:]])
    return 2 / m * (X.T @ (X @ theta - np.ravel(y)) + lam * weights)
'''),
    Mutant("ridge_gradient-penalty-sign-flipped", cell="ridge_gradient", fails="test_ridge_gradient",
           says="subtracts the penalty", source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    weights = theta.copy()
    weights[0] = 0.0
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) - 2 * lam * weights
'''),
    Mutant("ridge_gradient-penalty-left-out", cell="ridge_gradient", fails="test_ridge_gradient",
           says="leaves the penalty out", source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    return 2 / m * X.T @ (X @ theta - np.ravel(y))
'''),
    # --- concept questions: one wrong option each -------------------------------------------------
    Mutant("q_error_shape-drops-the-column-axis", cell="q_error_shape", fails="test_q_error_shape",
           says="expects a 1-D result", source='q_error_shape = "a"'),
    Mutant("q_error_shape-broadcast-whenever-y-is-a-column", cell="q_error_shape", fails="test_q_error_shape",
           says="whenever y is a column", source='q_error_shape = "b"'),
    Mutant("q_error_shape-theta-s-shape", cell="q_error_shape", fails="test_q_error_shape",
           says="θ's shape for the predictions", source='q_error_shape = "c"'),
    Mutant("q_no_bias-intercept-learned-anyway", cell="q_no_bias", fails="test_q_no_bias",
           says="no parameter for it", source='q_no_bias = "a"'),
    Mutant("q_no_bias-not-invertible", cell="q_no_bias", fails="test_q_no_bias",
           says="linearly dependent columns", source='q_no_bias = "b"'),
    Mutant("q_no_bias-slope-lost", cell="q_no_bias", fails="test_q_no_bias",
           says="which parameter is lost", source='q_no_bias = "d"'),
    Mutant("q_curvature_ratio-spreads-not-curvatures", cell="q_curvature_ratio", fails="test_q_curvature_ratio",
           says="instead of the curvatures", source="q_curvature_ratio = 50"),
    Mutant("q_closed_form_cost-size-of-X", cell="q_closed_form_cost", fails="test_q_closed_form_cost",
           says="like the size of X", source='q_closed_form_cost = "b"'),
    Mutant("q_closed_form_cost-solve-only", cell="q_closed_form_cost", fails="test_q_closed_form_cost",
           says="leaves out forming", source='q_closed_form_cost = "c"'),
    Mutant("q_closed_form_cost-step-with-XtX", cell="q_closed_form_cost", fails="test_q_closed_form_cost",
           says="charges a step of gradient descent", source='q_closed_form_cost = "d"'),
    Mutant("q_ridge_duplicate-drops-a-copy", cell="q_ridge_duplicate", fails="test_q_ridge_duplicate",
           says="drops features", source='q_ridge_duplicate = "a"'),
    Mutant("q_ridge_duplicate-no-single-minimum", cell="q_ridge_duplicate", fails="test_q_ridge_duplicate",
           says="forgets the penalty", source='q_ridge_duplicate = "c"'),
    Mutant("q_ridge_duplicate-each-copy-alone", cell="q_ridge_duplicate", fails="test_q_ridge_duplicate",
           says="as if its feature were alone", source='q_ridge_duplicate = "d"'),
]

# --- a derivative measured instead of derived (issue 27): right numbers, no point -------------
MUTANTS += [
    Mutant("mse_gradient-complex-step", cell="mse_gradient", fails="test_mse_gradient", says="numerically",
           source='''
def mse_gradient(theta, X, y):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros(theta.size)
    for j in range(theta.size):
        step = np.zeros(theta.size, dtype=complex)
        step[j] = 1e-20j
        residuals = np.asarray(X) @ (theta.ravel() + step) - np.ravel(y)
        grad[j] = np.mean(residuals ** 2).imag / 1e-20
    return grad.reshape(theta.shape)
'''),
    Mutant("ridge_gradient-difference-of-cost", cell="ridge_gradient", fails="test_ridge_gradient",
           says="numerically", source='''
def ridge_gradient(theta, X, y, lam):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros(theta.size)
    for j in range(theta.size):
        e = np.zeros(theta.size)
        e[j] = 1e-6
        e = e.reshape(theta.shape)
        grad[j] = (ridge_cost(theta + e, X, y, lam) - ridge_cost(theta - e, X, y, lam)) / 2e-6
    return grad.reshape(theta.shape)
'''),
]

# --- issue 30: wrong answers a teacher sees, collected before any message was written for them ----------
MUTANTS += [
    Mutant("add_bias-1d-becomes-a-row", cell="add_bias", fails="test_add_bias", says="turns a 1-D X into a row", source='''
def add_bias(X):
    X = np.atleast_2d(np.asarray(X, dtype=float))  # make sure X is 2-D
    return np.hstack([np.ones((X.shape[0], 1)), X])
'''),
    Mutant("add_bias-ones-counted-by-columns", cell="add_bias", fails="test_add_bias", says="raises ValueError", source='''
def add_bias(X):
    X = np.asarray(X, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    ones = np.ones((X.shape[1], 1))
    return np.concatenate([ones, X], axis=1)
'''),
    Mutant("mse-divides-by-parameters", cell="mse", fails="test_mse", says="number of columns of X (the parameters)", source='''
def mse(theta, X, y):
    errors = X @ theta - np.ravel(y)
    m = X.shape[1]
    return np.sum(errors ** 2) / m
'''),
    Mutant("mse-root-mean-square", cell="mse", fails="test_mse", says="RMSE", source='''
def mse(theta, X, y):
    errors = X @ theta - np.ravel(y)
    return np.sqrt(np.mean(errors ** 2))
'''),
    Mutant("mse_gradient_loop-skips-first-example", cell="mse_gradient_loop", fails="test_mse_gradient_loop", says="leaves out example 0",
           source='''
def mse_gradient_loop(theta, X, y):
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    for j in range(p):
        total = 0.0
        for i in range(1, m):  # i = 1, ..., m as in the sum
            error = X[i] @ theta - y[i]
            total += error * X[i, j]
        grad[j] = 2 / m * total
    return grad
'''),
    Mutant("mse_gradient_loop-x-of-feature-1-everywhere", cell="mse_gradient_loop", fails="test_mse_gradient_loop",
           says="uses column 1 of X", source='''
def mse_gradient_loop(theta, X, y):
    # Notebook 3's two partial derivatives: 1 for the intercept, x for a weight
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    for j in range(p):
        total = 0.0
        for i in range(m):
            error = X[i] @ theta - y[i]
            total += error * (1.0 if j == 0 else X[i, 1])
        grad[j] = 2 / m * total
    return grad
'''),
    Mutant("mse_gradient_loop-keeps-the-square", cell="mse_gradient_loop", fails="test_mse_gradient_loop", says="by the squared errors",
           source='''
def mse_gradient_loop(theta, X, y):
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    for j in range(p):
        total = 0.0
        for i in range(m):
            error = X[i] @ theta - y[i]
            total += error ** 2 * X[i, j]
        grad[j] = 2 / m * total
    return grad
'''),
    Mutant("mse_gradient_loop-sum-not-reset", cell="mse_gradient_loop", fails="test_mse_gradient_loop", says="running sum",
           source='''
def mse_gradient_loop(theta, X, y):
    y = np.ravel(y)
    m, p = X.shape
    grad = np.zeros(p)
    total = 0.0
    for j in range(p):
        for i in range(m):
            total += (X[i] @ theta - y[i]) * X[i, j]
        grad[j] = 2 / m * total
    return grad
'''),
    Mutant("mse_gradient-divides-by-parameters", cell="mse_gradient", fails="test_mse_gradient", says="number of columns of X (the parameters)", source='''
def mse_gradient(theta, X, y):
    m = X.shape[1]
    return 2 / m * X.T @ (X @ theta - np.ravel(y))
'''),
    Mutant("mse_gradient-keeps-the-square", cell="mse_gradient", fails="test_mse_gradient", says="by the squared errors", source='''
def mse_gradient(theta, X, y):
    m = len(X)
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) ** 2
'''),
    Mutant("mse_gradient-theta-transpose-times-X", cell="mse_gradient", fails="test_mse_gradient", says="θ times X", source='''
def mse_gradient(theta, X, y):
    m = len(X)
    errors = theta.T @ X - np.ravel(y)  # θᵀx for every example
    return 2 / m * X.T @ errors
'''),
    Mutant("batch-step-sums-instead-of-averaging", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="m times too long", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    y = np.ravel(y)
    theta = np.zeros(X.shape[1]) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta - alpha * 2 * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-half-mse-gradient-step", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="half the MSE's gradient", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m = len(X)
    y = np.ravel(y)
    theta = np.zeros(X.shape[1]) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta - alpha / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-costs-half-mse", cell="batch_gradient_descent", fails="test_batch_gradient_descent", says="records half the MSE",
           source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m = len(X)
    y = np.ravel(y)
    theta = np.zeros(X.shape[1]) if theta is None else np.array(theta, dtype=float)
    costs = np.zeros(n_iters + 1)
    costs[0] = np.sum((X @ theta - y) ** 2) / (2 * m)
    for k in range(1, n_iters + 1):
        theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs[k] = np.sum((X @ theta - y) ** 2) / (2 * m)
    return theta, costs
'''),
    Mutant("batch-cost-before-each-update", cell="batch_gradient_descent", fails="test_batch_gradient_descent",
           says="not after the last one", source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m = len(X)
    y = np.ravel(y)
    theta = np.zeros(X.shape[1]) if theta is None else np.array(theta, dtype=float)
    costs = []
    for _ in range(n_iters):
        errors = X @ theta - y
        costs.append(np.mean(errors ** 2))
        theta = theta - alpha * 2 / m * X.T @ errors
    return theta, np.array(costs)
'''),
    Mutant("batch-adds-the-bias-again", cell="batch_gradient_descent", fails="test_batch_gradient_descent", says="raises ValueError",
           source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    X = np.column_stack([np.ones(len(X)), X])
    m, p = X.shape
    y = np.ravel(y)
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("batch-returns-costs-first", cell="batch_gradient_descent", fails="test_batch_gradient_descent", says="returns (costs, theta)",
           source='''
def batch_gradient_descent(X, y, alpha, n_iters, theta=None):
    m = len(X)
    y = np.ravel(y)
    theta = np.zeros(X.shape[1]) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(n_iters):
        theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return np.array(costs), theta
'''),
    Mutant("normal_equation-returns-all-of-lstsq", cell="normal_equation", fails="test_normal_equation", says="a tuple of four",
           source='''
def normal_equation(X, y):
    return np.linalg.lstsq(X, np.ravel(y), rcond=None)
'''),
    Mutant("normal_equation-solves-X-itself", cell="normal_equation", fails="test_normal_equation", says="raises LinAlgError",
           source='''
def normal_equation(X, y):
    return np.linalg.solve(X, np.ravel(y))
'''),
    Mutant("standardize-divides-by-variance", cell="standardize", fails="test_standardize", says="divides by the variance", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    var = X.var(axis=0)
    var[var == 0] = 1.0
    return (X - mean) / var, mean, var
'''),
    Mutant("standardize-per-row", cell="standardize", fails="test_standardize", says="for every row (axis=1)", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=1, keepdims=True)
    std = X.std(axis=1, keepdims=True)
    std[std == 0] = 1.0
    return (X - mean) / std, mean.ravel(), std.ravel()
'''),
    Mutant("standardize-returns-the-zero-std", cell="standardize", fails="test_standardize", says="returns its standard deviation as 0", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    safe = np.where(std == 0, 1.0, std)
    return (X - mean) / safe, mean, std
'''),
    Mutant("standardize-scales-the-callers-array", cell="standardize", fails="test_standardize", says="modifies its argument `X` in place", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std[std == 0] = 1.0
    X -= mean
    X /= std
    return X, mean, std
'''),
    Mutant("standardize-min-max", cell="standardize", fails="test_standardize", says="min-max", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    low = X.min(axis=0)
    spread = X.max(axis=0) - low
    spread[spread == 0] = 1.0
    return (X - low) / spread, low, spread
'''),
    Mutant("standardize-std-and-mean-swapped", cell="standardize", fails="test_standardize", says="where the means belong", source='''
def standardize(X):
    X = np.asarray(X, dtype=float)
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std[std == 0] = 1.0
    return (X - mean) / std, std, mean
'''),
    Mutant("ridge_gradient-penalty-not-differentiated", cell="ridge_gradient", fails="test_ridge_gradient", says="not their derivatives",
           source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    weights = theta.copy()
    weights[0] = 0.0
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) + lam * weights ** 2
'''),
    Mutant("ridge_gradient-intercept-component-zeroed", cell="ridge_gradient", fails="test_ridge_gradient", says="whole component to 0",
           source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    grad = 2 / m * X.T @ (X @ theta - np.ravel(y)) + 2 * lam * theta
    grad[0] = 0.0  # the intercept is not penalised
    return grad
'''),
    Mutant("ridge_gradient-penalty-summed", cell="ridge_gradient", fails="test_ridge_gradient", says="summed over all the weights", source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) + 2 * lam * np.sum(theta[1:])
'''),
    Mutant("ridge_gradient-zeroes-the-callers-intercept", cell="ridge_gradient", fails="test_ridge_gradient",
           says="modifies its argument `theta` in place",
           source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    data = 2 / m * X.T @ (X @ theta - np.ravel(y))
    weights = theta
    weights[0] = 0.0
    return data + 2 * lam * weights
'''),
    Mutant("ridge_gradient-intercept-taken-as-last", cell="ridge_gradient", fails="test_ridge_gradient", says="leaves the last weight unpenalised",
           source='''
def ridge_gradient(theta, X, y, lam):
    m = X.shape[0]
    weights = theta.copy()
    weights[-1] = 0.0  # the intercept is not penalised
    return 2 / m * X.T @ (X @ theta - np.ravel(y)) + 2 * lam * weights
'''),
]
