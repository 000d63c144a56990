"""Every verdict's words: the judge (:mod:`gdcourse.judge`) decides, this module says it.

The judge returns :class:`Diagnosis` values (a kind, the form of its wording and the
parameters it needs); :func:`diagnosis_text` turns one into the sentence a student reads,
:func:`probe_text` and the ``cell_*`` functions compose a test cell's verdict, and
:data:`LABELS` names each generic kind in a few words for instructors' tables (the class
report). Named mistakes take their words from the caller's ``messages`` (the grader's
catalogue, ``content.mistakes``). The value describers (:func:`describe`,
:func:`describe_input`) are here too: they word what a student's function returned, never
an expected value or which hidden input it was.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

import numpy as np

from .probe import decode_array, decode_number


@dataclass(frozen=True)
class Diagnosis:
    """One thing wrong with a function, as data.

    Attributes
    ----------
    kind : str
        A generic diagnosis (a key of :data:`LABELS`) or a named mistake's name.
    form : str
        Which wording of the kind, where it has more than one ("" for the only one);
        :data:`MISTAKE` for a named mistake, worded by the caller's ``messages``.
    params : dict
        What the wording needs: plain values (text, numbers), never an expected value.
    """

    kind: str
    form: str = ""
    params: Mapping = field(default_factory=dict)


MISTAKE = "mistake"


# --- plain numbers ----------------------------------------------------------------------------

#: NumPy 2's reprs of its numbers (np.float64(3.0), np.True_) inside a text, such as an error message.
_NUMPY_REPR = re.compile(r"\b(?:np|numpy)\.(?:float|int|uint)(?:16|32|64|128|8)?\(([^()]*)\)|\b(?:np|numpy)\.(True|False)_")


def plain_numbers(text: str) -> str:
    """``text`` with NumPy's reprs of numbers written as the plain numbers they hold: "np.float64(3.0)" -> "3.0"."""
    return _NUMPY_REPR.sub(lambda m: m.group(1) if m.group(1) is not None else m.group(2), text)


def number_text(x: float) -> str:
    """A number as a student writes it: 6 significant digits, no type around it (24.5, -0.8, 1e-06, nan)."""
    return f"{x:.6g}"


def array_text(a: np.ndarray, limit: int = 8) -> str:
    """An array's numbers as nested lists of plain numbers; a long one as its first and last numbers and its shape."""
    if a.ndim == 0:
        return number_text(float(a))
    if a.size > limit:
        flat = a.ravel()
        numbers = ", ".join(number_text(float(x)) for x in flat[:3]) + ", ..., " + \
            ", ".join(number_text(float(x)) for x in flat[-3:])
        return f"[{numbers}]" if a.ndim == 1 else f"an array of shape {tuple(a.shape)} ([{numbers}])"
    return "[" + ", ".join(array_text(row, limit) for row in a) + "]"


# --- describing a student's values -------------------------------------------------------

def describe(enc: dict) -> str:
    """A short, student-facing description of a value the student returned, in plain numbers."""
    kind = enc.get("kind")
    if kind == "scalar":
        return number_text(decode_number(enc["value"]))
    if kind == "array":
        a = decode_array(enc)
        if a is None:
            return f"an array of shape {tuple(enc['shape'])}"
        return array_text(a)
    if kind == "sequence":
        inner = ", ".join(describe(i) for i in enc["items"][:4])
        more = ", ..." if enc["length"] > 4 else ""
        return f"({inner}{more})" if enc["type"] == "tuple" else f"[{inner}{more}]"
    if kind == "none":
        return "None"
    if kind in ("bool", "str"):
        return repr(enc["value"])
    return f"a {enc.get('type', kind)} object"


def describe_input(ref_case: dict) -> str:
    """The kinds of a hidden call's arguments, never their values: "a call with an array of shape (3,)
    and a number".

    Messages show what the student's function did with an input, not which hidden input
    it was: together with the count of failed checks, naming inputs would tell which
    hidden checks pass.
    """
    args = ref_case.get("args") or {}
    items = args.get("items") if args.get("kind") == "sequence" else None
    if not items or len(items) != 2:
        return "a hidden input"
    kinds = [_kind_name(a).replace("a single number", "a number") for a in items[0].get("items", [])]
    kinds += [f"{key}={_kind_name(a).replace('a single number', 'a number')}"
              for key, a in items[1].get("items", {}).items()]
    if not kinds:
        return "a call without arguments"
    return "a call with " + (kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1])


