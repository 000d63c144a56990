"""Plots for the regression notebook (03_mse_linear_regression).

Every function draws what the notebook hands it: data, the learner's own
functions (``h``, ``mse``) and the numbers they produced. None of them computes a
prediction, a cost or a gradient by itself, so none of them can stand in for an
exercise. Each returns its Figure and draws nothing else. Only the cost surface, which
has a colour bar, asks for a constrained layout: the notebook's inline figures are cropped
to their contents anyway, and the layout engine costs a tenth of a second a figure.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np

from ._autograding import drawn_unless_unseen

__all__ = [
    "plot_fit",
    "plot_costs",
    "plot_cost_surface",
    "plot_cost_slice",
    "plot_example_gradients",
]

_COLORS = plt.rcParams["axes.prop_cycle"].by_key()["color"]


def _as_curves(values, name: str) -> dict[str, np.ndarray]:
    """One curve or a labelled mapping of curves, as a dict label -> 1-D float array."""
    if isinstance(values, Mapping):
        curves = {str(k): np.asarray(v, dtype=float).reshape(-1) for k, v in values.items()}
    else:
        curves = {"": np.asarray(values, dtype=float).reshape(-1)}
    if not curves:
        raise ValueError(f"{name}: nothing to draw")
    return curves


@drawn_unless_unseen
def plot_fit(x, y, h: Callable | None = None, theta0: float | None = None, theta1: float | None = None,
             residuals: bool = True, compare: Mapping[str, tuple[float, float]] | None = None,
             xlabel: str = "x", ylabel: str = "y", title: str | None = None,
             highlight: Sequence[int] | int | None = None, label: str | None = None):
    """The data as points, and the line h(x) = θ₀ + θ₁·x drawn by *your* ``h``.

    Parameters
    ----------
    x, y : array_like, shape (m,)
        The training set.
    h : callable, optional
        ``h(theta0, theta1, x)``, the hypothesis. Without it only the data are drawn.
    theta0, theta1 : float, optional
        The parameters of the line to draw (needed when ``h`` is given).
    residuals : bool
        Draw each error h(x⁽ⁱ⁾) − y⁽ⁱ⁾ as a vertical segment from the point to the line.
    compare : mapping of str to (float, float), optional
        Further lines to draw dashed, e.g. ``{"planted line": (4.0, 3.0)}``.
    xlabel, ylabel : str
        Axis labels (say the units).
    title : str, optional
        Defaults to a sentence saying what to look at.
    highlight : int or sequence of int, optional
        Indices of examples to draw in a separate colour (an outlier, say).
    label : str, optional
        Legend label of the line drawn by ``h`` (defaults to its equation).

    Returns
    -------
    matplotlib.figure.Figure
    """
    x = np.asarray(x, dtype=float).reshape(-1)
    y = np.asarray(y, dtype=float).reshape(-1)
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same length, got {x.shape} and {y.shape}")
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    marked = np.zeros(x.size, dtype=bool)
    if highlight is not None:
        marked[np.atleast_1d(np.asarray(highlight, dtype=int))] = True
    ax.plot(x[~marked], y[~marked], "o", color=_COLORS[0], label=f"data (m = {x.size})", zorder=3)
    if marked.any():
        ax.plot(x[marked], y[marked], "D", color=_COLORS[3], ms=8, label="highlighted example", zorder=4)
    span = x.max() - x.min() if x.size > 1 else 1.0
    grid = np.linspace(x.min() - 0.05 * span, x.max() + 0.05 * span, 200)
    if h is not None:
        if theta0 is None or theta1 is None:
            raise ValueError("give theta0 and theta1 with h")
        line = np.asarray(h(theta0, theta1, grid), dtype=float) * np.ones_like(grid)
        ax.plot(grid, line, "-", color=_COLORS[1], lw=2,
                label=label or f"h(x) = {theta0:.3g} + {theta1:.3g}·x")
        if residuals:
            at_points = np.asarray(h(theta0, theta1, x), dtype=float) * np.ones_like(x)
            ax.vlines(x, y, at_points, colors=_COLORS[3], lw=1.2, label="errors h(x⁽ⁱ⁾) − y⁽ⁱ⁾")
    for k, (label, (t0, t1)) in enumerate((compare or {}).items()):
        if h is None:
            raise ValueError("compare needs h to draw its lines")
        values = np.asarray(h(t0, t1, grid), dtype=float) * np.ones_like(grid)
        ax.plot(grid, values, "--", color=_COLORS[(4 + k) % len(_COLORS)], lw=1.5, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title is None:
        if h is None:
            title = "The data: does a straight line look reasonable?"
        elif residuals:
            title = "The MSE is the mean of the squared red gaps"
        else:
            title = "The fitted line"
    ax.set_title(title)
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return fig


@drawn_unless_unseen
def plot_costs(costs, logy: bool = True, title: str | None = None, ylabel: str = "MSE  J(θ₀, θ₁)"):
    """Cost against iteration: ``costs[k]`` is the cost after k updates.

    Parameters
    ----------
    costs : array_like, shape (n_iters + 1,), or mapping of str to such arrays
        One cost history, or several labelled ones (e.g. one per learning rate).
    logy : bool
        Log scale on the cost axis: a straight falling line is a constant rate of decrease.
    title : str, optional
    ylabel : str

    Returns
    -------
    matplotlib.figure.Figure
    """
    curves = _as_curves(costs, "plot_costs")
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for k, (label, values) in enumerate(curves.items()):
        shown = np.where(np.isfinite(values), values, np.nan)
        ax.plot(np.arange(values.size), shown, "-", color=_COLORS[k % len(_COLORS)], lw=1.8,
                label=label or None)
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel("iteration k (number of updates done)")
    ax.set_ylabel(ylabel + (" (log scale)" if logy else ""))
    ax.set_title(title or "Cost against iteration: every update should lower it")
    if any(curves):
        ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return fig


@drawn_unless_unseen
def plot_cost_surface(cost: Callable, x, y, paths: Mapping[str, np.ndarray] | np.ndarray | None = None,
                      theta0_range: Sequence[float] | None = None, theta1_range: Sequence[float] | None = None,
                      n: int = 61, levels: int = 20, title: str | None = None):
    """Contours of ``cost(theta0, theta1, x, y)`` over a grid, with descent paths on top.

    Parameters
    ----------
    cost : callable
        ``cost(theta0, theta1, x, y)`` returning a float, e.g. your ``mse``. Called once
        per grid point (n² calls).
    x, y : array_like, shape (m,)
        The training set the cost is measured on.
    paths : array_like of shape (k, 2), or mapping of str to such arrays, optional
        Successive (θ₀, θ₁) of a descent; the first row is the start.
    theta0_range, theta1_range : (float, float), optional
        The window. Defaults to the paths' extent plus a margin.
    n : int
        Grid points per axis.
    levels : int
        Number of contour levels (spaced evenly on a log scale).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    if paths is None:
        drawn: dict[str, np.ndarray] = {}
    elif isinstance(paths, Mapping):
        drawn = {str(k): np.asarray(v, dtype=float).reshape(-1, 2) for k, v in paths.items()}
    else:
        drawn = {"descent path": np.asarray(paths, dtype=float).reshape(-1, 2)}
    points = np.concatenate(list(drawn.values())) if drawn else np.zeros((0, 2))
    ranges = []
    for axis, given in ((0, theta0_range), (1, theta1_range)):
        if given is not None:
            ranges.append((float(given[0]), float(given[1])))
        elif points.size:
            lo, hi = float(points[:, axis].min()), float(points[:, axis].max())
            pad = 0.15 * (hi - lo) if hi > lo else 1.0
            ranges.append((lo - pad, hi + pad))
        else:
            raise ValueError("give theta0_range and theta1_range, or paths to take them from")
    t0 = np.linspace(*ranges[0], n)
    t1 = np.linspace(*ranges[1], n)
    T0, T1 = np.meshgrid(t0, t1)
    Z = np.array([[float(cost(a, b, x, y)) for a, b in zip(r0, r1)] for r0, r1 in zip(T0, T1)])
    fig, ax = plt.subplots(figsize=(6.4, 5.0), layout="constrained")
    finite = Z[np.isfinite(Z)]
    low, high = max(float(finite.min()), 1e-12), float(finite.max())
    if high > low * 1.0001:
        steps = np.geomspace(low * 1.02, high, levels) if low > 0 else np.linspace(low, high, levels)
        contours = ax.contour(T0, T1, Z, levels=steps, cmap="viridis", linewidths=0.9)
        fig.colorbar(contours, ax=ax, label="cost")
    styles = [dict(ls="-", marker="o", ms=3), dict(ls="none", marker="x", ms=6),
              dict(ls="--", marker="s", ms=3), dict(ls=":", marker="^", ms=4)]
    for k, (label, path) in enumerate(drawn.items()):
        color = _COLORS[(1 + k) % len(_COLORS)]
        ax.plot(path[:, 0], path[:, 1], color=color, lw=1.3, label=label, **styles[k % len(styles)])
        ax.plot(path[0, 0], path[0, 1], "o", color="black", ms=7, mfc="none")
        ax.plot(path[-1, 0], path[-1, 1], "*", color=color, ms=13, mec="black")
    ax.set_xlim(*ranges[0])
    ax.set_ylim(*ranges[1])
    ax.set_xlabel("θ₀ (intercept)")
    ax.set_ylabel("θ₁ (slope)")
    ax.set_title(title or "The cost over (θ₀, θ₁), with the descent paths")
    if drawn:
        ax.legend(loc="best", fontsize="small")
    return fig


