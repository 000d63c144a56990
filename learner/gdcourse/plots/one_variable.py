"""Plots for the one_variable notebook: gradient descent on J(θ) = θ², then on a double well.

Every function draws data or calls callables handed over by the notebook (the
learner's own ``J``, ``gradient_descent``, ``update_table`` and
``learning_rate_regime`` results, the given cost ``double_well``); none of them
computes a graded answer.
Each returns its :class:`matplotlib.figure.Figure`.
"""

from __future__ import annotations

from typing import Callable, Iterable, Mapping

import matplotlib.pyplot as plt
import numpy as np

from ._autograding import drawn_unless_unseen

__all__ = ["descent_on_parabola", "update_bars", "theta_vs_iteration", "factor_line", "descent_from_starts"]


def _as_history(history) -> np.ndarray:
    return np.asarray(history, dtype=float).ravel()


@drawn_unless_unseen
def descent_on_parabola(history, cost: Callable, title: str | None = None):
    """Draw the cost curve and every gradient-descent step on it.

    Parameters
    ----------
    history : array_like, shape (n_iters + 1,)
        θ₀, θ₁, …, θₙ, e.g. what ``gradient_descent`` returned.
    cost : callable
        The cost J; it is called on a NumPy array of θ values (element-wise)
        and on each θ of the history.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the curve J(θ), a dot at (θₖ, J(θₖ)) for every k and an arrow
        from each point to the next.
    """
    theta = _as_history(history)
    costs = np.array([float(cost(t)) for t in theta])
    finite = theta[np.isfinite(theta)]
    span = max(1.0, 1.15 * float(np.max(np.abs(finite)))) if finite.size else 1.0
    grid = np.linspace(-span, span, 301)

    fig, ax = plt.subplots(figsize=(7, 4.5), layout="constrained")
    ax.plot(grid, np.asarray(cost(grid), dtype=float), color="0.35", lw=2, label="J(θ)")
    points = ax.scatter(theta, costs, c=np.arange(theta.size), cmap="viridis", s=45, zorder=3,
                        label="θₖ after k updates")
    for k in range(theta.size - 1):
        ax.annotate("", xy=(theta[k + 1], costs[k + 1]), xytext=(theta[k], costs[k]),
                    arrowprops=dict(arrowstyle="->", color="tab:red", lw=1.3, shrinkA=4, shrinkB=4))
    ax.annotate(f"θ₀ = {theta[0]:g}", xy=(theta[0], costs[0]), xytext=(8, -14),
                textcoords="offset points")
    fig.colorbar(points, ax=ax, label="iteration k")
    ax.set_xlabel("θ")
    ax.set_ylabel("J(θ)")
    ax.set_title(title or "Each arrow is one update, drawn downhill from θₖ to θₖ₊₁")
    ax.legend(loc="upper center")
    return fig


@drawn_unless_unseen
def update_bars(table, title: str | None = None):
    """Bar chart of an update table: θ before each update next to the update.

    Parameters
    ----------
    table : sequence of (iteration, theta, update)
        Rows as returned by ``update_table``: θ *before* the update and the
        update α·J'(θ) that is subtracted from it.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with two bar containers (θ and update) and, above each pair,
        the ratio update / θ.
    """
    rows = [tuple(r) for r in table]
    k = np.array([float(r[0]) for r in rows])
    theta = np.array([float(r[1]) for r in rows])
    update = np.array([float(r[2]) for r in rows])

    fig, ax = plt.subplots(figsize=(7.5, 4), layout="constrained")
    ax.bar(k - 0.2, theta, width=0.4, color="tab:blue", label="θ before the update")
    ax.bar(k + 0.2, update, width=0.4, color="tab:orange", label="update α·J′(θ)")
    for x, t, u in zip(k, theta, update):
        if t != 0:
            ax.annotate(f"{u / t:.2g}", xy=(x, max(t, u, 0.0)), xytext=(0, 3), textcoords="offset points",
                        ha="center", fontsize=8, color="tab:orange")
    ax.set_xticks(k)
    ax.set_xlabel("iteration")
    ax.set_ylabel("value")
    ax.set_title(title or "α is fixed, yet the update shrinks: update / θ (above the bars) never changes")
    ax.legend()
    return fig