def _kind_name(enc: dict) -> str:
    kind = enc.get("kind")
    if kind == "array":
        return f"an array of shape {tuple(enc['shape'])}"
    if kind == "scalar":
        return "a single number"
    if kind == "sequence":
        return f"a {enc['type']} of {enc['length']} items"
    if kind == "none":
        return "None"
    return f"a {enc.get('type', kind)}"


# --- one diagnosis ------------------------------------------------------------------------

def _count(n: int, thing: str) -> str:
    return f"{n} {thing}" if n == 1 else f"{n} {thing}s"


def wrong_value_facts(p: Mapping) -> list[str]:
    """What the fallback knows of a wrong value, each fact once and none against another: where it is right
    among the visible tests' inputs, which items of the result are wrong, their signs, the error's growth."""
    facts = []
    seen, right = p.get("visible", 0), p.get("right_at_visible", 0)
    if seen and right:
        facts.append(f"it is right at {right} of the {_count(seen, 'input')} of the visible tests")
    elif seen:
        facts.append(f"it is wrong at {'the input' if seen == 1 else f'all {seen} inputs'} of the visible tests too: "
                     "run them")
    items, size = p.get("wrong_items"), p.get("items", 0)
    if items:
        where = " and ".join(", ".join(f"[{i}]" for i in items).rsplit(", ", 1))
        facts.append(f"only item{'s' if len(items) > 1 else ''} {where} of the result's {size} "
                     f"{'are' if len(items) > 1 else 'is'} wrong (Python indices, from 0), the others are right")
    if p.get("signs") == "right":
        facts.append("the signs are right, the sizes are not")
    elif p.get("signs") == "wrong":
        facts.append("every wrong number has the wrong sign")
    if p.get("error_grows"):
        facts.append("the error grows with the size of the input")
    return facts


def _wrong_value(p: Mapping) -> str:
    facts = wrong_value_facts(p)
    return (f"returns a wrong value, and no known mistake explains it: for {p['input']} it returned {p['returned']}"
            + (f" ({'; '.join(facts)})" if facts else ""))


#: How a returned value cannot be the right kind at all, by the form :func:`gdcourse.judge.structure_mismatch`
#: decides; ``got`` and ``expected`` are kind summaries (kind, shape, type, length), never values.
_WRONG_SHAPE = {
    "not_scalar": lambda p: f"returns {_kind_name(p['got'])} where a single number is expected",
    "shape": lambda p: (f"returns an array of shape {tuple(p['shape'])}; the result should have shape "
                        f"{tuple(p['expected_shape'])}"),
    "unreadable": lambda p: f"returns an array that cannot be read as numbers ({p['note']})",
    "list_not_array": lambda p: (f"returns a Python {p['type']}; return a NumPy array (np.array(...)) of shape "
                                 f"{tuple(p['expected_shape'])}"),
    "not_array": lambda p: (f"returns {_kind_name(p['got'])} where an array of shape {tuple(p['expected_shape'])} "
                            f"is expected"),
    "not_sequence": lambda p: (f"returns {_kind_name(p['got'])} where a {p['expected_type']} of "
                               f"{p['expected_length']} items is expected"),
    "length": lambda p: f"returns {p['length']} items; {p['expected_length']} are expected",
    "kind": lambda p: f"returns {_kind_name(p['got'])} where {_kind_name(p['expected'])} is expected",
}


def _code_list(names) -> str:
    return ", ".join(f"`{name}`" for name in names)


def _wrong_shape(words: Callable[[Mapping], str]) -> Callable[[Mapping], str]:
    def text(p: Mapping) -> str:
        where = "".join(f"item {i} " for i in p.get("path", ()))
        return f"{where}{words(p)} (for {p['input']})"
    return text


# --- concept questions' answers ----------------------------------------------------------------

#: What a concept question's answer may be, by the form of the question (gdcourse.answers): one sentence per
#: problem, the same in the visible test, gdcourse.check(), the pre-submission check and the grade.
ANSWER_FORM_WORDS = {
    "letter": ('is not one of the letters "a", "b", "c", "d": write one of them, in quotes (capitals and spaces '
               "around it do not matter)"),
    "number": ("is not a number: write a finite number without quotes (an int or a float; True, False and nan "
               "are not numbers here)"),
    "quoted_number": "is text, not a number: write the number without quotes, {example}",
    "either": ('is not a plain answer: write a letter in quotes (such as "b") or a finite number (such as 0.5), '
               "nothing else"),
    "unanswered": "has no answer yet: set it in its cell and run the cell",
}
#: A valid answer, wherever it is checked before the grade: whether it is right is the grade's to say.
ANSWERED_TEXT = "is answered: only the grade says whether it is right"


