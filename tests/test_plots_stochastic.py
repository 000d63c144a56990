"""gdcourse.plots.stochastic: every figure has the artists the notebook's readers rely on."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.plots import stochastic  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel(), "both axes need labels"


def test_public_names_are_exported_through_course_plots():
    assert set(stochastic.__all__) == {"costs_by_batch_size", "sgd_paths", "cost_curves", "diagnosed_curves"}
    for name in stochastic.__all__:
        assert getattr(plots, name) is getattr(stochastic, name)
        assert getattr(stochastic, name).__doc__, f"{name} needs a docstring"


def test_costs_by_batch_size_draws_each_run_against_epochs_and_against_updates():
    k = np.arange(6)
    runs = {"batch size 1": (2.0 + 10 * 0.2 ** k, 50), "batch size 16": (2.0 + 10 * 0.5 ** k, 4),
            "batch size 50": (2.0 + 10 * 0.9 ** k, 1)}
    fig = plots.costs_by_batch_size(runs, minimum=2.0)
    assert isinstance(fig, Figure) and fig.get_suptitle()
    by_epoch, by_update = fig.axes
    for ax in (by_epoch, by_update):
        _labelled(ax)
        assert ax.get_title() and ax.get_yscale() == "log"
        assert [t.get_text() for t in ax.get_legend().get_texts()] == list(runs)
    assert by_update.get_xscale() == "log"
    assert "J_min" in by_epoch.get_ylabel(), "with a minimum the axis shows the cost above it"
    for line, (costs, _) in zip(by_epoch.get_lines(), runs.values()):
        np.testing.assert_allclose(line.get_xdata(), k)
        np.testing.assert_allclose(line.get_ydata(), costs - 2.0)
    updates = [line.get_xdata() for line in by_update.get_lines()]
    np.testing.assert_allclose(updates[0], [0.5, 50, 100, 150, 200, 250])  # the start drawn at ½ update
    np.testing.assert_allclose(updates[2], [0.5, 1, 2, 3, 4, 5])


def test_costs_by_batch_size_without_minimum_and_bad_input():
    fig = plots.costs_by_batch_size({"b": (np.array([4.0, 2.0, 1.0]), 3)})
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [4.0, 2.0, 1.0])
    assert "J_min" not in fig.axes[0].get_ylabel()
    with pytest.raises(ValueError):
        plots.costs_by_batch_size({})
    with pytest.raises(ValueError, match="updates_per_epoch"):
        plots.costs_by_batch_size({"b": (np.array([1.0, 0.5]), 0)})


def test_a_cost_at_the_minimum_stays_on_the_log_axis():
    fig = plots.cost_curves({"run": np.array([3.0, 1.0, 1.0 - 1e-17])}, minimum=1.0)
    shown = fig.axes[0].get_lines()[0].get_ydata()
    assert np.all(shown > 0), "rounding below the minimum must not vanish from a log axis"


def _bowl(t):
    return float((t[0] - 7.0) ** 2 + (t[1] - 2.0) ** 2)


def test_sgd_paths_one_line_per_path_on_contours_with_start_and_minimum():
    calls = []

    def counted(t):
        calls.append(np.array(t))
        return _bowl(t)

    paths = {"batch size 1": np.array([[0.0, 0.0], [3.0, 1.5], [6.5, 2.4], [7.2, 1.8]]),
             "batch size 50": np.array([[0.0, 0.0], [1.4, 0.4]])}
    fig = plots.sgd_paths(counted, paths, best=[7.0, 2.0], resolution=25)
    assert isinstance(fig, Figure)
    (ax,) = fig.axes
    _labelled(ax)
    assert ax.get_title()
    assert len(calls) == 25 * 25 and all(c.shape == (2,) for c in calls), "cost called once per grid point"
    assert any(isinstance(c, ContourSet) for c in ax.collections)
    for label, path in paths.items():
        drawn = [line for line in ax.get_lines() if line.get_label().startswith(label)]
        assert len(drawn) == 1, label
        np.testing.assert_allclose(drawn[0].get_xdata(), path[:, 0])
        np.testing.assert_allclose(drawn[0].get_ydata(), path[:, 1])
        assert f"({len(path) - 1} updates)" in drawn[0].get_label()
    assert {"o", "*"} <= {line.get_marker() for line in ax.get_lines()}, "start and minimum are marked"
    assert ax.get_aspect() == 1.0
    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    assert x0 < 0.0 < 7.2 < x1 and y0 < 0.0 < 2.4 < y1, "the view holds every path and the minimum"


def test_sgd_paths_rejects_a_bad_path():
    with pytest.raises(ValueError, match=r"\(k, 2\)"):
        plots.sgd_paths(_bowl, {"bad": np.zeros((3, 3))})
    with pytest.raises(ValueError):
        plots.sgd_paths(_bowl, {})


def test_cost_curves_one_labelled_line_per_curve():
    curves = {"shuffled": np.array([10.0, 3.0, 1.2, 1.1]), "in order": np.array([10.0, 3.5, 1.6, 1.5])}
    fig = plots.cost_curves(curves, title="two runs")
    (ax,) = fig.axes
    _labelled(ax)
    assert ax.get_title() == "two runs" and ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == list(curves)
    np.testing.assert_allclose(ax.get_lines()[1].get_ydata(), curves["in order"])


def test_diagnosed_curves_one_panel_per_curve_titled_with_its_diagnosis():
    with np.errstate(over="ignore"):
        exploding = np.array([50.0, 1e4, 1e12, np.inf, np.nan])
    curves = {"α = 1.2": exploding, "α = 0.005": np.linspace(50.0, 6.0, 31), "α = 0.05": np.array([50.0, 5.0, 1.1, 1.0])}
    diagnoses = {"α = 1.2": "diverging", "α = 0.005": "too slow", "α = 0.05": "converged"}
    fig = plots.diagnosed_curves(curves, diagnoses)
    assert len(fig.axes) == 3 and fig.get_suptitle()
    for ax, label in zip(fig.axes, curves):
        assert ax.get_title() == f"{label}: {diagnoses[label]}"
        assert ax.get_xlabel() and ax.get_yscale() == "log"
    assert fig.axes[0].get_ylabel()
    np.testing.assert_allclose(fig.axes[0].get_lines()[0].get_ydata(), [50.0, 1e4, 1e12])
    assert any("not finite" in t.get_text() for t in fig.axes[0].texts)
    assert not fig.axes[2].texts
    with pytest.raises(ValueError, match="no diagnosis"):
        plots.diagnosed_curves(curves, {"α = 1.2": "diverging"})


def test_wide_log_axes_have_no_minor_ticks_and_narrow_ones_keep_them():
    fig = plots.cost_curves({"wide": np.array([1e4, 1e2, 1.0, 1e-2])})
    assert fig.axes[0].yaxis.get_minorticklocs().size == 0, "minor ticks on four decades only slow the figure down"
    fig = plots.cost_curves({"narrow": np.array([6.0, 9.0, 20.0, 55.0])})
    assert fig.axes[0].yaxis.get_minorticklocs().size > 0, "less than two decades: minor ticks carry the labels"


def test_several_seeds_are_drawn_as_their_median_with_a_band_and_timed_runs_get_a_seconds_panel():
    k = np.arange(5)
    seeds = np.stack([2.0 + s * 0.5 ** k for s in (1.0, 2.0, 4.0)])  # three seeds of one batch size
    runs = {"batch size 1": (seeds, 50, 0.002), "batch size 50": (np.stack([2.0 + 3 * 0.9 ** k] * 3), 1, 0.0001)}
    fig = plots.costs_by_batch_size(runs, minimum=2.0)
    assert len(fig.axes) == 3, "timed runs add a panel: cost against seconds"
    by_epoch, _, by_seconds = fig.axes
    _labelled(by_seconds)
    assert by_seconds.get_xscale() == "log" and "s" in by_seconds.get_xlabel()
    np.testing.assert_allclose(by_epoch.get_lines()[0].get_ydata(), 2.0 * 0.5 ** k)  # the median seed
    assert by_epoch.collections, "the spread over seeds is drawn as a band"
    band = by_epoch.collections[0].get_paths()[0].vertices[:, 1]
    assert band.min() <= (1.0 * 0.5 ** k).min() + 1e-12 and band.max() >= (4.0 * 0.5 ** k).max() - 1e-12


def test_cost_curves_draw_one_point_per_update_when_asked():
    costs = 1.0 + 0.9 ** np.arange(41)  # 10 epochs of 4 updates, the start included
    fig = plots.cost_curves({"run": costs}, minimum=1.0, xlabel="epoch", points_per_epoch=4)
    line = fig.axes[0].get_lines()[0]
    np.testing.assert_allclose(line.get_xdata()[[0, 4, 40]], [0.0, 1.0, 10.0])
