"""Issue 30, item 3: what a line of ``gdcourse.check()`` says.

One exercise at a time (``check("dJ")``); a failed practice call shown as code that calls it again,
in plain numbers; no sentence twice; one fallback that says what it knows and never contradicts
itself; "off by a constant factor" only when every number is off by the same one; "hard-coded"
only for a number the visible tests show, a logic error named as one.
"""

from __future__ import annotations

import json
import re

import numpy as np
import pytest

import gdcourse
from gdcourse import practice
from gdcourse.inputs import call_text, encode_input
from gdcourse.judge import judge_cell, judge_probe
from gdcourse.probe import argument_names, case, encode, run_case
from gdcourse.wording import plain_numbers

from . import answer_forms_notebook as forms


@pytest.fixture
def practice_file(tmp_path):
    path = tmp_path / "forms.practice.json"
    path.write_text(json.dumps(forms.practice_data()))
    return path


def namespace(**definitions) -> dict:
    ns = {"np": np, "q_slope_sign": "c", "q_factor": -0.6, "In": []}
    exec("def dJ(theta):\n    return 2 * theta", ns)  # noqa: S102
    for source in definitions.values():
        exec(source, ns)  # noqa: S102
    return ns


def printed(capsys, *args, **kwargs) -> str:
    gdcourse.check(*args, **kwargs)
    return capsys.readouterr().out


def test_check_takes_one_exercise_by_its_function_its_name_or_its_question(practice_file, capsys):
    ns = namespace()
    for what in ("dJ", ns["dJ"], "test_dJ"):
        out = printed(capsys, what, practice_file, ns)
        assert re.search(r"✓ dJ +passed all 3 practice checks", out) and "q_factor" not in out and "points" not in out
    out = printed(capsys, "q_factor", practice_file, ns)
    assert "q_factor" in out and " dJ " not in out
    out = printed(capsys, "dj", practice_file, ns)
    assert "no exercise of forms is called 'dj'; its exercises are dJ, q_slope_sign, q_factor" in out
    out = printed(capsys, practice_file, namespace=ns)  # the path first, as before: every exercise
    assert " dJ " in out and "q_factor" in out and "3 of 3 points" not in out and "1 of 1 points" in out


def test_a_failed_practice_call_is_shown_as_code_that_calls_it_again(practice_file, capsys):
    ns = namespace(dJ="def dJ(theta):\n    return 2 * theta ** 2")
    out = printed(capsys, "dJ", practice_file, ns)
    calls = re.findall(r"^        (dJ\(.*\))$", out, re.MULTILINE)
    assert calls == ["dJ(3.5)", "dJ(-0.8)", "dJ(np.array([1.2, -2.5, 0.2]))"], out
    assert "for dJ(3.5) it returned 24.5" in out  # what the learner's function returned, for the call shown
    for call in calls:
        eval(call, ns)  # noqa: S307 - it runs as it reads
    for expected in ("7", "-1.6", "2.4", "-5"):  # 2θ at the practice inputs: never shown
        assert not re.search(rf"(?<![\d.]){re.escape(expected)}(?![\d])", out.replace("3.5", "").replace("-0.8", "")
                             .replace("1.2, -2.5, 0.2", "")), out


def test_numbers_are_plain_everywhere(practice_file, capsys):
    ns = namespace(dJ="def dJ(theta):\n    raise ValueError(f'no slope at {np.float64(theta)!r} for {np.int64(2)!r}')")
    out = printed(capsys, "dJ", practice_file, ns)
    assert "np.float64" not in out and "np.int64" not in out and "no slope at 3.5 for 2" in out, out
    assert plain_numbers("np.float64(3.0), np.int32(-2), numpy.float32(1e-06), np.True_") == "3.0, -2, 1e-06, True"
    ns = namespace(dJ="def dJ(theta):\n    return np.float64(theta) + np.float64(1)")
    out = printed(capsys, "dJ", practice_file, ns)
    assert "np.float64" not in out and "it returned 4.5" in out


