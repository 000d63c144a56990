"""Figures of the one_variable notebook: each call returns a Figure with the expected artists."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from matplotlib.collections import PathCollection  # noqa: E402
from matplotlib.container import BarContainer  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Annotation  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.plots import one_variable  # noqa: E402

# Test data built here, by hand: the course package must not hold the graded functions.
HISTORY = np.array([3.0, 2.4, 1.92, 1.536, 1.2288])
TABLE = [(1, 3.0, 0.6), (2, 2.4, 0.48), (3, 1.92, 0.384)]


def square(theta):
    return theta ** 2


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _arrows(ax):
    return [t for t in ax.texts if isinstance(t, Annotation) and t.arrow_patch is not None]


def test_all_is_exported_by_course_plots():
    assert set(one_variable.__all__) == {"descent_on_parabola", "update_bars", "theta_vs_iteration", "factor_line",
                                         "descent_from_starts"}
    for name in one_variable.__all__:
        assert getattr(plots, name) is getattr(one_variable, name)
        assert getattr(one_variable, name).__doc__


def test_descent_on_parabola_draws_curve_points_and_one_arrow_per_step():
    fig = plots.descent_on_parabola(HISTORY, square)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    curve = ax.lines[0]
    assert np.allclose(curve.get_ydata(), curve.get_xdata() ** 2)
    assert curve.get_xdata().min() < -HISTORY.max() and curve.get_xdata().max() > HISTORY.max()
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert len(scatters) == 1
    assert np.allclose(scatters[0].get_offsets(), np.column_stack([HISTORY, HISTORY ** 2]))
    arrows = _arrows(ax)
    assert len(arrows) == len(HISTORY) - 1
    assert np.allclose(arrows[0].xy, (HISTORY[1], HISTORY[1] ** 2))
    assert ax.get_xlabel() == "θ" and ax.get_ylabel() == "J(θ)"
    assert "downhill" in ax.get_title()
    assert any("θ₀" in t.get_text() for t in ax.texts)


def test_descent_on_parabola_accepts_a_list_and_a_custom_title():
    fig = plots.descent_on_parabola([1.0, -0.5], square, title="custom")
    ax = fig.axes[0]
    assert ax.get_title() == "custom"
    assert len(_arrows(ax)) == 1


def test_update_bars_has_two_bar_sets_and_the_ratio_above_each_row():
    fig = plots.update_bars(TABLE)
    ax = fig.axes[0]
    bars = [c for c in ax.containers if isinstance(c, BarContainer)]
    assert len(bars) == 2
    assert np.allclose([p.get_height() for p in bars[0]], [3.0, 2.4, 1.92])
    assert np.allclose([p.get_height() for p in bars[1]], [0.6, 0.48, 0.384])
    ratios = [t.get_text() for t in ax.texts]
    assert ratios == ["0.2"] * 3
    assert ax.get_xlabel() == "iteration" and ax.get_ylabel()
    assert "shrinks" in ax.get_title()
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["θ before the update", "update α·J′(θ)"]


def test_theta_vs_iteration_one_line_per_alpha_log_scale_and_frame_marks():
    histories = {
        0.1: 3.0 * 0.8 ** np.arange(6),
        0.5: np.array([3.0, 0.0, 0.0, 0.0, 0.0, 0.0]),
        2.0: 3.0 * (-3.0) ** np.arange(6),
    }
    fig = plots.theta_vs_iteration(histories)
    left, right = fig.axes
    assert right.get_yscale() == "log"
    assert len(right.get_lines()) == 3
    labels = [t.get_text() for t in right.get_legend().get_texts()]
    assert labels == ["α = 0.1", "α = 0.5 (hits 0 exactly)", "α = 2"]
    # exact zeros are masked on the log scale, not drawn at a fake value
    assert np.isnan(right.get_lines()[1].get_ydata()[1:]).all()
    # the diverging run stops at the frame's edge with a marker and a note
    low, high = left.get_ylim()
    drawn = [ln for ln in left.get_lines() if ln.get_label() == "α = 2"][0].get_ydata()
    finite = drawn[np.isfinite(drawn)]
    assert finite.min() >= low and finite.max() <= high
    assert any("leaves the frame" in t.get_text() for t in left.texts)
    for ax in (left, right):
        assert ax.get_xlabel() == "iteration k" and ax.get_ylabel() and ax.get_title()
    assert "1 − 2α" in fig._suptitle.get_text()


def test_factor_line_labels_points_with_what_regime_returns():
    calls = []

    def regime(alpha):
        calls.append(alpha)
        return f"label {alpha:g}"

    alphas = [-0.2, 0.25, 1.0, 1.3]
    fig = plots.factor_line(regime, alphas)
    ax = fig.axes[0]
    assert calls == alphas
    assert [t.get_text() for t in ax.texts] == [f"label {a:g}" for a in alphas]
    line = [ln for ln in ax.get_lines() if ln.get_label() == "factor 1 − 2α"][0]
    assert np.allclose(line.get_ydata(), 1 - 2 * line.get_xdata())
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    assert np.allclose(scatters[0].get_offsets(), np.column_stack([alphas, [1 - 2 * a for a in alphas]]))
    assert ax.get_xlabel() == "learning rate α" and "1 − 2α" in ax.get_ylabel()
    assert ax.get_title() and ax.get_legend() is not None


def test_descent_from_starts_draws_each_run_on_the_curve_and_its_costs():
    def well(theta):
        return theta ** 4 - 2 * theta ** 2

    runs = {-2.0: np.array([-2.0, -1.4, -1.1, -1.02]), 2.0: np.array([2.0, 1.5, 1.2, np.inf])}
    fig = plots.descent_from_starts(runs, well)
    assert isinstance(fig, Figure) and len(fig.axes) == 2
    left, right = fig.axes
    assert left.get_xlabel() and left.get_ylabel() and right.get_xlabel()
    assert {line.get_label() for line in right.get_lines()} == {"from θ₀ = -2", "from θ₀ = 2"}
    assert len(_arrows(left)) >= 3
