"""Figures of gdcourse.plots.partial (02_partial_derivatives) have the artists they promise."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from gdcourse import costs, plots  # noqa: E402
from gdcourse.plots import partial  # noqa: E402


def _path(theta0, alpha, n_iters, grad):
    """A descent path built here, for drawing only (the tests' own data)."""
    rows = [np.asarray(theta0, dtype=float)]
    for _ in range(n_iters):
        rows.append(rows[-1] - alpha * grad(rows[-1]))
    return np.array(rows)


def _bowl(theta):
    return float(theta[0] ** 2 + theta[1] ** 2)


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _contour_sets(ax):
    return [c for c in ax.collections if isinstance(c, ContourSet)]


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel()
    assert ax.get_title().strip()


def test_all_is_exported():
    assert set(partial.__all__) == {"contour_descent", "update_order_paths",
                                    "finite_difference_errors", "paths_from_starts", "valley_paths"}
    for name in partial.__all__:
        assert getattr(plots, name) is getattr(partial, name)


def test_contour_descent_draws_contours_path_and_components():
    path = _path([3.0, 4.0], 0.1, 8, lambda t: 2 * t)
    fig = plots.contour_descent(_bowl, path)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    _labelled(ax)
    assert len(_contour_sets(ax)) == 2  # filled and line contours
    drawn = [line for line in ax.get_lines() if len(line.get_xdata()) == len(path)]
    assert drawn, "the descent path is drawn as one line through every row"
    np.testing.assert_allclose(drawn[0].get_xydata(), path)
    arrows = [t for t in ax.texts if isinstance(t, Annotation) and t.arrow_patch is not None]
    assert len(arrows) == 2, "one arrow per coordinate of the first step"
    # the θ₁ arrow is horizontal, the θ₂ arrow vertical, and together they make the step
    starts = [np.asarray(a.xyann) for a in arrows]  # xytext, in data coordinates
    ends = [np.asarray(a.xy) for a in arrows]
    np.testing.assert_allclose(starts[0], path[0])
    np.testing.assert_allclose(ends[1], path[1])
    assert ends[0][1] == pytest.approx(path[0][1]) and ends[0][0] == pytest.approx(path[1][0])
    labels = [t.get_text() for t in ax.texts if t.get_text()]
    assert any("theta_1" in s for s in labels) and any("theta_2" in s for s in labels)
    assert any("-0.6" in s for s in labels) and any("-0.8" in s for s in labels)
    assert ax.get_legend() is not None


def test_contour_descent_without_components_and_custom_title():
    path = _path([1.0, -2.0], 0.2, 5, costs.coupled_bowl_grad)
    fig = plots.contour_descent(costs.coupled_bowl, path, show_components=False, title="my title",
                                extent=(-3, 3, -3, 3))
    ax = fig.axes[0]
    assert ax.get_title() == "my title"
    assert not [t for t in ax.texts if isinstance(t, Annotation)]
    assert ax.get_xlim() == (-3, 3)


def test_contour_descent_rejects_a_wrong_shape():
    with pytest.raises(ValueError, match="shape"):
        plots.contour_descent(_bowl, np.zeros((2, 5)))


def test_update_order_paths_draws_both_paths():
    simultaneous = _path([3.0, 2.0], 0.2, 6, costs.coupled_bowl_grad)
    sequential = simultaneous + 0.05  # any second path: the figure only draws it
    fig = plots.update_order_paths(costs.coupled_bowl, simultaneous, sequential)
    ax = fig.axes[0]
    _labelled(ax)
    assert len(_contour_sets(ax)) == 2
    labels = [line.get_label() for line in ax.get_lines()]
    assert any("simultaneous" in s for s in labels) and any("sequential" in s for s in labels)
    staircase = [line for line in ax.get_lines() if len(line.get_xdata()) == 2 * len(sequential) - 1]
    assert staircase, "the sequential path is drawn as a staircase (one move per coordinate)"
    xy = staircase[0].get_xydata()
    np.testing.assert_allclose(xy[::2], sequential)
    np.testing.assert_allclose(xy[1::2, 1], sequential[:-1, 1])  # θ₁ moves first
    assert len(ax.get_legend().get_texts()) == 3


def test_finite_difference_errors_is_log_log_with_one_line_per_method():
    h = np.logspace(-10, -1, 10)
    errors = {"central": h ** 2, "forward": h, "exact": np.zeros_like(h)}
    fig = plots.finite_difference_errors(h, errors)
    ax = fig.axes[0]
    _labelled(ax)
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    labels = [line.get_label() for line in ax.get_lines()]
    assert {"central", "forward", "exact"} <= set(labels)
    assert any("default h" in s for s in labels)
    exact = next(line for line in ax.get_lines() if line.get_label() == "exact")
    assert np.all(np.isnan(exact.get_ydata()))  # zeros cannot sit on a log axis
    fig = plots.finite_difference_errors(h, {"central": h ** 2}, mark_h=None)
    assert len(fig.axes[0].get_lines()) == 1


def test_finite_difference_errors_checks_lengths():
    with pytest.raises(ValueError, match="shape"):
        plots.finite_difference_errors(np.logspace(-5, -1, 4), {"central": [1.0, 2.0]})


def test_paths_from_starts_draws_every_path_with_start_and_end():
    starts = [(-0.3, 1.8), (1.8, 0.4), (0.2, -1.9)]
    paths = [_path(s, 0.05, 30, costs.bumpy_grad) for s in starts]
    fig = plots.paths_from_starts(costs.bumpy, paths)
    ax = fig.axes[0]
    _labelled(ax)
    assert len(_contour_sets(ax)) == 2
    lines = ax.get_lines()
    assert len(lines) == 3 * len(paths)  # path, start marker, end marker
    assert sum(line.get_marker() == "*" for line in lines) == len(paths)
    assert sum(line.get_marker() == "o" for line in lines) == len(paths)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(legend) == len(paths) and all("→" in s for s in legend)
    with pytest.raises(ValueError):
        plots.paths_from_starts(costs.bumpy, [])


def _banana(theta):
    return float((1 - theta[0]) ** 2 + 100 * (theta[1] - theta[0] ** 2) ** 2)


def test_valley_paths_draws_log_contours_and_survives_a_diverged_run():
    creeping = np.array([[-1.5, 2.0], [-1.2, 1.5], [-1.0, 1.0]])
    diverged = np.array([[-1.5, 2.0], [3.0, -5.0], [np.inf, np.nan]])
    fig = plots.valley_paths(_banana, {"α small": creeping, "α too large": diverged}, minimum=(1.0, 1.0))
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    _labelled(ax)
    levels = _contour_sets(ax)[0].levels
    assert len(levels) > 3 and levels[-1] / levels[0] > 100  # log-spaced rings, not linear ones
    assert {line.get_label() for line in ax.get_lines()} >= {"α small", "α too large"}
