"""Each student kernel in a control group of its own: one memory limit and one task limit for
everything the kernel and the processes it starts hold.

The rlimits of :mod:`autograder.kernel.sandbox` are per process (address space) or per user
(tasks). Memory that is in no process's address space escapes the first: files in memory
(``memfd``, tmpfs), SysV shared memory after ``shmdt``, and the sum of many processes each
within its limit. Kernels that share a sandbox user share the second. A control group
counts all of that, for the kernel alone:

- **memory**: the kernel's ``Limits.memory_bytes`` for its whole process tree, page cache,
  shared memory and in-memory files included (cgroup v1: ``memory.limit_in_bytes`` and
  ``memory.memsw.limit_in_bytes``; v2: ``memory.max``, ``memory.swap.max = 0`` and
  ``memory.oom.group = 1``). Past it, the allocation fails or the Linux OOM killer ends a
  process of that group, never anything else on the machine;
- **tasks**: ``pids.max`` = ``Limits.processes`` (plus bubblewrap's own two processes for a
  cold kernel), instead of a limit per sandbox user.

Groups are made under a course-wide parent, ``gd-course``: with cgroup v1 (one hierarchy per
controller, as on this project's CI machines) inside the grader's own group of the memory
and of the pids hierarchy, so that a limit on the grading service also covers its kernels;
with cgroup v2 (one hierarchy) next to the grader's own group, in the nearest ancestor that
hands the memory and pids controllers down (a group that holds processes cannot), or in
``$GD_CGROUP_PARENT`` (a folder delegated to the grader, e.g. by systemd's ``Delegate=yes``).
Each kernel's group is named ``<grader pid>-<n>`` and removed when the kernel has ended; the
groups of graders that are gone are removed by the next run's clean-up
(:func:`remove_leftovers`).

Where neither hierarchy can be written (grading as an ordinary user, a container without
a delegated group), :func:`available` says so once per run and returns None: kernels keep
the per-process and per-user limits, and the system-call filter refuses SysV shared memory
(:mod:`autograder.kernel.syscall_filter`).
"""

from __future__ import annotations

import errno
import itertools
import logging
import multiprocessing.util
import os
import re
import signal
import time
from dataclasses import dataclass, field
from pathlib import Path

PARENT = "gd-course"
PARENT_ENV = "GD_CGROUP_PARENT"  # a cgroup v2 folder the grader may write (its course-wide parent goes inside)
WARNED_ENV = "GD_CGROUP_WARNING_GIVEN"  # set once the warning was given: processes started later inherit it
GROUP_NAME = re.compile(r"(\d+)-(\d+)")
CONTROLLERS = ("memory", "pids")
DOCS = "docs/sandbox.md, \"Control groups\""

log = logging.getLogger(__name__)


class NoControlGroups(OSError):
    """This process cannot make control groups for its kernels; the message says why."""


@dataclass(frozen=True)
class Hierarchy:
    """Where this process makes its kernels' groups: the course-wide parent in the memory
    hierarchy and in the pids hierarchy (the same folder with cgroup v2)."""

    version: int
    memory: Path
    pids: Path

    @property
    def parents(self) -> tuple[Path, ...]:
        return (self.memory,) if self.memory == self.pids else (self.memory, self.pids)

    def ensure(self) -> None:
        """Make the course-wide parent(s) (another grader may have removed an empty one)."""
        enable = " ".join(f"+{c}" for c in CONTROLLERS)
        if self.version == 2 and not set(CONTROLLERS) <= _controllers(self.memory.parent / "cgroup.subtree_control"):
            _write(self.memory.parent / "cgroup.subtree_control", enable)  # a delegated folder, as it was given
        for parent in self.parents:
            parent.mkdir(exist_ok=True)
        if self.version == 2:
            _write(self.memory / "cgroup.subtree_control", enable)


# --- finding the hierarchy -------------------------------------------------------------------------------

