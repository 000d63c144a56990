"""GradingPool: workers that die or hang cost only their own job, and every run ends."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from multiprocessing.sharedctypes import RawArray

import pytest

from autograder.run.pool import SLOT_FIELDS, GradingPool, claim_slot

pytestmark = pytest.mark.xdist_group("pool")


def make_executor(size: int):
    ctx = get_context("fork")
    counter, slots = ctx.Value("i", 0), RawArray("d", [0.0] * (SLOT_FIELDS * size))
    return ProcessPoolExecutor(size, mp_context=ctx, initializer=claim_slot, initargs=(counter, slots)), slots


def work(job):
    """'ok-N' returns N; 'die' kills its own worker every time; 'die-once-<file>' the first time only;
    'hang' never returns."""
    if job == "die" or (job.startswith("die-once-") and not os.path.exists(job[9:])):
        if job != "die":
            open(job[9:], "w").close()
        os.kill(os.getpid(), signal.SIGKILL)
    if job == "hang":
        time.sleep(3600)
    time.sleep(0.05)
    return ("done", job)


def run(jobs, workers=2, deadline=30.0):
    pool = GradingPool(work, workers, make_executor, deadline=lambda job: deadline,
                       failed=lambda job, reason: ("failed", job, reason))
    started = time.monotonic()
    outcomes = list(pool.outcomes(jobs))
    return outcomes, time.monotonic() - started, pool


def test_every_job_is_done_once_in_a_healthy_pool():
    jobs = [f"ok-{i}" for i in range(10)]
    outcomes, _, pool = run(jobs)
    assert sorted(outcomes) == sorted(("done", j) for j in jobs)
    assert pool.restarts == 0


def test_a_job_that_kills_its_worker_is_failed_and_the_rest_are_done(tmp_path):
    jobs = [f"ok-{i}" for i in range(6)] + ["die"] + [f"ok-{i}" for i in range(6, 12)]
    outcomes, _, _ = run(jobs)
    done = sorted(o for o in outcomes if o[0] == "done")
    failed = [o for o in outcomes if o[0] == "failed"]
    assert done == sorted(("done", j) for j in jobs if j != "die")
    assert [(f[1], "died twice" in f[2]) for f in failed] == [("die", True)]


def test_a_worker_that_dies_once_costs_nothing(tmp_path):
    marker = tmp_path / "died"
    jobs = ["ok-1", f"die-once-{marker}", "ok-2", "ok-3"]
    outcomes, _, pool = run(jobs)
    assert sorted(outcomes) == sorted(("done", j) for j in jobs)
    assert pool.restarts == 1


def test_a_job_past_its_deadline_is_failed_and_the_run_ends():
    outcomes, seconds, _ = run(["ok-1", "hang", "ok-2", "ok-3"], deadline=2.0)
    failed = [o for o in outcomes if o[0] == "failed"]
    assert [f[1] for f in failed] == ["hang"] and "longer than 2 s" in failed[0][2]
    assert sorted(o for o in outcomes if o[0] == "done") == [("done", "ok-1"), ("done", "ok-2"), ("done", "ok-3")]
    assert seconds < 30


def test_the_watcher_is_told_which_job_a_worker_has_been_on_the_longest():
    pool = GradingPool(work, 2, make_executor, deadline=lambda job: 2.5,
                       failed=lambda job, reason: ("failed", job, reason))
    seen = []
    pool.watch = seen.append
    outcomes = list(pool.outcomes(["ok-1", "hang", "ok-2"]))
    assert any(o[:2] == ("failed", "hang") for o in outcomes)  # stopped at its deadline
    longest = [running[0] for running in seen if running]
    assert longest and longest[-1][0] == "hang" and longest[-1][1] >= 1.5, seen[-3:]
    assert all(a[1] >= b[1] for running in seen for a, b in zip(running, running[1:]))  # longest first


def test_the_progress_line_names_a_slow_submission():
    from types import SimpleNamespace

    from autograder.run.driver import SLOW_SECONDS, _name_the_slow_one, _progress

    bar = _progress(3, False)
    ada, ben = SimpleNamespace(student="ada"), SimpleNamespace(student="ben")
    _name_the_slow_one(bar, [(ada, SLOW_SECONDS + 40.2), (ben, 1.0)])
    assert bar.postfix == "waiting for ada (45 s)"
    _name_the_slow_one(bar, [(ben, 1.0)])
    assert bar.postfix == ""
    bar.close()


CLAIM = """
import sys, time
from autograder.kernel.sandbox import claim_sandbox_uid
print(claim_sandbox_uid(int(sys.argv[1])), flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_live_grading_processes_never_share_a_sandbox_user():
    """Workers of two runs at once, or Dask workers on one machine, each get a user of their own;
    a user is free again once its process has ended."""
    import subprocess
    import sys

    first = 64000  # far from the users the other tests' workers claim

    def claim(seconds: float) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-c", CLAIM, str(first), str(seconds)], stdout=subprocess.PIPE,
                                text=True)

    holders = [claim(30) for _ in range(3)]
    uids = [int(p.stdout.readline()) for p in holders]
    assert sorted(uids) == [first, first + 1, first + 2]
    holders[1].kill()
    holders[1].wait()
    again = claim(0)
    assert int(again.stdout.readline()) == uids[1]
    again.wait()
    for p in holders:
        p.kill()
        p.wait()
