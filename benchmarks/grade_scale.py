"""Growth: does grading, exporting and reporting stay fast from 200 to 2,000 submissions?

For each class size (default 200, 1,000 and 2,000) builds a class of one assignment in its
own temporary copy of the course, exactly as benchmarks/grade_class.py does (a third each
of correct answers, partly wrong answers with known mistakes, and untouched notebooks or
broken files; the assignment released there with `nbgrader generate_assignment`, the
instructor's reference run cached before timing). Then, on that class, it times:

- `course grade ASSIGNMENT` (the CLI as a subprocess, one worker per core), and the
  seconds per submission;
- `course export` (grades.csv with the status and per-exercise columns) and
  `course report ASSIGNMENT` (the HTML class report) on the graded class;
- stock `nbgrader export` on the same gradebook, with nbgrader's own CsvExportPlugin
  (`--ExportApp.plugin_class=nbgrader.plugins.export.CsvExportPlugin`; the course's
  nbgrader_config.py would otherwise choose the course's plugin).

It prints one row per size, then the per-submission grading cost at the largest size
relative to the smallest (goal: at most 15 % more) and whether export and report at the
largest size each take under 30 s: PASS or MISS, never an error for a missed goal. The
temporary copies are removed at the end, also on failure or Ctrl-C, unless --keep.

Run: make bench-scale   (or: python benchmarks/grade_scale.py [SIZES ...] [--assignment A] [--keep])
It takes a while: grading costs about 0.25 s per submission on 2 cores, so the default
3,200 submissions take about a quarter of an hour.
"""

from __future__ import annotations

import argparse
import csv
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from grade_class import build_class, course_copy, env, run  # noqa: E402

GROWTH_GOAL = 0.15  # per-submission grading cost at the largest size: at most 15 % above the smallest
SECONDS_GOAL = 30.0  # `course export` and `course report` at the largest size
STOCK_PLUGIN = "nbgrader.plugins.export.CsvExportPlugin"


def prepare(root: Path, assignment: str, n: int) -> dict[str, str]:
    """A course copy at ``root`` with ``assignment`` released, a class of ``n`` submissions, and the
    instructor's reference run cached (so the first timed grading does not pay for it)."""
    course_copy(root)
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                   cwd=root, env=env(), check=True, capture_output=True)
    kinds = build_class(root, assignment, n)
    notebook = f"source/{assignment}/{assignment}.ipynb"
    subprocess.run([sys.executable, "-c", "from pathlib import Path; from autograder.pipeline.reference import "
                    f"reference_records; reference_records(Path({notebook!r}), '.grading-cache/reference')"],
                   cwd=root, env=env(), check=True, capture_output=True)
    return kinds


def timed(root: Path, *command: str, ok=(0,)) -> tuple[float, subprocess.CompletedProcess]:
    """Wall time of one command run in ``root``; a failure (exit status not in ``ok``) is an error."""
    seconds, _, proc = run(root, *command)
    if proc.returncode not in ok:
        raise RuntimeError(f"`{' '.join(command[1:])}` failed (exit {proc.returncode}) in {root}\n"
                           f"{proc.stdout[-2000:]}\n{proc.stderr[-3000:]}")
    return seconds, proc


def csv_rows(path: Path) -> int:
    with open(path, newline="", encoding="utf-8") as fh:
        return sum(1 for _ in csv.DictReader(fh))


def measure(root: Path, assignment: str, n: int) -> dict:
    course = [sys.executable, "-m", "course.cli"]
    # exit 1 is expected: the broken submissions fail
    grade_s, grade = timed(root, *course, "grade", assignment, ok=(0, 1))
    export_s, _ = timed(root, *course, "export")
    report_s, _ = timed(root, *course, "report", assignment)
    stock_s, _ = timed(root, sys.executable, "-m", "nbgrader", "export", f"--ExportApp.plugin_class={STOCK_PLUGIN}",
                       "--to=stock-grades.csv", "--log-level=WARN")
    ours, stock = csv_rows(root / "grades.csv"), csv_rows(root / "stock-grades.csv")
    if ours != n or stock != n:
        raise RuntimeError(f"expected {n} rows: grades.csv has {ours}, stock-grades.csv has {stock}")
    return {"n": n, "grade": grade_s, "export": export_s, "report": report_s, "stock": stock_s,
            "summary": grade.stdout.strip().splitlines()[0] if grade.stdout.strip() else ""}


def verdict(ok: bool) -> str:
    return "PASS" if ok else "MISS"


def stop_children() -> None:
    """Stop the commands this script started that are still running (after Ctrl-C or an error)."""
    import psutil

    children = psutil.Process().children(recursive=True)
    for child in children:
        try:
            child.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=10)
    for child in alive:
        try:
            child.kill()
        except psutil.NoSuchProcess:
            pass


def interrupted(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 1000, 2000], help="class sizes (default 200 1000 2000)")
    parser.add_argument("--assignment", default="01_one_variable", help="assignment id (default 01_one_variable)")
    parser.add_argument("--keep", action="store_true", help="keep the temporary course copies (their paths are printed)")
    args = parser.parse_args(argv)
    sizes = sorted(set(args.sizes))
    # a `kill` is handled like Ctrl-C: the finally clause below stops the commands and removes the copies
    signal.signal(signal.SIGTERM, interrupted)
    tmp = Path(tempfile.mkdtemp(prefix="gd-bench-scale-"))
    results = []
    try:
        print(f"{args.assignment}, sizes {', '.join(map(str, sizes))}; {os.cpu_count()} cores, `course grade` with its "
              f"default workers (one per core); stock export = `nbgrader export` with {STOCK_PLUGIN}")
        header = (f"{'submissions':>11}  {'grade s':>8}  {'s/sub':>6}  {'export s':>8}  {'report s':>8}  "
                  f"{'stock export s':>14}")
        for n in sizes:
            root = tmp / f"class-{n}"
            kinds = prepare(root, args.assignment, n)
            counts = {k: list(kinds.values()).count(k) for k in dict.fromkeys(kinds.values())}
            print(f"  class of {n} in {root}: " + ", ".join(f"{v} {k}" for k, v in counts.items()), flush=True)
            results.append(measure(root, args.assignment, n))
            print(f"    {results[-1]['summary']}", flush=True)
        print()
        print(header)
        for r in results:
            print(f"{r['n']:>11}  {r['grade']:>8.1f}  {r['grade'] / r['n']:>6.3f}  {r['export']:>8.1f}  "
                  f"{r['report']:>8.1f}  {r['stock']:>14.1f}")
        print()
        small, large = results[0], results[-1]
        if len(results) > 1:
            growth = (large["grade"] / large["n"]) / (small["grade"] / small["n"]) - 1
            print(f"grading cost per submission at {large['n']} vs {small['n']}: {growth:+.1%} "
                  f"(goal: at most +{GROWTH_GOAL:.0%}) {verdict(growth <= GROWTH_GOAL)}")
        for name in ("export", "report"):
            print(f"`course {name}` at {large['n']}: {large[name]:.1f} s (goal: under {SECONDS_GOAL:.0f} s) "
                  f"{verdict(large[name] < SECONDS_GOAL)}")
        return 0
    except BaseException:
        stop_children()
        raise
    finally:
        if args.keep:
            print(f"kept the course copies in {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    raise SystemExit(main())
