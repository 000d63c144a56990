"""Plots for the momentum and Adam notebook (06_momentum_adam).

Every function draws data or calls functions that the notebook hands over (the learner's own
``momentum_descent``, ``adam``, ``early_stopping``, ...): nothing here runs an optimiser, computes a
gradient or picks an epoch by itself.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import FuncFormatter, LogLocator, NullLocator

from ._autograding import drawn_unless_unseen

__all__ = ["method_paths", "costs_by_method", "iteration_curves", "early_stopping_curves"]

_TINY = 1e-16  # a cost gap that rounding made 0 or negative is drawn here, on a log axis


def _gap(values):
    """Cost gaps as floats, floored at _TINY for a log axis (non-finite values kept: the line ends there)."""
    values = np.asarray(values, dtype=float).ravel()
    with np.errstate(invalid="ignore"):
        return np.where(np.isfinite(values), np.maximum(values, _TINY), values)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power_of_ten(value, position=None) -> str:
    """A tick label 10⁻⁶ as plain text (typesetting it as a formula was most of the time of these figures)."""
    if not value > 0:
        return ""
    exponent = round(float(np.log10(value)))
    return f"10{str(exponent).translate(_SUPERSCRIPT)}" if np.isclose(value, 10.0 ** exponent) else ""


def _sparse_log_ticks(ax) -> None:
    """On a log axis spanning more than two decades: no minor ticks, and at most about six major ones,
    labelled as plain text."""
    for axis in (ax.xaxis, ax.yaxis):
        if axis.get_scale() == "log":
            low, high = sorted(axis.get_view_interval())
            if low > 0 and high / low > 100:
                axis.set_minor_locator(NullLocator())
                axis.set_major_locator(LogLocator(numticks=6))
                axis.set_major_formatter(FuncFormatter(_power_of_ten))


def _as_path(label, path) -> np.ndarray:
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2 or len(path) < 1:
        raise ValueError(f"{label}: a path must have shape (k, 2), got {path.shape}")
    return path


def _window(paths, minimum, extent):
    """The view: ``extent`` if given, else the finite points of every path and the minimum, with a margin."""
    if extent is not None:
        return tuple(float(e) for e in extent)
    points = [p[np.all(np.isfinite(p), axis=1)] for p in paths.values()]
    if minimum is not None:
        points.append(np.asarray(minimum, dtype=float).reshape(1, 2))
    points = np.vstack(points)
    low, high = points.min(axis=0), points.max(axis=0)
    margin = np.maximum((high - low) * 0.12, 1e-3)
    return (low[0] - margin[0], high[0] + margin[0], low[1] - margin[1], high[1] + margin[1])


@drawn_unless_unseen
def method_paths(panels, resolution=70, title="Descent paths on the contours of the cost"):
    """Descent paths of several methods on the contours of one or more costs of two parameters.

    Parameters
    ----------
    panels : dict
        ``{panel title: (cost, paths, minimum, extent)}``, one axes each: ``cost(theta) -> float``
        for a length-2 array (called once per grid point), ``paths`` a dict ``{label: history}``
        with each history of shape (k, 2) (row 0 is the start; rows that are not finite are left
        out), ``minimum`` the minimiser (drawn as a star) or None, and ``extent``
        ``(θ₁ min, θ₁ max, θ₂ min, θ₂ max)`` or None to fit the paths.
    resolution : int
        Grid points per axis.
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel: filled and line contours of the cost above its lowest grid value on
        a log scale (a flat valley floor next to steep walls stays visible), one line per path (with
        a dot per step when it has at most 500 steps; the first path drawn on top), the start and,
        if given, the minimum.
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.6 * len(panels), 5.0), squeeze=False, layout="constrained")
    for ax, (panel_title, (cost, paths, minimum, extent)) in zip(axes[0], panels.items()):
        if not paths:
            raise ValueError(f"{panel_title}: no paths to draw")
        arrays = {label: _as_path(label, p) for label, p in paths.items()}
        x0, x1, y0, y1 = _window(arrays, minimum, extent)
        t1 = np.linspace(x0, x1, resolution)
        t2 = np.linspace(y0, y1, resolution)
        values = np.array([[float(cost(np.array([a, b]))) for a in t1] for b in t2])
        excess = values - float(np.min(values))
        top = max(float(np.max(excess)), 1e-12)
        levels = np.geomspace(top * 1e-5, top, 15)
        ax.contourf(t1, t2, np.clip(excess, levels[0], top), levels=levels, cmap="Blues_r", alpha=0.35,
                    norm=LogNorm(levels[0], top))
        ax.contour(t1, t2, excess, levels=levels, colors="0.5", linewidths=0.6)
        for k, (label, path) in enumerate(arrays.items()):
            shown = path[np.all(np.isfinite(path), axis=1)]
            style = ".-" if len(shown) <= 500 else "-"  # a dot per step while the dots can still be told apart
            ax.plot(shown[:, 0], shown[:, 1], style, color=f"C{k}", markersize=3, linewidth=1.0, alpha=0.9,
                    zorder=3 + len(arrays) - k, label=f"{label} ({len(path) - 1} steps)")  # the first path on top
        start = next(iter(arrays.values()))[0]
        ax.plot(*start, "o", color="black", markersize=6, zorder=4 + len(arrays), label="start")
        if minimum is not None:
            ax.plot(*np.asarray(minimum, dtype=float).reshape(2), "*", color="gold", markeredgecolor="black",
                    markersize=15, zorder=4 + len(arrays), label="minimum")
        ax.set_xlim(x0, x1)
        ax.set_ylim(y0, y1)
        ax.set_xlabel("θ₁")
        ax.set_ylabel("θ₂")
        ax.set_title(str(panel_title))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8, ncol=2)
    fig.suptitle(title)
    return fig


