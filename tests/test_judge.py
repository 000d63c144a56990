"""The verdict engine on its own: probe records in, named mistakes out (no kernel)."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import gdcourse.probe as probe_module
from autograder.pipeline.judge import judge_cell, judge_probe, same
from content.mistakes import CATALOG
from gdcourse.probe import case, encode
from gdcourse.costs import coupled_bowl_grad


def record(func, cases, mistakes=(), ns=None, reference=False, visible=()):
    """What probe() would publish for ``func``; with reference=True, mistakes are computed too."""
    out = {"version": 1, "function": func.__name__, "mistakes": list(mistakes), "cases": []}
    if visible:
        out["visible"] = record(func, visible, mistakes, ns, reference)["cases"]
    for c in [probe_module._as_case(c) for c in cases]:
        rec = probe_module.run_case(func, c)
        if reference:
            rec["arg_names"] = probe_module.argument_names(func, c)
            bound = inspect.signature(func).bind(*c.args, **c.kwargs)
            bound.apply_defaults()
            rec["mistakes"] = {}
            for name in mistakes:
                try:
                    rec["mistakes"][name] = encode(CATALOG[name].compute(func, ns or {}, dict(bound.arguments)))
                except Exception as exc:
                    rec["mistakes"][name] = {"kind": "unavailable", "note": str(exc)}
        out["cases"].append(rec)
    return out


def dJ(theta):
    return 2 * theta


def J(theta):
    return theta ** 2


DJ_CASES = [case(-1.5), case(0.25), case(np.array([-2.0, 0.5, 4.0]))]
DJ_MISTAKES = ["returns_cost", "missing_two", "wrong_sign"]


def verdict_for(student, reference=dJ, cases=DJ_CASES, mistakes=DJ_MISTAKES, ns=None):
    ref = record(reference, cases, mistakes, ns or {"J": J, "dJ": dJ}, reference=True)
    return judge_probe(ref, record(student, cases))


def test_right_answer_passes():
    v = verdict_for(lambda theta: theta + theta)
    assert v.passed and "3 hidden checks" in v.message


@pytest.mark.parametrize("student, kind, fragment", [
    (lambda theta: theta, "missing_two", "factor 2"),
    (lambda theta: -2 * theta, "wrong_sign", "wrong sign"),
    (lambda theta: theta ** 2, "returns_cost", "the cost"),
    (lambda theta: 6.0, "hard_coded", "hard-coded"),
    (lambda theta: 3 * theta, "constant_factor", "constant factor"),
    (lambda theta: None, "returns_none", "return"),
])
def test_named_and_generic_mistakes(student, kind, fragment):
    v = verdict_for(student)
    assert not v.passed
    if kind == "returns_none":
        assert "None" in v.message
    else:
        assert v.kinds[0] == kind and fragment in v.message


def test_messages_never_show_expected_values():
    v = verdict_for(lambda theta: theta)  # expected -3.0, 0.5, [-4, 1, 8]
    for shown in ("-3.0", "0.5,", "-4.", " 8."):
        assert shown not in v.message.replace("0.25", "")


def test_exceptions_and_stubs_are_reported():
    def stub(theta):
        raise NotImplementedError()

    assert "not implemented" in verdict_for(stub).message
    v = verdict_for(lambda theta: 1 / 0)
    assert v.kinds == ["exception"] and "ZeroDivisionError" in v.message


def test_scalar_only_answer_is_caught_by_array_inputs():
    import math

    v = verdict_for(lambda theta: 2 * float(theta) if math.isfinite(0) else 0)
    assert not v.passed and "TypeError" in v.message


def gd_step(theta, alpha, grad):
    return theta - alpha * grad(theta)


GD_CASES = [case(np.array([1.5, -2.0]), 0.1, coupled_bowl_grad), case(np.array([-0.5, 3.0]), 0.25, coupled_bowl_grad)]
GD_MISTAKES = ["sequential", "ascent", "alpha_ignored", "returns_step"]


def test_sequential_update_is_named_and_in_place_change_is_reported():
    def sequential_in_place(theta, alpha, grad):
        for i in range(len(theta)):
            theta[i] = theta[i] - alpha * grad(theta)[i]
        return theta

    v = verdict_for(sequential_in_place, gd_step, GD_CASES, GD_MISTAKES)
    assert v.kinds == ["sequential", "mutates_input"]
    assert "already-updated" in v.message and "`theta` in place" in v.message


def test_in_place_change_alone_fails_even_with_right_values():
    def in_place(theta, alpha, grad):
        theta -= alpha * grad(theta.copy())
        return theta

    v = verdict_for(in_place, gd_step, GD_CASES, GD_MISTAKES)
    assert not v.passed and v.kinds == ["mutates_input"]


def test_ascent_is_named():
    v = verdict_for(lambda theta, alpha, grad: theta + alpha * grad(theta), gd_step, GD_CASES, GD_MISTAKES)
    assert v.kinds == ["ascent"] and "uphill" in v.message


def gradient_descent(theta0, alpha, n_iters, grad):
    rows = [np.array(theta0, dtype=float)]
    for _ in range(n_iters):
        rows.append(rows[-1] - alpha * grad(rows[-1]))
    return np.array(rows)


def test_aliased_history_rows_are_named():
    def aliased(theta0, alpha, n_iters, grad):
        theta = np.array(theta0, dtype=float)
        rows = [theta0]
        for _ in range(n_iters):
            theta -= alpha * grad(theta)
            rows.append(theta)
        return np.array(rows)

    cases = [case(np.array([1.0, -1.0]), 0.1, 5, coupled_bowl_grad)]
    v = verdict_for(aliased, gradient_descent, cases, ["final_only", "one_too_few"])
    assert v.kinds == ["aliased_rows"] and "same array" in v.message


def test_rows_of_nan_are_not_mistaken_for_one_array_seen_twice():
    """A hostile review of 06: NaN in every entry of a 2-D answer was called "several history rows are the same
    array"."""
    cases = [case(np.array([1.0, -1.0]), 0.1, 4, coupled_bowl_grad)]
    v = verdict_for(lambda *a: np.full_like(gradient_descent(*a), np.nan), gradient_descent, cases, [])
    assert v.kinds == ["non_finite"], v.message