def _mounts(mountinfo: str) -> list[tuple[str, str, str, set[str]]]:
    """``(root, mount point, file system type, super options)`` of each cgroup mount in ``mountinfo``."""
    out = []
    for line in mountinfo.splitlines():
        left, sep, right = line.partition(" - ")
        fields, tail = left.split(), right.split()
        if not sep or len(fields) < 5 or len(tail) < 3 or tail[0] not in ("cgroup", "cgroup2"):
            continue
        unescape = lambda text: re.sub(r"\\([0-7]{3})", lambda m: chr(int(m.group(1), 8)), text)  # noqa: E731
        out.append((unescape(fields[3]), unescape(fields[4]), tail[0], set(tail[2].split(","))))
    return out


def _own_groups(cgroup: str) -> dict[str, str]:
    """Controller (``""`` for cgroup v2) -> this process's group, from /proc/self/cgroup."""
    out = {}
    for line in filter(None, cgroup.splitlines()):
        _, controllers, path = line.split(":", 2)
        for controller in controllers.split(",") if controllers else [""]:
            out[controller] = path
    return out


def _inside(mount_point: str, mount_root: str, group: str) -> Path:
    """The folder of ``group`` (a path in the hierarchy) under a mount of the hierarchy's ``mount_root``."""
    relative = group[len(mount_root):] if group.startswith(mount_root) else group
    return Path(mount_point) / relative.lstrip("/")


def _v1(mounts, own) -> Hierarchy:
    parents = {}
    for controller in CONTROLLERS:
        found = [(root, point) for root, point, kind, options in mounts if kind == "cgroup" and controller in options]
        if not found or controller not in own:
            raise NoControlGroups(f"no cgroup v1 {controller} hierarchy is mounted")
        root, point = found[0]
        parents[controller] = _inside(point, root, own[controller]) / PARENT
    return Hierarchy(1, parents["memory"], parents["pids"])


def _v2(mounts, own) -> Hierarchy:
    found = [(root, point) for root, point, kind, _ in mounts if kind == "cgroup2"]
    if not found:
        raise NoControlGroups("no cgroup2 file system is mounted")
    root, point = found[0]
    if not set(CONTROLLERS) <= _controllers(Path(point) / "cgroup.controllers"):
        raise NoControlGroups(f"the cgroup2 hierarchy at {point} has no memory and pids controllers")
    explicit = os.environ.get(PARENT_ENV)
    if explicit:
        return Hierarchy(2, Path(explicit) / PARENT, Path(explicit) / PARENT)
    mount = Path(point)
    group = _inside(point, root, own.get("", "/"))
    # a group that holds processes cannot hand controllers down: the grader's own, unless it is the top
    candidates = [group] if group == mount else []
    candidates += [p for p in group.parents if p.is_relative_to(mount)]
    for candidate in candidates:
        if not os.access(candidate, os.W_OK):
            continue
        handed_down = _controllers(candidate / "cgroup.subtree_control")
        if not set(CONTROLLERS) <= handed_down and candidate == mount:
            try:  # the top of a hierarchy (or of a namespace whose processes live below it) may still do it
                _write(candidate / "cgroup.subtree_control", " ".join(f"+{c}" for c in CONTROLLERS))
                handed_down = _controllers(candidate / "cgroup.subtree_control")
            except OSError:
                pass
        if set(CONTROLLERS) <= handed_down:
            return Hierarchy(2, candidate / PARENT, candidate / PARENT)
    raise NoControlGroups(f"no group from {group} up hands the memory and pids controllers to a group the grader "
                          f"may write (set {PARENT_ENV} to a delegated cgroup v2 folder)")


def detect(proc: Path = Path("/proc/self")) -> Hierarchy:
    """The hierarchy this process can make kernels' groups in, its course-wide parent made.

    cgroup v2 where it has the memory and pids controllers, else cgroup v1 where both are
    mounted. Raises :class:`NoControlGroups`, saying why, when neither can be written.
    """
    try:
        mounts = _mounts(_read(proc / "mountinfo"))
        own = _own_groups(_read(proc / "cgroup"))
    except (OSError, ValueError) as exc:
        raise NoControlGroups(f"this process's control groups cannot be read ({exc})") from exc
    reasons = []
    for finder in (_v2, _v1):
        try:
            hierarchy = finder(mounts, own)
            hierarchy.ensure()
            for parent in hierarchy.parents:
                if not os.access(parent, os.W_OK):
                    raise NoControlGroups(f"{parent} cannot be written")
            return hierarchy
        except OSError as exc:
            reasons.append(str(exc) if isinstance(exc, NoControlGroups) else f"{exc.filename}: {exc.strerror}")
    raise NoControlGroups("; ".join(reasons))


