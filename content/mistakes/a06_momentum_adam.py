"""06_momentum_adam: momentum, its effective step, Adam, held-out data, early stopping; its questions."""

from __future__ import annotations

import copy as _copy
import math as _math

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered


# --- helpers -----------------------------------------------------------------------------------
# A mistake works on a deep copy of the call's arguments, so the case's arrays (and generator) stay as
# they were for the next mistake. Each one is the instructor's rule with one thing changed, written
# out here in the same arithmetic order as the solutions so that a faithful wrong answer matches it
# to the last bits where it can.


def _fresh(a: dict) -> dict:
    return _copy.deepcopy(a)


def _gradient(grad, theta):
    return np.asarray(grad(theta), dtype=float)


def _momentum_update(theta, velocity, g, alpha, beta, form):
    """One update of momentum with one thing changed (``form``); returns (theta_new, velocity_new)."""
    if form == "reset":          # the velocity handed in is dropped: plain descent
        velocity_new = g
    elif form == "beta_ignored":  # v ← v + ∇J: every gradient kept in full
        velocity_new = velocity + g
    elif form == "downhill":     # v ← βv − ∇J, θ ← θ + αv: the other sign convention, with the contract's velocity
        velocity_new = beta * velocity - g
        return theta + alpha * velocity_new, velocity_new
    elif form == "dampened":     # v ← βv + (1 − β)∇J
        velocity_new = beta * velocity + (1.0 - beta) * g
    elif form == "alpha_twice":  # v ← βv + α∇J, θ ← θ − αv
        velocity_new = beta * velocity + alpha * g
    elif form == "old_velocity":  # θ moves along the velocity of the step before, then v is updated
        return theta - alpha * velocity, beta * velocity + g
    else:
        raise ValueError(form)
    return theta - alpha * velocity_new, velocity_new


def _momentum_step_with(a: dict, form: str):
    a = _fresh(a)
    theta = np.asarray(a["theta"], dtype=float)
    velocity = np.asarray(a["velocity"], dtype=float)
    return _momentum_update(theta, velocity, _gradient(a["grad"], theta), a["alpha"], a["beta"], form)


def _momentum_descent_with(a: dict, form: str):
    a = _fresh(a)
    theta = np.array(a["theta0"], dtype=float)
    velocity = np.zeros_like(theta)
    rows = [theta.copy()]
    for _ in range(int(a["n_iters"])):
        theta, velocity = _momentum_update(theta, velocity, _gradient(a["grad"], theta), a["alpha"], a["beta"], form)
        rows.append(np.array(theta, dtype=float))
    return np.array(rows)


_RESET = ("does not carry the velocity over: each step starts again from the gradient alone, which is plain "
          "descent. v ← β·v + ∇J(θ) keeps β times the velocity of the step before")
_BETA_IGNORED = ("ignores β: it adds the whole old velocity, v ← v + ∇J(θ), so no gradient is ever forgotten. "
                 "v ← β·v + ∇J(θ) keeps only β times the old velocity")
_DOWNHILL = ("adds the momentum uphill: it treats the velocity as pointing downhill (v ← β·v − ∇J, θ ← θ + α·v), "
             "but here the velocity is a sum of gradients, which point uphill: v ← β·v + ∇J(θ), then θ ← θ − α·v")
_DAMPENED = ("uses the dampened form v ← β·v + (1 − β)·∇J(θ): this notebook's momentum (PyTorch's SGD without "
             "dampening) adds the whole gradient, v ← β·v + ∇J(θ)")
_ALPHA_TWICE = ("applies α twice: it puts α into the velocity (v ← β·v + α·∇J) and multiplies by α again in "
                "θ ← θ − α·v. The velocity is a sum of gradients, v ← β·v + ∇J(θ)")
_OLD_VELOCITY = ("moves θ along the velocity of the step before: compute the new velocity first, "
                 "v ← β·v + ∇J(θ), then move θ ← θ − α·v with it")


@mistake("momentum_velocity_reset", _RESET)
def _momentum_velocity_reset(ref, ns, a):
    return _momentum_step_with(a, "reset")


@mistake("momentum_beta_ignored", _BETA_IGNORED)
def _momentum_beta_ignored(ref, ns, a):
    return _momentum_step_with(a, "beta_ignored")


@mistake("momentum_velocity_downhill", _DOWNHILL)
def _momentum_velocity_downhill(ref, ns, a):
    return _momentum_step_with(a, "downhill")


@mistake("momentum_dampened", _DAMPENED)
def _momentum_dampened(ref, ns, a):
    return _momentum_step_with(a, "dampened")


