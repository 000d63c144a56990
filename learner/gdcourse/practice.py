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
from pathlib import Path


from .answers import answer, unanswered
from .inputs import PracticeError, decode_input, encode_input  # noqa: F401 - the practice file's names
from .judge import judge_cell
from .namespace import notebook_namespace
from .probe import case, run_case

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


def check_exercises(data: dict, namespace: dict) -> list[tuple[str, float, bool | None, str]]:
    """(exercise, points, passed, message) per exercise; passed is None for what is not defined or answered
    yet, GRADE_ONLY for an answered question without cases (a practice file has none for questions)."""
    checks = "hidden" if data.get("kind") == "hidden" else "practice"
    out = []
    for exercise in data["exercises"]:
        probes = exercise.get("probes", [])
        questions = [p["function"] for p in probes if p.get("kind") == "answer"]
        blank = [q for q in questions if unanswered(namespace.get(q))]
        if questions and (blank or not any(p["cases"] for p in probes)):
            out.append((exercise["grade_id"], exercise.get("points", 0.0), None if blank else GRADE_ONLY,
                        f"{', '.join(blank)} has no answer yet: set it in its cell and run the cell" if blank else
                        "answered: a question has no practice input, so only the grade says whether it is right"))
            continue
        namespace = dict(namespace, **{q: answer(q, namespace) for q in questions})
        missing = sorted({p["function"] for p in probes if not callable(namespace.get(p["function"]))})
        if missing:
            out.append((exercise["grade_id"], exercise.get("points", 0.0), None,
                        f"{', '.join(missing)} is not defined yet: run its cell first"))
            continue
        got = [run_probe(namespace[p["function"]], p) for p in probes]
        messages = {name: text for p in probes for name, text in p.get("messages", {}).items()}
        cells = namespace.get("In") if isinstance(namespace.get("In"), list) else []
        verdict = judge_cell(probes, got, None, messages, checks=checks, cells=[c for c in cells if isinstance(c, str)])
        out.append((exercise["grade_id"], exercise.get("points", 0.0), verdict.passed, verdict.message))
    return out


def _without_name(message: str, name: str) -> str:
    """The verdict without the exercise name it starts with (the line already shows the name)."""
    for prefix in (name + ": ", name + " "):
        if message.startswith(prefix):
            return message[len(prefix):]
    return message


def render(data: dict, results) -> str:
    hidden = data.get("kind") == "hidden"
    inputs = "the hidden inputs of the grader" if hidden else \
        "practice inputs: the grade calls your functions on other, hidden inputs, and judges them the same way"
    lines = [f"{data.get('assignment', 'this notebook')}: checked on {inputs}."]
    done = sum(points for _, points, passed, _ in results if passed is True)
    total = sum(points for _, points, passed, _ in results if passed is not GRADE_ONLY)
    for grade_id, _, passed, message in results:
        mark = {True: "✓", False: "✗", None: "·", GRADE_ONLY: "?"}[passed]
        name = grade_id.removeprefix("test_")
        lines.append(f"  {mark} {name:<24} {_without_name(message, name)}")
    lines.append(f"{done:g} of {total:g} points' worth of exercises pass these checks.")
    return "\n".join(lines)


def check(practice_file: str | Path | None = None, namespace: dict | None = None) -> None:
    """Check every exercise defined in this kernel now and print, per exercise, passed or the mistake.

    Run it after the notebook's cells (it does not run them again). It never prints an
    expected value, and it returns None.

    Parameters
    ----------
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
    if namespace is None:
        namespace = notebook_namespace()
    path = Path(practice_file) if practice_file else find_practice_file(namespace)
    if path is None:
        print("gdcourse.check(): no practice file here. Put <assignment>.practice.json (it came with the "
              "notebook) in the notebook's folder, or pass its path: gdcourse.check('path/to/it.practice.json').")
        return None
    try:
        data = load_practice_file(path)
        print(render(data, check_exercises(data, namespace)))
    except PracticeError as exc:
        print(f"gdcourse.check(): {exc}")
    return None