@drawn_unless_unseen
def costs_by_method(panels, tolerance=None,
                    title="Cost above the minimum against gradient evaluations"):
    """Cost curves of several methods, one axes per surface.

    Parameters
    ----------
    panels : dict
        ``{panel title: {label: gaps}}``: ``gaps[k]`` is the cost above the minimum after k
        gradient evaluations (one per iteration), shape (n + 1,).
    tolerance : float, optional
        Drawn as a dotted horizontal line (e.g. the 1e-6 a run must reach).
    title : str
        Figure title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes per panel, log cost scale, one line per method; a gap of 0 (the minimum to rounding)
        is drawn at 1e-16, and a curve that stops being finite ends there.
    """
    if not panels:
        raise ValueError("panels must hold at least one panel")
    fig, axes = plt.subplots(1, len(panels), figsize=(5.6 * len(panels), 4.2), squeeze=False, layout="constrained")
    for ax, (panel_title, curves) in zip(axes[0], panels.items()):
        if not curves:
            raise ValueError(f"{panel_title}: no curves to draw")
        for label, gaps in curves.items():
            shown = _gap(gaps)
            ax.plot(np.arange(shown.size), shown, linewidth=1.3, label=str(label))
        if tolerance is not None:
            ax.axhline(float(tolerance), color="black", linestyle=":", linewidth=1.0,
                       label=f"{float(tolerance):g} above the minimum")
        ax.set_yscale("log")
        ax.set_xlabel("gradient evaluations (one per iteration)")
        ax.set_ylabel("J(θ) − J_min (log scale)")
        ax.set_title(str(panel_title))
        ax.grid(True, alpha=0.3)
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, ncol=2)
        _sparse_log_ticks(ax)
    fig.suptitle(title)
    return fig


@drawn_unless_unseen
def iteration_curves(curves, levels=None, xlabel="iteration", ylabel="value", logy=False,
                     title="Against the iteration"):
    """Several quantities against the iteration on one axes, with optional reference levels.

    Parameters
    ----------
    curves : dict
        ``{label: values}``, ``values[k]`` at iteration k + 1 (the first entry is drawn at 1).
    levels : dict, optional
        ``{label: value}``: each a dashed horizontal line in the colour of the curve of the same
        position (e.g. the value a curve should approach).
    xlabel, ylabel : str
        Axis labels.
    logy : bool
        Log scale for the values.
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes, one line per curve and one dashed line per level.
    """
    if not curves:
        raise ValueError("curves must hold at least one curve")
    fig, ax = plt.subplots(figsize=(7.0, 4.3), layout="constrained")
    for k, (label, values) in enumerate(curves.items()):
        values = np.asarray(values, dtype=float).ravel()
        ax.plot(np.arange(1, values.size + 1), values, linewidth=1.4, color=f"C{k}", label=str(label))
    for k, (label, value) in enumerate((levels or {}).items()):
        ax.axhline(float(value), color=f"C{k}", linestyle="--", linewidth=1.0, label=str(label))
    if logy:
        ax.set_yscale("log")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.16), fontsize=8, ncol=2)
    _sparse_log_ticks(ax)
    return fig


@drawn_unless_unseen
def early_stopping_curves(runs, title="Training and validation cost, and the epoch early stopping keeps"):
    """Training and validation cost against the epoch for several runs on one axes, each kept epoch marked.

    Parameters
    ----------
    runs : dict
        ``{label: (train_costs, val_costs, kept_epoch)}``: the costs after 0, 1, ..., n epochs
        (shape (n + 1,) each) and the epoch whose weights are kept (e.g. from ``early_stopping``).
    title : str
        Axes title.

    Returns
    -------
    matplotlib.figure.Figure
        One axes (log cost scale), one colour per run: its training cost dashed, its validation cost
        solid, and a dot on the validation cost at the kept epoch.
    """
    if not runs:
        raise ValueError("runs must hold at least one run")
    fig, ax = plt.subplots(figsize=(8.0, 4.8), layout="constrained")
    for k, (label, (train_costs, val_costs, kept)) in enumerate(runs.items()):
        train_costs = np.asarray(train_costs, dtype=float).ravel()
        val_costs = np.asarray(val_costs, dtype=float).ravel()
        if train_costs.shape != val_costs.shape:
            raise ValueError(f"{label}: training and validation costs differ in length")
        kept = int(kept)
        if not 0 <= kept < val_costs.size:
            raise ValueError(f"{label}: the kept epoch {kept} is not an epoch of the run")
        epochs = np.arange(val_costs.size)
        color = f"C{k % 10}"
        ax.plot(epochs, val_costs, "-", color=color, linewidth=1.4, label=f"{label}: validation")
        ax.plot(epochs, train_costs, "--", color=color, linewidth=1.0, label=f"{label}: training")
        ax.plot(kept, val_costs[kept], "o", color=color, markeredgecolor="black", markersize=7)
    ax.plot([], [], "o", color="white", markeredgecolor="black", label="the kept epoch")
    ax.set_yscale("log")
    ax.set_xlabel("epoch")
    ax.set_ylabel("MSE (log scale)")
    ax.set_title(title)
    ax.grid(True, alpha=0.3)
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), fontsize=8, ncol=4)
    _sparse_log_ticks(ax)
    return fig
