"""`course grade --scheduler ADDRESS`: the same grading, on the workers of a Dask cluster.

Each submission is one task, :func:`grade_on_worker` of a :class:`~autograder.run.worker.Job`,
which runs :func:`~autograder.run.worker.grade_submission` (sanitize, execute in the kernel
sandbox, verdicts) and sends the graded notebooks back. The grading process stays the only
gradebook writer: it records each outcome as it arrives, exactly as with local workers.

What a worker needs (docs/scale.md):

- **the course folder at the same path** as on the grading machine (a shared folder, e.g.
  NFS): the worker reads ``source/``, ``submitted/``, the reference records under
  ``.grading-cache/`` and the gradebook snapshot, and writes the graded copy into
  ``.grading-cache/staging/``, which the grading process then renames into ``autograded/``;
- **the grader's environment**: the same Python packages as ``make setup`` installs (this
  repository, nbgrader), and Debian's ``bubblewrap``; a worker that cannot sandbox
  student code is found before anything is sent, and the run is refused.

Start workers with one thread each (``dask worker ADDRESS --nthreads 1``); a worker with
more threads still grades one submission at a time. When a worker dies mid-task, the
scheduler gives its task to another worker; a task that kills three workers is failed
with the reason (Dask's ``distributed.scheduler.allowed-failures``). Each task's result is
recorded once, however many times it ran.
"""

from __future__ import annotations

import threading
import time
import uuid
from dataclasses import replace
from typing import Iterator

from traitlets import Unicode
from traitlets.config import Configurable

from autograder.run.worker import STATE, Job, Outcome, grade_submission, prepare_worker
from autograder.errors import FixableError

WATCH_SECONDS = 1.0
_one_at_a_time = threading.Lock()
_prepared: set[str] = set()


class ClusterGrading(Configurable):
    """``c.ClusterGrading.scheduler`` in nbgrader_config.py: grade on this cluster by default."""

    scheduler = Unicode("", help="Address of a Dask scheduler that `course grade` sends submissions to "
                        "(e.g. tcp://10.0.0.5:8786); empty: grade on this machine's cores.").tag(config=True)


class ClusterUnavailable(FixableError):
    """The cluster cannot grade this course; the message says which worker and what to do."""


# --- on a worker -----------------------------------------------------------------------

def worker_problem(root: str) -> str | None:
    """On a worker: why it cannot grade the course at ``root``, or None."""
    from pathlib import Path

    from autograder.kernel.sandbox import bwrap_available

    STATE.own_sandbox_user = True  # before the configuration is loaded: a sandbox user of its own

    if not (Path(root) / "nbgrader_config.py").is_file():
        return (f"cannot see the course folder {root}: a worker needs it at the same path as the grading "
                "machine (a shared folder)")
    try:
        config, _ = STATE.load(root)
    except Exception as exc:  # noqa: BLE001 - said to the instructor, who fixes the worker
        return f"cannot load the course's nbgrader_config.py: {type(exc).__name__}: {exc}"
    sandbox = config.SandboxedKernelManager
    if sandbox.get("enabled", True) and not bwrap_available(sandbox.get("bwrap", "bwrap")):
        return ("cannot sandbox student code: bubblewrap (bwrap) is not installed there "
                "(`apt-get install bubblewrap`, or `make system` in the course folder)")
    return None


def worker_sandbox_uid() -> int | None:
    """On a worker: the user its student kernels run as (None before it has loaded a course)."""
    config = STATE.config
    return config.SandboxedKernelManager.sandbox_uid if config is not None else None


def worker_versions() -> dict[str, str]:
    """On a worker (and here): the versions that decide a grade."""
    import sys

    import nbclient
    import nbgrader

    return {"python": sys.version.split()[0], "nbgrader": nbgrader.__version__, "nbclient": nbclient.__version__}


def grade_on_worker(job: Job) -> Outcome:
    """The task: grade one submission on this worker, one at a time per worker process."""
    with _one_at_a_time:  # kernels, environment and configuration are per process
        if job.root not in _prepared:
            STATE.own_sandbox_user = True  # a sandbox user no other process of this machine has
            try:
                prepare_worker(job.root)
            except Exception:  # noqa: BLE001 - grade_submission meets the same problem and reports it
                pass
            _prepared.add(job.root)
        # a staging folder of this attempt's own: a task Dask runs again (its worker thought dead)
        # never writes into the folder that another attempt's result names
        return grade_submission(replace(job, staging=f"{job.staging}.{uuid.uuid4().hex[:12]}"))