@mistake("momentum_alpha_twice", _ALPHA_TWICE)
def _momentum_alpha_twice(ref, ns, a):
    return _momentum_step_with(a, "alpha_twice")


@mistake("momentum_old_velocity", _OLD_VELOCITY)
def _momentum_old_velocity(ref, ns, a):
    return _momentum_step_with(a, "old_velocity")


@mistake("momentum_descent_velocity_reset", _RESET)
def _momentum_descent_velocity_reset(ref, ns, a):
    return _momentum_descent_with(a, "reset")


@mistake("momentum_descent_beta_ignored", _BETA_IGNORED)
def _momentum_descent_beta_ignored(ref, ns, a):
    return _momentum_descent_with(a, "beta_ignored")


@mistake("momentum_descent_dampened", _DAMPENED)
def _momentum_descent_dampened(ref, ns, a):
    return _momentum_descent_with(a, "dampened")


@mistake("momentum_descent_alpha_twice", _ALPHA_TWICE)
def _momentum_descent_alpha_twice(ref, ns, a):
    return _momentum_descent_with(a, "alpha_twice")


@mistake("momentum_descent_old_velocity", _OLD_VELOCITY)
def _momentum_descent_old_velocity(ref, ns, a):
    return _momentum_descent_with(a, "old_velocity")


# --- the effective step (the derivation) ---------------------------------------------------------

def _g(a: dict):
    return np.asarray(a["g"], dtype=float)


@mistake("effective_step_no_momentum", "returns α·g, plain descent's step: with momentum the velocity keeps growing "
         "on a constant slope, by β times its last value plus g at every step. (α·g is where the dampened form "
         "v ← β·v + (1 − β)·g would settle, not this notebook's v ← β·v + g)")
def _effective_step_no_momentum(ref, ns, a):
    return a["alpha"] * _g(a)


@mistake("effective_step_one_plus_beta", "stops the sum after two terms, α·(1 + β)·g: the velocity keeps every "
         "earlier gradient, each shrunk by one more factor of β, so the sum of β⁰ + β¹ + β² + … goes on for ever")
def _effective_step_one_plus_beta(ref, ns, a):
    return a["alpha"] * (1.0 + a["beta"]) * _g(a)


@mistake("effective_step_without_current", "leaves out the newest gradient: the new velocity is β times the old one "
         "plus the current g, so the sum starts at β⁰ = 1, not at β")
def _effective_step_without_current(ref, ns, a):
    with np.errstate(divide="ignore", invalid="ignore"):
        return a["alpha"] * a["beta"] * _g(a) / (1.0 - a["beta"])


@mistake("effective_step_velocity", "returns the velocity the steps settle on, not the step: θ moves by α times "
         "the velocity")
def _effective_step_velocity(ref, ns, a):
    return _g(a) / (1.0 - a["beta"])


@mistake("effective_step_over_beta", "divides by β: unroll v ← β·v + g from v₀ = 0 and add up the geometric series "
         "of powers of β")
def _effective_step_over_beta(ref, ns, a):
    with np.errstate(divide="ignore", invalid="ignore"):
        return a["alpha"] * _g(a) / np.float64(a["beta"])


@mistake("effective_step_alternating", "has the signs of the series alternating, the sum of (−β)ᵏ: that is the "
         "velocity of a gradient that flips sign at every step. On a constant slope every term has the same sign")
def _effective_step_alternating(ref, ns, a):
    return a["alpha"] * _g(a) / (1.0 + a["beta"])


@mistake("effective_step_run_2000_times", "runs the velocity's rule 2000 times instead of taking the limit: that is "
         "a measurement, not the formula, and for β close to 1 momentum is nowhere near settled after 2000 steps. "
         "Add up the whole geometric series")
def _effective_step_run_2000_times(ref, ns, a):
    g, beta = _g(a), a["beta"]
    velocity = np.zeros_like(g)
    for _ in range(2000):
        velocity = beta * velocity + g
    return a["alpha"] * velocity


# --- Adam ------------------------------------------------------------------------------------------

