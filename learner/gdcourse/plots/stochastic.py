"""Plots for the stochastic-gradient notebook (05_stochastic_gradient).

Every function draws data or calls functions that the notebook hands over (the
learner's own ``sgd``, ``mse``, ...): nothing here computes a cost, a gradient, a
batch or a diagnosis by itself.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.ticker import LogLocator, NullLocator

from ._autograding import drawn_unless_unseen

__all__ = ["costs_by_batch_size", "sgd_paths", "cost_curves", "diagnosed_curves"]

_TINY = 1e-12  # a cost "above the minimum" that rounding made 0 or negative is drawn here, on a log axis


def _above(costs, minimum):
    """The costs as floats, minus ``minimum`` if one is given, floored at _TINY for a log axis."""
    costs = np.asarray(costs, dtype=float).ravel()
    if minimum is None:
        return costs
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(costs), np.maximum(costs - float(minimum), _TINY), costs)


def _sparse_log_ticks(ax) -> None:
    """No minor ticks on a log axis spanning more than two decades, and at most about six labelled decades:
    they add nothing a reader needs there, and laying out their labels was most of the time of drawing
    these figures."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            low, high = sorted(axis.get_view_interval())
            if low > 0 and high / low > 100:
                axis.set_minor_locator(NullLocator())
                axis.set_major_locator(LogLocator(numticks=6))


def _cost_label(minimum) -> str:
    return "cost above the minimum, J(θ) − J_min (log scale)" if minimum is not None else "cost J(θ) (MSE, log scale)"


def _runs(costs, minimum) -> np.ndarray:
    """The costs of one run (1-D) or of several runs, one per row (2-D), as a 2-D array of floats shown on a log
    axis (above ``minimum`` if one is given)."""
    costs = np.asarray(costs, dtype=float)
    if costs.ndim not in (1, 2) or costs.shape[-1] < 1:
        raise ValueError(f"costs must be one run (1-D) or one run per row (2-D), got shape {costs.shape}")
    rows = costs.reshape(1, -1) if costs.ndim == 1 else costs
    return np.array([_above(row, minimum) for row in rows])


def _median_and_spread(ax, x, shown, style, label, color=None):
    """One run as a line; several as their median, a line, and a band from the lowest to the highest run at each
    point (a diverged run, not finite, leaves the band open above). Returns the line."""
    with np.errstate(invalid="ignore"):
        middle = shown[0] if len(shown) == 1 else np.median(shown, axis=0)
    line, = ax.plot(x, middle, style, markersize=3, label=str(label), color=color)
    if len(shown) > 1:
        with np.errstate(invalid="ignore"):
            finite = np.where(np.isfinite(shown), shown, np.nan)
            low, high = np.nanmin(finite, axis=0), np.nanmax(finite, axis=0)
        high = np.where(np.all(np.isfinite(shown), axis=0), high, np.nan)
        ax.fill_between(x, low, high, color=line.get_color(), alpha=0.18, linewidth=0)
    return line


