"""The regression notebook's figures: each call draws the expected artists and labels."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import LineCollection  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.plots import regression  # noqa: E402

X = np.array([0.0, 1.0, 2.0, 3.5])
Y = np.array([1.2, 2.9, 5.3, 7.8])


def line(theta0, theta1, x):
    """A stand-in for the learner's h (test data only)."""
    return theta0 + theta1 * x


def squared(theta0, theta1, x, y):
    """A stand-in for the learner's mse (test data only)."""
    return float(np.mean((theta0 + theta1 * x - y) ** 2))


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _only_axes(fig):
    """The main axes (colour bars excluded)."""
    axes = [ax for ax in fig.axes if ax.get_label() != "<colorbar>"]
    assert len(axes) == 1
    return axes[0]


def test_every_function_is_exported_through_course_plots():
    for name in regression.__all__:
        assert getattr(plots, name) is getattr(regression, name)
    assert set(regression.__all__) == {"plot_fit", "plot_costs", "plot_cost_surface", "plot_cost_slice",
                                       "plot_example_gradients"}


def test_plot_fit_data_only():
    fig = plots.plot_fit(X, Y, xlabel="GNP", ylabel="jobs")
    assert isinstance(fig, Figure)
    ax = _only_axes(fig)
    assert len(ax.lines) == 1
    marker_line = ax.lines[0]
    assert marker_line.get_marker() == "o" and marker_line.get_linestyle() == "None"
    np.testing.assert_allclose(marker_line.get_xdata(), X)
    np.testing.assert_allclose(marker_line.get_ydata(), Y)
    assert ax.get_xlabel() == "GNP" and ax.get_ylabel() == "jobs"
    assert ax.get_title()
    assert not [c for c in ax.collections if isinstance(c, LineCollection)]


def test_plot_fit_line_and_residuals_come_from_the_given_h():
    calls = []

    def h(theta0, theta1, x):
        calls.append((theta0, theta1))
        return line(theta0, theta1, x)

    fig = plots.plot_fit(X, Y, h, 1.0, 2.0)
    ax = _only_axes(fig)
    assert calls and all(c == (1.0, 2.0) for c in calls)
    fitted = ax.lines[1]
    np.testing.assert_allclose(fitted.get_ydata(), 1.0 + 2.0 * fitted.get_xdata())
    segments = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert len(segments) == 1
    paths = segments[0].get_segments()
    assert len(paths) == X.size
    for (x0, y0), (x1, y1) in (p[:2] for p in paths):
        assert x0 == x1                      # vertical
    ends = sorted(tuple(sorted((p[0][1], p[1][1]))) for p in paths)
    expected = sorted(tuple(sorted((yi, 1.0 + 2.0 * xi))) for xi, yi in zip(X, Y))
    np.testing.assert_allclose(ends, expected)
    assert "squared" in ax.get_title().lower()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("data" in t for t in labels) and any("h(x)" in t for t in labels)


def test_plot_fit_compare_lines_are_dashed_and_residuals_optional():
    fig = plots.plot_fit(X, Y, line, 1.0, 2.0, residuals=False, compare={"planted": (0.5, 2.0)}, title="T")
    ax = _only_axes(fig)
    assert ax.get_title() == "T"
    assert not [c for c in ax.collections if isinstance(c, LineCollection)]
    dashed = [ln for ln in ax.lines if ln.get_linestyle() == "--"]
    assert len(dashed) == 1 and dashed[0].get_label() == "planted"


def test_plot_fit_rejects_bad_input():
    with pytest.raises(ValueError):
        plots.plot_fit(X, Y[:-1])
    with pytest.raises(ValueError):
        plots.plot_fit(X, Y, line)                      # no θ given


def test_plot_costs_one_curve_log_scale():
    costs = np.array([10.0, 4.0, 2.0, 1.5, 1.2])
    fig = plots.plot_costs(costs)
    ax = _only_axes(fig)
    assert len(ax.lines) == 1
    np.testing.assert_allclose(ax.lines[0].get_xdata(), np.arange(costs.size))
    np.testing.assert_allclose(ax.lines[0].get_ydata(), costs)
    assert ax.get_yscale() == "log"
    assert "iteration" in ax.get_xlabel() and ax.get_ylabel() and ax.get_title()


def test_plot_costs_several_labelled_curves_and_divergence():
    runs = {"α = 0.1": np.linspace(5, 1, 6), "α = 2": np.array([1.0, 10.0, 1e3, 1e200, np.inf, np.nan])}
    fig = plots.plot_costs(runs, logy=False, title="Which α?")
    ax = _only_axes(fig)
    assert [ln.get_label() for ln in ax.lines] == list(runs)
    assert ax.get_yscale() == "linear" and ax.get_title() == "Which α?"
    assert np.isnan(ax.lines[1].get_ydata()[-2])        # infinity is not drawn
    assert [t.get_text() for t in ax.get_legend().get_texts()] == list(runs)


