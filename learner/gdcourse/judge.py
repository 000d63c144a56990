"""Verdicts: compare a student's probe records with the reference, name the mistake.

Pure functions on JSON records (see ``gdcourse.probe`` for the format), shared by the
grader (``autograder.pipeline.judge``, which first checks that a record from a student's kernel
has the shape it claims) and by the practice checks a student runs in their own kernel
(``gdcourse.practice``). Named mistakes are recognised by comparing what the student
returned with what each mistake returns on the same input (computed beforehand, from the
instructor's solution); their words come from the caller (``messages``), and every other
word from :mod:`gdcourse.wording`: the judge decides (a :class:`Diagnosis` per problem), the
wording module says it. Nothing here runs
student code, and no message contains an expected value, anything computed from one
(such as a ratio to it) or which input failed: a message may describe the kind of input
(its shape) and what the *student's* function returned for it. Practice checks (``checks="practice"``)
are the exception: their inputs are as public as the visible tests, so a message there names the call
(``dJ(3.5)``) that the learner can run again.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from .answers import answer_problem, form_of, quoted_number
from .derivation import numerical_shortcuts
from .inputs import call_text
from .probe import TIMED_OUT, decode_array, decode_number, is_scalar_like
from .wording import (  # noqa: F401 - describe, describe_input: the judge's names for them too
    MISTAKE,
    Diagnosis,
    cell_did_not_run_text,
    cell_failed_text,
    cell_passed_text,
    cell_tampered_text,
    cell_timed_out_text,
    cell_visible_failed_text,
    describe,
    describe_input,
    probe_passed_text,
    probe_text,
    wrong_value_facts,
)

RTOL = 1e-6
ATOL = 1e-9


@dataclass
class Verdict:
    """The outcome of one graded test cell (or of one probe within it)."""

    passed: bool
    message: str
    diagnoses: list[Diagnosis] = field(default_factory=list)  # what ``message`` says, as data
    failed: int = 0  # hidden inputs that gave a wrong answer
    total: int = 0   # hidden inputs tried
    name: str = ""   # the function probed

    @property
    def kinds(self) -> list[str]:
        """Mistake names and diagnoses, for reports."""
        return [d.kind for d in self.diagnoses]


# --- values ------------------------------------------------------------------------

def _close(a: np.ndarray, b: np.ndarray) -> bool:
    return a.shape == b.shape and bool(np.allclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True))


def close_number(a: float, b: float) -> bool:
    """``np.isclose(a, b, rtol=RTOL, atol=ATOL, equal_nan=True)`` for two floats, without NumPy's
    per-call cost (the judge compares thousands of numbers per submission)."""
    return (abs(a - b) <= ATOL + RTOL * abs(b) and math.isfinite(b)) or a == b or (math.isnan(a) and math.isnan(b))


def _scalar(enc: dict) -> float | None:
    """The number of a scalar-like encoding (a scalar, or a numeric array of shape ()); None if unreadable."""
    if enc.get("kind") == "scalar":
        return decode_number(enc["value"])
    data = enc.get("data")
    return decode_number(data[0]) if data and len(data) == 1 else None


def same(ref: dict, got: dict) -> bool:
    """Whether an encoded value equals the reference, numbers within tolerance."""
    kind = ref.get("kind")
    if is_scalar_like(ref):
        if not is_scalar_like(got):
            return False
        expected, value = _scalar(ref), _scalar(got)
        return expected is not None and value is not None and close_number(expected, value)
    if kind == "array":
        if got.get("kind") != "array" or got.get("shape") != ref.get("shape"):
            return False
        a, b = decode_array(ref), decode_array(got)
        return a is not None and b is not None and _close(a, b)
    if kind == "sequence":
        return (got.get("kind") == "sequence" and got.get("length") == ref.get("length")
                and len(got.get("items", [])) == len(ref.get("items", []))
                and all(same(r, g) for r, g in zip(ref["items"], got["items"])))
    if kind == "mapping":
        return (got.get("kind") == "mapping" and set(got["items"]) == set(ref["items"])
                and all(same(ref["items"][k], got["items"][k]) for k in ref["items"]))
    if kind in ("bool", "str"):
        return got.get("kind") == kind and got.get("value") == ref.get("value")
    if kind in ("none", "callable"):
        return got.get("kind") == kind
    return False


def leaves(enc: dict) -> np.ndarray | None:
    """All numbers of a value, flattened, or None if it holds something else."""
    if enc.get("kind") in ("scalar", "array"):
        a = decode_array(enc)
        return None if a is None else a.ravel()
    if enc.get("kind") == "sequence":
        parts = [leaves(i) for i in enc.get("items", [])]
        if not parts or any(p is None for p in parts):
            return None
        return np.concatenate(parts)
    return None


def _summary(enc: dict) -> dict:
    """What a wording may say of an encoded value: its kind, shape, type and length, never its numbers."""
    return {key: enc[key] for key in ("kind", "shape", "type", "length") if key in enc}


def structure_mismatch(ref: dict, got: dict) -> tuple[str, dict] | None:
    """How ``got`` cannot be the right kind of value at all (type, shape, length), as the form of a
    ``wrong_shape`` diagnosis and its parameters; None when kinds, shapes and lengths agree.

    ``path`` lists the item indices down to the mismatch in nested sequences.
    """
    rk, gk = ref.get("kind"), got.get("kind")
    if is_scalar_like(ref):
        return None if is_scalar_like(got) else ("not_scalar", {"got": _summary(got)})
    if rk == "array":
        expected = {"expected_shape": ref["shape"]}
        if gk == "array":
            if got["shape"] != ref["shape"]:
                return "shape", {"shape": got["shape"], **expected}
            if got.get("data") is None:
                return "unreadable", {"note": str(got.get("note", got.get("dtype")))}
            return None
        if gk == "sequence":
            return "list_not_array", {"type": got["type"], **expected}
        return "not_array", {"got": _summary(got), **expected}
    if rk == "sequence":
        if gk != "sequence":
            return "not_sequence", {"got": _summary(got), "expected_type": ref["type"],
                                    "expected_length": ref["length"]}
        if got["length"] != ref["length"]:
            return "length", {"length": got["length"], "expected_length": ref["length"]}
        for i, (r, g) in enumerate(zip(ref["items"], got["items"])):
            inner = structure_mismatch(r, g)
            if inner:
                form, params = inner
                return form, {**params, "path": [i, *params.get("path", [])]}
        return None
    if rk in ("bool", "str", "none", "callable", "mapping") and gk != rk:
        return "kind", {"got": _summary(got), "expected": _summary(ref)}
    return None


# --- one probe -------------------------------------------------------------------------

def tampered(name: str, what: str, checks: int = 0) -> Verdict:
    """The verdict on a probe record that is not what the checks publish (all ``checks`` failed)."""
    return _failed_probe(name, [Diagnosis("tampered", params={"what": what})], {}, checks, checks)


def _failed_probe(name: str, diagnoses: list[Diagnosis], messages, failed: int, total: int) -> Verdict:
    return Verdict(False, probe_text(name, diagnoses, messages), diagnoses, failed=failed, total=total, name=name)


def _unchanged(before: dict, after: dict) -> bool:
    """Whether an argument is exactly as it was (not within a tolerance: a component nudged by h and
    not put back exactly is a changed input)."""
    def plain(enc):
        if isinstance(enc, dict):
            return {k: plain(v) for k, v in enc.items() if k != "shared_memory"}
        if isinstance(enc, list):
            return [plain(v) for v in enc]
        return enc
    return plain(before) == plain(after)


def _name(names: list, i: int) -> str:
    return names[i] if i < len(names) else f"argument {i + 1}"


def _argument_pairs(ref_case: dict, got_case: dict) -> list[tuple[str, dict, dict | None]]:
    """(name, value before the call, value after it) of every argument of a call."""
    before, after = ref_case.get("args"), got_case.get("args_after")
    if not before or not after or after.get("kind") != "sequence" or after.get("length") != 2:
        return []
    names = list(ref_case.get("arg_names", []))
    pairs = []
    pos_before, pos_after = before["items"][0], after["items"][0]
    for i, (b, a) in enumerate(zip(pos_before.get("items", []), pos_after.get("items", []))):
        pairs.append((_name(names, i), b, a))
    kw_before, kw_after = before["items"][1], after["items"][1]
    for key, b in kw_before.get("items", {}).items():
        pairs.append((key, b, kw_after.get("items", {}).get(key)))
    return pairs


def _arguments(ref_case: dict) -> list[tuple[str, dict]]:
    """(name, value) of every argument of a call, as the reference passed it."""
    args = ref_case.get("args") or {}
    if args.get("kind") != "sequence" or len(args.get("items", [])) != 2:
        return []
    names = list(ref_case.get("arg_names", []))
    positional, keyword = args["items"]
    return ([(_name(names, i), value) for i, value in enumerate(positional.get("items", []))]
            + list(keyword.get("items", {}).items()))


def _mutated_arguments(ref_case: dict, got_case: dict) -> list[str]:
    """Names of the arguments the student's function changed in place."""
    return [name for name, b, a in _argument_pairs(ref_case, got_case) if a is None or not _unchanged(b, a)]


