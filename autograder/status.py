"""What happened to each submission: graded, failed (and why), or needs manual grading.

nbgrader records scores but not outcomes: a submission it could not grade is only a
line in a log, and shows up in the export as a 0. Here every grading attempt leaves a
small JSON record, ``grading-status/<assignment>/<student>.json``, written atomically:

- ``pre_convert_hook`` (before nbgrader touches the submission): ``state = "grading"``;
- ``GuardedExecute`` when the notebook cannot be run at all: ``state = "failed"``, reason;
- ``post_convert_hook`` (after nbgrader has written the graded notebook and the scores):
  ``state = "graded"``, with the execution problem if the kernel died or hung.

A record still saying ``grading`` means the attempt never finished (killed, or nbgrader
gave up on the notebook): :func:`discard_unfinished` removes such half-written
``autograded/`` folders before nbgrader looks at them, so a re-run grades them again
instead of skipping them, and :func:`submission_status` explains it, using
:func:`diagnose_notebook` to name what is wrong with the file.
"""

from __future__ import annotations

import functools
import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from .errors import FixableError
from .handin import handin_problem, read_regular_file

STATUS_FOLDER = "grading-status"
# far above any notebook of this course (at most 60 cells, 60 KB without outputs): a submission
# beyond either is refused before it is parsed, validated or prepared, which takes minutes at 200,000 cells
MAX_NOTEBOOK_BYTES = 32 * 1024**2
MAX_CELLS = 1000
GRADED, FAILED, GRADING = "graded", "failed", "grading"
NEEDS_MANUAL = "needs manual grading"
MISSING = "missing"


@dataclass(frozen=True)
class Status:
    """What became of a submission; ``str(status)`` is its status column ("failed: <why>").

    Attributes
    ----------
    kind : str
        :data:`GRADED`, :data:`NEEDS_MANUAL`, :data:`FAILED` or :data:`MISSING`.
    detail : str or None
        Why it failed, needs manual grading or is missing; for a graded one, what else to know
        (a cell stopped at its time limit, a notebook not handed in).
    """

    kind: str
    detail: str | None = None

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}" if self.detail else self.kind

    @property
    def has_grade(self) -> bool:
        """Whether the gradebook holds a grade for it (graded, or graded and waiting for a person)."""
        return self.kind in (GRADED, NEEDS_MANUAL)


class StatusBook:
    """The status records of one course folder."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.folder = self.root / STATUS_FOLDER

    def path(self, assignment: str, student: str) -> Path:
        return self.folder / assignment / f"{student}.json"

    def read(self, assignment: str, student: str) -> dict | None:
        try:
            return json.loads(self.path(assignment, student).read_text())
        except (OSError, ValueError):
            return None

    def write(self, assignment: str, student: str, state: str, reason: str | None = None,
              fingerprint: str | None = None, note: str | None = None) -> None:
        """``reason``: why it failed, or (graded) why it needs manual grading; ``note``: what a graded
        submission's status column also says (a cell that timed out)."""
        path = self.path(assignment, student)
        path.parent.mkdir(parents=True, exist_ok=True)
        record = {"state": state, "reason": reason, "time": time.strftime("%Y-%m-%dT%H:%M:%S")}
        if note:
            record["note"] = note
        if fingerprint:
            record["fingerprint"] = fingerprint  # of the submitted files, so unchanged ones are not regraded
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{student}.", suffix=".tmp")
        with os.fdopen(fd, "w") as f:
            json.dump(record, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)

    # nbgrader's converter hooks, called as hook(assignment=..., student=..., notebooks=[...]).
    # nbgrader passes the command line's ids (student is "*" when grading a class), so the
    # submission is read from the notebook paths: submitted/<student>/<assignment>/<nb>.ipynb.
    def started(self, notebooks=(), **_) -> None:
        for assignment, student in _submissions(notebooks):
            self.write(assignment, student, GRADING)
        for notebook in notebooks:  # the reason, for the status column (nbgrader ignores a hook's errors;
            path = Path(notebook)     # StartTheClock then stops the notebook before its preparation)
            if handin_problem(path.parent):
                continue  # refused before anything is read (autograder.handin.guard_nbgrader_autograde)
            problem = oversized(path)
            if problem:
                self.write(path.parent.name, path.parent.parent.name, FAILED, problem)

    def finished(self, notebooks=(), **_) -> None:
        for assignment, student in _submissions(notebooks):
            self._finished(assignment, student, [n for n in notebooks if Path(n).parent.name == assignment
                                                 and Path(n).parent.parent.name == student])

    def _finished(self, assignment: str, student: str, notebooks) -> None:
        problems, notes = [], []
        for notebook in notebooks:
            graded = self.root / "autograded" / student / assignment / Path(notebook).name
            try:
                meta = json.loads(graded.read_text())["metadata"]
                problem = meta.get("gd_course", {}).get("grading", {}).get("problem")
                notes += timed_out_cells(meta)
            except (OSError, ValueError, KeyError, AttributeError):
                problem = f"the graded copy of {Path(notebook).name} could not be read back"
            if problem:
                problems.append(problem)
        self.write(assignment, student, GRADED, "; ".join(problems) or None, note="; ".join(notes) or None)


