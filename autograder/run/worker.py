"""One submission graded in a worker: the unit of work of ``course grade``, on any pool.

:func:`grade_submission` is a plain function of a picklable :class:`Job`: it refuses what may not be
handed in, copies the files beside the notebook, runs nbgrader's *transforming* preprocessors
(sanitize, execute in the sandbox, verdicts, ...) from the course's configuration and writes the
graded copy into a staging folder. It never writes the gradebook or a status record, so the local
pool (:mod:`autograder.run.pool`) and a Dask cluster (:mod:`autograder.run.cluster`) run the same
function, and the driver (:mod:`autograder.run.driver`) records what comes back. What a worker keeps
between submissions (the configuration, the pipelines, its sandbox user) is its :class:`WorkerState`.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path

import nbformat

from autograder import patches
from autograder.pipeline import metadata
from autograder.pipeline.submission import handin_problem, read_submission
from autograder.run.config import AutogradeSettings, autograde_settings, course_config
from autograder.run.status import failure_reason

DATABASE_PREPROCESSORS = ("SaveAutoGrades", "AssignLatePenalties")
FIRST_SANDBOX_UID = 61100  # workers run kernels as users from this uid on (or c.SandboxedKernelManager.sandbox_uid)


@dataclass(frozen=True)
class Job:
    """One submission to grade: everything a worker needs, as plain values."""

    root: str
    assignment: str
    student: str
    notebooks: tuple[str, ...]  # notebook ids of the assignment (file names without .ipynb)
    snapshot_db: str  # URL of the gradebook workers read: a SQLite copy taken before the run, or the server
    staging: str  # folder the graded copy is written to


@dataclass
class Outcome:
    """What a worker sends back: the graded copy's folder, or why there is none."""

    job: Job
    ok: bool
    reason: str | None = None
    problems: list[str] = field(default_factory=list)
    seconds: float = 0.0
    graded: dict = field(default_factory=dict)  # notebook id -> the graded notebook (as written to staging)


@dataclass
class WorkerState:
    """What a grading process keeps between submissions: the course's configuration and nbgrader's
    preprocessor lists, loaded once per course; the settings of each assignment; and how its kernels
    run (warm or cold, as a sandbox user of its own). The local pool's workers and Dask workers share it.
    """

    own_sandbox_user: bool = False  # run kernels as a user no other process of this machine has
    warm: bool = True  # fork kernels from a warm parent (cold: a new sandbox per kernel)
    grader: int | None = None  # the grading process this worker dies with
    root: str | None = None
    config: object = None
    pipelines: tuple = ()
    settings: dict = field(default_factory=dict)

    def load(self, root: str):
        """The configuration and the pipelines of the course at ``root``, loaded the first time."""
        if self.root != root:
            from autograder.kernel.sandbox import claim_sandbox_uid
            from autograder.run.speedups import cache_metadata_validator, share_gradebook_engines

            share_gradebook_engines()
            cache_metadata_validator()
            config = course_config(root)
            config.GuardedExecute.warm_start = self.warm
            # validate each notebook once per pipeline, not after every preprocessor (a check, not a grade)
            config.Exporter.optimistic_validation = True
            if self.own_sandbox_user and os.geteuid() == 0:  # process limits count per user
                first = config.SandboxedKernelManager.get("sandbox_uid", FIRST_SANDBOX_UID)
                config.SandboxedKernelManager.sandbox_uid = claim_sandbox_uid(first)
            self.root, self.config, self.pipelines, self.settings = root, config, pipelines(config), {}
        return self.config, self.pipelines

    def settings_of(self, assignment: str) -> AutogradeSettings:
        """:func:`~autograder.run.config.autograde_settings` of ``assignment``, once per assignment."""
        if assignment not in self.settings:
            self.settings[assignment] = autograde_settings(self.config, assignment)
        return self.settings[assignment]


STATE = WorkerState()  # this process's


