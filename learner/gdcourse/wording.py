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


# --- describing a student's values -------------------------------------------------------

def describe(enc: dict) -> str:
    """A short, student-facing description of a value the student returned."""
    kind = enc.get("kind")
    if kind == "scalar":
        return f"{decode_number(enc['value']):.6g}"
    if kind == "array":
        a = decode_array(enc)
        if a is None:
            return f"an array of shape {tuple(enc['shape'])}"
        return np.array2string(a, precision=6, threshold=8, separator=", ")
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

def _wrong_value(p: Mapping) -> str:
    seen, right = p.get("visible", 0), p.get("right_at_visible", 0)
    where = (f" (it is right at {right} of the {seen} inputs of the visible tests)" if right
             else " (it is wrong at the inputs of the visible tests too: run them)" if seen else "")
    grows = "; the error grows with the size of the input" if p.get("error_grows") else ""
    return f"returns a wrong value: for {p['input']} it returned {p['returned']}{where}{grows}"


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


#: (kind, form) -> the words, as a format string of the diagnosis's parameters or a function of them.
WORDS: dict[tuple[str, str], str | Callable[[Mapping], str]] = {
    ("not_implemented", ""): "is not implemented yet (it still raises NotImplementedError)",
    ("not_implemented", "unanswered"): "has no answer yet: set it in its cell and run the cell",
    ("exception", ""): "raises {error}: {text} (for {input})",
    ("no_error", ""): "should raise {error} for {input}, but gave {returned}",
    ("not_plain_answer", ""): ("is not a plain answer: write a letter in quotes (such as \"b\") or a finite "
                               "number (such as 0.5), nothing else"),
    ("wrong_answer", ""): "is not the right answer (you answered {returned}): is it one of the options offered?",
    ("column_broadcast", ""): ("is wrong exactly when `{column}` is a column of shape (m, 1): an (m,) array minus "
                               "an (m, 1) column broadcasts into an (m, m) matrix; flatten `{column}` first "
                               "({column} = np.ravel({column}))"),
    ("hard_coded", "visible"): ("is right at the inputs of the visible tests but wrong at others: is it hard-coded "
                                "for the visible test, or does it ignore an argument that the visible tests leave "
                                "the same? Compute the answer from the arguments, for any input"),
    ("hard_coded", "constant"): "returns the same value whatever the input: is it hard-coded for the visible test?",
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
                                              "caller's array alone (work on a copy, e.g. theta = theta.copy())"),
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
    "not_plain_answer": "a question answered with something other than a letter or a number",
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
    return f"{function}: " + "; it also ".join(diagnosis_text(d, messages) for d in diagnoses)


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
    return f"the {checks} checks did not run: {error}: {text[:300]}"


def cell_tampered_text(checks: str) -> str:
    return (f"the {checks} checks did not run as written (their output is missing or duplicated: was `display` or "
            "the probe patched?)")


def not_derived_text(reasons: list[str]) -> str:
    """A derivation exercise whose function measures the derivative (:mod:`gdcourse.derivation`)."""
    return (f"computes the derivative numerically ({'; '.join(reasons[:2])}): derive it by hand and write the "
            "formula; a derivative measured from the cost earns none of this exercise's points")


def cell_visible_failed_text(error: str, text: str, checks: str) -> str:
    return f"the {checks} checks passed, but the cell then failed: {error}: {text[:300]}"
