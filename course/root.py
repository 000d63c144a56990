"""The course folder: where it is, which assignments it has, and nbgrader run in it as the instructor would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from autograder.errors import FixableError


class CourseError(FixableError):
    """A failure the user can fix; the message says how."""


def find_course_root(start: Path | None = None) -> Path:
    """The nearest folder holding nbgrader_config.py and source/, from ``start`` upwards."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "nbgrader_config.py").is_file() and (folder / "source").is_dir():
            return folder
    raise CourseError(f"no course found in {here} or above: run this inside the course repository "
                      "(the folder with nbgrader_config.py and source/)")


def assignments(root: Path) -> list[str]:
    return sorted(p.name for p in (root / "source").iterdir() if (p / f"{p.name}.ipynb").is_file())


def run_nbgrader(root: Path, *args: str, quiet: bool = True) -> None:
    env = dict(os.environ)  # nbgrader runs `alembic` from the environment's bin/
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    proc = subprocess.run([sys.executable, "-m", "nbgrader", *args, "--log-level=WARN"], cwd=root,
                          capture_output=quiet, text=True, env=env)
    if proc.returncode != 0:
        detail = (proc.stderr or "")[-3000:] if quiet else ""
        raise CourseError(f"`nbgrader {' '.join(args)}` failed (exit {proc.returncode})\n{detail}")


def chosen_assignments(root: Path, names: list[str]) -> list[str]:
    """``names``, or every assignment when none is named; an unknown name is an error."""
    known = assignments(root)
    for name in names:
        if name not in known:
            raise CourseError(f"unknown assignment {name!r}; the course has: {', '.join(known)}")
    return list(names) or known