def answer_form_text(problem: str, example: str = "") -> str:
    """The sentence for an answer's problem (a key of :data:`ANSWER_FORM_WORDS`), without the question's name."""
    return ANSWER_FORM_WORDS[problem].format(example=example)


#: (kind, form) -> the words, as a format string of the diagnosis's parameters or a function of them.
WORDS: dict[tuple[str, str], str | Callable[[Mapping], str]] = {
    ("not_implemented", ""): "is not implemented yet (it still raises NotImplementedError)",
    ("not_implemented", "unanswered"): "has no answer yet: set it in its cell and run the cell",
    ("exception", ""): lambda p: f"raises {p['error']}: {plain_numbers(str(p['text']))} (for {p['input']})",
    ("no_error", ""): "should raise {error} for {input}, but gave {returned}",
    ("not_plain_answer", ""): lambda p: answer_form_text("either"),  # a question of a form not known
    **{("not_plain_answer", form): lambda p, form=form: answer_form_text(form, p.get("example", ""))
       for form in ("letter", "number", "quoted_number")},
    ("wrong_answer", ""): "is not the right answer (you answered {returned}): is it one of the options offered?",
    ("wrong_answer", "valid"): "is not the right answer (you answered {returned})",
    ("column_broadcast", ""): ("is wrong exactly when `{column}` is a column of shape (m, 1): an (m,) array minus "
                               "an (m, 1) column broadcasts into an (m, m) matrix; flatten `{column}` first "
                               "({column} = np.ravel({column}))"),
    ("hard_coded", "visible"): ("is right at the inputs of the visible tests but wrong at others: is it hard-coded "
                                "for the visible test, or does it ignore an argument that the visible tests leave "
                                "the same? Compute the answer from the arguments, for any input"),
    ("hard_coded", "constant"): "returns the same value whatever the input: is it hard-coded for the visible test?",
    ("same_value", ""): ("returns the same value, {returned}, for every input: the result should change with the "
                         "arguments (check the conditions that choose it, and that every argument is used)"),
    ("returns_none", ""): "returns None: is a `return` statement missing?",
    ("aliased_rows", ""): ("several history rows are the same array, changed in place after they were stored: "
                           "append a copy of θ (or build a new array each step)"),
    **{("wrong_shape", form): _wrong_shape(words) for form, words in _WRONG_SHAPE.items()},
    ("non_finite", ""): "returns NaN or infinity for {input}",
    ("wrong_sign", ""): "has the wrong sign",
    ("constant_factor", ""): "is off by a constant factor: every value is the same multiple of the right one",
    ("swapped", ""): "returns the right numbers in the wrong order (components swapped?)",
    ("whole_numbers", ""): ("returns whole numbers where the right values have fractions: is a value cast to int, "
                            "or kept in an integer array (np.array([1, 2]) holds integers; use dtype=float)?"),
    ("wrong_value", ""): _wrong_value,
    ("mutates_input", "perturbed"): lambda p: (f"leaves its argument {_code_list(p['args'])} perturbed after the "
                                               "call: a component it changed in place was not put back exactly as "
                                               "it was (save the old value and restore it, or change a copy)"),
    ("mutates_input", "in_place"): lambda p: (f"modifies its argument {_code_list(p['args'])} in place: leave the "
                                              f"caller's array alone (work on a copy, e.g. {p['args'][0]} = "
                                              f"{p['args'][0]}.copy())"),
    ("tampered", ""): "the hidden checks' output was tampered with ({what})",
    ("numerical_derivative", ""): lambda p: not_derived_text(p["reasons"]),
    ("timed_out", "call"): lambda p: (f"timed out: it did not return within {p['seconds'] or 'the time a call may take'}"
                                      f"{' s' if p['seconds'] else ''} (an endless loop?), was stopped there and "
                                      "not called again"),
}