@drawn_unless_unseen
def plot_cost_slice(theta1_values, curves: Mapping[str, np.ndarray], theta0: float | None = None,
                    title: str | None = None):
    """Several costs along one line of θ₁ values, each with its lowest point marked.

    Parameters
    ----------
    theta1_values : array_like, shape (k,)
        The θ₁ values on the horizontal axis.
    curves : mapping of str to array_like, shape (k,)
        Each cost evaluated at those θ₁ values (with θ₀ held fixed).
    theta0 : float, optional
        The fixed θ₀, shown in the axis label.
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    grid = np.asarray(theta1_values, dtype=float).reshape(-1)
    drawn = _as_curves(curves, "plot_cost_slice")
    fig, ax = plt.subplots(figsize=(6.4, 4.0))
    for k, (label, values) in enumerate(drawn.items()):
        if values.shape != grid.shape:
            raise ValueError(f"curve {label!r} has {values.size} values for {grid.size} θ₁ values")
        color = _COLORS[k % len(_COLORS)]
        ax.plot(grid, values, "-", color=color, lw=2, label=label)
        best = int(np.nanargmin(values))
        ax.plot(grid[best], values[best], "v", color=color, ms=10, mec="black")
        ax.axvline(grid[best], color=color, ls=":", lw=1.2)
    fixed = "" if theta0 is None else f"  (θ₀ fixed at {theta0:.4g})"
    ax.set_xlabel("θ₁" + fixed)
    ax.set_ylabel("cost")
    ax.set_title(title or "Costs along one line of θ₁ values")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return fig


@drawn_unless_unseen
def plot_example_gradients(g0, g1, highlight: Sequence[int] | int | None = None, title: str | None = None):
    """Each example's gradient (∂C⁽ⁱ⁾/∂θ₀, ∂C⁽ⁱ⁾/∂θ₁) as a point, and their average as a star.

    Parameters
    ----------
    g0, g1 : array_like, shape (m,)
        The two components of every example's gradient of its own squared error.
    highlight : int or sequence of int, optional
        Indices of examples to draw in a separate colour (an outlier, say).
    title : str, optional

    Returns
    -------
    matplotlib.figure.Figure
    """
    g0 = np.asarray(g0, dtype=float).reshape(-1)
    g1 = np.asarray(g1, dtype=float).reshape(-1)
    if g0.shape != g1.shape or g0.size == 0:
        raise ValueError(f"g0 and g1 must be non-empty and of the same length, got {g0.shape} and {g1.shape}")
    marked = np.zeros(g0.size, dtype=bool)
    if highlight is not None:
        marked[np.atleast_1d(np.asarray(highlight, dtype=int))] = True
    fig, ax = plt.subplots(figsize=(6.0, 5.0))
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.axvline(0.0, color="grey", lw=0.8)
    ax.plot(g0[~marked], g1[~marked], "o", color=_COLORS[0], alpha=0.8, label="one example's gradient")
    if marked.any():
        ax.plot(g0[marked], g1[marked], "D", color=_COLORS[3], ms=8, label="highlighted example")
    ax.plot(g0.mean(), g1.mean(), "*", color=_COLORS[1], ms=18, mec="black",
            label=f"their average (m = {g0.size}): the gradient of J")
    ax.set_xlabel("∂C⁽ⁱ⁾/∂θ₀")
    ax.set_ylabel("∂C⁽ⁱ⁾/∂θ₁")
    ax.set_title(title or "Every example votes; the step follows the average")
    ax.legend(loc="best", fontsize="small")
    ax.grid(alpha=0.3)
    return fig
