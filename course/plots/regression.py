"""Plots for the regression notebook."""

__all__: list[str] = []
