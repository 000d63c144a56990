"""Practice checks in the learner's own kernel: ``gdcourse.check()``.

The grader calls each exercise on hidden inputs, in a sandbox, after the notebook is
handed in. A learner who wants the same verdicts *while working* runs ``gdcourse.check()``
in the notebook: every exercise defined in the kernel now is called on a few inputs from a
*practice file* and judged exactly as the grader judges (:mod:`gdcourse.judge`), so a
mistake is named as the grader would name it, in well under a second and without running
the notebook again.

A practice file (``<assignment>.practice.json``, written by the instructor's
``course bundle`` beside the notebook) holds, per exercise, inputs the grade does *not*
use, what the instructor's solution returns for them and what each named mistake returns
for them: as public as the visible tests. A self-study reader with the course repository
gets ``<assignment>.hidden.json`` from ``course workbook`` instead, with the hidden
inputs themselves. The file is trusted data of the course; the functions it names are
the learner's own.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .answers import answer, answer_problem_text, declared_form, unanswered
from .inputs import PracticeError, call_text, decode_input, encode_input  # noqa: F401 - the practice file's names
from .judge import case_ok, judge_cell
from .namespace import notebook_namespace
from .probe import case, run_case
from .wording import ANSWERED_TEXT, answer_form_text, plain_numbers

FORMAT = 1
SECONDS_PER_CALL = 5.0  # a function that runs longer is stopped (an endless loop?) and reported


# --- the check -------------------------------------------------------------------------------

def find_practice_file(namespace: dict, folder: Path | None = None) -> Path | None:
    """The practice (or hidden-input) file in ``folder`` whose exercises ``namespace`` defines most of."""
    folder = Path.cwd() if folder is None else Path(folder)
    candidates = sorted([*folder.glob("*.hidden.json"), *folder.glob("*.practice.json")])
    best, best_score = None, 0
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        names = {p.get("function") for e in data.get("exercises", []) for p in e.get("probes", [])}
        score = sum(1 for name in names if callable(namespace.get(name)))
        if score > best_score or (score == best_score and best is not None and path.name.endswith(".hidden.json")
                                  and not best.name.endswith(".hidden.json")):
            best, best_score = path, score
    return best


def load_practice_file(path: Path) -> dict:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise PracticeError(f"{path} cannot be read as a practice file: {exc}") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("exercises"), list):
        raise PracticeError(f"{path} is not a practice file of this version of gdcourse (format {FORMAT}): "
                            "use the one that came with this notebook")
    return data


def run_probe(func, probe: dict) -> dict:
    """What :func:`gdcourse.probe.probe` would record for ``func`` on the file's cases."""
    def run(ref_cases):
        cases = []
        for ref_case in ref_cases:
            args, kwargs = decode_input(ref_case["inputs"])
            cases.append(run_case(func, case(*args, **kwargs), SECONDS_PER_CALL))
        return cases

    record = {"function": probe["function"], "cases": run(probe["cases"])}
    if probe.get("visible"):
        record["visible"] = run(probe["visible"])
    return record


GRADE_ONLY = "grade only"  # an answered question: nothing to practise it on


@dataclass
class Result:
    """The practice check of one exercise (one graded test cell)."""

    grade_id: str
    points: float
    passed: bool | None | str  # True, False, None (not defined or answered yet) or GRADE_ONLY
    message: str
    names: list[str] = field(default_factory=list)  # the functions and questions it checks
    failed_calls: list[str] = field(default_factory=list)  # the failed practice calls, as code to run again

    def as_tuple(self) -> tuple:
        return (self.grade_id, self.points, self.passed, self.message)


def _question_result(exercise: dict, questions: list[str], namespace: dict, cells: list[str]) -> Result:
    """An answered question is checked for its form only: a practice file holds no option and no answer."""
    names = [p["function"] for p in exercise.get("probes", [])]
    forms = {p["function"]: p.get("form") for p in exercise.get("probes", [])}
    grade_id, points = exercise["grade_id"], exercise.get("points", 0.0)
    blank = [q for q in questions if unanswered(namespace.get(q))]
    if blank:
        return Result(grade_id, points, None, f"{', '.join(blank)} {answer_form_text('unanswered')}", names)
    problems = [answer_problem_text(q, namespace.get(q), forms.get(q) or declared_form(q, cells)) for q in questions]
    problems = [p for p in problems if p]
    if problems:
        return Result(grade_id, points, False, "; ".join(problems), names)
    return Result(grade_id, points, GRADE_ONLY, f"{', '.join(questions)} {ANSWERED_TEXT}", names)


