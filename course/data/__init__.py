"""Data sets for the course: seeded synthetic generators and one small real set."""

from .synthetic import make_line_data, make_regression_data

__all__ = ["make_line_data", "make_regression_data"]
