"""Cost functions handed to learners (and to hidden tests) as given material.

None of these is a graded exercise. They are here so that notebooks and hidden
tests can use the same, documented surfaces: a separable bowl, a coupled bowl
where a sequential update gives different numbers, and a bumpy surface with
several minima.
"""

from __future__ import annotations

import numpy as np


def coupled_bowl(theta):
    """J(θ₁, θ₂) = θ₁² + θ₁·θ₂ + 2·θ₂²: a tilted bowl whose coordinates interact.

    Parameters
    ----------
    theta : array_like, shape (2,)

    Returns
    -------
    float
    """
    t1, t2 = np.asarray(theta, dtype=float)
    return float(t1 ** 2 + t1 * t2 + 2.0 * t2 ** 2)


def coupled_bowl_grad(theta):
    """Gradient of :func:`coupled_bowl`: [2θ₁ + θ₂, θ₁ + 4θ₂], shape (2,)."""
    t1, t2 = np.asarray(theta, dtype=float)
    return np.array([2.0 * t1 + t2, t1 + 4.0 * t2])


def stretched_bowl(theta):
    """J(θ₁, θ₂) = θ₁² + 10·θ₂²: steep in θ₂, shallow in θ₁."""
    t1, t2 = np.asarray(theta, dtype=float)
    return float(t1 ** 2 + 10.0 * t2 ** 2)


def stretched_bowl_grad(theta):
    """Gradient of :func:`stretched_bowl`: [2θ₁, 20θ₂], shape (2,)."""
    t1, t2 = np.asarray(theta, dtype=float)
    return np.array([2.0 * t1, 20.0 * t2])


def bumpy(theta):
    """A non-convex surface with four minima: (θ₁² − 1)² + (θ₂² − 1)² + 0.3·θ₁·θ₂.

    Parameters
    ----------
    theta : array_like, shape (2,)
    """
    t1, t2 = np.asarray(theta, dtype=float)
    return float((t1 ** 2 - 1.0) ** 2 + (t2 ** 2 - 1.0) ** 2 + 0.3 * t1 * t2)


def bumpy_grad(theta):
    """Gradient of :func:`bumpy`, shape (2,)."""
    t1, t2 = np.asarray(theta, dtype=float)
    return np.array([4.0 * t1 * (t1 ** 2 - 1.0) + 0.3 * t2, 4.0 * t2 * (t2 ** 2 - 1.0) + 0.3 * t1])


def wiggly(theta):
    """A smooth, non-quadratic function of any number of variables: Σ sin(θᵢ)·θᵢ² + Π cos(θᵢ).

    Central and forward differences give clearly different answers on it for a
    large step h, which is what a hidden numerical-gradient test needs.

    Parameters
    ----------
    theta : array_like, shape (n,)
    """
    t = np.asarray(theta, dtype=float)
    return float(np.sum(np.sin(t) * t ** 2) + np.prod(np.cos(t)))


def cubic(theta):
    """f(θ) = Σ θᵢ³ − 2·Σ θᵢ, for any number of variables."""
    t = np.asarray(theta, dtype=float)
    return float(np.sum(t ** 3) - 2.0 * np.sum(t))
