"""05_stochastic_gradient: mini-batches, SGD, step decay, learning curves; its questions."""

from __future__ import annotations

import numpy as np

from autograder.pipeline.catalogue import mistake, wrong_option  # noqa: F401 - how a mistake is registered

from content.mistakes.shared import scaled, with_changes


# --- 05_stochastic_gradient ---------------------------------------------------------------
# Every random choice of 05 goes through an `rng` argument. A mistake works on a deep copy of the
# call's arguments, so the case's generator (and θ) stay as they were for the next mistake.

import copy as _copy  # noqa: E402
import math as _math  # noqa: E402


def _fresh(a: dict) -> dict:
    return _copy.deepcopy(a)


def _stochastic_run(a, permute="each", keep_last=True, scale=lambda b, m: 2.0 / b, x_only=None, per_batch=False):
    """sgd() with one thing changed: the order of the rows (permute: "each" epoch, "once" for all, "none"),
    the last, shorter batch kept or dropped, the factor in front of the batch gradient, X shuffled without
    y (x_only: "fresh" each epoch, or "cumulative", X = X[order] again and again) or costs per batch."""
    a = _fresh(a)
    X = np.asarray(a["X"], dtype=float)
    y = np.asarray(a["y"], dtype=float).reshape(-1)
    m, p = X.shape
    size, rng, alpha = int(a["batch_size"]), a["rng"], a["alpha"]
    theta = np.zeros(p) if a["theta"] is None else np.array(a["theta"], dtype=float).reshape(-1)
    X_cost = X  # the rows the cost is computed on (X shuffled on its own, cumulatively: the shuffled X)
    costs = [np.mean((X_cost @ theta - y) ** 2)]
    fixed = rng.permutation(m) if permute == "once" else None
    for _ in range(a["n_epochs"]):
        order = np.arange(m) if permute == "none" else fixed if permute == "once" else rng.permutation(m)
        if x_only is None:
            X_order, y_order = X[order], y[order]
        elif x_only == "fresh":
            X_order, y_order = X[order], y
        else:
            X_cost = X_cost[order]
            X_order, y_order = X_cost, y
        stop = m if keep_last else (m // size) * size
        for start in range(0, stop, size):
            X_b, y_b = X_order[start:start + size], y_order[start:start + size]
            theta = theta - alpha * scale(len(y_b), m) * (X_b.T @ (X_b @ theta - y_b))
            if per_batch:
                costs.append(np.mean((X_cost @ theta - y) ** 2))
        if not per_batch:
            costs.append(np.mean((X_cost @ theta - y) ** 2))
    return theta, np.array(costs)


@mistake("sgd_not_shuffled", "never shuffles: every epoch visits the examples in the order 0, 1, …, m − 1. Draw a "
         "new order with rng.permutation(m) at the start of every epoch")
def _sgd_not_shuffled(ref, ns, a):
    return _stochastic_run(a, permute="none")


@mistake("sgd_shuffled_once", "shuffles only once, before the first epoch, and then repeats that order: every "
         "epoch needs its own rng.permutation(m)")
def _sgd_shuffled_once(ref, ns, a):
    return _stochastic_run(a, permute="once")


@mistake("sgd_remainder_dropped", "drops the last, shorter batch when batch_size does not divide m: every example "
         "must be used once per epoch, so the remainder is a batch of its own")
def _sgd_remainder_dropped(ref, ns, a):
    return _stochastic_run(a, keep_last=False)


@mistake("sgd_gradient_over_m", "divides each batch gradient by m, the number of all examples, instead of b, the "
         "number in the batch: a batch's gradient is the mean over its own rows")
def _sgd_gradient_over_m(ref, ns, a):
    return _stochastic_run(a, scale=lambda b, m: 2.0 / m)


@mistake("sgd_gradient_summed", "sums the batch's gradients instead of averaging them (the 1/b is missing), so the "
         "step grows with the batch size")
def _sgd_gradient_summed(ref, ns, a):
    return _stochastic_run(a, scale=lambda b, m: 2.0)


@mistake("sgd_x_without_y", "shuffles the rows of X but not y, so each example meets another example's target: "
         "index X and y with the same order")
def _sgd_x_without_y(ref, ns, a):
    return _stochastic_run(a, x_only="fresh")


@mistake("sgd_x_without_y_again", "shuffles the rows of X but not y, so each example meets another example's "
         "target: index X and y with the same order")
def _sgd_x_without_y_again(ref, ns, a):
    return _stochastic_run(a, x_only="cumulative")


@mistake("sgd_costs_per_batch", "records the cost after every batch: costs[k] is the cost after k epochs, one "
         "entry per epoch (n_epochs + 1 in all)")
def _sgd_costs_per_batch(ref, ns, a):
    return _stochastic_run(a, per_batch=True)


@mistake("sgd_theta_ignored", "ignores the starting θ it is given and always starts from zeros")
def _sgd_theta_ignored(ref, ns, a):
    return ref(**with_changes(_fresh(a), theta=None))


def _order_of(a: dict):
    return _fresh(a)["rng"].permutation(int(a["m"]))


@mistake("minibatches_not_shuffled", "never shuffles: the batches hold 0, 1, …, m − 1 in order. Take the order "
         "from rng.permutation(m), then cut it into batches")
def _minibatches_not_shuffled(ref, ns, a):
    m, size = int(a["m"]), int(a["batch_size"])
    return [np.arange(m)[start:start + size] for start in range(0, m, size)]


@mistake("minibatches_remainder_dropped", "drops the last, shorter batch when batch_size does not divide m: "
         "together the batches must hold every index once")
def _minibatches_remainder_dropped(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return [order[start:start + size] for start in range(0, (len(order) // size) * size, size)]


_EVEN_SPLIT = ("spreads the examples evenly over the batches (np.array_split): every batch but the last must "
               "hold exactly batch_size indices, and only the last may be shorter")


@mistake("minibatches_even_split", _EVEN_SPLIT)
def _minibatches_even_split(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return list(np.array_split(order, _math.ceil(len(order) / size)))


@mistake("minibatches_even_split_floor", _EVEN_SPLIT)
def _minibatches_even_split_floor(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return list(np.array_split(order, max(len(order) // size, 1)))


def _batch_size_of(a: dict) -> int:
    return int(np.asarray(a["idx"]).size)


@mistake("minibatch_gradient_over_m", "divides by m, the number of all examples, instead of b = len(idx), the "
         "number in the batch: the batch's cost is the mean over its own rows")
def _minibatch_gradient_over_m(ref, ns, a):
    return scaled(ref(**_fresh(a)), _batch_size_of(a) / np.asarray(a["X"]).shape[0])


@mistake("minibatch_gradient_summed", "sums over the batch instead of averaging: the 1/b is missing (off by a "
         "factor of the batch size)")
def _minibatch_gradient_summed(ref, ns, a):
    return scaled(ref(**_fresh(a)), float(_batch_size_of(a)))


@mistake("minibatch_gradient_all_rows", "uses every row of X, not only the rows in idx: that is the full gradient, "
         "not the batch's")
def _minibatch_gradient_all_rows(ref, ns, a):
    return ref(**with_changes(_fresh(a), idx=np.arange(np.asarray(a["X"]).shape[0])))


@mistake("minibatch_gradient_y_column", "with y of shape (m, 1), y[idx] is a column and X_bθ − y[idx] broadcasts "
         "to a (b, b) matrix: flatten y first")
def _minibatch_gradient_y_column(ref, ns, a):
    X = np.asarray(a["X"], dtype=float)
    idx = np.asarray(a["idx"])
    X_b = X[idx]
    return 2.0 / idx.size * X_b.T @ (X_b @ np.asarray(a["theta"], dtype=float) - np.asarray(a["y"], dtype=float)[idx])


@mistake("step_decay_from_epoch_one", "counts epochs from 1, so α drops one epoch early: the first epoch is "
         "epoch 0, and α keeps α₀ for epochs 0 to every − 1")
def _step_decay_from_epoch_one(ref, ns, a):
    return a["alpha0"] * a["drop"] ** ((a["epoch"] + 1) // a["every"])


@mistake("step_decay_rounds_up", "rounds the number of drops up: α must stay α₀ for the first `every` epochs, "
         "so the exponent is epoch // every, rounded down")
def _step_decay_rounds_up(ref, ns, a):
    return a["alpha0"] * a["drop"] ** _math.ceil(a["epoch"] / a["every"])


@mistake("step_decay_smooth", "lets α shrink a little every epoch (exponential decay): a step schedule keeps α "
         "constant for `every` epochs and then drops it at once, so round the exponent down to a whole number")
def _step_decay_smooth(ref, ns, a):
    return a["alpha0"] * a["drop"] ** (a["epoch"] / a["every"])


@mistake("step_decay_drops_once", "drops α only once: it is multiplied by `drop` again after every further "
         "`every` epochs")
def _step_decay_drops_once(ref, ns, a):
    return a["alpha0"] * (a["drop"] if a["epoch"] >= a["every"] else 1.0)


def _costs_of(a: dict) -> np.ndarray:
    return np.asarray(a["costs"], dtype=float).reshape(-1)


def _diagnose(costs, window, finite_check=True, rises=False, against=None, absolute=False):
    """curve_diagnosis with one rule changed."""
    with np.errstate(invalid="ignore", over="ignore"):
        n = costs.size - 1
        if (finite_check and not np.all(np.isfinite(costs))) or costs[-1] > costs[0]:
            return "diverging"
        if rises and np.any(np.diff(costs) > 0):
            return "diverging"
        earlier = costs[0] if against == "first" else costs[-1 - window(n)]
        slow = (earlier - costs[-1] > 0.01) if absolute else (costs[-1] < 0.99 * earlier)
        return "too slow" if slow else "converged"


@mistake("curve_nonfinite_missed", "misses a cost that is NaN or infinite: comparisons with NaN are always False, "
         "so check np.isfinite on every cost first")
def _curve_nonfinite_missed(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: _math.ceil(n / 10), finite_check=False)


@mistake("curve_any_rise_diverging", "calls a curve diverging as soon as the cost rises once: the cost of "
         "mini-batch descent goes up and down from epoch to epoch; diverging means not finite, or ending above "
         "where it started")
def _curve_any_rise_diverging(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: _math.ceil(n / 10), rises=True)


@mistake("curve_window_one", "compares the last cost with the one just before it: the rule looks back "
         "k = ⌈n/10⌉ epochs, a tenth of the run")
def _curve_window_one(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: 1)


@mistake("curve_window_rounded_down", "rounds n/10 down: k = ⌈n/10⌉ is rounded up (at least 1 epoch), e.g. "
         "math.ceil(n / 10)")
def _curve_window_rounded_down(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: n // 10)


@mistake("curve_against_first", "compares the last cost with the first: a run that has converged has fallen far "
         "from its start too; compare with the cost k = ⌈n/10⌉ epochs before the end")
def _curve_against_first(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: n, against="first")


@mistake("curve_absolute_drop", "measures the last drop in absolute terms (more than 0.01): the rule is relative, "
         "the last cost below 0.99 times the earlier one, whatever the units of the cost")
def _curve_absolute_drop(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: _math.ceil(n / 10), absolute=True)


# --- issue 30: more of what students write -------------------------------------------------------

def _batch_starts(a: dict):
    return range(0, int(a["m"]), int(a["batch_size"]))


@mistake("minibatches_new_order_per_batch", "draws a new order for every batch (rng.permutation(m) once per batch): "
         "the batches of an epoch then overlap and leave examples out. Draw one order for the epoch, then cut it "
         "into slices")
def _minibatches_new_order_per_batch(ref, ns, a):
    a = _fresh(a)
    m, size = int(a["m"]), int(a["batch_size"])
    return [a["rng"].permutation(m)[start:start + size] for start in _batch_starts(a)]


@mistake("minibatches_drawn_per_batch", "draws every batch on its own (rng.choice for each batch): an example can land "
         "in several batches of an epoch and another in none. Draw one order for the epoch with rng.permutation(m) "
         "and cut it into slices")
def _minibatches_drawn_per_batch(ref, ns, a):
    a = _fresh(a)
    m, size = int(a["m"]), int(a["batch_size"])
    return [a["rng"].choice(m, size=min(size, m - start), replace=False) for start in _batch_starts(a)]


@mistake("minibatches_with_replacement", "draws the row numbers with replacement (rng.integers): some examples come "
         "twice in an epoch and others not at all. An epoch is a permutation, every example exactly once")
def _minibatches_with_replacement(ref, ns, a):
    a = _fresh(a)
    m, size = int(a["m"]), int(a["batch_size"])
    order = a["rng"].integers(0, m, size=m)
    return [order[start:start + size] for start in _batch_starts(a)]


@mistake("minibatches_stops_early", "stops one batch early: a batch starts at 0, batch_size, 2·batch_size, … at every "
         "start that is still inside the order, the last one included")
def _minibatches_stops_early(ref, ns, a):
    order, size = _order_of(a), int(a["batch_size"])
    return [order[start:start + size] for start in range(0, len(order) - size, size)]


def _batch_of(a: dict):
    X = np.asarray(a["X"], dtype=float)
    idx = np.asarray(a["idx"])
    return X[idx], np.asarray(a["y"], dtype=float).reshape(-1)[idx], np.asarray(a["theta"], dtype=float)


@mistake("minibatch_gradient_product_of_means", "multiplies the mean error by the mean of each feature: the gradient "
         "averages error × feature example by example, and a mean of products is not the product of the means")
def _minibatch_gradient_product_of_means(ref, ns, a):
    X_b, y_b, theta = _batch_of(a)
    return 2 * np.mean(X_b @ theta - y_b) * np.mean(X_b, axis=0)


@mistake("minibatch_gradient_mean_target", "pairs every example's features with the batch's mean target instead of "
         "its own target: each example's error is its own prediction minus its own y")
def _minibatch_gradient_mean_target(ref, ns, a):
    X_b, y_b, theta = _batch_of(a)
    return 2 / len(y_b) * (X_b.T @ X_b @ theta - X_b.T.sum(axis=1) * y_b.mean())


def _sgd_drawing(a, draw="epoch", xy_apart=False, stale=False, every_row=False, extra_epochs=0):
    """sgd() with one thing changed: a new order per batch (draw="batch"), X and y shuffled by two orders, every
    gradient of an epoch taken at the θ where the epoch started, the full gradient at every update, or more epochs."""
    a = _fresh(a)
    X = np.asarray(a["X"], dtype=float)
    y = np.asarray(a["y"], dtype=float).reshape(-1)
    m, p = X.shape
    size, rng, alpha = int(a["batch_size"]), a["rng"], a["alpha"]
    theta = np.zeros(p) if a["theta"] is None else np.array(a["theta"], dtype=float).reshape(-1)
    costs = [np.mean((X @ theta - y) ** 2)]
    for _ in range(a["n_epochs"] + extra_epochs):
        order = rng.permutation(m) if draw == "epoch" else None
        order_of_y = rng.permutation(m) if xy_apart else order
        start_of_epoch = theta
        for start in range(0, m, size):
            if draw == "batch":
                rows = rows_of_y = rng.permutation(m)[start:start + size]
            else:
                rows, rows_of_y = order[start:start + size], order_of_y[start:start + size]
            X_b, y_b = (X, y) if every_row else (X[rows], y[rows_of_y])
            at = start_of_epoch if stale else theta
            theta = theta - alpha * 2.0 / len(y_b) * (X_b.T @ (X_b @ at - y_b))
        costs.append(np.mean((X @ theta - y) ** 2))
    return theta, np.array(costs)


@mistake("sgd_x_and_y_shuffled_apart", "shuffles X and y with two different orders (two calls of rng.permutation per "
         "epoch): every example meets another example's target. Draw one order per epoch and index X and y with it")
def _sgd_x_and_y_shuffled_apart(ref, ns, a):
    return _sgd_drawing(a, xy_apart=True)


@mistake("sgd_new_order_per_batch", "draws a new order for every batch: within an epoch some examples are used twice "
         "and others not at all. Draw one order per epoch, then cut it into batches")
def _sgd_new_order_per_batch(ref, ns, a):
    return _sgd_drawing(a, draw="batch")


@mistake("sgd_gradients_from_epoch_start", "computes every batch's gradient at the θ where the epoch started: each "
         "update must start from the θ that the update before it left")
def _sgd_gradients_from_epoch_start(ref, ns, a):
    return _sgd_drawing(a, stale=True)


@mistake("sgd_full_gradient", "steps with the gradient of all the data at every update, however large the batch: an "
         "update uses only the rows of its own batch")
def _sgd_full_gradient(ref, ns, a):
    return _sgd_drawing(a, every_row=True)


@mistake("sgd_one_epoch_too_many", "runs one epoch too many: n_epochs epochs give n_epochs + 1 costs, the start and one "
         "after each epoch")
def _sgd_one_epoch_too_many(ref, ns, a):
    return _sgd_drawing(a, extra_epochs=1)


@mistake("sgd_uphill", "the updates moved uphill: each adds α times the batch gradient instead of subtracting it")
def _sgd_uphill(ref, ns, a):
    return ref(**with_changes(_fresh(a), alpha=-a["alpha"]))


@mistake("step_decay_times_drops", "multiplies α₀ by drop times the number of drops: each drop multiplies α by drop "
         "once more, so the number of drops is the power of drop")
def _step_decay_times_drops(ref, ns, a):
    return a["alpha0"] * a["drop"] * (a["epoch"] // a["every"])


@mistake("step_decay_remainder", "uses the remainder epoch % every where the number of whole blocks of `every` epochs "
         "belongs: α then climbs back to α₀ at the start of every block")
def _step_decay_remainder(ref, ns, a):
    return a["alpha0"] * a["drop"] ** (a["epoch"] % a["every"])


@mistake("step_decay_rounds_to_nearest", "rounds the number of drops to the nearest whole number, so α drops halfway "
         "through a block of `every` epochs: count only the blocks that are over (round down)")
def _step_decay_rounds_to_nearest(ref, ns, a):
    return a["alpha0"] * a["drop"] ** round(a["epoch"] / a["every"])


def _finite_and_not_above_start(costs) -> bool:
    return bool(np.all(np.isfinite(costs)) and costs[-1] <= costs[0])


@mistake("curve_labels_swapped", "swaps the labels of the second rule: a last cost still more than 1 % below the cost "
         "k epochs earlier means the curve is still falling; one that is not has levelled off")
def _curve_labels_swapped(ref, ns, a):
    costs = _costs_of(a)
    if not _finite_and_not_above_start(costs):
        return "diverging"
    k = _math.ceil((costs.size - 1) / 10)
    return "converged" if costs[-1] < 0.99 * costs[-1 - k] else "too slow"


@mistake("curve_highest_above_first", "calls a curve diverging when any cost rises above the first: only the last "
         "cost is compared with the first, and a curve can overshoot early and still come down")
def _curve_highest_above_first(ref, ns, a):
    costs = _costs_of(a)
    with np.errstate(invalid="ignore"):
        if not np.all(np.isfinite(costs)) or np.max(costs) > costs[0]:
            return "diverging"
    k = _math.ceil((costs.size - 1) / 10)
    return "too slow" if costs[-1] < 0.99 * costs[-1 - k] else "converged"


@mistake("curve_window_plus_one", "looks back n // 10 + 1 epochs, one too many when n is a multiple of 10: k = ⌈n/10⌉, "
         "a tenth of the run rounded up")
def _curve_window_plus_one(ref, ns, a):
    return _diagnose(_costs_of(a), lambda n: n // 10 + 1)


# concept questions of 05 (names start with q_), each wrong option with the misconception behind it
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_31", 31, "drops the last, shorter batch: it still holds examples of the epoch "
             "and makes an update of its own")
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_31_25", 31.25, "divides without rounding: a number of updates is whole, and the "
             "last, shorter batch makes one update")
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_1000", 1000, "counts one update per example, which is batch size 1: a batch "
             "makes one update, whatever its size")
wrong_option("q_updates_per_epoch", "q_updates_per_epoch_1", 1, "counts one update per epoch, which is batch gradient descent: every "
             "mini-batch makes an update")
wrong_option("q_schedule_per_batch", "q_schedule_per_batch_a", "a", "applies the schedule per batch: `epoch` counts epochs, and every "
             "update of an epoch uses that epoch's α")
wrong_option("q_schedule_per_batch", "q_schedule_per_batch_c", "c", "counts examples instead of updates: a batch of 100 examples makes "
             "one update")
wrong_option("q_schedule_per_batch", "q_schedule_per_batch_d", "d", "counts epochs from 1: the first epoch is epoch 0, so α₀ lasts "
             "epochs 0 to 9")
wrong_option("q_batch_mean", "q_batch_mean_a", "a", "averages the four batch gradients with equal weights: the short "
             "batch's 100 examples then count three times as much, one by one, as each of the other 900")
wrong_option("q_batch_mean", "q_batch_mean_b", "b", "adds the batch gradients up: each is already a mean over its own batch, "
             "and four means added are no mean of the 1000 examples")
wrong_option("q_batch_mean", "q_batch_mean_d", "d", "leaves the short batch out: its 100 examples are part of the data, and "
             "the full gradient is the mean over all 1000 of them")
wrong_option("q_constant_alpha", "q_constant_alpha_a", "a", "takes the jitter for an effect of the constant α alone: an update "
             "moves θ by α times one example's own gradient, so ask what those gradients are at the minimum of these "
             "points")
wrong_option("q_constant_alpha", "q_constant_alpha_b", "b", "blames the shuffling: the order decides which example comes next, "
             "not how far its update moves θ")
wrong_option("q_constant_alpha", "q_constant_alpha_c", "c", "expects the last examples of an epoch to pull θ off the minimum: "
             "a pull needs an example whose own gradient is not 0 there")
