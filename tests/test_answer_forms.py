"""Issue 30, item 1: one validator for every form of answer, and the same words wherever it is checked.

A concept question's answer is checked in four places before and at the grade: its visible test
(``gdcourse.require_answer``), ``gdcourse.check()``, the pre-submission check (check's code in a
fresh kernel) and the grade (``gdcourse.judge`` on the recorded answer against the reference). For
every answer of the issue's list they must accept and refuse alike, with one sentence per problem;
predictions are compared by ``gdcourse.reveal``.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

import gdcourse
from gdcourse.answers import (
    answer,
    answer_problem,
    answer_problem_text,
    declared_form,
    form_of,
    require_answer,
    reveal,
)
from gdcourse.judge import judge_cell, judge_probe
from gdcourse.practice import GRADE_ONLY, check_results
from gdcourse.probe import case, run_case
from gdcourse.wording import ANSWER_FORM_WORDS, ANSWERED_TEXT

from . import answer_forms_notebook as forms

LETTER_WORDS = ANSWER_FORM_WORDS["letter"]
NUMBER_WORDS = ANSWER_FORM_WORDS["number"]

#: (question, answer, the problem every place must name, or None for a valid answer)
CASES = [
    ("q_slope_sign", "z", "letter"), ("q_slope_sign", 3, "letter"), ("q_slope_sign", "a or b", "letter"),
    ("q_slope_sign", "C", None), ("q_slope_sign", " c ", None), ("q_slope_sign", True, "letter"),
    ("q_slope_sign", math.nan, "letter"), ("q_slope_sign", "0.25", "letter"), ("q_slope_sign", 0.25, "letter"),
    ("q_factor", "0.25", "quoted_number"), ("q_factor", " -0.6 ", "quoted_number"), ("q_factor", True, "number"),
    ("q_factor", math.nan, "number"), ("q_factor", math.inf, "number"), ("q_factor", "z", "number"),
    ("q_factor", "c", "number"), ("q_factor", -0.6, None), ("q_factor", np.float64(-0.6), None),
    ("q_factor", 24, None), ("q_factor", np.int64(3), None),
]


def grade(name: str, value) -> str:
    """The grade's verdict on ``value``: the hidden check's record judged against the reference, with the
    visible test's error, as the grader judges the test cell (the hidden check runs first)."""
    got = {"version": 1, "function": name, "mistakes": [], "cases": [run_case(answer(name, {name: value}), case())]}
    error = None
    try:
        require_answer(name, value, forms.FORMS[name])
    except AssertionError as exc:
        error = {"ename": "AssertionError", "evalue": str(exc)}
    verdict = judge_cell([forms.reference_record(name)], [got], error, {})
    return ("passed" if verdict.passed else "") + verdict.message


@pytest.mark.parametrize("name, value, problem", CASES, ids=[f"{n}={v!r}" for n, v, _ in CASES])
def test_the_visible_test_check_and_the_grade_agree(name, value, problem, capsys):
    form = forms.FORMS[name]
    assert answer_problem(value, form) == problem
    data = forms.practice_data()
    if problem is None:
        require_answer(name, value, form)
        assert capsys.readouterr().out == f"{name} {ANSWERED_TEXT}.\n"
        (result,) = [r for r in check_results(data, {name: value, "In": []}) if r.grade_id == f"test_{name}"]
        assert result.passed is GRADE_ONLY and ANSWERED_TEXT in result.message
        verdict = grade(name, value)  # valid: right ("C" and " c " are "c"), or a wrong choice, never a form's words
        assert verdict.startswith("passed") or "is not the right answer (you answered" in verdict
        assert verdict.startswith("passed") == (name == "q_slope_sign" or float(value) == forms.RIGHT[name])
        return
    with pytest.raises(AssertionError) as raised:  # never another error
        require_answer(name, value, form)
    sentence = answer_problem_text(name, value, form)
    words = sentence.removeprefix(f"{name} ")
    assert str(raised.value) == sentence
    assert words.startswith({"letter": LETTER_WORDS, "number": NUMBER_WORDS,
                             "quoted_number": "is text, not a number"}[problem])
    # check() knows the form from the visible test that ran (or from the cell's comment), and says the same
    (result,) = [r for r in check_results(data, {name: value, "In": []}) if r.grade_id == f"test_{name}"]
    assert result.passed is False and result.message == sentence
    assert words in grade(name, value) and "options offered" not in grade(name, value)


def test_a_quoted_number_is_shown_as_it_should_be_written():
    assert answer_problem_text("q_factor", " 0.25 ", "number") == \
        "q_factor is text, not a number: write the number without quotes, q_factor = 0.25"
    assert "q_factor = 0.25" in grade("q_factor", "0.25")


