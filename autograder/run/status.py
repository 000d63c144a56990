"""What happened to each submission: graded, failed (and why), or needs manual grading.

nbgrader records scores but not outcomes: a submission it could not grade is only a
line in a log, and shows up in the export as a 0. Here every grading attempt leaves a
small JSON record, ``grading-status/<assignment>/<student>.json``, written atomically:

- ``pre_convert_hook`` (before nbgrader touches the submission): ``state = "grading"``;
- when grading raises (a refusal, a notebook that cannot be run: :func:`failure_reason`):
  ``state = "failed"``, reason (``course grade``'s recorder; for ``nbgrader autograde``,
  :mod:`autograder.run.nbgrader_hooks`);
- ``post_convert_hook`` (after nbgrader has written the graded notebook and the scores):
  ``state = "graded"``, with the execution problem if the kernel died or hung.

A record still saying ``grading`` means the attempt never finished (killed, or nbgrader
gave up on the notebook): :func:`discard_unfinished` removes such half-written
``autograded/`` folders before nbgrader looks at them, so a re-run grades them again
instead of skipping them, and :func:`submission_status` explains it, using
:func:`diagnose_notebook` to name what is wrong with the file.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from autograder.errors import FixableError
from autograder.pipeline import metadata
from autograder.pipeline.submission import SubmissionRefused, diagnose_notebook, handin_problem

STATUS_FOLDER = "grading-status"
GRADED, FAILED, GRADING = "graded", "failed", "grading"
NEEDS_MANUAL = "needs manual grading"
MISSING = "missing"


@dataclass(frozen=True)
class Status:
    """What became of a submission; ``str(status)`` is its status column ("failed: <why>").

    Attributes
    ----------
    kind : str
        :data:`GRADED`, :data:`NEEDS_MANUAL`, :data:`FAILED` or :data:`MISSING`.
    detail : str or None
        Why it failed, needs manual grading or is missing; for a graded one, what else to know
        (a cell stopped at its time limit, a notebook not handed in).
    """

    kind: str
    detail: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    @property
    def has_grade(self) -> bool:
        """Whether the gradebook holds a grade for it (graded, or graded and waiting for a person)."""
        return self.kind in (GRADED, NEEDS_MANUAL)


class StatusBook:
    """The status records of one course folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.folder = self.root / STATUS_FOLDER

    def path(self, assignment: str, student: str) -> Path:
        return self.folder / assignment / f"{student}.json"

    def read(self, assignment: str, student: str) -> dict | None:
        try:
            return json.loads(self.path(assignment, student).read_text())
        except (OSError, ValueError):
            return None

    def write(self, assignment: str, student: str, state: str, reason: str | None = None,
              fingerprint: str | None = None, note: str | None = None) -> None:
        """``reason``: why it failed, or (graded) why it needs manual grading; ``note``: what a graded
        submission's status column also says (a cell that timed out)."""
        path = self.path(assignment, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"state": state, "reason": reason, "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        if note:
            record["note"] = note
        if fingerprint:
            record["fingerprint"] = fingerprint  # of the submitted files, so unchanged ones are not regraded
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{student}.", suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump(record, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    # nbgrader's converter hooks, called as hook(assignment=..., student=..., notebooks=[...]).
    # nbgrader passes the command line's ids (student is "*" when grading a class), so the
    # submission is read from the notebook paths: submitted/<student>/<assignment>/<nb>.ipynb.
    def started(self, notebooks=(), **_) -> None:
        for assignment, student in _submissions(notebooks):
            self.write(assignment, student, GRADING)

    def finished(self, notebooks=(), **_) -> None:
        for assignment, student in _submissions(notebooks):
            self._finished(assignment, student, [n for n in notebooks if Path(n).parent.name == assignment
                                                 and Path(n).parent.parent.name == student])

    def _finished(self, assignment: str, student: str, notebooks) -> None:
        problems, notes = [], []
        for notebook in notebooks:
            graded = self.root / "autograded" / student / assignment / Path(notebook).name
            try:
                meta = json.loads(graded.read_text())["metadata"]
                problem = metadata.problem_of_metadata(meta)
                notes += metadata.timed_out(meta)
            except (OSError, ValueError, KeyError, AttributeError):
                problem = f"the graded copy of {Path(notebook).name} could not be read back"
            if problem:
                problems.append(problem)
        self.write(assignment, student, GRADED, "; ".join(problems) or None, note="; ".join(notes) or None)


def failure_reason(exc: BaseException) -> str:
    """The status column's reason for a submission whose grading raised ``exc``: a refusal's or a run's
    own words (:class:`~autograder.pipeline.submission.SubmissionRefused`,
    :class:`~autograder.pipeline.execute.NotebookNotRun`), else the exception's type and message."""
    from autograder.pipeline.execute import NotebookNotRun

    if isinstance(exc, (SubmissionRefused, NotebookNotRun)):
        return str(exc)[:2000]
    return f"the notebook could not be graded: {type(exc).__name__}: {str(exc)[:500]}"


def _submissions(notebooks) -> list[tuple[str, str]]:
    return sorted({(Path(n).parent.name, Path(n).parent.parent.name) for n in notebooks})


def discard_unfinished(root: Path | str, assignment: str | None = None) -> list[Path]:
    """Remove autograded folders whose grading never finished, so nbgrader grades them again.

    nbgrader skips a submission whose ``autograded/`` folder exists; after a kill that
    folder can be half-written, and the submission would silently keep a 0.
    """
    root = Path(root)
    book = StatusBook(root)
    removed = []
    for folder in sorted((root / "autograded").glob(f"*/{assignment or '*'}")):
        if not folder.is_dir():
            continue
        student, name = folder.parent.name, folder.name
        record = book.read(name, student)
        if record is None or record.get("state") != GRADED:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def clean_up_before_grading(root: Path | str, assignment: str | None = None) -> None:
    """The first step of every grading run, `course grade` and `nbgrader autograde` alike, taken while
    the run holds the assignment's lock (:func:`grading_lock`): half-written ``autograded/`` folders of
    ``assignment`` (all assignments for None) are removed (:func:`discard_unfinished`), sandboxes
    left running by a killed grader are stopped, and its kernels' control groups removed (where the
    host gives none, this is where the run says so, once)."""
    from autograder.kernel.cgroups import remove_leftovers
    from autograder.kernel.sandbox import reap_orphaned_sandboxes

    discard_unfinished(root, assignment)
    reap_orphaned_sandboxes()
    remove_leftovers()


class AlreadyGrading(FixableError):
    """Another grading run of the same assignment (`course grade` or `nbgrader autograde`) is on."""


def claim_grading_lock(root: Path, assignment: str, grader: str) -> int:
    """Take ``.grading-cache/grading-<assignment>.lock`` for this process; return its open descriptor.

    One lock for both graders: while a run is on, its submissions' records say "grading", so a
    second run's clean-up would take its half-done folders for a killed run's and delete them,
    and both runs would grade the same submissions. The lock ends with the process at the latest.
    """
    import fcntl

    path = Path(root) / ".grading-cache" / f"grading-{assignment}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, _, holder = os.pread(handle, 200, 0).decode(errors="replace").strip().partition(" ")
        os.close(handle)
        raise AlreadyGrading(f"another `{holder or 'grading run of'} {assignment}` is running in this course "
                             f"(process {pid or '?'}): wait for it to end, or stop it") from None
    os.ftruncate(handle, 0)
    os.pwrite(handle, f"{os.getpid()} {grader}".encode(), 0)
    return handle


@contextmanager
def grading_lock(root: Path | str, assignment: str, grader: str = "course grade"):
    """Hold the assignment's grading lock for the block; raises :class:`AlreadyGrading` (naming
    the other run's command and process) while another run, of either grader, holds it."""
    handle = claim_grading_lock(Path(root), assignment, grader)
    try:
        yield
    finally:
        os.close(handle)


def submission_status(root: Path | str, assignment: str, student: str, needs_manual_grade: bool = False) -> Status:
    """The status column: ``graded``, ``graded: <cell> timed out after 30 s (an endless loop?)``,
    ``failed: <reason>``, ``needs manual grading[: <why>]``, or ``missing: no submission``."""
    root = Path(root)
    submitted = root / "submitted" / student / assignment
    if not submitted.is_dir():
        return Status(MISSING, "no submission")
    record = StatusBook(root).read(assignment, student)
    problem = handin_problem(submitted) or _handed_in_problem(submitted, assignment, root / "source")
    if problem:  # even if nbgrader "graded" it: a 0 for the wrong file is not a grade
        return Status(FAILED, problem)
    if record is None:
        if any((root / "autograded" / student / assignment).glob("*.ipynb")):
            return Status(NEEDS_MANUAL if needs_manual_grade else GRADED)  # graded before status records existed
        return Status(FAILED, f"not graded yet (run nbgrader autograde {assignment})")
    state, reason, note = record.get("state"), record.get("reason"), record.get("note")
    if state == GRADED:
        if reason:
            return Status(NEEDS_MANUAL, reason)
        return Status(NEEDS_MANUAL if needs_manual_grade else GRADED, note or None)
    if state == FAILED:
        return Status(FAILED, reason)
    return Status(FAILED, f"grading did not finish (interrupted or crashed); run nbgrader autograde {assignment} again")


def _handed_in_problem(submitted: Path, assignment: str, source_dir: Path) -> str | None:
    """What is wrong with the first handed-in notebook of the assignment that has a problem; with
    none of its notebooks handed in, why ``<assignment>.ipynb`` is missing."""
    expected = sorted(p.name for p in (source_dir / assignment).glob("*.ipynb")) or [f"{assignment}.ipynb"]
    handed_in = [name for name in expected if (submitted / name).exists()]
    for name in handed_in or [f"{assignment}.ipynb"]:
        problem = diagnose_notebook(submitted / name, assignment, source_dir)
        if problem:
            return problem
    return None