@drawn_unless_unseen
def theta_vs_iteration(histories: Mapping[float, Iterable[float]], title: str | None = None):
    """θₖ against k for several learning rates: signed on the left, |θₖ| on a log scale on the right.

    Parameters
    ----------
    histories : mapping of float to array_like
        ``{alpha: history}``; each history is θ₀, θ₁, … for that learning rate.
    title : str, optional
        Replaces the default figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes with one line per learning rate. On the left, a run whose |θ| passes
        1.5 times the largest |θ₀| is drawn up to the frame's edge, marked with a triangle
        and labelled there. On the right, entries that are exactly 0 cannot be drawn on the
        log scale; their legend label says so.
    """
    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    runs = [(float(alpha), _as_history(history)) for alpha, history in histories.items()]
    starts = [abs(theta[0]) for _, theta in runs if theta.size and np.isfinite(theta[0])]
    edge = 1.5 * max(starts + [1.0])
    for alpha, theta in runs:
        steps = np.arange(theta.size)
        label = f"α = {alpha:g}"
        # Left: signed θ inside the frame; a run that leaves it is drawn up to the edge and stops there.
        signed = np.clip(theta, -edge, edge)
        outside = np.flatnonzero(~(np.abs(theta) <= edge))
        if outside.size:
            signed[outside[0] + 1:] = np.nan
        line, = left.plot(steps, signed, marker="o", ms=3, label=label)
        if outside.size:
            k = outside[0]
            left.plot([k], [signed[k]], marker="^" if signed[k] > 0 else "v", ms=10, color=line.get_color(),
                      linestyle="none")
            left.annotate(f"α = {alpha:g} leaves the frame", xy=(k, signed[k]), xytext=(8, -4 if signed[k] > 0 else 4),
                          textcoords="offset points", va="top" if signed[k] > 0 else "bottom", fontsize=8,
                          color=line.get_color())
        # Right: |θ| on a log scale; exact zeros cannot be drawn there.
        size = np.abs(theta)
        shown = np.where(size > 0, size, np.nan)
        if np.any(size == 0):
            label += " (hits 0 exactly)"
        right.plot(steps, shown, marker="o", ms=3, color=line.get_color(), label=label)
    left.axhline(0.0, color="0.5", lw=0.8)
    left.set_ylim(-1.1 * edge, 1.1 * edge)
    left.set_xlabel("iteration k")
    left.set_ylabel("θₖ")
    left.set_title("Signed θₖ: the sign shows which side of the minimum")
    right.set_yscale("log")
    right.set_xlabel("iteration k")
    right.set_ylabel("|θₖ|  (log scale)")
    right.set_title("Distance to the minimum: straight lines on a log scale")
    right.legend(fontsize=8)
    fig.suptitle(title or "The same θ₀ for every α: compare each run with the factor 1 − 2α you predicted from")
    return fig


@drawn_unless_unseen
def factor_line(regime: Callable[[float], str], alphas: Iterable[float], title: str | None = None):
    """The factor 1 − 2α against α, each sample α labelled by ``regime(α)``.

    Parameters
    ----------
    regime : callable
        Takes α and returns a label (the notebook's ``learning_rate_regime``).
        Its labels are written next to the points exactly as returned.
    alphas : iterable of float
        The learning rates to mark.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes: the line 1 − 2α, the levels −1, 0 and 1, the band where
        |1 − 2α| < 1, and one labelled marker per α.
    """
    alphas = [float(a) for a in alphas]
    lo, hi = min(alphas + [0.0]) - 0.15, max(alphas + [1.0]) + 0.15
    grid = np.linspace(lo, hi, 200)

    fig, ax = plt.subplots(figsize=(7.5, 4.5), layout="constrained")
    ax.axhspan(-1.0, 1.0, color="tab:green", alpha=0.12, label="|1 − 2α| < 1: θ shrinks")
    for level in (-1.0, 0.0, 1.0):
        ax.axhline(level, color="0.5", lw=0.8, ls="--")
    ax.plot(grid, 1.0 - 2.0 * grid, color="0.2", lw=2, label="factor 1 − 2α")
    factors = [1.0 - 2.0 * a for a in alphas]
    ax.scatter(alphas, factors, color="tab:red", zorder=3, label="your learning_rate_regime(α)")
    for a, f in zip(alphas, factors):
        ax.annotate(str(regime(a)), xy=(a, f), xytext=(6, 4), textcoords="offset points", fontsize=9)
    ax.set_xlabel("learning rate α")
    ax.set_ylabel("factor 1 − 2α   (θₖ₊₁ = (1 − 2α)·θₖ)")
    ax.set_title(title or "The sign of 1 − 2α decides the side, its size decides shrink or grow")
    ax.legend(loc="lower left", fontsize=8)
    return fig