def _nudged(ref_case: dict, got_case: dict, name: str) -> bool:
    """Whether argument ``name`` was left perturbed: each changed component moved by one same step (a
    ±h not undone) or by rounding only (a nudge undone by arithmetic instead of restoring the value)."""
    for arg, b, a in _argument_pairs(ref_case, got_case):
        if arg == name and a is not None:
            x, y = leaves(b), leaves(a)
            if x is None or y is None or x.shape != y.shape or not np.all(np.isfinite(y)):
                return False
            changed = y != x
            if np.count_nonzero(changed) == 1 and y[changed][0] == 0:  # one component set to zero: overwritten,
                return False                                           # not a nudge left in place
            moved = np.abs(y - x)[changed]
            return bool(moved.size) and bool(np.all(moved <= 1e-9 * (1 + np.abs(x[changed])))
                                             or np.allclose(moved, moved[0], rtol=1e-6))
    return False


def _case_ok(ref_case: dict, got_case: dict) -> bool:
    if "error" in ref_case:
        return "error" in got_case and got_case["error"].get("type") == ref_case["error"].get("type")
    if "error" in got_case or "result" not in got_case:
        return False
    return same(ref_case["result"], got_case["result"]) and not _mutated_arguments(ref_case, got_case)


case_ok = _case_ok  # for gdcourse.practice: which practice calls failed


