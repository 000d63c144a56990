"""gdcourse: what the notebooks of the gradient-descent course import.

``gdcourse.plots`` draws the figures, ``gdcourse.data`` loads and makes data sets,
``gdcourse.costs`` holds the given cost surfaces, ``gdcourse.gradcheck`` says how far
off a gradient is, and ``gdcourse.probe`` is what the grader's hidden checks call. None
of it implements an exercise.

While you work: run ``gdcourse.check()`` in a cell after the notebook's cells have run (or
``gdcourse.check("dJ")`` for one exercise). It calls every exercise you have defined on practice
inputs and names the mistake it recognises, as the grader would, without ever showing an
expected value. Before you hand in: save the notebook and run ``gdcourse.presubmit()``: it runs
the saved file top to bottom in a fresh kernel, as the grade will, and reports the same per
exercise, with the cells that fail when run in order.
"""

from . import costs
from .answers import require_answer, reveal
from .practice import check, practice_call
from .presubmission import presubmit

__version__ = "0.1.0"
__all__ = ["check", "costs", "practice_call", "presubmit", "require_answer", "reveal"]
