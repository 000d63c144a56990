"""Figures of the course, one call each. Every function returns its Figure, except while
nbgrader autogrades with the Agg backend, when no one would see it: then ``None``
(see ``gdcourse/plots/_autograding.py``)."""

from .one_variable import *  # noqa: F401,F403
from .one_variable import __all__ as _one_variable
from .partial import *  # noqa: F401,F403
from .partial import __all__ as _partial
from .regression import *  # noqa: F401,F403
from .regression import __all__ as _regression
from .vectorized import *  # noqa: F401,F403
from .vectorized import __all__ as _vectorized
from .stochastic import *  # noqa: F401,F403
from .stochastic import __all__ as _stochastic
from .momentum import *  # noqa: F401,F403
from .momentum import __all__ as _momentum

__all__ = [*_one_variable, *_partial, *_regression, *_vectorized, *_stochastic, *_momentum]
