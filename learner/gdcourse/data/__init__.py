"""Data sets for the course: seeded synthetic generators and one small real set."""

from .real import load_longley
from .synthetic import make_line_data, make_regression_data

__all__ = ["load_longley", "make_line_data", "make_regression_data"]
