"""Plots for the vectorized notebook (04_vectorized_gradient).

Every function draws data or calls functions that the notebook hands over (the
learner's own ``mse``, ``batch_gradient_descent``, ...): nothing here computes a
cost, a gradient or a fit by itself.
"""

from __future__ import annotations

import math

import matplotlib.pyplot as plt
import numpy as np

from ._autograding import drawn_unless_unseen

__all__ = ["timing_loop_vs_vectorized", "scaling_contours", "costs_by_alpha", "ridge_paths"]


@drawn_unless_unseen
def timing_loop_vs_vectorized(sizes, loop_seconds, vectorized_seconds,
                              title="Time per gradient evaluation: Python loops against one matrix product"):
    """Run time of the loop gradient and the vectorized gradient as m grows.

    Parameters
    ----------
    sizes : sequence of int, length k
        Numbers of examples m that were timed.
    loop_seconds, vectorized_seconds : sequence of float, length k
        Time of one gradient evaluation (seconds) with Python loops and with
        ``X.T @ (...)``, for each size.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One log-log axes with two lines (markers at the measured sizes) and a
        note of the speed-up at the largest m.
    """
    sizes = np.asarray(sizes, dtype=float)
    loop_seconds = np.asarray(loop_seconds, dtype=float)
    vectorized_seconds = np.asarray(vectorized_seconds, dtype=float)
    if not (sizes.shape == loop_seconds.shape == vectorized_seconds.shape) or sizes.ndim != 1:
        raise ValueError("sizes, loop_seconds and vectorized_seconds must be 1-D and of the same length")
    fig, ax = plt.subplots(figsize=(6.4, 4.2), layout="constrained")
    ax.loglog(sizes, loop_seconds * 1e3, "o-", color="tab:red", label="Python loops (mse_gradient_loop)")
    ax.loglog(sizes, vectorized_seconds * 1e3, "s-", color="tab:blue", label="vectorized (mse_gradient)")
    if vectorized_seconds[-1] > 0:
        ratio = loop_seconds[-1] / vectorized_seconds[-1]
        ax.annotate(f"×{ratio:,.0f} at m = {sizes[-1]:,.0f}",
                    xy=(sizes[-1], math.sqrt(loop_seconds[-1] * vectorized_seconds[-1]) * 1e3),
                    xytext=(-8, 0), textcoords="offset points", ha="right", va="center")
    ax.set_xlabel("number of examples m (log scale)")
    ax.set_ylabel("time per gradient (ms, log scale)")
    ax.set_title(title)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="upper left")
    return fig


@drawn_unless_unseen
def scaling_contours(cost_raw, path_raw, cost_scaled, path_scaled, best_raw=None, best_scaled=None,
                     labels=("raw features", "standardized features"), resolution=80,
                     title="Cost contours and descent paths: raw against standardized features"):
    """Cost contours and descent paths before and after feature scaling, side by side.

    Parameters
    ----------
    cost_raw, cost_scaled : callable
        ``cost(theta) -> float`` for a parameter vector of length 2, e.g.
        ``lambda t: mse(t, X, y)``. Called once per grid point.
    path_raw, path_scaled : array_like, shape (k, 2)
        θ after 0, 1, ..., k − 1 steps of gradient descent.
    best_raw, best_scaled : array_like, shape (2,), optional
        The minimiser (e.g. from the closed form), drawn as a star.
    labels : (str, str)
        Panel titles.
    resolution : int
        Grid points per axis.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes with equal aspect ratio (so a round bowl looks round), each with
        a contour set, the path as a line with markers, and start, end and best
        points.
    """
    panels = [(cost_raw, path_raw, best_raw, labels[0]), (cost_scaled, path_scaled, best_scaled, labels[1])]
    fig, axes = plt.subplots(1, 2, figsize=(11, 5), layout="constrained")
    for ax, (cost, path, best, label) in zip(axes, panels):
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) < 1:
            raise ValueError(f"a path must have shape (k, 2), got {path.shape}")
        points = path if best is None else np.vstack([path, np.asarray(best, dtype=float).reshape(1, 2)])
        points = points[np.all(np.isfinite(points), axis=1)]
        centre = (points.min(axis=0) + points.max(axis=0)) / 2
        half = max(float(np.max(points.max(axis=0) - points.min(axis=0))) / 2, 1e-3) * 1.25
        t1 = np.linspace(centre[0] - half, centre[0] + half, resolution)
        t2 = np.linspace(centre[1] - half, centre[1] + half, resolution)
        Z = np.array([[float(cost(np.array([a, b]))) for a in t1] for b in t2])
        low = float(np.min(Z))
        excess = np.geomspace(max((float(np.max(Z)) - low) * 1e-4, 1e-12), float(np.max(Z)) - low + 1e-12, 14)
        ax.contour(t1, t2, Z, levels=low + excess, cmap="viridis", linewidths=0.9)
        ax.plot(path[:, 0], path[:, 1], ".-", color="tab:red", markersize=3, linewidth=1,
                label=f"gradient descent ({len(path) - 1} steps)")
        ax.plot(*path[0], "o", color="black", markersize=6, label="start")
        ax.plot(*path[-1], "s", color="tab:red", markersize=6, label="end")
        if best is not None:
            ax.plot(*np.asarray(best, dtype=float).reshape(2), "*", color="gold", markeredgecolor="black",
                    markersize=14, label="minimum")
        ax.set_aspect("equal", adjustable="box")
        ax.set_xlim(t1[0], t1[-1])
        ax.set_ylim(t2[0], t2[-1])
        ax.set_xlabel("θ₁ (weight of feature 1)")
        ax.set_ylabel("θ₂ (weight of feature 2)")
        ax.set_title(label)
        ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    fig.suptitle(title)
    return fig


