"""gdcourse.plots.vectorized: every figure has the artists the notebook's readers rely on."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.plots import vectorized  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel(), "both axes need labels"


def test_public_names_are_exported_through_course_plots():
    assert set(vectorized.__all__) == {"timing_loop_vs_vectorized", "scaling_contours", "costs_by_alpha",
                                      "ridge_paths"}
    for name in vectorized.__all__:
        assert getattr(plots, name) is getattr(vectorized, name)
        assert getattr(vectorized, name).__doc__, f"{name} needs a docstring"


def test_timing_draws_two_log_log_lines_and_the_speed_up():
    sizes = [10, 100, 1000]
    fig = plots.timing_loop_vs_vectorized(sizes, [1e-4, 1e-3, 1e-2], [1e-5, 1.2e-5, 2e-5])
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert len(lines) == 2
    assert all(line.get_marker() not in (None, "None", "") for line in lines)
    np.testing.assert_allclose(lines[0].get_xdata(), sizes)
    np.testing.assert_allclose(lines[0].get_ydata(), [0.1, 1.0, 10.0])  # plotted in milliseconds
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    _labelled(ax)
    assert "ms" in ax.get_ylabel()
    assert ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any("loop" in label.lower() for label in labels) and any("vectorized" in label for label in labels)
    assert any("×500" in t.get_text() for t in ax.texts), "the speed-up at the largest m is written on the plot"


def test_timing_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        plots.timing_loop_vs_vectorized([10, 100], [1.0], [1.0, 2.0])


def _bowl(scale):
    centre = np.array([1.0, 2.0])
    return lambda t: float((t[0] - centre[0]) ** 2 + scale * (t[1] - centre[1]) ** 2)


def test_scaling_contours_two_panels_with_contours_paths_and_minimum():
    path_raw = np.array([[0.0, 0.0], [0.0, 1.9], [0.05, 2.0], [0.1, 2.0]])
    path_scaled = np.array([[0.0, 0.0], [0.8, 1.6], [1.0, 2.0]])
    calls = []

    def counted(t):
        calls.append(np.array(t))
        return _bowl(1.0)(t)

    fig = plots.scaling_contours(_bowl(100.0), path_raw, counted, path_scaled,
                                 best_raw=[1.0, 2.0], best_scaled=np.array([1.0, 2.0]),
                                 labels=("raw", "scaled"), resolution=30)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 2
    assert fig.get_suptitle()
    assert len(calls) == 30 * 30 and all(c.shape == (2,) for c in calls), "cost called once per grid point"
    for ax, path, title in zip(fig.axes, (path_raw, path_scaled), ("raw", "scaled")):
        assert ax.get_title() == title
        _labelled(ax)
        assert any(isinstance(c, ContourSet) for c in ax.collections), "a contour set per panel"
        lines = ax.get_lines()
        drawn = [line for line in lines if len(line.get_xdata()) == len(path)]
        assert drawn, "the descent path is drawn as one line"
        np.testing.assert_allclose(drawn[0].get_xdata(), path[:, 0])
        np.testing.assert_allclose(drawn[0].get_ydata(), path[:, 1])
        markers = {line.get_marker() for line in lines}
        assert {"o", "s", "*"} <= markers, "start, end and minimum are marked"
        assert ax.get_aspect() == 1.0, "equal aspect: a round bowl must look round"
        x0, x1 = ax.get_xlim()
        y0, y1 = ax.get_ylim()
        assert x0 < 0.0 < 1.0 < x1 and y0 < 0.0 < 2.0 < y1, "the view holds the path and the minimum"
        labels = [t.get_text() for t in ax.get_legend().get_texts()]
        assert "start" in labels and "minimum" in labels


def test_scaling_contours_without_minimum_and_bad_path_shape():
    fig = plots.scaling_contours(_bowl(4.0), [[0.0, 0.0], [1.0, 1.0]], _bowl(1.0), [[0.0, 0.0]], resolution=12)
    assert all("*" not in {line.get_marker() for line in ax.get_lines()} for ax in fig.axes)
    with pytest.raises(ValueError, match=r"\(k, 2\)"):
        plots.scaling_contours(_bowl(1.0), np.zeros((3, 3)), _bowl(1.0), np.zeros((3, 2)))


def test_costs_by_alpha_one_line_per_alpha_and_divergence_marked():
    k = np.arange(51)
    runs = {
        "raw features": {1e-5: 100 * 0.99 ** k + 1, 1.2e-4: 100 * 1.5 ** k},
        "standardized": {0.1: 100 * 0.5 ** k + 1, 0.5: 100 * 0.1 ** k + 1, 1.0: 100 * 3.0 ** k},
    }
    fig = plots.costs_by_alpha(runs, minimum=1.0)
    assert isinstance(fig, Figure)
    assert fig.get_suptitle()
    assert len(fig.axes) == 2
    for ax, (panel, by_alpha) in zip(fig.axes, runs.items()):
        assert ax.get_title() == panel
        assert ax.get_yscale() == "log"
        assert ax.get_xlabel()
        curves = [line for line in ax.get_lines() if line.get_label().startswith("α")]
        assert len(curves) == len(by_alpha)
        labels = [line.get_label() for line in curves]
        assert sum("diverges" in label for label in labels) == 1
        dotted = [line for line in ax.get_lines() if line.get_label() == "minimum (closed form)"]
        assert len(dotted) == 1 and np.allclose(dotted[0].get_ydata(), 1.0)
        assert ax.get_legend() is not None
    assert fig.axes[0].get_ylabel()
    assert fig.axes[0].get_ylim()[1] == pytest.approx(10 * 101), "clipped at ten times the largest start"
    converging = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(converging.get_ydata(), runs["raw features"][1e-5])


def test_costs_by_alpha_accepts_a_single_panel_and_non_finite_costs():
    with np.errstate(over="ignore"):
        exploding = np.array([1.0, 10.0, 1e200, np.inf, np.nan])
    fig = plots.costs_by_alpha({0.1: np.array([1.0, 0.5, 0.25, 0.2, 0.1]), 2.0: exploding}, log=False)
    (ax,) = fig.axes
    assert ax.get_yscale() == "linear"
    labels = [line.get_label() for line in ax.get_lines()]
    assert labels == ["α = 0.1", "α = 2  (diverges)"]


def test_ridge_paths_draws_one_line_per_parameter_on_a_log_lambda_axis():
    lams = [0.01, 0.1, 1.0, 10.0]
    thetas = [[5.0, 2.0, -1.0], [5.0, 1.8, -0.9], [5.0, 1.0, -0.5], [5.0, 0.2, -0.1]]
    fig = plots.ridge_paths(lams, thetas)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_xlabel() and ax.get_ylabel()
    assert len([line for line in ax.get_lines() if len(line.get_xdata()) == 4]) == 3
    with pytest.raises(ValueError, match="shape"):
        plots.ridge_paths(lams, thetas[:2])
    with pytest.raises(ValueError, match="positive"):
        plots.ridge_paths([0.0, 1.0], thetas[:2])
