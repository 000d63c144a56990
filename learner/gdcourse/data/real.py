"""A small real data set shipped with the course: the Longley (1967) US economy data.

The file ``longley.csv`` beside this module holds two of the Longley columns, one row
per year from 1947 to 1962. Where it comes from and why it may be shipped is written
down in ``longley.md`` (same folder).
"""

from __future__ import annotations

from importlib import resources

import numpy as np

__all__ = ["load_longley"]

_CSV = "longley.csv"


def load_longley():
    """US gross national product and employment, 1947–1962 (16 years, one row per year).

    A nearly straight-line relationship: in years when the economy produced more,
    more people were employed.

    Source: the Longley data, NIST Statistical Reference Datasets (StRD),
    https://www.itl.nist.gov/div898/strd/lls/data/Longley.shtml, first published in
    Longley, J. W. (1967), "An Appraisal of Least Squares Programs for the Electronic
    Computer from the Point of View of the User", Journal of the American Statistical
    Association 62(319), 819–841. Public domain (US government statistics; distributed
    as public domain by statsmodels, ``statsmodels.datasets.longley``). See
    ``gdcourse/data/longley.md``.

    Returns
    -------
    x : ndarray of float, shape (16,)
        Gross national product (GNP) in **trillions of US dollars** at the prices of
        the year (the file stores millions; 0.234289 means $234,289 million).
    y : ndarray of float, shape (16,)
        Total employment in **millions of people** (the file stores thousands;
        60.323 means 60,323 thousand people).

    Notes
    -----
    ``x[k]`` and ``y[k]`` belong to the year 1947 + k. Every call returns new arrays,
    so changing them does not change the next call's result.

    Examples
    --------
    >>> x, y = load_longley()
    >>> x.shape, y.shape
    ((16,), (16,))
    """
    text = resources.files(__package__).joinpath(_CSV).read_text(encoding="utf-8")
    table = np.loadtxt(text.splitlines(), delimiter=",", skiprows=1, dtype=float, ndmin=2)
    gnp_million_usd, employed_thousands = table[:, 0], table[:, 1]
    x = gnp_million_usd / 1e6
    y = employed_thousands / 1e3
    return x, y
