"""Grading jobs on worker processes, with a run that survives its workers.

``concurrent.futures.ProcessPoolExecutor`` gives up on the whole pool when one worker
dies: every job in it fails with ``BrokenProcessPool``. Out-of-memory kills, a worker
killed by hand, or a job that never returns must cost at most the submission involved,
so :class:`GradingPool` wraps the executor:

- every worker writes, in shared memory, which job it is on and since when;
- a job that runs past its deadline has its worker killed (its kernels and warm parent
  die with it) and is failed with the reason;
- when a worker dies, the pool is replaced. Jobs that were waiting in the queue go to
  the new pool; each job that was *running* (the dead worker's, or another worker's
  that the executor stopped) is graded again alone, in a pool of one worker, so that a
  death there can only be that job's. A job whose lone worker dies too is failed.

Every wait has a deadline, so :meth:`GradingPool.outcomes` always ends.
"""

from __future__ import annotations

import os
import signal
import time
from collections import deque
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from typing import Callable, Iterator

SLOT_FIELDS = 3  # per worker: pid, job number (-1: idle), time.monotonic() when the job started
WATCH_SECONDS = 1.0  # how often deadlines are looked at while waiting for results

_SLOT: dict = {}  # in a worker: its slot array and index


def claim_slot(counter, slots) -> int:
    """In a new worker (pool initializer): take the next free slot; return its index."""
    with counter.get_lock():
        index = counter.value
        counter.value += 1
    _SLOT.update(slots=slots, index=index)
    slots[index * SLOT_FIELDS: index * SLOT_FIELDS + 2] = [os.getpid(), -1]
    return index


def run_numbered(function: Callable, number: int, job):
    """In a worker: ``function(job)``, with the slot saying that job ``number`` is running."""
    slots, base = _SLOT.get("slots"), _SLOT.get("index", 0) * SLOT_FIELDS
    if slots is not None:
        slots[base + 2] = time.monotonic()
        slots[base + 1] = number
    try:
        return function(job)
    finally:
        if slots is not None:
            slots[base + 1] = -1


@dataclass
class _Pool:
    executor: ProcessPoolExecutor
    slots: object  # multiprocessing RawArray of SLOT_FIELDS doubles per worker
    size: int

    def running(self) -> dict[int, tuple[int, float]]:
        """Job number -> (worker pid, start time) of every job a worker has said it is on."""
        out = {}
        for i in range(self.size):
            pid, number, started = self.slots[i * SLOT_FIELDS: (i + 1) * SLOT_FIELDS]
            if pid > 0 and number >= 0:
                out[int(number)] = (int(pid), started)
        return out

    def kill_workers(self) -> None:
        for i in range(self.size):
            pid = int(self.slots[i * SLOT_FIELDS])
            if pid > 0:
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

    def close(self, broken: bool = False) -> None:
        if broken:
            self.kill_workers()  # the executor has stopped them already; this makes sure
        self.executor.shutdown(wait=not broken, cancel_futures=True)


