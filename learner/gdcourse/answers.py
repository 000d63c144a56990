"""Answers the learner writes down: concept questions (graded) and predictions (checked by the run).

A concept question is a variable the learner sets in an answer cell, ``q_direction = "b"``.
Its hidden check probes it like a function of no arguments::

    probe(answer("q_direction"), [case()])

and nothing else: no option, no right value, no list from which either follows is ever in the
student's kernel. The grader maps the recorded answer to a wrong option's misconception
outside the kernel (its catalogue knows each question's options; a practice file carries none).
An answer is read once, as a plain ``str``, ``int`` or ``float`` (or a NumPy number, read as its
Python number): any other object, a subclass of ``str`` included, is not a plain answer and gets
no point, so no code of the learner's runs while the probe reads it.

**Forms.** A question takes one *form* of answer, which is no secret (its cell's comment says it):

- ``"letter"``: one of ``"a"``, ``"b"``, ``"c"``, ``"d"``, in quotes; capitals and spaces around it do
  not matter (``"C"`` and ``" c "`` are ``"c"``);
- ``"number"``: a finite ``int`` or ``float`` (or NumPy number), without quotes; not ``True`` or
  ``False``, not ``nan``, not a number in quotes (``"0.25"``).

:func:`answer_problem` is the one validator: the visible test (:func:`require_answer`),
``gdcourse.check()``, the pre-submission check and the grade (:mod:`gdcourse.judge`, which reads the
form off the reference answer: a letter or a number) all reject the same answers with the same
sentence (:data:`gdcourse.wording.ANSWER_FORM_WORDS`) and accept the same ones; none of them says
whether a valid answer is right, but the grade.

**Predictions** (``my_prediction_... = ...``) are not graded: ``reveal(my_prediction, actual)``
compares them with what the run shows (see :func:`reveal` for what counts as agreeing).

Answers are compared after :func:`normalise`: text without case and extra spaces, a list or
tuple as a list in its order (a shape, a sequence), a set as the sorted list of its items
(write a set when order does not matter), NumPy numbers as Python numbers.
"""

from __future__ import annotations

import ast
import math
import re
from typing import Any, Callable

import numpy as np

from .namespace import notebook_namespace
from .wording import ANSWERED_TEXT, answer_form_text, array_text, number_text

NOT_ANSWERED = (None, Ellipsis)
#: The NumPy numbers an answer may be (read as the Python number they hold): exact types, no subclass.
_NUMPY_NUMBERS = (np.float64, np.float32, np.float16, np.int64, np.int32, np.int16, np.int8,
                  np.uint64, np.uint32, np.uint16, np.uint8)


LETTERS = ("a", "b", "c", "d")
FORMS = ("letter", "number")
#: A number as text, as a learner might quote it: "0.25", " -2 ", "1e-3".
_NUMBER_TEXT = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: Forms the visible tests of this kernel declared (:func:`require_answer`), by question.
_declared: dict[str, str] = {}


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


def _exact_number(value: Any) -> float | int | None:
    """The Python number of an exact int, float or NumPy number (never a bool or a subclass); None otherwise."""
    kind = type(value)
    if kind is int or kind is float:
        return value
    if any(kind is number for number in _NUMPY_NUMBERS):
        return value.item()
    return None


def quoted_number(value: Any) -> str | None:
    """The number a text holds, as the learner wrote it without the spaces ("0.25"), or None."""
    if type(value) is not str:
        return None
    text = value.strip()
    return text if _NUMBER_TEXT.fullmatch(text) and math.isfinite(float(text)) else None


