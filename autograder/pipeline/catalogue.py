"""Named mistakes, the mechanism: a course's catalogue registers them, the grader computes and names them.

A course keeps its catalogue in a module of its own (this course's: ``content/mistakes/``, a module per notebook), which
registers each mistake with :func:`mistake` (a wrong answer computed from the instructor's function)
or :func:`wrong_option` (a concept question's wrong option). The grader loads it by name
(:func:`load`; ``c.ProbeVerdicts.catalogue`` in nbgrader_config.py, default :data:`DEFAULT`) in the
grading process and in the instructor's reference kernel, never in a student's: some mistakes are the
right formula with one thing changed.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any, Callable

DEFAULT = "content.mistakes"


@dataclass(frozen=True)
class Mistake:
    name: str
    message: str
    compute: Callable[[Callable, dict, dict], Any]
    question: str | None = None  # for a concept question's wrong option: the question's variable


CATALOG: dict[str, Mistake] = {}


def mistake(name: str, message: str, question: str | None = None):
    def register(compute):
        if name in CATALOG:
            raise ValueError(f"mistake {name!r} is defined twice")
        CATALOG[name] = Mistake(name, message, compute, question)
        return compute

    return register


def wrong_option(question: str, name: str, option, message: str) -> None:
    """A wrong option of the concept question ``question`` (the variable the learner sets) as a named mistake.

    The hidden check lists no options (``probe(answer("q"), [case()])``): an option list in the
    student's kernel would give the right one away. The reference run asks :func:`options_of`
    instead. ``message`` says which misconception leads to ``option``, without saying the right one.
    """
    from gdcourse.answers import normalise

    def chosen(ref, ns, a, option=normalise(option)):
        return option

    mistake(name, message, question)(chosen)


def options_of(question: str) -> list[str]:
    """The names of every wrong option of ``question`` in the catalogue, in the order registered."""
    return [m.name for m in CATALOG.values() if m.question == question]


def load(module: str = DEFAULT) -> dict[str, Mistake]:
    """The catalogue, after importing ``module`` (which registers its mistakes here); every mistake
    registered in this process."""
    importlib.import_module(module)
    return CATALOG
