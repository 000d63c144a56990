"""`course grade`: nbgrader's autograde pipeline, one submission per task, in parallel.

The grades are nbgrader's: the same preprocessors, in the same order, configured by the
same nbgrader_config.py, including the kernel sandbox. What changes is who does what:

- the workers run :func:`autograder.run.worker.grade_submission`, which never writes the
  gradebook, so any pool can run it: :mod:`autograder.run.pool` here, or a Dask cluster
  (:mod:`autograder.run.cluster`);
- :class:`Recorder` runs in the one process that owns the gradebook: it applies the
  *database* preprocessors (``SaveAutoGrades``, ``AssignLatePenalties``) to each result,
  swaps the staging folder into ``autograded/`` with a rename, and only then writes
  the ``graded`` status record. A kill at any point leaves either the old grade or a
  status that makes the next run grade the submission again.

This module plans (:func:`plan`: only new or changed work), holds the assignment's lock, and
records. Workers read a snapshot of the gradebook taken before grading, so the single writer
never meets a reader: no "database is locked".
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import tempfile
import time
import warnings
from concurrent.futures import ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm

from autograder import patches
from autograder.errors import FixableError
from autograder.pipeline import metadata
from autograder.pipeline.submission import handin_problem, irregular_entries
from autograder.run.config import autograde_settings
from autograder.run.gradebook import gradebook_url, sqlite_file
from autograder.run.status import (FAILED, GRADED, GRADING, NEEDS_MANUAL, Status, StatusBook,
                                   clean_up_before_grading, grading_lock)
from autograder.run.worker import (STATE, Job, Outcome, grade_submission, init_worker, worker_context,
                                   worker_ready)

STAGING = ".grading-cache/staging"


# --- the recording side (the only gradebook writer) -------------------------------------

class Recorder:
    """Writes outcomes into the gradebook, ``autograded/`` and the status records, one at a time."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.config, (_, _, self.database) = STATE.load(str(self.root))
        self.db_url = gradebook_url(self.root, self.config)
        self.status = StatusBook(self.root)
        self.make_durable = lambda: None  # WalGradebook.make_durable while a run has the gradebook in WAL mode

    def begin(self, assignment: str, student: str) -> None:
        """Create the student and the submission (with its timestamp), as nbgrader does first,
        and mark the submission as being graded (so that a kill before :meth:`record` ends is
        followed by grading it again)."""
        from nbgrader.api import Gradebook
        from nbgrader.coursedir import CourseDirectory

        coursedir = CourseDirectory(config=self.config)
        timestamp = coursedir.get_existing_timestamp(str(self.root / "submitted" / student / assignment))
        with Gradebook(self.db_url) as gb, warnings.catch_warnings():
            # nbgrader builds a new submission's rows before it adds them to the session, and
            # SQLAlchemy 2 warns at each autoflush in between; the rows are added right after
            warnings.filterwarnings("ignore", message=r"Object of type <\w+> not in session, add operation along")
            gb.update_or_create_student(student)
            if timestamp:
                gb.update_or_create_submission(assignment, student, timestamp=timestamp)
            else:
                gb.update_or_create_submission(assignment, student)
        self.status.write(assignment, student, GRADING)

    def record(self, outcome: Outcome) -> Status:
        """Save one outcome; return the status it ends with."""
        job = outcome.job
        dest = self.root / "autograded" / job.student / job.assignment
        if not outcome.ok:
            shutil.rmtree(outcome.job.staging, ignore_errors=True)
            self.status.write(job.assignment, job.student, FAILED, outcome.reason)
            return Status(FAILED, outcome.reason)
        staging = Path(job.staging)
        for notebook_id, nb in outcome.graded.items():
            resources = {"nbgrader": {"student": job.student, "assignment": job.assignment,
                                      "notebook": notebook_id, "db_url": self.db_url}}
            for preprocessor in self.database:  # they only read the notebook and write the gradebook
                preprocessor(config=self.config)(nb, resources)
        missing = [n for n in job.notebooks if n not in outcome.graded]
        self._score_missing_as_zero(job, missing)
        self.make_durable()  # before anything says the submission is graded
        for path in staging.rglob("*"):
            if path.is_file():
                path.chmod(0o444)
        _swap_into_place(staging, dest)
        reason = "; ".join(outcome.problems) or None
        notes = [cell for nb in outcome.graded.values() for cell in metadata.timed_out(nb)]
        notes += [f"{n}.ipynb was not handed in (0 points)" for n in missing]
        note = "; ".join(notes) or None
        self.status.write(job.assignment, job.student, GRADED, reason,
                          fingerprint=fingerprint(self.root, job.assignment, job.student), note=note)
        return Status(NEEDS_MANUAL, reason) if reason else Status(GRADED, note)

    def _score_missing_as_zero(self, job: Job, missing: list[str]) -> None:
        """A notebook of the assignment that was not handed in scores 0, as in ``Autograde.init_assignment``."""
        if not missing:
            return
        from nbgrader.api import Gradebook

        with Gradebook(self.db_url) as gb:
            for notebook_id in missing:
                for grade in gb.find_submission_notebook(notebook_id, job.assignment, job.student).grades:
                    grade.auto_score = 0
                    grade.needs_manual_grade = False
            gb.db.commit()