def timed_out_cells(metadata) -> list[str]:
    """The cells of a graded notebook that were stopped at their time limit ("cell 7 (test_dJ) timed out
    after 30 s (an endless loop?)"), from its metadata (``autograder.execute``)."""
    found = metadata.get("gd_course", {}).get("grading", {}).get("timed_out", [])
    return [str(item)[:200] for item in found] if isinstance(found, list) else []


class SubmissionRefused(ValueError):
    """A submitted notebook that is not graded at all; the message says why."""


def _submissions(notebooks) -> list[tuple[str, str]]:
    return sorted({(Path(n).parent.name, Path(n).parent.parent.name) for n in notebooks})


def discard_unfinished(root: Path | str, assignment: str | None = None) -> list[Path]:
    """Remove autograded folders whose grading never finished, so nbgrader grades them again.

    nbgrader skips a submission whose ``autograded/`` folder exists; after a kill that
    folder can be half-written, and the submission would silently keep a 0.
    """
    root = Path(root)
    book = StatusBook(root)
    removed = []
    for folder in sorted((root / "autograded").glob(f"*/{assignment or '*'}")):
        if not folder.is_dir():
            continue
        student, name = folder.parent.name, folder.name
        record = book.read(name, student)
        if record is None or record.get("state") != GRADED:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def clean_up_before_grading(root: Path | str, assignment: str | None = None) -> None:
    """The first step of every grading run, `course grade` and `nbgrader autograde` alike, taken while
    the run holds the assignment's lock (:func:`grading_lock`): half-written ``autograded/`` folders of
    ``assignment`` (all assignments for None) are removed (:func:`discard_unfinished`), sandboxes
    left running by a killed grader are stopped, and its kernels' control groups removed (where the
    host gives none, this is where the run says so, once)."""
    from .cgroups import remove_leftovers
    from .sandbox import reap_orphaned_sandboxes

    discard_unfinished(root, assignment)
    reap_orphaned_sandboxes()
    remove_leftovers()


class AlreadyGrading(FixableError):
    """Another grading run of the same assignment (`course grade` or `nbgrader autograde`) is on."""


def _claim_grading_lock(root: Path, assignment: str, grader: str) -> int:
    """Take ``.grading-cache/grading-<assignment>.lock`` for this process; return its open descriptor.

    One lock for both graders: while a run is on, its submissions' records say "grading", so a
    second run's clean-up would take its half-done folders for a killed run's and delete them,
    and both runs would grade the same submissions. The lock ends with the process at the latest.
    """
    import fcntl

    path = Path(root) / ".grading-cache" / f"grading-{assignment}.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        pid, _, holder = os.pread(handle, 200, 0).decode(errors="replace").strip().partition(" ")
        os.close(handle)
        raise AlreadyGrading(f"another `{holder or 'grading run of'} {assignment}` is running in this course "
                             f"(process {pid or '?'}): wait for it to end, or stop it") from None
    os.ftruncate(handle, 0)
    os.pwrite(handle, f"{os.getpid()} {grader}".encode(), 0)
    return handle


