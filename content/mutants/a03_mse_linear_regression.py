"""Wrong answers to 03_mse_linear_regression that the hidden tests must catch.

The first block covers the curriculum's misconceptions for this notebook (MSE: sum not
mean, the ½ in the wrong function, absolute error, square of the mean; partials: missing
2, missing ·x, error sign flipped, components swapped, sum not mean; fit: non-simultaneous
update, ascent, α ignored; history: costs one entry short). The second block holds other
realistic mistakes; the third, the mistakes of the derivation exercise huber_partials; the
fourth, wrong options of the concept questions; the fifth, mistakes a teacher sees that were
written before any message was (issue 30), to measure how many the grader names unaided.
"""

from content.mutants import Mutant

ASSIGNMENT = "03_mse_linear_regression"

_CURRICULUM = [
    # --- mse -------------------------------------------------------------------------
    Mutant("mse-sum-not-mean", cell="mse", fails="test_mse", says="instead of averaging", source='''
def mse(theta0, theta1, x, y):
    return np.sum((theta0 + theta1 * x - y) ** 2)
'''),
    Mutant("mse-half-in-mse", cell="mse", fails="test_mse", says="belongs only in the half-MSE", source='''
def mse(theta0, theta1, x, y):
    m = len(x)
    return np.sum((theta0 + theta1 * x - y) ** 2) / (2 * m)
'''),
    Mutant("mse-absolute-error", cell="mse", fails="test_mse", says="absolute error", source='''
def mse(theta0, theta1, x, y):
    return np.mean(np.abs(theta0 + theta1 * x - y))
'''),
    Mutant("mse-square-of-mean", cell="mse", fails="test_mse", says="squares the mean error", source='''
def mse(theta0, theta1, x, y):
    return np.mean(theta0 + theta1 * x - y) ** 2
'''),
    # --- mse_partials ------------------------------------------------------------------
    Mutant("partials-missing-two", cell="mse_partials", fails="test_mse_partials", says="factor 2", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (np.mean(errors), np.mean(errors * x))
'''),
    Mutant("partials-missing-x", cell="mse_partials", fails="test_mse_partials", says="factor x", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    d0 = 2 * np.mean(errors)
    d1 = 2 * np.mean(errors)
    return (d0, d1)
'''),
    Mutant("partials-error-flipped", cell="mse_partials", fails="test_mse_partials", says="sign of the error", source='''
def mse_partials(theta0, theta1, x, y):
    errors = y - (theta0 + theta1 * x)
    return (2 * np.mean(errors), 2 * np.mean(errors * x))
'''),
    Mutant("partials-swapped", cell="mse_partials", fails="test_mse_partials", says="wrong order", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    dtheta1 = 2 * np.mean(errors * x)
    dtheta0 = 2 * np.mean(errors)
    return (dtheta1, dtheta0)
'''),
    Mutant("partials-sum-not-mean", cell="mse_partials", fails="test_mse_partials", says="instead of averaging", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (2 * np.sum(errors), 2 * np.sum(errors * x))
'''),
    # --- half_mse_partials: the ½ in the wrong place, and the partials' mistakes ---------
    Mutant("half-partials-half-missing", cell="half_mse_partials", fails="test_half_mse_partials",
           says="gradient of the full MSE", source='''
def half_mse_partials(theta0, theta1, x, y):
    m = len(x)
    errors = theta0 + theta1 * x - y
    return (2 / m * np.sum(errors), 2 / m * np.sum(errors * x))
'''),
    Mutant("half-partials-missing-x", cell="half_mse_partials", fails="test_half_mse_partials", says="factor x", source='''
def half_mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (np.mean(errors), np.mean(errors))
'''),
    Mutant("half-partials-error-flipped", cell="half_mse_partials", fails="test_half_mse_partials",
           says="sign of the error", source='''
def half_mse_partials(theta0, theta1, x, y):
    errors = y - theta0 - theta1 * x
    return (np.mean(errors), np.mean(errors * x))
'''),
    Mutant("half-partials-swapped", cell="half_mse_partials", fails="test_half_mse_partials", says="wrong order", source='''
def half_mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (np.mean(errors * x), np.mean(errors))
'''),
    Mutant("half-partials-sum-not-mean", cell="half_mse_partials", fails="test_half_mse_partials",
           says="instead of averaging", source='''
def half_mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (np.sum(errors), np.sum(errors * x))
'''),
    # --- fit: update rule and history ------------------------------------------------------
    Mutant("fit-sequential", cell="fit", fails="test_fit", says="simultaneous", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        theta0 = theta0 - alpha * 2 * np.mean(theta0 + theta1 * x - y)
        theta1 = theta1 - alpha * 2 * np.mean((theta0 + theta1 * x - y) * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-costs-one-too-few", cell="fit", fails="test_fit", says="one entry too few", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = []
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - alpha * 2 * np.mean(errors), theta1 - alpha * 2 * np.mean(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-ascent", cell="fit", fails="test_fit", says="uphill", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 + alpha * 2 * np.mean(errors), theta1 + alpha * 2 * np.mean(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-alpha-ignored", cell="fit", fails="test_fit", says="learning rate", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - 2 * np.mean(errors), theta1 - 2 * np.mean(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
]

_EXTRA = [
    Mutant("h-params-swapped", cell="h", fails="test_h", says="θ₀ is the intercept", source='''
def h(theta0, theta1, x):
    return theta0 * x + theta1
'''),
    Mutant("h-no-intercept", cell="h", fails="test_h", says="leaves out the intercept", source='''
def h(theta0, theta1, x):
    return theta1 * x
'''),
    Mutant("mse-divides-by-m-minus-one", cell="mse", fails="test_mse", says="m − 1", source='''
def mse(theta0, theta1, x, y):
    return np.sum((theta0 + theta1 * x - y) ** 2) / (len(x) - 1)
'''),
    Mutant("mse-returns-array", cell="mse", fails="test_mse", says="single number", source='''
def mse(theta0, theta1, x, y):
    return (theta0 + theta1 * x - y) ** 2
'''),
    Mutant("dC-missing-two", cell="dC_dyhat", fails="test_dC_dyhat", says="factor 2", source='''
def dC_dyhat(y_hat, y):
    return y_hat - y
'''),
    Mutant("dC-error-flipped", cell="dC_dyhat", fails="test_dC_dyhat", says="sign of the error", source='''
def dC_dyhat(y_hat, y):
    return 2 * (y - y_hat)
'''),
    Mutant("dC-returns-squared-error", cell="dC_dyhat", fails="test_dC_dyhat", says="squared error", source='''
def dC_dyhat(y_hat, y):
    return (y_hat - y) ** 2
'''),
    Mutant("dC-averages", cell="dC_dyhat", fails="test_dC_dyhat", says="array of shape", source='''
def dC_dyhat(y_hat, y):
    return np.mean(2 * (y_hat - y))
'''),
    Mutant("dyhat-swapped", cell="dyhat_dtheta", fails="test_dyhat_dtheta", says="wrong order", source='''
def dyhat_dtheta(x):
    return (x, 1.0)
'''),
    Mutant("dyhat-missing-x", cell="dyhat_dtheta", fails="test_dyhat_dtheta", says="factor x", source='''
def dyhat_dtheta(x):
    return (1.0, 1.0)
'''),
    Mutant("dyhat-array", cell="dyhat_dtheta", fails="test_dyhat_dtheta", says="tuple", source='''
def dyhat_dtheta(x):
    return np.array([1.0, x])
'''),
    Mutant("partials-numpy-array", cell="mse_partials", fails="test_mse_partials", says="tuple", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return np.array([2 * np.mean(errors), 2 * np.mean(errors * x)])
'''),
    Mutant("partials-hard-coded-m", cell="mse_partials", fails="test_mse_partials", says="hard-coded", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (2 / 3 * np.sum(errors), 2 / 3 * np.sum(errors * x))
'''),
    Mutant("partials-prediction-without-intercept", cell="mse_partials", fails="test_mse_partials",
           says="without the intercept", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta1 * x - y
    return (2 * np.mean(errors), 2 * np.mean(errors * x))
'''),
    Mutant("half-partials-missing-two", cell="half_mse_partials", fails="test_half_mse_partials",
           says="power rule", source='''
def half_mse_partials(theta0, theta1, x, y):
    m = len(x)
    errors = theta0 + theta1 * x - y
    return (np.sum(errors) / (2 * m), np.sum(errors * x) / (2 * m))
'''),
    Mutant("fit-sequential-theta1-first", cell="fit", fails="test_fit", says="simultaneous", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        theta1 = theta1 - alpha * 2 * np.mean((theta0 + theta1 * x - y) * x)
        theta0 = theta0 - alpha * 2 * np.mean(theta0 + theta1 * x - y)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-costs-missing-last", cell="fit", fails="test_fit", says="stops one update early", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = []
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        costs.append(np.mean(errors ** 2))
        theta0, theta1 = theta0 - alpha * 2 * np.mean(errors), theta1 - alpha * 2 * np.mean(errors * x)
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-half-gradient", cell="fit", fails="test_fit", says="half MSE", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    m = len(x)
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - alpha / m * np.sum(errors), theta1 - alpha / m * np.sum(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-start-ignored", cell="fit", fails="test_fit", says="starting values", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    t0, t1 = 0.0, 0.0
    costs = [np.mean((t0 + t1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = t0 + t1 * x - y
        t0, t1 = t0 - alpha * 2 * np.mean(errors), t1 - alpha * 2 * np.mean(errors * x)
        costs.append(np.mean((t0 + t1 * x - y) ** 2))
    return t0, t1, np.array(costs)
'''),
    Mutant("fit-costs-list", cell="fit", fails="test_fit", says="numpy array", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - alpha * 2 * np.mean(errors), theta1 - alpha * 2 * np.mean(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, costs
'''),
]

# --- the derivation exercise huber_partials: what students get wrong deriving the Huber gradient ---
_HUBER = [
    Mutant("huber-condition-on-e", cell="huber_partials", fails="test_huber_partials", says="instead of |e| ≤ δ",
           source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.where(errors <= delta, errors, delta)
    return (float(np.mean(pulls)), float(np.mean(pulls * x)))
'''),
    Mutant("huber-linear-unsigned", cell="huber_partials", fails="test_huber_partials", says="whatever its sign",
           source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.where(np.abs(errors) <= delta, errors, delta)
    return (float(np.mean(pulls)), float(np.mean(pulls * x)))
'''),
    Mutant("huber-linear-missing-delta", cell="huber_partials", fails="test_huber_partials", says="drops δ",
           source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.where(np.abs(errors) <= delta, errors, np.sign(errors))
    return (float(np.mean(pulls)), float(np.mean(pulls * x)))
'''),
    Mutant("huber-missing-x", cell="huber_partials", fails="test_huber_partials", says="factor x", source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.clip(errors, -delta, delta)
    return (float(np.mean(pulls)), float(np.mean(pulls)))
'''),
    Mutant("huber-sum-not-mean", cell="huber_partials", fails="test_huber_partials", says="instead of averaging",
           source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.clip(errors, -delta, delta)
    return (float(np.sum(pulls)), float(np.sum(pulls * x)))
'''),
    Mutant("huber-mse-partials", cell="huber_partials", fails="test_huber_partials",
           says="partial derivatives of the MSE", source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    return (2 * np.mean(errors), 2 * np.mean(errors * x))
'''),
]

# --- the concept questions: a wrong option each, named by its misconception ---------------------
_QUESTIONS = [
    Mutant("q-squares-same", cell="q_squares", fails="test_q_squares", says="mean absolute error",
           source='q_squares = "c"'),
    Mutant("q-squares-cancel", cell="q_squares", fails="test_q_squares", says="cancel", source='q_squares = "d"'),
    Mutant("q-chain-outer-only", cell="q_chain", fails="test_q_chain", says="stops at the outer factor",
           source="q_chain = 6"),
    Mutant("q-chain-no-power-factor", cell="q_chain", fails="test_q_chain", says="power rule", source="q_chain = 12.0"),
    Mutant("q-half-same-limit", cell="q_half", fails="test_q_half", says="where the lowest point is",
           source='q_half = "a"'),
    Mutant("q-half-limit-halved", cell="q_half", fails="test_q_half", says="the wrong way round",
           source='q_half = "B"'),
    Mutant("q-half-no-limit", cell="q_half", fails="test_q_half", says="flatter bowl cannot make descent diverge",
           source='q_half = " d "'),
    Mutant("q-outlier-huber-grows", cell="q_outlier", fails="test_q_outlier", says="keep growing",
           source='q_outlier = "a"'),
    Mutant("q-outlier-losses-not-slopes", cell="q_outlier", fails="test_q_outlier", says="not their slopes",
           source='q_outlier = "b"'),
    Mutant("q-outlier-mse-pull-constant", cell="q_outlier", fails="test_q_outlier", says="stays put",
           source='q_outlier = "c"'),
    Mutant("q-scale-units-ignored", cell="q_scale", fails="test_q_scale", says="does not reach the shape",
           source='q_scale = "a"'),
    Mutant("q-scale-faster", cell="q_scale", fails="test_q_scale", says="faster progress", source='q_scale = "c"'),
]

# --- mistakes a teacher sees, written before any message was (issue 30) --------------------------------
# Graded first with the catalogue as it was: 2 of these 18 were named by a diagnosis other than the bare
# fallback (h-list-comprehension: the exception; huber-keeps-mse-two: a constant factor). The catalogue entries
# mse_h_times_x ... huber_linear_loss_not_slope (content/mistakes/a03_mse_linear_regression.py) name the rest.
_UNSEEN = [
    Mutant("h-list-comprehension", cell="h", fails="test_h", says="raises TypeError", source='''
def h(theta0, theta1, x):
    return np.array([theta0 + theta1 * xi for xi in x])
'''),
    Mutant("h-sum-times-x", cell="h", fails="test_h", says="multiplies the intercept by x", source='''
def h(theta0, theta1, x):
    return (theta0 + theta1) * x
'''),
    Mutant("mse-root", cell="mse", fails="test_mse", says="square root", source='''
def mse(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return np.sqrt(np.mean(errors ** 2))
'''),
    Mutant("mse-x-y-swapped", cell="mse", fails="test_mse", says="roles of x and y", source='''
def mse(theta0, theta1, x, y):
    return np.mean((theta0 + theta1 * y - x) ** 2)
'''),
    Mutant("mse-square-of-sum", cell="mse", fails="test_mse", says="squares the sum", source='''
def mse(theta0, theta1, x, y):
    m = len(x)
    return 1 / m * np.sum(theta0 + theta1 * x - y) ** 2
'''),
    Mutant("dC-precedence", cell="dC_dyhat", fails="test_dC_dyhat", says="brackets missing", source='''
def dC_dyhat(y_hat, y):
    return 2 * y_hat - y
'''),
    Mutant("dC-absolute", cell="dC_dyhat", fails="test_dC_dyhat", says="size of the error", source='''
def dC_dyhat(y_hat, y):
    return 2 * np.abs(y_hat - y)
'''),
    Mutant("dyhat-intercept-zero", cell="dyhat_dtheta", fails="test_dyhat_dtheta", says="as for a constant", source='''
def dyhat_dtheta(x):
    return (0.0, float(x))
'''),
    Mutant("partials-x-in-both", cell="mse_partials", fails="test_mse_partials", says="in ∂/∂θ₀ too", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (2 * np.mean(errors * x), 2 * np.mean(errors * x))
'''),
    Mutant("partials-mean-times-mean", cell="mse_partials", fails="test_mse_partials", says="product of the means", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (2 * np.mean(errors), 2 * np.mean(errors) * np.mean(x))
'''),
    Mutant("partials-times-y", cell="mse_partials", fails="test_mse_partials", says="targets y", source='''
def mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (2 * np.mean(errors), 2 * np.mean(errors * y))
'''),
    Mutant("half-partials-one-halved", cell="half_mse_partials", fails="test_half_mse_partials", says="reaches both",
           source='''
def half_mse_partials(theta0, theta1, x, y):
    errors = theta0 + theta1 * x - y
    return (np.mean(errors), 2 * np.mean(errors * x))
'''),
    Mutant("fit-stale-costs", cell="fit", fails="test_fit", says="before the update", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - alpha * 2 * np.mean(errors), theta1 - alpha * 2 * np.mean(errors * x)
        costs.append(np.mean(errors ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-sum-gradient", cell="fit", fails="test_fit", says="without the 1/m", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - alpha * 2 * np.sum(errors), theta1 - alpha * 2 * np.sum(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-theta1-steps-with-d0", cell="fit", fails="test_fit", says="its own partial derivative", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2)]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        d0 = 2 * np.mean(errors)
        d1 = 2 * np.mean(errors * x)
        theta0, theta1 = theta0 - alpha * d0, theta1 - alpha * d0
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2))
    return theta0, theta1, np.array(costs)
'''),
    Mutant("fit-costs-half-mse", cell="fit", fails="test_fit", says="records the half MSE", source='''
def fit(x, y, alpha, n_iters, theta0=0.0, theta1=0.0):
    costs = [np.mean((theta0 + theta1 * x - y) ** 2) / 2]
    for _ in range(n_iters):
        errors = theta0 + theta1 * x - y
        theta0, theta1 = theta0 - alpha * 2 * np.mean(errors), theta1 - alpha * 2 * np.mean(errors * x)
        costs.append(np.mean((theta0 + theta1 * x - y) ** 2) / 2)
    return theta0, theta1, np.array(costs)
'''),
    Mutant("huber-keeps-mse-two", cell="huber_partials", fails="test_huber_partials", says="keeps the MSE's factor 2", source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.clip(errors, -delta, delta)
    return (2 * np.mean(pulls), 2 * np.mean(pulls * x))
'''),
    Mutant("huber-linear-loss-not-slope", cell="huber_partials", fails="test_huber_partials", says="not its slope",
           source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    errors = theta0 + theta1 * x - y
    pulls = np.where(np.abs(errors) <= delta, errors, delta * (np.abs(errors) - delta / 2))
    return (float(np.mean(pulls)), float(np.mean(pulls * x)))
'''),
]

MUTANTS = _CURRICULUM + _EXTRA + _HUBER + _QUESTIONS + _UNSEEN

# --- a derivative measured instead of derived (issue 27): right numbers, no point -------------
MUTANTS += [
    Mutant("dC_dyhat-complex-step", cell="dC_dyhat", fails="test_dC_dyhat", says="numerically", source='''
def dC_dyhat(y_hat, y):
    return np.imag((y_hat + 1e-20j - y) ** 2) / 1e-20
'''),
    Mutant("mse_partials-difference-of-mse", cell="mse_partials", fails="test_mse_partials", says="numerically",
           source='''
def mse_partials(theta0, theta1, x, y):
    h = 1e-6
    d0 = (mse(theta0 + h, theta1, x, y) - mse(theta0 - h, theta1, x, y)) / (2 * h)
    d1 = (mse(theta0, theta1 + h, x, y) - mse(theta0, theta1 - h, x, y)) / (2 * h)
    return (float(d0), float(d1))
'''),
    Mutant("huber_partials-difference-of-cost", cell="huber_partials", fails="test_huber_partials",
           says="numerically", source='''
def huber_partials(theta0, theta1, x, y, delta=1.0):
    h = 1e-7
    up = huber_cost(theta0 + h, theta1, x, y, delta)
    down = huber_cost(theta0 - h, theta1, x, y, delta)
    right = huber_cost(theta0, theta1 + h, x, y, delta)
    left = huber_cost(theta0, theta1 - h, x, y, delta)
    return ((up - down) / (2 * h), (right - left) / (2 * h))
'''),
]