def init_worker(counter=None, root: str | None = None, grader: int | None = None, slots=None) -> None:
    """Pool initializer: die with the grading process ``grader``; take a slot in ``slots``
    (:mod:`autograder.run.pool`); with ``root``, get ready to grade there (see :func:`prepare_worker`)."""
    try:  # a worker must not outlive its parent (the fork server)
        import ctypes
        import signal

        ctypes.CDLL(None).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    if grader is not None:
        die_with(grader)
        STATE.grader = grader
    if counter is not None:
        from autograder.run.pool import claim_slot

        claim_slot(counter, slots)
    STATE.own_sandbox_user = True
    if root is not None:
        try:
            prepare_worker(root)
        except Exception:  # noqa: BLE001 - the first submission meets the same problem and reports it
            pass


def die_with(pid: int) -> None:
    """End this process (and with it its warm parent and kernels) as soon as process ``pid`` ends.

    Workers are children of the fork server, not of the grader, so the kernel's
    parent-death signal does not cover a grader killed with ``kill -9``; a process file
    descriptor does, without polling (and where there is none, a check once a second).
    """
    import select
    import threading

    import psutil

    try:
        handle = os.pidfd_open(pid)
    except (AttributeError, OSError):  # no pidfd (old kernel), or already gone
        handle = None
    if handle is None and not psutil.pid_exists(pid):
        os._exit(1)

    def watch():
        if handle is not None:
            select.select([handle], [], [])
        else:
            while psutil.pid_exists(pid):
                time.sleep(1)
        try:  # its warm parents and their socket folders first: nothing else would remove them
            from autograder.kernel.warm import Zygote

            Zygote.close_all()
        finally:
            os._exit(1)

    threading.Thread(target=watch, name="die-with-grader", daemon=True).start()


def autograding_environment() -> None:
    """Tell kernels they are being autograded, as ``nbgrader autograde`` does.

    nbgrader sets ``NBGRADER_EXECUTION=autograde`` around its autograde pass, so that a
    notebook can behave differently while graded. A worker only ever autogrades, and its
    warm kernel parent copies the environment when it starts, so it is set for the process.
    """
    os.environ["NBGRADER_EXECUTION"] = "autograde"


def prepare_worker(root: str) -> None:
    """Start the warm kernel parent and load the course's configuration, before any submission.

    Each takes a second or so. The warm parent (a process of its own) starts first, for
    the default ``bwrap``, while the configuration loads; done in the pool's initializer,
    both overlap with the recorder's own preparations instead of delaying the first
    submission. A configuration that names another ``bwrap`` gets its own warm parent.
    """
    from autograder.pipeline.execute import GuardedExecute
    from autograder.kernel.sandbox import bwrap_available
    from autograder.kernel.warm import WarmSandboxedKernelManager, Zygote

    autograding_environment()
    if os.geteuid() == 0 and bwrap_available("bwrap") and patches.applies("jupyter_client-warm-kernel-launch"):
        Zygote.start(bwrap_available("bwrap"), Path(root).resolve())
    config, _ = STATE.load(root)
    if GuardedExecute(config=config).kernel_manager_class is WarmSandboxedKernelManager:
        manager = WarmSandboxedKernelManager(config=config)
        if manager.warm:
            manager.zygote()


# what a worker imports: loaded once by the fork server, so each worker starts with them
WORKER_MODULES = ["autograder.run.worker", "autograder.pipeline.execute", "autograder.kernel.warm",
                  "autograder.pipeline.preprocessors", "autograder.run.speedups", "nbgrader.converters",
                  "nbgrader.preprocessors", "nbgrader.api", "nbconvert.exporters", "nbconvert.preprocessors", "nbclient",
                  "jupyter_client"]


def worker_context(start: bool = False):
    """Workers are forked from a server that has imported :data:`WORKER_MODULES` (not from
    this process, which may hold threads, a terminal and open databases). With ``start``,
    the server starts importing now, in the background."""
    ctx = get_context("forkserver")
    ctx.set_forkserver_preload(WORKER_MODULES)
    if start:
        from multiprocessing import forkserver

        forkserver.ensure_running()
    return ctx


def worker_ready() -> int:
    """A task that returns once a worker has started (and run its initializer)."""
    return os.getpid()


