"""What grading through Dask and a PostgreSQL gradebook cost against `course grade` on local cores.

Builds one class of N submissions (as benchmarks/grade_class.py does: right, partly wrong,
untouched, broken) in four copies of the course and grades each with `course grade`:

- on this machine's cores, SQLite gradebook (the default), once before and once after the others;
- ``--scheduler`` on a Dask scheduler with as many one-thread workers as there are cores, on
  127.0.0.1 (the overhead of going through Dask; goal under 10 %);
- with ``COURSE_DB_URL`` on a PostgreSQL server of its own, with its default durability
  (per submission against SQLite).

It prints seconds per submission for each and the ratios, and whether every grade agrees.

Run: make bench-cluster   (or: python benchmarks/cluster_overhead.py [N] [ASSIGNMENT])
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from benchmarks.grade_class import build_class, course_copy, env, run  # noqa: E402
from tests.grading import gradebook_grades as grades  # noqa: E402
from tests.servers import DaskCluster, postgres_server  # noqa: E402


def prepare(root: Path, assignment: str, n: int, extra_env: dict) -> None:
    environment = {**env(), **extra_env}
    subprocess.run([sys.executable, "-m", "nbgrader", "generate_assignment", assignment, "--force"],
                   cwd=root, env=environment, check=True, capture_output=True)
    build_class(root, assignment, n)
    # the reference run is cached per course: done before timing, on every copy
    subprocess.run([sys.executable, "-c", "from pathlib import Path; from autograder.pipeline.reference import "
                    f"reference_records; reference_records(Path('source/{assignment}/{assignment}.ipynb'), "
                    "'.grading-cache/reference')"], cwd=root, env=environment, check=True, capture_output=True)


def main(n: int = 100, assignment: str = "01_one_variable") -> int:
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory(prefix="gd-bench-cluster-") as tmp, postgres_server(durable=True) as make_database, \
            DaskCluster(workers=cores) as cluster:
        url = make_database("bench")
        copies = {name: course_copy(Path(tmp, name)) for name in ("local-before", "dask", "postgres", "local-after")}
        for name, root in copies.items():
            prepare(root, assignment, n, {"COURSE_DB_URL": url} if name == "postgres" else {})
        print(f"{n} submissions of {assignment}; {cores} cores; Dask: {cores} workers of one thread on 127.0.0.1")
        grade = [sys.executable, "-m", "course.cli", "grade", assignment]
        seconds = {}
        for name, root in copies.items():
            os.environ.pop("COURSE_DB_URL", None)
            if name == "postgres":
                os.environ["COURSE_DB_URL"] = url  # `run` passes this process's environment on
            argv = grade + (["--scheduler", cluster.address] if name == "dask" else [])
            seconds[name], mb, proc = run(root, *argv)
            os.environ.pop("COURSE_DB_URL", None)
            print(f"  {name:<13} {seconds[name]:7.1f} s  {seconds[name] / n * 1000:6.0f} ms per submission"
                  f"  peak {mb} MiB (course grade and its children; Dask workers not counted)")
        local = (seconds["local-before"] + seconds["local-after"]) / 2
        print(f"  Dask against local cores:      {seconds['dask'] / local - 1:+.1%} time (goal: under +10 %)")
        print(f"  PostgreSQL against SQLite:     {seconds['postgres'] / local - 1:+.1%} time per submission")
        expected = grades(f"sqlite:///{copies['local-before'] / 'gradebook.db'}", assignment)
        ok = bool(expected)
        for name, root in copies.items():
            got = grades(url if name == "postgres" else f"sqlite:///{root / 'gradebook.db'}", assignment)
            if got != expected:
                ok = False
                print(f"  grades of {name} DIFFER from local-before's")
        print("  every grade agrees" if ok else "  GRADES DIFFER")
        return 0 if ok else 1


if __name__ == "__main__":
    args = sys.argv[1:]
    raise SystemExit(main(int(args[0]) if args else 100, args[1] if len(args) > 1 else "01_one_variable"))
