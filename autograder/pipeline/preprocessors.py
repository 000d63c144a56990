"""nbgrader preprocessors of the autograde pipeline (configured in nbgrader_config.py)."""

from __future__ import annotations

import os
import time
from pathlib import Path

from nbformat.v4 import new_output
from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import NbGraderPreprocessor
from traitlets import Integer, Unicode

from gdcourse.probe import TIMED_OUT as PROBE_TIMED_OUT

from autograder.pipeline.judge import Verdict, judge_cell, tampered
from autograder.pipeline.notebook import VERDICT_ERROR_NAME, first_error, probe_records, test_cell_ids
from autograder.pipeline.reference import ReferenceRunError, reference_records
from autograder.pipeline import catalogue, metadata
from autograder.pipeline.catalogue import load as load_catalogue
from autograder.pipeline.submission import MAX_CELLS, SubmissionRefused


def verdict_outputs(verdict: Verdict) -> list:
    """The outputs a graded test cell shows after grading: the verdict and nothing else.

    A failure is an ``error`` output, so nbgrader's own ``SaveAutoGrades`` gives the
    cell 0 points; a pass is plain text, worth the cell's points.
    """
    if verdict.passed:
        return [new_output("stream", name="stdout", text="".join(f"✓ {line}\n" for line in verdict.message.splitlines()))]
    lines = verdict.message.splitlines()
    return [new_output("error", ename=VERDICT_ERROR_NAME, evalue=verdict.message,
                       traceback=[f"{VERDICT_ERROR_NAME}: {line}" for line in lines])]


def timed_out_function(reference: list[dict], submitted: list[dict]) -> str:
    """The name (the reference's, never the kernel's) of the first probed function whose call was stopped."""
    for ref, got in zip(reference, submitted):
        cases = got.get("cases") if isinstance(got, dict) else None
        if isinstance(cases, list) and any(isinstance(c, dict) and isinstance(c.get("error"), dict)
                                           and c["error"].get("type") == PROBE_TIMED_OUT for c in cases):
            return str(ref.get("function", "a function"))
    return "a function"


class StartTheClock(NbGraderPreprocessor):
    """Note when grading of a notebook began, so that its deadline covers the preparation too.

    First of nbgrader's sanitizing preprocessors (``c.Autograde.sanitize_preprocessors``);
    :class:`~autograder.pipeline.execute.GuardedExecute` subtracts the time since from the
    notebook's deadline. Whatever a submission put in the same place is overwritten.
    A notebook of more than :data:`~autograder.pipeline.submission.MAX_CELLS` cells is refused here,
    before the minutes its preparation would take.
    """

    def preprocess(self, nb, resources):
        if len(nb.cells) > MAX_CELLS:  # preparing it would take minutes (nbgrader reads it whole first)
            info = resources.get("nbgrader", {})
            raise SubmissionRefused(f"{info.get('notebook', 'the notebook')}.ipynb has {len(nb.cells)} cells, more "
                                    f"than any notebook of this course can have ({MAX_CELLS}): hand in the "
                                    "notebook you worked in")
        metadata.start_clock(nb, time.time())
        return nb, resources


class ProbeVerdicts(NbGraderPreprocessor):
    """Replace each probed test cell's outputs with the verdict computed here.

    Runs right after ``Execute``. The student's kernel only published what their
    functions returned; the expected values come from the instructor's notebook in
    ``source/``, executed in the grading process (``autograder.pipeline.reference``). Test
    cells without probes are left to nbgrader's usual rule.
    """

    cache_directory = Unicode(
        ".grading-cache/reference",
        help="Where reference records (expected values!) are cached, relative to the course root. "
             "Keep it out of students' reach.",
    ).tag(config=True)

    reference_timeout = Integer(120, help="Per-cell timeout of the instructor notebook's run.").tag(config=True)

    catalogue = Unicode(catalogue.DEFAULT, help="The module of the course's named mistakes "
                        "(autograder.pipeline.catalogue): imported in the grading process and the reference "
                        "kernel, never in a student's.").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        load_catalogue(self.catalogue)  # the words of the named mistakes
        reference = reference_records(self._source_notebook(info["assignment"], info["notebook"]),
                                      self._cache(), timeout=self.reference_timeout, catalogue_module=self.catalogue)
        position = {id(cell): index for index, cell in enumerate(nb.cells)}
        for grade_id, cell in test_cell_ids(nb):
            expected = reference.get(grade_id)
            if not expected or not expected["probes"]:
                continue
            if not cell.source.endswith(expected["source"]):
                raise ReferenceRunError(
                    f"test cell {grade_id} of {info['assignment']} differs from source/: the notebook changed "
                    "after it was released. Run `nbgrader generate_assignment "
                    f"{info['assignment']} --force` (or `course release`) and grade again.")
            submitted = probe_records(cell)  # read before the verdict replaces the outputs
            try:
                before = [c.source for c in nb.cells[:position[id(cell)]] if c.cell_type == "code"]
                verdict = judge_cell(expected["probes"], submitted, first_error(cell), before)
            except Exception as exc:  # noqa: BLE001 - whatever a record holds, the submission ends graded
                verdict = tampered(grade_id, f"{type(exc).__name__} while reading it")
            cell.outputs = verdict_outputs(verdict)
            for diagnosis in verdict.diagnoses:  # a call stopped at its time limit: the status column says so too
                if (diagnosis.kind, diagnosis.form) == ("timed_out", "call"):
                    seconds = diagnosis.params.get("seconds")
                    name = timed_out_function(expected["probes"], submitted)
                    metadata.note_timed_out(nb,
                        f"cell {position[id(cell)] + 1} ({grade_id}) timed out: `{name}` did not return within "
                        f"{seconds + ' s' if seconds else 'its time limit'} (an endless loop?)")
                    break
            metadata.set_verdict(cell, verdict.passed, verdict.kinds, verdict.message)
        return nb, resources

    def _cache(self) -> Path | None:
        """The cache folder; a relative one is under the course root, wherever the grader was started."""
        if not self.cache_directory:
            return None
        return Path(CourseDirectory(config=self.config).root) / self.cache_directory

    def _source_notebook(self, assignment_id: str, notebook_id: str) -> Path:
        coursedir = CourseDirectory(config=self.config)
        folder = coursedir.format_path(coursedir.source_directory, ".", assignment_id)
        return Path(os.path.normpath(folder)) / f"{notebook_id}.ipynb"
