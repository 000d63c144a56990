"""Figures of 02_partial_derivatives: contours, descent paths and finite-difference errors.

Every function draws data and callables handed in by the notebook (paths computed
by the learner's own functions, the learner's cost function) and returns the
Figure. Nothing here computes a gradient or a descent step.
"""

from __future__ import annotations

from typing import Callable, Mapping, Sequence

import matplotlib
import matplotlib.colors
import matplotlib.pyplot as plt
import numpy as np

from ._autograding import drawn_unless_unseen

__all__ = [
    "contour_descent",
    "update_order_paths",
    "finite_difference_errors",
    "paths_from_starts",
    "valley_paths",
]

_GRID = 81


def _as_path(path) -> np.ndarray:
    path = np.asarray(path, dtype=float)
    if path.ndim != 2 or path.shape[1] != 2:
        raise ValueError(f"a path must have shape (k, 2) (one row per θ); got shape {path.shape}")
    return path


def _extent(paths: Sequence[np.ndarray], margin: float = 0.25) -> tuple[float, float, float, float]:
    """A square-ish window around every point of every path, with a margin."""
    points = np.vstack(paths)
    lo, hi = points.min(axis=0), points.max(axis=0)
    span = max(float(np.max(hi - lo)), 1.0)
    pad = margin * span
    center = (lo + hi) / 2
    half = (hi - lo) / 2 + pad
    half = np.maximum(half, 0.35 * span)
    return (center[0] - half[0], center[0] + half[0], center[1] - half[1], center[1] + half[1])


def _contours(ax, cost: Callable, extent, levels: int = 14):
    """Filled contours of ``cost`` over ``extent``; cost takes one length-2 array."""
    t1 = np.linspace(extent[0], extent[1], _GRID)
    t2 = np.linspace(extent[2], extent[3], _GRID)
    values = np.array([[float(cost(np.array([a, b]))) for a in t1] for b in t2])
    lo, hi = float(np.min(values)), float(np.max(values))
    # quadratic spacing: evenly spaced rings on a bowl, finer detail near the bottom
    marks = lo + (hi - lo) * np.linspace(0.0, 1.0, levels + 1)[1:] ** 2
    filled = ax.contourf(t1, t2, values, levels=np.r_[lo, marks], cmap="Blues_r", alpha=0.3)
    ax.contour(t1, t2, values, levels=marks, colors="0.45", linewidths=0.7)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_aspect("equal")
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    return filled


