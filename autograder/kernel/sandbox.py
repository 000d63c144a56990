"""Student kernels in a bubblewrap sandbox.

Every kernel that runs student code is started by :class:`SandboxedKernelManager`
(``autograder.pipeline.execute.GuardedExecute`` uses it). The kernel process gets:

- **no network**: its own empty network namespace; the grader talks to it over
  ZeroMQ's ``ipc`` transport (Unix sockets in a per-kernel folder);
- **a read-only view of only what it needs**: the system (``/usr``, ``/etc``), the
  Python installation and virtual environment, and the learner package ``gdcourse``. The
  course folder itself (``source/``, ``gradebook.db``, other submissions, the grading
  cache) and the instructor's packages (``autograder``, ``course``, ``content``) are not in its file
  system at all;
- **a private, size-limited scratch space**: ``/tmp``, ``HOME`` and its working
  folder are in-memory file systems that vanish with it; files handed in beside the
  notebook are bound read-only into the working folder;
- **limits** (``prlimit``): address space, CPU seconds, file size, open files; and a
  control group of its own (:mod:`autograder.kernel.cgroups`) whose memory limit counts all it
  holds (shared memory and files in memory included) and whose task limit replaces a
  per-user one (without control groups: processes of its sandbox user, ``prlimit``); it
  runs as an unprivileged user (``setpriv``) with no capabilities and ``no_new_privs``;
  it cannot see or signal any process outside its PID namespace;
- **an end**: everything it started dies with it (PID namespace, ``--die-with-parent``).

Without ``bwrap`` the manager refuses to start a kernel, unless the instructor opts
out explicitly with ``c.SandboxedKernelManager.enabled = False``.
"""

from __future__ import annotations

import asyncio
import importlib.util
import multiprocessing
import os
import shutil
import signal
import stat
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.manager import AsyncKernelManager
from traitlets import Bool, Integer, Type, Unicode, default

from autograder import patches
from autograder.kernel import cgroups, syscall_filter
from autograder.errors import SandboxUnavailable

KERNEL_FOLDER_PREFIX, ZYGOTE_FOLDER_PREFIX = "gd-kernel-", "gd-zygote-"  # then the owner's pid and "-"
HIDDEN_NAMES = ("source", "autograded", "submitted", "feedback", "gradebook.db", "gradebook.db-wal",
                "gradebook.db-shm", ".grading-cache", "grading-status", "nbgrader_config.py")
OPT_OUT = "c.SandboxedKernelManager.enabled = False"
BWRAP_TASKS = 2  # bubblewrap's own processes in a cold kernel's control group (its monitor and the PID 1 it runs)
#: ``sh -c ENTER_GROUPS name PROCS... -- COMMAND...``: write its own pid into each cgroup.procs file, then
#: become COMMAND, so that COMMAND and all it starts are in those groups from their first instruction
ENTER_GROUPS = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 126; shift; done; shift; exec "$@"'


@dataclass(frozen=True)
class Limits:
    """Resource limits of one student kernel (each is per kernel process tree)."""

    memory_bytes: int = 2 * 1024**3  # address space of each process, and memory of the kernel's control group
    cpu_seconds: int = 120  # CPU time of each process
    processes: int = 64  # threads and processes of the kernel's control group (without one: of its sandbox user)
    file_bytes: int = 16 * 1024**2  # largest file it may write
    open_files: int = 256
    scratch_bytes: int = 64 * 1024**2  # each in-memory folder: /tmp, HOME, the working folder


@dataclass
class SandboxLayout:
    """What one sandbox sees: read-only trees, trees hidden inside them, writable places."""

    readable: list[Path]
    hidden: list[Path] = field(default_factory=list)
    workdir: Path = Path("/home/student/work")
    home: Path = Path("/home/student")
    handed_in: list[Path] = field(default_factory=list)  # files bound read-only into workdir


def socket_parent() -> str:
    """Where kernels' socket folders are made: not under /tmp, because every warm kernel mounts
    a fresh /tmp of its own over it (``GD_SOCKET_PARENT`` moves it, for tests)."""
    return os.environ.get("GD_SOCKET_PARENT") or ("/var/tmp" if os.path.isdir("/var/tmp") else tempfile.gettempdir())


