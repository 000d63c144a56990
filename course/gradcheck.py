"""Check an analytic gradient against the cost function it claims to differentiate.

:func:`check_gradient` is the only public name. It compares ``grad_f(theta)`` with
a numerical derivative of ``f`` and returns a single number, the largest relative
error over the components, plus a printed verdict. It deliberately never returns
or prints the numerical gradient itself: computing that is an exercise of the
course (assignment 02), so the checker only says *how far off* a gradient is.

The numerical derivative uses the complex step

    ∂f/∂θₖ ≈ Im f(θ + i·h·eₖ) / h,   h = 1e-20,

which has no subtraction and is therefore exact to rounding for analytic costs
such as the MSE. A cost that does not accept complex input (it converts θ to
float, calls ``abs``, returns ``float(...)``, ...) is checked with central
differences instead, which are accurate to about 1e-9 relative.
"""

from __future__ import annotations

import math
import warnings

import numpy as np

__all__ = ["check_gradient"]


def check_gradient(f, grad_f, theta, *, h=None, method="auto", tol=None, verbose=True):
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
        The step. Defaults to 1e-20 for the complex step and to
        ``6e-6 * max(1, |θₖ|)`` per component for central differences.
    method : {"auto", "complex", "central"}
        ``"auto"`` (default) uses the complex step when ``f`` accepts complex
        input and central differences otherwise. ``"complex"`` raises
        ``TypeError`` if ``f`` cannot take complex input.
    tol : float, optional
        The largest error still reported as a match. Defaults to 1e-7 for the
        complex step and 1e-5 for central differences.
    verbose : bool
        Print a one-line verdict (default ``True``).

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
        If ``theta`` is not numeric, or ``method="complex"`` and ``f`` refuses
        complex input.

    Examples
    --------
    >>> err = check_gradient(lambda t: np.sum(t ** 2), lambda t: 2 * t, np.array([1.0, -2.0]))
    ✓ the gradient matches (max relative error 0, complex step)
    """
    if method not in ("auto", "complex", "central"):
        raise ValueError(f"method must be 'auto', 'complex' or 'central', got {method!r}")
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

    use_complex = method == "complex" or (method == "auto" and _accepts_complex(f, point, value))
    if method == "complex" and not _accepts_complex(f, point, value):
        raise TypeError("f does not accept complex input (it returned a real number or raised): "
                        "use method='central'")

    # The numerical derivative is computed one component at a time and compared at
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
            step = 6e-6 * max(1.0, abs(point[index])) if h is None else float(h)
            up, down = point.copy(), point.copy()
            up[index] += step
            down[index] -= step
            estimate = (_scalar(f(up), "f(theta)") - _scalar(f(down), "f(theta)")) / (2.0 * step)
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
    method = "complex step" if used_complex else "central differences"
    limit = (1e-7 if used_complex else 1e-5) if tol is None else float(tol)
    where = f"component {index[0] if len(shape) == 1 else index}"
    if error <= limit:
        return f"✓ the gradient matches (max relative error {error:.2g}, {method})"
    if error <= 1e-2:
        return (f"? nearly, but not quite: max relative error {error:.2g} at {where} ({method}). "
                "Too large for rounding: look for a small slip (a constant, one term).")
    return (f"✗ the gradient does not match: max relative error {error:.2g} at {where} ({method}). "
            "Check the factor 2, the 1/m, the sign of the error and the transpose.")
