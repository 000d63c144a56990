"""01_one_variable: gradient descent on θ², the learning-rate regimes, stopping, the double well; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered

from content.mistakes.shared import scaled, with_changes


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


# --- what students write beyond the curriculum's list (issue 30): one wrong idea each, named by what it does ---

@mistake("one_variable_cost_doubles", "doubles θ instead of squaring it: the square of θ is θ times θ, not 2 times θ")
def _one_variable_cost_doubles(ref, ns, a):
    return scaled(a["theta"], 2.0)


@mistake("one_variable_power_not_lowered",
         "brings the exponent down in front but keeps the power: the power rule also lowers the exponent by one")
def _one_variable_power_not_lowered(ref, ns, a):
    return ref(**a) * a["theta"]


@mistake("one_variable_slope_absolute",
         "takes the size of the slope, |J'(θ)|, and drops its sign: left of the minimum the slope is negative and "
         "descent must move θ up, so the answer has the wrong sign there")
def _one_variable_slope_absolute(ref, ns, a):
    return np.abs(ref(**a))


@mistake("one_variable_steps_by_cost",
         "steps by α times the cost J(θ), not by α times the slope grad(θ): how high θ is says nothing about "
         "which way is down")
def _one_variable_steps_by_cost(ref, ns, a):
    return a["theta"] - a["alpha"] * ns["J"](a["theta"])


@mistake("one_variable_history_from_zero",
         "never stores θ₀: row 0 of the history stays 0, so the whole run starts from 0 instead of from θ₀")
def _one_variable_history_from_zero(ref, ns, a):
    return ref(**with_changes(a, theta0=0.0))


@mistake("one_variable_slope_at_start",
         "uses the slope at θ₀ for every update: each update needs grad at the current θ, which changes after "
         "every update")
def _one_variable_slope_at_start(ref, ns, a):
    theta0 = float(a["theta0"])
    return theta0 - a["alpha"] * float(a["grad"](theta0)) * np.arange(a["n_iters"] + 1)


@mistake("one_variable_table_slope_column",
         "puts the slope J'(θ) in the third column: the table shows the update α·J'(θ), the amount that is "
         "subtracted from θ")
def _one_variable_table_slope_column(ref, ns, a):
    if a["alpha"] == 0:
        return ref(**a)
    return [(k, theta, update / a["alpha"]) for k, theta, update in ref(**a)]


@mistake("one_variable_table_seed_alpha",
         "uses the table's α = 0.1 whatever `alpha` is: compute every update with the learning rate passed in")
def _one_variable_table_seed_alpha(ref, ns, a):
    return ref(**with_changes(a, alpha=0.1))


@mistake("one_variable_table_rounded",
         "rounds θ and the update in the rows: keep every digit in the table, and round only when printing it")
def _one_variable_table_rounded(ref, ns, a):
    return [(k, round(theta, 3), round(update, 3)) for k, theta, update in ref(**a)]


@mistake("one_variable_regime_factor_without_two",
         "decides with the factor 1 − α, as if the slope of θ² had no factor 2: every update multiplies θ by "
         "1 − 2α, so each boundary sits at half the α")
def _one_variable_regime_factor_without_two(ref, ns, a):
    return ref(**with_changes(a, alpha=a["alpha"] / 2))


@mistake("one_variable_regime_labels_swapped",
         "swaps \"monotone\" and \"oscillating\": θ keeps its sign while the factor 1 − 2α is positive, and "
         "flips it every update while the factor is negative")
def _one_variable_regime_labels_swapped(ref, ns, a):
    label = ref(**a)
    return {"monotone": "oscillating", "oscillating": "monotone"}.get(label, label)


def _stopping_rule(a, converged):
    """run_until_converged with another test for "converged" (``converged(theta, g)``), the rest as the rule."""
    theta, alpha, grad = float(a["theta0"]), a["alpha"], a["grad"]
    limit = 1e6 * max(1.0, abs(float(grad(theta))))
    n = 0
    while True:
        g = float(grad(theta))
        if not np.isfinite(g) or abs(g) > limit:
            return (theta, n, "diverged")
        if converged(theta, g):
            return (theta, n, "converged")
        if n >= a["max_iters"]:
            return (theta, n, "max_iters")
        theta = theta - alpha * g
        n += 1


@mistake("one_variable_step_below_tol",
         "compares the step α·|g| with tol: the rule reports \"converged\" when the slope |g| itself is below tol, "
         "whatever α is")
def _one_variable_step_below_tol(ref, ns, a):
    return _stopping_rule(a, lambda theta, g: abs(a["alpha"] * g) < a["tol"])


@mistake("one_variable_distance_below_tol",
         "stops when |θ| is below tol: that is the distance to 0, which is the minimum of θ² only; the rule "
         "watches the slope |g|, which is 0 at any minimum")
def _one_variable_distance_below_tol(ref, ns, a):
    return _stopping_rule(a, lambda theta, g: abs(theta) < a["tol"])


@mistake("one_variable_update_before_check",
         "updates before it checks: a run whose θ₀ is already flat enough (or already past the limit) must stop with "
         "0 updates, so look at the slope first and update only when no stopping case applies")
def _one_variable_update_before_check(ref, ns, a):
    theta, n, reason = ref(**a)
    if n > 0 or reason == "max_iters" or a["max_iters"] < 1:
        return (theta, n, reason)
    first = float(a["theta0"]) - a["alpha"] * float(a["grad"](float(a["theta0"])))
    limit = 1e6 * max(1.0, abs(float(a["grad"](float(a["theta0"])))))
    g = float(a["grad"](first))
    if not np.isfinite(g) or abs(g) > limit:
        return (first, 1, "diverged")
    rest = ref(**with_changes(a, theta0=first, max_iters=a["max_iters"] - 1))
    return (rest[0], rest[1] + 1, rest[2])


@mistake("one_variable_counts_checks",
         "counts the checks, not the updates: when the rule stops, the count it returns is one more than the "
         "updates made (a run that stops before any update has made 0)")
def _one_variable_counts_checks(ref, ns, a):
    theta, n, reason = ref(**a)
    if reason == "max_iters":
        return (theta, n, reason)
    if n < a["max_iters"]:
        return (theta, n + 1, reason)
    return (theta, n, "max_iters")  # found right after the last update: a loop over the updates ends first



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


@mistake("double_well_linear_keeps_theta",
         "keeps the θ of the linear term: 0.5θ is 0.5·θ¹, and the power rule with n = 1 leaves a constant")
def _double_well_linear_keeps_theta(ref, ns, a):
    t = a["theta"]
    return ref(t) - 0.5 + 0.5 * t


@mistake("double_well_middle_sign",
         "drops the minus sign of −2θ²: the coefficient, sign included, multiplies what the power rule brings down")
def _double_well_middle_sign(ref, ns, a):
    t = a["theta"]
    return ref(t) + 8 * t


# concept questions of 01 (names q_<question>_<option>): each wrong option is one misconception at work on a cost or a
# situation the notebook did not show; no message says which option is right
wrong_option("q_slope_sign", "q_slope_sign_a", "a", "adds α times the slope instead of subtracting it: that moves θ the way the "
             "cost rises, uphill")
wrong_option("q_slope_sign", "q_slope_sign_c", "c", "takes the slope of (θ − 5)² to be θ − 5: differentiate θ² − 10θ + 25 term by "
             "term, and keep the factor the power rule brings down from θ²")
wrong_option("q_slope_sign", "q_slope_sign_d", "d", "steps by α times the cost J(θ), not by α times its slope: how high θ is says "
             "nothing about which way is down")
wrong_option("q_slope_size", "q_slope_size_a", "a", "takes a fixed α for a fixed step: a step is α times the slope where θ stands, "
             "and the slope changes with θ")
wrong_option("q_slope_size", "q_slope_size_b", "b", "scales the step with the distance to the minimum, as on θ²: on θ⁴ the slope "
             "does not shrink in proportion to the distance")
wrong_option("q_slope_size", "q_slope_size_c", "c", "scales the step with the cost θ⁴: a step is α times the slope, not α times "
             "the cost")
wrong_option("q_factor", "q_factor_slope_without_two", 0.1, "forgets the factor that the power rule brings down from θ²: the slope of "
             "3θ² is not 3θ")
wrong_option("q_factor", "q_factor_theta_squared", 0.4, "uses θ²'s factor 1 − 2α for 3θ²: a constant factor of the cost stays in "
             "its slope")
wrong_option("q_factor", "q_factor_sign_dropped", 0.8, "has the size of the factor but not its sign: ask on which side of the "
             "minimum θ lands after one update")
wrong_option("q_factor", "q_factor_fraction_removed", 1.8, "gives the part of θ that one update takes away, not the factor that "
             "multiplies θ")
wrong_option("q_factor", "q_factor_ascent", 2.8, "adds the step instead of subtracting it, which is gradient ascent")
wrong_option("q_converging", "q_converging_a", "a", "expects θ to bounce back to θ₀: that needs an update that keeps the size of θ, "
             "and the first update did not")
wrong_option("q_converging", "q_converging_b", "b", "keeps θ on the side it reached, as if the first flip were a one-off: every "
             "update multiplies θ by the same factor, sign included")
wrong_option("q_converging", "q_converging_d", "d", "repeats the first step, as if a fixed α fixed the step's length: each step is "
             "α times the slope where θ now stands")
wrong_option("q_stopping", "q_stopping_b", "b", "reads tol as a bound on the distance to the minimum: the rule bounds the slope, "
             "and on a flat-bottomed cost a tiny slope leaves θ well away from the minimum")
wrong_option("q_stopping", "q_stopping_c", "c", "stops on the cost, J(θ) < tol: the rule compares the slope |J'(θ)| with tol")
wrong_option("q_stopping", "q_stopping_d", "d", "expects a converged run to reach the minimum: the rule stops once the slope is "
             "below tol, and descent only ever approaches the minimum")
wrong_option("q_well_start", "q_well_start_b", "b", "reads the way from the picture, not from the slope at θ₀: its sign decides where "
             "the first step goes, and descent never climbs back over the hilltop")
wrong_option("q_well_start", "q_well_start_c", "c", "takes θ = 0 for a flat point: the tilt 0.5θ leaves a slope there")
wrong_option("q_well_start", "q_well_start_d", "d", "expects descent to stop on a hilltop: it moves away from one, downhill on either side")