def pipelines(config):
    """nbgrader's preprocessor lists: sanitize, autograde without database writers, database writers."""
    from nbgrader.converters import Autograde

    converter = Autograde(config=config)
    sanitize = list(converter.sanitize_preprocessors)
    autograde = [pp for pp in converter.autograde_preprocessors if pp.__name__ not in DATABASE_PREPROCESSORS]
    database = [pp for pp in converter.autograde_preprocessors if pp.__name__ in DATABASE_PREPROCESSORS]
    return sanitize, autograde, database


def run_preprocessors(preprocessors, config, nb, resources):
    """One nbconvert export through ``preprocessors``, as nbgrader runs it, kept as a notebook node.

    nbgrader writes the result to disk and reads it back for the next pass; the node
    goes on directly instead (with what reading a file would strip, stripped).
    """
    from nbconvert.exporters import Exporter, NotebookExporter
    from nbformat.v4.rwbase import strip_transient

    exporter = NotebookExporter(config=config)
    for pp in preprocessors:
        exporter.register_preprocessor(pp)
    nb, resources = Exporter.from_notebook_node(exporter, nb, resources=resources)
    return strip_transient(nb), resources


def copy_assignment_files(root: Path, assignment: str, student: str, dest: Path,
                          settings: AutogradeSettings | None = None) -> None:
    """The files beside the notebook, as nbgrader's autograde copies them: the student's, then the
    source's over them, except those matching ``CourseDirectory.ignore`` and, of the source's, those
    in ``Autograde.exclude_overwriting``. Symbolic links are never followed (a submission's link
    could name another student's file)."""
    from nbgrader.utils import find_all_files

    ignore = list(settings.ignore) if settings else []
    keep = set(settings.exclude_overwriting) if settings else set()
    for folder, kept in ((root / "submitted" / student / assignment, set()), (root / "source" / assignment, keep)):
        for name in sorted(find_all_files(str(folder), ignore + ["*.ipynb"])) if folder.is_dir() else []:
            path = Path(name)
            relative = path.relative_to(folder)
            if path.is_symlink() or not path.is_file() or relative.as_posix() in kept:
                continue
            target = dest / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)


def grade_submission(job: Job) -> Outcome:
    """Grade one submission without touching the gradebook (see the module docs)."""
    start = time.perf_counter()
    root, staging = Path(job.root), Path(job.staging)
    autograding_environment()
    try:
        config, (sanitize, autograde, _) = STATE.load(job.root)
        shutil.rmtree(staging, ignore_errors=True)  # left by an attempt whose worker died
        staging.mkdir(parents=True)
        folder = root / "submitted" / job.student / job.assignment
        irregular = handin_problem(folder)  # before anything of it is copied or read
        if irregular:
            return Outcome(job, False, irregular, seconds=time.perf_counter() - start)
        copy_assignment_files(root, job.assignment, job.student, staging, STATE.settings_of(job.assignment))
        handed_in = [n for n in job.notebooks if (folder / f"{n}.ipynb").exists()]
        if not handed_in:  # nbgrader autograde fails such a submission too ("No notebooks found")
            _, why = read_submission(folder / f"{job.notebooks[0]}.ipynb", job.assignment, root / "source")
            return Outcome(job, False, why, seconds=time.perf_counter() - start)
        problems, graded = [], {}
        for notebook_id in handed_in:
            path = folder / f"{notebook_id}.ipynb"
            nb, broken = read_submission(path, job.assignment, root / "source")
            if broken:
                return Outcome(job, False, broken, seconds=time.perf_counter() - start)
            resources = {"unique_key": notebook_id, "output_files_dir": f"{notebook_id}_files",
                         "metadata": {"path": str(staging)},
                         "nbgrader": {"student": job.student, "assignment": job.assignment,
                                      "notebook": notebook_id, "db_url": job.snapshot_db}}
            nb, resources = run_preprocessors(sanitize, config, nb, resources)
            nb, resources = run_preprocessors(autograde, config, nb, resources)
            problem = metadata.problem(nb)
            if problem:
                problems.append(problem)
            nbformat.write(nb, staging / f"{notebook_id}.ipynb")
            graded[notebook_id] = nb
        return Outcome(job, True, problems=problems, seconds=time.perf_counter() - start, graded=graded)
    except Exception as exc:  # the submission fails, the class goes on
        return Outcome(job, False, failure_reason(exc), seconds=time.perf_counter() - start)