def _matches_mistake(name: str, ref_cases, got_cases, wrong: list[int], visible=((), ())) -> bool:
    for r, g in zip(*visible):  # the mistake must also give what the student got where they could see it
        value = r.get("mistakes", {}).get(name)
        if value is not None and value.get("kind") != "unavailable" and "result" in r:
            if "result" not in g or not same(value, g["result"]):
                return False
    hits = 0
    for i in wrong:
        value = ref_cases[i].get("mistakes", {}).get(name)
        if value is None or value.get("kind") == "unavailable":
            return False
        if same(ref_cases[i]["result"], value):
            return False  # the mistake gives the right answer here, so it cannot explain this one
        if not same(value, got_cases[i]["result"]):
            return False
        hits += 1
    return hits > 0


def _rows(enc: dict) -> np.ndarray | None:
    """A 2-D array of numbers from an array, or from a list of equal-length rows."""
    if enc.get("kind") == "array":
        a = decode_array(enc)
        return a if a is not None and a.ndim == 2 else None
    if enc.get("kind") == "sequence" and enc.get("items") and len(enc["items"]) == enc.get("length"):
        rows = [leaves(item) for item in enc["items"]]
        if all(r is not None for r in rows) and len({r.shape for r in rows}) == 1 and rows[0].size > 1:
            return np.stack(rows)
    return None


def _aliased(ref: dict, got: dict) -> bool:
    """Whether the rows of a history are one array seen several times: every wrong row holds the same
    numbers (not the starting point), at least two rows hold them, and the reference's rows there differ."""
    if got.get("kind") == "sequence" and got.get("shared_memory"):
        return True
    r, g = _rows(ref), _rows(got)
    if r is None or g is None or r.shape != g.shape or r.shape[0] < 2:
        return False
    wrong_rows = [k for k in range(g.shape[0]) if not _close(g[k], r[k])]
    if not wrong_rows:
        return False
    repeated = g[wrong_rows[0]]
    if not np.all(np.isfinite(repeated)):
        return False  # NaN rows are alike because they are not numbers at all: that is said as such
    group = [k for k in range(g.shape[0]) if _close(g[k], repeated)]
    return (len(group) >= 2 and set(wrong_rows) <= set(group)
            and not all(_close(r[k], r[group[0]]) for k in group)
            and not _close(repeated, r[0]))  # rows stuck at the start are a loop that never updates