@drawn_unless_unseen
def costs_by_alpha(runs, minimum=None, log=True,
                   title="Cost against iteration for several learning rates α"):
    """Cost against iteration for several learning rates, one panel per problem.

    Parameters
    ----------
    runs : dict
        ``{panel title: {alpha: costs}}`` with ``costs`` an array of shape
        (n_iters + 1,), ``costs[k]`` the cost after k updates. A single
        ``{alpha: costs}`` dict is drawn as one panel.
    minimum : float or dict, optional
        The lowest possible cost (e.g. the MSE of the closed-form solution),
        drawn as a dotted horizontal line; a dict gives one value per panel.
    log : bool
        Logarithmic cost axis (default), which shows slow and fast convergence alike.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel (sharing the cost axis), one line per α; a run whose
        cost grows is labelled "diverges" and clipped at ten times its starting
        cost.
    """
    if runs and not isinstance(next(iter(runs.values())), dict):
        runs = {"": runs}
    fig, axes = plt.subplots(1, len(runs), figsize=(5.5 * len(runs), 4.2), squeeze=False, sharey=True,
                             layout="constrained")
    starts = [float(np.asarray(c, dtype=float).ravel()[0]) for by_alpha in runs.values() for c in by_alpha.values()]
    top = max([s for s in starts if np.isfinite(s)], default=0.0) * 10
    for ax, (panel, by_alpha) in zip(axes[0], runs.items()):
        for alpha, costs in by_alpha.items():
            costs = np.asarray(costs, dtype=float).ravel()
            finite = costs[np.isfinite(costs)]
            diverges = finite.size < costs.size or (finite.size > 1 and finite[-1] > finite[0])
            label = f"α = {alpha:g}" + ("  (diverges)" if diverges else "")
            shown = costs
            if top > 0:  # stop a diverging curve just above the top of the axes
                beyond = np.flatnonzero(~(costs <= top))
                shown = costs[: beyond[0] + 1] if beyond.size else costs
                shown = np.minimum(shown, top * 10)
            ax.plot(np.arange(shown.size), shown, linestyle="--" if diverges else "-", label=label)
        lowest = minimum.get(panel) if isinstance(minimum, dict) else minimum
        if lowest is not None:
            ax.axhline(float(lowest), color="black", linestyle=":", linewidth=1.2, label="minimum (closed form)")
        if log:
            ax.set_yscale("log")
        ax.set_xlabel("iteration k")
        ax.set_title(panel)
        ax.grid(True, alpha=0.3)
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("cost J(θ) (MSE)" + (", log scale" if log else ""))
    if top > 0:
        axes[0][0].set_ylim(top=top)
    fig.suptitle(title)
    return fig


@drawn_unless_unseen
def ridge_paths(lams, thetas, names=None, title="Ridge regression: every fitted parameter against λ"):
    """The fitted parameters of ridge regression against the penalty's strength λ.

    Parameters
    ----------
    lams : sequence of float, length k
        The values of λ (all > 0, drawn on a log scale).
    thetas : array_like, shape (k, n + 1)
        Row i holds the θ fitted with ``lams[i]``, the intercept θ₀ first.
    names : sequence of str, optional
        A label per parameter; defaults to θ₀ (intercept), θ₁, ..., θₙ.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with a logarithmic λ axis, one line with markers per weight,
        the intercept dashed, and a dotted line at 0.
    """
    lams = np.asarray(lams, dtype=float).ravel()
    thetas = np.asarray(thetas, dtype=float)
    if thetas.ndim != 2 or thetas.shape[0] != lams.size or thetas.shape[1] < 1:
        raise ValueError(f"thetas must have shape (len(lams), n + 1) = ({lams.size}, n + 1), got {thetas.shape}")
    if np.any(lams <= 0):
        raise ValueError("every λ must be positive to be drawn on a log scale")
    subscripts = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
    if names is None:
        names = ["θ₀ (intercept)"] + [f"θ{str(j).translate(subscripts)}" for j in range(1, thetas.shape[1])]
    fig, ax = plt.subplots(figsize=(6.8, 4.4), layout="constrained")
    ax.axhline(0.0, color="black", linestyle=":", linewidth=1)
    for j in range(thetas.shape[1]):
        style = dict(linestyle="--", color="black") if j == 0 else dict(linestyle="-")
        ax.plot(lams, thetas[:, j], marker="o", markersize=3, label=names[j], **style)
    ax.set_xscale("log")
    ax.set_xlabel("penalty strength λ (log scale)")
    ax.set_ylabel("fitted value of the parameter")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    return fig