UID_LOCKS = "gd-course-sandbox-uids"  # under uid_lock_parent(): one lock file per sandbox user in use
_claimed: dict[int, int] = {}  # first uid asked for -> the uid this process holds


def uid_lock_parent() -> Path:
    """One folder for every grading process of this machine, whatever its socket folder:
    /run/lock (root's) where it can be written, else the temporary folder."""
    run_lock = Path("/run/lock")
    return run_lock if run_lock.is_dir() and os.access(run_lock, os.W_OK) else Path(tempfile.gettempdir())


def claim_sandbox_uid(first: int, span: int = 4096) -> int:
    """A sandbox user of this process's own: the first uid from ``first`` on that no other live
    process of this machine has claimed (a grading worker of this run, of another run started
    at the same time, or a Dask worker).

    Without control groups (:mod:`autograder.kernel.cgroups`) each kernel's process limit counts all
    processes of its user, so two graders sharing a user would let one student's fork bomb stop
    another student's kernel; with them, a user of its own still keeps one run's kernels apart
    from another's. The claim is an ``flock`` held for the life of the process: the kernel
    releases it when the process dies. A uid this process holds already is its own.
    """
    if first in _claimed:
        return _claimed[first]
    if first in _claimed.values():
        return first
    import fcntl

    folder = uid_lock_parent() / UID_LOCKS
    folder.mkdir(mode=0o755, exist_ok=True)
    if folder.is_symlink() or folder.stat().st_uid != os.geteuid():
        raise SandboxUnavailable(f"{folder} belongs to another user: remove it, then grade again")
    for uid in range(first, first + span):
        if uid == 65535:  # (uid16_t) -1: "no user" to the 16-bit system calls
            continue
        handle = os.open(folder / f"{uid}.lock", os.O_RDONLY | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(handle)
            continue
        _claimed[first] = uid  # the handle stays open, and the lock held, until the process ends
        return uid
    raise SandboxUnavailable(f"all {span} sandbox users from uid {first} on are taken by live grading processes")


def bwrap_available(command: str = "bwrap") -> str | None:
    return shutil.which(command)


def package_dir(name: str) -> Path | None:
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations))).resolve()


def default_layout(course_root: Path, handed_in: list[Path] = ()) -> SandboxLayout:
    """The read-only view a notebook of this course needs, and the secrets to mask in it.

    Readable: the Python installation, the virtual environment, the learner package
    ``gdcourse``. Hidden even where those trees contain them: the instructor's packages
    (``autograder``, ``course``, and ``content``, whose mistake catalogue holds near-right formulas)
    and the course folder's private files.
    """
    prefixes = {Path(sys.base_prefix).resolve(), Path(sys.prefix).resolve(), Path(sys.prefix).absolute()}
    readable = sorted(p for p in prefixes if p != Path("/usr") and p.exists())
    learner_pkg = package_dir("gdcourse")
    if learner_pkg and not any(learner_pkg.is_relative_to(p) for p in readable):
        readable.append(learner_pkg)
    root = course_root.resolve()
    secrets = [root / name for name in HIDDEN_NAMES]
    secrets += [pkg for pkg in (package_dir("autograder"), package_dir("course"), package_dir("content")) if pkg]
    hidden = [s for s in secrets if s.exists() and any(s.is_relative_to(p) for p in readable)]
    return SandboxLayout(readable=readable, hidden=hidden, handed_in=list(handed_in))


def _ancestors(paths) -> list[Path]:
    """Every parent folder of ``paths``, outermost first, to create with mode 0755."""
    out: list[Path] = []
    for path in paths:
        for parent in reversed(path.parents):
            if parent != Path("/") and parent not in out:
                out.append(parent)
    return out