def _column_arguments(ref_case: dict) -> dict[str, int]:
    """Arguments of a call that are columns of shape (m, 1), m > 1, by name, with their m."""
    return {name: b["shape"][0] for name, b in _arguments(ref_case)
            if b.get("kind") == "array" and len(b.get("shape", [])) == 2 and b["shape"][1] == 1 and b["shape"][0] > 1}


def _column_broadcast(ref_cases, got_cases, wrong: list[int]) -> str | None:
    """The argument whose (m, 1) shape explains every wrong answer, or None.

    Every wrong case has a column argument, and either the student is right on a case where that
    argument is 1-D, or each wrong result has an extra axis of length m (an (m, m) matrix inside).
    """
    columns = [_column_arguments(ref_cases[i]) for i in wrong]
    if not columns or not all(columns):
        return None
    for name in set.intersection(*(set(c) for c in columns)):
        right_when_flat = any(
            _case_ok(r, g) and name not in _column_arguments(r) and any(n == name for n, _ in _arguments(r))
            for r, g in zip(ref_cases, got_cases))
        extra_axis = all(
            got_cases[i]["result"].get("kind") == "array"
            and got_cases[i]["result"]["shape"].count(columns[k][name])
            > (ref_cases[i]["result"].get("shape") or []).count(columns[k][name])
            for k, i in enumerate(wrong))
        if right_when_flat or extra_axis:
            return name
    return None


def _whole_numbers(ref_cases, got_cases, wrong: list[int]) -> bool:
    """Whether every wrong answer is made of whole numbers where the right ones have fractions."""
    for i in wrong:
        r, g = leaves(ref_cases[i]["result"]), leaves(got_cases[i]["result"])
        if r is None or g is None or r.shape != g.shape or not np.all(np.isfinite(g)):
            return False
        if np.any(g != np.round(g)) or np.all(r == np.round(r)):
            return False
    return bool(wrong)


def _constant_factor(ref_cases, got_cases, visible=((), ())) -> float | None:
    """The factor c != 1 such that every number the student returned is c times the right one, on every call
    with a numeric result (hidden and visible, right ones too: a call where it is right is a factor 1), from
    at least two numbers; None otherwise."""
    ratios = []
    for r_case, g_case in [*zip(ref_cases, got_cases), *zip(*visible)]:
        if "result" not in r_case or "result" not in g_case:
            continue
        r, g = leaves(r_case["result"]), leaves(g_case["result"])
        if r is None or g is None or r.shape != g.shape or not np.all(np.isfinite(g)) or not np.all(np.isfinite(r)):
            return None
        big = np.abs(r) > 1e-12
        if np.any(np.abs(g[~big]) > 1e-9):
            return None
        ratios.extend((g[big] / r[big]).tolist())
    if len(ratios) < 2:
        return None
    c = ratios[0]
    if all(math.isclose(x, c, rel_tol=1e-6, abs_tol=1e-12) for x in ratios) and not math.isclose(c, 1.0, rel_tol=1e-6):
        return c
    return None


def _swapped(ref_cases, got_cases, wrong: list[int]) -> bool:
    for i in wrong:
        r, g = leaves(ref_cases[i]["result"]), leaves(got_cases[i]["result"])
        if r is None or g is None or r.size < 2 or r.shape != g.shape or not _close(r[::-1], g):
            return False
    return bool(wrong)


def _answer_form(ref: dict) -> str | None:
    """The form of a question's answer ("letter", "number"), read off the reference's answer; None if neither."""
    results = [c.get("result") for c in ref.get("cases", []) if isinstance(c.get("result"), dict)]
    if not results:
        return None
    result = results[0]
    if result.get("kind") == "str":
        return form_of(result.get("value"))
    return "number" if result.get("kind") == "scalar" else None


def _answer_diagnosis(ref: dict, got_result: dict) -> Diagnosis:
    """A question answered with a plain answer that is not the right one: of the wrong form, or a wrong option."""
    form = _answer_form(ref)
    kind = got_result.get("kind")
    value = got_result.get("value") if kind == "str" else decode_number(got_result["value"]) if kind == "scalar" \
        else None
    problem = answer_problem(value, form) if form and value is not None else None
    if problem in ("letter", "number", "quoted_number"):
        return Diagnosis("not_plain_answer", problem, params={"example": f"{ref.get('function')} = {quoted_number(value)}"
                                                              if problem == "quoted_number" else ""})
    return Diagnosis("wrong_answer", "valid" if form else "", params={"returned": describe(got_result)})


