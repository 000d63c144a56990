"""Known mistakes, each a wrong answer built from the instructor's own functions.

A hidden test names the mistakes it wants recognised::

    probe(gd_step, [case(-2.5, 0.3), ...], mistakes=["ascent", "alpha_ignored"])

In the grader's reference kernel (never in a student's) every named mistake is
computed on every hidden input, with ``ref`` the instructor's function, ``ns`` the
instructor's notebook namespace and ``a`` the call's arguments bound by name
(defaults filled in). When a wrong answer equals a mistake's output on every input
it got wrong, the feedback names that mistake. The right values only ever come from
``source/``; but some mistakes here are the right formula with one thing changed, so,
like ``source/``, this module must never be readable from a student's kernel.

To add one: write a function ``(ref, ns, a) -> value`` and decorate it with
``@mistake("name", "message the student reads")``; a concept question's wrong option is
``wrong_option(question, name, option, message)``. The mechanism (and where the grader finds this
module: ``c.ProbeVerdicts.catalogue``) is ``autograder.pipeline.catalogue``; this module is the
course's content.
"""

from __future__ import annotations

from autograder.pipeline.catalogue import CATALOG, Mistake, mistake, options_of, wrong_option  # noqa: F401
from content.mistakes import (  # noqa: F401 - each registers its mistakes
    a01_one_variable,
    a02_partial_derivatives,
    a03_mse_linear_regression,
    a04_vectorized_gradient,
    a05_stochastic_gradient,
    a06_momentum_adam,
    shared,
)
