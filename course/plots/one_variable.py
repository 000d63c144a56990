"""Plots for the one_variable notebook."""

__all__: list[str] = []
