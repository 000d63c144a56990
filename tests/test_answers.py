"""Concept questions and predictions: answers the learner writes, judged and revealed."""

from __future__ import annotations

import numpy as np
import pytest

from autograder.judge import judge_probe
from autograder.mistakes import wrong_option
from gdcourse.answers import answer, normalise, reveal
from gdcourse.practice import GRADE_ONLY, check_exercises, render
from gdcourse.probe import case

from .test_judge import record

wrong_option("test_q_steps_same", "Same", "assumes a fixed α gives steps of a fixed length: α fixes a proportion")
wrong_option("test_q_steps_grow", "growing", "mixes up the step with the distance still to go")


def question_record(value, reference=False):
    read = answer("q_steps", {"q_steps": value})
    out = record(read, [case()], ["test_q_steps_same", "test_q_steps_grow"], reference=reference)
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