def bwrap_argv(command: list[str], *, layout: SandboxLayout, ipc_dir: Path, limits: Limits,
               env: dict[str, str], uid: int | None, seccomp_fd: int | None = None,
               connection_fd: int | None = None, task_limit_per_user: bool = True) -> list[str]:
    """The full command line that runs ``command`` inside the sandbox.

    ``uid`` is the unprivileged user to become when the grader runs as root (then
    bwrap needs no user namespace and the process limit counts that user's tasks);
    ``None`` when the grader is an ordinary user (bwrap makes a user namespace).
    ``seccomp_fd`` is an open file holding the system-call filter
    (:func:`autograder.kernel.syscall_filter.program_fd`), which bwrap loads into ``command``;
    ``connection_fd`` one holding the kernel's connection file, which bwrap copies to
    :func:`private_connection_file` (the one in ``ipc_dir`` stays root's). ``task_limit_per_user``
    False leaves out the sandbox user's process limit: the kernel's control group has one.
    ``/dev`` is read-only, with a ``/dev/shm`` of the scratch size (bwrap's ``--dev`` alone is
    an unlimited in-memory file system, writable where bwrap makes a user namespace).
    """
    argv = ["bwrap", "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
            "--unshare-cgroup-try", "--die-with-parent", "--new-session", "--hostname", "sandbox"]
    if uid is None:
        argv += ["--unshare-user", "--disable-userns"]
    argv += ["--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc"]
    for name in ("bin", "sbin", "lib", "lib32", "lib64", "libx32"):
        top = Path("/") / name
        if top.is_symlink():
            argv += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            argv += ["--ro-bind", str(top), str(top)]
    scratch = str(limits.scratch_bytes)
    argv += ["--proc", "/proc", "--dev", "/dev", "--size", scratch, "--perms", "1777", "--tmpfs", "/dev/shm",
             "--remount-ro", "/dev"]
    argv += ["--size", scratch, "--perms", "1777", "--tmpfs", "/tmp"]
    mounts = [*layout.readable, layout.home, layout.workdir, ipc_dir]
    for parent in _ancestors(mounts):
        if parent != Path("/tmp") and not any(parent.is_relative_to(p) for p in layout.readable):
            argv += ["--perms", "0755", "--dir", str(parent)]
    for path in layout.readable:
        argv += ["--ro-bind", str(path), str(path)]
    for path in layout.hidden:
        argv += ["--tmpfs", str(path)] if path.is_dir() else ["--ro-bind", "/dev/null", str(path)]
    argv += ["--size", scratch, "--perms", "0777", "--tmpfs", str(layout.home)]
    argv += ["--size", scratch, "--perms", "0777", "--tmpfs", str(layout.workdir)]
    if connection_fd is not None:
        argv += ["--perms", "0444", "--ro-bind-data", str(connection_fd), str(private_connection_file(layout))]
    for path in layout.handed_in:
        argv += ["--ro-bind", str(path), str(layout.workdir / path.name)]
    argv += ["--bind", str(ipc_dir), str(ipc_dir), "--chdir", str(layout.workdir), "--clearenv"]
    if seccomp_fd is not None:
        argv += ["--seccomp", str(seccomp_fd)]
    for key, value in sorted(env.items()):
        argv += ["--setenv", key, value]
    argv += ["--", "prlimit", f"--as={limits.memory_bytes}", f"--cpu={limits.cpu_seconds}",
             f"--fsize={limits.file_bytes}", f"--nofile={limits.open_files}", f"--core=0"]
    if uid is not None:
        argv += [f"--nproc={limits.processes}"] if task_limit_per_user else []
        argv += ["--", "setpriv", f"--reuid={uid}", f"--regid={uid}",
                 "--clear-groups", "--no-new-privs", "--inh-caps=-all", "--bounding-set=-all"]
    return [*argv, "--", *command]


#: The kernel starts with nothing handed in on its path: Python in isolated mode (no working folder or
#: PYTHON* variable: a handed-in ``ipykernel_launcher.py`` or ``sitecustomize.py`` is not run) and IPython
#: without the working folder (its ``init_path`` would put it before site-packages while the kernel sets
#: up). ``autograder.pipeline.execute`` puts the working folder back once the grader holds the kernel, so the
#: notebook can import what was handed in, as in a stock kernel.
IGNORE_CWD = "--IPKernelApp.ignore_cwd=True"


def isolated_kernel_cmd(cmd: list[str]) -> list[str]:
    """``python -m ipykernel_launcher …`` as ``python -I -B -m ipykernel_launcher … --IPKernelApp.ignore_cwd=True``."""
    cmd = list(cmd)
    if len(cmd) > 2 and cmd[1] == "-m":
        cmd[1:1] = ["-I", "-B"]
    if IGNORE_CWD not in cmd:
        cmd.append(IGNORE_CWD)
    return cmd