def _numeric(enc: dict) -> bool:
    return enc.get("kind") in ("scalar", "array") or (enc.get("kind") == "sequence" and leaves(enc) is not None)


def _same_value(ref: dict, got: dict) -> Diagnosis | None:
    """One value for every input where the right ones differ: hard-coded when it is a number the visible tests
    show (or no visible test says otherwise), else a logic error (a condition, an argument not used)."""
    rc, gc = ref["cases"], got["cases"]
    with_results = [i for i in range(len(gc)) if "result" in gc[i] and "result" in rc[i]]
    if (len(with_results) < 2 or not all(same(gc[with_results[0]]["result"], gc[i]["result"]) for i in with_results)
            or all(same(rc[with_results[0]]["result"], rc[i]["result"]) for i in with_results)):
        return None
    value = gc[with_results[0]]["result"]
    if any("result" not in g or not same(value, g["result"]) for g in got.get("visible") or []):
        return None  # other values where the learner could see them: right there only, or a formula
    visible = [r["result"] for r in ref.get("visible") or [] if "result" in r]
    if _numeric(value) and (not visible or any(same(v, value) for v in visible)):
        return Diagnosis("hard_coded", "constant")
    return Diagnosis("same_value", params={"returned": describe(value)})


def _wrong_items(ref_cases, got_cases, wrong: list[int]) -> tuple[list[int], int] | None:
    """The items of a flat result (a 1-D array, a tuple or list of numbers) wrong on every wrong call, when the
    others are right on all of them: as the learner indexes the result, result[k]."""
    masks = []
    for i in wrong:
        result = ref_cases[i]["result"]
        flat = (result.get("kind") == "array" and len(result.get("shape", [])) == 1) or \
            (result.get("kind") == "sequence" and all(item.get("kind") == "scalar" for item in result.get("items", [])))
        if not flat:
            return None
        r, g = leaves(result), leaves(got_cases[i]["result"])
        if r is None or g is None or r.shape != g.shape or r.size < 2:
            return None
        masks.append(~np.isclose(g, r, rtol=RTOL, atol=ATOL, equal_nan=True))
    if not masks or any(m.shape != masks[0].shape or not np.array_equal(m, masks[0]) for m in masks):
        return None
    items = [int(k) for k in np.flatnonzero(masks[0])]
    return (items, masks[0].size) if 0 < len(items) < masks[0].size else None


def _signs(ref_cases, got_cases, wrong: list[int]) -> str | None:
    """"right" when every wrong number has the sign of the right one, "wrong" when none has, else None; None too
    when the right numbers all have one sign (the fact would say nothing)."""
    agree, right_signs = [], set()
    for i in wrong:
        r, g = leaves(ref_cases[i]["result"]), leaves(got_cases[i]["result"])
        if r is None or g is None or r.shape != g.shape or not np.all(np.isfinite(g)):
            return None
        off = ~np.isclose(g, r, rtol=RTOL, atol=ATOL) & (np.abs(r) > ATOL) & (np.abs(g) > ATOL)
        agree.extend((np.sign(g[off]) == np.sign(r[off])).tolist())
        right_signs.update(np.sign(r[np.abs(r) > ATOL]).tolist())
    if not agree or len(right_signs) < 2:
        return None
    return "right" if all(agree) else "wrong" if not any(agree) else None


def _input_words(ref: dict, ref_case: dict, checks: str) -> str:
    """How a message names the input of a call: a practice call as the learner can run it again (dJ(3.5)), a
    hidden one by the kinds of its arguments only."""
    if checks == "practice" and isinstance(ref_case.get("inputs"), dict):
        text = call_text(str(ref.get("function", "f")), ref_case["inputs"])
        if text:
            return text
    return describe_input(ref_case)