def test_plot_cost_surface_calls_the_given_cost_and_draws_paths():
    calls = []

    def cost(theta0, theta1, x, y):
        calls.append(1)
        return squared(theta0, theta1, x, y)

    path_a = np.array([[0.0, 0.0], [0.5, 1.0], [0.9, 1.8]])
    path_b = path_a + 0.01
    fig = plots.plot_cost_surface(cost, X, Y, {"a": path_a, "b": path_b}, n=15, levels=8)
    assert len(calls) == 15 * 15
    ax = fig.axes[0]
    assert ax.collections, "expected contour lines"
    assert len(fig.axes) == 2                            # the colour bar
    labelled = [ln for ln in ax.lines if ln.get_label() in ("a", "b")]
    assert len(labelled) == 2
    np.testing.assert_allclose(labelled[0].get_xdata(), path_a[:, 0])
    np.testing.assert_allclose(labelled[0].get_ydata(), path_a[:, 1])
    assert any(ln.get_marker() == "*" for ln in ax.lines)    # end points
    assert "θ₀" in ax.get_xlabel() and "θ₁" in ax.get_ylabel() and ax.get_title()
    lo, hi = ax.get_xlim()
    assert lo < 0.0 and hi > 0.91                         # window taken from the paths


def test_plot_cost_surface_window_and_single_path():
    fig = plots.plot_cost_surface(squared, X, Y, np.array([[0.0, 0.0], [1.0, 2.0]]),
                                  theta0_range=(-2, 3), theta1_range=(-1, 4), n=10, title="valley")
    ax = fig.axes[0]
    assert ax.get_xlim() == (-2.0, 3.0) and ax.get_ylim() == (-1.0, 4.0)
    assert ax.get_title() == "valley"
    assert any(ln.get_label() == "descent path" for ln in ax.lines)
    with pytest.raises(ValueError):
        plots.plot_cost_surface(squared, X, Y)            # no window, no path


def test_plot_cost_slice_marks_each_minimum():
    grid = np.linspace(-1.0, 3.0, 41)
    full = (grid - 1.0) ** 2 + 0.5
    fig = plots.plot_cost_slice(grid, {"J": full, "J½": full / 2}, theta0=2.0)
    ax = _only_axes(fig)
    curves = [ln for ln in ax.lines if ln.get_label() in ("J", "J½")]
    assert len(curves) == 2
    markers = [ln for ln in ax.lines if ln.get_marker() == "v"]
    assert len(markers) == 2
    assert all(np.isclose(m.get_xdata()[0], 1.0) for m in markers)
    assert "θ₁" in ax.get_xlabel() and "2" in ax.get_xlabel()
    assert ax.get_ylabel() and ax.get_title()
    with pytest.raises(ValueError):
        plots.plot_cost_slice(grid, {"J": full[:-1]})


def test_plot_example_gradients_points_average_and_highlight():
    g0 = np.array([1.0, -2.0, 0.5, 10.0])
    g1 = np.array([0.5, -1.0, 0.0, 4.0])
    fig = plots.plot_example_gradients(g0, g1, highlight=3)
    ax = _only_axes(fig)
    points = [ln for ln in ax.lines if ln.get_marker() == "o"]
    assert len(points) == 1 and len(points[0].get_xdata()) == 3
    highlighted = [ln for ln in ax.lines if ln.get_marker() == "D"]
    assert len(highlighted) == 1 and highlighted[0].get_xdata()[0] == 10.0
    star = [ln for ln in ax.lines if ln.get_marker() == "*"]
    assert len(star) == 1
    np.testing.assert_allclose([star[0].get_xdata()[0], star[0].get_ydata()[0]], [g0.mean(), g1.mean()])
    assert "θ₀" in ax.get_xlabel() and "θ₁" in ax.get_ylabel() and ax.get_title()
    with pytest.raises(ValueError):
        plots.plot_example_gradients(g0, g1[:-1])


def test_plots_return_figures_without_showing(monkeypatch):
    shown = []
    monkeypatch.setattr(plt, "show", lambda *a, **k: shown.append(1))
    figs = [plots.plot_fit(X, Y, line, 1.0, 2.0), plots.plot_costs([3.0, 2.0, 1.0]),
            plots.plot_cost_slice([0.0, 1.0, 2.0], {"J": [1.0, 0.0, 1.0]}),
            plots.plot_example_gradients([1.0, 2.0], [0.0, 1.0]),
            plots.plot_cost_surface(squared, X, Y, theta0_range=(0, 1), theta1_range=(0, 1), n=5)]
    assert all(isinstance(f, Figure) for f in figs)
    assert not shown