_detected: list = []  # [Hierarchy | None], once per process


def available(warn: bool = True) -> Hierarchy | None:
    """This process's hierarchy, found on first use; None where there is none.

    Then, with ``warn``, it says so once per run (this process and those it starts later); a
    worker of `course grade`'s pool passes False, since its grader said it at its clean-up.
    """
    if not _detected:
        try:
            _detected.append(detect())
        except NoControlGroups as exc:
            _detected.append(None)
            if warn:
                warn_once(str(exc))
        else:
            _clean_up_at_exit(_detected[0])  # the course-wide parents it made, if they are left empty
    return _detected[0]


def warn_once(reason: str) -> None:
    """Say once per run (this process and those it starts later) that kernels get no control group."""
    if os.environ.get(WARNED_ENV):
        return
    os.environ[WARNED_ENV] = "1"
    log.warning("student kernels get no control group of their own (%s): each keeps its per-process limits (address "
                "space, CPU time) and a task limit per user, and SysV shared memory is refused, but what several of "
                "its processes hold together is not limited per kernel. See %s for what the host must allow.",
                reason, DOCS)


def forget() -> None:
    """Detect again on next use, and warn again (for tests)."""
    _detected.clear()
    os.environ.pop(WARNED_ENV, None)


# --- one kernel's group ----------------------------------------------------------------------------------

_numbers = itertools.count(1)
_own: list["KernelGroup"] = []  # groups not yet removed (those named after another pid: a parent's, before a fork)
_exit_handler_for: list[int] = []  # the process that registered remove_own_groups
_used: set[Hierarchy] = set()  # where this process made groups: its course-wide parents are removed at its end


@dataclass(eq=False)
class KernelGroup:
    """The control group of one kernel (a folder in each hierarchy)."""

    hierarchy: Hierarchy
    name: str
    memory_bytes: int
    tasks: int
    removed: bool = field(default=False, init=False)

    @classmethod
    def create(cls, hierarchy: Hierarchy, memory_bytes: int, tasks: int) -> "KernelGroup":
        """A new, empty group with these limits, named after this process. Raises OSError."""
        for _ in range(5):
            group, made = cls(hierarchy, f"{os.getpid()}-{next(_numbers)}", memory_bytes, tasks), []
            try:
                for folder in group.folders:
                    folder.mkdir()
                    made.append(folder)
                break
            except FileNotFoundError:  # a course-wide parent was removed by a grader that ended (it was empty)
                _remove(made, timeout=1.0)
                hierarchy.ensure()
            except FileExistsError:  # left by an earlier process of the same pid: the next number
                _remove(made, timeout=1.0)
        else:
            raise NoControlGroups(f"cannot make a group in {hierarchy.memory}")
        _own.append(group)
        _clean_up_at_exit(hierarchy)
        try:
            group._limit()
        except OSError:
            group.remove()
            raise
        return group

    @property
    def folders(self) -> list[Path]:
        return [parent / self.name for parent in self.hierarchy.parents]

    @property
    def memory(self) -> Path:
        return self.hierarchy.memory / self.name

    @property
    def pids(self) -> Path:
        return self.hierarchy.pids / self.name

    @property
    def procs_files(self) -> list[Path]:
        """The files a process's pid is written to, to put it (and its later children) in this group."""
        return [folder / "cgroup.procs" for folder in self.folders]

    def _limit(self) -> None:
        memory = str(self.memory_bytes)
        if self.hierarchy.version == 1:
            _write(self.memory / "memory.limit_in_bytes", memory)
            _write_if_there(self.memory / "memory.memsw.limit_in_bytes", memory)  # no swap beyond it
        else:
            _write(self.memory / "memory.max", memory)
            _write_if_there(self.memory / "memory.swap.max", "0")
            _write_if_there(self.memory / "memory.oom.group", "1")  # out of memory: the whole kernel ends
        _write(self.pids / "pids.max", str(self.tasks))

    def add(self, pid: int) -> None:
        """Move process ``pid`` (all its threads) into this group. Raises OSError."""
        for path in self.procs_files:
            _write(path, str(pid))

    def oom_kills(self) -> int:
        """How many processes of this group the memory limit has killed."""
        name = "memory.oom_control" if self.hierarchy.version == 1 else "memory.events"
        try:
            text = _read(self.memory / name)
        except OSError:
            return 0
        found = re.search(r"^oom_kill (\d+)$", text, re.M)
        return int(found.group(1)) if found else 0

    def remove(self, timeout: float = 2.0) -> bool:
        """Remove the group once its processes are gone (any left over is killed); whether it is gone."""
        if not self.removed:
            self.removed = _remove(self.folders, timeout)
            if self.removed and self in _own:
                _own.remove(self)
        return self.removed


