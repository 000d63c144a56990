"""gdcourse.gradcheck: a gradient checker that reports an error, never a gradient."""

from __future__ import annotations

import numpy as np
import pytest

from gdcourse import costs, gradcheck
from gdcourse.gradcheck import check_gradient


def _problem(m=25, n=3, seed=4):
    rng = np.random.default_rng(seed)
    X = np.column_stack([np.ones(m), rng.normal(size=(m, n))])
    y = rng.normal(size=m)
    return X, y


def _mse(X, y):
    return lambda t: np.mean((X @ t - y) ** 2)


def _grad(X, y):
    return lambda t: 2.0 / len(y) * X.T @ (X @ t - y)


def test_right_gradient_gives_a_tiny_error_with_the_complex_step(capsys):
    X, y = _problem()
    err = check_gradient(_mse(X, y), _grad(X, y), np.array([0.5, -1.0, 2.0, 0.25]))
    assert isinstance(err, float)
    assert err < 1e-12
    out = capsys.readouterr().out
    assert "✓" in out and "complex step" in out


@pytest.mark.parametrize("factor", [2.0, 0.5, -1.0])
def test_gradient_off_by_a_factor_gives_a_large_error(factor, capsys):
    X, y = _problem()
    wrong = lambda t: factor * _grad(X, y)(t)  # noqa: E731
    err = check_gradient(_mse(X, y), wrong, np.array([0.5, -1.0, 2.0, 0.25]))
    assert err >= 0.5
    assert "✗" in capsys.readouterr().out


def test_a_missing_transpose_is_caught_on_a_square_problem():
    X, y = _problem(m=4, n=3)
    wrong = lambda t: 2.0 / len(y) * X @ (X @ t - y)  # noqa: E731
    assert check_gradient(_mse(X, y), wrong, np.array([1.0, 2.0, -1.0, 0.5]), verbose=False) > 1e-2


def test_theta_is_never_modified():
    X, y = _problem()
    theta = np.array([0.5, -1.0, 2.0, 0.25])
    before = theta.copy()

    def nasty_grad(t):
        g = _grad(X, y)(t)
        t += 100.0  # a gradient that scribbles on its input must not reach the caller
        return g

    check_gradient(_mse(X, y), nasty_grad, theta, verbose=False)
    check_gradient(_mse(X, y), _grad(X, y), theta, method="numerical", numerical=central, verbose=False)
    np.testing.assert_array_equal(theta, before)


def central(f, theta, h=1e-6):
    """A learner's numerical gradient (02's exercise), written here as a test input."""
    out = np.zeros_like(theta, dtype=float)
    for i in range(theta.size):
        step = np.zeros_like(theta, dtype=float)
        step.flat[i] = h
        out.flat[i] = (f(theta + step) - f(theta - step)) / (2 * h)
    return out


def test_integer_theta_and_lists_are_accepted_and_left_alone():
    theta = [1, -2]
    err = check_gradient(costs.coupled_bowl, costs.coupled_bowl_grad, theta, numerical=central, verbose=False)
    assert err < 1e-8 and theta == [1, -2]


def test_a_cost_that_refuses_complex_input_needs_the_learners_numerical_gradient(capsys):
    # coupled_bowl converts theta to float, which would silently drop the complex step
    with pytest.raises(TypeError, match="numerical=numerical_gradient"):
        check_gradient(costs.coupled_bowl, costs.coupled_bowl_grad, np.array([1.5, -0.5]))
    err = check_gradient(costs.coupled_bowl, costs.coupled_bowl_grad, np.array([1.5, -0.5]), numerical=central)
    assert err < 1e-6
    assert "your numerical gradient" in capsys.readouterr().out
    X, y = _problem()
    as_float = lambda t: float(np.mean((X @ np.asarray(t, dtype=float) - y) ** 2))  # noqa: E731
    assert check_gradient(as_float, _grad(X, y), np.array([0.1, 0.2, 0.3, 0.4]), numerical=central,
                          verbose=False) < 1e-6
    assert check_gradient(as_float, lambda t: 2 * _grad(X, y)(t), np.zeros(4), numerical=central,
                          verbose=False) > 0.4