# --- in the grading process --------------------------------------------------------------

class DaskPool:
    """Runs :func:`grade_on_worker` on a Dask cluster, with :class:`autograder.run.pool.GradingPool`'s interface.

    Parameters
    ----------
    address : str
        The scheduler, e.g. ``tcp://10.0.0.5:8786``.
    root : str
        The course folder (the same path on every worker).
    deadline, failed : callable
        As for :class:`~autograder.run.pool.GradingPool`: seconds a job may run, and the
        outcome of a job that could not be graded. A job past its deadline is cancelled
        and its worker restarted.
    """

    def __init__(self, address: str, root: str, deadline, failed, connect_seconds: float = 30):
        from distributed import Client

        self.root, self.deadline, self.failed = root, deadline, failed
        self.watch = None  # as GradingPool.watch
        try:
            self.client = Client(address, timeout=connect_seconds, set_as_default=False)
        except OSError as exc:
            raise ClusterUnavailable(f"no Dask scheduler answers at {address}: {exc}") from None

    def start(self) -> "DaskPool":
        """Refuse, naming each worker and its problem, unless every worker can grade here."""
        workers = self.client.scheduler_info().get("workers", {})
        if not workers:
            raise ClusterUnavailable("the Dask cluster has no workers: start some (`dask worker ADDRESS --nthreads 1`)")
        problems = self.client.run(worker_problem, self.root)
        ours = worker_versions()
        for address, versions in self.client.run(worker_versions).items():
            if versions != ours and not problems.get(address):
                problems[address] = f"runs {versions}, the grading machine {ours}: install the same environment"
        bad = {address: why for address, why in problems.items() if why}
        if bad:
            lines = "\n".join(f"  {address}: {why}" for address, why in sorted(bad.items()))
            raise ClusterUnavailable(f"not grading on the cluster: {len(bad)} of {len(workers)} workers cannot grade "
                                     f"this course\n{lines}")
        return self

    def outcomes(self, jobs) -> Iterator[Outcome]:
        """One outcome per job, in the order they finish; see the module docs."""
        from distributed import as_completed
        from distributed.scheduler import KilledWorker

        jobs = list(jobs)
        futures = {self.client.submit(grade_on_worker, job, pure=False,
                                      key=f"grade-{job.assignment}-{job.student}-{time.time_ns()}"): job
                   for job in jobs}
        pending = as_completed(futures, loop=self.client.loop)
        started: dict[str, float] = {}  # task key -> when it was first seen running
        overdue: set[str] = set()
        try:
            while futures:
                batch = pending.next_batch(block=False)
                for future in batch:
                    job = futures.pop(future, None)
                    if job is None:
                        continue  # cancelled as overdue: its failure was yielded then
                    try:
                        yield future.result()
                    except KilledWorker:
                        yield self.failed(job, "the grading process died on every worker that tried it (Dask's "
                                               "allowed-failures; killed from outside, e.g. by the out-of-memory "
                                               "killer)")
                    except Exception as exc:  # noqa: BLE001 - e.g. a result that could not be sent back
                        yield self.failed(job, f"the grading process failed: {type(exc).__name__}: {exc}")
                if futures and not batch:
                    time.sleep(WATCH_SECONDS)
                    yield from self._look(futures, started, overdue)
        finally:
            self.client.cancel(list(futures))

    def _look(self, futures: dict, started: dict, overdue: set) -> Iterator[Outcome]:
        """Note when tasks start running; cancel the overdue (restarting their workers); tell ``watch``."""
        now = time.monotonic()
        by_key = {future.key: future for future in futures}
        running = {key: address for address, keys in self.client.processing().items()
                   for key in keys if key in by_key}
        for key in running:
            started.setdefault(key, now)
        for key, address in running.items():
            job = futures[by_key[key]]
            limit = self.deadline(job)
            if key not in overdue and now - started[key] > limit:
                overdue.add(key)
                futures.pop(by_key[key])
                self.client.cancel(by_key[key], force=True)
                self.client.restart_workers([address], raise_for_error=False)
                yield self.failed(job, f"grading took longer than {limit:.0f} s, so the grader stopped it")
        if self.watch is not None:
            self.watch(sorted(((futures[by_key[key]], now - started[key]) for key in running if key not in overdue),
                              key=lambda item: -item[1]))

    def close(self) -> None:
        self.client.close()
