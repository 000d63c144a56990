"""What a submission may hold: the notebook and regular files in ordinary folders, nothing else.

A symbolic link handed in beside the notebook (or as the notebook) makes a grader that
copies or reads the submission read whatever the link names: the source notebook with
its solutions, another student's work, a host file, or ``/dev/zero`` (a copy that never
ends). A named pipe blocks a reader forever; a device or socket is never a student's
work. Both graders look at the submission folder without following anything, and refuse
a submission holding any of these before anything of it is copied or read:
``course grade`` in its worker (:func:`autograder.run.worker.grade_submission`),
``nbgrader autograde`` (and formgrader's autograde button) through
:func:`autograder.run.nbgrader_hooks.guard_nbgrader_autograde`, which nbgrader_config.py installs.
"""

from __future__ import annotations

import functools
import json
import os
import stat
from pathlib import Path


MAX_ENTRIES = 10_000  # more files than any hand-in of this course: refused before they are all looked at

_KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a named pipe (FIFO)", stat.S_IFSOCK: "a socket",
          stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


# far above any notebook of this course (at most 60 cells, 60 KB without outputs): a submission
# beyond either is refused before it is parsed, validated or prepared, which takes minutes at 200,000 cells
MAX_NOTEBOOK_BYTES = 32 * 1024**2
MAX_CELLS = 1000


class SubmissionRefused(ValueError):
    """A submission that is not graded at all; the message says why (and is the status column's reason)."""


class IrregularHandIn(SubmissionRefused):
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


def diagnose_notebook(path: Path, assignment: str, source_dir: Path | None = None) -> str | None:
    """What is wrong with a submitted notebook file, in words a student understands; None if nothing."""
    return read_submission(path, assignment, source_dir)[1]


def oversized(path: Path, text: str | None = None) -> str | None:
    """Why a submitted notebook is too large to grade (:data:`MAX_NOTEBOOK_BYTES`, :data:`MAX_CELLS`), or None."""
    try:
        size = len(text.encode()) if text is not None else os.lstat(path).st_size
    except OSError:
        return None  # a missing file is diagnosed elsewhere
    if size > MAX_NOTEBOOK_BYTES:
        return (f"{path.name} is {size / 1024**2:.0f} MiB, more than any notebook of this course can be "
                f"({MAX_NOTEBOOK_BYTES // 1024**2} MiB): hand in the notebook alone, without data or huge outputs")
    try:
        cells = json.loads(text if text is not None else read_regular_file(path, MAX_NOTEBOOK_BYTES) or b"").get("cells")
    except (OSError, ValueError, AttributeError):
        return None  # not a notebook: diagnosed elsewhere
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        return (f"{path.name} has {len(cells)} cells, more than any notebook of this course can have "
                f"({MAX_CELLS}): hand in the notebook you worked in")
    return None


def read_submission(path: Path, assignment: str, source_dir: Path | None = None):
    """``(notebook, None)`` for a sound submitted notebook, ``(None, what is wrong with it)`` otherwise.

    The notebook is read as nbformat 4 and validated once; ``source_dir`` (``source/``)
    lets it be recognised as another assignment's notebook.
    """
    import nbformat

    if not path.exists() and not path.is_symlink():
        others = sorted(p.name for p in path.parent.glob("*.ipynb")) if path.parent.is_dir() else []
        found = f" (found: {', '.join(others)})" if others else ""
        return None, f"no notebook named {path.name} in the submission{found}"
    try:
        data = read_regular_file(path, MAX_NOTEBOOK_BYTES)  # never through a link, a pipe or a device
    except OSError as exc:
        return None, f"{path.name} cannot be read as a file ({exc}): hand in the notebook itself"
    if data is None:
        return None, oversized(path)
    if not data.strip():
        return None, f"{path.name} is empty"
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, f"{path.name} is not UTF-8 text (byte {exc.start}): it is not a notebook file"
    try:
        parsed = json.loads(text)
    except ValueError as exc:
        return None, f"{path.name} is not valid JSON (line {getattr(exc, 'lineno', '?')}): the file is damaged"
    cells = parsed.get("cells") if isinstance(parsed, dict) else None
    if isinstance(cells, list) and len(cells) > MAX_CELLS:
        return None, oversized(path, text)
    try:
        # reads validates the notebook and only logs what is wrong; its error is raised here, as a second
        # nbformat.validate(nb) would raise it (the same check again costs a third of the whole read)
        invalid: dict = {}
        nb = nbformat.reads(text, as_version=4, capture_validation_error=invalid)
        if "ValidationError" in invalid:
            raise invalid["ValidationError"]
    except Exception as exc:  # nbformat raises several types for a non-notebook
        return None, f"{path.name} is JSON but not a Jupyter notebook ({type(exc).__name__}: {str(exc)[:120]})"
    if source_dir is not None and _ids_of(nb):
        likeness = assignment_likeness(nb, source_dir)
        mine = likeness.pop(assignment, 0.0)
        best = max(likeness, key=likeness.get, default=None)
        if best and likeness[best] > mine:
            return None, f"{path.name} is the notebook of assignment {best}"
        if mine == 0:
            return None, f"{path.name} has none of the exercises of {assignment}"
    return nb, None


def _ids_of(nb) -> frozenset[str]:
    """The grade ids of a notebook's graded and answer cells."""
    return frozenset({c.metadata.get("nbgrader", {}).get("grade_id") for c in nb.cells} - {None})


@functools.lru_cache(maxsize=64)
def _grade_ids(path: Path) -> frozenset[str]:
    import nbformat

    try:
        return _ids_of(nbformat.read(path, as_version=4))
    except Exception:
        return frozenset()


def assignment_likeness(nb, source_dir: Path) -> dict[str, float]:
    """How much ``nb`` looks like each assignment of ``source_dir``: the Jaccard similarity of
    their graded cells' ids (with the most alike of an assignment's notebooks), by assignment id,
    in name order."""
    ids = _ids_of(nb)
    out: dict[str, float] = {}
    for path in sorted(Path(source_dir).glob("*/*.ipynb")):
        theirs = _grade_ids(path)
        alike = len(ids & theirs) / len(ids | theirs) if ids | theirs else 0.0
        out[path.parent.name] = max(alike, out.get(path.parent.name, 0.0))
    return out