def read_tail(path: Path, limit: int) -> bytes:
    """The last ``limit`` bytes of the regular file ``path``; b"" for anything else. A link is never
    followed, a pipe or device never read (the file may lie in a folder a kernel could write to)."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError:
        return b""
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return b""
        os.lseek(fd, max(0, info.st_size - limit), os.SEEK_SET)
        return os.read(fd, limit)
    finally:
        os.close(fd)


def private_connection_file(layout: SandboxLayout) -> Path:
    """Where a kernel reads its own copy of its connection file (in its private HOME)."""
    return layout.home / ".gd-kernel-connection.json"


def kernel_env(layout: SandboxLayout, extra: dict[str, str]) -> dict[str, str]:
    """The whole environment of a student kernel: nothing inherited from the grader."""
    venv_bin = str(Path(sys.executable).parent)
    env = {
        "PATH": f"{venv_bin}:/usr/local/bin:/usr/bin:/bin",
        "HOME": str(layout.home),
        "IPYTHONDIR": str(layout.home / ".ipython"),
        "MPLCONFIGDIR": str(layout.home / ".matplotlib"),
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONNOUSERSITE": "1",
        # one thread per numerical library: the sandbox has a task limit and so do graders
        "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1",
    }
    env.update({k: v for k, v in extra.items() if k in ("MPLBACKEND", "NBGRADER_EXECUTION", "NBGRADER_VALIDATING")})
    return env


WIRE_BYTES = "gd_wire_bytes"  # key added to each received message: its size on the wire


class MeteredChannel(AsyncZMQSocketChannel):
    """A kernel channel that notes each message's size on the wire (``msg[WIRE_BYTES]``), so that
    output budgets count what a kernel really sent, whatever the kind of message."""

    async def _recv(self, **kwargs):
        while True:  # a message that cannot be read (nested past the JSON parser's depth, ...) is dropped
            frames = await self.socket.recv_multipart(**kwargs)
            try:
                _, signed = self.session.feed_identities(frames)
                msg = self.session.deserialize(signed)
            except (ValueError, TypeError, KeyError, RecursionError):
                continue
            if isinstance(msg.get("content"), dict) and isinstance(msg.get("parent_header"), dict):
                msg[WIRE_BYTES] = sum(len(frame) for frame in frames)
                return msg


class CappedKernelClient(AsyncKernelClient):
    """A kernel client whose sockets drop any single message larger than ``max_message_bytes``
    and whose output channel measures every message (:class:`MeteredChannel`).

    A kernel can otherwise make the grader hold one enormous output in memory.
    """

    max_message_bytes = Integer(32 * 1024**2).tag(config=True)
    iopub_channel_class = Type(MeteredChannel)

    def _create_connected_socket(self, channel, identity=None):
        sock = super()._create_connected_socket(channel, identity)
        patches.applies("jupyter_client-capped-sockets")  # a safeguard: outside its range it warns, stays on
        sock.setsockopt(zmq.MAXMSGSIZE, self.max_message_bytes)
        return sock


class SandboxedKernelManager(AsyncKernelManager):
    """A kernel manager that starts every kernel inside bubblewrap (see the module docs)."""

    enabled = Bool(True, help="Isolate student kernels. Turning this off lets student code read "
                   "the answer key and rewrite the gradebook: only for trusted notebooks.").tag(config=True)
    bwrap = Unicode("bwrap", help="The bubblewrap executable.").tag(config=True)
    sandbox_uid = Integer(65534, help="Unprivileged user the kernel runs as when grading as root.").tag(config=True)
    memory_bytes = Integer(Limits.memory_bytes).tag(config=True)
    cpu_seconds = Integer(Limits.cpu_seconds).tag(config=True)
    processes = Integer(Limits.processes).tag(config=True)
    file_bytes = Integer(Limits.file_bytes).tag(config=True)
    scratch_bytes = Integer(Limits.scratch_bytes).tag(config=True)
    course_root = Unicode("", help="The course folder whose private files are hidden (default: cwd).").tag(config=True)
    control_groups = Bool(True, help="Put each kernel in a control group of its own, limiting the memory (shared "
                          "memory and files in memory included) and tasks of everything it starts, where the host "
                          "lets the grader make them (autograder/kernel/cgroups.py; docs/sandbox.md).").tag(config=True)

    @default("client_factory")
    def _capped_client(self):
        return CappedKernelClient
    _ipc_dir: Path | None = None
    _log_dir: Path | None = None
    _workdir_files: list[Path] = []
    _seccomp_fd: int | None = None
    _connection_fd: int | None = None
    _last_log = ""
    _cgroup: cgroups.KernelGroup | None = None
    _last_oom_kills = 0

    @property
    def limits(self) -> Limits:
        return Limits(memory_bytes=self.memory_bytes, cpu_seconds=self.cpu_seconds, processes=self.processes,
                      file_bytes=self.file_bytes, scratch_bytes=self.scratch_bytes)

    def _ipc_parent(self) -> str:
        """Where the kernel's socket folder is made (bound into its sandbox at the same path)."""
        return socket_parent()

    def _kernel_uid(self) -> int | None:
        """The unprivileged user the kernel runs as when grading as root (None otherwise): a user of this
        grading process's own, the first free from ``sandbox_uid`` on (:func:`claim_sandbox_uid`)."""
        return claim_sandbox_uid(self.sandbox_uid) if os.geteuid() == 0 else None

    def _groups_available(self) -> bool:
        """Whether this process's kernels get control groups (said once per run where they cannot)."""
        # a worker of `course grade`'s pool stays silent: its grader said it when it cleaned up
        return self.control_groups and cgroups.available(warn=multiprocessing.parent_process() is None) is not None

    def _new_group(self, extra_tasks: int) -> cgroups.KernelGroup | None:
        """The control group of the kernel about to start (None without control groups)."""
        self._end_group()  # a restarted kernel's earlier one
        if not self._groups_available():
            return None
        hierarchy = cgroups.available()
        try:
            self._cgroup = cgroups.KernelGroup.create(hierarchy, self.memory_bytes, self.processes + extra_tasks)
        except OSError as exc:
            raise SandboxUnavailable(f"the kernel's control group could not be made in {hierarchy.memory}: {exc}") \
                from exc
        return self._cgroup

    def _end_group(self) -> None:
        """Remove the kernel's control group (its processes are gone by now; a stray one is killed)."""
        if self._cgroup is not None:
            self._last_oom_kills = self._cgroup.oom_kills()
            self._cgroup.remove()
            self._cgroup = None

    async def _async_pre_start_kernel(self, **kw):
        if not self.enabled:
            self.log.warning("STUDENT CODE IS RUNNING WITHOUT A SANDBOX (%s in the config): it can read "
                             "the answer key and change grades.", OPT_OUT)
            return await super()._async_pre_start_kernel(**kw)
        if not bwrap_available(self.bwrap):
            raise SandboxUnavailable(
                "bubblewrap (`bwrap`) is not installed, so student code cannot be isolated and grading is "
                "refused. Install it with `make setup` (or `apt-get install bubblewrap`). To grade trusted "
                f"notebooks without isolation, put `{OPT_OUT}` in nbgrader_config.py.")
        patches.applies("jupyter_client-sandboxed-kernel")  # a safeguard: outside its range it warns, stays on
        cwd = Path(kw.pop("cwd", None) or os.getcwd())
        self._workdir_files = [p for p in sorted(cwd.iterdir()) if p.is_file() and not p.is_symlink()
                               and p.suffix != ".ipynb" and p.name != "timestamp.txt"] if cwd.is_dir() else []
        self._ipc_dir = Path(tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER_PREFIX}{os.getpid()}-", dir=self._ipc_parent()))
        # the kernel's stdout/stderr: in a folder of the grader's alone, never in the socket folder the kernel
        # may write to while it starts (named like the socket folders, so a killed grader's is removed too)
        self._log_dir = Path(tempfile.mkdtemp(prefix=f"{KERNEL_FOLDER_PREFIX}{os.getpid()}-log-", dir=self._ipc_parent()))
        if os.geteuid() == 0:
            os.chown(self._ipc_dir, self._kernel_uid(), self._kernel_uid())
        os.chmod(self._ipc_dir, 0o711)
        self.transport = "ipc"
        self.ip = str(self._ipc_dir / "k")
        self.connection_file = str(self._ipc_dir / "kernel.json")
        kw["env"] = dict(kw.get("env") or os.environ)
        return await super()._async_pre_start_kernel(**kw)

    def format_kernel_cmd(self, extra_arguments=None):
        cmd = super().format_kernel_cmd(extra_arguments)
        if not self.enabled:
            return cmd
        cmd = isolated_kernel_cmd(cmd)
        root = Path(self.course_root or os.getcwd())
        layout = default_layout(root, self._workdir_files)
        env = kernel_env(layout, dict(os.environ))
        uid = self._kernel_uid()
        self._close_fds()
        os.chmod(self.connection_file, 0o600)  # the kernel reads a private copy, never this file
        group = self._new_group(extra_tasks=BWRAP_TASKS)
        self._seccomp_fd = syscall_filter.program_fd(refuse_sysv_shm=group is None)
        self._connection_fd = os.memfd_create("gd-kernel-connection")
        os.write(self._connection_fd, Path(self.connection_file).read_bytes())
        os.lseek(self._connection_fd, 0, os.SEEK_SET)
        private = str(private_connection_file(layout))
        cmd = [private if arg == self.connection_file else arg for arg in cmd]
        argv = bwrap_argv(cmd, layout=layout, ipc_dir=self._ipc_dir, limits=self.limits, env=env, uid=uid,
                          seccomp_fd=self._seccomp_fd, connection_fd=self._connection_fd,
                          task_limit_per_user=group is None)
        argv = [bwrap_available(self.bwrap), *argv[1:]]
        if group is None:
            return argv
        # bwrap, and so all the kernel will start, in the kernel's group from its first instruction
        return ["/bin/sh", "-c", ENTER_GROUPS, "gd-kernel-group", *map(str, group.procs_files), "--", *argv]

    def _close_fds(self) -> None:
        for name in ("_seccomp_fd", "_connection_fd"):
            fd = getattr(self, name)
            if fd is not None:
                os.close(fd)
                setattr(self, name, None)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if self.enabled:
            kw["env"] = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}  # bwrap --clearenv sets the rest
            kw["pass_fds"] = (self._seccomp_fd, self._connection_fd)
            # the kernel's own stdout/stderr (banner, crash messages) go to a capped log file
            try:
                with open(self._log_dir / "kernel.log", "wb") as log:
                    kw["stdout"] = kw["stderr"] = log
                    await super()._async_launch_kernel(kernel_cmd, **kw)
            finally:
                self._close_fds()
        else:
            await super()._async_launch_kernel(kernel_cmd, **kw)
        if self.enabled:
            await self._seal_ipc_dir()

    async def _seal_ipc_dir(self, timeout: float = 30.0) -> None:
        """Once the kernel has made its sockets, take away its right to add files there.

        Its connection file (which holds the key that signs messages to it) was never its
        to read: it reads a private copy of its own.
        """
        ports = [self.shell_port, self.iopub_port, self.stdin_port, self.hb_port, self.control_port]
        sockets = [Path(f"{self.ip}-{port}") for port in ports]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not all(s.exists() for s in sockets):
            if loop.time() > deadline or (self.provisioner and await self.provisioner.poll() is not None):
                return  # the kernel died or is slow; nbclient reports it
            await asyncio.sleep(0.02)
        if os.geteuid() == 0:
            os.chown(self._ipc_dir, 0, 0)
        os.chmod(self._ipc_dir, 0o755)

    async def _async_interrupt_kernel(self):
        # The kernel sits in its own session inside the sandbox, out of reach of a signal
        # to bwrap's process group: ask it by message (ipykernel then signals itself).
        if self.enabled and self.has_kernel:
            msg = self.session.msg("interrupt_request", content={})
            self._connect_control_socket()
            self.session.send(self._control_socket, msg)
            return
        await super()._async_interrupt_kernel()

    interrupt_kernel = _async_interrupt_kernel

    async def _async_cleanup_resources(self, restart: bool = False) -> None:
        await super()._async_cleanup_resources(restart=restart)
        if not restart:
            self._end_group()
        if self._ipc_dir is not None and not restart:
            self._last_log = self.kernel_log()  # for the reason of a failure, said after the clean-up
            shutil.rmtree(self._ipc_dir, ignore_errors=True)
            self._ipc_dir = None
            if self._log_dir is not None:
                shutil.rmtree(self._log_dir, ignore_errors=True)
                self._log_dir = None

    cleanup_resources = _async_cleanup_resources

    def kernel_log(self, limit: int = 2000) -> str:
        """The end of what the sandboxed process wrote to stdout/stderr (bwrap errors included)."""
        if self._ipc_dir is None:
            return self._last_log[-limit:]
        folder = self._log_dir if self._log_dir is not None else self._ipc_dir  # a warm kernel's is in its folder
        return read_tail(folder / "kernel.log", limit).decode("utf-8", "replace")

    def exit_reason(self) -> str | None:
        """Why the kernel process ended, in words, or None if it is still running."""
        process = getattr(self.provisioner, "process", None)
        code = process.poll() if process is not None else None
        oom_kills = self._cgroup.oom_kills() if self._cgroup is not None else self._last_oom_kills
        return describe_exit(code, memory_limit=self.memory_bytes if oom_kills else None)


