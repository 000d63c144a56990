"""Wrong submissions for 06_momentum_adam: each must lose exactly its exercise."""

from content.mutants import Mutant

ASSIGNMENT = "06_momentum_adam"

MUTANTS = [
    # --- curriculum: velocity not carried over (reset each step, or β ignored) ----------------------------
    Mutant("momentum_step-velocity-reset", cell="momentum_step", fails="test_momentum_step",
           says="does not carry the velocity over", source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    velocity = grad(theta)
    return theta - alpha * velocity, velocity
'''),
    Mutant("momentum_descent-velocity-reset-each-step", cell="momentum_descent", fails="test_momentum_descent",
           says="does not carry the velocity over", source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    history = [theta.copy()]
    for _ in range(n_iters):
        velocity = np.zeros_like(theta)
        velocity = beta * velocity + grad(theta)
        theta = theta - alpha * velocity
        history.append(theta.copy())
    return np.array(history)
'''),
    Mutant("momentum_step-beta-ignored", cell="momentum_step", fails="test_momentum_step", says="ignores β",
           source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    new_velocity = velocity + grad(theta)
    new_theta = theta - alpha * new_velocity
    return new_theta, new_velocity
'''),
    Mutant("momentum_descent-beta-ignored", cell="momentum_descent", fails="test_momentum_descent", says="ignores β",
           source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    v = np.zeros_like(theta)
    rows = [theta]
    for k in range(n_iters):
        v = v + grad(theta)
        theta = theta - alpha * v
        rows.append(theta)
    return np.array(rows)
'''),
    # --- curriculum: momentum added uphill --------------------------------------------------------------
    Mutant("momentum_step-downhill-convention", cell="momentum_step", fails="test_momentum_step",
           says="adds the momentum uphill", source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    velocity = beta * velocity - grad(theta)
    theta = theta + alpha * velocity
    return theta, velocity
'''),
    Mutant("momentum_descent-moves-uphill", cell="momentum_descent", fails="test_momentum_descent",
           says="moved uphill", source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    history = [theta]
    for _ in range(n_iters):
        velocity = beta * velocity + grad(theta)
        theta = theta + alpha * velocity
        history.append(theta)
    return np.array(history)
'''),
    # --- curriculum: the (1 − β)·g form where the contract has g -------------------------------------------
    Mutant("momentum_step-dampened", cell="momentum_step", fails="test_momentum_step", says="dampened form",
           source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    velocity_new = beta * velocity + (1 - beta) * grad(theta)
    return theta - alpha * velocity_new, velocity_new
'''),
    Mutant("momentum_descent-dampened", cell="momentum_descent", fails="test_momentum_descent",
           says="dampened form", source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    v = np.zeros(theta.shape)
    history = np.zeros((n_iters + 1, theta.size))
    history[0] = theta
    for i in range(n_iters):
        v = beta * v + (1 - beta) * grad(theta)
        theta = theta - alpha * v
        history[i + 1] = theta
    return history
'''),
    # --- curriculum: α applied to the velocity twice -------------------------------------------------------
    Mutant("momentum_step-alpha-twice", cell="momentum_step", fails="test_momentum_step", says="applies α twice",
           source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    velocity_new = beta * velocity + alpha * grad(theta)
    return theta - alpha * velocity_new, velocity_new
'''),
    Mutant("momentum_descent-alpha-twice", cell="momentum_descent", fails="test_momentum_descent",
           says="applies α twice", source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    history = [theta]
    for _ in range(n_iters):
        velocity = beta * velocity + alpha * grad(theta)
        theta = theta - alpha * velocity
        history.append(theta)
    return np.array(history)
'''),
    # --- more momentum: the old velocity, the caller's θ changed, rows aliasing one array ---------------------
    Mutant("momentum_step-old-velocity", cell="momentum_step", fails="test_momentum_step",
           says="along the velocity of the step before", source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    theta_new = theta - alpha * velocity
    velocity_new = beta * velocity + grad(theta)
    return theta_new, velocity_new
'''),
    Mutant("momentum_step-in-place", cell="momentum_step", fails="test_momentum_step", says="in place", source='''
def momentum_step(theta, velocity, grad, alpha, beta):
    velocity *= beta
    velocity += grad(theta)
    theta -= alpha * velocity
    return theta, velocity
'''),
    Mutant("momentum_descent-aliased-rows", cell="momentum_descent", fails="test_momentum_descent",
           says="same array", source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    history = [theta]
    for _ in range(n_iters):
        velocity = beta * velocity + grad(theta)
        theta -= alpha * velocity
        history.append(theta)
    return np.array(history)
'''),
    Mutant("momentum_descent-final-only", cell="momentum_descent", fails="test_momentum_descent",
           says="only the final", source='''
def momentum_descent(grad, theta0, alpha, beta, n_iters):
    theta = np.array(theta0, dtype=float)
    velocity = np.zeros_like(theta)
    for _ in range(n_iters):
        velocity = beta * velocity + grad(theta)
        theta = theta - alpha * velocity
    return theta
'''),
    # --- the derivation ------------------------------------------------------------------------------------
    Mutant("effective_step-plain-step", cell="effective_step", fails="test_effective_step", says="plain descent",
           source='''
def effective_step(g, alpha, beta):
    return alpha * g
'''),
    Mutant("effective_step-two-terms", cell="effective_step", fails="test_effective_step",
           says="stops the sum after two terms", source='''
def effective_step(g, alpha, beta):
    return alpha * (g + beta * g)
'''),
    Mutant("effective_step-newest-left-out", cell="effective_step", fails="test_effective_step",
           says="leaves out the newest gradient", source='''
def effective_step(g, alpha, beta):
    return alpha * beta * np.asarray(g) / (1 - beta)
'''),
    Mutant("effective_step-velocity", cell="effective_step", fails="test_effective_step", says="not the step",
           source='''
def effective_step(g, alpha, beta):
    return np.asarray(g, dtype=float) / (1.0 - beta)
'''),
    Mutant("effective_step-measured-with-momentum_descent", cell="effective_step", fails="test_effective_step",
           says="numerically", source='''
def effective_step(g, alpha, beta):
    g = np.asarray(g, dtype=float)
    history = momentum_descent(lambda theta: g.ravel(), np.zeros(g.size), alpha, beta, 5000)
    return (history[-2] - history[-1]).reshape(g.shape)
'''),
    # measured with a loop: the visible test's own measurement pasted in, then one that runs until the step settles
    Mutant("effective_step-velocity-rule-run-2000-times", cell="effective_step", fails="test_effective_step",
           says="runs the velocity's rule 2000 times", source='''
def effective_step(g, alpha, beta):
    v = np.zeros_like(np.asarray(g, dtype=float))
    for _ in range(2000):
        v = beta * v + g
    return alpha * v
'''),
    Mutant("effective_step-velocity-rule-until-it-settles", cell="effective_step", fails="test_effective_step",
           says="did not return within", source='''
def effective_step(g, alpha, beta):
    v = np.zeros_like(np.asarray(g, dtype=float))
    while True:
        new = beta * v + g
        if np.allclose(new, v, rtol=1e-12, atol=0):
            return alpha * new
        v = new
'''),
    # --- curriculum: Adam without bias correction --------------------------------------------------------------
    Mutant("adam-no-bias-correction", cell="adam", fails="test_adam", says="leaves out the bias correction",
           source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = [theta]
    for t in range(1, n_iters + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        theta = theta - alpha * m / (np.sqrt(v) + eps)
        history.append(theta)
    return np.array(history)
'''),
    # --- curriculum: t counted from 0 -------------------------------------------------------------------------
    Mutant("adam-t-from-zero", cell="adam", fails="test_adam", says="counts t from 0", source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m, v = np.zeros(len(theta)), np.zeros(len(theta))
    history = [theta]
    for t in range(n_iters):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
        history.append(theta)
    return np.array(history)
'''),
    # --- curriculum: ε inside the square root -------------------------------------------------------------------
    Mutant("adam-eps-inside-sqrt", cell="adam", fails="test_adam", says="puts ε inside the square root", source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = [theta]
    for t in range(1, n_iters + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        theta = theta - alpha * m_hat / np.sqrt(v_hat + eps)
        history.append(theta)
    return np.array(history)
'''),
    # --- curriculum: v from g instead of g² ----------------------------------------------------------------------
    Mutant("adam-v-from-g", cell="adam", fails="test_adam", says="instead of its square", source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = [theta]
    for t in range(1, n_iters + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g
        m_hat = m / (1 - beta1 ** t)
        v_hat = v / (1 - beta2 ** t)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
        history.append(theta)
    return np.array(history)
'''),
    # --- curriculum: β₁ and β₂ swapped ----------------------------------------------------------------------------
    Mutant("adam-betas-swapped", cell="adam", fails="test_adam", says="swaps β₁ and β₂", source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = [theta]
    for t in range(1, n_iters + 1):
        g = grad(theta)
        m = beta2 * m + (1 - beta2) * g
        v = beta1 * v + (1 - beta1) * g ** 2
        m_hat = m / (1 - beta2 ** t)
        v_hat = v / (1 - beta1 ** t)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
        history.append(theta)
    return np.array(history)
'''),
    # --- more Adam: only m corrected, no square root ---------------------------------------------------------------
    Mutant("adam-only-m-corrected", cell="adam", fails="test_adam", says="corrects m but not v", source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = [theta]
    for t in range(1, n_iters + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        theta = theta - alpha * (m / (1 - beta1 ** t)) / (np.sqrt(v) + eps)
        history.append(theta)
    return np.array(history)
'''),
    Mutant("adam-no-square-root", cell="adam", fails="test_adam", says="instead of its square root", source='''
def adam(grad, theta0, alpha, n_iters, beta1=0.9, beta2=0.999, eps=1e-8):
    theta = np.array(theta0, dtype=float)
    m = np.zeros_like(theta)
    v = np.zeros_like(theta)
    history = [theta]
    for t in range(1, n_iters + 1):
        g = grad(theta)
        m = beta1 * m + (1 - beta1) * g
        v = beta2 * v + (1 - beta2) * g ** 2
        theta = theta - alpha * (m / (1 - beta1 ** t)) / (v / (1 - beta2 ** t) + eps)
        history.append(theta)
    return np.array(history)
'''),
    # --- curriculum: validation overlapping training -----------------------------------------------------------------
    Mutant("train_validation_split-overlap", cell="train_validation_split", fails="test_train_validation_split",
           says="overlap the training examples", source='''
def train_validation_split(m, validation_fraction, rng):
    order = rng.permutation(m)
    n_val = max(1, int(validation_fraction * m))
    return order, order[:n_val]
'''),
    Mutant("train_validation_split-two-permutations", cell="train_validation_split",
           fails="test_train_validation_split", says="draws two different orders", source='''
def train_validation_split(m, validation_fraction, rng):
    n_val = max(1, int(validation_fraction * m))
    val_idx = rng.permutation(m)[:n_val]
    train_idx = rng.permutation(m)[n_val:]
    return train_idx, val_idx
'''),
    # --- curriculum: validation taken before shuffling ------------------------------------------------------------------
    Mutant("train_validation_split-first-rows-then-shuffle", cell="train_validation_split",
           fails="test_train_validation_split", says="before shuffling", source='''
def train_validation_split(m, validation_fraction, rng):
    n_val = max(1, int(validation_fraction * m))
    val_idx = np.arange(n_val)
    train_idx = n_val + rng.permutation(m - n_val)
    return train_idx, val_idx
'''),
    Mutant("train_validation_split-not-shuffled", cell="train_validation_split", fails="test_train_validation_split",
           says="before shuffling", source='''
def train_validation_split(m, validation_fraction, rng):
    n_val = max(1, int(np.floor(validation_fraction * m)))
    rows = np.arange(m)
    return rows[n_val:], rows[:n_val]
'''),
    # --- more splitting: rounding, the minimum, the end of the order -----------------------------------------------------
    Mutant("train_validation_split-rounded", cell="train_validation_split", fails="test_train_validation_split",
           says="to the nearest whole number", source='''
def train_validation_split(m, validation_fraction, rng):
    order = rng.permutation(m)
    n_val = max(1, round(validation_fraction * m))
    return order[n_val:], order[:n_val]
'''),
    Mutant("train_validation_split-no-minimum", cell="train_validation_split", fails="test_train_validation_split",
           says="no example at all", source='''
def train_validation_split(m, validation_fraction, rng):
    order = rng.permutation(m)
    n_val = int(validation_fraction * m)
    return order[n_val:], order[:n_val]
'''),
    Mutant("train_validation_split-validation-last", cell="train_validation_split",
           fails="test_train_validation_split", says="from the end of the order", source='''
def train_validation_split(m, validation_fraction, rng):
    order = rng.permutation(m)
    n_train = m - max(1, int(validation_fraction * m))
    return order[:n_train], order[n_train:]
'''),
    # --- curriculum: early stopping returning the epoch where it stopped -----------------------------------------------
    Mutant("early_stopping-returns-stop-epoch", cell="early_stopping", fails="test_early_stopping",
           says="returns the epoch where the scan stopped", source='''
def early_stopping(val_costs, patience):
    best, wait = val_costs[0], 0
    for epoch in range(1, len(val_costs)):
        if val_costs[epoch] < best:
            best, wait = val_costs[epoch], 0
        else:
            wait += 1
            if wait >= patience:
                return epoch
    return len(val_costs) - 1
'''),
    # --- curriculum: patience off by one -----------------------------------------------------------------------------
    Mutant("early_stopping-patience-plus-one", cell="early_stopping", fails="test_early_stopping",
           says="waits one epoch too many", source='''
def early_stopping(val_costs, patience):
    best_epoch, bad = 0, 0
    for epoch in range(1, len(val_costs)):
        if val_costs[epoch] < val_costs[best_epoch]:
            best_epoch, bad = epoch, 0
        else:
            bad += 1
            if bad > patience:
                break
    return best_epoch
'''),
    Mutant("early_stopping-patience-minus-one", cell="early_stopping", fails="test_early_stopping",
           says="stops one epoch too early", source='''
def early_stopping(val_costs, patience):
    best_epoch, bad = 0, 0
    for epoch in range(1, len(val_costs)):
        if val_costs[epoch] < val_costs[best_epoch]:
            best_epoch, bad = epoch, 0
        else:
            bad += 1
            if bad >= patience - 1:
                break
    return best_epoch
'''),
    # --- curriculum: ties counted as improvements ------------------------------------------------------------------------
    Mutant("early_stopping-ties-improve", cell="early_stopping", fails="test_early_stopping",
           says="counts a tie as an improvement", source='''
def early_stopping(val_costs, patience):
    best_epoch, bad = 0, 0
    for epoch in range(1, len(val_costs)):
        if val_costs[epoch] <= val_costs[best_epoch]:
            best_epoch, bad = epoch, 0
        else:
            bad += 1
            if bad == patience:
                break
    return best_epoch
'''),
    # --- more early stopping: no stopping at all, a count that never restarts ----------------------------------------------
    Mutant("early_stopping-argmin", cell="early_stopping", fails="test_early_stopping", says="never stops",
           source='''
def early_stopping(val_costs, patience):
    return int(np.argmin(val_costs))
'''),
    Mutant("early_stopping-count-not-reset", cell="early_stopping", fails="test_early_stopping",
           says="in a row", source='''
def early_stopping(val_costs, patience):
    best_epoch, bad = 0, 0
    for epoch in range(1, len(val_costs)):
        if val_costs[epoch] < val_costs[best_epoch]:
            best_epoch = epoch
        else:
            bad += 1
            if bad == patience:
                break
    return best_epoch
'''),
    # --- concept questions: one wrong option each; the curriculum's "training cost watched" is q_watch_training's b -----
    Mutant("q_watch_training-training-cost-watched", cell="q_watch_training", fails="test_q_watch_training",
           says="watches the training cost", source='q_watch_training = "b"'),
    Mutant("q_long_slope-plain-step", cell="q_long_slope", fails="test_q_long_slope", says="plain descent's step",
           source="q_long_slope = 0.005"),
    Mutant("q_adam_jump-always-alpha", cell="q_adam_jump", fails="test_q_adam_jump", says="exactly α long",
           source='q_adam_jump = "a"'),
    Mutant("q_alternating-adds-up", cell="q_alternating", fails="test_q_alternating",
           says="constant-slope result", source='q_alternating = "a"'),
    Mutant("q_rotated_bowl-adapts", cell="q_rotated_bowl", fails="test_q_rotated_bowl",
           says="rescales each coordinate separately", source='q_rotated_bowl = "a"'),
]