def answer_problem(value: Any, form: str | None) -> str | None:
    """What is wrong with ``value`` as an answer of ``form`` ("letter", "number"; None: any plain answer), as a key
    of :data:`gdcourse.wording.ANSWER_FORM_WORDS`; None for a valid answer.

    Only ``type()`` and ``is`` look at the value (and ``str`` methods at an exact ``str``): no code of the
    learner's runs.
    """
    if unanswered(value):
        return "unanswered"
    letter = type(value) is str and normalise(value) in LETTERS
    number = _exact_number(value)
    number = number is not None and math.isfinite(number)
    if form == "letter":
        return None if letter else "letter"
    if form == "number":
        if number:
            return None
        return "quoted_number" if quoted_number(value) is not None else "number"
    if form is None:  # a form not known: any plain answer (text, a finite number) will do
        return None if type(value) is str or number else "either"
    raise ValueError(f"unknown form of answer {form!r}: use one of {FORMS}")


def answer_problem_text(name: str, value: Any, form: str | None) -> str | None:
    """The sentence a learner reads for an invalid answer, starting with the question's name; None if valid."""
    problem = answer_problem(value, form)
    if problem is None:
        return None
    example = f"{name} = {quoted_number(value)}" if problem == "quoted_number" else ""
    return f"{name} {answer_form_text(problem, example)}"


def form_of(value: Any) -> str | None:
    """The form of a (reference) answer: "letter" for one of a-d, "number" for a number, None for anything else."""
    if answer_problem(value, "letter") is None:
        return "letter"
    if answer_problem(value, "number") is None:
        return "number"
    return None


#: How a visible test or an answer cell states a question's form, in the notebook's code.
_FORM_IN_CODE = (
    (re.compile(r"""require_answer\(\s*["'](?P<name>\w+)["']\s*,\s*(?:[^,()]+,\s*)?["'](?P<form>letter|number)["']"""), None),
    (re.compile(r"""#\s*(?P<name>q_\w+)\s*=\s*["']a["']\s*,\s*["']b["']"""), "letter"),
    (re.compile(r"""#\s*(?P<name>q_\w+)\s*=\s*an?\s+(?:whole\s+)?number"""), "number"),
)


def declared_form(name: str, cells: Any = ()) -> str | None:
    """The form of question ``name``: as its visible test declared it in this kernel (:func:`require_answer`), or
    as the code of the cells that ran (``In``) states it; None if neither says."""
    if name in _declared:
        return _declared[name]
    for source in reversed([c for c in cells if isinstance(c, str)] if isinstance(cells, list) else []):
        for pattern, form in _FORM_IN_CODE:
            for match in pattern.finditer(source):
                if match.group("name") == name:
                    return form or match.group("form")
    return None


def require_answer(name: str, *form_or_value_and_form: Any) -> None:
    """The visible test of a concept question: an ``AssertionError`` that says what is allowed for an answer
    that is not of the question's form, or a line saying it is answered.

    ``require_answer("q_slope_sign", "letter")`` reads the variable from the notebook (no ``NameError`` when
    it is not set yet); ``require_answer("q_slope_sign", q_slope_sign, "letter")`` is given its value.
    """
    if len(form_or_value_and_form) == 1:
        (form,) = form_or_value_and_form
        where = notebook_namespace()
        value = dict.get(where, name) if issubclass(type(where), dict) else None
    elif len(form_or_value_and_form) == 2:
        value, form = form_or_value_and_form
    else:
        raise TypeError("require_answer(name, form) or require_answer(name, value, form)")
    if form not in FORMS:
        raise ValueError(f"unknown form of answer {form!r}: use one of {FORMS}")
    _declared[name] = form
    problem = answer_problem_text(name, value, form)
    if problem is not None:
        raise AssertionError(problem)
    print(f"{name} {ANSWERED_TEXT}.")


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