@drawn_unless_unseen
def costs_by_batch_size(runs, minimum=None,
                        title="Batch sizes at the same budget: cost per epoch, and per update"):
    """The cost of several runs of mini-batch descent, against epochs, against updates and, if timed, seconds.

    Parameters
    ----------
    runs : dict
        ``{label: (costs, updates_per_epoch)}`` or ``{label: (costs, updates_per_epoch,
        seconds_per_epoch)}``: ``costs[k]`` is the full-data cost after k epochs (shape
        (n_epochs + 1,)), or one such run per row for several seeds (shape (n_seeds,
        n_epochs + 1)); ``updates_per_epoch`` is how many updates one epoch made (⌈m / batch
        size⌉); ``seconds_per_epoch``, how long an epoch took.
    minimum : float, optional
        The lowest possible cost; if given, the axes show the cost above it.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        Axes sharing the cost axis (log scale), one line with markers per run (for several
        seeds: their median, with a band from the lowest to the highest): left against the
        epoch (the number of gradient evaluations, in units of m), then against the number of
        updates (log scale) and, when every run is timed, against seconds (log scale).
    """
    if not runs:
        raise ValueError("runs must hold at least one run")
    timed = all(len(run) == 3 for run in runs.values())
    fig, axes = plt.subplots(1, 3 if timed else 2, figsize=(15, 4.3) if timed else (11, 4.3), sharey=True,
                             layout="constrained")
    by_epoch, by_update = axes[0], axes[1]
    for label, (costs, per_epoch, *seconds) in runs.items():
        per_epoch = int(per_epoch)
        if per_epoch < 1:
            raise ValueError(f"{label}: updates_per_epoch must be at least 1, got {per_epoch}")
        shown = _runs(costs, minimum)
        epochs = np.arange(shown.shape[1])
        line = _median_and_spread(by_epoch, epochs, shown, "o-", label)
        # updates on a log axis: the start (0 updates) is drawn at 1/2 update
        _median_and_spread(by_update, np.maximum(epochs * per_epoch, 0.5), shown, "o-", label, line.get_color())
        if timed:
            per_second = float(seconds[0])
            if not per_second > 0:
                raise ValueError(f"{label}: seconds_per_epoch must be positive, got {per_second}")
            _median_and_spread(axes[2], np.maximum(epochs, 0.5) * per_second, shown, "o-", label, line.get_color())
    for ax in axes:
        ax.set_yscale("log")
        ax.grid(True, which="major", alpha=0.3)
        ax.legend(fontsize=8)
    by_epoch.set_xlabel("epoch (gradient evaluations ÷ m)")
    by_epoch.set_ylabel(_cost_label(minimum))
    by_epoch.set_title("the same budget: cost against epochs")
    by_update.set_xscale("log")
    by_update.set_xlabel("number of updates (log scale; the start drawn at ½)")
    by_update.set_ylabel("same cost axis")
    by_update.set_title("cost against the number of updates")
    if timed:
        axes[2].set_xscale("log")
        axes[2].set_xlabel("seconds (log scale; the start drawn at half an epoch's time)")
        axes[2].set_ylabel("same cost axis")
        axes[2].set_title("cost against time on this computer")
    for ax in axes:
        _sparse_log_ticks(ax)
    fig.suptitle(title)
    return fig


@drawn_unless_unseen
def sgd_paths(cost, paths, best=None, resolution=60,
              title="Descent paths on the contours of the cost: one point per update"):
    """Several descent paths on the contours of one cost of two parameters.

    Parameters
    ----------
    cost : callable
        ``cost(theta) -> float`` for a parameter vector of length 2, e.g.
        ``lambda t: mse(t, X, y)``. Called once per grid point.
    paths : dict
        ``{label: path}`` with ``path`` of shape (k, 2): θ after 0, 1, ..., k − 1 updates.
    best : array_like, shape (2,), optional
        The minimiser, drawn as a star.
    resolution : int
        Grid points per axis.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes with equal aspect ratio: a contour set, one line with small
        markers per path, the common start and, if given, the minimum.
    """
    if not paths:
        raise ValueError("paths must hold at least one path")
    arrays = {}
    for label, path in paths.items():
        path = np.asarray(path, dtype=float)
        if path.ndim != 2 or path.shape[1] != 2 or len(path) < 1:
            raise ValueError(f"{label}: a path must have shape (k, 2), got {path.shape}")
        arrays[label] = path
    points = np.vstack(list(arrays.values()) + ([np.asarray(best, dtype=float).reshape(1, 2)] if best is not None else []))
    points = points[np.all(np.isfinite(points), axis=1)]
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.maximum((high - low) * 0.12, 1e-3)
    t1 = np.linspace(low[0] - margin[0], high[0] + margin[0], resolution)
    t2 = np.linspace(low[1] - margin[1], high[1] + margin[1], resolution)
    Z = np.array([[float(cost(np.array([a, b]))) for a in t1] for b in t2])
    bottom = float(np.min(Z))
    excess = np.geomspace(max((float(np.max(Z)) - bottom) * 1e-4, 1e-12), float(np.max(Z)) - bottom + 1e-12, 14)
    fig, ax = plt.subplots(figsize=(7.2, 5.6), layout="constrained")
    ax.contour(t1, t2, Z, levels=bottom + excess, cmap="viridis", linewidths=0.8)
    for label, path in arrays.items():
        ax.plot(path[:, 0], path[:, 1], ".-", markersize=3, linewidth=0.9, alpha=0.85,
                label=f"{label} ({len(path) - 1} updates)")
    start = next(iter(arrays.values()))[0]
    ax.plot(*start, "o", color="black", markersize=6, label="start")
    if best is not None:
        ax.plot(*np.asarray(best, dtype=float).reshape(2), "*", color="gold", markeredgecolor="black",
                markersize=15, label="minimum")
    ax.set_aspect("equal", adjustable="box")
    ax.set_xlim(t1[0], t1[-1])
    ax.set_ylim(t2[0], t2[-1])
    ax.set_xlabel("θ₀ (intercept)")
    ax.set_ylabel("θ₁ (slope)")
    ax.set_title(title)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9)
    return fig