def _failed_calls(probes: list[dict], got: list[dict]) -> list[str]:
    """The practice calls that failed, each as code the learner can run (or a practice_call(...) to run)."""
    calls, number = [], {}
    for ref, record in zip(probes, got):
        name = ref["function"]
        for r, g in zip(ref.get("cases", []), record["cases"]):
            number[name] = number.get(name, 0) + 1
            if not case_ok(r, g):
                text = call_text(name, r["inputs"]) if isinstance(r.get("inputs"), dict) else None
                calls.append(text or f"gdcourse.practice_call({name!r}, {number[name]})")
    return list(dict.fromkeys(calls))


def check_results(data: dict, namespace: dict, only: str | None = None) -> list[Result]:
    """The practice check of every exercise of ``data`` (or of the one that checks ``only``, a function, a
    question or a grade id) in ``namespace``."""
    checks = "hidden" if data.get("kind") == "hidden" else "practice"
    cells = [c for c in namespace.get("In", []) if isinstance(c, str)] if isinstance(namespace.get("In"), list) else []
    out = []
    for exercise in select(data, only):
        probes = exercise.get("probes", [])
        names = [p["function"] for p in probes]
        questions = [p["function"] for p in probes if p.get("kind") == "answer"]
        if questions and (any(unanswered(namespace.get(q)) for q in questions) or not any(p["cases"] for p in probes)):
            out.append(_question_result(exercise, questions, namespace, cells))
            continue
        namespace = dict(namespace, **{q: answer(q, namespace) for q in questions})
        missing = sorted({p["function"] for p in probes if not callable(namespace.get(p["function"]))})
        if missing:
            out.append(Result(exercise["grade_id"], exercise.get("points", 0.0), None,
                              f"{', '.join(missing)} is not defined yet: run its cell first", names))
            continue
        got = [run_probe(namespace[p["function"]], p) for p in probes]
        messages = {name: text for p in probes for name, text in p.get("messages", {}).items()}
        verdict = judge_cell(probes, got, None, messages, checks=checks, cells=cells)
        unfinished = verdict.passed or all(kind == "not_implemented" for kind in verdict.kinds)
        out.append(Result(exercise["grade_id"], exercise.get("points", 0.0), verdict.passed,
                          plain_numbers(verdict.message), names, [] if unfinished else _failed_calls(probes, got)))
    return out


def check_exercises(data: dict, namespace: dict) -> list[tuple[str, float, bool | None, str]]:
    """(exercise, points, passed, message) per exercise; passed is None for what is not defined or answered
    yet, GRADE_ONLY for an answered question without cases (a practice file has none for questions)."""
    return [r.as_tuple() for r in check_results(data, namespace)]


def select(data: dict, only: str | None) -> list[dict]:
    """The exercises of ``data`` that check ``only`` (a function or question name, or a grade id); all for None.

    Raises
    ------
    PracticeError
        No exercise checks ``only``; the message lists the names there are.
    """
    exercises = data["exercises"]
    if only is None:
        return exercises
    chosen = [e for e in exercises if only in (e["grade_id"], e["grade_id"].removeprefix("test_"))
              or any(p.get("function") == only for p in e.get("probes", []))]
    if not chosen:
        names = list(dict.fromkeys(p.get("function") for e in exercises for p in e.get("probes", [])))
        raise PracticeError(f"no exercise of {data.get('assignment', 'this notebook')} is called {only!r}; "
                            f"its exercises are {', '.join(map(str, names))}")
    return chosen