def _adam_with(a: dict, change: str = ""):
    """Adam (Kingma & Ba's Algorithm 1) with one thing changed."""
    a = _fresh(a)
    beta1, beta2, eps, alpha = a["beta1"], a["beta2"], a["eps"], a["alpha"]
    if change == "betas_swapped":
        beta1, beta2 = beta2, beta1
    theta = np.array(a["theta0"], dtype=float)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    rows = [theta.copy()]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        for t in range(1, int(a["n_iters"]) + 1):
            g = _gradient(a["grad"], theta)
            m = beta1 * m + (1 - beta1) * g
            v = beta2 * v + (1 - beta2) * (g if change == "v_from_g" else g ** 2)
            count = t - 1 if change == "t_from_zero" else t
            m_hat = m if change in ("no_correction", "m_uncorrected") else m / (1 - beta1 ** count)
            v_hat = v if change in ("no_correction", "v_uncorrected") else v / (1 - beta2 ** count)
            if change == "eps_inside":
                theta = theta - alpha * m_hat / np.sqrt(v_hat + eps)
            elif change == "no_sqrt":
                theta = theta - alpha * m_hat / (v_hat + eps)
            else:
                theta = theta - alpha * m_hat / (np.sqrt(v_hat) + eps)
            rows.append(np.array(theta, dtype=float))
    return np.array(rows)


@mistake("adam_no_bias_correction", "leaves out the bias correction: m and v start at 0, so in the first steps they "
         "are far too small; divide them by 1 − β₁ᵗ and 1 − β₂ᵗ before the update")
def _adam_no_bias_correction(ref, ns, a):
    return _adam_with(a, "no_correction")


@mistake("adam_m_uncorrected", "corrects v but not m: both running means start at 0, so both need their bias "
         "correction, m̂ = m / (1 − β₁ᵗ) as well as v̂ = v / (1 − β₂ᵗ)")
def _adam_m_uncorrected(ref, ns, a):
    return _adam_with(a, "m_uncorrected")


@mistake("adam_v_uncorrected", "corrects m but not v: both running means start at 0, so both need their bias "
         "correction, v̂ = v / (1 − β₂ᵗ) as well as m̂ = m / (1 − β₁ᵗ)")
def _adam_v_uncorrected(ref, ns, a):
    return _adam_with(a, "v_uncorrected")


@mistake("adam_t_from_zero", "counts t from 0: the first update divides by 1 − β₁⁰ = 0 and every θ after it is NaN. "
         "The first update is step t = 1")
def _adam_t_from_zero(ref, ns, a):
    return _adam_with(a, "t_from_zero")


@mistake("adam_eps_inside_sqrt", "puts ε inside the square root, √(v̂ + ε): ε is added after the root, √v̂ + ε "
         "(it matters where gradients are small)")
def _adam_eps_inside_sqrt(ref, ns, a):
    return _adam_with(a, "eps_inside")


@mistake("adam_v_from_g", "builds v from the gradient g instead of its square g²: v is a running mean of squared "
         "gradients (a negative g then gives the root of a negative number, NaN)")
def _adam_v_from_g(ref, ns, a):
    return _adam_with(a, "v_from_g")


@mistake("adam_betas_swapped", "swaps β₁ and β₂: β₁ (0.9 by default) belongs to m, the mean of the gradients, and "
         "β₂ (0.999) to v, the mean of their squares, in the updates and in the corrections")
def _adam_betas_swapped(ref, ns, a):
    return _adam_with(a, "betas_swapped")


@mistake("adam_no_sqrt", "divides by v̂ itself instead of its square root: √v̂ has the units of the gradient, so "
         "the step m̂ / (√v̂ + ε) is about α long in every coordinate")
def _adam_no_sqrt(ref, ns, a):
    return _adam_with(a, "no_sqrt")


# --- training and validation data --------------------------------------------------------------

def _n_val(a: dict, rounding=_math.floor, minimum=1) -> int:
    return max(minimum, int(rounding(a["validation_fraction"] * a["m"])))


def _order(a: dict):
    return _fresh(a)["rng"].permutation(int(a["m"]))


@mistake("split_overlap", "lets the validation examples overlap the training examples (the training set is the "
         "whole order): a validation set only tells about new data if no example of it was trained on. Train on "
         "order[n_val:]")
def _split_overlap(ref, ns, a):
    order = _order(a)
    return order, order[:_n_val(a)]


@mistake("split_two_orders", "draws two different orders, one for each set, so they overlap and leave examples "
         "out: call rng.permutation(m) once and cut that one order in two")
def _split_two_orders(ref, ns, a):
    rng = _fresh(a)["rng"]
    n_val = _n_val(a)
    val = rng.permutation(int(a["m"]))[:n_val]
    return rng.permutation(int(a["m"]))[n_val:], val


@mistake("split_two_orders_train_first", "draws two different orders, one for each set, so they overlap and leave "
         "examples out: call rng.permutation(m) once and cut that one order in two")
