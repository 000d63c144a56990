"""01_one_variable: gradient descent on θ², the learning-rate regimes, stopping, the double well; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered

from content.mistakes.shared import with_changes


# --- 01_one_variable: gradient descent on θ² ------------------------------------------

@mistake("one_variable_integer_history",
         "stores the history in an integer array: with an integer θ₀ every new θ is cut to a whole "
         "number. Make the history a float array (e.g. np.zeros(n_iters + 1)) and put θ₀ in it")
def _one_variable_integer_history(ref, ns, a):
    theta = a["theta0"]
    if isinstance(theta, bool) or not isinstance(theta, (int, np.integer)):
        return ref(**a)
    rows = [int(theta)]
    for _ in range(a["n_iters"]):
        rows.append(int(ref(**with_changes(a, theta0=rows[-1], n_iters=1))[1]))  # numpy truncates like int()
    return np.array(rows)


@mistake("one_variable_divergence_missed",
         "never reports divergence: once the slope is not finite or grows past 10⁶·max(1, |grad(θ₀)|) "
         "the run must stop at once with reason \"diverged\" (not run on into inf and nan)")
def _one_variable_divergence_missed(ref, ns, a):
    theta, grad = a["theta0"], a["grad"]
    for k in range(a["max_iters"]):
        g = grad(theta)
        if abs(g) < a["tol"]:
            return (theta, k, "converged")
        theta = theta - a["alpha"] * g
    return (theta, a["max_iters"], "max_iters")


@mistake("one_variable_alpha_one_diverges",
         "calls α = 1 diverging: there the factor 1 − 2α is exactly −1, so θ flips sign but keeps "
         "its size forever (bouncing); diverging needs |1 − 2α| > 1")
def _one_variable_alpha_one_diverges(ref, ns, a):
    return "diverging" if a["alpha"] == 1 else ref(**a)


@mistake("one_variable_negative_alpha",
         "misses that a negative α diverges: the factor 1 − 2α is then above 1, so every update "
         "climbs uphill and |θ| grows")
def _one_variable_negative_alpha(ref, ns, a):
    return "monotone" if a["alpha"] < 0 else ref(**a)



# --- derivation exercise of 01: dJ_double_well (names start with double_well_) -------------

@mistake("double_well_returns_cost", "returns the cost J(θ) of the double well itself, not its derivative")
def _double_well_returns_cost(ref, ns, a):
    return ns["double_well"](a["theta"])


@mistake("double_well_exponent_kept",
         "brings each exponent down as a factor but does not lower the power: the power rule also "
         "reduces the exponent by one")
def _double_well_exponent_kept(ref, ns, a):
    t = a["theta"]
    return ref(t) * t + 0.5 - 0.5 * t  # exponents 4 and 2 kept, the linear term's slope kept


@mistake("double_well_linear_dropped",
         "drops the derivative of the linear term 0.5θ: only a constant term has slope 0")
def _double_well_linear_dropped(ref, ns, a):
    return ref(a["theta"]) - 0.5


@mistake("double_well_middle_factor",
         "gets the term −2θ² wrong: the exponent that the power rule brings down must multiply the "
         "coefficient −2, not be left out")
def _double_well_middle_factor(ref, ns, a):
    t = a["theta"]
    return ref(t) + 2 * t


# concept questions of 01 (names q_<question>_<option>)
wrong_option("q_slope_sign", "q_slope_sign_a", "a", "moves θ the way the slope points, which is uphill: the update moves θ against the slope")
wrong_option("q_slope_sign", "q_slope_sign_b", "b", "treats a nonzero slope as a flat point: θ only stays where it is when the slope is 0")
wrong_option("q_slope_sign", "q_slope_sign_d", "d", "thinks the update needs the value of the cost: it uses only the slope, whose sign "
             "alone gives the direction")
wrong_option("q_slope_size", "q_slope_size_a", "a", "treats the slope's size as the distance to the minimum: a small slope can also sit "
             "on a hilltop, far from any minimum")
wrong_option("q_slope_size", "q_slope_size_c", "c", "confuses the slope with the cost's value: a steep point can lie lower than a flat one")
wrong_option("q_slope_size", "q_slope_size_d", "d", "thinks the slope alone decides whether a step overshoots: that depends on α too")
wrong_option("q_factor", "q_factor_one_minus_alpha", 0.2, "forgets the factor 2 that the derivative of θ² brings: the step is α "
             "times the slope, not α times θ")
wrong_option("q_factor", "q_factor_sign_dropped", 0.6, "has the size of the factor but not its sign: ask on which side of the "
             "minimum θ lands after one update")
wrong_option("q_factor", "q_factor_fraction_removed", 1.6, "gives the part of θ that one update takes away, not the factor that "
             "multiplies θ")
wrong_option("q_factor", "q_factor_ascent", 2.6, "adds the step instead of subtracting it, which is gradient ascent")
wrong_option("q_converging", "q_converging_b", "b", "counts a factor of size 1 as converging: with it θ keeps its distance to the "
             "minimum forever")
wrong_option("q_converging", "q_converging_c", "c", "expects any α below 2 to work: descent converges only while the factor 1 − 2α "
             "stays between −1 and 1")
wrong_option("q_converging", "q_converging_d", "d", "takes a negative α for a slow one: it turns descent into ascent")
wrong_option("q_stopping", "q_stopping_a", "a", "looks for the reason in computing time; ask instead what the slope and the cost are "
             "at a minimum")
wrong_option("q_stopping", "q_stopping_c", "c", "treats the slope's size as the distance to the minimum: on a flat-bottomed cost such "
             "as θ⁴, θ can be far from the minimum although the slope is tiny")
wrong_option("q_stopping", "q_stopping_d", "d", "takes a converged run for the global minimum: the slope is 0 at a local minimum too")
wrong_option("q_well_start", "q_well_start_b", "b", "reads the way from the picture, not from the slope at θ₀: its sign decides where "
             "the first step goes, and descent never climbs back over the hilltop")
wrong_option("q_well_start", "q_well_start_c", "c", "takes θ = 0 for a flat point: the tilt 0.5θ leaves a slope there")
wrong_option("q_well_start", "q_well_start_d", "d", "expects descent to stop on a hilltop: it moves away from one, downhill on either side")
