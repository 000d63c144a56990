"""Execute every source notebook (solutions included) end to end and print how long it took.

Goal: each notebook under 5 s on a 2-core machine, plots included. Run: make times
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
GOAL_SECONDS = 5.0


def main() -> int:
    worst = 0.0
    for path in sorted((ROOT / "source").glob("*/*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        client = NotebookClient(nb, timeout=60, kernel_name="python3",
                                resources={"metadata": {"path": str(path.parent)}})
        start = time.perf_counter()
        client.execute()
        seconds = time.perf_counter() - start
        worst = max(worst, seconds)
        print(f"{path.parent.name:<28} {seconds:6.2f} s  (kernel start and shutdown included)")
    print(f"slowest: {worst:.2f} s, goal < {GOAL_SECONDS:.0f} s: {'met' if worst < GOAL_SECONDS else 'NOT met'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