def _remove(folders: list[Path], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    for folder in folders:
        while True:
            try:
                folder.rmdir()
                break
            except FileNotFoundError:
                break
            except OSError as exc:
                if exc.errno not in (errno.EBUSY, errno.ENOTEMPTY) or time.monotonic() > deadline:
                    log.warning("could not remove the control group %s: %s", folder, exc)
                    return False
                _kill_members(folder)
                time.sleep(0.01)
    return True


def _kill_members(folder: Path) -> None:
    """SIGKILL every process still in ``folder`` (a kernel's processes die with it; this is for strays)."""
    try:
        _write(folder / "cgroup.kill", "1")
        return
    except OSError:
        pass
    try:
        pids = [int(p) for p in _read(folder / "cgroup.procs").split()]
    except (OSError, ValueError):
        return
    for pid in pids:
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass


def _clean_up_at_exit(hierarchy: Hierarchy) -> None:
    _used.add(hierarchy)
    if _exit_handler_for != [os.getpid()]:  # also run at a pool worker's exit, where atexit is not
        _exit_handler_for[:] = [os.getpid()]
        multiprocessing.util.Finalize(None, remove_own_groups, exitpriority=1)


def remove_own_groups() -> None:
    """At the end of a grading process: remove its groups still there, then the course-wide parents if
    they are empty (another grader's groups keep them)."""
    mine = [group for group in _own if group.name.startswith(f"{os.getpid()}-")]
    for group in mine:
        group.remove(timeout=1.0)
    for parent in {parent for hierarchy in _used for parent in hierarchy.parents}:
        try:
            parent.rmdir()
        except OSError:
            pass


def remove_leftovers(hierarchy: Hierarchy | None = None) -> list[str]:
    """Remove the groups of graders that have ended (killed before they could), with any process
    still in them; return their names. Part of every run's clean-up
    (:func:`autograder.run.status.clean_up_before_grading`)."""
    hierarchy = hierarchy or available()
    if hierarchy is None:
        return []
    removed = []
    for parent in hierarchy.parents:
        try:
            children = sorted(parent.iterdir())
        except OSError:
            continue
        for child in children:
            match = GROUP_NAME.fullmatch(child.name)
            if match and child.is_dir() and not _running(int(match.group(1))) and _remove([child], timeout=2.0):
                removed.append(child.name)
    return sorted(set(removed))


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and is not a zombie."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[1].split()[0] != b"Z"
    except (OSError, IndexError):
        return False


# --- files -----------------------------------------------------------------------------------------------

def _read(path: Path) -> str:
    with open(path) as f:
        return f.read()


def _controllers(path: Path) -> set[str]:
    """The controllers a ``cgroup.controllers`` or ``cgroup.subtree_control`` file lists (none if unreadable)."""
    try:
        return {name.lstrip("+") for name in _read(path).split()}
    except OSError:
        return set()


def _write(path: Path, text: str) -> None:
    """Write ``text`` to a control file in one ``write`` (what the kernel expects)."""
    fd = os.open(path, os.O_WRONLY | os.O_CLOEXEC)
    try:
        os.write(fd, text.encode())
    finally:
        os.close(fd)


def _write_if_there(path: Path, text: str) -> None:
    try:
        _write(path, text)
    except FileNotFoundError:
        pass
