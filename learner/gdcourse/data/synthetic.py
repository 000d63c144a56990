"""Seeded synthetic data sets: the same numbers on every machine."""

from __future__ import annotations

import numpy as np


def make_line_data(m=50, intercept=4.0, slope=3.0, noise=1.0, x_range=(0.0, 2.0), seed=0):
    """Points scattered around the line y = intercept + slope·x.

    Parameters
    ----------
    m : int
        Number of examples.
    intercept, slope : float
        The true line.
    noise : float
        Standard deviation of the Gaussian noise added to y.
    x_range : (float, float)
        x is drawn uniformly from this interval.
    seed : int
        Seed of the random generator.

    Returns
    -------
    x, y : ndarray, shape (m,)
    """
    if m < 1:
        raise ValueError(f"m must be at least 1, got {m}")
    rng = np.random.default_rng(seed)
    x = rng.uniform(x_range[0], x_range[1], size=m)
    y = intercept + slope * x + rng.normal(0.0, noise, size=m)
    return x, y


def make_regression_data(m=100, n_features=2, noise=0.5, scales=None, seed=0):
    """A linear-regression problem with several features.

    Parameters
    ----------
    m : int
        Number of examples.
    n_features : int
        Number of features (columns of X, without the bias column).
    noise : float
        Standard deviation of the Gaussian noise added to y.
    scales : sequence of float, optional
        Spread of each feature; unequal scales make the cost contours long and
        narrow (see feature scaling). Defaults to 1 for every feature.
    seed : int

    Returns
    -------
    X : ndarray, shape (m, n_features)
    y : ndarray, shape (m,)
    true_theta : ndarray, shape (n_features + 1,)
        The intercept first, then one weight per feature.
    """
    if m < 1 or n_features < 1:
        raise ValueError(f"need m >= 1 and n_features >= 1, got m={m}, n_features={n_features}")
    rng = np.random.default_rng(seed)
    scales = np.ones(n_features) if scales is None else np.asarray(scales, dtype=float)
    if scales.shape != (n_features,):
        raise ValueError(f"scales must have shape ({n_features},), got {scales.shape}")
    X = rng.normal(0.0, 1.0, size=(m, n_features)) * scales
    true_theta = np.round(rng.uniform(-3.0, 3.0, size=n_features + 1), 1)
    y = true_theta[0] + X @ true_theta[1:] + rng.normal(0.0, noise, size=m)
    return X, y, true_theta