@drawn_unless_unseen
def descent_from_starts(histories: Mapping[float, Iterable[float]], cost: Callable, title: str | None = None):
    """Gradient-descent runs from several starting points on one cost curve, and their costs.

    Parameters
    ----------
    histories : mapping of float to array_like
        ``{theta0: history}``; each history is θ₀, θ₁, …, θₙ of one run (e.g. what
        ``gradient_descent`` returned for that start).
    cost : callable
        The cost J; it is called on a NumPy array of θ values (element-wise) and on
        each θ of every history.
    title : str, optional
        Replaces the default figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes. Left: the curve J(θ) over a range holding every run, each run's
        points in its own colour with an arrow per update, and a star at its last θ
        labelled with that θ and its cost. Right: J(θₖ) against k, one line per run.
    """
    runs = [(float(start), _as_history(history)) for start, history in histories.items()]
    finite = np.concatenate([theta[np.isfinite(theta)] for _, theta in runs] + [np.zeros(1)])
    lo, hi = float(finite.min()), float(finite.max())
    pad = 0.1 * max(hi - lo, 1.0)
    grid = np.linspace(lo - pad, hi + pad, 401)

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.2), layout="constrained")
    left.plot(grid, np.asarray(cost(grid), dtype=float), color="0.35", lw=2, label="J(θ)")
    colors = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for n, (start, theta) in enumerate(runs):
        color = colors[n % len(colors)]
        costs = np.array([float(cost(t)) for t in theta])
        label = f"from θ₀ = {start:g}"
        left.plot(theta, costs, "o", ms=4, color=color, label=label)
        for k in range(theta.size - 1):
            if abs(theta[k + 1] - theta[k]) > 1e-2 * (hi - lo + 1e-12):  # the tiny last steps: dots only
                left.annotate("", xy=(theta[k + 1], costs[k + 1]), xytext=(theta[k], costs[k]),
                              arrowprops=dict(arrowstyle="->", color=color, lw=1.1, shrinkA=3, shrinkB=3))
        left.plot([theta[-1]], [costs[-1]], marker="*", ms=16, color=color, markeredgecolor="k", linestyle="none")
        left.annotate(f"ends at θ = {theta[-1]:.3g}\nJ = {costs[-1]:.3g}", xy=(theta[-1], costs[-1]),
                      xytext=(0, -12), textcoords="offset points", ha="center", va="top", fontsize=9, color=color)
        right.plot(np.arange(theta.size), costs, marker="o", ms=3, color=color, label=label)
    curve = np.asarray(cost(grid), dtype=float)
    run_costs = np.concatenate([np.array([float(cost(t)) for t in theta]) for _, theta in runs])
    run_costs = run_costs[np.isfinite(run_costs)]
    if run_costs.size:
        bottom, top = float(min(curve.min(), run_costs.min())), float(run_costs.max())
        span = max(top - bottom, 1e-9)
        left.set_ylim(bottom - 0.3 * span, top + 0.15 * span)  # room under the minima for the labels
    left.set_xlabel("θ")
    left.set_ylabel("J(θ)")
    left.set_title("The runs on the cost curve (★ = last θ)")
    left.legend(loc="upper center", fontsize=8)
    right.set_xlabel("iteration k")
    right.set_ylabel("J(θₖ)")
    right.set_title("The cost after each update")
    right.legend(fontsize=8)
    fig.suptitle(title or "Gradient descent from different starting points on the same cost")
    return fig