class GradingPool:
    """Runs ``function`` on each job in worker processes; see the module docs.

    Parameters
    ----------
    function : callable
        The work, ``function(job) -> outcome``; importable by the workers.
    workers : int
        Processes of the main pool.
    make_executor : callable
        ``make_executor(size) -> (ProcessPoolExecutor, slots)``: a new pool of ``size``
        workers whose initializer calls :func:`claim_slot`.
    deadline : callable
        ``deadline(job) -> seconds`` a job may run before its worker is killed.
    failed : callable
        ``failed(job, reason) -> outcome`` for a job that could not be graded.
    """

    def __init__(self, function, workers, make_executor, deadline, failed):
        self.function, self.workers = function, max(1, workers)
        self.make_executor, self.deadline, self.failed = make_executor, deadline, failed
        self.restarts = 0
        self._main: _Pool | None = None
        self.watch = None  # called about every WATCH_SECONDS with [(job, seconds it has run)], longest first

    def start(self) -> "GradingPool":
        """Start the workers now (they get ready while the caller prepares the jobs)."""
        if self._main is None:
            self._main = self._new_pool(self.workers)
        return self

    def _new_pool(self, size: int) -> _Pool:
        executor, slots = self.make_executor(size)
        return _Pool(executor, slots, size)

    def outcomes(self, jobs) -> Iterator:
        """Yield one outcome per job (picklable, numbered by position), in the order they finish."""
        self.jobs = list(jobs)
        self._queue = deque(range(len(self.jobs)))  # job numbers not yet handed to a pool
        self._alone: deque[int] = deque()  # jobs to grade again, each alone
        self._overdue: dict[int, str] = {}  # job number -> why its worker was killed
        self._idle_breaks = 0  # pool deaths in a row with no job running: workers that cannot start
        main, solo, self._main = self.start()._main, None, None
        in_main: dict = {}  # future -> job number
        in_solo: dict = {}
        try:
            while self._queue or self._alone or in_main or in_solo:
                broken = set()
                try:
                    while self._queue and len(in_main) < 2 * main.size:  # a short queue: a dead pool loses little
                        number = self._queue.popleft()
                        future = main.executor.submit(run_numbered, self.function, number, self.jobs[number])
                        in_main[future] = number
                except BrokenProcessPool:  # it died since the last look
                    self._queue.appendleft(number)
                    broken.add(id(main))
                if self._alone and not in_solo:
                    solo = solo or self._new_pool(1)
                    number = self._alone.popleft()
                    try:
                        in_solo[solo.executor.submit(run_numbered, self.function, number, self.jobs[number])] = number
                    except BrokenProcessPool:
                        self._alone.appendleft(number)
                        broken.add(id(solo))
                if not broken:
                    done, _ = wait([*in_main, *in_solo], timeout=WATCH_SECONDS, return_when=FIRST_COMPLETED)
                    for future in done:
                        pool, futures = (main, in_main) if future in in_main else (solo, in_solo)
                        if isinstance(future.exception(), BrokenProcessPool):
                            broken.add(id(pool))
                            continue  # sorted out below, with the rest of its pool
                        yield self._outcome(future, futures.pop(future))
                    for pool in (main, solo):
                        if pool is not None and id(pool) not in broken:
                            self._kill_overdue(pool)
                    if self.watch is not None:
                        self.watch(self._running(main, solo))
                if id(main) in broken:
                    yield from self._after_death(main, in_main, lone=False)
                    main = self._new_pool(self.workers)
                if solo is not None and id(solo) in broken:
                    yield from self._after_death(solo, in_solo, lone=True)
                    solo = None
        finally:
            for pool in (main, solo):
                if pool is not None:
                    pool.close(broken=bool(in_main or in_solo))

    def _outcome(self, future, number: int):
        try:
            return future.result()
        except Exception as exc:  # noqa: BLE001 - e.g. an outcome that could not be sent back
            return self.failed(self.jobs[number], f"the grading process failed: {type(exc).__name__}: {exc}")

    def _after_death(self, pool: _Pool, futures: dict, lone: bool) -> Iterator:
        """A worker of ``pool`` died: for each of its jobs, the result it had already sent, or a
        failure, or grading it again alone, or queueing it again."""
        running = pool.running()
        self.restarts += 1
        for future, number in futures.items():
            if future.done() and not isinstance(future.exception(), BrokenProcessPool):
                yield self._outcome(future, number)  # finished before the death
            elif number in self._overdue:
                yield self.failed(self.jobs[number], self._overdue.pop(number))
            elif lone:
                yield self.failed(self.jobs[number], "the grading process died twice while grading it (killed "
                                  "from outside, e.g. by the out-of-memory killer)")
            elif number in running:
                self._alone.append(number)  # it was running: a suspect, graded again alone
            else:
                self._queue.appendleft(number)  # it was waiting: innocent
        self._idle_breaks = 0 if running else self._idle_breaks + 1
        futures.clear()
        pool.close(broken=True)
        if self._idle_breaks >= 3:  # the workers die before any job: nothing will ever be graded
            reason = "the grading processes keep dying before they start a submission (see the messages above)"
            while self._queue:
                yield self.failed(self.jobs[self._queue.popleft()], reason)

    def _running(self, *pools) -> list:
        """(job, seconds it has run) of every job a worker is on now, longest first."""
        now = time.monotonic()
        running = [(self.jobs[number], now - started) for pool in pools if pool is not None
                   for number, (_, started) in pool.running().items()]
        return sorted(running, key=lambda item: -item[1])

    def _kill_overdue(self, pool: _Pool) -> None:
        """Kill the worker of each job that has run past its deadline (the pool then breaks)."""
        now = time.monotonic()
        for number, (pid, started) in pool.running().items():
            limit = self.deadline(self.jobs[number])
            if number not in self._overdue and now - started > limit:
                self._overdue[number] = f"grading took longer than {limit:.0f} s, so the grader stopped it"
                try:
                    os.kill(pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