#: Each generic kind in a few words, for instructors' tables; named mistakes use their message.
LABELS = {
    "not_implemented": "not attempted (still raises NotImplementedError)",
    "exception": "raises an exception",
    "no_error": "does not raise the error it should",
    "returns_none": "returns None (a missing return?)",
    "hard_coded": "right only at the visible tests' inputs, or one value for every input (hard-coded?)",
    "same_value": "the same value for every input (a condition or an argument not used)",
    "wrong_shape": "returns the wrong type or shape",
    "aliased_rows": "several history rows are the same array",
    "column_broadcast": "y of shape (m, 1) broadcasting into an (m, m) matrix",
    "whole_numbers": "whole numbers where fractions are expected (an int cast?)",
    "non_finite": "returns NaN or infinity",
    "wrong_sign": "has the wrong sign",
    "constant_factor": "off by a constant factor",
    "swapped": "components in the wrong order",
    "wrong_value": "wrong value, no known mistake recognised",
    "wrong_answer": "a question answered with no known option",
    "not_plain_answer": "a question answered in a form it does not take (not a letter a-d, or not a number)",
    "mutates_input": "changes its argument in place (or leaves it perturbed)",
    "tampered": "the hidden checks were tampered with",
    "numerical_derivative": "computes the derivative numerically instead of deriving it",
    "did_not_run": "the hidden checks did not run (an error before them)",
    "timed_out": "timed out (an endless loop?)",
    "visible_test_failed": "passed the hidden checks, failed the visible test",
    "unrecognised": "failed, no diagnosis recorded",
}


def diagnosis_text(diagnosis: Diagnosis, messages: Mapping[str, str]) -> str:
    """The words of one diagnosis: a named mistake's from ``messages``, a generic one's from :data:`WORDS`."""
    if diagnosis.form == MISTAKE:
        return messages[diagnosis.kind]
    words = WORDS[(diagnosis.kind, diagnosis.form)]
    return words(diagnosis.params) if callable(words) else words.format(**diagnosis.params)


def label(kind: str, messages: Mapping[str, str] = {}) -> str:  # noqa: B006 - read only
    """A kind in a few words: a named mistake's message, the generic label, or the kind with spaces."""
    if kind in messages:
        return messages[kind]
    return LABELS.get(kind, kind.replace("_", " "))


# --- a probe's and a test cell's verdict ------------------------------------------------------

def probe_text(function: str, diagnoses: list[Diagnosis], messages: Mapping[str, str]) -> str:
    """What is wrong with one function: "dJ: <first>; it also <second>"."""
    texts = dict.fromkeys(diagnosis_text(d, messages) for d in diagnoses)  # a sentence once, however often found
    return f"{function}: " + "; it also ".join(texts)


def probe_passed_text(function: str, total: int, checks: str) -> str:
    return f"{function}: passed all {total} {checks} checks"


def cell_passed_text(functions: list[str], total: int, checks: str) -> str:
    return f"{', '.join(functions)}: passed all {total} {checks} checks"


def cell_failed_text(probe_texts: list[str], failed: int, total: int, checks: str) -> str:
    """A failed cell: one line per distinct mistake, then how many checks failed."""
    return "; also: ".join(probe_texts) + f" [{failed} of {total} {checks} checks failed]"


def timed_out_text(seconds: float) -> str:
    """How a cell stopped at its time limit is named everywhere (feedback, check, report, export)."""
    return f"timed out after {seconds:.0f} s (an endless loop?)"


def cell_timed_out_text(limit: str, checks: str) -> str:
    """``limit``: how the cell was stopped ("timed out after 30 s (an endless loop?)")."""
    return f"the {checks} checks {limit[:100]}: a function they call did not return in time (does a loop never end?)"


def cell_did_not_run_text(error: str, text: str, checks: str) -> str:
    return f"the {checks} checks did not run: {error}: {plain_numbers(text[:300])}"


def cell_tampered_text(checks: str) -> str:
    return (f"the {checks} checks did not run as written (their output is missing or duplicated: was `display` or "
            "the probe patched?)")


def not_derived_text(reasons: list[str]) -> str:
    """A derivation exercise whose function measures the derivative (:mod:`gdcourse.derivation`)."""
    return (f"computes the derivative numerically ({'; '.join(reasons[:2])}): derive it by hand and write the "
            "formula; a derivative measured from the cost earns none of this exercise's points")


def cell_visible_failed_text(error: str, text: str, checks: str) -> str:
    return f"the {checks} checks passed, but the cell then failed: {error}: {plain_numbers(text[:300])}"
