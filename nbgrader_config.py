"""nbgrader configuration of the course; read by every `nbgrader` command run here."""

import os
import sys
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

from autograder.execute import GuardedExecute
from autograder.handin import guard_nbgrader_autograde
from course.feedback import TEMPLATE_FILE as FEEDBACK_TEMPLATE_FILE
from course.feedback import TEMPLATE_NAME as FEEDBACK_TEMPLATE_NAME
from course.feedback import TEMPLATES as FEEDBACK_TEMPLATES
from course.feedback import ExerciseSummary, MathAsMathML
from course.worked import InsertWorkedSolutions, RemoveWorkedSolutions
from autograder.preprocessors import ProbeVerdicts, StartTheClock
from autograder.sanitize import SanitizeStudentMarkdown, SanitizeStudentOutputs
from autograder.status import AlreadyGrading, StatusBook, start_nbgrader_autograde

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
COURSE_ROOT = Path(__file__).resolve().parent
NBGRADER_TEMPLATES = Path(nbgrader.__file__).parent / "server_extensions" / "formgrader" / "templates"

c.CourseDirectory.course_id = "gradient-descent"
# The gradebook: SQLite's gradebook.db in this folder, unless COURSE_DB_URL names another
# database (e.g. postgresql+psycopg://grader@db.example/course); plain `nbgrader` commands and
# `course` commands read it here, so they always use the same gradebook (docs/scale.md).
if os.environ.get("COURSE_DB_URL"):
    c.CourseDirectory.db_url = os.environ["COURSE_DB_URL"]

# Student code runs in a bubblewrap sandbox (autograder/sandbox.py): no network, no view of
# source/, the gradebook or other submissions, limits on memory, CPU, processes and output.
# Without bwrap, grading is refused. Only for trusted notebooks:
# c.SandboxedKernelManager.enabled = False

# Every grading attempt leaves grading-status/<assignment>/<student>.json (graded, failed: why);
# `nbgrader export` adds it as a status column, with one column per exercise.
status = StatusBook(COURSE_ROOT)
guard_nbgrader_autograde()  # a link, pipe or device handed in: refused before nbgrader copies anything
c.Autograde.pre_convert_hook = status.started
c.Autograde.post_convert_hook = status.finished
c.ExportApp.plugin_class = "autograder.export.StatusCsvExport"
# Every grading run, `course grade` and `nbgrader autograde` alike, starts by taking the
# assignment's lock (a second run of it, by either grader, is refused, as it would delete this
# run's half-done work) and cleaning up after killed runs: half-written autograded/ folders, which
# nbgrader would skip (keeping a 0), and sandboxes still running (autograder/status.py). nbgrader
# calls nothing before it picks the submissions to skip, so for `nbgrader autograde` the step is
# taken here, when nbgrader's autograde application (its command line parsed) loads this file.
_autograde = sys.modules.get("nbgrader.apps.autogradeapp")
_app = getattr(_autograde.AutogradeApp, "_instance", None) if _autograde else None  # a sibling app may be there
if _autograde is not None and isinstance(_app, _autograde.AutogradeApp):
    try:
        start_nbgrader_autograde(COURSE_ROOT, (_app.extra_args or [_app.coursedir.assignment_id])[0])
    except AlreadyGrading as refused:
        _app.fail(str(refused))  # nbgrader's own way out: the message, exit status 1
    except Exception as exc:  # noqa: BLE001 - nbgrader would log it, skip the rest of this file and grade unsandboxed
        _app.fail(f"cannot start grading in {COURSE_ROOT}: {type(exc).__name__}: {exc}")

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
