"""``course demo``: the course released and a built-in sample class graded, in a course root of its own."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Callable

from course.release import release
from course.root import assignments


DEMO_ROOT = Path("build") / "demo"  # inside the course root; build/ is ignored by git
DEMO_FILES = ("nbgrader_config.py", "source")  # what a course root needs to be released and graded


def demo_root(root: Path) -> Path:
    """A fresh course root for the demo, ``build/demo/``: the course's config and source/, nothing
    graded. The reference cache of the last demo, or else the course's, is kept (it is keyed by the
    notebook's and the grading code's hashes, so a stale entry is never used)."""
    out = root / DEMO_ROOT
    out.mkdir(parents=True, exist_ok=True)
    for path in out.iterdir():
        if path.name != ".grading-cache":
            shutil.rmtree(path) if path.is_dir() and not path.is_symlink() else path.unlink()
    for name in DEMO_FILES:
        if (root / name).is_dir():
            shutil.copytree(root / name, out / name, ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"))
        else:
            shutil.copy2(root / name, out / name)
    cache = root / ".grading-cache" / "reference"
    if cache.is_dir() and not (out / ".grading-cache" / "reference").is_dir():
        shutil.copytree(cache, out / ".grading-cache" / "reference")
    return out


def demo(root: Path, say: Callable[[str], None] = print) -> None:
    """Release the course, grade the sample class with `course grade` and say the scores (a line at a time
    to ``say``), all in ``build/demo/``: the course's own gradebook and folders are never touched."""
    from autograder.run.driver import grade_class
    from content.sample_class import write_sample_class
    from course.report import failed_verdicts
    from course.scores import score_table

    if os.environ.pop("COURSE_DB_URL", None):  # the course's database server is the instructor's, never the demo's
        say("The demo keeps its gradebook in its own folder; COURSE_DB_URL is ignored for it.")
    here = demo_root(root)
    release(here, [], say=say)
    students = write_sample_class(here)
    for name in assignments(here):
        result = grade_class(here, name, force=True, progress=False)
        say(f"graded {name}: {len(result.graded)} of {len(students)} sample students "
              f"in {result.seconds:.1f} s")
        for student, why in sorted({**result.failed, **result.needs_manual}.items()):
            say(f"  {student}: {why}")
    say("")
    say(score_table(here, assignments(here)))
    say("")
    for student, about in students.items():
        say(f"  {student:<10} {about}")
    say("\nWhat cy's graded notebooks say where points were lost:")
    for name in assignments(here):
        for grade_id, message in failed_verdicts(here, "cy", name):
            say(f"  {name} {grade_id}: {message}")
    say(f"\nThe demo's own course root is {here.relative_to(root)}/ (gradebook, submitted/, autograded/); "
          "this course's gradebook and folders are untouched.")
    say(f"Feedback pages: cd {here.relative_to(root)} && course feedback {assignments(here)[0]}  "
          "(then open feedback/cy/)")
