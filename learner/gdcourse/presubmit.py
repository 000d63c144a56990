"""``python -m gdcourse.presubmit path/to/notebook.ipynb``: the pre-submission check from a terminal.

Everything is in :mod:`gdcourse.presubmission`; in a notebook, call ``gdcourse.presubmit()``.
"""

import sys

from .presubmission import main

if __name__ == "__main__":
    sys.exit(main())
