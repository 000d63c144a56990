"""Cheating submissions: each replaces every answer with code that tries to game the grader.

Every one of these worked, in some form, against stock nbgrader 0.9.6, where the
hidden tests hold the expected values and judge them inside the student's kernel.
Here they must gain nothing: the functions do not compute the answers, so the
submission must score 0, exactly like the untouched release.

``CHEATS`` maps a name to ``(setup, body)`` or ``(setup, body, answer)``: ``setup`` is
prepended to the first answer cell; every graded function becomes ``def f(*args, **kwargs):
<body>``; with ``answer``, every concept question's cell becomes ``q = <answer>`` (``{name}``
is the question's variable), without it the question's cell is replaced like a function's
(``ORACLE_CHEATS``: left as released).

The oracles (issue 27) try to learn a concept question's right option from what the
student's kernel holds while the hidden check runs: the probe's arguments, the text of the
running cell, every list in memory, the frames above the code that reads the answer.
Against hidden cells that listed the wrong options they scored every letter question.
"""

PATCH_COMPARISONS = (
    """
import math
import numpy as np
import numpy.testing
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
math.isclose = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
numpy.testing.assert_array_almost_equal = lambda *a, **k: None
""",
    "return 0.0",
)

STRIP_ASSERTS = (
    """
import ast
class _NoAsserts(ast.NodeTransformer):
    def visit_Assert(self, node):
        return ast.Pass()
get_ipython().ast_transformers.append(_NoAsserts())
""",
    "return 1.0",
)

SILENCE_TEST_CELLS = (
    """
def _drop_tests(lines):
    text = "".join(lines)
    return [] if ("assert" in text or "probe" in text) else lines
get_ipython().input_transformers_post.append(_drop_tests)
""",
    "raise NotImplementedError()",
)

READ_CURRENT_CELL = (
    """
import re
_current = {"text": ""}
get_ipython().events.register("pre_run_cell", lambda info: _current.update(text=info.raw_cell))
def _scrape(*args, **kwargs):
    numbers = [float(n) for n in re.findall(r"-?\\d+\\.\\d+|-?\\d+", _current["text"])]
    return numbers[-1] if numbers else 0.0
""",
    "return _scrape(*args, **kwargs)",
)

RIGGED_OBJECTS = (
    """
import numpy as np
class _Always(float):
    __eq__ = lambda self, other: True
    __ne__ = lambda self, other: False
    __lt__ = __le__ = __gt__ = __ge__ = __eq__
    def __float__(self):
        return 1e300
class _AlwaysArray(np.ndarray):
    def __eq__(self, other):
        return np.ones(np.shape(other), dtype=bool)
    def tolist(self):
        return [0.0]
""",
    "return _Always(0.0) if not args or np.ndim(args[0]) == 0 else np.zeros(np.shape(args[0])).view(_AlwaysArray)",
)

FORGED_PROBE = (
    """
import gdcourse.probe as _probe
from IPython.display import publish_display_data as _publish
def _forged(func, cases, mistakes=(), practice=()):
    records = [{"call": "x", "result": {"kind": "scalar", "value": 0.0}, "args": {}, "args_after": {}}
               for _ in cases]
    _publish({_probe.MIME: {"version": 1, "function": "f", "mistakes": [], "cases": records}})
_probe.probe = _forged
_probe._reference_hook = lambda func, case, mistakes: {"result": {"kind": "none"}, "mistakes": {}}
""",
    "raise NotImplementedError()",
)

DUPLICATED_OUTPUT = (
    """
import IPython.display as _display
_original = _display.publish_display_data
def _twice(*args, **kwargs):
    _original(*args, **kwargs)
    _original(*args, **kwargs)
_display.publish_display_data = _twice
""",
    "return 0.0",
)

EXIT_EARLY = (
    "",
    "raise SystemExit(0)",
)

OPTION_ORACLE_IN_THE_PROBE = (
    """
import gc, re
import gdcourse.probe as _probe
_real_probe = _probe.probe
_cell = {"text": ""}
get_ipython().events.register("pre_run_cell", lambda info: _cell.update(text=info.raw_cell))
def _options_seen(question, listed):
    seen = " ".join(map(str, listed)) + " " + _cell["text"]
    for obj in gc.get_objects():
        if isinstance(obj, (list, tuple)) and 0 < len(obj) < 50:
            seen += " " + " ".join(i for i in obj if isinstance(i, str) and i.startswith(question + "_"))
    return set(re.findall(re.escape(question) + r"_([a-d])\\b", seen))
def _oracle(func, cases, mistakes=(), *args, **kwargs):
    name = getattr(func, "__name__", "")
    if isinstance(name, str) and name.startswith("q_"):
        left = [option for option in "abcd" if option not in _options_seen(name, list(mistakes))]
        if len(left) == 1:
            get_ipython().user_ns[name] = left[0]
    return _real_probe(func, cases, mistakes, *args, **kwargs)
_probe.probe = _oracle
""",
    "raise NotImplementedError()",
    None,
)

OPTION_ORACLE_IN_THE_ANSWER = (
    """
import sys
class _Oracle(str):
    found = {}
    def _find(self):
        question = str.__str__(self)
        frame = sys._getframe()
        while frame is not None:
            for value in list(frame.f_locals.values()):
                if isinstance(value, (list, tuple)):
                    listed = {m[len(question) + 1:] for m in value
                              if isinstance(m, str) and m.startswith(question + "_")}
                    left = [option for option in "abcd" if option not in listed]
                    if listed and len(left) == 1:
                        _Oracle.found[question] = left[0]
            frame = frame.f_back
        return _Oracle.found.get(question, question)
    def split(self, *args, **kwargs):
        return [self._find()]
    def lower(self):
        return self._find()
    def strip(self, *args):
        return self._find()
    def __str__(self):
        return self._find()
""",
    "raise NotImplementedError()",
    '{name} = _Oracle("{name}")',
)

ORACLE_CHEATS = {
    "option-oracle-in-the-probe": OPTION_ORACLE_IN_THE_PROBE,
    "option-oracle-in-the-answer": OPTION_ORACLE_IN_THE_ANSWER,
}

CHEATS = {
    "patch-comparisons": PATCH_COMPARISONS,
    "strip-asserts": STRIP_ASSERTS,
    "silence-test-cells": SILENCE_TEST_CELLS,
    "read-current-cell": READ_CURRENT_CELL,
    "rigged-objects": RIGGED_OBJECTS,
    "forged-probe": FORGED_PROBE,
    "duplicated-output": DUPLICATED_OUTPUT,
    "exit-early": EXIT_EARLY,
    **ORACLE_CHEATS,
}


def cheat_notebook(release_nb, solution_ids: list[str], name: str):
    """The release notebook with every answer cell replaced by cheat ``name``."""
    from .grading import replace_cell

    setup, body, *answer = CHEATS[name]
    oracle = name in ORACLE_CHEATS
    nb = release_nb
    for grade_id in solution_ids:
        if grade_id.startswith("q_") and oracle:
            if answer[0] is not None:
                nb = replace_cell(nb, grade_id, answer[0].format(name=grade_id))
            continue
        source = (setup if grade_id == solution_ids[0] else "") + f"\ndef {grade_id}(*args, **kwargs):\n    {body}\n"
        nb = replace_cell(nb, grade_id, source)
    return nb