def _swap_into_place(staging: Path, dest: Path) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    if dest.exists():
        old = dest.with_name(f".{dest.name}.old-{os.getpid()}")
        os.rename(dest, old)
        os.rename(staging, dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(staging, dest)


def fingerprint(root: Path, assignment: str, student: str) -> str:
    """A hash of what was handed in, so an unchanged submission is not graded twice."""
    digest = hashlib.sha256()
    folder = Path(root) / "submitted" / student / assignment
    if handin_problem(folder):  # nothing of it is read; it is refused when graded
        digest.update(b"irregular:" + "".join(f"{n}:{k}" for n, k in irregular_entries(folder)).encode())
        return digest.hexdigest()
    for dirpath, _, filenames in sorted(os.walk(folder)) if folder.is_dir() else []:
        for name in sorted(filenames):
            path = Path(dirpath) / name
            digest.update(str(path.relative_to(folder)).encode())
            with open(path, "rb") as f:  # a regular file (handin_problem above), read in pieces however large
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    digest.update(chunk)
    return digest.hexdigest()


# --- the driver ------------------------------------------------------------------------

class NotReleased(FixableError):
    """The assignment is not in the gradebook: it was never released (``course release``)."""


@dataclass
class ClassResult:
    graded: list[str] = field(default_factory=list)
    needs_manual: dict[str, str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    noted: dict[str, str] = field(default_factory=dict)  # graded, but: a cell stopped at its time limit, a notebook missing
    seconds: float = 0.0


def snapshot_gradebook(db_url: str, into: Path) -> str:
    """The URL of the gradebook for workers to read: a consistent copy of a SQLite gradebook
    (SQLite's online backup), so that they never meet the writer; a database server's own URL."""
    path = sqlite_file(db_url)
    if path is None:
        return db_url
    source = sqlite3.connect(path)
    target = sqlite3.connect(into)
    with target:
        source.backup(target)
    source.close()
    target.close()
    return f"sqlite:///{into}"


def plan(root: Path, assignment: str, students=None, force: bool = False,
         excluded: tuple[str, ...] = ()) -> tuple[list[str], list[str]]:
    """(to grade, unchanged): submissions of ``assignment`` that are new or changed since graded;
    never those of ``excluded`` students (``CourseDirectory.student_id_exclude``)."""
    book = StatusBook(root)
    todo, unchanged = [], []
    for folder in sorted((root / "submitted").glob(f"*/{assignment}")):
        student = folder.parent.name
        if not folder.is_dir() or (students and student not in students) or student in excluded:
            continue
        record = book.read(assignment, student) or {}
        done = (record.get("state") == GRADED and (root / "autograded" / student / assignment).is_dir()
                and record.get("fingerprint") == fingerprint(root, assignment, student))
        (unchanged if done and not force else todo).append(student)
    return todo, unchanged


def grade_class(root: Path, assignment: str, *, workers: int | None = None, students=None,
                force: bool = False, progress: bool | None = None, scheduler: str | None = None) -> ClassResult:
    """Grade every new or changed submission of ``assignment``; see the module docs.

    With ``scheduler`` (or ``c.ClusterGrading.scheduler`` in the course's configuration),
    the submissions are graded on that Dask cluster's workers (:mod:`autograder.run.cluster`);
    ``workers`` then does not apply. Raises :class:`~autograder.run.status.AlreadyGrading` while another run of
    the same assignment is on, by either grader.
    """
    root = Path(root).resolve()
    with grading_lock(root, assignment, "course grade"):
        return _grade_class(root, assignment, workers, students, force, progress, scheduler)


def _grade_class(root: Path, assignment: str, workers, students, force, progress, scheduler) -> ClassResult:
    from nbgrader.api import Gradebook, MissingEntry

    start = time.perf_counter()
    result = ClassResult()
    for name in patches.PATCHES:  # a patch outside its tested range is named once, here: workers inherit that
        patches.applies(name)
    if any((root / "submitted").glob(f"*/{assignment}")):
        worker_context(start=True)  # a second of imports, while this process plans
    config, _ = STATE.load(str(root))
    settings = autograde_settings(config, assignment)  # first: it refuses a layout this grader does not follow
    clean_up_before_grading(root, assignment)
    if scheduler is None:
        from autograder.run.cluster import ClusterGrading

        scheduler = ClusterGrading(config=config).scheduler or None
    gb_url = gradebook_url(root, config)
    with Gradebook(gb_url) as gb:
        try:
            notebooks = tuple(sorted(nb.name for nb in gb.find_assignment(assignment).notebooks))
        except MissingEntry:
            raise NotReleased(f"assignment {assignment!r} is not in the gradebook: release it first "
                              f"(course release {assignment})") from None
    todo, result.skipped = plan(root, assignment, students, force, settings.student_id_exclude)
    if not settings.create_student:
        todo = _known_students_only(root, assignment, todo, gb_url, result)
    if todo:
        _grade_todo(root, assignment, notebooks, todo, min(workers or os.cpu_count() or 1, len(todo)),
                    progress, result, scheduler)
    result.seconds = time.perf_counter() - start
    return result


def _known_students_only(root: Path, assignment: str, todo: list[str], db_url: str, result: ClassResult) -> list[str]:
    """With ``Autograde.create_student = False``, a student missing from the gradebook is not graded:
    the submission fails with what to do, as ``nbgrader autograde`` fails it."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url) as gb:
        known = {student.id for student in gb.students}
    status = StatusBook(root)
    for student in (s for s in todo if s not in known):
        why = (f"no student {student!r} in the gradebook, and c.Autograde.create_student is False: add them "
               f"(course collect --roster, or nbgrader db student add {student}) and grade again")
        status.write(assignment, student, FAILED, why)
        result.failed[student] = why
    return [s for s in todo if s in known]


def pool_factory(root: Path, grader: int = None):
    """``make_executor(size)`` for :class:`autograder.run.pool.GradingPool`: workers forked
    from the fork server, each getting ready to grade in ``root`` as soon as it starts."""
    from multiprocessing.sharedctypes import RawArray

    from autograder.run.pool import SLOT_FIELDS

    ctx = worker_context()
    grader = os.getpid() if grader is None else grader

    def make_executor(size: int):
        counter, slots = ctx.Value("i", 0), RawArray("d", [0.0] * (SLOT_FIELDS * size))
        executor = ProcessPoolExecutor(max_workers=size, mp_context=ctx, initializer=init_worker,
                                       initargs=(counter, str(root), grader, slots))
        for _ in range(size):  # start them all now: they get ready while the recorder does
            executor.submit(worker_ready)
        return executor, slots

    return make_executor


def job_deadline(config, job: Job) -> float:
    """Seconds a worker may spend on one submission before it is killed: each notebook's
    deadline (which covers its preparation and run), with room for starting and saving."""
    return len(job.notebooks) * (config.GuardedExecute.get("notebook_timeout", 300) + 60) + 60


def _grade_todo(root: Path, assignment: str, notebooks: tuple[str, ...], todo: list[str], workers: int, progress,
                result: ClassResult, scheduler: str | None = None) -> None:
    from autograder.run.pool import GradingPool

    deadline = lambda job: job_deadline(recorder.config, job)  # noqa: E731 - asked once grading runs
    failed = lambda job, reason: Outcome(job, False, reason)  # noqa: E731
    if scheduler:
        from autograder.run.cluster import DaskPool

        pool = DaskPool(scheduler, str(root), deadline=deadline, failed=failed)
    else:
        pool = GradingPool(grade_submission, workers, pool_factory(root), deadline=deadline, failed=failed)
    try:
        pool.start()  # first: the workers get ready (or are checked) while the recorder gets ready
        recorder = Recorder(root)
        _record_all(root, assignment, notebooks, todo, progress, result, pool, recorder)
    finally:
        if scheduler:
            pool.close()  # the client's connection; a GradingPool shuts its workers down in outcomes()


def _record_all(root: Path, assignment: str, notebooks: tuple[str, ...], todo: list[str], progress,
                result: ClassResult, pool, recorder: Recorder) -> None:
    """Grade ``todo`` on ``pool`` and record each outcome as it arrives (the only gradebook writer)."""
    from autograder.pipeline.preprocessors import ProbeVerdicts
    from autograder.pipeline.reference import reference_records
    from autograder.run.speedups import WalGradebook

    # the expected values, computed once here rather than by every worker
    cache = ProbeVerdicts(config=recorder.config).cache_directory
    for notebook_id in notebooks:
        reference_records(root / "source" / assignment / f"{notebook_id}.ipynb", root / cache)
    staging_root = root / STAGING
    staging_root.mkdir(parents=True, exist_ok=True)
    database_file = sqlite_file(recorder.db_url)  # a server makes each commit durable itself
    with (WalGradebook(database_file) if database_file else nullcontext()) as wal, \
            tempfile.TemporaryDirectory(dir=staging_root, prefix="run-") as run_dir:
        if wal is not None:
            recorder.make_durable = wal.make_durable
        # workers read the released assignment (its cells and kernelspec), never a submission's rows
        snapshot = snapshot_gradebook(recorder.db_url, Path(run_dir) / "gradebook.snapshot.db")
        jobs = [Job(str(root), assignment, s, notebooks, snapshot, str(Path(run_dir) / s)) for s in todo]
        bar = _progress(len(jobs), progress)
        pool.watch = lambda running: _name_the_slow_one(bar, running)
        try:
            for outcome in pool.outcomes(jobs):
                recorder.begin(assignment, outcome.job.student)
                status = recorder.record(outcome)
                outcome.graded = {}  # recorded: nothing keeps every notebook
                who = outcome.job.student
                if status.kind == GRADED:
                    result.graded.append(who)
                    if status.detail:
                        result.noted[who] = status.detail
                elif status.kind == FAILED:
                    result.failed[who] = status.detail
                else:
                    result.needs_manual[who] = status.detail
                bar.update(1)
        finally:
            bar.close()


SLOW_SECONDS = 5  # a submission graded for longer is named on the progress line


def _name_the_slow_one(bar, running) -> None:
    """Name, after the progress bar, the submission a worker has been on the longest, once it is slow."""
    slow = [f"{job.student} ({seconds:.0f} s)" for job, seconds in running if seconds >= SLOW_SECONDS]
    text = "waiting for " + ", ".join(slow[:3]) + (" …" if len(slow) > 3 else "") if slow else ""
    if text != getattr(bar, "postfix", None):
        bar.set_postfix_str(text, refresh=True)


def _progress(total: int, enabled: bool | None):
    return tqdm(total=total, unit="submission", disable=None if enabled is None else not enabled,
                bar_format="{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}<{remaining}, {rate_fmt}{postfix}]")