def test_the_visible_test_reads_the_answer_without_a_name_error(monkeypatch, capsys):
    namespace = {}
    monkeypatch.setattr("gdcourse.answers.notebook_namespace", lambda: namespace)
    with pytest.raises(AssertionError, match="q_factor has no answer yet: set it in its cell and run the cell"):
        gdcourse.require_answer("q_factor", "number")
    namespace["q_factor"] = "0.25"
    with pytest.raises(AssertionError, match="write the number without quotes, q_factor = 0.25"):
        gdcourse.require_answer("q_factor", "number")
    namespace["q_factor"] = 0.25
    gdcourse.require_answer("q_factor", "number")
    assert capsys.readouterr().out == "q_factor is answered: only the grade says whether it is right.\n"
    with pytest.raises(ValueError, match="unknown form"):
        gdcourse.require_answer("q_factor", "word")


def test_no_code_of_the_learner_runs_while_an_answer_is_validated():
    calls = []

    class Spy(str):
        def __getattribute__(self, name):
            calls.append(name)
            return str.__getattribute__(self, name)

        def __eq__(self, other):
            calls.append("__eq__")
            return True

        __hash__ = str.__hash__

    for form in ("letter", "number", None):
        assert answer_problem(Spy("c"), form) is not None
    with pytest.raises(AssertionError):
        require_answer("q_slope_sign", Spy("c"), "letter")
    assert calls == []


def test_the_form_is_read_off_the_visible_test_or_the_answer_cell():
    assert declared_form("q_x", ['gdcourse.require_answer("q_x", "number")']) == "number"
    assert declared_form("q_y", ['# q_y = "a", "b", "c" or "d"\nq_y = "b"']) == "letter"
    assert declared_form("q_z", ["# q_z = a number\nq_z = 3"]) == "number"
    assert declared_form("q_w", ["q_w = 3"]) is None
    assert form_of("c") == "letter" and form_of(-0.6) == "number" and form_of("shrinking") is None


def test_a_question_of_no_known_form_takes_any_plain_answer():
    assert answer_problem("shrinking", None) is None and answer_problem(2.5, None) is None
    assert answer_problem(True, None) == "either" and answer_problem(math.nan, None) == "either"


def test_the_grade_words_a_wrong_but_valid_answer_without_asking_about_the_options():
    message = grade("q_slope_sign", "b")
    assert "is not the right answer (you answered 'b')" in message and "options offered" not in message
    message = grade("q_factor", 0.5)
    assert "is not the right answer (you answered 0.5)" in message and "options offered" not in message


def test_the_grade_refuses_an_object_that_is_not_plain_with_the_sentence_of_the_question_s_form():
    class Number(float):
        pass

    assert LETTER_WORDS in grade("q_slope_sign", Number(1.0))
    assert NUMBER_WORDS in grade("q_factor", Number(-0.6))


# --- reveal: predictions ---------------------------------------------------------------------------

@pytest.mark.parametrize("prediction, actual, kwargs", [
    ("(3, 3)", (3, 3), {}), ("70", 70, {}), ("-2", -2.0, {}), ([0.5, 0.4], [0.4, 0.5], {}), ([3, 3], (3, 3), {}),
    (" Shrinking", "shrinking", {}), (70, 73, {"tolerance": 0.1}), ("1e-3", 0.001, {}), ({0.4, 0.5}, [0.5, 0.4], {}),
    ((3, 1), np.array([3, 1]), {}), (np.float64(0.5), 0.5, {}), ([], [], {}),
])
def test_a_prediction_that_says_what_happened_is_right(prediction, actual, kwargs, capsys):
    reveal(prediction, actual, **kwargs)
    out = capsys.readouterr().out
    assert "Your prediction was right." in out and "np." not in out, out


@pytest.mark.parametrize("prediction, actual, kwargs", [
    ((1, 3), (3, 1), {}), ([0.5, 0.4], [0.4, 0.75], {}), ("same", -2.0, {}), ("70", 73, {}), (True, 1, {}),
    ([0.5, 0.4], [0.4, 0.5], {"ordered": True}), ([0.5], [0.5, 0.4], {}), ("(3, 1)", "(3, 3)", {}),
])
def test_a_prediction_that_differs_is_not_what_happened(prediction, actual, kwargs, capsys):
    reveal(prediction, actual, **kwargs)
    assert "not what happened" in capsys.readouterr().out


def test_reveal_shows_plain_numbers_and_says_what_it_cannot_compare(capsys):
    reveal([np.float64(0.1), np.int64(2)], [np.float64(0.1), np.int64(2)])
    out = capsys.readouterr().out
    assert out.startswith("You predicted: [0.1, 2]. The run shows: [0.1, 2].") and "right" in out
    reveal({"a": 1}, 3)
    assert "not something a run can show" in capsys.readouterr().out