def reap_orphaned_sandboxes() -> list[int]:
    """Kill sandboxes whose grader is gone and remove the folders of dead graders; return the pids killed.

    A sandbox is always the child of a running grader. If the grader is killed (kill -9)
    while bwrap is still setting up, bwrap's own "die with parent" can miss it and the
    sandbox is re-parented to init: such a process (``bwrap`` with a ``gd-kernel-`` or
    ``gd-zygote-`` folder on its command line and parent pid 1) is a leftover, and the
    next grading run removes it and its folder. A socket folder whose owner (the pid in
    its name) has ended is removed too: a killed grader had no chance to.
    """
    import psutil

    reaped = []
    for process in psutil.process_iter(["name", "cmdline", "ppid"]):
        cmdline = process.info["cmdline"] or []
        if process.info["name"] != "bwrap" or process.info["ppid"] != 1:
            continue
        folders = [arg for arg in cmdline if Path(arg).name.startswith((KERNEL_FOLDER_PREFIX, ZYGOTE_FOLDER_PREFIX))]
        if not folders:
            continue
        try:
            for child in process.children(recursive=True):
                child.kill()
            process.kill()
        except psutil.Error:
            continue
        reaped.append(process.pid)
        for folder in set(folders):
            shutil.rmtree(folder, ignore_errors=True)
    for parent in {tempfile.gettempdir(), socket_parent()}:
        for prefix in (KERNEL_FOLDER_PREFIX, ZYGOTE_FOLDER_PREFIX):
            for folder in Path(parent).glob(f"{prefix}*-*"):
                owner = folder.name[len(prefix):].split("-", 1)[0]
                if owner.isdigit() and not _running(int(owner)):
                    shutil.rmtree(folder, ignore_errors=True)
    return reaped


