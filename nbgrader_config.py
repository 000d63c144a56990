"""nbgrader configuration of the course; read by every `nbgrader` command run here."""

import os
from pathlib import Path

from nbconvert.preprocessors import ClearMetadataPreprocessor, CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import (
    AssignLatePenalties,
    CheckCellMetadata,
    ClearHiddenTests,
    ClearOutput,
    DeduplicateIds,
    GetGrades,
    IgnorePattern,
    LimitOutput,
    OverwriteCells,
    OverwriteKernelspec,
    SaveAutoGrades,
)

import nbgrader
from nbgrader.converters import GenerateAssignment

from autograder.pipeline.execute import GuardedExecute
from course.feedback import TEMPLATE_FILE as FEEDBACK_TEMPLATE_FILE
from course.feedback import TEMPLATE_NAME as FEEDBACK_TEMPLATE_NAME
from course.feedback import TEMPLATES as FEEDBACK_TEMPLATES
from course.feedback import ExerciseSummary, MathAsMathML
from course.worked import InsertWorkedSolutions, RemoveWorkedSolutions
from autograder.pipeline.preprocessors import ProbeVerdicts, StartTheClock
from autograder.pipeline.sanitize import SanitizeStudentMarkdown, SanitizeStudentOutputs
from autograder.run import nbgrader_hooks

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
COURSE_ROOT = Path(__file__).resolve().parent
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"

c.CourseDirectory.course_id = "gradient-descent"
# The gradebook: SQLite's gradebook.db in this folder, unless COURSE_DB_URL names another
# database (e.g. postgresql+psycopg://grader@db.example/course); plain `nbgrader` commands and
# `course` commands read it here, so they always use the same gradebook (docs/scale.md).
if os.environ.get("COURSE_DB_URL"):
    c.CourseDirectory.db_url = os.environ["COURSE_DB_URL"]

# Student code runs in a bubblewrap sandbox (autograder/kernel/sandbox.py): no network, no view of
# source/, the gradebook or other submissions, limits on memory, CPU, processes and output.
# Without bwrap, grading is refused. Only for trusted notebooks:
# c.SandboxedKernelManager.enabled = False

# Every grading attempt leaves grading-status/<assignment>/<student>.json (graded, failed: why);
# `nbgrader export` adds it as a status column, with one column per exercise.
c.ExportApp.plugin_class = "autograder.run.export.StatusCsvExport"
# nbgrader's own commands hooked into the course's runs (autograder/run/nbgrader_hooks.py): the status
# records; a link, pipe or device handed in refused before nbgrader copies anything; why a submission
# failed; and, for `nbgrader autograde`, the start every grading run takes, `course grade` too: the
# assignment's lock (a second run of it, by either grader, is refused, as it would delete this run's
# half-done work), then the clean-up after killed runs (half-written autograded/ folders, which
# nbgrader would skip, keeping a 0, and sandboxes still running). nbgrader calls nothing before it
# picks the submissions to skip, so that start is taken here, when its autograde application loads
# this file; if it cannot be taken, the run stops (nbgrader would otherwise skip the rest of this file
# and grade unsandboxed).
nbgrader_hooks.install(c, COURSE_ROOT)

# nbgrader's own sanitizing steps, after a clock that makes the notebook's deadline (below)
# cover its preparation too.
c.Autograde.sanitize_preprocessors = [
    StartTheClock,
    ClearOutput,
    DeduplicateIds,
    OverwriteKernelspec,
    OverwriteCells,
    CheckCellMetadata,
]
# Hidden tests only probe; the verdict is computed here, from source/, after execution.
c.Autograde.autograde_preprocessors = [
    GuardedExecute,
    ProbeVerdicts,
    SanitizeStudentOutputs,  # nothing the student's kernel or file shows runs in formgrader or feedback
    SanitizeStudentMarkdown,
    IgnorePattern,
    ClearMetadataPreprocessor,
    LimitOutput,
    SaveAutoGrades,
    AssignLatePenalties,
    CheckCellMetadata,
]
# A student who deletes a test cell gets it back, and it runs.
c.OverwriteCells.add_missing_cells = True
# Grading kernels render no figure to PNG (grades never depend on pictures; about 1.7x
# faster), and with Agg the course's plot functions do not even draw while autograding
# (course/plots/_autograding.py). Delete this line to keep figures in feedback.
os.environ.setdefault("MPLBACKEND", "Agg")
# Per-cell timeout (every cell of these notebooks runs in well under a second), and one
# deadline for the whole notebook (a solution runs in about 3 s, kernel start and preparation
# included).
c.Execute.timeout = 30
c.Execute.interrupt_on_timeout = True
c.GuardedExecute.notebook_timeout = 120
# Feedback shows verdicts, never the hidden test code; a summary of the exercises at the top, and
# formulas as MathML, which browsers draw offline (course/feedback.py and its template).
# worked solutions state what learners derive: never in the handout (course/worked.py)
c.GenerateAssignment.preprocessors = [
    RemoveWorkedSolutions,
    *GenerateAssignment.class_traits()["preprocessors"].default(),
]
c.GenerateFeedback.preprocessors = [GetGrades, ClearHiddenTests, ExerciseSummary, InsertWorkedSolutions,
                                    MathAsMathML, CSSHTMLHeaderPreprocessor]
# the feedback pages only: formgrader builds its own HTMLExporter from this config, with its own templates
c.GenerateFeedback.HTMLExporter.template_name = FEEDBACK_TEMPLATE_NAME
c.GenerateFeedback.HTMLExporter.template_file = FEEDBACK_TEMPLATE_FILE
c.GenerateFeedback.HTMLExporter.extra_template_basedirs = [str(FEEDBACK_TEMPLATES), str(NBGRADER_TEMPLATES)]
