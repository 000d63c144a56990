"""02_partial_derivatives: partial derivatives, the simultaneous update, Rosenbrock's valley; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered


# --- 02_partial_derivatives ------------------------------------------------------------

@mistake("partial_same_component", "uses θ₁ in every component: ∂J/∂θ₂ holds θ₁ constant and differentiates with respect to θ₂")
def _partial_same_component(ref, ns, a):
    value = np.asarray(ref(**a), dtype=float)
    return np.full_like(value, value.reshape(-1)[0])


@mistake("partial_first_two_only", "computes only the first two partial derivatives: θ may have any number of components, so loop over all of them")
def _partial_first_two_only(ref, ns, a):
    value = np.array(ref(**a), dtype=float)
    value.reshape(-1)[2:] = 0.0
    return value


@mistake("partial_int_result", "returns integers for an integer θ, so the new θ was rounded toward zero: build the result as a float array (e.g. np.asarray(theta, dtype=float))")
def _partial_int_result(ref, ns, a):
    return np.trunc(np.asarray(ref(**a), dtype=float))



# --- more of what students write (issue 30): one term of a derivative, the scale of a step, a history ---------

@mistake("partial_norm_not_square", "returns the length √(θ₁² + θ₂²) of θ, not the cost: the cost adds the squares and "
         "takes no square root")
def _partial_norm_not_square(ref, ns, a):
    return float(np.sqrt(ref(**a)))


@mistake("partial_square_of_sum", "squares the sum of the parameters, (θ₁ + θ₂)², instead of adding their squares")
def _partial_square_of_sum(ref, ns, a):
    return float(np.sum(np.asarray(a["theta"], dtype=float)) ** 2)


@mistake("partial_constant_kept", "keeps the other parameter's square in each partial derivative: with θ₂ held "
         "constant, θ₂² is a constant, and the derivative of a constant is 0 (it is not copied along)")
def _partial_constant_kept(ref, ns, a):
    theta = np.asarray(a["theta"], dtype=float)
    return np.asarray(ref(**a), dtype=float) + theta[::-1] ** 2


@mistake("partial_other_not_frozen", "differentiates both squares in each partial derivative: ∂J/∂θ₁ moves θ₁ only, "
         "so the square of θ₂, which does not move, contributes nothing")
def _partial_other_not_frozen(ref, ns, a):
    value = np.asarray(ref(**a), dtype=float)
    return value + value[::-1]


@mistake("partial_power_not_lowered", "brings the exponent 2 down but does not lower the power: the power rule "
         "turns θ² into a multiple of θ to the power 1, not of θ²")
def _partial_power_not_lowered(ref, ns, a):
    return np.asarray(ref(**a), dtype=float) * np.asarray(a["theta"], dtype=float)


@mistake("partial_divides_by_2_times_h", "writes / 2 * h, which divides by 2 and then multiplies by h: Python reads "
         "a / 2 * h as (a / 2) · h, so the 2h of the central difference needs parentheses")
def _partial_divides_by_2_times_h(ref, ns, a):
    return np.asarray(ref(**a), dtype=float) * a["h"] ** 2


@mistake("partial_h_ignored", "ignores its argument h and always nudges by a step of its own: use the h it is given")
def _partial_h_ignored(ref, ns, a):
    return ref(**{**a, "h": 1e-5})


@mistake("partial_backward_difference", "uses the backward difference (f(θ) − f(θ − h·eᵢ))/h, one-sided like the "
         "forward one, instead of the central difference, which looks h to both sides")
def _partial_backward_difference(ref, ns, a):
    f, theta, h = a["f"], np.array(a["theta"], dtype=float), a["h"]
    out = np.zeros_like(theta)
    for i in np.ndindex(theta.shape):
        step = np.zeros_like(theta)
        step[i] = h
        out[i] = (f(theta) - f(theta - step)) / h
    return out


@mistake("partial_nudges_all", "nudges every component at once (θ ± h): a partial derivative nudges component i "
         "alone, by h times the unit vector eᵢ, so each component gets its own difference")
def _partial_nudges_all(ref, ns, a):
    f, theta, h = a["f"], np.array(a["theta"], dtype=float), a["h"]
    return np.full_like(theta, (f(theta + h) - f(theta - h)) / (2.0 * h))


@mistake("partial_unit_step", "divides the gradient by its length, so every step has the length α: the step is α "
         "times the gradient itself, long where the surface is steep and short where it is flat")
def _partial_unit_step(ref, ns, a):
    theta = np.asarray(a["theta"], dtype=float)
    g = np.asarray(a["grad"](theta), dtype=float)
    return theta - a["alpha"] * g / np.linalg.norm(g)


@mistake("partial_gradient_once", "computes the gradient once, at θ₀, and takes every step with it: each step "
         "needs the gradient at the θ it starts from")
def _partial_gradient_once(ref, ns, a):
    theta0 = np.array(a["theta0"], dtype=float)
    g = np.asarray(a["grad"](theta0), dtype=float)
    return np.array([theta0 - k * a["alpha"] * g for k in range(a["n_iters"] + 1)])


@mistake("partial_restarts_from_theta0", "starts every update from θ₀ again: each step starts from the θ the step "
         "before it reached")
def _partial_restarts_from_theta0(ref, ns, a):
    theta0 = np.array(a["theta0"], dtype=float)
    rows = [theta0]
    for _ in range(a["n_iters"]):
        rows.append(theta0 - a["alpha"] * np.asarray(a["grad"](rows[-1]), dtype=float))
    return np.array(rows)



# --- derivation exercise of 02: grad_rosenbrock (names start with rosenbrock_) -------------

def _rosenbrock_terms(a):
    """θ₁, and the derivatives of the two squares with respect to their own brackets."""
    t1, t2 = np.asarray(a["theta"], dtype=float).reshape(-1)[:2]
    return t1, -2.0 * (1.0 - t1), 200.0 * (t2 - t1 ** 2)


@mistake("rosenbrock_inner_dropped",
         "∂f/∂θ₁ drops the chain rule's inner derivative in the valley term: the bracket (θ₂ − θ₁²) "
         "changes when θ₁ moves, so the derivative of its square must also be multiplied by the "
         "derivative of the bracket with respect to θ₁")
def _rosenbrock_inner_dropped(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer + valley, valley])


@mistake("rosenbrock_inner_sign",
         "∂f/∂θ₁ has the inner derivative of (θ₂ − θ₁²) with the wrong sign: θ₁² enters that bracket "
         "with a minus, and the minus stays in its derivative")
def _rosenbrock_inner_sign(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer + 2.0 * t1 * valley, valley])


@mistake("rosenbrock_outer_minus_dropped",
         "∂f/∂θ₁ drops the −1 of the chain rule in (1 − θ₁)²: θ₁ enters that bracket with a minus "
         "sign, so the derivative of the bracket with respect to θ₁ is negative")
def _rosenbrock_outer_minus_dropped(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([-outer - 2.0 * t1 * valley, valley])


@mistake("rosenbrock_valley_two_missing",
         "the term 100·(θ₂ − θ₁²)² lost the factor 2 that the power rule brings down from its square "
         "(in both partial derivatives)")
def _rosenbrock_valley_two_missing(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer - t1 * valley, valley / 2.0])



@mistake("rosenbrock_hundred_dropped",
         "∂f/∂θ₁ lost the factor 100 of the valley term: a constant factor in front of a square stays in front "
         "of its derivative")
def _rosenbrock_hundred_dropped(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer - 2.0 * t1 * valley / 100.0, valley])


@mistake("rosenbrock_first_term_in_theta2",
         "∂f/∂θ₂ keeps the derivative of (1 − θ₁)²: that square holds no θ₂, so with θ₁ held constant it is a "
         "constant, and its derivative with respect to θ₂ is 0")
def _rosenbrock_first_term_in_theta2(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer - 2.0 * t1 * valley, valley + outer])


@mistake("rosenbrock_times_two",
         "computes θ₁ times 2 where the cost has θ₁ squared (in Python, t1 * 2 doubles t1; the square is t1 ** 2)")
def _rosenbrock_times_two(ref, ns, a):
    t1, t2 = np.asarray(a["theta"], dtype=float).reshape(-1)[:2]
    # the right gradient at the point whose valley bracket is the typo's (θ₂ − 2θ₁)
    return np.asarray(ref(theta=np.array([t1, t2 - 2.0 * t1 + t1 ** 2])), dtype=float)


@mistake("rosenbrock_inner_theta1_lost",
         "∂f/∂θ₁: the inner derivative of the bracket (θ₂ − θ₁²) lost its θ₁: the power rule on θ₁² leaves a "
         "factor θ₁ behind")
def _rosenbrock_inner_theta1_lost(ref, ns, a):
    t1, outer, valley = _rosenbrock_terms(a)
    return np.array([outer - 2.0 * valley, valley])


# concept questions of 02 (names start with q_): each wrong option or typical wrong number, by its misconception
wrong_option("q_frozen", "q_frozen_27", 27, "lets θ₁ move too, adding the slope along θ₁: a partial derivative moves one "
             "parameter only and holds the other fixed")
wrong_option("q_frozen", "q_frozen_20", 20, "differentiates with respect to the wrong parameter: ∂g/∂θ₂ moves θ₂ and holds θ₁ fixed")
wrong_option("q_frozen", "q_frozen_3", 3, "drops the term θ₁²θ₂ as if it were a constant: with θ₁ frozen, θ₁² is only a "
             "constant factor in front of θ₂, and the term still changes when θ₂ moves")
wrong_option("q_frozen", "q_frozen_35", 35, "gives the value of g at the point, not how fast g changes when θ₂ moves")
wrong_option("q_downhill", "q_downhill_at_minimum", "b", "aims straight at the minimum, as a step does on the round bowl J: "
             "on a stretched bowl each coordinate moves by its own partial derivative, and the steeper θ₂ gets the larger share")
wrong_option("q_downhill", "q_downhill_contour", "c", "steps along the contour line: at a right angle to the gradient f does not "
             "change, to first order")
wrong_option("q_downhill", "q_downhill_uphill", "d", "steps along the gradient, the direction of steepest ascent: f rises "
             "fastest that way")
wrong_option("q_simultaneous", "q_simultaneous_sequential", 0.53, "takes the partial derivative for θ₂ at the already-updated θ₁: "
             "every component of the step comes from the gradient at the same old θ")
wrong_option("q_simultaneous", "q_simultaneous_ascent", 1.5, "moves uphill: the step adds α times the gradient instead of subtracting it")
wrong_option("q_simultaneous", "q_simultaneous_other_partial", 0.7, "uses the wrong partial derivative for θ₂: ∂C/∂θ₂ holds θ₁ fixed "
             "and differentiates every term in which θ₂ appears, 2θ₂² included")
wrong_option("q_simultaneous", "q_simultaneous_alpha_ignored", -4, "leaves out the learning rate: the step is α times the partial "
             "derivative, not the partial derivative itself")
wrong_option("q_central_error", "q_central_error_a", "a", "lets the central difference's error shrink only in proportion to h, as if "
             "the even terms of Taylor's expansion did not cancel in it")
wrong_option("q_central_error", "q_central_error_c", "c", "gives the forward difference the cancellation that only the symmetric, "
             "central difference has: the forward difference keeps the first term after the derivative")
wrong_option("q_central_error", "q_central_error_d", "d", "lets rounding error take over at h = 10⁻³, where the formula's own error "
             "is still far larger than rounding")
wrong_option("q_valley_alpha", "q_valley_alpha_smallest", "a", "takes the smallest α for the best: it never overshoots, "
             "but along the nearly flat floor every step is α times a small slope, so in 100 steps it hardly moves")
wrong_option("q_valley_alpha", "q_valley_alpha_walls_only", "b", "tunes α for the walls alone, so that θ₁ lands on the floor "
             "in one step: what is left after 100 steps is the walk along the floor, where every step is α times a "
             "small slope")
wrong_option("q_valley_alpha", "q_valley_alpha_largest", "d", "takes a larger α to be always faster: across the valley v bends "
             "like 100·θ₁², and above α = 1/100 every step overshoots the floor further than the one before, so the run "
             "diverges")
wrong_option("q_saddle", "q_saddle_a", "a", "takes a zero gradient for a minimum: the gradient is zero wherever the surface is "
             "flat to first order, on hilltops and saddles too; look at how s changes along each axis")
wrong_option("q_saddle", "q_saddle_b", "b", "calls every flat point that is not a minimum a hilltop: look at how s changes along "
             "each axis separately")
wrong_option("q_saddle", "q_saddle_c", "c", "reads s as a sum of squares: one square enters with a minus sign, so s takes "
             "negative values")
