"""gdcourse.plots.momentum: every figure has the artists the notebook's readers rely on."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.contour import ContourSet  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.plots import momentum  # noqa: E402


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _labelled(ax):
    assert ax.get_xlabel() and ax.get_ylabel(), "both axes need labels"


def test_public_names_are_exported_through_course_plots():
    assert set(momentum.__all__) == {"method_paths", "costs_by_method", "iteration_curves", "early_stopping_curves"}
    for name in momentum.__all__:
        assert getattr(plots, name) is getattr(momentum, name)
        assert getattr(momentum, name).__doc__, f"{name} needs a docstring"


def _bowl(t):
    return float((t[0] - 2.0) ** 2 + 50.0 * (t[1] - 1.0) ** 2)


def _valley(t):
    return float((1.0 - t[0]) ** 2 + 100.0 * (t[1] - t[0] ** 2) ** 2)


def test_method_paths_one_panel_per_surface_one_line_per_method():
    calls = []

    def counted(t):
        calls.append(np.array(t))
        return _bowl(t)

    bowl_paths = {"plain": np.array([[0.0, 0.0], [0.2, 1.8], [0.4, 0.3], [0.6, 1.5]]),
                  "adam": np.array([[0.0, 0.0], [0.9, 0.9], [1.8, 1.1], [2.0, 1.0]])}
    long_path = np.column_stack([np.linspace(-1.5, 1.0, 801), np.linspace(2.0, 1.0, 801)])
    fig = plots.method_paths({"bowl": (counted, bowl_paths, (2.0, 1.0), None),
                              "valley": (_valley, {"momentum": long_path, "diverged": np.array([[-1.5, 2.0], [np.inf, 0.0]])},
                                         None, (-2.0, 2.0, -1.0, 3.0))}, resolution=20, title="two surfaces")
    assert isinstance(fig, Figure) and fig.get_suptitle() == "two surfaces"
    bowl_ax, valley_ax = fig.axes[:2]
    for ax in (bowl_ax, valley_ax):
        _labelled(ax)
        assert ax.get_title() and any(isinstance(c, ContourSet) for c in ax.collections)
    assert bowl_ax.get_title() == "bowl" and valley_ax.get_title() == "valley"
    assert len(calls) == 20 * 20 and all(c.shape == (2,) for c in calls), "the cost is called once per grid point"
    for label, path in bowl_paths.items():
        drawn = [line for line in bowl_ax.get_lines() if line.get_label().startswith(label)]
        assert len(drawn) == 1, label
        np.testing.assert_allclose(drawn[0].get_xdata(), path[:, 0])
        np.testing.assert_allclose(drawn[0].get_ydata(), path[:, 1])
        assert f"({len(path) - 1} steps)" in drawn[0].get_label() and drawn[0].get_marker() == "."
    first, second = [line for line in bowl_ax.get_lines() if "steps)" in line.get_label()]
    assert first.get_zorder() > second.get_zorder(), "the first path is drawn on top"
    assert {"o", "*"} <= {line.get_marker() for line in bowl_ax.get_lines()}, "start and minimum are marked"
    x0, x1 = bowl_ax.get_xlim()
    y0, y1 = bowl_ax.get_ylim()
    assert x0 < 0.0 < 2.0 < x1 and y0 < 0.0 < 1.8 < y1, "without an extent the view holds every path and the minimum"
    assert valley_ax.get_xlim() == (-2.0, 2.0) and valley_ax.get_ylim() == (-1.0, 3.0)
    momentum_line = next(line for line in valley_ax.get_lines() if line.get_label().startswith("momentum"))
    assert momentum_line.get_marker() in ("None", "", None), "no dot per step on an 800-step path"
    diverged = next(line for line in valley_ax.get_lines() if line.get_label().startswith("diverged"))
    assert len(diverged.get_xdata()) == 1, "rows that are not finite are left out"
    assert "*" not in {line.get_marker() for line in valley_ax.get_lines()}, "no minimum given, none drawn"


def test_method_paths_rejects_bad_input():
    with pytest.raises(ValueError, match=r"\(k, 2\)"):
        plots.method_paths({"bad": (_bowl, {"p": np.zeros((3, 3))}, None, None)})
    with pytest.raises(ValueError):
        plots.method_paths({})
    with pytest.raises(ValueError, match="no paths"):
        plots.method_paths({"empty": (_bowl, {}, None, None)})


def test_costs_by_method_one_panel_per_surface_on_a_log_axis():
    k = np.arange(301)
    panels = {"bowl": {"plain": 5.0 * 0.999 ** k, "momentum": 5.0 * 0.98 ** k, "adam": np.where(k < 100, 5.0 * 0.8 ** k, 0.0)},
              "valley": {"plain": 3.0 * 0.99 ** k}}
    fig = plots.costs_by_method(panels, tolerance=1e-6, title="race")
    assert fig.get_suptitle() == "race"
    bowl_ax, valley_ax = fig.axes
    for ax, (title, curves) in zip(fig.axes, panels.items()):
        _labelled(ax)
        assert ax.get_title() == title and ax.get_yscale() == "log"
        labels = [line.get_label() for line in ax.get_lines()]
        assert labels[:len(curves)] == list(curves)
        assert any(line.get_linestyle() == ":" and np.allclose(line.get_ydata(), 1e-6) for line in ax.get_lines())
    assert "evaluations" in bowl_ax.get_xlabel(), "costs are drawn against gradient evaluations"
    adam_line = bowl_ax.get_lines()[2]
    np.testing.assert_allclose(adam_line.get_xdata(), k)
    assert np.all(adam_line.get_ydata() > 0), "a gap of 0 (the minimum to rounding) stays on the log axis"
    assert bowl_ax.yaxis.get_minorticklocs().size == 0, "no minor ticks on many decades"
    labels = [t.get_text() for t in bowl_ax.get_yticklabels() if t.get_text()]
    assert labels and all(text.startswith("10") and "$" not in text for text in labels), labels
    with pytest.raises(ValueError):
        plots.costs_by_method({})
    with pytest.raises(ValueError, match="no curves"):
        plots.costs_by_method({"empty": {}})


def test_a_curve_that_diverges_ends_where_it_stops_being_finite():
    with np.errstate(over="ignore"):
        gaps = np.array([1.0, 10.0, 1e200, np.inf, np.nan])
    fig = plots.costs_by_method({"s": {"too large an α": gaps}})
    drawn = fig.axes[0].get_lines()[0].get_ydata()
    np.testing.assert_allclose(drawn[:3], gaps[:3])
    assert not np.isfinite(drawn[3:]).any()


def test_iteration_curves_draws_each_curve_from_iteration_one_and_each_level_dashed():
    steps = {"β = 0": np.full(30, 0.1), "β = 0.9": 1.0 - 0.9 * 0.9 ** np.arange(30)}
    levels = {"your effective_step, β = 0": 0.1, "your effective_step, β = 0.9": 1.0}
    fig = plots.iteration_curves(steps, levels, xlabel="iteration k", ylabel="step length", title="build-up")
    (ax,) = fig.axes
    _labelled(ax)
    assert ax.get_title() == "build-up" and ax.get_yscale() == "linear"
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [*steps, *levels]
    np.testing.assert_allclose(lines[1].get_xdata(), np.arange(1, 31))
    np.testing.assert_allclose(lines[1].get_ydata(), steps["β = 0.9"])
    for curve, level in zip(lines[:2], lines[2:]):
        assert level.get_linestyle() == "--" and level.get_color() == curve.get_color()
    assert plots.iteration_curves({"a": [1.0, 0.1, 0.01, 1e-4]}, logy=True).axes[0].get_yscale() == "log"
    with pytest.raises(ValueError):
        plots.iteration_curves({})


def test_early_stopping_curves_marks_the_kept_epoch_of_every_run():
    epochs = np.arange(61)
    train = 50.0 * 0.9 ** epochs + 1.0
    runs = {"split 0": (train, 40.0 * 0.9 ** epochs + 0.01 * (epochs - 10.0) ** 2 + 5.0, 12),
            "split 1": (train * 1.1, 30.0 * 0.85 ** epochs + 0.02 * (epochs - 8.0) ** 2 + 6.0, 9)}
    fig = plots.early_stopping_curves(runs, title="five splits")
    (ax,) = fig.axes
    _labelled(ax)
    assert ax.get_title() == "five splits" and ax.get_yscale() == "log"
    for label, (train_costs, val_costs, kept) in runs.items():
        solid = next(line for line in ax.get_lines() if line.get_label() == f"{label}: validation")
        dashed = next(line for line in ax.get_lines() if line.get_label() == f"{label}: training")
        np.testing.assert_allclose(solid.get_ydata(), val_costs)
        np.testing.assert_allclose(dashed.get_ydata(), train_costs)
        assert dashed.get_linestyle() == "--" and solid.get_color() == dashed.get_color()
        dots = [line for line in ax.get_lines() if line.get_marker() == "o" and line.get_color() == solid.get_color()]
        assert len(dots) == 1 and dots[0].get_xdata()[0] == kept and np.isclose(dots[0].get_ydata()[0], val_costs[kept])
    assert "the kept epoch" in [t.get_text() for t in ax.get_legend().get_texts()]
    with pytest.raises(ValueError, match="not an epoch"):
        plots.early_stopping_curves({"bad": (train, train, 61)})
    with pytest.raises(ValueError, match="differ in length"):
        plots.early_stopping_curves({"bad": (train, train[:-1], 3)})
    with pytest.raises(ValueError):
        plots.early_stopping_curves({})