def test_the_call_of_a_generator_input_names_its_seed_and_a_long_one_is_run_by_number(tmp_path, capsys):
    inputs = encode_input([[14, 4, np.random.default_rng(21)], {}])
    assert call_text("minibatches", inputs) == "minibatches(14, 4, np.random.default_rng(21))"
    used = np.random.default_rng(3)
    used.random()
    assert call_text("minibatches", encode_input([[14, 4, used], {}])) is None  # no seed gives that state
    assert call_text("f", encode_input([[np.linspace(0, 1, 200)], {}])) is None  # too long to print
    assert call_text("f", encode_input([[np.array([[1, 2]], dtype=np.int32), np.float32(0.5)], {"g": gdcourse.costs.quartic_grad}])) \
        == "f(np.array([[1, 2]], dtype=np.int32), 0.5, g=gdcourse.costs.quartic_grad)"
    data = forms.practice_data()
    long_case = run_case(lambda x: 2 * x, case(np.linspace(0, 1, 200)))
    long_case["inputs"] = encode_input([[np.linspace(0, 1, 200)], {}])
    data["exercises"][0]["probes"][1]["cases"].append(long_case)
    path = tmp_path / "forms.practice.json"
    path.write_text(json.dumps(data))
    ns = namespace(dJ="def dJ(theta):\n    return 2 * theta if np.size(theta) < 10 else theta")
    out = printed(capsys, "dJ", path, ns)
    assert "failed practice call (run one in a cell to see what it returns):\n        gdcourse.practice_call('dJ', 4)\n" \
        in out, out
    assert np.allclose(gdcourse.practice_call("dJ", 4, path, ns), np.linspace(0, 1, 200))


# --- the judge's words, on records made here ------------------------------------------------------

def record(func, cases, reference=False, mistakes=None, visible=()):
    """What gdcourse.probe.probe publishes for ``func``; the reference's with ``mistakes`` ({name: function})."""
    out = {"version": 1, "function": func.__name__, "mistakes": list(mistakes or {}), "cases": []}
    if visible:
        out["visible"] = record(func, visible, reference, mistakes)["cases"]
    for c in cases:
        rec = run_case(func, c)
        if reference:
            rec["arg_names"] = argument_names(func, c)
            rec["mistakes"] = {name: encode(m(*c.args, **c.kwargs)) for name, m in (mistakes or {}).items()}
            rec["inputs"] = encode_input([list(c.args), c.kwargs])
        out["cases"].append(rec)
    return out


def cell_verdict(reference, student, probes, checks="hidden", mistakes=None):
    """The verdict of a test cell with one probe per entry of ``probes`` ((cases, visible) pairs)."""
    refs = [record(reference, c, True, mistakes, v) for c, v in probes]
    gots = [record(student, c, visible=v) for c, v in probes]
    return judge_cell(refs, gots, None, {name: f"<{name}>" for name in mistakes or {}}, checks=checks)


def dJ(theta):
    return 2 * theta


DJ_PROBES = [([case(3.5), case(-0.8)], [case(3.0), case(-1.0), case(0.7), case(0.0)]),
             ([case(np.array([1.2, -2.5, 0.2]))], [case(np.array([1.0, -0.5, 2.0]))])]


def test_the_fallback_adds_up_what_every_probe_knows_and_never_contradicts_itself():
    def squared(theta):
        return 2 * theta ** 2  # right at θ = 0 only

    v = cell_verdict(dJ, squared, DJ_PROBES)
    assert v.message.count("returns a wrong value") == 1, v.message
    assert "it is right at 1 of the 5 inputs of the visible tests" in v.message
    assert "wrong at" not in v.message and "dJ(" not in v.message  # the grade never names a hidden input
    v = cell_verdict(dJ, squared, DJ_PROBES, checks="practice")
    assert "for dJ(3.5) it returned 24.5" in v.message
    v = cell_verdict(dJ, lambda theta: 2 * theta + 1.0, DJ_PROBES)
    assert "it is wrong at all 5 inputs of the visible tests too: run them" in v.message and "right at" not in v.message


