"""`course grade` against stock `nbgrader autograde`: same class, same run, same grades?

Builds a class of N submissions of one assignment, a third each of correct answers,
partly wrong answers (known mistakes) and broken files or untouched notebooks, in three
temporary copies of the course. One copy is graded by `nbgrader autograde` (nbgrader's
own sequential command, this course's nbgrader_config.py, sandbox on); the other two by
`course grade` (parallel workers, warm sandboxed kernels), one just before and one just
after the stock run. It prints the throughputs, the ratio of the stock time to the mean
`course grade` time, the peak memory of each run, and whether every grade in the
gradebooks is the same.

Run: make bench-grade   (or: python benchmarks/grade_class.py [N] [ASSIGNMENT] [WORKERS])
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from content.mutants import all_mutants, replace_cell  # noqa: E402


def env() -> dict:
    out = dict(os.environ)
    out["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), out.get("PATH", "")])
    return out


def course_copy(folder: Path) -> Path:
    folder.mkdir(parents=True)
    shutil.copy(ROOT / "nbgrader_config.py", folder)
    shutil.copytree(ROOT / "source", folder / "source")
    return folder


def tree_pss(pid: int) -> int:
    """Proportional set size of a process and all its descendants, in bytes (shared pages split)."""
    import psutil

    try:
        processes = [psutil.Process(pid), *psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return 0
    total = 0
    for process in processes:
        try:
            total += process.memory_full_info().pss
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            pass
    return total


SAMPLE_EVERY = 1.0  # seconds; one sample of a tree of ~8 processes costs about 25 ms of CPU


def run(root: Path, *command: str) -> tuple[float, int, subprocess.CompletedProcess]:
    """Wall time and peak memory in MiB: the whole process tree's PSS (grader, workers, kernels).

    Memory is sampled once a second: reading every process's page tables costs CPU on the
    same cores the graders use (four samples a second took ~5% of a 2-core machine, which
    slows a grader that keeps both cores busy and not one that uses one).
    """
    start = time.perf_counter()
    proc = subprocess.Popen(command, cwd=root, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], tree_pss(proc.pid))
            time.sleep(SAMPLE_EVERY)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    seconds = time.perf_counter() - start
    sampler.join()
    return seconds, peak[0] // 2**20, subprocess.CompletedProcess(command, proc.returncode, stdout, stderr)


def build_class(root: Path, assignment: str, n: int) -> dict[str, str]:
    source = nbformat.read(root / "source" / assignment / f"{assignment}.ipynb", 4)
    release = nbformat.read(root / "release" / assignment / f"{assignment}.ipynb", 4)
    mutants = all_mutants()[assignment]
    kinds = {}
    for i in range(n):
        folder = root / "submitted" / f"student{i:03d}" / assignment
        folder.mkdir(parents=True)
        path = folder / f"{assignment}.ipynb"
        if i % 3 == 0:
            nbformat.write(source, path)
            kinds[folder.parent.name] = "correct"
        elif i % 3 == 1:
            mutant = mutants[i % len(mutants)]
            nbformat.write(replace_cell(source, mutant.cell, mutant.source), path)
            kinds[folder.parent.name] = "partly wrong"
        elif i % 6 == 2:
            nbformat.write(release, path)
            kinds[folder.parent.name] = "untouched"
        else:
            path.write_text('{"cells": [')
            kinds[folder.parent.name] = "broken"
        (folder / "timestamp.txt").write_text("2026-11-20 12:00:00.000000 UTC")
    return kinds


def grades(root: Path, assignment: str) -> dict[tuple[str, str], float | None]:
    from tests.grading import gradebook_grades

    return gradebook_grades(f"sqlite:///{root / 'gradebook.db'}", assignment)


def main(n: int = 200, assignment: str = "01_one_variable", workers: int | None = None) -> int:
    with tempfile.TemporaryDirectory(prefix="gd-bench-grade-") as tmp:
        stock = course_copy(Path(tmp, "stock"))
        fast = [course_copy(Path(tmp, "fast-before")), course_copy(Path(tmp, "fast-after"))]
        for root in (stock, *fast):
            subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                           cwd=root, env=env(), check=True, capture_output=True)
            kinds = build_class(root, assignment, n)
            # the instructor's reference run is cached per course; do it before timing, on every copy
            subprocess.run([sys.executable, "-c", "import sys; from autograder.pipeline.reference import reference_records; "
                            f"reference_records(__import__('pathlib').Path('source/{assignment}/{assignment}.ipynb'), "
                            "'.grading-cache/reference')"], cwd=root, env=env(), check=True, capture_output=True)
        counts = {k: list(kinds.values()).count(k) for k in dict.fromkeys(kinds.values())}
        print(f"{n} submissions of {assignment}: " + ", ".join(f"{v} {k}" for k, v in counts.items()))
        command = [sys.executable, "-m", "course.cli", "grade", assignment]
        if workers:
            command += ["--workers", str(workers)]

        def fast_run(root: Path, when: str):
            seconds, mb, proc = run(root, *command)
            print(f"  `course grade` ({when + '):':<8}    {seconds:7.1f} s  {n / seconds:6.2f} submissions/s  peak {mb} MiB"
                  f"  ({os.cpu_count()} cores)")
            return seconds, proc

        # course grade before and after the stock run, on copies of the same class: a machine
        # whose speed drifts during the stock run's minutes moves both sides alike
        before_s, before = fast_run(fast[0], "before")
        stock_s, stock_mb, _ = run(stock, sys.executable, "-m", "nbgrader", "autograde", assignment)
        print(f"  stock `nbgrader autograde`: {stock_s:7.1f} s  {n / stock_s:6.2f} submissions/s  peak {stock_mb} MiB (PSS, all processes)")
        after_s, after = fast_run(fast[1], "after")
        fast_s = (before_s + after_s) / 2
        print(f"  throughput ratio: {stock_s / fast_s:.1f}x  (stock time / mean course grade time; "
              f"{stock_s / before_s:.1f}x and {stock_s / after_s:.1f}x)")
        ok = True
        expected = grades(stock, assignment)
        for root, proc in ((fast[0], before), (fast[1], after)):
            got = grades(root, assignment)
            differ = sorted(k for k in set(expected) | set(got) if expected.get(k) != got.get(k))
            print(f"  grades: {len(expected)} in stock, {len(got)} in course grade ({root.name}); "
                  + ("every grade agrees" if not differ and expected else f"{len(differ)} DIFFER, e.g. {differ[:3]}"))
            if differ or not expected:
                ok = False
                print(proc.stdout[-2000:], proc.stderr[-2000:])
        return 0 if ok else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    raise SystemExit(main(int(args[0]) if args else 200, args[1] if len(args) > 1 else "01_one_variable",
                          int(args[2]) if len(args) > 2 else None))
