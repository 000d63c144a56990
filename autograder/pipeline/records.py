"""The shape of a probe record, checked before the judge reads one.

A probe record comes from the student's kernel (``gdcourse.probe``), so it is a claim that
may have been forged into any JSON at all. :func:`malformed` accepts exactly what
``gdcourse.probe.encode`` can produce (numbers that fit a float, shapes that match their
data, the keys the judge reads) and says what is wrong with anything else; the judge
then fails the check as tampered with instead of tripping over it.
"""

from __future__ import annotations

import math

MAX_DEPTH = 12  # gdcourse.probe nests at most 6 levels inside [args, kwargs]
MAX_NODES = 200_000  # values in one record: 20,000 numbers per array in a few arrays per case
SPECIAL_NUMBERS = ("nan", "inf", "-inf")
KINDS = ("scalar", "array", "sequence", "mapping", "bool", "str", "none", "callable", "other")


class Malformed(ValueError):
    """What is wrong with a record, in a few words."""


def malformed(record, reference: dict) -> str | None:
    """Why ``record`` cannot be a probe record answering ``reference`` (its cases), or None if it can."""
    try:
        _check_record(record, reference)
    except Malformed as exc:
        return str(exc)
    return None


def _check_record(record, reference: dict) -> None:
    if not isinstance(record, dict):
        raise Malformed("the record is not an object")
    cases = record.get("cases")
    if not isinstance(cases, list) or len(cases) != len(reference.get("cases", [])):
        raise Malformed("the record does not have one case per hidden input")
    budget = [MAX_NODES]
    _check_cases(cases, budget)
    if "visible" in reference:
        visible = record.get("visible")
        if not isinstance(visible, list) or len(visible) != len(reference["visible"]):
            raise Malformed("the record does not have one case per visible input")
        _check_cases(visible, budget)


def _check_cases(cases: list, budget) -> None:
    for case in cases:
        if not isinstance(case, dict):
            raise Malformed("a case is not an object")
        has_result, has_error = "result" in case, "error" in case
        if has_result == has_error:
            raise Malformed("a case has neither a result nor an error, or both")
        if has_error:
            error = case["error"]
            if not isinstance(error, dict) or not isinstance(error.get("type"), str) \
                    or not isinstance(error.get("message", ""), str):
                raise Malformed("an error is not an object with a type and a message")
        else:
            _check_value(case["result"], 0, budget)
        if "args_after" in case:
            _check_arguments(case["args_after"], budget)


def _check_arguments(enc, budget) -> None:
    """``encode([list(args), kwargs])``: a sequence of a sequence and a mapping."""
    _check_value(enc, 0, budget)
    items = enc.get("items")
    if enc["kind"] != "sequence" or len(items) != 2 or items[0]["kind"] != "sequence" \
            or items[1]["kind"] != "mapping":
        raise Malformed("the arguments after the call are not [positional, keyword]")


def _number(value) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise Malformed("a number is not a number")
    if isinstance(value, str):
        if value not in SPECIAL_NUMBERS:
            raise Malformed("a number is not a number")
        return
    try:
        float(value)
    except OverflowError:
        raise Malformed("a number is too large for a float") from None


def _count(budget) -> None:
    budget[0] -= 1
    if budget[0] < 0:
        raise Malformed("the record is far larger than a probe can make")


def _check_value(enc, depth: int, budget) -> None:
    _count(budget)
    if depth > MAX_DEPTH:
        raise Malformed("a value is nested too deeply")
    if not isinstance(enc, dict) or enc.get("kind") not in KINDS:
        raise Malformed("a value has no known kind")
    kind = enc["kind"]
    if kind == "scalar":
        _number(enc.get("value"))
    elif kind == "array":
        shape = enc.get("shape")
        if not isinstance(shape, list) or len(shape) > 32 \
                or any(isinstance(n, bool) or not isinstance(n, int) or n < 0 for n in shape):
            raise Malformed("an array's shape is not a list of sizes")
        data = enc.get("data")
        if data is not None:
            if not isinstance(data, list) or len(data) != math.prod(shape):
                raise Malformed("an array's data does not match its shape")
            budget[0] -= len(data)
            if budget[0] < 0:
                raise Malformed("the record is far larger than a probe can make")
            for value in data:
                _number(value)
    elif kind == "sequence":
        items, length = enc.get("items"), enc.get("length")
        if not isinstance(items, list) or isinstance(length, bool) or not isinstance(length, int) \
                or length < len(items) or not isinstance(enc.get("type", ""), str):
            raise Malformed("a sequence is not items with a length")
        for item in items:
            _check_value(item, depth + 1, budget)
    elif kind == "mapping":
        items = enc.get("items")
        if not isinstance(items, dict):
            raise Malformed("a mapping has no items")
        for item in items.values():
            _check_value(item, depth + 1, budget)
    elif kind == "bool":
        if not isinstance(enc.get("value"), bool):
            raise Malformed("a bool is not true or false")
    elif kind == "str":
        if not isinstance(enc.get("value"), str):
            raise Malformed("a string is not text")
    for key in ("type", "note", "dtype", "name"):
        if key in enc and enc[key] is not None and not isinstance(enc[key], str):
            raise Malformed(f"a value's {key} is not text")