def _value_diagnosis(ref: dict, got: dict, wrong: list[int], messages, checks: str = "hidden") -> Diagnosis:
    """What explains the cases whose values are wrong."""
    rc, gc = ref["cases"], got["cases"]
    visible = (ref.get("visible") or [], got.get("visible") or [])
    for name in ref.get("mistakes", []):
        if name in messages and _matches_mistake(name, rc, gc, wrong, visible):
            return Diagnosis(name, MISTAKE)
    first = wrong[0]
    if ref.get("kind") == "answer":  # a question: no value diagnosis fits a choice
        return _answer_diagnosis(ref, gc[first]["result"])
    column = _column_broadcast(rc, gc, wrong)
    if column:
        return Diagnosis("column_broadcast", params={"column": column})
    seen = [_case_ok(r, g) for r, g in zip(*visible)] if len(visible[0]) == len(visible[1]) else []
    where = {"input": _input_words(ref, rc[first], checks), "returned": describe(gc[first]["result"]),
             "visible": len(seen), "right_at_visible": sum(seen)}
    constant = _same_value(ref, got)
    if constant is not None and constant.kind == "same_value" and gc[first]["result"].get("kind") != "none":
        return constant  # one answer for every input, whatever the visible tests show: a logic error
    if seen and all(seen) and not any(gc[i]["result"].get("kind") != "none"
                                      and structure_mismatch(rc[i]["result"], gc[i]["result"]) for i in wrong):
        return Diagnosis("hard_coded", "visible", params=where)
    if any(gc[i]["result"].get("kind") == "none" for i in wrong):
        return Diagnosis("returns_none")
    if constant is not None:
        return constant
    if any(_aliased(rc[i]["result"], gc[i]["result"]) for i in wrong):
        return Diagnosis("aliased_rows")
    for i in wrong:
        mismatch = structure_mismatch(rc[i]["result"], gc[i]["result"])
        if mismatch:
            form, params = mismatch
            return Diagnosis("wrong_shape", form, params={**params, "input": _input_words(ref, rc[i], checks)})
    for i in wrong:
        g = leaves(gc[i]["result"])
        r = leaves(rc[i]["result"])
        if g is not None and r is not None and np.all(np.isfinite(r)) and not np.all(np.isfinite(g)):
            return Diagnosis("non_finite", params={"input": _input_words(ref, rc[i], checks)})
    factor = _constant_factor(rc, gc, visible if len(visible[0]) == len(visible[1]) else ((), ()))
    if factor is not None:
        return Diagnosis("wrong_sign" if math.isclose(factor, -1.0, rel_tol=1e-6) else "constant_factor")
    if _swapped(rc, gc, wrong):
        return Diagnosis("swapped")
    if _whole_numbers(rc, gc, wrong):
        return Diagnosis("whole_numbers")
    items = _wrong_items(rc, gc, wrong)
    return Diagnosis("wrong_value", params={
        **where, "error_grows": _error_grows(rc, gc, wrong), "signs": _signs(rc, gc, wrong),
        "wrong_items": items[0] if items else None, "items": items[1] if items else 0})


def _error_grows(ref_cases, got_cases, wrong: list[int]) -> bool:
    """Whether, for a function of one numeric argument, the error rises with the argument's size on
    every wrong case (sorted by that size): a power or a factor wrong, rather than a constant off."""
    sizes, errors = [], []
    for i in wrong:
        args = ref_cases[i].get("args") or {}
        items = args.get("items") if args.get("kind") == "sequence" else None
        numbers = [leaves(a) for a in (items[0].get("items", []) if items else [])]
        if len(numbers) != 1 or numbers[0] is None or items[1].get("items"):
            return False
        r, g = leaves(ref_cases[i]["result"]), leaves(got_cases[i]["result"])
        if r is None or g is None or r.shape != g.shape or not np.all(np.isfinite(g)):
            return False
        sizes.append(float(np.max(np.abs(numbers[0]))) if numbers[0].size else 0.0)
        errors.append(float(np.max(np.abs(g - r))))
    if len(sizes) < 3 or len(set(sizes)) < len(sizes):
        return False
    ordered = [e for _, e in sorted(zip(sizes, errors))]
    return all(b > a * (1 + 1e-9) for a, b in zip(ordered, ordered[1:])) and ordered[-1] > 2 * ordered[0]


