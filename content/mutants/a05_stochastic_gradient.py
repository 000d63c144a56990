"""Wrong submissions for 05_stochastic_gradient: each must lose exactly its exercise."""

from content.mutants import Mutant

ASSIGNMENT = "05_stochastic_gradient"

MUTANTS = [
    # --- curriculum: no shuffling (range order) -------------------------------------------------
    Mutant("minibatches-not-shuffled", cell="minibatches", fails="test_minibatches", says="never shuffles",
           source='''
def minibatches(m, batch_size, rng):
    return [np.arange(start, min(start + batch_size, m)) for start in range(0, m, batch_size)]
'''),
    Mutant("sgd-not-shuffled", cell="sgd", fails="test_sgd", says="never shuffles", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        for start in range(0, m, batch_size):
            X_b, y_b = X[start:start + batch_size], y[start:start + batch_size]
            theta = theta - alpha * 2 / len(y_b) * X_b.T @ (X_b @ theta - y_b)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: shuffling once for all epochs -------------------------------------------------
    Mutant("sgd-shuffled-once", cell="sgd", fails="test_sgd", says="shuffles only once", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    order = rng.permutation(m)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta - alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-data-shuffled-once-before-the-loop", cell="sgd", fails="test_sgd", says="shuffles only once",
           source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    perm = rng.permutation(m)
    X_shuffled, y_shuffled = X[perm], y[perm]   # shuffle the data first
    for epoch in range(n_epochs):
        for start in range(0, m, batch_size):
            X_b = X_shuffled[start:start + batch_size]
            y_b = y_shuffled[start:start + batch_size]
            theta = theta - alpha * (2 / len(y_b)) * (X_b.T @ (X_b @ theta - y_b))
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: the remainder batch dropped ------------------------------------------------------
    Mutant("minibatches-remainder-dropped", cell="minibatches", fails="test_minibatches",
           says="drops the last, shorter batch", source='''
def minibatches(m, batch_size, rng):
    order = rng.permutation(m)
    return [order[k * batch_size:(k + 1) * batch_size] for k in range(m // batch_size)]
'''),
    Mutant("sgd-remainder-dropped", cell="sgd", fails="test_sgd", says="drops the last, shorter batch", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for k in range(m // batch_size):
            rows = order[k * batch_size:(k + 1) * batch_size]
            theta = theta - alpha * 2 / batch_size * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("minibatches-even-split", cell="minibatches", fails="test_minibatches", says="spreads the examples evenly",
           source='''
def minibatches(m, batch_size, rng):
    order = rng.permutation(m)
    return np.array_split(order, int(np.ceil(m / batch_size)))
'''),
    # --- curriculum: the batch gradient divided by m instead of b (or summed) ------------------------------
    Mutant("minibatch_gradient-divides-by-m", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="divides by m", source='''
def minibatch_gradient(theta, X, y, idx):
    m = X.shape[0]
    X_b, y_b = X[idx], np.ravel(y)[idx]
    return 2 / m * X_b.T @ (X_b @ theta - y_b)
'''),
    Mutant("minibatch_gradient-summed", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="sums over the batch", source='''
def minibatch_gradient(theta, X, y, idx):
    X_b, y_b = X[idx], np.ravel(y)[idx]
    return 2 * X_b.T @ (X_b @ theta - y_b)
'''),
    Mutant("minibatch_gradient-all-rows", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="uses every row", source='''
def minibatch_gradient(theta, X, y, idx):
    return 2 / len(X) * X.T @ (X @ theta - np.ravel(y))
'''),
    Mutant("sgd-gradient-over-m", cell="sgd", fails="test_sgd", says="divides each batch gradient by m", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta - alpha * 2 / m * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-gradient-summed", cell="sgd", fails="test_sgd", says="sums the batch's gradients", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta - alpha * 2 * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: X shuffled without y ---------------------------------------------------------------
    Mutant("sgd-x-shuffled-without-y", cell="sgd", fails="test_sgd", says="shuffles the rows of X but not y",
           source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        X_shuffled = X[rng.permutation(m)]
        for start in range(0, m, batch_size):
            X_b, y_b = X_shuffled[start:start + batch_size], y[start:start + batch_size]
            theta = theta - alpha * 2 / len(y_b) * X_b.T @ (X_b @ theta - y_b)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-x-reshuffled-in-place-without-y", cell="sgd", fails="test_sgd", says="shuffles the rows of X but not y",
           source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        X = X[rng.permutation(m)]
        for i in range(0, m, batch_size):
            X_b = X[i:i + batch_size]
            errors = X_b @ theta - y[i:i + batch_size]
            theta = theta - alpha * 2 * X_b.T @ errors / len(errors)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: costs recorded per batch instead of per epoch ---------------------------------------
    Mutant("sgd-costs-per-batch", cell="sgd", fails="test_sgd", says="records the cost after every batch", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta - alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
            costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: the caller's theta modified -----------------------------------------------------------
    Mutant("sgd-modifies-callers-theta", cell="sgd", fails="test_sgd", says="in place", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    if theta is None:
        theta = np.zeros(p)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta -= alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # --- curriculum: the schedule from epoch 1 (per batch: the question below) ---------------------------
    Mutant("step_decay-from-epoch-one", cell="step_decay", fails="test_step_decay", says="counts epochs from 1",
           source='''
def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop ** ((epoch + 1) // every)
'''),
    Mutant("step_decay-smooth", cell="step_decay", fails="test_step_decay", says="shrink a little every epoch",
           source='''
def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop ** (epoch / every)
'''),
    Mutant("step_decay-rounds-up", cell="step_decay", fails="test_step_decay", says="rounds the number of drops up",
           source='''
import math
def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop ** math.ceil(epoch / every)
'''),
    # --- curve_diagnosis ---------------------------------------------------------------------------------
    Mutant("curve_diagnosis-nan-missed", cell="curve_diagnosis", fails="test_curve_diagnosis", says="NaN",
           source='''
import math
def curve_diagnosis(costs):
    n = len(costs) - 1
    k = math.ceil(n / 10)
    if costs[-1] > costs[0]:
        return "diverging"
    if costs[-1] < 0.99 * costs[-1 - k]:
        return "too slow"
    return "converged"
'''),
    Mutant("curve_diagnosis-any-rise-diverges", cell="curve_diagnosis", fails="test_curve_diagnosis",
           says="goes up and down", source='''
import math
def curve_diagnosis(costs):
    costs = np.asarray(costs, dtype=float)
    if not np.all(np.isfinite(costs)) or np.any(np.diff(costs) > 0):
        return "diverging"
    k = math.ceil((len(costs) - 1) / 10)
    return "too slow" if costs[-1] < 0.99 * costs[-1 - k] else "converged"
'''),
    Mutant("curve_diagnosis-previous-epoch", cell="curve_diagnosis", fails="test_curve_diagnosis",
           says="just before it", source='''
def curve_diagnosis(costs):
    costs = np.asarray(costs, dtype=float)
    if not np.all(np.isfinite(costs)) or costs[-1] > costs[0]:
        return "diverging"
    if costs[-1] < 0.99 * costs[-2]:
        return "too slow"
    return "converged"
'''),
    Mutant("curve_diagnosis-against-first", cell="curve_diagnosis", fails="test_curve_diagnosis",
           says="compares the last cost with the first", source='''
def curve_diagnosis(costs):
    costs = np.asarray(costs, dtype=float)
    if not np.isfinite(costs).all() or costs[-1] > costs[0]:
        return "diverging"
    return "too slow" if costs[-1] < 0.99 * costs[0] else "converged"
'''),
    # --- concept questions: one wrong option each ----------------------------------------------------------
    Mutant("q_updates_per_epoch-remainder-dropped", cell="q_updates_per_epoch", fails="test_q_updates_per_epoch",
           says="drops the last, shorter batch", source="q_updates_per_epoch = 31"),
    Mutant("q_schedule_per_batch-per-batch", cell="q_schedule_per_batch", fails="test_q_schedule_per_batch",
           says="applies the schedule per batch", source='q_schedule_per_batch = "a"'),
    Mutant("q_schedule_per_batch-from-epoch-one", cell="q_schedule_per_batch", fails="test_q_schedule_per_batch",
           says="counts epochs from 1", source='q_schedule_per_batch = "d"'),
    Mutant("q_batch_mean-equal-weights", cell="q_batch_mean", fails="test_q_batch_mean",
           says="with equal weights", source='q_batch_mean = "a"'),
    Mutant("q_batch_mean-sum-of-means", cell="q_batch_mean", fails="test_q_batch_mean",
           says="adds the batch gradients up", source='q_batch_mean = "b"'),
    Mutant("q_batch_mean-short-batch-left-out", cell="q_batch_mean", fails="test_q_batch_mean",
           says="leaves the short batch out", source='q_batch_mean = "d"'),
    Mutant("q_constant_alpha-constant-alpha-alone", cell="q_constant_alpha", fails="test_q_constant_alpha",
           says="effect of the constant α alone", source='q_constant_alpha = "a"'),
    Mutant("q_constant_alpha-shuffling", cell="q_constant_alpha", fails="test_q_constant_alpha",
           says="blames the shuffling", source='q_constant_alpha = "b"'),
    Mutant("q_constant_alpha-last-examples", cell="q_constant_alpha", fails="test_q_constant_alpha",
           says="last examples of an epoch", source='q_constant_alpha = "c"'),
]

# --- a derivative measured instead of derived (issue 27): right numbers, no point -------------
MUTANTS += [
    Mutant("minibatch_gradient-difference-of-mse", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="numerically", source='''
def minibatch_gradient(theta, X, y, idx):
    rows = np.asarray(idx, dtype=int).ravel()
    X_b, y_b = np.asarray(X, dtype=float)[rows], np.ravel(y)[rows]
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros(theta.size)
    for j in range(theta.size):
        e = np.zeros(theta.size)
        e[j] = 1e-6
        grad[j] = (mse(theta.ravel() + e, X_b, y_b) - mse(theta.ravel() - e, X_b, y_b)) / 2e-6
    return grad.reshape(theta.shape)
'''),
]

# --- issue 30: wrong answers a teacher sees, written before any message was written for them -------------
# Graded first with the grader's own words: 6 of these 19 got a diagnosis other than the bare fallback ("returns
# a wrong value, and no known mistake explains it"), two of them the wrong one ("hard-coded"). Each now has a
# catalogue entry (content/mistakes/a05_stochastic_gradient.py), except the ValueError, which the generic
# diagnosis names.
MUTANTS += [
    # how the examples are drawn
    Mutant("minibatches-new-order-per-batch", cell="minibatches", fails="test_minibatches", says="draws a new order for every batch", source='''
def minibatches(m, batch_size, rng):
    return [rng.permutation(m)[start:start + batch_size] for start in range(0, m, batch_size)]
'''),
    Mutant("minibatches-choice-per-batch", cell="minibatches", fails="test_minibatches", says="draws every batch on its own", source='''
def minibatches(m, batch_size, rng):
    batches = []
    for start in range(0, m, batch_size):
        size = min(batch_size, m - start)
        batches.append(rng.choice(m, size=size, replace=False))
    return batches
'''),
    Mutant("minibatches-stops-one-batch-early", cell="minibatches", fails="test_minibatches", says="stops one batch early",
           source='''
def minibatches(m, batch_size, rng):
    order = rng.permutation(m)
    return [order[i:i + batch_size] for i in range(0, m - batch_size, batch_size)]
'''),
    Mutant("minibatches-drawn-with-replacement", cell="minibatches", fails="test_minibatches", says="with replacement",
           source='''
def minibatches(m, batch_size, rng):
    order = rng.integers(0, m, size=m)
    return [order[start:start + batch_size] for start in range(0, m, batch_size)]
'''),
    # one term of the batch's derivative
    Mutant("minibatch_gradient-all-x-batch-y", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="raises ValueError", source='''
def minibatch_gradient(theta, X, y, idx):
    y_b = np.ravel(y)[idx]
    return 2 / len(idx) * X.T @ (X[idx] @ theta - y_b)
'''),
    Mutant("minibatch_gradient-product-of-means", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="mean of products", source='''
def minibatch_gradient(theta, X, y, idx):
    X_b, y_b = X[idx], np.ravel(y)[idx]
    errors = X_b @ theta - y_b
    return 2 * np.mean(errors) * np.mean(X_b, axis=0)
'''),
    Mutant("minibatch_gradient-target-outside-the-product", cell="minibatch_gradient", fails="test_minibatch_gradient",
           says="mean target", source='''
def minibatch_gradient(theta, X, y, idx):
    X_b, y_b = X[idx], np.ravel(y)[idx]
    return 2 / len(idx) * (X_b.T @ X_b @ theta - X_b.T.sum(axis=1) * y_b.mean())
'''),
    # how a step is scaled, how examples are drawn, in sgd
    Mutant("sgd-x-and-y-shuffled-apart", cell="sgd", fails="test_sgd", says="two different orders", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        X_shuffled, y_shuffled = X[rng.permutation(m)], y[rng.permutation(m)]
        for start in range(0, m, batch_size):
            X_b, y_b = X_shuffled[start:start + batch_size], y_shuffled[start:start + batch_size]
            theta = theta - alpha * 2 / len(y_b) * X_b.T @ (X_b @ theta - y_b)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-new-order-per-batch", cell="sgd", fails="test_sgd", says="draws a new order for every batch", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        for start in range(0, m, batch_size):
            rows = rng.permutation(m)[start:start + batch_size]
            theta = theta - alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-one-epoch-too-many", cell="sgd", fails="test_sgd", says="one epoch too many", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs + 1):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta - alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-gradients-from-the-epoch-start", cell="sgd", fails="test_sgd", says="where the epoch started", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        start_of_epoch = theta.copy()
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta - alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ start_of_epoch - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-uphill", cell="sgd", fails="test_sgd", says="moved uphill", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            rows = order[start:start + batch_size]
            theta = theta + alpha * 2 / len(rows) * X[rows].T @ (X[rows] @ theta - y[rows])
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    Mutant("sgd-full-gradient-every-update", cell="sgd", fails="test_sgd", says="gradient of all the data at every update", source='''
def sgd(X, y, alpha, n_epochs, batch_size, rng, theta=None):
    y = np.ravel(y)
    m, p = X.shape
    theta = np.zeros(p) if theta is None else np.array(theta, dtype=float)
    costs = [np.mean((X @ theta - y) ** 2)]
    for epoch in range(n_epochs):
        order = rng.permutation(m)
        for start in range(0, m, batch_size):
            theta = theta - alpha * 2 / m * X.T @ (X @ theta - y)
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)
'''),
    # how a schedule is scaled
    Mutant("step_decay-times-the-drops", cell="step_decay", fails="test_step_decay", says="times the number of drops", source='''
def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop * (epoch // every)
'''),
    Mutant("step_decay-remainder-for-the-quotient", cell="step_decay", fails="test_step_decay", says="remainder",
           source='''
def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop ** (epoch % every)
'''),
    Mutant("step_decay-rounded-to-nearest", cell="step_decay", fails="test_step_decay", says="nearest whole number", source='''
def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop ** round(epoch / every)
'''),
    # which label goes with which case
    Mutant("curve_diagnosis-slow-and-converged-swapped", cell="curve_diagnosis", fails="test_curve_diagnosis",
           says="swaps the labels", source='''
import math
def curve_diagnosis(costs):
    costs = np.asarray(costs, dtype=float)
    n = len(costs) - 1
    if not np.all(np.isfinite(costs)) or costs[-1] > costs[0]:
        return "diverging"
    k = math.ceil(n / 10)
    if costs[-1] < 0.99 * costs[-1 - k]:
        return "converged"
    return "too slow"
'''),
    Mutant("curve_diagnosis-highest-above-first", cell="curve_diagnosis", fails="test_curve_diagnosis",
           says="rises above the first", source='''
import math
def curve_diagnosis(costs):
    costs = np.asarray(costs, dtype=float)
    n = len(costs) - 1
    if not np.all(np.isfinite(costs)) or np.max(costs) > costs[0]:
        return "diverging"
    k = math.ceil(n / 10)
    return "too slow" if costs[-1] < 0.99 * costs[-1 - k] else "converged"
'''),
    Mutant("curve_diagnosis-window-plus-one", cell="curve_diagnosis", fails="test_curve_diagnosis",
           says="n // 10 + 1", source='''
def curve_diagnosis(costs):
    costs = np.asarray(costs, dtype=float)
    n = len(costs) - 1
    if not np.all(np.isfinite(costs)) or costs[-1] > costs[0]:
        return "diverging"
    k = n // 10 + 1
    return "too slow" if costs[-1] < 0.99 * costs[-1 - k] else "converged"
'''),
]