def _without_name(message: str, name: str) -> str:
    """The verdict without the exercise name it starts with (the line already shows the name)."""
    for prefix in (name + ": ", name + " "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def render(data: dict, results, summary: bool = True) -> str:
    """What ``check()`` prints: a line per exercise (``results``: :class:`Result` or 4-tuples), under it the
    failed practice calls, then the points' worth that pass (``summary``)."""
    hidden = data.get("kind") == "hidden"
    inputs = "the hidden inputs of the grader" if hidden else \
        "practice inputs: the grade calls your functions on other, hidden inputs, and judges them the same way"
    lines = [f"{data.get('assignment', 'this notebook')}: checked on {inputs}."]
    results = [r if isinstance(r, Result) else Result(*r) for r in results]
    for r in results:
        mark = {True: "✓", False: "✗", None: "·", GRADE_ONLY: "?"}[r.passed]
        name = r.grade_id.removeprefix("test_")
        lines.append(f"  {mark} {name:<24} {_without_name(plain_numbers(r.message), name)}")
        if r.failed_calls:
            lines.append(f"      failed practice {'call' if len(r.failed_calls) == 1 else 'calls'} (run one in a cell to "
                         "see what it returns):")
            lines += [f"        {call}" for call in r.failed_calls[:3]]
            if len(r.failed_calls) > 3:
                lines.append(f"        and {len(r.failed_calls) - 3} more")
    if summary:
        done = sum(r.points for r in results if r.passed is True)
        total = sum(r.points for r in results if r.passed != GRADE_ONLY)
        lines.append(f"{done:g} of {total:g} points' worth of exercises pass these checks.")
    return "\n".join(lines)


def _is_path(what: Any) -> bool:
    return isinstance(what, Path) or (isinstance(what, str) and what.endswith(".json"))


def check(what: Any = None, practice_file: str | Path | None = None, namespace: dict | None = None) -> None:
    """Check the exercises defined in this kernel now and print, per exercise, passed or the mistake.

    Run it after the notebook's cells (it does not run them again). It never prints an
    expected value, and it returns None. A failed practice call is shown as code you can run
    in a cell to see what your function returns for it.

    Parameters
    ----------
    what : function or str, optional
        One exercise: its function (``check(dJ)``), or the name of a function or a question
        (``check("dJ")``, ``check("q_slope_sign")``). Default: every exercise. A path to a
        practice file here is read as ``practice_file``.
    practice_file : path, optional
        ``<assignment>.practice.json`` (default: the one beside the notebook that matches
        the functions defined here; ``<assignment>.hidden.json`` if there is one).
    namespace : dict, optional
        Where the exercises are defined (default: the notebook's).
    """
    import os

    if os.environ.get("NBGRADER_EXECUTION"):
        print("(gdcourse.check() does nothing while the notebook is graded: the grader runs its own checks)")
        return None
    if _is_path(what) and practice_file is None:
        what, practice_file = None, what
    only = what if isinstance(what, str) or what is None else getattr(what, "__name__", None)
    if not isinstance(only, (str, type(None))):
        print(f"gdcourse.check(): give an exercise's function or its name, such as check(\"dJ\"), not {type(what).__name__}")
        return None
    if namespace is None:
        namespace = notebook_namespace()
    path = Path(practice_file) if practice_file else find_practice_file(namespace)
    if path is None:
        print("gdcourse.check(): no practice file here. Put <assignment>.practice.json (it came with the "
              "notebook) in the notebook's folder, or pass its path: gdcourse.check('path/to/it.practice.json').")
        return None
    try:
        data = load_practice_file(path)
        print(render(data, check_results(data, namespace, only), summary=only is None))
    except PracticeError as exc:
        print(f"gdcourse.check(): {exc}")
    return None


def practice_call(function: str, number: int, practice_file: str | Path | None = None,
                  namespace: dict | None = None) -> Any:
    """What your ``function`` returns for its practice input ``number`` (from 1, in the order of the practice
    file): for a failed practice call too long to print, ``check()`` names it so."""
    namespace = notebook_namespace() if namespace is None else namespace
    path = Path(practice_file) if practice_file else find_practice_file(namespace)
    if path is None:
        raise PracticeError("no practice file here: put <assignment>.practice.json in the notebook's folder")
    cases = [c for e in load_practice_file(path)["exercises"] for p in e.get("probes", [])
             if p.get("function") == function for c in p.get("cases", [])]
    if not 1 <= number <= len(cases):
        raise PracticeError(f"{function} has {len(cases)} practice inputs, numbered from 1")
    args, kwargs = decode_input(cases[number - 1]["inputs"])
    return namespace[function](*args, **kwargs)