@drawn_unless_unseen
def cost_curves(curves, minimum=None, xlabel="epoch", title="Cost after every epoch", points_per_epoch=1):
    """Several cost curves on one axes.

    Parameters
    ----------
    curves : dict
        ``{label: costs}``, ``costs[k]`` the full-data cost after k epochs, or after k updates
        when ``points_per_epoch`` is more than 1; or one such curve per row for several seeds
        (2-D), drawn as their median with a band from the lowest to the highest.
    minimum : float, optional
        The lowest possible cost; if given, the axes show the cost above it.
    xlabel : str
        Label of the horizontal axis.
    title : str
        Figure title.
    points_per_epoch : int
        How many points of a curve make one epoch (the updates of an epoch): point k is drawn
        at epoch k / points_per_epoch.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, log cost scale, one line per curve (with markers when it has at most 60
        points).
    """
    if not curves:
        raise ValueError("curves must hold at least one curve")
    if int(points_per_epoch) < 1:
        raise ValueError(f"points_per_epoch must be at least 1, got {points_per_epoch}")
    fig, ax = plt.subplots(figsize=(6.8, 4.3), layout="constrained")
    for label, costs in curves.items():
        shown = _runs(costs, minimum)
        style = "o-" if shown.shape[1] <= 60 else "-"
        _median_and_spread(ax, np.arange(shown.shape[1]) / int(points_per_epoch), shown, style, label)
    ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(_cost_label(minimum))
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=8)
    _sparse_log_ticks(ax)
    return fig


@drawn_unless_unseen
def diagnosed_curves(curves, diagnoses, title="Learning curves and what they say"):
    """One learning curve per panel, each titled with the diagnosis it was given.

    Parameters
    ----------
    curves : dict
        ``{label: costs}``, ``costs[k]`` the cost after k epochs.
    diagnoses : dict
        ``{label: text}``, the diagnosis of each curve (e.g. from ``curve_diagnosis``).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per curve (log cost scale), titled "label: diagnosis"; a cost that is
        not finite ends the line, and the panel says so.
    """
    if not curves:
        raise ValueError("curves must hold at least one curve")
    missing = [label for label in curves if label not in diagnoses]
    if missing:
        raise ValueError(f"no diagnosis for {missing}")
    fig, axes = plt.subplots(1, len(curves), figsize=(4.2 * len(curves), 3.9), squeeze=False, layout="constrained")
    for ax, (label, costs) in zip(axes[0], curves.items()):
        costs = np.asarray(costs, dtype=float).ravel()
        finite = np.isfinite(costs)
        end = int(np.argmin(finite)) if not finite.all() else costs.size
        ax.plot(np.arange(end), costs[:end], "o-", markersize=3)
        if end < costs.size:
            ax.annotate(f"not finite from epoch {end}", xy=(0.98, 0.04), xycoords="axes fraction",
                        ha="right", va="bottom", fontsize=8, color="tab:red")
        ax.set_yscale("log")
        ax.set_xlabel("epoch")
        ax.set_title(f"{label}: {diagnoses[label]}")
        ax.grid(True, alpha=0.3)
        _sparse_log_ticks(ax)
    axes[0][0].set_ylabel("cost J(θ) (MSE, log scale)")
    fig.suptitle(title)
    return fig