def _running(pid: int) -> bool:
    """Whether process ``pid`` exists and has not ended (a killed process stays a zombie until reaped)."""
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


def describe_exit(code: int | None, memory_limit: int | None = None) -> str | None:
    """Why a kernel ended, from its exit status; ``memory_limit``: its control group's memory limit, when that
    limit has killed a process of the kernel."""
    if code is None:
        return None
    sig = -code if code < 0 else code - 128 if code > 128 else 0  # bwrap reports 128 + signal
    if sig == signal.SIGKILL and memory_limit:
        return (f"killed (SIGKILL) for going over its memory limit of {size_in_words(memory_limit)} (all its "
                f"processes together, shared memory and files in memory included)")
    if sig in signal.Signals._value2member_map_:
        why = {signal.SIGKILL: "killed (SIGKILL): it was stopped by the grader or ran out of memory",
               signal.SIGXCPU: "stopped by the CPU-time limit (SIGXCPU)",
               signal.SIGSEGV: "crashed (segmentation fault)",
               signal.SIGXFSZ: "stopped by the file-size limit (SIGXFSZ)"}.get(sig)
        return why or f"ended by signal {signal.Signals(sig).name}"
    return f"the kernel process exited with status {code} (e.g. os._exit or sys.exit in a thread)"


def size_in_words(n: int) -> str:
    """``2 GiB``, ``1.5 GiB``, ``640 MiB``."""
    return f"{n / 2**30:.3g} GiB" if n >= 2**30 else f"{n / 2**20:.3g} MiB"
