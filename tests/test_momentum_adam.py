"""06_momentum_adam: the instructor's solutions against numbers obtained apart from them (issue 33).

Three independent sources, none of which shares code with source/06_momentum_adam:

- the first two steps of momentum and of Adam worked by hand on a small example, written here as
  literal numbers;
- the published update rules written out as their authors state them: PyTorch's ``torch.optim.SGD``
  with momentum (its documented pseudo-code, buffer b₁ = g₁ at the first step, no dampening, no
  Nesterov) and Kingma & Ba's Algorithm 1 (Adam, ICLR 2015);
- implementations written differently from the solutions: plain Python floats, one coordinate at a
  time, and for momentum the other sign convention (a displacement u ← βu − α·g, θ ← θ + u, which is
  the same method for a constant α).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from .grading import solution_namespace

ASSIGNMENT = "06_momentum_adam"


@pytest.fixture(scope="module")
def ns():
    return solution_namespace(ASSIGNMENT)


# --- the small example worked by hand -----------------------------------------------------------------

def bowl_gradient(theta):
    """∇J for J(θ) = θ₁² + 3θ₂²: (2θ₁, 6θ₂)."""
    return np.array([2.0 * theta[0], 6.0 * theta[1]])


def test_the_first_two_steps_of_momentum_worked_by_hand(ns):
    # θ₀ = (1, −1), α = 0.1, β = 0.9, v₀ = 0.
    # step 1: g = (2, −6);     v₁ = 0.9·0 + g = (2, −6);                      θ₁ = θ₀ − 0.1·v₁ = (0.8, −0.4)
    # step 2: g = (1.6, −2.4); v₂ = 0.9·(2, −6) + (1.6, −2.4) = (3.4, −7.8);  θ₂ = θ₁ − 0.1·v₂ = (0.46, 0.38)
    history = ns["momentum_descent"](bowl_gradient, np.array([1.0, -1.0]), 0.1, 0.9, 2)
    np.testing.assert_allclose(history, [[1.0, -1.0], [0.8, -0.4], [0.46, 0.38]], rtol=0, atol=1e-12)
    theta_2, velocity_2 = ns["momentum_step"](np.array([0.8, -0.4]), np.array([2.0, -6.0]), bowl_gradient, 0.1, 0.9)
    np.testing.assert_allclose(theta_2, [0.46, 0.38], rtol=0, atol=1e-12)
    np.testing.assert_allclose(velocity_2, [3.4, -7.8], rtol=0, atol=1e-12)


def test_the_first_two_steps_of_adam_worked_by_hand(ns):
    # θ₀ = (1, −1), α = 0.1, β₁ = 0.9, β₂ = 0.999, ε = 1e-8, m₀ = v₀ = 0.
    # t = 1: g = (2, −6); m = 0.1·g = (0.2, −0.6); v = 0.001·g² = (0.004, 0.036);
    #        m̂ = m/0.1 = (2, −6); v̂ = v/0.001 = (4, 36); √v̂ = (2, 6): each coordinate moves by α = 0.1
    #        against its gradient (ε changes it by under 1e-9): θ₁ = (0.9, −0.9).
    # t = 2: g = (1.8, −5.4); m = 0.9·(0.2, −0.6) + 0.1·(1.8, −5.4) = (0.36, −1.08);
    #        v = 0.999·(0.004, 0.036) + 0.001·(3.24, 29.16) = (0.007236, 0.065124);
    #        m̂ = m/(1 − 0.9²) = m/0.19 = (1.894737, −5.684211); v̂ = v/(1 − 0.999²) = v/0.001999 = (3.619810, 32.578289);
    #        √v̂ = (1.902580, 5.707739); m̂/√v̂ = ±0.995878, so θ₂ = θ₁ − 0.1·(0.995878, −0.995878) = (0.800412, −0.800412).
    history = ns["adam"](bowl_gradient, np.array([1.0, -1.0]), 0.1, 2)
    np.testing.assert_allclose(history, [[1.0, -1.0], [0.9, -0.9], [0.800412, -0.800412]], rtol=0, atol=1e-6)


# --- the published rules, written out ----------------------------------------------------------------

def pytorch_sgd_momentum(grad, theta0, lr, momentum, n_steps):
    """torch.optim.SGD's documented algorithm with weight_decay = 0, dampening τ = 0, nesterov = False,
    maximize = False:  g_t = ∇f(θ_{t−1});  b_t = g_t if t = 1 else μ·b_{t−1} + (1 − τ)·g_t;  θ_t = θ_{t−1} − γ·b_t."""
    theta = [float(x) for x in theta0]
    rows = [list(theta)]
    buffer = None
    for t in range(1, n_steps + 1):
        g = [float(x) for x in grad(np.array(theta))]
        if t == 1:
            buffer = list(g)
        else:
            buffer = [momentum * b + (1.0 - 0.0) * gi for b, gi in zip(buffer, g)]
        theta = [th - lr * b for th, b in zip(theta, buffer)]
        rows.append(list(theta))
    return np.array(rows)


def kingma_ba_algorithm_1(grad, theta0, alpha, n_steps, beta1=0.9, beta2=0.999, eps=1e-8):
    """Adam as Algorithm 1 of Kingma & Ba (2015) states it, one coordinate at a time:
    m₀ ← 0, v₀ ← 0, t ← 0; while not converged: t ← t + 1; g_t ← ∇f(θ_{t−1});
    m_t ← β₁·m_{t−1} + (1 − β₁)·g_t;  v_t ← β₂·v_{t−1} + (1 − β₂)·g_t²;
    m̂_t ← m_t / (1 − β₁ᵗ);  v̂_t ← v_t / (1 − β₂ᵗ);  θ_t ← θ_{t−1} − α·m̂_t / (√v̂_t + ε)."""
    theta = [float(x) for x in theta0]
    m = [0.0] * len(theta)
    v = [0.0] * len(theta)
    rows = [list(theta)]
    t = 0
    while t < n_steps:
        t += 1
        g = [float(x) for x in grad(np.array(theta))]
        for i in range(len(theta)):
            m[i] = beta1 * m[i] + (1.0 - beta1) * g[i]
            v[i] = beta2 * v[i] + (1.0 - beta2) * g[i] * g[i]
            m_hat = m[i] / (1.0 - beta1 ** t)
            v_hat = v[i] / (1.0 - beta2 ** t)
            theta[i] = theta[i] - alpha * m_hat / (math.sqrt(v_hat) + eps)
        rows.append(list(theta))
    return np.array(rows)


def displacement_momentum(grad, theta0, alpha, beta, n_steps):
    """Momentum in the other common convention: u ← β·u − α·g, θ ← θ + u (u = −α·v for a constant α)."""
    theta = [float(x) for x in theta0]
    u = [0.0] * len(theta)
    rows = [list(theta)]
    for _ in range(n_steps):
        g = [float(x) for x in grad(np.array(theta))]
        u = [beta * ui - alpha * gi for ui, gi in zip(u, g)]
        theta = [th + ui for th, ui in zip(theta, u)]
        rows.append(list(theta))
    return np.array(rows)


def random_problem(seed: int):
    """A random quadratic with a coupled Hessian (or a quartic), a start and a step."""
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 5))
    A = rng.normal(size=(n, n))
    H = A @ A.T + 0.5 * np.eye(n)
    b = rng.normal(size=n)
    if seed % 3 == 0:
        def grad(theta):
            return H @ theta - b + 0.1 * theta ** 3
    else:
        def grad(theta):
            return H @ theta - b
    theta0 = rng.normal(size=n) * 2
    alpha = float(rng.uniform(0.2, 0.9) / np.linalg.eigvalsh(H).max())
    return grad, theta0, alpha, rng


@pytest.mark.parametrize("seed", range(12))
def test_momentum_descent_is_pytorch_sgd_with_momentum_and_the_displacement_form(ns, seed):
    grad, theta0, alpha, rng = random_problem(seed)
    beta = float(rng.choice([0.0, 0.5, 0.9, 0.99]))
    n_steps = int(rng.integers(1, 40))
    start = theta0.copy()
    ours = ns["momentum_descent"](grad, theta0, alpha, beta, n_steps)
    assert np.array_equal(theta0, start), "theta0 must not be modified"
    assert ours.shape == (n_steps + 1, theta0.size)
    np.testing.assert_allclose(ours, pytorch_sgd_momentum(grad, theta0, alpha, beta, n_steps), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ours, displacement_momentum(grad, theta0, alpha, beta, n_steps), rtol=1e-9, atol=1e-11)


@pytest.mark.parametrize("seed", range(12))
def test_momentum_step_repeated_is_momentum_descent(ns, seed):
    grad, theta0, alpha, rng = random_problem(seed)
    beta = float(rng.uniform(0, 0.95))
    theta, velocity = theta0.copy(), np.zeros_like(theta0)
    rows = [theta]
    for _ in range(10):
        before = (theta.copy(), velocity.copy())
        theta, velocity = ns["momentum_step"](theta, velocity, grad, alpha, beta)
        assert np.array_equal(rows[-1], before[0]), "momentum_step must not modify theta"
        rows.append(theta)
    np.testing.assert_allclose(np.array(rows), pytorch_sgd_momentum(grad, theta0, alpha, beta, 10), rtol=1e-10,
                               atol=1e-12)


def test_beta_zero_is_plain_descent_to_the_last_bit(ns):
    grad, theta0, alpha, _ = random_problem(4)
    plain = [theta0.copy()]
    for _ in range(50):
        plain.append(plain[-1] - alpha * grad(plain[-1]))
    assert np.array_equal(ns["momentum_descent"](grad, theta0, alpha, 0.0, 50), np.array(plain))


@pytest.mark.parametrize("seed", range(12))
def test_adam_is_kingma_and_ba_algorithm_1(ns, seed):
    grad, theta0, _, rng = random_problem(seed)
    alpha = float(rng.choice([1e-3, 0.01, 0.1, 0.5]))
    beta1, beta2 = float(rng.uniform(0.5, 0.95)), float(rng.uniform(0.9, 0.9999))
    eps = float(rng.choice([1e-8, 1e-3, 0.1]))
    n_steps = int(rng.integers(1, 40))
    start = theta0.copy()
    ours = ns["adam"](grad, theta0, alpha, n_steps, beta1=beta1, beta2=beta2, eps=eps)
    assert np.array_equal(theta0, start), "theta0 must not be modified"
    np.testing.assert_allclose(ours, kingma_ba_algorithm_1(grad, theta0, alpha, n_steps, beta1, beta2, eps),
                               rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(ns["adam"](grad, theta0, alpha, n_steps),
                               kingma_ba_algorithm_1(grad, theta0, alpha, n_steps), rtol=1e-10, atol=1e-12)


def test_adam_steps_alpha_on_a_constant_slope_from_the_first_step(ns):
    """With the bias correction, m̂ = g and v̂ = g² exactly on a constant slope: every step is α·g/(|g| + ε)."""
    g = np.array([3.0, -0.02, 1e-3])
    history = ns["adam"](lambda theta: g, np.zeros(3), 0.01, 50)
    np.testing.assert_allclose(np.diff(history, axis=0), np.tile(-0.01 * g / (np.abs(g) + 1e-8), (50, 1)), rtol=1e-9)


# --- the derivation: the effective step ----------------------------------------------------------------

@pytest.mark.parametrize("beta", [0.0, 0.3, 0.5, 0.9, 0.95])
def test_effective_step_is_where_momentum_settles(ns, beta):
    g = np.array([1.0, -0.5, 2.0, 1e-3])
    alpha = 0.07
    velocity, step = [0.0] * 4, None
    for _ in range(3000):  # the velocity's rule, one float at a time, until it has settled
        velocity = [beta * v + gi for v, gi in zip(velocity, g)]
        step = [alpha * v for v in velocity]
    np.testing.assert_allclose(ns["effective_step"](g, alpha, beta), step, rtol=1e-9)
    assert math.isclose(float(ns["effective_step"](2.0, alpha, beta)), alpha * 2.0 / (1.0 - beta), rel_tol=1e-12)


# --- held-out data and early stopping --------------------------------------------------------------------

@pytest.mark.parametrize("m, fraction", [(10, 0.3), (7, 0.5), (40, 0.3), (5, 0.1), (13, 0.4), (11, 0.35), (3, 0.9),
                                         (100, 0.25)])
def test_train_validation_split_cuts_one_permutation(ns, m, fraction):
    train, val = ns["train_validation_split"](m, fraction, np.random.default_rng(m))
    order = np.random.default_rng(m).permutation(m)
    n_val = max(1, math.floor(fraction * m))
    assert list(val) == list(order[:n_val]) and list(train) == list(order[n_val:])
    assert sorted([*train, *val]) == list(range(m)) and not set(train) & set(val)


def first_best_until_patience(costs, patience):
    """Early stopping written apart: the epochs since the last strict improvement, from a running minimum."""
    costs = [float(c) for c in costs]
    running_min = costs[0]
    best = 0
    since = 0
    for epoch, cost in enumerate(costs):
        if epoch == 0:
            continue
        improved = cost < running_min
        running_min = min(running_min, cost)
        best = epoch if improved else best
        since = 0 if improved else since + 1
        if since == patience:
            return best
    return best


@pytest.mark.parametrize("seed", range(30))
def test_early_stopping_against_an_implementation_written_apart(ns, seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 60))
    costs = np.round(np.cumsum(rng.normal(0.0, 1.0, size=n)) + 50.0, 0)  # whole numbers: ties happen
    patience = int(rng.integers(1, 8))
    kept = ns["early_stopping"](costs, patience)
    assert isinstance(kept, (int, np.integer)) and not isinstance(kept, bool)
    assert kept == first_best_until_patience(costs, patience)
    assert ns["early_stopping"](list(costs), patience) == kept


def test_the_notebook_s_runs_stop_where_the_validation_cost_is_lowest_and_training_never_stops(ns):
    """What section 6 and q_watch_training's worked solution say about the five splits."""
    from gdcourse import data

    X, y, _ = data.make_regression_data(m=40, n_features=25, noise=3.0, seed=7)
    X = np.column_stack([np.ones(len(y)), X])
    for seed in range(5):
        train, val = ns["train_validation_split"](len(y), 0.3, np.random.default_rng(seed))

        def gradient(theta, X=X[train], y=y[train]):
            return 2.0 / len(y) * X.T @ (X @ theta - y)

        history = ns["momentum_descent"](gradient, np.zeros(X.shape[1]), 0.015, 0.9, 300)
        train_costs = np.mean((history @ X[train].T - y[train]) ** 2, axis=1)
        val_costs = np.mean((history @ X[val].T - y[val]) ** 2, axis=1)
        kept = ns["early_stopping"](val_costs, 20)
        assert kept == int(np.argmin(val_costs)) and val_costs[-1] > 1.5 * val_costs[kept]
        assert ns["early_stopping"](train_costs, 20) == 300
