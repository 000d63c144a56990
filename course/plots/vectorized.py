"""Plots for the vectorized notebook."""

__all__: list[str] = []
