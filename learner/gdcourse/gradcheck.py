"""Check an analytic gradient against the cost function it claims to differentiate.

:func:`check_gradient` is the only public name. It compares ``grad_f(theta)`` with
a numerical derivative of ``f`` and returns a single number, the largest relative
error over the components, plus a printed verdict. It deliberately never returns
or prints the numerical gradient itself: computing one by finite differences is an
exercise of the course (Notebook 2's ``numerical_gradient``), so the checker only
says *how far off* a gradient is, and holds no finite-difference code at all.

The numerical derivative uses the complex step

    ∂f/∂θₖ ≈ Im f(θ + i·h·eₖ) / h,   h = 1e-20,

which has no subtraction and is therefore exact to rounding for analytic costs
such as the MSE. A cost that does not accept complex input (it converts θ to
float, calls ``abs``, returns ``float(...)``, ...) is checked with the learner's
own ``numerical_gradient``, passed as ``numerical=``.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

__all__ = ["check_gradient"]


def check_gradient(f, grad_f, theta, *, h=None, method="auto", tol=None, verbose=True, numerical=None):
    """Compare an analytic gradient with a numerical derivative of ``f``.

    Parameters
    ----------
    f : callable
        The cost, ``f(theta) -> float``. To check a cost with data, fix the data
        with a lambda, e.g. ``lambda t: mse(t, X, y)``.
    grad_f : callable
        The gradient to check, ``grad_f(theta) -> ndarray`` with ``theta``'s shape.
    theta : array_like, shape (n,) or any shape with at least one element
        The point where the two are compared. Never modified; ``f`` and ``grad_f``
        each receive their own copies.
    h : float, optional
        The step of the complex step. Defaults to 1e-20.
    method : {"auto", "complex", "numerical"}
        ``"auto"`` (default) uses the complex step when ``f`` accepts complex
        input and ``numerical`` otherwise. ``"complex"`` raises ``TypeError`` if
        ``f`` cannot take complex input; ``"numerical"`` always uses ``numerical``.
    tol : float, optional
        The largest error still reported as a match. Defaults to 1e-7 for the
        complex step and 1e-5 for ``numerical``.
    verbose : bool
        Print a one-line verdict (default ``True``).
    numerical : callable, optional
        Your own ``numerical_gradient(f, theta)`` (Notebook 2), for a cost that
        refuses complex input.

    Returns
    -------
    float
        The maximum relative error over the components,
        ``max_k |aₖ − nₖ| / max(|aₖ|, |nₖ|, floor)`` with ``a`` the analytic and
        ``n`` the numerical gradient. About 1e-16 for a right gradient with the
        complex step; 0.5 or more for a gradient off by a factor of 2. The floor,
        ``1e-8 · max(1, largest component)``, keeps components that are zero
        from producing meaningless ratios.

    Raises
    ------
    ValueError
        If ``theta`` is empty or not finite, if ``f`` does not return a single
        number, or if ``grad_f`` returns an array of the wrong shape.
    TypeError
        If ``theta`` is not numeric, or ``f`` refuses complex input and no
        ``numerical`` is given (or ``method="complex"``).

    Examples
    --------
    >>> err = check_gradient(lambda t: np.sum(t ** 2), lambda t: 2 * t, np.array([1.0, -2.0]))
    ✓ the gradient matches (max relative error 0, complex step)
    """
    if method not in ("auto", "complex", "numerical"):
        raise ValueError(f"method must be 'auto', 'complex' or 'numerical', got {method!r}")
    if not callable(f) or not callable(grad_f):
        raise TypeError("f and grad_f must both be functions of theta")
    point = _as_point(theta)

    analytic = grad_f(point.copy())
    try:
        analytic = np.array(analytic, dtype=float)
    except (TypeError, ValueError):
        raise TypeError(f"grad_f must return a numeric array, got {type(analytic).__name__}") from None
    if analytic.shape != point.shape:
        hint = ""
        if analytic.size == point.size:
            hint = " (same numbers, different shape: a column vector for a 1-D θ? flatten it)"
        raise ValueError(f"grad_f returned an array of shape {analytic.shape}, but theta has shape "
                         f"{point.shape}: a gradient has one component per parameter{hint}")
    if not np.all(np.isfinite(analytic)):
        raise ValueError("grad_f returned NaN or infinity")
    value = _scalar(f(point.copy()), "f(theta)")

    use_complex = method != "numerical" and _accepts_complex(f, point, value)
    if not use_complex and (method == "complex" or numerical is None):
        raise TypeError("f does not accept complex input (it converts θ to float, or uses abs or comparisons), "
                        "so the complex step cannot check it: pass your own numerical gradient from Notebook 2, "
                        "check_gradient(f, grad_f, theta, numerical=numerical_gradient)")
    if not use_complex:
        estimates = np.asarray(numerical(f, point.copy()), dtype=float)
        if estimates.shape != point.shape:
            raise ValueError(f"numerical(f, theta) returned shape {estimates.shape}, not theta's {point.shape}")

    # The complex-step derivative is computed one component at a time and compared at
    # once; only the differences are kept, never the estimates themselves.
    indices = list(np.ndindex(point.shape))
    differences = np.empty(len(indices))
    sizes = np.empty(len(indices))  # max(|analytic|, |numerical|) per component
    for k, index in enumerate(indices):
        if use_complex:
            step = 1e-20 if h is None else float(h)
            shifted = point.astype(complex)
            shifted[index] += 1j * step
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                estimate = _scalar(f(shifted), "f(theta)", allow_complex=True).imag / step
        else:
            estimate = float(estimates[index])
        differences[k] = abs(analytic[index] - estimate)
        sizes[k] = max(abs(analytic[index]), abs(estimate))
    floor = 1e-8 * max(1.0, float(np.max(sizes)))
    ratios = differences / np.maximum(sizes, floor)
    worst_k = int(np.argmax(ratios))
    worst, worst_index = float(ratios[worst_k]), indices[worst_k]

    if not math.isfinite(worst):
        raise ValueError("f returned NaN or infinity near theta")
    if verbose:
        print(_verdict(worst, worst_index, point.shape, use_complex, tol))
    return worst


def _as_point(theta) -> np.ndarray:
    try:
        point = np.array(theta, dtype=float)  # a copy: the caller's array is never touched
    except (TypeError, ValueError):
        raise TypeError(f"theta must be a number or an array of numbers, got {type(theta).__name__}") from None
    if np.iscomplexobj(theta):
        raise TypeError("theta must be real")
    if point.size == 0:
        raise ValueError(f"theta is empty (shape {point.shape}): there is nothing to differentiate")
    if not np.all(np.isfinite(point)):
        raise ValueError("theta contains NaN or infinity")
    return point


def _scalar(value, what: str, allow_complex: bool = False):
    """``value`` as one real (or complex) number, or a clear error."""
    arr = np.asarray(value)
    if arr.size != 1:
        raise ValueError(f"{what} must return a single number (the cost), got an array of shape {arr.shape}")
    item = arr.reshape(()).item()
    if isinstance(item, complex):
        return item if allow_complex else item.real
    try:
        return float(item)
    except (TypeError, ValueError):
        raise TypeError(f"{what} must return a number, got {type(value).__name__}") from None


def _accepts_complex(f, point: np.ndarray, value: float) -> bool:
    """Whether f carries a complex perturbation through to its result."""
    probe = point.astype(complex)
    probe.flat[0] += 1e-20j
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", np.exceptions.ComplexWarning)
            out = np.asarray(f(probe))
    except Exception:  # converts to float, uses abs/round/comparisons, ...
        return False
    if out.size != 1 or not np.iscomplexobj(out):
        return False
    real = complex(out.reshape(()).item()).real
    return math.isclose(real, value, rel_tol=1e-9, abs_tol=1e-12)


def _verdict(error: float, index, shape, used_complex: bool, tol) -> str:
    method = "complex step" if used_complex else "your numerical gradient"
    limit = (1e-7 if used_complex else 1e-5) if tol is None else float(tol)
    where = f"component {index[0] if len(shape) == 1 else index}"
    if error <= limit:
        return f"✓ the gradient matches (max relative error {error:.2g}, {method})"
    if error <= 1e-2:
        return (f"? nearly, but not quite: max relative error {error:.2g} at {where} ({method}). "
                "Too large for rounding: look for a small slip (a constant, one term).")
    return (f"✗ the gradient does not match: max relative error {error:.2g} at {where} ({method}). "
            "Check the factor 2, the 1/m, the sign of the error and the transpose.")