def reveal(prediction: Any, actual: Any, tolerance: float = 0.0, ordered: bool | None = None) -> None:
    """Print the learner's prediction beside what the run shows, and whether they agree.

    What counts as agreeing:

    - text: without case and extra spaces (``"Shrinking "`` is ``"shrinking"``);
    - numbers: equal, or within ``tolerance`` (relative); ``True``/``False`` are not numbers;
    - a prediction in quotes is read as the number, tuple or list it spells when the run shows a number,
      a tuple or a list: ``"70"`` is 70, ``"-2"`` is -2.0, ``"(3, 3)"`` is the shape (3, 3);
    - a tuple or an array (a shape, a sequence): the same items in the same order, whether the prediction
      is a tuple or a list;
    - a list or a set (which values, such as the α that diverge): the same items in any order; pass
      ``ordered=True`` when a list's order is part of what is predicted.

    Parameters
    ----------
    prediction : str, number, or list of them
        What the learner wrote before running (``None`` or ``...`` if nothing).
    actual : str, number, or list of them
        What the run shows.
    tolerance : float, default 0
        For numbers: the relative difference still counted as agreeing.
    ordered : bool, optional
        Whether order counts (default: for a tuple or an array, not for a list or a set).
    """
    if unanswered(prediction):
        print(f"No prediction written. The run shows: {plain(actual)}. Next time, commit to an answer first: "
              "a wrong prediction teaches more than none.")
        return None
    readable = _readable(prediction)
    agree = readable and _agree(_read(prediction, actual), _read(actual, None), tolerance,
                                _ordered(actual) if ordered is None else ordered)
    verdict = ("right" if agree else
               "not what happened: read the explanation below and find where your reasoning parted" if readable else
               "not something a run can show: write a number, a word in quotes, or a list or tuple of them")
    print(f"You predicted: {plain(prediction)}. The run shows: {plain(actual)}. Your prediction was {verdict}.")
    return None


def plain(value: Any, inner: bool = False) -> str:
    """A value as a learner writes it: plain numbers (never np.float64(...)), lists and tuples of them, text."""
    if isinstance(value, str):
        return repr(value) if inner else value
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        return number_text(float(value)) if math.isfinite(value) and abs(value) < 1e15 else repr(float(value))
    if isinstance(value, np.ndarray):
        return array_text(value)
    if isinstance(value, tuple):
        items = [plain(v, True) for v in value]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if isinstance(value, list):
        return "[" + ", ".join(plain(v, True) for v in value) + "]"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(plain(v, True) for v in value)) + "}" if value else "set()"
    return repr(value)


def _readable(value: Any) -> bool:
    """Whether a prediction is made of text, numbers, and lists, tuples or sets of them."""
    if isinstance(value, (str, int, float, np.integer, np.floating, np.bool_)):
        return True
    if isinstance(value, (list, tuple, set, frozenset)):
        return all(_readable(v) for v in value)
    return isinstance(value, np.ndarray) and value.dtype.kind in "biuf"


def _read(value: Any, actual: Any) -> Any:
    """A prediction in the kind of ``actual``: text that spells a number, tuple or list read as one (where the run
    shows one); NumPy values as Python ones; then :func:`normalise`."""
    if isinstance(value, np.ndarray):
        value = tuple(value.tolist())
    if isinstance(value, str) and actual is not None and not isinstance(actual, str) and len(value) <= 200:
        try:
            spelled = ast.literal_eval(value.strip())
        except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
            spelled = None
        if isinstance(spelled, (int, float, tuple, list, set)) and not isinstance(spelled, bool):
            value = spelled
    return normalise(value)


def _ordered(actual: Any) -> bool:
    return not isinstance(actual, (list, set, frozenset))


def _agree(a: Any, b: Any, tolerance: float, ordered: bool) -> bool:
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return False
        if ordered:
            return all(_agree(x, y, tolerance, True) for x, y in zip(a, b))
        left = list(b)  # which items, in any order: match each predicted item with one not matched yet
        for x in a:
            match = next((k for k, y in enumerate(left) if _agree(x, y, tolerance, True)), None)
            if match is None:
                return False
            left.pop(match)
        return True
    numbers = (int, float)
    if isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=tolerance, abs_tol=0.0) or a == b
    return type(a) is type(b) and a == b if isinstance(a, bool) or isinstance(b, bool) else a == b