@drawn_unless_unseen
def contour_descent(cost: Callable, path, *, extent=None, show_components: bool = True,
                    title: str | None = None):
    """Contours of a two-parameter cost with a descent path and its first step split in two.

    Parameters
    ----------
    cost : callable
        ``cost(theta) -> float`` for a length-2 array ``theta``, e.g. the notebook's ``J``.
    path : array_like, shape (k, 2)
        The points θ⁽⁰⁾, θ⁽¹⁾, ... visited by gradient descent (row 0 is the start).
    extent : tuple of 4 floats, optional
        ``(θ₁ min, θ₁ max, θ₂ min, θ₂ max)``; by default a window around the path.
    show_components : bool
        Draw the first step as a θ₁-move followed by a θ₂-move (two arrows).
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    path = _as_path(path)
    extent = extent or _extent([path, np.zeros((1, 2))])
    fig, ax = plt.subplots(figsize=(6.4, 6.0), layout="constrained")
    _contours(ax, cost, extent)
    ax.plot(path[:, 0], path[:, 1], "o-", color="C3", ms=4, lw=1.5, label="gradient-descent path")
    ax.plot(path[0, 0], path[0, 1], "s", color="C3", ms=9, label=r"start $\theta^{(0)}$")
    if show_components and len(path) >= 2:
        p0, p1 = path[0], path[1]
        corner = np.array([p1[0], p0[1]])
        arrow = dict(arrowstyle="-|>", lw=2.4, shrinkA=0, shrinkB=0, mutation_scale=16)
        ax.annotate("", xy=corner, xytext=p0, arrowprops=dict(arrow, color="C2"))
        ax.annotate("", xy=p1, xytext=corner, arrowprops=dict(arrow, color="C1"))
        d1, d2 = p1 - p0
        box = dict(boxstyle="round,pad=0.2", fc="white", ec="none", alpha=0.85)
        ax.annotate(rf"$\theta_1$-step $-\alpha\,\partial J/\partial\theta_1$ = {d1:+.3g}",
                    xy=(p0 + corner) / 2, xytext=(0, 9), textcoords="offset points",
                    ha="center", va="bottom", color="C2", fontsize=9.5, fontweight="bold", bbox=box)
        ax.annotate(rf"$\theta_2$-step $-\alpha\,\partial J/\partial\theta_2$ = {d2:+.3g}",
                    xy=(corner + p1) / 2, xytext=(-9, 0), textcoords="offset points",
                    ha="right", va="center", color="C1", fontsize=9.5, fontweight="bold", bbox=box)
    ax.legend(loc="lower right", fontsize=9)
    ax.set_title(title or "Gradient descent on the contours,\n"
                          "its first step drawn as one move per coordinate")
    return fig


def _staircase(path: np.ndarray) -> np.ndarray:
    """Points of a sequential path: θ₁ moves first (horizontal), then θ₂ (vertical)."""
    points = [path[0]]
    for a, b in zip(path[:-1], path[1:]):
        points.append(np.array([b[0], a[1]]))
        points.append(b)
    return np.array(points)


@drawn_unless_unseen
def update_order_paths(cost: Callable, simultaneous, sequential, *, extent=None,
                       title: str | None = None):
    """Contours with two paths from the same start: simultaneous and sequential updates.

    Parameters
    ----------
    cost : callable
        ``cost(theta) -> float`` for a length-2 array, e.g. ``gdcourse.costs.coupled_bowl``.
    simultaneous : array_like, shape (k, 2)
        Gradient-descent path: every component updated from the same old θ.
    sequential : array_like, shape (k, 2)
        Path of the sequential update (θ₁ first, then θ₂ from the new θ₁); it is drawn
        as a staircase, one move per coordinate.
    extent : tuple of 4 floats, optional
        ``(θ₁ min, θ₁ max, θ₂ min, θ₂ max)``; by default a window around both paths.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    simultaneous, sequential = _as_path(simultaneous), _as_path(sequential)
    extent = extent or _extent([simultaneous, sequential])
    fig, ax = plt.subplots(figsize=(6.4, 6.0), layout="constrained")
    _contours(ax, cost, extent)
    stairs = _staircase(sequential)
    ax.plot(stairs[:, 0], stairs[:, 1], "-", color="C0", lw=1.2, alpha=0.8)
    ax.plot(sequential[:, 0], sequential[:, 1], "s", color="C0", ms=5,
            label=r"sequential: $\theta_1$ first, then $\theta_2$ from the new $\theta_1$")
    ax.plot(simultaneous[:, 0], simultaneous[:, 1], "o-", color="C3", ms=5, lw=1.5,
            label="simultaneous (gradient descent)")
    ax.plot(simultaneous[0, 0], simultaneous[0, 1], "k*", ms=13, label="common start")
    ax.legend(loc="upper left", fontsize=9)
    ax.set_title(title or "Same start, same α, a coupled cost:\nsimultaneous and sequential updates")
    return fig


@drawn_unless_unseen
def finite_difference_errors(h, errors: Mapping[str, Sequence[float]], *, mark_h: float | None = 1e-5,
                             title: str | None = None):
    """Error of finite-difference derivatives against the step size h, on log-log axes.

    Parameters
    ----------
    h : array_like, shape (k,)
        Step sizes, positive.
    errors : mapping of str to array_like, shape (k,)
        ``{label: |numerical − exact|}`` for each method, e.g. ``{"central": ..., "forward": ...}``.
        Zero errors (exact to the last bit) are left out of the log plot.
    mark_h : float or None
        Draw a vertical line at this h (the default step of ``numerical_gradient``).
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    h = np.asarray(h, dtype=float)
    fig, ax = plt.subplots(figsize=(7.0, 4.6), layout="constrained")
    markers = "os^vD"
    for k, (label, err) in enumerate(errors.items()):
        err = np.abs(np.asarray(err, dtype=float))
        if err.shape != h.shape:
            raise ValueError(f"errors[{label!r}] has shape {err.shape}; h has shape {h.shape}")
        shown = np.where(err > 0, err, np.nan)
        ax.plot(h, shown, marker=markers[k % len(markers)], ms=4, lw=1.3, color=f"C{k}", label=label)
    if mark_h is not None:
        ax.axvline(mark_h, color="0.4", ls=":", lw=1.2, label=f"default h = {mark_h:g}")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("step size h")
    ax.set_ylabel("|numerical − exact derivative|")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9)
    ax.set_title(title or "Error of two finite-difference derivatives against the step size h", fontsize=10)
    return fig


@drawn_unless_unseen
def paths_from_starts(cost: Callable, paths: Sequence, *, extent=None, title: str | None = None):
    """Contours of a cost with one descent path per starting point.

    Parameters
    ----------
    cost : callable
        ``cost(theta) -> float`` for a length-2 array, e.g. ``gdcourse.costs.bumpy``.
    paths : sequence of array_like, each shape (k, 2)
        One gradient-descent history per start (row 0 is the start).
    extent : tuple of 4 floats, optional
        ``(θ₁ min, θ₁ max, θ₂ min, θ₂ max)``; by default a window around all paths.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    paths = [_as_path(p) for p in paths]
    if not paths:
        raise ValueError("paths_from_starts needs at least one path")
    extent = extent or _extent(paths, margin=0.1)
    fig, ax = plt.subplots(figsize=(6.6, 6.0), layout="constrained")
    _contours(ax, cost, extent, levels=22)
    for k, p in enumerate(paths):
        color = f"C{(k + 3) % 10}"
        ax.plot(p[:, 0], p[:, 1], ".-", color=color, ms=3, lw=1.3,
                label=f"({p[0, 0]:.2g}, {p[0, 1]:.2g}) → ({p[-1, 0]:.2f}, {p[-1, 1]:.2f}), "
                      f"cost {float(cost(p[-1])):.3f}")
        ax.plot(p[0, 0], p[0, 1], "o", color=color, ms=7)
        ax.plot(p[-1, 0], p[-1, 1], "*", color=color, ms=14, mec="k", mew=0.6)
    ax.legend(title="start → end (●: start, ★: end)", loc="upper center", bbox_to_anchor=(0.5, -0.1),
              fontsize=8.5, title_fontsize=9, ncol=1)
    ax.set_title(title or "Gradient descent from several starting points")
    return fig


