"""The gradient-descent course: what the notebooks import.

``course.plots`` draws the figures, ``course.data`` loads and makes data sets,
``course.costs`` holds the given cost functions used in examples and hidden tests,
``course.gradcheck`` checks an analytic gradient, and ``course.probe`` runs the
hidden checks. None of it implements a graded function.
"""

__version__ = "0.1.0"
