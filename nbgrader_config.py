"""nbgrader configuration of the course; read by every `nbgrader` command run here."""

import os

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    Execute,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    SaveAutoGrades,
)

from autograder.preprocessors import ProbeVerdicts

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.CourseDirectory.course_id = "gradient-descent"

# Hidden tests only probe; the verdict is computed here, from source/, after execution.
c.Autograde.autograde_preprocessors = [
    Execute,
    ProbeVerdicts,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# A student who deletes a test cell gets it back, and it runs.
c.OverwriteCells.add_missing_cells = True
# Grading kernels draw figures without rendering them to PNG: grades never depend on
# pictures, and grading runs about 1.7x faster. Delete this line to keep figures in feedback.
os.environ.setdefault("MPLBACKEND", "Agg")
# Per-cell timeout: every cell of these notebooks runs in well under a second.
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
# Feedback shows verdicts, never the hidden test code.
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
