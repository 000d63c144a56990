"""Answers the learner writes down: concept questions (graded) and predictions (checked by the run).

A concept question is a variable the learner sets in an answer cell, ``q_direction = "b"``.
Its hidden check probes it like a function of no arguments::

    probe(answer("q_direction"), [case()])

and nothing else: no option, no right value, no list from which either follows is ever in the
student's kernel. The grader maps the recorded answer to a wrong option's misconception
outside the kernel (its catalogue knows each question's options; a practice file carries none).
An answer is read once, as a plain ``str``, ``int`` or ``float`` (or a NumPy number, read as its
Python number): any other object, a subclass of ``str`` included, is not a plain answer and gets
no point, so no code of the learner's runs while the probe reads it. A prediction is written
before a run and compared with what the run shows: ``reveal(my_prediction, actual)``.

Answers are compared after :func:`normalise`: text without case and extra spaces, a list or
tuple as a list in its order (a shape, a sequence), a set as the sorted list of its items
(write a set when order does not matter), NumPy numbers as Python numbers.
"""

from __future__ import annotations

import math
from typing import Any, Callable

import numpy as np

from .namespace import notebook_namespace

NOT_ANSWERED = (None, Ellipsis)
#: The NumPy numbers an answer may be (read as the Python number they hold): exact types, no subclass.
_NUMPY_NUMBERS = (np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8,
                  np.uint64, np.uint32, np.uint16, np.uint8)


class NotAPlainAnswer(TypeError):
    """An answer that is not a plain letter, word or number (see the module's docstring)."""


def unanswered(value: Any) -> bool:
    """Whether ``value`` is what an answer cell holds before the learner writes anything."""
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


def plain_answer(name: str, value: Any) -> str | int | float:
    """The answer ``value`` of question ``name`` as the grade reads it: normalised, from an object of an
    exact plain type only, so that nothing the learner defined runs while it is read.

    Raises
    ------
    NotAPlainAnswer
        ``value`` is not a ``str``, ``int``, ``float`` or NumPy number (a ``bool`` or a subclass is
        not), or is a number that is not finite.
    """
    kind = type(value)  # type() and `is`, never isinstance() or ==: a class of the learner's could answer those
    if any(kind is number for number in _NUMPY_NUMBERS):
        value = value.item()
    elif not any(kind is plain for plain in (str, int, float)):
        raise NotAPlainAnswer(f"{name} is not a plain answer: write a letter in quotes (such as \"b\") or a "
                              "number (such as 0.5), nothing else")
    if type(value) is float and not math.isfinite(value):
        raise NotAPlainAnswer(f"{name} is {value}, which is not an answer: write a finite number")
    return normalise(value)


def answer(name: str, namespace: dict | None = None) -> Callable[[], Any]:
    """The variable ``name`` (of the notebook, or of ``namespace``) as a function of no arguments,
    for a hidden check's probe; it returns the answer as :func:`plain_answer` reads it."""

    def read():
        where = notebook_namespace() if namespace is None else namespace
        value = dict.get(where, name) if issubclass(type(where), dict) else None  # dict's own lookup
        if unanswered(value):
            raise NameError(f"{name} has no answer yet: set it in its cell and run the cell")
        return plain_answer(name, value)

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
    if unanswered(prediction):
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