def judge_probe(ref: dict, got: dict, messages: dict, checks: str = "hidden") -> Verdict:
    """Compare one probe call of the student with the same call on the reference.

    Parameters
    ----------
    ref, got : dict
        The reference's and the student's records of the same cases; ``got`` must have
        the shape :func:`gdcourse.probe.probe` gives it (``autograder.pipeline.records`` checks one
        that came from a student's kernel).
    messages : dict
        Words for each named mistake, by name.
    checks : str
        What the cases are called in messages: "hidden" or "practice".
    """
    name = ref.get("function", "the function")
    rc, gc = ref.get("cases", []), got["cases"]
    failing = [i for i, (r, g) in enumerate(zip(rc, gc)) if not _case_ok(r, g)]
    total = len(rc)
    if not failing:
        return Verdict(True, probe_passed_text(name, total, checks), total=total, name=name)

    problems: list[Diagnosis] = []
    raised = [i for i in failing if "error" in gc[i] and "error" not in rc[i]]
    missed = [i for i in failing if "error" in rc[i]]
    if raised:
        err = gc[raised[0]]["error"]
        if err.get("type") == "NotImplementedError":
            problems.append(Diagnosis("not_implemented"))
        elif err.get("type") == TIMED_OUT:  # gdcourse.probe stopped the call at its time limit
            limit = re.fullmatch(r"did not return within (\d+(?:\.\d+)?) s", str(err.get("message", "")))
            problems.append(Diagnosis("timed_out", "call", params={"seconds": limit.group(1) if limit else ""}))
        elif ref.get("kind") == "answer" and err.get("type") == "NameError":  # gdcourse.answers: left blank
            problems.append(Diagnosis("not_implemented", "unanswered"))
        elif ref.get("kind") == "answer" and err.get("type") == "NotAPlainAnswer":  # gdcourse.answers.plain_answer
            problems.append(Diagnosis("not_plain_answer", _answer_form(ref) or ""))  # not plain: any form refuses it
        else:
            problems.append(Diagnosis("exception", params={"error": err.get("type"),
                                                           "text": str(err.get("message"))[:300],
                                                           "input": _input_words(ref, rc[raised[0]], checks)}))
    elif missed:
        i = missed[0]
        shown = describe(gc[i]["result"]) if "result" in gc[i] else gc[i].get("error", {}).get("type")
        problems.append(Diagnosis("no_error", params={"error": rc[i]["error"]["type"],
                                                      "input": _input_words(ref, rc[i], checks), "returned": shown}))
    else:
        wrong = [i for i in failing if not same(rc[i]["result"], gc[i]["result"])]
        if wrong:
            problems.append(_value_diagnosis(ref, got, wrong, messages, checks))
    changed = [(arg, r, g) for r, g in zip(rc, gc) if "error" not in r for arg in _mutated_arguments(r, g)]
    mutated = sorted({arg for arg, _, _ in changed})
    if mutated:
        if all(_nudged(r, g, arg) for arg, r, g in changed):  # the cause of any wrong value, so said first
            # values computed at a perturbed θ are its consequence, not a second mistake nobody can name
            problems = [p for p in problems if p.kind != "wrong_value"]
            problems.insert(0, Diagnosis("mutates_input", "perturbed", {"args": mutated}))
        else:
            problems.append(Diagnosis("mutates_input", "in_place", {"args": mutated}))
    return _failed_probe(name, problems, messages, len(failing), total)


# --- one graded cell -----------------------------------------------------------------------

