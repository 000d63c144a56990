"""The course's own metadata in a notebook, ``metadata.gd_course``: read and written here only.

In a graded notebook:

- ``nb.metadata.gd_course.grading``: this run's findings. ``started`` (when the notebook's
  preparation began: :class:`~autograder.pipeline.preprocessors.StartTheClock`), ``problem`` (why
  the run stopped early: :class:`~autograder.pipeline.execute.GuardedExecute`), ``timed_out`` (the
  cells and calls stopped at their time limit);
- ``cell.metadata.gd_course.verdict``: ``{passed, kinds, message}`` of a test cell
  (:class:`~autograder.pipeline.preprocessors.ProbeVerdicts`).

In the instructor's source notebook: ``cell.metadata.gd_course.worked_solution``, the grade id of
the exercise a worked-solution cell explains (``course.worked``).

A submission may have written anything under this key: :func:`reset_grading` drops it before a
run, and every reader here checks the types it gets.
"""

from __future__ import annotations

KEY = "gd_course"


def ours(node, create: bool = False) -> dict:
    """The ``gd_course`` mapping of a notebook's or a cell's metadata; with ``create``, made (or replaced,
    if it is not a mapping) so that it can be written to; otherwise a read-only empty dict when absent."""
    meta = node["metadata"] if create else node.get("metadata", {})
    found = meta.get(KEY) if isinstance(meta, dict) else None
    if isinstance(found, dict):
        return found
    if create:
        meta[KEY] = {}
        return meta[KEY]
    return {}


def grading(nb, create: bool = True) -> dict:
    """This run's findings about the notebook (created empty when asked to write)."""
    mine = ours(nb, create)
    found = mine.get("grading")
    if isinstance(found, dict):
        return found
    if create:
        mine["grading"] = {}
        return mine["grading"]
    return {}


def reset_grading(nb) -> dict:
    """Forget whatever the notebook's ``grading`` held (a submission may have written it): an empty one."""
    ours(nb, create=True)["grading"] = {}
    return ours(nb)["grading"]


def start_clock(nb, when: float) -> None:
    """Note when the notebook's preparation began (the deadline counts from it)."""
    reset_grading(nb)["started"] = when


def started(nb) -> float | None:
    """When the preparation began, removed from the notebook (a number, or None if unknown)."""
    value = grading(nb, create=False).pop("started", None)
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def set_problem(nb, problem: str | None) -> None:
    grading(nb)["problem"] = problem


def problem(nb) -> str | None:
    """Why the notebook's run stopped early, or None."""
    value = grading(nb, create=False).get("problem")
    return value if isinstance(value, str) else None


def note_timed_out(nb, text: str) -> None:
    """Add a cell or call stopped at its time limit ("cell 7 (test_dJ) timed out after 30 s …")."""
    grading(nb).setdefault("timed_out", []).append(text)


def timed_out(nb_or_metadata) -> list[str]:
    """What was stopped at its time limit, from a notebook or from its metadata read as JSON."""
    meta = nb_or_metadata.get("metadata", nb_or_metadata) if "cells" in nb_or_metadata else nb_or_metadata
    mine = meta.get(KEY) if isinstance(meta, dict) else None
    found = mine.get("grading", {}).get("timed_out", []) if isinstance(mine, dict) else []
    return [str(item)[:200] for item in found] if isinstance(found, list) else []


def problem_of_metadata(meta) -> str | None:
    """:func:`problem` from a notebook's metadata read as JSON."""
    mine = meta.get(KEY) if isinstance(meta, dict) else None
    grading_ = mine.get("grading") if isinstance(mine, dict) else None
    value = grading_.get("problem") if isinstance(grading_, dict) else None
    return value if isinstance(value, str) else None


def set_verdict(cell, passed: bool, kinds: list[str], message: str) -> None:
    ours(cell, create=True)["verdict"] = {"passed": passed, "kinds": kinds, "message": message}


def verdict(cell) -> dict | None:
    """A graded test cell's verdict, as :func:`set_verdict` wrote it, or None."""
    found = ours(cell).get("verdict")
    return found if isinstance(found, dict) else None


WORKED_SOLUTION = "worked_solution"


def worked_solution_of(cell) -> str | None:
    """The grade id of the test cell whose exercise ``cell`` works out, or None for any other cell."""
    value = ours(cell).get(WORKED_SOLUTION)
    return value if isinstance(value, str) and value else None
