"""Every misconception the curriculum lists has wrong submissions that prove it is caught.

The list below is copied from "Misconceptions the hidden tests must catch" in the
course design (curriculum.md). Each entry names mutants in autograder/mutants; the
mutants themselves are graded in test_misconceptions.py. `python -m pytest
tests/test_curriculum_coverage.py -s` prints the count.
"""

from __future__ import annotations

from content.mutants import all_mutants

ONE, TWO, MSE, VEC = ("01_one_variable", "02_partial_derivatives", "03_mse_linear_regression",
                      "04_vectorized_gradient")
SGD = "05_stochastic_gradient"
FAST = "06_momentum_adam"

CURRICULUM = {
    "derivative: missing factor 2": [(ONE, "dJ-missing-two"), (TWO, "grad_J-missing-two")],
    "derivative: wrong sign": [(ONE, "dJ-wrong-sign"), (TWO, "grad_J-wrong-sign")],
    "derivative: returns the cost": [(ONE, "dJ-returns-cost"), (TWO, "grad_J-returns-cost")],
    "derivative: hard-coded for the visible input": [(ONE, "dJ-hard-coded"), (TWO, "grad_J-hard-coded")],
    "update rule: ascent instead of descent": [(ONE, "gd_step-ascent"), (TWO, "gd_step-ascent"),
                                               (MSE, "fit-ascent"), (VEC, "batch-ascent")],
    "update rule: α ignored": [(ONE, "gd_step-alpha-ignored"), (TWO, "gd_step-alpha-ignored"),
                               (MSE, "fit-alpha-ignored"), (VEC, "batch-alpha-ignored")],
    "update rule: the grad argument ignored": [(ONE, "gd_step-grad-ignored"), (TWO, "gd_step-grad-ignored")],
    "update rule: returns the step instead of the new θ": [(ONE, "gd_step-returns-step"),
                                                           (TWO, "gd_step-returns-step")],
    "update rule: non-simultaneous update": [(TWO, "gd_step-sequential"), (TWO, "gradient_descent-sequential"),
                                             (MSE, "fit-sequential"), (VEC, "batch-one-component-at-a-time")],
    "update rule: input modified in place": [(ONE, "gd_step-in-place"), (TWO, "gd_step-in-place"),
                                             (VEC, "batch-modifies-callers-theta")],
    "history: final θ only": [(ONE, "gradient_descent-final-only"), (TWO, "gradient_descent-final-only")],
    "history: θ₀ missing": [(ONE, "gradient_descent-missing-start"), (TWO, "gradient_descent-missing-start")],
    "history: one update too few": [(ONE, "gradient_descent-one-too-few"), (TWO, "gradient_descent-one-too-few"),
                                    (MSE, "fit-costs-one-too-few"), (VEC, "batch-costs-one-too-few")],
    "history: one update too many": [(ONE, "gradient_descent-one-too-many"),
                                     (TWO, "gradient_descent-one-too-many")],
    "history: rows aliasing one array": [(TWO, "gradient_descent-aliased-rows")],
    "table: θ after the update instead of before": [(ONE, "update_table-theta-after")],
    "table: iterations counted from 0": [(ONE, "update_table-from-zero")],
    "numerical gradient: forward difference": [(TWO, "numerical_gradient-forward")],
    "numerical gradient: divides by h instead of 2h": [(TWO, "numerical_gradient-divides-by-h")],
    "numerical gradient: leaves θ perturbed": [(TWO, "numerical_gradient-leaves-theta-perturbed")],
    "numerical gradient: works only in two dimensions": [(TWO, "numerical_gradient-two-dimensions-only")],
    "MSE: sum instead of mean": [(MSE, "mse-sum-not-mean"), (VEC, "mse-sum-not-mean")],
    "MSE: ½ factor in the wrong function": [(MSE, "mse-half-in-mse"), (MSE, "half-partials-half-missing"),
                                            (VEC, "mse-half-in-the-wrong-function")],
    "MSE: absolute error": [(MSE, "mse-absolute-error"), (VEC, "mse-absolute-error")],
    "MSE: square of the mean": [(MSE, "mse-square-of-mean"), (VEC, "mse-square-of-mean")],
    "partials: missing 2": [(MSE, "partials-missing-two"), (VEC, "mse_gradient_loop-missing-two")],
    "partials: missing ·x": [(MSE, "partials-missing-x"), (MSE, "half-partials-missing-x")],
    "partials: sign of the error flipped": [(MSE, "partials-error-flipped"), (VEC, "mse_gradient-wrong-sign")],
    "partials: components swapped": [(MSE, "partials-swapped"), (MSE, "half-partials-swapped")],
    "partials: sum not mean": [(MSE, "partials-sum-not-mean"), (VEC, "mse_gradient_loop-sum-not-mean")],
    "vectorized: y of shape (m, 1) broadcasting into (m, m)": [(VEC, "mse_gradient-y-column-broadcast"),
                                                               (VEC, "mse-y-column-broadcast")],
    "vectorized: column-vector result for a 1-D θ": [(VEC, "mse_gradient-column-result")],
    "vectorized: missing transpose": [(VEC, "mse_gradient-missing-transpose"),
                                      (VEC, "mse_gradient_loop-indices-swapped")],
    "vectorized: bias column at the end": [(VEC, "add_bias-ones-last")],
    "vectorized: bias column missing for 1-D X": [(VEC, "add_bias-1d-left-without-ones")],
}