@drawn_unless_unseen
def valley_paths(cost: Callable, paths: Mapping[str, Sequence], *, extent=(-2.0, 2.0, -1.0, 3.0),
                 minimum=None, title: str | None = None):
    """Log-spaced contours of a cost with a steep, curved valley, and descent paths on them.

    Parameters
    ----------
    cost : callable
        ``cost(theta) -> float`` for a length-2 array, e.g. the notebook's ``rosenbrock``.
    paths : mapping of str to array_like, each shape (k, 2)
        ``{label: history}``, one gradient-descent history per run (row 0 is the start). Rows that
        are not finite (a run that diverged) are left out; a path that leaves the window is cut
        at its edge.
    extent : tuple of 4 floats
        ``(θ₁ min, θ₁ max, θ₂ min, θ₂ max)``.
    minimum : tuple of 2 floats, optional
        Where to mark the minimum with a star.
    title : str, optional
        Replaces the default title.

    Returns
    -------
    matplotlib.figure.Figure
    """
    paths = {label: _as_path(p) for label, p in paths.items()}
    t1 = np.linspace(extent[0], extent[1], 121)  # finer than _GRID: the valley is narrow
    t2 = np.linspace(extent[2], extent[3], 121)
    values = np.array([[float(cost(np.array([a, b]))) for a in t1] for b in t2])
    positive = values[values > 0]
    hi = max(float(values.max()), 1e-3)
    # the lowest ring at 1e-4 of the highest: finer rings would only draw noise around the minimum
    lo = max(float(positive.min()) if positive.size else 0.0, 1e-4 * hi)
    # log spacing: a valley floor that is almost flat next to walls hundreds of times higher
    levels = np.logspace(np.log10(lo), np.log10(hi), 16)
    fig, ax = plt.subplots(figsize=(6.6, 6.0), layout="constrained")
    ax.contourf(t1, t2, np.clip(values, lo, hi), levels=levels, cmap="Blues_r", alpha=0.35,
                norm=matplotlib.colors.LogNorm(lo, hi))
    ax.contour(t1, t2, values, levels=levels, colors="0.45", linewidths=0.7)
    for k, (label, p) in enumerate(paths.items()):
        color = f"C{(k + 3) % 10}"
        shown = p[np.all(np.isfinite(p), axis=1)]
        ax.plot(shown[:, 0], shown[:, 1], ".-", color=color, ms=3, lw=1.2, label=label)
        ax.plot(p[0, 0], p[0, 1], "o", color=color, ms=8)
    if minimum is not None:
        ax.plot(*minimum, "*", color="gold", mec="k", mew=0.8, ms=16, label="minimum")
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel(r"$\theta_1$")
    ax.set_ylabel(r"$\theta_2$")
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.1), fontsize=9, ncol=1)
    ax.set_title(title or "Gradient descent in a curved valley (contours on a log scale)")
    return fig
