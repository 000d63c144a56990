"""Releasing assignments: ``source/`` -> ``release/`` (nbgrader's ``generate_assignment``), due dates, and
never over a notebook someone worked in."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

from autograder.run.gradebook import gradebook_url
from course.root import CourseError, chosen_assignments, run_nbgrader


def release(root: Path, names: list[str], force: bool = False, due: str | None = None,
            say: Callable[[str], None] = print) -> None:
    """``course release``: ``source/`` -> ``release/`` with nbgrader's ``generate_assignment`` (worked solutions
    left out), never over a release notebook someone worked in unless ``force``; with ``due``, the due
    date into the gradebook. ``say`` gets a line per step."""
    names = chosen_assignments(root, names)
    duedate = parse_due(due) if due else None
    worked_in = {name: why for name in names
                 if (why := worked_in_reason(root / "release" / name / f"{name}.ipynb"))}
    if worked_in and not force:
        lines = "\n".join(f"  release/{name}/{name}.ipynb: {why}" for name, why in worked_in.items())
        raise CourseError(f"not releasing: someone has worked in these notebooks, and releasing would overwrite "
                          f"their work:\n{lines}\nMove them elsewhere first (self-study readers: `course workbook "
                          f"ASSIGNMENT` gives you a copy of your own in work/), or run `course release --force`.")
    for name in names:
        say(f"releasing {name} -> release/{name}/")
        run_nbgrader(root, "generate_assignment", name, "--force")
    if duedate is not None:
        from nbgrader.api import Gradebook

        with Gradebook(gradebook_url(root)) as gb:
            for name in names:
                gb.update_or_create_assignment(name, duedate=duedate)
        say(f"due {duedate:%Y-%m-%d %H:%M} UTC: {', '.join(names)} (later submissions are flagged late)")


def parse_due(text: str):
    """A due date as nbgrader stores it (naive UTC); "2026-12-10 23:59" is read as UTC, "…+01:00" converted."""
    from nbgrader.utils import parse_utc

    try:
        return parse_utc(text)
    except (ValueError, OverflowError, TypeError):
        raise CourseError(f"--due {text!r} is not a date and time: write it as YYYY-MM-DD HH:MM (UTC), "
                          "or with an offset such as 2026-12-10 23:59+01:00") from None


def worked_in_reason(path: Path) -> str | None:
    """Why a release notebook looks worked in (outputs, or a graded cell changed), or None."""
    import nbformat
    from nbgrader.utils import compute_checksum

    try:
        nb = nbformat.read(path, as_version=4)
    except FileNotFoundError:
        return None
    except Exception as exc:  # noqa: BLE001 - a damaged file may still hold someone's work
        return f"it cannot be read as a notebook ({type(exc).__name__})"
    changed = [c.metadata["nbgrader"].get("grade_id") for c in nb.cells
               if "checksum" in c.metadata.get("nbgrader", {}) and compute_checksum(c) != c.metadata["nbgrader"]["checksum"]]
    if changed:
        return f"{len(changed)} exercise cell(s) changed ({', '.join(map(str, changed[:3]))})"
    if any(c.get("outputs") or c.get("execution_count") for c in nb.cells if c.cell_type == "code"):
        return "it has been run (its cells have outputs)"
    return None