def _split_two_orders_train_first(ref, ns, a):
    rng = _fresh(a)["rng"]
    n_val = _n_val(a)
    train = rng.permutation(int(a["m"]))[n_val:]
    return train, rng.permutation(int(a["m"]))[:n_val]


_BEFORE_SHUFFLING = ("takes the validation examples before shuffling, the first rows of the data as they come "
                     "(sorted data would give a validation set unlike the rest): shuffle first, with one "
                     "rng.permutation(m), then take val = order[:n_val] and train = order[n_val:]")


@mistake("split_not_shuffled", _BEFORE_SHUFFLING)
def _split_not_shuffled(ref, ns, a):
    n_val = _n_val(a)
    return np.arange(n_val, int(a["m"])), np.arange(n_val)


@mistake("split_val_before_shuffling", _BEFORE_SHUFFLING)
def _split_val_before_shuffling(ref, ns, a):
    n_val = _n_val(a)
    order = _order(a)
    return order[order >= n_val], np.arange(n_val)


@mistake("split_val_before_shuffling_rest", _BEFORE_SHUFFLING)
def _split_val_before_shuffling_rest(ref, ns, a):
    n_val = _n_val(a)
    rest = _fresh(a)["rng"].permutation(int(a["m"]) - n_val)
    return rest + n_val, np.arange(n_val)


@mistake("split_val_from_end", "takes the validation examples from the end of the order: here they are the first "
         "n_val entries, val = order[:n_val], and the training set is the rest, order[n_val:]")
def _split_val_from_end(ref, ns, a):
    order = _order(a)
    n_train = int(a["m"]) - _n_val(a)
    return order[:n_train], order[n_train:]


@mistake("split_rounded", "rounds validation_fraction·m to the nearest whole number: the rule rounds it down, "
         "⌊validation_fraction·m⌋ (at least 1)")
def _split_rounded(ref, ns, a):
    order, n_val = _order(a), _n_val(a, rounding=round)
    return order[n_val:], order[:n_val]


@mistake("split_rounded_up", "rounds validation_fraction·m up: the rule rounds it down, ⌊validation_fraction·m⌋ "
         "(at least 1)")
def _split_rounded_up(ref, ns, a):
    order, n_val = _order(a), _n_val(a, rounding=_math.ceil)
    return order[n_val:], order[:n_val]


@mistake("split_no_minimum", "can hold out no example at all: when validation_fraction·m is below 1, "
         "⌊validation_fraction·m⌋ is 0, and the rule keeps at least one, max(1, …)")
def _split_no_minimum(ref, ns, a):
    order, n_val = _order(a), _n_val(a, minimum=0)
    return order[n_val:], order[:n_val]


# --- early stopping ---------------------------------------------------------------------------------

def _scan(a: dict, patience_shift=0, ties=False, stop_epoch=False, reset=True, first=0, patience=True):
    """early_stopping with one rule changed; returns the kept epoch (or the one where the scan stopped)."""
    costs = np.asarray(a["val_costs"], dtype=float).ravel()
    limit = int(a["patience"]) + patience_shift
    if first >= costs.size:
        return 0
    best, waited, epoch = first, 0, first
    for epoch in range(first + 1, costs.size):
        better = costs[epoch] <= costs[best] if ties else costs[epoch] < costs[best]
        if better:
            best = epoch
            if reset:
                waited = 0
        else:
            waited += 1
            if patience and waited >= limit:
                break
    return epoch if stop_epoch else best


@mistake("early_stopping_stop_epoch", "returns the epoch where the scan stopped: by then the validation cost has "
         "not improved for `patience` epochs. Keep the weights of the best epoch, the one with the lowest "
         "validation cost")
def _early_stopping_stop_epoch(ref, ns, a):
    return _scan(a, stop_epoch=True)


@mistake("early_stopping_patience_plus_one", "waits one epoch too many (patience is off by one): stop as soon as "
         "`patience` epochs in a row have brought no improvement")
def _early_stopping_patience_plus_one(ref, ns, a):
    return _scan(a, patience_shift=1)


@mistake("early_stopping_patience_minus_one", "stops one epoch too early (patience is off by one): stop when "
         "`patience` epochs in a row have brought no improvement, not patience − 1")
def _early_stopping_patience_minus_one(ref, ns, a):
    return _scan(a, patience_shift=-1)


@mistake("early_stopping_ties", "counts a tie as an improvement: only a strictly lower validation cost makes a "
         "new best and starts the count again")
def _early_stopping_ties(ref, ns, a):
    return _scan(a, ties=True)


