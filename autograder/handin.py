"""What a submission may hold: the notebook and regular files in ordinary folders, nothing else.

A symbolic link handed in beside the notebook (or as the notebook) makes a grader that
copies or reads the submission read whatever the link names: the source notebook with
its solutions, another student's work, a host file, or ``/dev/zero`` (a copy that never
ends). A named pipe blocks a reader forever; a device or socket is never a student's
work. Both graders look at the submission folder without following anything, and refuse
a submission holding any of these before anything of it is copied or read:
``course grade`` in its worker (:func:`autograder.engine.grade_submission`),
``nbgrader autograde`` (and formgrader's autograde button) through
:func:`guard_nbgrader_autograde`, which nbgrader_config.py installs.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from . import patches

MAX_ENTRIES = 10_000  # more files than any hand-in of this course: refused before they are all looked at

_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


class IrregularHandIn(ValueError):
    """A submission that holds something other than regular files and folders."""


def read_regular_file(path: Path, limit: int) -> bytes | None:
    """The bytes of ``path`` when it is a regular file of at most ``limit`` bytes (None when it is larger);
    raises ``OSError`` for a link, a pipe, a device or a missing file. The grader reads what a
    student handed in this way only: nothing is followed, nothing blocks, nothing is read without end."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"{Path(path).name} is {_KINDS.get(stat.S_IFMT(info.st_mode), 'not a regular file')}")
        if info.st_size > limit:
            return None
        chunks, left = [], limit + 1
        while left > 0:
            chunk = os.read(fd, min(left, 1 << 20))
            if not chunk:
                break
            chunks.append(chunk)
            left -= len(chunk)
        data = b"".join(chunks)
        return None if len(data) > limit else data
    finally:
        os.close(fd)


def irregular_entries(folder: Path) -> list[tuple[str, str]]:
    """``(path relative to folder, what it is)`` of every entry that is not a regular file or folder,
    the folder itself and its parent included; nothing is followed or opened."""
    folder = Path(folder)
    found: list[tuple[str, str]] = []
    for outer in (folder.parent, folder):  # submitted/<student> and submitted/<student>/<assignment>
        try:
            mode = os.lstat(outer).st_mode
        except FileNotFoundError:
            return found
        if not stat.S_ISDIR(mode):
            found.append((outer.name if outer == folder else f"{outer.name}/", _KINDS.get(stat.S_IFMT(mode), "not a folder")))
    if found:
        return found
    seen = 0
    pending = [folder]
    while pending:
        with os.scandir(pending.pop()) as entries:
            for entry in entries:
                seen += 1
                if seen > MAX_ENTRIES:
                    found.append(("…", f"more than {MAX_ENTRIES} files"))
                    return found
                mode = entry.stat(follow_symlinks=False).st_mode
                if stat.S_ISDIR(mode):
                    pending.append(Path(entry.path))
                elif not stat.S_ISREG(mode):
                    found.append((Path(entry.path).relative_to(folder).as_posix(),
                                  _KINDS.get(stat.S_IFMT(mode), "not a regular file")))
    return sorted(found)


def handin_problem(folder: Path) -> str | None:
    """Why the submission in ``folder`` is refused, in words a student understands, or None."""
    found = irregular_entries(folder)
    if not found:
        return None
    listed = ", ".join(f"`{name}` ({kind})" for name, kind in found[:3]) + (", …" if len(found) > 3 else "")
    return (f"the submission holds {listed}: hand in the notebook (and data files) as ordinary files, "
            "without links, pipes or devices")


def refuse_irregular(folder: Path) -> None:
    """Raise :class:`IrregularHandIn` when :func:`handin_problem` finds something."""
    why = handin_problem(folder)
    if why:
        raise IrregularHandIn(why)


def guard_nbgrader_autograde() -> None:
    """Make nbgrader's autograde refuse an irregular submission before it copies anything of it.

    nbgrader's ``Autograde.init_assignment`` copies every file of the submission folder with
    ``shutil.copy``, which follows links and reads pipes and devices. Its ``pre_convert_hook`` runs
    before that, but nbgrader swallows what the hook raises, so the check wraps ``init_assignment``
    itself: the submission is failed with the reason (status record, nbgrader's error), the rest of
    the class is graded. Idempotent; nbgrader_config.py calls it for every nbgrader command and
    formgrader, whose autograde button runs the same converter in-process.
    """
    from nbgrader.converters.autograde import Autograde

    from .status import FAILED, StatusBook

    if getattr(Autograde.init_assignment, "_gd_guarded", False):
        return
    patches.applies("nbgrader-regular-handins-only")  # a safeguard: outside its range it warns, stays on
    stock = Autograde.init_assignment

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        folder = Path(self._format_source(assignment_id, student_id))
        why = handin_problem(folder)
        if why:
            StatusBook(Path(self.coursedir.root)).write(assignment_id, student_id, FAILED, why)
            raise IrregularHandIn(why)
        return stock(self, assignment_id, student_id)

    init_assignment._gd_guarded = True
    init_assignment.__wrapped__ = stock
    Autograde.init_assignment = init_assignment