def test_wrong_shape_is_explained():
    cases = [case(np.array([1.0, -1.0]), 0.1, 4, coupled_bowl_grad)]
    v = verdict_for(lambda *a: gradient_descent(*a).T, gradient_descent, cases, [])
    assert v.kinds == ["wrong_shape"] and "(2, 5)" in v.message


def test_forged_or_missing_output_fails_the_cell():
    ref = record(dJ, DJ_CASES, reference=True)
    assert judge_cell([ref], [], {"ename": "NameError", "evalue": "name 'dJ' is not defined"}).kinds == ["did_not_run"]
    assert judge_cell([ref], [], None).kinds == ["tampered"]
    assert judge_cell([ref], [ref, ref], None).kinds == ["tampered"]
    forged = {"cases": [{"result": {"kind": "scalar", "value": 0.0}}] * 3}
    assert not judge_cell([ref], [forged], None).passed
    garbage = {"cases": [1, 2, 3]}
    assert judge_cell([ref], [garbage], None).kinds == ["tampered"]


def test_visible_test_failure_after_passing_probe_still_fails():
    ref = record(dJ, DJ_CASES, reference=True)
    v = judge_cell([ref], [record(dJ, DJ_CASES)], {"ename": "AssertionError", "evalue": "dJ(3) should be 6"})
    assert not v.passed and v.kinds == ["visible_test_failed"]


def test_same_is_strict_about_shape_and_lenient_about_number_types():
    assert same(encode(1.0), encode(np.float64(1.0)))
    assert same(encode(1.0), encode(np.array(1.0)))
    assert same(encode(2), encode(2.0000000001))
    assert not same(encode(np.zeros(3)), encode(np.zeros((3, 1))))
    assert not same(encode(np.zeros(3)), encode([0.0, 0.0, 0.0]))
    assert same(encode((1.0, np.array([1.0, 2.0]))), encode([1.0, np.array([1.0, 2.0])]))
    assert same(encode(np.array([np.nan])), encode(np.array([np.nan])))