@contextmanager
def grading_lock(root: Path | str, assignment: str, grader: str = "course grade"):
    """Hold the assignment's grading lock for the block; raises :class:`AlreadyGrading` (naming
    the other run's command and process) while another run, of either grader, holds it."""
    handle = _claim_grading_lock(Path(root), assignment, grader)
    try:
        yield
    finally:
        os.close(handle)


_HELD_FOR_PROCESS: dict[tuple[str, str], int] = {}


def start_nbgrader_autograde(root: Path | str, assignment: str | None) -> None:
    """The start of an `nbgrader autograde` run: the assignment's lock, held until the process ends,
    then :func:`clean_up_before_grading`.

    nbgrader calls nothing of ours before it decides which submissions to skip (its
    ``pre_convert_hook`` comes after that, per submission), so ``nbgrader_config.py`` calls
    this when nbgrader's autograde application loads it, its command line parsed. nbgrader
    loads the file twice when run in the course folder; the second call does nothing. Without
    an assignment id nbgrader stops with its own message, and so nothing is done here.
    Raises :class:`AlreadyGrading`.
    """
    if not assignment:
        return
    key = (str(Path(root).resolve()), assignment)
    if key in _HELD_FOR_PROCESS:
        return
    _HELD_FOR_PROCESS[key] = _claim_grading_lock(Path(key[0]), assignment, "nbgrader autograde")
    clean_up_before_grading(root, assignment)


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


def submission_status(root: Path | str, assignment: str, student: str, needs_manual_grade: bool = False) -> Status:
    """The status column: ``graded``, ``graded: <cell> timed out after 30 s (an endless loop?)``,
    ``failed: <reason>``, ``needs manual grading[: <why>]``, or ``missing: no submission``."""
    root = Path(root)
    submitted = root / "submitted" / student / assignment
    if not submitted.is_dir():
        return Status(MISSING, "no submission")
    record = StatusBook(root).read(assignment, student)
    problem = handin_problem(submitted) or _handed_in_problem(submitted, assignment, root / "source")
    if problem:  # even if nbgrader "graded" it: a 0 for the wrong file is not a grade
        return Status(FAILED, problem)
    if record is None:
        if any((root / "autograded" / student / assignment).glob("*.ipynb")):
            return Status(NEEDS_MANUAL if needs_manual_grade else GRADED)  # graded before status records existed
        return Status(FAILED, f"not graded yet (run nbgrader autograde {assignment})")
    state, reason, note = record.get("state"), record.get("reason"), record.get("note")
    if state == GRADED:
        if reason:
            return Status(NEEDS_MANUAL, reason)
        return Status(NEEDS_MANUAL if needs_manual_grade else GRADED, note or None)
    if state == FAILED:
        return Status(FAILED, reason)
    return Status(FAILED, f"grading did not finish (interrupted or crashed); run nbgrader autograde {assignment} again")


def _handed_in_problem(submitted: Path, assignment: str, source_dir: Path) -> str | None:
    """What is wrong with the first handed-in notebook of the assignment that has a problem; with
    none of its notebooks handed in, why ``<assignment>.ipynb`` is missing."""
    expected = sorted(p.name for p in (source_dir / assignment).glob("*.ipynb")) or [f"{assignment}.ipynb"]
    handed_in = [name for name in expected if (submitted / name).exists()]
    for name in handed_in or [f"{assignment}.ipynb"]:
        problem = diagnose_notebook(submitted / name, assignment, source_dir)
        if problem:
            return problem
    return None