# The derivation exercises (issue 12): the misconceptions each one names.
CURRICULUM.update({
    "double well: the power rule's exponent not lowered": [(ONE, "dJ_double_well-exponent-kept")],
    "double well: the linear term's derivative dropped": [(ONE, "dJ_double_well-linear-dropped")],
    "double well: the middle term's factor wrong": [(ONE, "dJ_double_well-middle-factor")],
    "Rosenbrock: the chain rule's inner derivative dropped": [(TWO, "grad_rosenbrock-inner-derivative-dropped"),
                                                              (TWO, "grad_rosenbrock-outer-minus-dropped")],
    "Rosenbrock: the inner derivative's sign": [(TWO, "grad_rosenbrock-inner-sign")],
    "Huber: the branch condition on e instead of |e|": [(MSE, "huber-condition-on-e")],
    "Huber: the linear branch's slope without the sign of e": [(MSE, "huber-linear-unsigned")],
    "Huber: the MSE's partials (no clipping)": [(MSE, "huber-mse-partials")],
    "ridge: the intercept penalised": [(VEC, "ridge_gradient-intercept-penalised")],
    "ridge: the penalty's factor 2 missing": [(VEC, "ridge_gradient-penalty-missing-two")],
    "ridge: the penalty divided by m": [(VEC, "ridge_gradient-penalty-over-m")],
    "ridge: the penalty's sign flipped or left out": [(VEC, "ridge_gradient-penalty-sign-flipped"),
                                                      (VEC, "ridge_gradient-penalty-left-out")],
})

# 05_stochastic_gradient (issue 13): the misconceptions its contract lists.
CURRICULUM.update({
    "mini-batches: no shuffling (range order)": [(SGD, "minibatches-not-shuffled"), (SGD, "sgd-not-shuffled")],
    "mini-batches: shuffling once for all epochs": [(SGD, "sgd-shuffled-once"),
                                                    (SGD, "sgd-data-shuffled-once-before-the-loop")],
    "mini-batches: the remainder batch dropped": [(SGD, "minibatches-remainder-dropped"), (SGD, "sgd-remainder-dropped")],
    "mini-batches: the batch gradient divided by m instead of b (or summed)": [
        (SGD, "minibatch_gradient-divides-by-m"), (SGD, "minibatch_gradient-summed"), (SGD, "sgd-gradient-over-m"),
        (SGD, "sgd-gradient-summed")],
    "mini-batches: X shuffled without y": [(SGD, "sgd-x-shuffled-without-y"), (SGD, "sgd-x-reshuffled-in-place-without-y")],
    "mini-batches: costs recorded per batch instead of per epoch": [(SGD, "sgd-costs-per-batch")],
    "schedule: applied per batch, or from epoch 1": [(SGD, "q_schedule_per_batch-per-batch"),
                                                     (SGD, "step_decay-from-epoch-one"),
                                                     (SGD, "q_schedule_per_batch-from-epoch-one")],
    "mini-batches: the caller's theta modified": [(SGD, "sgd-modifies-callers-theta")],
})


# 06_momentum_adam (issue 33): the misconceptions its contract lists.
CURRICULUM.update({
    "momentum: velocity not carried over (reset each step, or β ignored)": [
        (FAST, "momentum_step-velocity-reset"), (FAST, "momentum_descent-velocity-reset-each-step"),
        (FAST, "momentum_step-beta-ignored"), (FAST, "momentum_descent-beta-ignored")],
    "momentum: added uphill": [(FAST, "momentum_step-downhill-convention"), (FAST, "momentum_descent-moves-uphill")],
    "momentum: the (1 − β)·g form where the contract has g": [(FAST, "momentum_step-dampened"),
                                                             (FAST, "momentum_descent-dampened")],
    "momentum: α applied to the velocity twice": [(FAST, "momentum_step-alpha-twice"), (FAST, "momentum_descent-alpha-twice")],
    "Adam: without bias correction": [(FAST, "adam-no-bias-correction")],
    "Adam: t counted from 0": [(FAST, "adam-t-from-zero")],
    "Adam: ε inside the square root": [(FAST, "adam-eps-inside-sqrt")],
    "Adam: v from g instead of g²": [(FAST, "adam-v-from-g")],
    "Adam: β₁ and β₂ swapped": [(FAST, "adam-betas-swapped")],
    "validation: overlapping training": [(FAST, "train_validation_split-overlap"),
                                         (FAST, "train_validation_split-two-permutations")],
    "validation: taken before shuffling": [(FAST, "train_validation_split-first-rows-then-shuffle"),
                                           (FAST, "train_validation_split-not-shuffled")],
    "early stopping: returning the epoch where it stopped instead of the best one": [
        (FAST, "early_stopping-returns-stop-epoch")],
    "early stopping: patience off by one": [(FAST, "early_stopping-patience-plus-one"),
                                            (FAST, "early_stopping-patience-minus-one")],
    "early stopping: ties counted as improvements": [(FAST, "early_stopping-ties-improve")],
    "early stopping: the training cost watched instead of the validation": [
        (FAST, "q_watch_training-training-cost-watched")],
})


def test_every_curriculum_misconception_has_graded_mutants():
    mutants = {(a, m.name) for a, ms in all_mutants().items() for m in ms}
    missing = {item: [ref for ref in refs if ref not in mutants] for item, refs in CURRICULUM.items()}
    missing = {k: v for k, v in missing.items() if v}
    assert not missing, f"mutants named here do not exist: {missing}"
    print(f"\ncurriculum misconceptions covered by graded mutants: {len(CURRICULUM)} of {len(CURRICULUM)}")
