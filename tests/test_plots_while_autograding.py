"""While nbgrader autogrades with the Agg backend, the course's plot functions draw nothing."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from gdcourse import plots  # noqa: E402
from gdcourse.plots import one_variable  # noqa: E402


class Recording:
    """A cost function that notes every call."""

    def __init__(self):
        self.calls = 0

    def __call__(self, theta):
        self.calls += 1
        return theta ** 2


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def test_every_plot_function_of_the_course_can_be_skipped():
    for name in plots.__all__:
        function = getattr(plots, name)
        assert hasattr(function, "__wrapped__"), f"plots.{name} is not decorated with drawn_unless_unseen"
        assert function.__doc__ == function.__wrapped__.__doc__


def test_while_autograding_with_agg_nothing_is_drawn_or_called(monkeypatch):
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    cost, before = Recording(), plt.get_fignums()
    assert plots.descent_on_parabola([3.0, 2.4, 1.92], cost) is None
    assert one_variable.factor_line(str, [0.1, 0.6]) is None  # the module's own name is the same function
    assert cost.calls == 0 and plt.get_fignums() == before


@pytest.mark.parametrize("execution", [None, "validate"])
def test_every_other_run_draws(monkeypatch, execution):
    if execution is None:
        monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)
    else:
        monkeypatch.setenv("NBGRADER_EXECUTION", execution)
    cost = Recording()
    assert isinstance(plots.descent_on_parabola([3.0, 2.4, 1.92], cost), Figure)
    assert cost.calls > 0


def test_autograding_with_a_backend_that_shows_figures_draws(monkeypatch):
    """An instructor who deletes MPLBACKEND=Agg from nbgrader_config.py gets figures in the feedback."""
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    monkeypatch.setattr(matplotlib, "get_backend", lambda: "module://matplotlib_inline.backend_inline")
    assert isinstance(plots.descent_on_parabola([3.0, 2.4, 1.92], Recording()), Figure)