def test_encode_survives_hostile_objects():
    class Hostile(float):
        def __float__(self):
            raise RuntimeError("no")

    class BadLen(list):
        def __len__(self):
            raise RuntimeError("no")

    assert encode(Hostile(1.0))["kind"] == "other"
    assert encode(BadLen([1]))["kind"] == "other"
    assert encode(np.zeros(10 ** 6))["data"] is None
    nested = []
    for _ in range(20):
        nested = [nested]
    assert encode(nested)["kind"] == "sequence"


def test_a_cell_with_several_probes_reports_each_mistake_once_with_one_count():
    scalars = [case(-1.5), case(0.25)]
    arrays = [case(np.array([-2.0, 0.5, 4.0]))]
    refs = [record(dJ, c, DJ_MISTAKES, {"J": J, "dJ": dJ}, reference=True) for c in (scalars, arrays)]
    half = lambda theta: theta  # noqa: E731
    v = judge_cell(refs, [record(half, scalars), record(half, arrays)], None)
    assert not v.passed
    assert v.message.count("factor 2") == 1 and v.message.endswith("[3 of 3 hidden checks failed]")
    ok = judge_cell(refs, [record(dJ, scalars), record(dJ, arrays)], None)
    assert ok.passed and ok.message == "dJ: passed all 3 hidden checks"