def judge_cell(reference: list[dict], submitted: list[dict], error: dict | None, messages: dict,
               judge=None, checks: str = "hidden", cells: Sequence[str] | None = None) -> Verdict:
    """The verdict of one autograded test cell.

    Parameters
    ----------
    reference : list of dict
        Probe records of the instructor's run of this cell, in order.
    submitted : list of dict
        Probe records published by the student's kernel in this cell.
    error : dict or None
        The cell's first error output in the student's run, if any.
    messages : dict
        Words for each named mistake, by name.
    judge : callable, optional
        ``judge(ref, got) -> Verdict`` for one probe (default: :func:`judge_probe` with ``messages``).
    checks : str
        What the cases are called in messages: "hidden" or "practice".
    cells : sequence of str, optional
        The code of the notebook's cells that ran before this one. In a derivation exercise
        (a reference probe with ``derived_from``) a function that measures its derivative
        (:func:`gdcourse.derivation.numerical_shortcuts`) fails, whatever it returned.
    """
    if cells is not None:
        measured = derivation_verdict(reference, cells)
        if measured is not None:
            return measured
    if judge is None:
        def judge(ref, got):
            return judge_probe(ref, got, messages, checks)
    if len(submitted) != len(reference):
        if error is not None and error.get("ename") == "TimedOut" and len(submitted) < len(reference):
            # autograder.pipeline.execute: the cell was stopped at its time limit, in a function the checks called
            return _failed_cell(cell_timed_out_text(str(error.get("evalue")), checks), "timed_out")
        if error is not None and len(submitted) < len(reference):
            return _failed_cell(cell_did_not_run_text(error.get("ename"), str(error.get("evalue")), checks),
                                "did_not_run")
        return _failed_cell(cell_tampered_text(checks), "tampered")
    verdicts = [judge(r, s) for r, s in zip(reference, submitted)]
    failed = [v for v in verdicts if not v.passed]
    total = sum(v.total for v in verdicts)
    if failed:
        return Verdict(False, cell_failed_text(_function_texts(failed, messages), sum(v.failed for v in failed),
                                               total, checks),
                       [d for v in failed for d in v.diagnoses])
    if error is not None:
        return _failed_cell(cell_visible_failed_text(error.get("ename"), str(error.get("evalue")), checks),
                            "visible_test_failed")
    return Verdict(True, cell_passed_text(list(dict.fromkeys(v.name for v in verdicts)), total, checks))


def _function_texts(failed: list[Verdict], messages) -> list[str]:
    """One text per function of a cell's failed probes, each sentence once: the diagnoses of all its probes
    together, the fallback's facts added up over them, so that no part contradicts another."""
    by_function: dict[str, list[Diagnosis]] = {}
    texts: list[str] = []
    for v in failed:
        if v.diagnoses and v.name:
            if v.name not in by_function:
                by_function[v.name] = []
                texts.append(v.name)  # its place among the texts
            by_function[v.name].extend(v.diagnoses)
        else:
            texts.append(v.message)
    return list(dict.fromkeys(probe_text(t, _merged(by_function[t]), messages) if t in by_function else t
                              for t in texts))


def _merged(diagnoses: list[Diagnosis]) -> list[Diagnosis]:
    """A function's diagnoses from several probes, the fallback's once: its counts of the visible tests' inputs
    summed (a probe right at all of its visible inputs counts too), a fact kept only where no probe says
    otherwise."""
    fallback = [d for d in diagnoses if d.kind == "wrong_value"]
    visible = [d for d in diagnoses if d.kind == "hard_coded" and d.form == "visible"]
    if not fallback or (len(fallback) == 1 and not visible):
        return diagnoses
    parts = [d.params for d in fallback + visible]
    params = dict(fallback[0].params)
    params["visible"] = sum(p.get("visible", 0) for p in parts)
    params["right_at_visible"] = sum(p.get("right_at_visible", 0) for p in parts)
    params["error_grows"] = any(d.params.get("error_grows") for d in fallback)  # False: not known, never "not"
    signs = {d.params.get("signs") for d in fallback} - {None}
    params["signs"] = signs.pop() if len(signs) == 1 else None
    if len({repr((d.params.get("wrong_items"), d.params.get("items"))) for d in fallback}) > 1:
        params["wrong_items"], params["items"] = None, 0
    out, placed = [], False
    for d in diagnoses:
        if d in fallback or d in visible:
            if not placed:
                out.append(Diagnosis("wrong_value", params=params))
                placed = True
        else:
            out.append(d)
    return out


def derivation_verdict(reference: list[dict], cells: Sequence[str]) -> Verdict | None:
    """The failed verdict of a derivation exercise whose function measures its derivative instead of
    computing a derived formula; None when every such function is derived (or none is asked for)."""
    for ref in reference:
        costs = ref.get("derived_from")
        name = ref.get("function")
        if costs and isinstance(name, str):
            reasons = numerical_shortcuts(name, cells, costs)
            if reasons:
                diagnosis = Diagnosis("numerical_derivative", params={"reasons": reasons})
                return Verdict(False, probe_text(name, [diagnosis], {}), [diagnosis], name=name)
    return None


def _failed_cell(message: str, kind: str) -> Verdict:
    return Verdict(False, message, [Diagnosis(kind)])
