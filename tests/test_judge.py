"""The verdict engine on its own: probe records in, named mistakes out (no kernel)."""

from __future__ import annotations

import inspect
import math

import numpy as np
import pytest

import gdcourse.probe as probe_module
from autograder.judge import judge_cell, judge_probe, same
from autograder.mistakes import CATALOG
from gdcourse.probe import case, encode
from gdcourse.costs import coupled_bowl_grad


def record(func, cases, mistakes=(), ns=None, reference=False):
    """What probe() would publish for ``func``; with reference=True, mistakes are computed too."""
    cases = [probe_module._as_case(c) for c in cases]
    out = {"version": 1, "function": func.__name__, "mistakes": list(mistakes), "cases": []}
    for c in cases:
        rec = probe_module._run_case(func, c)
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
    from autograder.judge import ATOL, RTOL, _close_number

    specials = [0.0, -0.0, 1.0, -1.0, 1e-9, 2e-9, 1e-300, 6.0, 6.000001, 6.00001, 1e6, 1e6 + 1, 1e6 + 0.5,
                math.inf, -math.inf, math.nan, 5e-324, 1.7976931348623157e308]
    rng = np.random.default_rng(0)
    randoms = list(rng.normal(size=200) * 10.0 ** rng.integers(-12, 12, size=200))
    values = specials + randoms + [v * (1 + 1e-6) for v in randoms] + [v + 1e-9 for v in randoms]
    for a in values:
        for b in specials + randoms[:20]:
            expected = bool(np.isclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))
            assert _close_number(a, b) == expected, (a, b)


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
