"""Cost functions handed to learners (and to hidden tests) as given material.

None of these, nor any of their gradients, is a graded exercise. They are here so that
notebooks, hidden tests and practice checks can use the same, documented surfaces: a
separable bowl, a coupled bowl where a sequential update gives different numbers, a
bumpy surface with several minima, and two one-variable costs whose derivatives are
passed as ``grad`` to the first notebook's update rules.
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


def quartic(theta):
    """J(θ) = θ⁴, element-wise: flat near its minimum, so descent slows down there."""
    return np.power(np.asarray(theta, dtype=float), 4)


def quartic_grad(theta):
    """Derivative of :func:`quartic`: 4θ³, element-wise."""
    return 4.0 * np.power(np.asarray(theta, dtype=float), 3)


def shifted_parabola(theta):
    """J(θ) = (θ − 1)², element-wise: a parabola whose minimum is at θ = 1."""
    return (np.asarray(theta, dtype=float) - 1.0) ** 2


def shifted_parabola_grad(theta):
    """Derivative of :func:`shifted_parabola`: 2(θ − 1), element-wise."""
    return 2.0 * (np.asarray(theta, dtype=float) - 1.0)
