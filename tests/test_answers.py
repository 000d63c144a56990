"""Concept questions and predictions: answers the learner writes, judged and revealed."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.pipeline.judge import judge_probe
from content.mistakes import options_of, wrong_option
from autograder.pipeline.reference import ReferenceRunError, _mistake_outputs
from gdcourse.answers import NotAPlainAnswer, answer, normalise, plain_answer, reveal
from gdcourse.practice import GRADE_ONLY, check_exercises, render
from gdcourse.probe import case

from .test_judge import record

wrong_option("q_steps", "test_q_steps_same", "Same", "assumes a fixed α gives steps of a fixed length: α fixes a proportion")
wrong_option("q_steps", "test_q_steps_grow", "growing", "mixes up the step with the distance still to go")


def question_record(value, reference=False):
    read = answer("q_steps", {"q_steps": value})
    out = record(read, [case()], options_of("q_steps") if reference else [], reference=reference)
    out["kind"] = "answer"  # as gdcourse.probe.probe marks the payload of an answer
    return out


@pytest.mark.parametrize("written, expected", [
    ("  Shrinking ", "shrinking"), (["b", "A"], ["b", "a"]), ({0.75, 0.4}, [0.4, 0.75]), (np.float64(2.5), 2.5),
    ((3, 1), [3, 1]), ({"b", "A"}, ["a", "b"]),
])
def test_answers_are_compared_without_case_or_spaces_and_sets_without_order(written, expected):
    assert normalise(written) == expected


def test_a_right_answer_passes_and_a_wrong_option_names_its_misconception():
    ref = question_record("shrinking", reference=True)
    assert judge_probe(ref, question_record("SHRINKING ")).passed
    verdict = judge_probe(ref, question_record("same"))
    assert not verdict.passed and "fixed length" in verdict.message and "shrinking" not in verdict.message
    other = judge_probe(ref, question_record("wobbling"))
    assert not other.passed and "not the right answer" in other.message and "shrinking" not in other.message


@pytest.mark.parametrize("blank", [None, ...])
def test_no_answer_is_not_answered_yet(blank):
    ref = question_record("shrinking", reference=True)
    verdict = judge_probe(ref, question_record(blank))
    assert not verdict.passed and "no answer yet" in verdict.message and verdict.kinds == ["not_implemented"]


def test_practice_check_never_judges_a_question():
    data = {"kind": "practice", "exercises": [{"grade_id": "test_q_steps", "points": 1.0, "probes": [
        {"function": "q_steps", "kind": "answer", "mistakes": [], "messages": {}, "cases": []}]}]}
    (name, points, passed, message), = check_exercises(data, {"q_steps": "same"})
    assert passed is GRADE_ONLY and "only the grade" in message
    assert "0 of 0 points" in render(data, check_exercises(data, {"q_steps": "same"}))
    (_, _, passed, message), = check_exercises(data, {})
    assert passed is None and "no answer yet" in message


def test_reveal_says_whether_the_prediction_was_right(capsys):
    reveal("Shrinking", "shrinking")
    assert "was right" in capsys.readouterr().out
    reveal(70, 73, tolerance=0.1)
    assert "was right" in capsys.readouterr().out
    reveal([0.5, 0.4], [0.4, 0.75])
    assert "not what happened" in capsys.readouterr().out
    reveal(None, 3)
    assert "No prediction written" in capsys.readouterr().out


def test_the_probe_marks_an_answer_in_its_record(monkeypatch):
    import gdcourse.probe as probe_module

    published = []
    monkeypatch.setattr("IPython.display.publish_display_data", published.append)
    probe_module.probe(answer("q_steps", {"q_steps": "b"}), [case()])
    probe_module.probe(lambda: "b", [case()])
    assert [p[probe_module.MIME].get("kind") for p in published] == ["answer", None]


def test_a_question_s_options_come_from_the_catalogue_never_from_the_hidden_cell():
    assert options_of("q_steps") == ["test_q_steps_same", "test_q_steps_grow"]
    with pytest.raises(ReferenceRunError, match="gives the right one away"):
        _mistake_outputs(answer("q_steps", {"q_steps": "b"}), case(), ["test_q_steps_same"])


class _Spy(str):
    """A str subclass that notes every method the grader calls on it (an oracle could read frames there)."""
    calls: list = []

    def __getattribute__(self, name):
        _Spy.calls.append(name)
        return str.__getattribute__(self, name)

    def __eq__(self, other):
        _Spy.calls.append("__eq__")
        return True

    __hash__ = str.__hash__


class _Meta(type):
    def __eq__(cls, other):
        _Spy.calls.append("metaclass __eq__")
        return True

    __hash__ = type.__hash__


class _Number(float, metaclass=_Meta):
    pass


@pytest.mark.parametrize("value", [_Spy("c"), _Number(0.5), True, float("nan"), float("inf"), ["c"], {"c"},
                                   np.array("c"), b"c"])
def test_only_a_plain_answer_is_read_and_nothing_of_the_learner_s_runs_while_it_is(value):
    _Spy.calls.clear()
    with pytest.raises(NotAPlainAnswer):
        plain_answer("q_steps", value)
    assert _Spy.calls == []
    ref = question_record("shrinking", reference=True)
    verdict = judge_probe(ref, question_record(value))
    assert not verdict.passed and verdict.kinds == ["not_plain_answer"] and "plain answer" in verdict.message
    assert _Spy.calls == []


@pytest.mark.parametrize("value, read", [(" C ", "c"), (7, 7), (-0.6, -0.6), (np.float64(2.5), 2.5), (np.int64(32), 32)])
def test_plain_answers_are_read_as_python_values(value, read):
    assert plain_answer("q", value) == read and type(plain_answer("q", value)) is type(read)


def test_a_practice_file_ships_a_question_s_form_never_its_answer():
    from course.bundle import answer_form

    letter = {"kind": "answer", "cases": [{"result": {"kind": "str", "value": "c"}}]}
    number = {"kind": "answer", "cases": [{"result": {"kind": "scalar", "value": -0.6}}]}
    assert answer_form(letter) == "letter" and answer_form(number) == "number"
    assert answer_form({"kind": "answer", "cases": [{"error": {"type": "NameError"}}]}) is None
