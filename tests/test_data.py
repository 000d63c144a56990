"""The course's data sets: the shipped real set and the seeded synthetic generators."""

from __future__ import annotations

import inspect
from importlib import resources

import numpy as np
import pytest

from gdcourse import data
from gdcourse.data import real


# --- the real data set -------------------------------------------------------------------

def test_load_longley_shapes_dtypes_and_units():
    x, y = data.load_longley()
    for values in (x, y):
        assert isinstance(values, np.ndarray)
        assert values.shape == (16,)
        assert values.dtype == np.float64
        assert np.all(np.isfinite(values))
    # first and last year, converted to trillions of dollars and millions of people
    assert x[0] == pytest.approx(0.234289) and y[0] == pytest.approx(60.323)
    assert x[-1] == pytest.approx(0.554894) and y[-1] == pytest.approx(70.551)
    assert 0.2 < x.min() and x.max() < 0.6
    assert 60.0 < y.min() and y.max() < 71.0


def test_load_longley_is_roughly_linear():
    x, y = data.load_longley()
    assert np.corrcoef(x, y)[0, 1] > 0.95


def test_load_longley_returns_fresh_arrays():
    x, y = data.load_longley()
    x[:] = 0.0
    y[:] = 0.0
    x2, y2 = data.load_longley()
    assert x2[0] == pytest.approx(0.234289) and y2[0] == pytest.approx(60.323)


def test_longley_files_ship_with_the_package_and_cite_their_source():
    folder = resources.files("gdcourse.data")
    csv_text = folder.joinpath("longley.csv").read_text(encoding="utf-8")
    lines = csv_text.strip().splitlines()
    assert lines[0] == "gnp_million_usd,employed_thousands"
    assert len(lines) == 17
    notes = folder.joinpath("longley.md").read_text(encoding="utf-8")
    for needed in ("Longley", "1967", "nist.gov", "public domain", "statsmodels"):
        assert needed.lower() in notes.lower(), needed
    doc = inspect.getdoc(data.load_longley)
    for needed in ("Longley", "nist.gov", "Public domain", "trillions", "millions"):
        assert needed in doc, needed


def test_data_package_exports_the_loader():
    assert "load_longley" in data.__all__
    assert data.load_longley is real.load_longley


# --- the synthetic generators -----------------------------------------------------------------

def test_make_line_data_shapes_and_dtypes():
    x, y = data.make_line_data(m=7, seed=3)
    assert x.shape == (7,) and y.shape == (7,)
    assert x.dtype == np.float64 and y.dtype == np.float64


def test_make_line_data_is_seeded_and_reproducible():
    a = data.make_line_data(m=20, seed=5)
    b = data.make_line_data(m=20, seed=5)
    c = data.make_line_data(m=20, seed=6)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])


def test_make_line_data_follows_its_line_and_range():
    x, y = data.make_line_data(m=400, intercept=-1.0, slope=0.5, noise=0.0, x_range=(-3.0, 1.0), seed=2)
    assert x.min() >= -3.0 and x.max() <= 1.0
    np.testing.assert_allclose(y, -1.0 + 0.5 * x)
    x, y = data.make_line_data(m=2000, intercept=4.0, slope=3.0, noise=1.0, seed=0)
    residual = y - (4.0 + 3.0 * x)
    assert abs(residual.mean()) < 0.1 and 0.9 < residual.std() < 1.1


def test_make_line_data_rejects_bad_m():
    for m in (0, -3):
        with pytest.raises(ValueError):
            data.make_line_data(m=m)


def test_make_regression_data_shapes_and_reproducibility():
    X, y, theta = data.make_regression_data(m=30, n_features=3, seed=4)
    assert X.shape == (30, 3) and y.shape == (30,) and theta.shape == (4,)
    X2, y2, theta2 = data.make_regression_data(m=30, n_features=3, seed=4)
    np.testing.assert_array_equal(X, X2)
    np.testing.assert_array_equal(y, y2)
    np.testing.assert_array_equal(theta, theta2)


def test_make_regression_data_rejects_bad_arguments():
    with pytest.raises(ValueError):
        data.make_regression_data(m=0)
    with pytest.raises(ValueError):
        data.make_regression_data(n_features=0)
    with pytest.raises(ValueError):
        data.make_regression_data(n_features=2, scales=[1.0, 2.0, 3.0])
