"""No figure is drawn while nbgrader autogrades with a backend that shows nothing.

``nbgrader autograde`` sets ``NBGRADER_EXECUTION=autograde`` in its kernels (nbgrader's
documented way for a notebook to behave differently while it is graded; ``course grade``
sets it too). This course's grading configuration also sets ``MPLBACKEND=Agg``
(nbgrader_config.py), so a figure made while grading is never shown, saved or put into
the feedback. Building those figures was about a fifth of the CPU time of grading a class, on
either grader (measured on 01_one_variable).

So, with both set, each plot function returns ``None`` at once; its arguments have
already been computed by the cell (the learner's own functions run, and fail, as
before), but callables handed to it are not called. No grade depends on a figure.
Delete the ``MPLBACKEND`` line of nbgrader_config.py to keep figures in the feedback:
then the backend is the inline one and every figure is drawn again. Students'
``nbgrader validate`` (``NBGRADER_EXECUTION=validate``) and every other run draw as usual.
"""

from __future__ import annotations

import functools
import os


def figures_unseen() -> bool:
    """True while nbgrader autogrades and Matplotlib's backend is Agg (figures go nowhere)."""
    if os.environ.get("NBGRADER_EXECUTION") != "autograde":
        return False
    import matplotlib

    return matplotlib.get_backend().lower() == "agg"


def drawn_unless_unseen(plot):
    """Decorator for a plot function: ``None`` instead of a figure when :func:`figures_unseen`."""

    @functools.wraps(plot)
    def plot_or_skip(*args, **kwargs):
        if figures_unseen():
            return None
        return plot(*args, **kwargs)

    return plot_or_skip
