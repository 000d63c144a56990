"""What the kernel sandbox costs per submission, measured in one run.

Builds a class of N submissions of one assignment (solutions, untouched releases and
known mistakes) in a temporary copy of the course, then grades it with the real
`nbgrader autograde --force`, alternately with the sandbox on and off
(``c.SandboxedKernelManager.enabled = False``), and prints the per-submission times
and their ratio. The reference run is cached before timing, so both sides grade the
same way. Run: make bench-sandbox  (or: python benchmarks/sandbox_overhead.py [N] [ROUNDS])
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from content.mutants import all_mutants, replace_cell  # noqa: E402

ASSIGNMENT = "01_one_variable"


def env() -> dict:
    import os

    out = dict(os.environ)
    out["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), out.get("PATH", "")])
    return out


def nbgrader(root: Path, *args: str) -> None:
    subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=ERROR"], cwd=root, env=env(),
                   check=True, capture_output=True)


def build_class(root: Path, n: int) -> None:
    source = nbformat.read(root / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    release = nbformat.read(root / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    mutants = all_mutants()[ASSIGNMENT]
    for i in range(n):
        nb = source if i % 3 == 0 else release if i % 3 == 1 else replace_cell(
            source, mutants[i % len(mutants)].cell, mutants[i % len(mutants)].source)
        folder = root / "submitted" / f"student{i:03d}" / ASSIGNMENT
        folder.mkdir(parents=True)
        nbformat.write(nb, folder / f"{ASSIGNMENT}.ipynb")


def grade(root: Path, sandbox: bool) -> float:
    config = root / "nbgrader_config.py"
    base = (ROOT / "nbgrader_config.py").read_text()
    config.write_text(base if sandbox else base + "\nc.SandboxedKernelManager.enabled = False\n")
    start = time.perf_counter()
    nbgrader(root, "autograde", ASSIGNMENT, "--force")
    return time.perf_counter() - start


def main(n: int = 12, rounds: int = 2) -> int:
    with tempfile.TemporaryDirectory(prefix="gd-bench-") as tmp:
        root = Path(tmp)
        shutil.copy(ROOT / "nbgrader_config.py", root)
        shutil.copytree(ROOT / "source", root / "source")
        nbgrader(root, "generate_assignment", ASSIGNMENT, "--force")
        build_class(root, n)
        grade(root, sandbox=True)  # warm-up: computes and caches the reference records
        times: dict[bool, list[float]] = {True: [], False: []}
        for _ in range(rounds):
            for sandbox in (False, True):
                times[sandbox].append(grade(root, sandbox))
    on, off = min(times[True]), min(times[False])
    print(f"{n} submissions of {ASSIGNMENT}, best of {rounds} runs of `nbgrader autograde --force` each:")
    print(f"  without sandbox: {off:6.2f} s  ({off / n:.2f} s per submission)")
    print(f"  with sandbox:    {on:6.2f} s  ({on / n:.2f} s per submission)")
    print(f"  sandbox overhead: {on / off:.2f}x the time ({(on - off) / n * 1000:+.0f} ms per submission)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*(int(a) for a in sys.argv[1:3])))