def test_scalar_comparison_is_numpys_isclose():
    """The judge's fast scalar comparison decides exactly as np.isclose with the judge's tolerances."""
    from autograder.pipeline.judge import ATOL, RTOL, close_number

    specials = [0.0, -0.0, 1.0, -1.0, 1e-9, 2e-9, 1e-300, 6.0, 6.000001, 6.00001, 1e6, 1e6 + 1, 1e6 + 0.5,
                math.inf, -math.inf, math.nan, 5e-324, 1.7976931348623157e308]
    rng = np.random.default_rng(0)
    randoms = list(rng.normal(size=200) * 10.0 ** rng.integers(-12, 12, size=200))
    values = specials + randoms + [v * (1 + 1e-6) for v in randoms] + [v + 1e-9 for v in randoms]
    for a in values:
        for b in specials + randoms[:20]:
            expected = bool(np.isclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
            assert close_number(a, b) == expected, (a, b)


def test_an_unreadable_zero_dimensional_array_never_equals_a_number():
    unreadable = {"kind": "array", "shape": [], "dtype": "object", "data": None, "note": "dtype object is not numeric"}
    assert not same({"kind": "scalar", "type": "float", "value": "nan"}, unreadable)
    assert not same({"kind": "scalar", "type": "float", "value": 2.0}, unreadable)
    assert same({"kind": "scalar", "type": "float", "value": 2.0}, encode(np.float64(2.0)))
    assert same({"kind": "scalar", "type": "float", "value": 2.0}, encode(np.array(2.0)))


def real_record():
    return record(dJ, DJ_CASES)


@pytest.mark.parametrize("damage", [
    lambda r: r["cases"][0].pop("result"),  # neither a result nor an error
    lambda r: r["cases"][0].update(result={"kind": "scalar", "value": 10 ** 400}),  # no float holds it
    lambda r: r["cases"][0].update(error="ZeroDivisionError", result=None) or r["cases"][0].pop("result"),
    lambda r: r["cases"][2]["result"].update(shape=[2, 2]),  # 3 numbers for a 2x2 array
    lambda r: r["cases"][2]["result"].update(data=["1.0", 2.0, 3.0]),  # a number as text
    lambda r: r["cases"][1].update(args_after={"kind": "scalar", "value": 1.0}),
    lambda r: r["cases"][1]["result"].update(kind="martian"),
    lambda r: r.update(cases=r["cases"][:2]),
    lambda r: r["cases"][0].update(result={"kind": "sequence", "items": [{"kind": "none"}] * 3, "length": 1}),
])
def test_a_malformed_record_is_tampering_never_an_exception(damage):
    ref = record(dJ, DJ_CASES, DJ_MISTAKES, {"J": J, "dJ": dJ}, reference=True)
    got = real_record()
    damage(got)
    verdict = judge_cell([ref], [got], None)
    assert not verdict.passed and verdict.kinds == ["tampered"]
    assert "the hidden checks' output was tampered with" in verdict.message
    assert verdict.message.endswith("[3 of 3 hidden checks failed]")


def test_deeply_nested_or_huge_records_are_refused_quickly():
    ref = record(dJ, DJ_CASES, reference=True)
    deep = {"kind": "none"}
    for _ in range(10_000):
        deep = {"kind": "sequence", "type": "list", "length": 1, "items": [deep]}
    got = real_record()
    got["cases"][0]["result"] = deep
    assert judge_cell([ref], [got], None).kinds == ["tampered"]
    got = real_record()
    got["cases"][2]["result"] = {"kind": "array", "shape": [10 ** 6], "data": [1.0] * 10 ** 6}
    assert judge_cell([ref], [got], None).kinds == ["tampered"]


def test_messages_relate_wrong_values_to_the_input_not_to_the_expected_value():
    factor = verdict_for(lambda theta: 22.2222 * theta)
    assert factor.kinds == ["constant_factor"]
    assert "11.11" not in factor.message and "times the correct" not in factor.message
    for verdict in (factor, verdict_for(lambda theta: theta + 1.0), verdict_for(lambda theta: 1 / 0),
                    verdict_for(lambda theta: np.full(np.shape(theta), np.nan))):
        assert not verdict.passed
        for hidden in ("-1.5", "0.25", "dJ(", "-2.0"):  # which hidden input failed is not said
            assert hidden not in verdict.message, verdict.message
    assert "for a call with a number" in verdict_for(lambda theta: 1 / 0).message


# --- issue 19: a misconception is named by what it does, however it is written --------------

DJ_VISIBLE = [case(3.0), case(-1.0), case(0.7), case(0.0)]
DJ_HIDDEN = [case(-1.5), case(0.25), case(7.0), case(-0.04)]


def verdict_with_visible(student, reference=dJ, cases=DJ_HIDDEN, visible=DJ_VISIBLE, mistakes=DJ_MISTAKES, ns=None):
    ref = record(reference, cases, mistakes, ns or {"J": J, "dJ": dJ}, reference=True, visible=visible)
    return judge_probe(ref, record(student, cases, visible=visible))


@pytest.mark.parametrize("student", [
    lambda theta: {3.0: 6.0, -1.0: -2.0, 0.7: 1.4, 0.0: 0.0}.get(theta, theta),  # else θ: not "missing the 2"
    lambda theta: {3.0: 6.0, -1.0: -2.0, 0.7: 1.4, 0.0: 0.0}.get(theta, theta ** 2),  # else the cost
    lambda theta: float(np.interp(theta, [-1.0, 0.0, 0.7, 3.0], [-2.0, 0.0, 1.4, 6.0])),
    lambda theta: 2 * theta if theta in (3.0, -1.0, 0.7, 0.0) else 1.0,
])
def test_right_only_at_the_visible_inputs_is_hard_coded_whatever_the_other_values(student):
    v = verdict_with_visible(student)
    assert not v.passed and v.kinds == ["hard_coded"] and "hard-coded" in v.message


def test_a_named_mistake_must_explain_the_visible_inputs_too():
    v = verdict_with_visible(lambda theta: theta)  # wrong at the visible inputs in the same way
    assert v.kinds == ["missing_two"]
    v = verdict_with_visible(lambda theta: {3.0: 6.0}.get(theta, theta), visible=())  # no visible record: as before
    assert v.kinds == ["missing_two"]


def test_the_fallback_says_where_it_is_right_never_the_expected_value():
    v = verdict_with_visible(lambda theta: 2 * theta if theta > 0.5 else theta ** 3 + 1)
    assert v.kinds == ["wrong_value"] and "right at 2 of the 4 inputs of the visible tests" in v.message


def mse_gradient(theta, X, y):
    return 2 / X.shape[0] * X.T @ (X @ theta - np.ravel(y))


X5 = np.array([[1.0, -1.2, -0.3], [1.0, -1.2, 0.3], [1.0, -0.6, -0.7], [1.0, -2.8, -0.2], [1.0, -2.4, -2.3]])
Y5 = np.array([-2.4, 3.2, 2.8, 0.6, -3.9])
MSE_CASES = [case(np.array([-0.2, -0.4, -1.3]), X5, Y5), case(np.array([1.5, 0.5, -0.8]), X5, Y5.reshape(-1, 1)),
             case(np.array([0.6, 0.8]), X5[:3, :2], Y5[:3].reshape(-1, 1))]


@pytest.mark.parametrize("student", [
    lambda theta, X, y: 2 * ((X @ theta - y).T @ X) / len(X),                   # an (m, n) result
    lambda theta, X, y: np.mean(2 / len(X) * X.T @ (X @ theta - y), axis=-1) if np.ndim(y) == 2
    else 2 / len(X) * X.T @ (X @ theta - y),                                      # averaged back to θ's shape
    lambda theta, X, y: np.einsum("ij,i...->j...", X, X @ theta - y) * 2 / len(X),  # (n, m)
])
def test_a_column_y_that_broadcasts_is_named_from_the_shapes(student):
    v = verdict_for(student, mse_gradient, MSE_CASES, ["missing_two"])
    assert not v.passed and v.kinds == ["column_broadcast"]
    assert "(m, m) matrix" in v.message and "`y`" in v.message


def test_a_wrong_answer_for_every_y_is_not_blamed_on_the_column():
    v = verdict_for(lambda theta, X, y: 3 * mse_gradient(theta, X, y), mse_gradient, MSE_CASES, [])
    assert v.kinds == ["constant_factor"]


@pytest.mark.parametrize("write", ["preallocated", "view_of_row_0", "slice_assignment", "list"])
def test_aliased_history_rows_are_named_whatever_the_loop(write):
    def aliased(theta0, alpha, n_iters, grad):
        if write == "preallocated":
            theta = np.array(theta0, dtype=float)
            rows = [theta] * (n_iters + 1)
            for k in range(n_iters):
                theta -= alpha * grad(theta)
                rows[k + 1] = theta
            return np.array(rows)
        if write == "view_of_row_0":
            rows = np.zeros((n_iters + 1, len(theta0)))
            rows[0] = theta0
            theta = rows[0]
            for k in range(n_iters):
                theta -= alpha * grad(theta)
                rows[k + 1] = theta
            return rows
        theta = np.array(theta0, dtype=float)
        rows = [theta.copy()]
        for _ in range(n_iters):
            theta[:] = theta - alpha * grad(theta)
            rows.append(theta)
        return np.vstack(rows) if write == "slice_assignment" else rows

    cases = [case(np.array([1.0, -1.0]), 0.1, 5, coupled_bowl_grad), case(np.array([0.5, 2.0]), 0.2, 1, coupled_bowl_grad)]
    v = verdict_for(aliased, gradient_descent, cases, ["final_only", "one_too_few"])
    assert v.kinds[0] == "aliased_rows" and "same array" in v.message


def numerical_gradient(f, theta, h=1e-5):
    grad = np.zeros(len(theta))
    for i in range(len(theta)):
        e = np.zeros(len(theta))
        e[i] = h
        grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
    return grad


def bowl(t):
    return float(np.sum(t ** 2) + t[0] * t[-1])


NG_CASES = [case(bowl, np.array([1.2, -0.4, 0.0, 2.5]), 0.1), case(bowl, np.array([0.9, -2.2, 0.5]), h=0.5)]


@pytest.mark.parametrize("write", ["undone_by_arithmetic", "never_undone", "copy_that_is_not"])
def test_an_input_left_perturbed_is_named_whatever_is_returned(write):
    def perturbing(f, theta, h=1e-5):
        grad = np.zeros(len(theta))
        for i in range(len(theta)):
            if write == "copy_that_is_not":
                up = theta
                up[i] += h
                f_up = f(up)
                down = theta.copy()
                down[i] -= 2 * h
                grad[i] = (f_up - f(down)) / (2 * h)
                continue
            theta[i] += h
            f_plus = f(theta)
            theta[i] -= 2 * h
            f_minus = f(theta)
            if write == "undone_by_arithmetic":
                theta[i] += h  # rounding leaves some components off by one unit in the last place
            grad[i] = (f_plus - f_minus) / (2 * h)
        return grad

    v = verdict_for(perturbing, numerical_gradient, NG_CASES, ["forward_difference"])
    assert not v.passed and v.kinds[0] == "mutates_input" and "`theta` perturbed" in v.message
    assert "no known mistake explains it" not in v.message, v.message  # its wrong values are the perturbation's


def test_a_rounding_error_in_the_input_is_a_change():
    def nudged(f, theta, h=1e-5):
        theta[-1] = np.nextafter(theta[-1], np.inf)
        return numerical_gradient(f, theta.copy(), h)

    v = verdict_for(nudged, numerical_gradient, NG_CASES, [])
    assert v.kinds == ["mutates_input"] and "perturbed" in v.message


def test_whole_numbers_where_fractions_belong_are_pointed_out():
    v = verdict_for(lambda theta, alpha, grad: np.trunc(gd_step(theta, alpha, grad)), gd_step, GD_CASES, GD_MISTAKES)
    assert v.kinds == ["whole_numbers"] and "int" in v.message


def test_a_record_without_its_visible_cases_is_tampered_with():
    ref = record(dJ, DJ_HIDDEN, reference=True, visible=DJ_VISIBLE)
    v = judge_probe(ref, record(dJ, DJ_HIDDEN))
    assert not v.passed and v.kinds == ["tampered"]
    assert judge_probe(ref, record(dJ, DJ_HIDDEN, visible=DJ_VISIBLE)).passed


def test_a_test_cell_stopped_at_its_time_limit_says_so():
    ref = record(dJ, DJ_HIDDEN, reference=True)
    error = {"ename": "TimedOut", "evalue": "timed out after 30 s (an endless loop?)"}
    v = judge_cell([ref], [], error)
    assert not v.passed and v.kinds == ["timed_out"]
    assert "timed out after 30 s (an endless loop?)" in v.message and "KeyboardInterrupt" not in v.message


def test_the_fallback_says_when_the_error_grows_with_the_input():
    cases = [case(-1.5), case(0.25), case(7.0), case(-0.04), case(3.0)]
    v = verdict_with_visible(lambda theta: 2 * theta + 0.1 * theta ** 3, cases=cases, visible=())
    assert v.kinds == ["wrong_value"] and "the error grows with the size of the input" in v.message
    v = verdict_with_visible(lambda theta: 2 * theta + 0.5, cases=cases, visible=())  # off by a constant
    assert v.kinds == ["wrong_value"] and "grows" not in v.message


def test_a_component_set_to_zero_is_changed_in_place_not_left_perturbed():
    def zeroing(f, theta, h=1e-5):
        grad = numerical_gradient(f, theta, h)
        theta[0] = 0.0  # overwritten, not nudged: no "restore it" advice
        return grad

    cases = [case(bowl, np.array([1.2, -0.4, 0.0, 2.5]), 0.1), case(bowl, np.array([0.9, -2.2, 0.5]), h=0.5)]
    v = verdict_for(zeroing, numerical_gradient, cases, ["forward_difference"])
    assert not v.passed and v.kinds == ["mutates_input"]
    assert "modifies its argument `theta` in place" in v.message and "theta = theta.copy()" in v.message


def test_each_mistake_of_the_reference_run_gets_its_own_copy_of_the_case(monkeypatch):
    """A catalogue entry that draws from the case's generator (or changes an array in place) must not change
    what the next entry computes, nor the inputs shipped in the practice file (06's split drew from it)."""
    import types

    import IPython

    from autograder.pipeline.catalogue import mistake
    from autograder.pipeline.reference import _mistake_outputs
    from gdcourse.inputs import decode_input, encode_input

    monkeypatch.setattr(IPython, "get_ipython", lambda: types.SimpleNamespace(user_ns={}))

    @mistake("test_draws_and_scribbles", "draws once more and writes into theta")
    def _draws(ref, ns, a):
        a["rng"].random()
        a["theta"][0] = 99.0
        return a["rng"].permutation(4)

    @mistake("test_one_order", "one permutation of the case's generator")
    def _one_order(ref, ns, a):
        return a["rng"].permutation(4) + a["theta"][0]

    def shuffled(theta, rng):
        return rng.permutation(4) + theta[0]

    c = case(np.array([1.0, 2.0]), np.random.default_rng(3))
    out = _mistake_outputs(shuffled, c, ["test_draws_and_scribbles", "test_one_order"])
    expected = np.random.default_rng(3).permutation(4) + 1.0
    assert same(out["mistakes"]["test_one_order"], encode(expected))
    (theta, rng), _ = decode_input(encode_input([list(c.args), c.kwargs]))
    assert theta.tolist() == [1.0, 2.0] and np.array_equal(rng.permutation(4), np.random.default_rng(3).permutation(4))