@mistake("early_stopping_no_patience", "never stops: it returns the lowest validation cost of the whole run. "
         "Early stopping scans the epochs in order, as training would, and stops after `patience` epochs "
         "without improvement, keeping the best epoch seen until then")
def _early_stopping_no_patience(ref, ns, a):
    return _scan(a, patience=False)


@mistake("early_stopping_count_not_reset", "counts every epoch without improvement since the start: the count is of "
         "epochs *in a row* without improvement, and starts again at 0 after each improvement")
def _early_stopping_count_not_reset(ref, ns, a):
    return _scan(a, reset=False)


@mistake("early_stopping_from_epoch_one", "never considers epoch 0, the weights before any update: the scan starts "
         "with epoch 0 as the first best")
def _early_stopping_from_epoch_one(ref, ns, a):
    return _scan(a, first=1)


# --- concept questions of 06 (names start with q_), each wrong option with the misconception behind it -----

wrong_option("q_long_slope", "q_long_slope_plain", 0.005, "gives plain descent's step, α·g₁: with momentum the "
             "velocity keeps growing on a constant slope (and the dampened form, which would settle on α·g₁, is not "
             "this notebook's)")
wrong_option("q_long_slope", "q_long_slope_two_terms", 0.00975, "keeps only two terms of the velocity, (1 + β)·g: "
             "every earlier gradient stays in it, shrunk by a power of β")
wrong_option("q_long_slope", "q_long_slope_no_current", 0.095, "leaves the newest gradient out of the velocity: the "
             "sum of powers of β starts at β⁰ = 1")
wrong_option("q_long_slope", "q_long_slope_velocity", 10, "gives the velocity, not the step: θ moves by α times "
             "the velocity")
wrong_option("q_long_slope", "q_long_slope_theta2", 0.4, "reads θ₂'s component: the question asks about θ₁, whose "
             "gradient component is 0.5")
wrong_option("q_long_slope", "q_long_slope_alternating", 0.002564102564102564, "uses the velocity of a gradient that "
             "flips sign at every step: on a constant slope the gradients add up")
wrong_option("q_adam_jump", "q_adam_jump_a", "a", "thinks each step is exactly α long: that holds while the "
             "gradient is steady, when m̂² and v̂ agree. Right after the jump, m and v each take in a share of the new "
             "gradient, and the shares differ")
wrong_option("q_adam_jump", "q_adam_jump_b", "b", "has the effect of the jump the wrong way round: the new, "
             "large gradient enters m at once (a share 1 − β₁ of it), so the step grows")
wrong_option("q_adam_jump", "q_adam_jump_d", "d", "divides the new gradient by the old scale √v̂ ≈ 0.001 alone: "
             "v takes in the new square at once too, (1 − β₂)·1 = 0.001, which outweighs the old 10⁻⁶, and m takes in "
             "only 1 − β₁ = 0.1 of the new gradient")
wrong_option("q_alternating", "q_alternating_a", "a", "uses the constant-slope result for a gradient that flips "
             "sign: the flips work against each other in the velocity, they do not add up")
wrong_option("q_alternating", "q_alternating_b", "b", "thinks momentum changes nothing when the gradient flips: "
             "the new velocity is the new gradient minus β times the old velocity's size")
wrong_option("q_alternating", "q_alternating_c", "c", "thinks the flips cancel exactly: the newest gradient "
             "always counts in full and the older ones, of the other sign, only with a factor β")
wrong_option("q_rotated_bowl", "q_rotated_bowl_a", "a", "thinks Adam adapts to the bowl's directions: it rescales "
             "each coordinate separately, by that coordinate's own gradient size, and cannot turn a rotated bowl round")
wrong_option("q_rotated_bowl", "q_rotated_bowl_c", "c", "thinks the diagonal is easier: after the rotation each "
             "coordinate's gradient mixes the steep and the flat direction, so no per-coordinate scale fits")
wrong_option("q_rotated_bowl", "q_rotated_bowl_d", "d", "thinks Adam needs the bowl's axes along the coordinates "
             "to stay stable: its steps stay about α long whatever the bowl, it only loses its advantage")
wrong_option("q_watch_training", "q_watch_training_b", "b", "watches the training cost as if it turned with the "
             "validation cost: the training cost keeps falling while the model fits the noise of its own examples, "
             "so it says nothing about when to stop")
wrong_option("q_watch_training", "q_watch_training_c", "c", "thinks the training cost stops improving at once: it "
             "is the cost being minimised, and it keeps going down")
wrong_option("q_watch_training", "q_watch_training_d", "d", "looks for the crossing of the two curves: early "
             "stopping compares each cost only with its own best so far")