def test_the_checker_holds_no_finite_difference_of_its_own():
    import inspect

    from gdcourse import gradcheck

    source = inspect.getsource(gradcheck)
    assert "f(up)" not in source and "/ (2.0 * step)" not in source and "central" not in source.lower()


def test_complex_method_refuses_a_cost_that_drops_the_imaginary_part():
    with pytest.raises(TypeError, match="complex"):
        check_gradient(costs.coupled_bowl, costs.coupled_bowl_grad, np.array([1.0, 2.0]), method="complex")


def test_the_learners_numerical_gradient_can_be_forced():
    X, y = _problem()
    err = check_gradient(_mse(X, y), _grad(X, y), np.ones(4), method="numerical", numerical=central, verbose=False)
    assert 0 < err < 1e-6


def test_zero_components_do_not_raise_false_alarms():
    # at the minimiser of a separable bowl one component of the gradient is exactly 0
    f = lambda t: np.sum((t - np.array([0.0, 3.0])) ** 2)  # noqa: E731
    g = lambda t: 2 * (t - np.array([0.0, 3.0]))  # noqa: E731
    assert check_gradient(f, g, np.array([0.0, 1.0]), verbose=False) < 1e-12
    assert check_gradient(lambda t: float(f(t)), g, np.array([0.0, 1.0]), numerical=central, verbose=False) < 1e-6


def test_bad_shapes_raise_clear_errors():
    X, y = _problem()
    with pytest.raises(ValueError, match=r"shape \(4, 1\).*theta has shape \(4,\)"):
        check_gradient(_mse(X, y), lambda t: _grad(X, y)(t).reshape(-1, 1), np.zeros(4))
    with pytest.raises(ValueError, match="single number"):
        check_gradient(lambda t: X @ t - y, _grad(X, y), np.zeros(4))
    with pytest.raises(ValueError, match="empty"):
        check_gradient(_mse(X, y), _grad(X, y), np.array([]))
    with pytest.raises(ValueError, match="shape"):
        check_gradient(_mse(X, y), lambda t: np.zeros(3), np.zeros(4))
    with pytest.raises(ValueError, match="NaN"):
        check_gradient(_mse(X, y), _grad(X, y), np.array([0.0, np.nan, 0.0, 0.0]))
    with pytest.raises(TypeError):
        check_gradient(_mse(X, y), _grad(X, y), "theta")
    with pytest.raises(ValueError, match="method"):
        check_gradient(_mse(X, y), _grad(X, y), np.zeros(4), method="forward")


def test_size_one_cost_arrays_are_accepted():
    X, y = _problem()
    r = lambda t: (X @ t - y).reshape(-1, 1)  # noqa: E731
    as_column = lambda t: r(t).T @ r(t) / len(y)  # shape (1, 1), as column-vector code gives  # noqa: E731
    assert check_gradient(as_column, _grad(X, y), np.ones(4), verbose=False) < 1e-12


def test_the_numerical_gradient_is_never_handed_out(capsys):
    f = lambda t: np.sum(np.array([1.234567, 7.654321]) * t ** 2)  # noqa: E731
    theta = np.array([1.0, 1.0])  # numerical gradient = [2.469134, 15.308642]
    result = check_gradient(f, lambda t: np.zeros(2), theta)
    assert isinstance(result, float)
    out = capsys.readouterr().out
    for digits in ("2.469", "15.30", "15.31", "2.47"):
        assert digits not in out
    # the module offers one function, and it returns a number
    public = [name for name in dir(gradcheck) if not name.startswith("_") and callable(getattr(gradcheck, name))]
    assert gradcheck.__all__ == ["check_gradient"]
    assert public == ["check_gradient"]