def test_the_fallback_says_which_items_are_wrong_and_whether_the_signs_are_right():
    def partials(theta):
        return np.array([2 * theta[0], 3 * theta[1]])

    def student(theta):
        return np.array([2 * theta[0], 2.5 * theta[1]])

    probes = [([case(np.array([1.0, -2.0])), case(np.array([-0.5, 3.0]))], [])]
    v = cell_verdict(partials, student, probes)
    assert v.kinds == ["wrong_value"]
    assert "only item [1] of the result's 2 is wrong (Python indices, from 0), the others are right" in v.message
    assert "the signs are right, the sizes are not" in v.message


def test_a_sentence_is_said_once_however_many_probes_find_it():
    def numerical_gradient(f, theta, h=1e-5):
        grad = np.zeros(len(theta))
        for i in range(len(theta)):
            e = np.zeros(len(theta))
            e[i] = h
            grad[i] = (f(theta + e) - f(theta - e)) / (2 * h)
        return grad

    def perturbing(f, theta, h=1e-5):
        grad = np.zeros(len(theta))
        for i in range(len(theta)):
            theta[i] += h
            up = f(theta)
            theta[i] -= 2 * h
            grad[i] = (up - f(theta)) / (2 * h)
        return grad

    probes = [([case(gdcourse.costs.cubic, np.array([0.4, -0.9, 1.6]), h=0.3)], []),
              ([case(gdcourse.costs.cubic, np.array([0.8]), h=0.4)], [])]
    v = cell_verdict(numerical_gradient, perturbing, probes)
    assert v.message.count("perturbed") == 1 and v.message.startswith("numerical_gradient: leaves"), v.message


def step_decay(alpha0, epoch, drop=0.5, every=10):
    return alpha0 * drop ** (epoch // every)


STEP_PROBES = [([case(0.2, 19), case(0.6, 5, drop=0.3, every=2), case(0.4, 12)], [case(0.1, 25), case(1.0, 9)])]


def test_a_constant_factor_is_named_only_when_every_number_has_it():
    def ignores_every(alpha0, epoch, drop=0.5, every=10):
        return alpha0 * drop ** (epoch // 10)

    v = cell_verdict(step_decay, ignores_every, STEP_PROBES)
    assert v.kinds == ["hard_coded"] or v.kinds == ["wrong_value"], v.kinds
    assert "constant factor" not in v.message
    v = cell_verdict(step_decay, lambda alpha0, epoch, drop=0.5, every=10: 3 * step_decay(alpha0, epoch, drop, every),
                     STEP_PROBES)
    assert v.kinds == ["constant_factor"]


def curve_diagnosis(costs):
    if not np.all(np.isfinite(costs)) or costs[-1] > costs[0]:
        return "diverging"
    return "converging" if costs[-1] < 0.5 * costs[0] else "stuck"


CURVES = [([case(np.array([6.0, 3.0, np.inf])), case(np.array([9.0, 4.0, 1.0])), case(np.array([5.0, 4.9, 4.8]))],
           [case(np.array([3.0, 2.0, 1.0]))])]


def test_one_value_for_every_input_is_hard_coded_only_for_a_number_the_visible_tests_show():
    v = cell_verdict(curve_diagnosis, lambda costs: "converging", CURVES)
    assert v.kinds == ["same_value"] and "hard-coded" not in v.message
    assert "returns the same value, 'converging', for every input" in v.message
    v = cell_verdict(dJ, lambda theta: 6.0, [([case(3.5), case(-0.8)], [case(3.0)])])
    assert v.kinds == ["hard_coded"] and "hard-coded" in v.message  # dJ(3) = 6: the visible test's value
    v = cell_verdict(dJ, lambda theta: 0.0, [([case(3.5), case(-0.8)], [case(3.0)])])
    assert v.kinds == ["same_value"] and "hard-coded" not in v.message
    v = judge_probe(record(dJ, [case(3.5), case(-0.8)], True), record(lambda theta: 6.0, [case(3.5), case(-0.8)]), {})
    assert v.kinds == ["hard_coded"]  # no visible test to tell: as before
