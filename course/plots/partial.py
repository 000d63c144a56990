"""Plots for the partial notebook."""

__all__: list[str] = []
