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
    Mutant("q_batch_mean-only-over-many-shuffles", cell="q_batch_mean", fails="test_q_batch_mean",
           says="only over many epochs", source='q_batch_mean = "c"'),
    Mutant("q_constant_alpha-rounding", cell="q_constant_alpha", fails="test_q_constant_alpha",
           says="blames rounding", source='q_constant_alpha = "b"'),
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
