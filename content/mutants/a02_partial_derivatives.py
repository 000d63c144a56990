"""Wrong submissions for 02_partial_derivatives: each must lose exactly its own exercise.

The first twenty are the curriculum's misconceptions for this notebook (derivative,
update rule, history, numerical gradient); the rest are other answers students
really write (a list instead of an array, a copy-pasted component, integer arrays,
a transposed history, ...).
"""

from content.mutants import Mutant

ASSIGNMENT = "02_partial_derivatives"

MUTANTS = [
    # --- derivative: missing factor 2; wrong sign; returns the cost; hard-coded ---------------
    Mutant("grad_J-missing-two", cell="grad_J", fails="test_grad_J", says="factor 2", source='''
def grad_J(theta):
    """Partial derivatives of θ₁² + θ₂²."""
    return np.array([theta[0], theta[1]])
'''),
    Mutant("grad_J-wrong-sign", cell="grad_J", fails="test_grad_J", says="wrong sign", source='''
def grad_J(theta):
    """The direction to go: downhill."""
    return np.array([-2 * theta[0], -2 * theta[1]])
'''),
    Mutant("grad_J-returns-cost", cell="grad_J", fails="test_grad_J", says="returns the cost", source='''
def grad_J(theta):
    """Gradient of J."""
    return theta[0] ** 2 + theta[1] ** 2
'''),
    Mutant("grad_J-hard-coded", cell="grad_J", fails="test_grad_J", says="hard-coded", source='''
def grad_J(theta):
    # at (3, 4): (2·3, 2·4)
    return np.array([6.0, 8.0])
'''),
    # --- update rule: ascent; α ignored; grad ignored; returns the step; sequential; in place --
    Mutant("gd_step-ascent", cell="gd_step", fails="test_gd_step", says="uphill", source='''
def gd_step(theta, alpha, grad):
    """Move θ along the gradient."""
    return theta + alpha * grad(theta)
'''),
    Mutant("gd_step-alpha-ignored", cell="gd_step", fails="test_gd_step", says="learning rate", source='''
def gd_step(theta, alpha, grad):
    """One step of gradient descent."""
    return theta - grad(theta)
'''),
    Mutant("gd_step-grad-ignored", cell="gd_step", fails="test_gd_step", says="`grad` argument", source='''
def gd_step(theta, alpha, grad):
    """One step of gradient descent on J."""
    return theta - alpha * grad_J(theta)
'''),
    Mutant("gd_step-returns-step", cell="gd_step", fails="test_gd_step", says="returns the step", source='''
def gd_step(theta, alpha, grad):
    """The update α·∇J(θ)."""
    step = alpha * grad(theta)
    return step
'''),
    Mutant("gd_step-sequential", cell="gd_step", fails="test_gd_step", says="already-updated", source='''
def gd_step(theta, alpha, grad):
    """θ₁ := θ₁ − α ∂J/∂θ₁, then θ₂ := θ₂ − α ∂J/∂θ₂, ..."""
    new_theta = theta.astype(float)
    for j in range(len(new_theta)):
        new_theta[j] = new_theta[j] - alpha * grad(new_theta)[j]
    return new_theta
'''),
    Mutant("gd_step-in-place", cell="gd_step", fails="test_gd_step", says="in place", source='''
def gd_step(theta, alpha, grad):
    """One step of gradient descent."""
    theta -= alpha * grad(theta)
    return theta
'''),
    # --- history: final θ only; θ₀ missing; one too few; one too many; aliased rows ----------
    Mutant("gradient_descent-final-only", cell="gradient_descent", fails="test_gradient_descent",
           says="only the final", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """Run gradient descent."""
    theta = np.array(theta0, dtype=float)
    for _ in range(n_iters):
        theta = theta - alpha * grad(theta)
    return theta
'''),
    Mutant("gradient_descent-missing-start", cell="gradient_descent", fails="test_gradient_descent",
           says="missing θ₀", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = []
    for _ in range(n_iters):
        theta = theta - alpha * grad(theta)
        history.append(theta)
    return np.array(history)
'''),
    Mutant("gradient_descent-one-too-few", cell="gradient_descent", fails="test_gradient_descent",
           says="one update too few", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(1, n_iters):
        theta = theta - alpha * grad(theta)
        history.append(theta)
    return np.array(history)
'''),
    Mutant("gradient_descent-one-too-many", cell="gradient_descent", fails="test_gradient_descent",
           says="one update too many", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(n_iters + 1):
        theta = theta - alpha * grad(theta)
        history.append(theta)
    return np.array(history)
'''),
    Mutant("gradient_descent-aliased-rows", cell="gradient_descent", fails="test_gradient_descent",
           says="same array", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = [theta0]
    for _ in range(n_iters):
        theta -= alpha * grad(theta)
        history.append(theta)
    return np.array(history)
'''),
    Mutant("gradient_descent-aliased-preallocated-list", cell="gradient_descent", fails="test_gradient_descent",
           says="same array", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    theta = np.array(theta0, dtype=float)
    history = [theta] * (n_iters + 1)
    for k in range(n_iters):
        theta -= alpha * grad(theta)
        history[k + 1] = theta
    return np.array(history)
'''),
    Mutant("gradient_descent-aliased-slice-assignment", cell="gradient_descent", fails="test_gradient_descent",
           says="same array", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    theta = theta0.astype(float)
    history = [theta.copy()]
    for _ in range(n_iters):
        theta[:] = theta - alpha * grad(theta)
        history.append(theta)
    return np.vstack(history)
'''),
    Mutant("gradient_descent-aliased-view-of-row-0", cell="gradient_descent", fails="test_gradient_descent",
           says="same array", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    history = np.zeros((n_iters + 1, len(theta0)))
    history[0] = theta0
    theta = history[0]
    for k in range(n_iters):
        theta -= alpha * grad(theta)
        history[k + 1] = theta
    return history
'''),
    # --- numerical gradient: forward; divides by h; leaves θ perturbed; only two dimensions ---
    Mutant("numerical_gradient-forward", cell="numerical_gradient", fails="test_numerical_gradient",
           says="forward difference", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Finite-difference gradient."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (f(theta + e) - f(theta)) / h
    return grad
'''),
    Mutant("numerical_gradient-divides-by-h", cell="numerical_gradient", fails="test_numerical_gradient",
           says="instead of 2h", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central-difference gradient."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / h
    return grad
'''),
    Mutant("numerical_gradient-leaves-theta-perturbed", cell="numerical_gradient",
           fails="test_numerical_gradient", says="perturbed", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences, nudging θ in place."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        theta[i] += h
        f_plus = f(theta)
        theta[i] -= 2 * h
        f_minus = f(theta)
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''),
    Mutant("numerical_gradient-undoes-nudge-by-arithmetic", cell="numerical_gradient",
           fails="test_numerical_gradient", says="perturbed", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences; each nudge is undone by adding h back."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        theta[i] += h
        f_plus = f(theta)
        theta[i] -= 2 * h
        f_minus = f(theta)
        theta[i] += h
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''),
    Mutant("numerical_gradient-copy-that-is-not", cell="numerical_gradient",
           fails="test_numerical_gradient", says="perturbed", source='''
def numerical_gradient(f, theta, h=1e-5):
    n = len(theta)
    grad = np.zeros(n)
    for i in range(n):
        step = np.zeros(n)
        step[i] = h
        up = theta        # meant as a copy of θ
        up += step
        f_up = f(up)
        down = theta - 2 * step
        grad[i] = (f_up - f(down)) / (2 * h)
    return grad
'''),
    Mutant("numerical_gradient-flat-view", cell="numerical_gradient",
           fails="test_numerical_gradient", says="perturbed", source='''
def numerical_gradient(f, theta, h=1e-5):
    grad = np.zeros(np.shape(theta))
    flat = theta.reshape(-1)  # a view of θ, not a copy
    for i in range(flat.size):
        saved = flat[i]
        flat[i] = saved + h
        f_plus = f(theta)
        flat[i] = saved - h
        f_minus = f(theta)
        grad.flat[i] = (f_plus - f_minus) / (2 * h)
    return grad
'''),
    Mutant("numerical_gradient-two-dimensions-only", cell="numerical_gradient",
           fails="test_numerical_gradient", says="only the first two partial derivatives", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences for ∂f/∂θ₁ and ∂f/∂θ₂."""
    grad = np.zeros_like(theta, dtype=float)
    for i in range(2):
        e = np.zeros_like(theta, dtype=float)
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad
'''),
    Mutant("gradient_descent-sequential", cell="gradient_descent", fails="test_gradient_descent",
           says="already-updated", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = [theta.copy()]
    for _ in range(n_iters):
        for j in range(len(theta)):
            theta[j] = theta[j] - alpha * grad(theta)[j]
        history.append(theta.copy())
    return np.array(history)
'''),
    # --- other realistic wrong answers -------------------------------------------------------
    Mutant("grad_J-first-component-twice", cell="grad_J", fails="test_grad_J", says="uses θ₁ in every component",
           source='''
def grad_J(theta):
    """[∂J/∂θ₁, ∂J/∂θ₂]."""
    return np.array([2 * theta[0], 2 * theta[0]])
'''),
    Mutant("grad_J-swapped", cell="grad_J", fails="test_grad_J", says="wrong order", source='''
def grad_J(theta):
    """[∂J/∂θ₁, ∂J/∂θ₂]."""
    theta1, theta2 = theta
    return np.array([2 * theta2, 2 * theta1])
'''),
    Mutant("grad_J-list", cell="grad_J", fails="test_grad_J", says="NumPy array", source='''
def grad_J(theta):
    """[∂J/∂θ₁, ∂J/∂θ₂]."""
    return [2 * theta[0], 2 * theta[1]]
'''),
    Mutant("J-square-of-sum", cell="J", fails="test_J", says="squares the sum", source='''
def J(theta):
    """θ₁² + θ₂²."""
    return np.sum(theta) ** 2
'''),
    Mutant("numerical_gradient-list", cell="numerical_gradient", fails="test_numerical_gradient",
           says="NumPy array", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central-difference gradient, one partial derivative at a time."""
    grad = []
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad.append((f(theta + e) - f(theta - e)) / (2 * h))
    return grad
'''),
    Mutant("numerical_gradient-h-ignored", cell="numerical_gradient", fails="test_numerical_gradient",
           says="ignores its argument h", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central-difference gradient with a small step."""
    h = 1e-5
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad
'''),
    Mutant("numerical_gradient-2d-unit-vectors", cell="numerical_gradient", fails="test_numerical_gradient",
           says="could not be broadcast", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences along (1, 0) and (0, 1)."""
    e1 = np.array([h, 0.0])
    e2 = np.array([0.0, h])
    d1 = (f(theta + e1) - f(theta - e1)) / (2 * h)
    d2 = (f(theta + e2) - f(theta - e2)) / (2 * h)
    return np.array([d1, d2])
'''),
    Mutant("gd_step-int-array", cell="gd_step", fails="test_gd_step", says="integer", source='''
def gd_step(theta, alpha, grad):
    """One simultaneous step: the whole gradient first, then every component."""
    g = grad(theta)
    new_theta = np.zeros_like(theta)
    for j in range(len(theta)):
        new_theta[j] = theta[j] - alpha * g[j]
    return new_theta
'''),
    Mutant("gradient_descent-transposed", cell="gradient_descent", fails="test_gradient_descent",
           says="should have shape", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """History with one column per iteration."""
    theta = np.array(theta0, dtype=float)
    history = np.zeros((len(theta), n_iters + 1))
    history[:, 0] = theta
    for k in range(n_iters):
        theta = theta - alpha * grad(theta)
        history[:, k + 1] = theta
    return history
'''),
    Mutant("gradient_descent-ascent", cell="gradient_descent", fails="test_gradient_descent",
           says="uphill", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    history = [np.array(theta0, dtype=float)]
    for _ in range(n_iters):
        history.append(history[-1] + alpha * grad(history[-1]))
    return np.array(history)
'''),
]

# --- the derivation exercise: grad_rosenbrock --------------------------------------------------
MUTANTS += [
    Mutant("grad_rosenbrock-inner-derivative-dropped", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="drops the chain rule's inner derivative", source='''
def grad_rosenbrock(theta):
    """Power rule on each square."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) + 200 * (t2 - t1 ** 2), 200 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-inner-sign", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="inner derivative of (θ₂ − θ₁²) with the wrong sign", source='''
def grad_rosenbrock(theta):
    """Chain rule: d/dθ₁ of θ₁² is 2θ₁."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) + 400 * t1 * (t2 - t1 ** 2), 200 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-outer-minus-dropped", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="drops the −1 of the chain rule", source='''
def grad_rosenbrock(theta):
    """Chain rule on each square."""
    t1, t2 = theta
    return np.array([2 * (1 - t1) - 400 * t1 * (t2 - t1 ** 2), 200 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-valley-two-missing", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="lost the factor 2", source='''
def grad_rosenbrock(theta):
    """The 100 comes down as it is."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 200 * t1 * (t2 - t1 ** 2), 100 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-missing-two", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="factor 2", source='''
def grad_rosenbrock(theta):
    """Chain rule, without the power rule's 2."""
    t1, t2 = theta
    return np.array([-(1 - t1) - 200 * t1 * (t2 - t1 ** 2), 100 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-swapped", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="wrong order", source='''
def grad_rosenbrock(theta):
    """[∂f/∂θ₂, ∂f/∂θ₁]."""
    t1, t2 = theta
    return np.array([200 * (t2 - t1 ** 2), -2 * (1 - t1) - 400 * t1 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-wrong-sign", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="wrong sign", source='''
def grad_rosenbrock(theta):
    """The downhill direction."""
    t1, t2 = theta
    return np.array([2 * (1 - t1) + 400 * t1 * (t2 - t1 ** 2), -200 * (t2 - t1 ** 2)])
'''),
]

# --- the concept questions: one wrong answer each ------------------------------------------------
MUTANTS += [
    Mutant("q_frozen-term-dropped", cell="q_frozen", fails="test_q_frozen", says="constant factor", source='''
# q_frozen = a number
q_frozen = 3
'''),
    Mutant("q_downhill-at-the-minimum", cell="q_downhill", fails="test_q_downhill", says="aims straight at the minimum",
           source='''
# q_downhill = "a", "b", "c" or "d"
q_downhill = "b"
'''),
    Mutant("q_downhill-along-the-contour", cell="q_downhill", fails="test_q_downhill", says="contour line", source='''
# q_downhill = "a", "b", "c" or "d"
q_downhill = " C"
'''),
    Mutant("q_downhill-along-the-gradient", cell="q_downhill", fails="test_q_downhill", says="steepest ascent",
           source='''
# q_downhill = "a", "b", "c" or "d"
q_downhill = "d"
'''),
    Mutant("q_simultaneous-sequential", cell="q_simultaneous", fails="test_q_simultaneous", says="already-updated",
           source='''
# q_simultaneous = a number
q_simultaneous = 1 - 0.1 * (0.7 + 4 * 1)
'''),
    Mutant("q_central_error-both-order-h", cell="q_central_error", fails="test_q_central_error",
           says="only in proportion to h", source='''
# q_central_error = "a", "b", "c" or "d"
q_central_error = "A"
'''),
    Mutant("q_valley_alpha-smallest", cell="q_valley_alpha", fails="test_q_valley_alpha",
           says="smallest α", source='''
# q_valley_alpha = "a", "b", "c" or "d"
q_valley_alpha = "a"
'''),
    Mutant("q_valley_alpha-walls-only", cell="q_valley_alpha", fails="test_q_valley_alpha",
           says="tunes α for the walls alone", source='''
# q_valley_alpha = "a", "b", "c" or "d"
q_valley_alpha = "B"
'''),
    Mutant("q_valley_alpha-largest", cell="q_valley_alpha", fails="test_q_valley_alpha",
           says="always faster", source='''
# q_valley_alpha = "a", "b", "c" or "d"
q_valley_alpha = "d"
'''),
    Mutant("q_saddle-minimum", cell="q_saddle", fails="test_q_saddle", says="zero gradient for a minimum", source='''
# q_saddle = "a", "b", "c" or "d"
q_saddle = " a "
'''),
]

# --- a derivative measured instead of derived (issue 27): right numbers, no point -------------
MUTANTS += [
    Mutant("grad_J-numerical-gradient", cell="grad_J", fails="test_grad_J", says="numerically", source='''
def grad_J(theta):
    return numerical_gradient(J, np.asarray(theta, dtype=float))
'''),
    Mutant("grad_rosenbrock-complex-step", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="numerically", source='''
def grad_rosenbrock(theta):
    theta = np.asarray(theta, dtype=float)
    grad = np.zeros(2)
    for k in range(2):
        step = np.zeros(2, dtype=complex)
        step[k] = 1e-20j
        t1, t2 = theta + step
        grad[k] = ((1 - t1) ** 2 + 100 * (t2 - t1 ** 2) ** 2).imag / 1e-20
    return grad
'''),
]

# --- more wrong answers students write (issue 30): one term of a derivative, the scale of a step, a history. ---
# --- Graded first with the grader's words of the time: 6 of these 20 named (a wrong shape, a constant factor,  ---
# --- an exception, one_too_few), 14 the bare fallback; each of those 14 has a catalogue entry now.            ---
MUTANTS += [
    Mutant("J-array-of-squares", cell="J", fails="test_J", says="where a single number is expected", source='''
def J(theta):
    """θ₁² + θ₂²."""
    return theta ** 2
'''),
    Mutant("J-norm", cell="J", fails="test_J", says="length √(θ₁² + θ₂²)", source='''
def J(theta):
    """The size of θ."""
    return np.linalg.norm(theta)
'''),
    Mutant("J-mean-of-squares", cell="J", fails="test_J", says="constant factor", source='''
def J(theta):
    """θ₁² + θ₂², for any number of components."""
    return np.mean(theta ** 2)
'''),
    Mutant("grad_J-constant-kept", cell="grad_J", fails="test_grad_J",
           says="keeps the other parameter's square", source='''
def grad_J(theta):
    """[∂J/∂θ₁, ∂J/∂θ₂]: the other square is held constant."""
    t1, t2 = theta
    return np.array([2 * t1 + t2 ** 2, t1 ** 2 + 2 * t2])
'''),
    Mutant("grad_J-other-term-not-frozen", cell="grad_J", fails="test_grad_J",
           says="differentiates both squares", source='''
def grad_J(theta):
    """Differentiate both squares for each component."""
    return np.array([2 * theta[0] + 2 * theta[1], 2 * theta[1] + 2 * theta[0]])
'''),
    Mutant("grad_J-power-not-lowered", cell="grad_J", fails="test_grad_J", says="does not lower the power", source='''
def grad_J(theta):
    """Power rule: bring the 2 down."""
    return np.array([2 * theta[0] ** 2, 2 * theta[1] ** 2])
'''),
    Mutant("numerical_gradient-precedence", cell="numerical_gradient", fails="test_numerical_gradient",
           says="/ 2 * h", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / 2 * h
    return grad
'''),
    Mutant("numerical_gradient-backward", cell="numerical_gradient", fails="test_numerical_gradient",
           says="backward difference", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Difference quotient, looking back by h."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (f(theta) - f(theta - e)) / h
    return grad
'''),
    Mutant("numerical_gradient-nudges-all", cell="numerical_gradient", fails="test_numerical_gradient",
           says="nudges every component at once", source='''
def numerical_gradient(f, theta, h=1e-5):
    """Central differences, one component at a time."""
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        grad[i] = (f(theta + h) - f(theta - h)) / (2 * h)
    return grad
'''),
    Mutant("gd_step-normalised", cell="gd_step", fails="test_gd_step", says="every step has the length α", source='''
def gd_step(theta, alpha, grad):
    """A step of length α straight downhill."""
    g = grad(theta)
    return theta - alpha * g / np.linalg.norm(g)
'''),
    Mutant("gd_step-two-components", cell="gd_step", fails="test_gd_step", says="should have shape (3,)", source='''
def gd_step(theta, alpha, grad):
    """θ₁ and θ₂ from the same old θ."""
    g = grad(theta)
    return np.array([theta[0] - alpha * g[0], theta[1] - alpha * g[1]])
'''),
    Mutant("gd_step-grad-not-called", cell="gd_step", fails="test_gd_step", says="raises TypeError", source='''
def gd_step(theta, alpha, grad):
    """θ − α·∇J."""
    return theta - alpha * grad
'''),
    Mutant("gradient_descent-gradient-once", cell="gradient_descent", fails="test_gradient_descent",
           says="computes the gradient once", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    g = grad(theta)
    history = [theta]
    for _ in range(n_iters):
        theta = theta - alpha * g
        history.append(theta)
    return np.array(history)
'''),
    Mutant("gradient_descent-restarts-from-theta0", cell="gradient_descent", fails="test_gradient_descent",
           says="starts every update from θ₀", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = [theta]
    for _ in range(n_iters):
        theta = theta0 - alpha * grad(theta)
        history.append(theta)
    return np.array(history)
'''),
    Mutant("gradient_descent-list", cell="gradient_descent", fails="test_gradient_descent",
           says="Python list", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    history = [np.array(theta0, dtype=float)]
    for _ in range(n_iters):
        history.append(history[-1] - alpha * grad(history[-1]))
    return history
'''),
    Mutant("gradient_descent-appends-before-update", cell="gradient_descent", fails="test_gradient_descent",
           says="one update too few", source='''
def gradient_descent(theta0, alpha, n_iters, grad):
    """The points visited by gradient descent."""
    theta = np.array(theta0, dtype=float)
    history = []
    for _ in range(n_iters):
        history.append(theta)
        theta = theta - alpha * grad(theta)
    return np.array(history)
'''),
    Mutant("grad_rosenbrock-hundred-dropped", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="lost the factor 100", source='''
def grad_rosenbrock(theta):
    """Chain rule on each square."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 4 * t1 * (t2 - t1 ** 2), 200 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-first-term-in-theta2", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="keeps the derivative of (1 − θ₁)²", source='''
def grad_rosenbrock(theta):
    """Both squares, in both partial derivatives."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 400 * t1 * (t2 - t1 ** 2), -2 * (1 - t1) + 200 * (t2 - t1 ** 2)])
'''),
    Mutant("grad_rosenbrock-times-two-typo", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="θ₁ times 2", source='''
def grad_rosenbrock(theta):
    """Chain rule on each square."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 400 * t1 * (t2 - t1 * 2), 200 * (t2 - t1 * 2)])
'''),
    Mutant("grad_rosenbrock-inner-theta1-lost", cell="grad_rosenbrock", fails="test_grad_rosenbrock",
           says="lost its θ₁", source='''
def grad_rosenbrock(theta):
    """Chain rule: the bracket's derivative with respect to θ₁."""
    t1, t2 = theta
    return np.array([-2 * (1 - t1) - 400 * (t2 - t1 ** 2), 200 * (t2 - t1 ** 2)])
'''),
]
