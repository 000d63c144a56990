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


# concept questions of 02 (names start with q_): each wrong option or typical wrong number, by its misconception
wrong_option("q_frozen", "q_frozen_27", 27, "lets θ₁ move too, adding the slope along θ₁: a partial derivative moves one "
             "parameter only and holds the other fixed")
wrong_option("q_frozen", "q_frozen_20", 20, "differentiates with respect to the wrong parameter: ∂g/∂θ₂ moves θ₂ and holds θ₁ fixed")
wrong_option("q_frozen", "q_frozen_3", 3, "drops the term θ₁²θ₂ as if it were a constant: with θ₁ frozen, θ₁² is only a "
             "constant factor in front of θ₂, and the term still changes when θ₂ moves")
wrong_option("q_frozen", "q_frozen_35", 35, "gives the value of g at the point, not how fast g changes when θ₂ moves")
wrong_option("q_downhill", "q_downhill_a", "a", "steps along the gradient, the direction of steepest ascent: f rises fastest that way")
wrong_option("q_downhill", "q_downhill_c", "c", "steps along the contour line: at a right angle to the gradient f does not change, "
             "to first order")
wrong_option("q_downhill", "q_downhill_d", "d", "moves only the parameter with the largest partial derivative: the other partial "
             "derivative can lower f too, and the steepest step of a given length combines both")
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
wrong_option("q_valley_alpha", "q_valley_alpha_a", "a", "blames the gradient: the formula is exact everywhere; what goes wrong is the "
             "length of the steps in two very different directions")
wrong_option("q_valley_alpha", "q_valley_alpha_c", "c", "has the shape of the valley the wrong way round: look again at which "
             "direction is steep and which is nearly flat on the contour plot")
wrong_option("q_valley_alpha", "q_valley_alpha_d", "d", "assumes a larger α always gets further: above the limit that the steepest "
             "direction sets, every step overshoots more than the one before (no rounding needed)")
wrong_option("q_saddle", "q_saddle_a", "a", "takes a zero gradient for a minimum: the gradient is zero wherever the surface is "
             "flat to first order, on hilltops and saddles too; look at how s changes along each axis")
wrong_option("q_saddle", "q_saddle_b", "b", "calls every flat point that is not a minimum a hilltop: look at how s changes along "
             "each axis separately")
wrong_option("q_saddle", "q_saddle_d", "d", "reads s as a sum of squares: one square enters with a minus sign, so s takes "
             "negative values")
