"""Answers the learner writes down: concept questions (graded) and predictions (checked by the run).

A concept question is a variable the learner sets in an answer cell, ``q_direction = "b"``.
Its hidden check probes it like a function::

    probe(answer("q_direction"), [case()], mistakes=["direction_b", ...])

where each wrong option is a named mistake of the grader's catalogue (never in this
package: a practice file carries no question's options). A prediction is written before a
run and compared with what the run shows: ``reveal(my_prediction, actual)``.

Answers are compared after :func:`normalise`: text without case and extra spaces, a list or
tuple as a list in its order (a shape, a sequence), a set as the sorted list of its items
(write a set when order does not matter), NumPy numbers as Python numbers.
"""

from __future__ import annotations

import math
from typing import Any, Callable

NOT_ANSWERED = (None, Ellipsis)


def _unanswered(value: Any) -> bool:
    return any(value is blank for blank in NOT_ANSWERED)


def normalise(value: Any) -> Any:
    """The form in which an answer is compared (see the module's docstring)."""
    if isinstance(value, str):
        return " ".join(value.split()).lower()
    if isinstance(value, (list, tuple)):  # a list or a shape: its order counts
        return [normalise(v) for v in value]
    if isinstance(value, (set, frozenset)):  # a set: its order does not
        items = [normalise(v) for v in value]
        try:
            return sorted(items)
        except TypeError:  # items of mixed types: any fixed order will do
            return sorted(items, key=repr)
    if hasattr(value, "item") and callable(value.item) and getattr(value, "shape", None) == ():
        return value.item()  # a NumPy scalar
    return value


def answer(name: str, namespace: dict | None = None) -> Callable[[], Any]:
    """The variable ``name`` (of the notebook, or of ``namespace``) as a function of no arguments,
    for a hidden check's probe; it returns the answer normalised."""

    def read():
        from .practice import _notebook_namespace

        where = _notebook_namespace() if namespace is None else namespace
        if name not in where or _unanswered(where[name]):
            raise NameError(f"{name} has no answer yet: set it in its cell and run the cell")
        return normalise(where[name])

    read.__name__ = read.__qualname__ = name
    read.gd_answer = True
    return read


def reveal(prediction: Any, actual: Any, tolerance: float = 0.0) -> None:
    """Print the learner's prediction beside what the run shows, and whether they agree.

    Parameters
    ----------
    prediction : str, number, or list of them
        What the learner wrote before running (``None`` or ``...`` if nothing).
    actual : str, number, or list of them
        What the run shows.
    tolerance : float, default 0
        For numbers: the relative difference still counted as agreeing.
    """
    if _unanswered(prediction):
        print(f"No prediction written. The run shows: {actual}. Next time, commit to an answer first: "
              "a wrong prediction teaches more than none.")
        return None
    agree = _agree(normalise(prediction), normalise(actual), tolerance)
    verdict = "right" if agree else "not what happened: read the explanation below and find where your reasoning parted"
    print(f"You predicted: {prediction}. The run shows: {actual}. Your prediction was {verdict}.")
    return None


def _agree(a: Any, b: Any, tolerance: float) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_agree(x, y, tolerance) for x, y in zip(a, b))
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=0.0) or a == b
    return a == b
