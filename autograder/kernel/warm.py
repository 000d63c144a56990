"""Sandboxed kernels forked from a warm parent: the kernel start of ``course grade``.

A cold kernel costs about a second of CPU before the first cell (Python, ipykernel,
NumPy and Matplotlib imports). :class:`WarmSandboxedKernelManager` asks a per-process
:class:`Zygote` (``autograder/kernel/zygote.py`` running inside one bubblewrap sandbox with
the same read-only view, no network and its own PID namespace) to fork a kernel that
already has those imports. Every submission still gets a fresh process, the first of
PID, IPC, network and mount namespaces of its own (so that all it starts ends with it),
with fresh in-memory ``/tmp``, ``HOME``, working folder and ``/dev/shm``, its own limits,
an unprivileged user and the system-call filter; this process moves it into a control
group of its own (:mod:`autograder.kernel.cgroups`) before it is asked to run any cell. Every request to the zygote has a
deadline; one that does not answer is killed with its kernels. Grades are the same as with
:class:`~autograder.kernel.sandbox.SandboxedKernelManager`, which the plain
``nbgrader autograde`` path keeps using.
"""

from __future__ import annotations

import json
import multiprocessing.util
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict
from pathlib import Path
from queue import Empty

from jupyter_client.manager import AsyncKernelManager
from traitlets import default

from autograder import patches
from autograder.kernel import cgroups, syscall_filter
from autograder.kernel.sandbox import IGNORE_CWD, ZYGOTE_FOLDER_PREFIX, CappedKernelClient, Limits, SandboxedKernelManager, SandboxUnavailable, \
    bwrap_argv, bwrap_available, default_layout, kernel_env, socket_parent
from autograder.kernel.zygote import WARM_UP_PATCHES

ZYGOTE_SOURCE = Path(__file__).with_name("zygote.py")
ZYGOTE_INSIDE = Path("/opt/gd-course/zygote.py")
START_SECONDS = 60  # warming up imports NumPy, Matplotlib and IPython: a few seconds on a busy machine
ANSWER_SECONDS = 20  # each request is a fork, a waitpid or a kill, and reaping within zygote.REAP_SECONDS


class Zygote:
    """One warm parent per grading process and course, started ahead of need, restarted if it died.

    Its own sandbox has the default scratch sizes; every kernel it forks gets the limits
    of its request (fresh in-memory folders of the requested size, rlimits), so one warm
    parent serves kernels of any limits.
    """

    _instances: dict[tuple, "Zygote"] = {}
    _lock = threading.Lock()

    def __init__(self, bwrap: str, course_root: Path, ipc_base: Path, refuse_sysv_shm: bool = False):
        self.ipc_base = ipc_base
        self._host_pid: int | None = None
        layout = default_layout(course_root)
        env = kernel_env(layout, dict(os.environ))
        argv = bwrap_argv(["python", str(ZYGOTE_INSIDE)], layout=layout, ipc_dir=ipc_base, limits=Limits(),
                          env=env, uid=0)
        # the zygote stays root inside its sandbox (its children drop to the worker's user),
        # so bwrap_argv's prlimit/setpriv wrappers are replaced by the bare interpreter
        command_at = argv.index("--")
        filter_file = ipc_base / "syscalls.bpf"
        filter_file.write_bytes(syscall_filter.program(refuse_sysv_shm))
        argv = [bwrap, *argv[1:command_at], "--ro-bind", str(ZYGOTE_SOURCE), str(ZYGOTE_INSIDE),
                "--", sys.executable, str(ZYGOTE_INSIDE), str(filter_file), allowed_warm_up_patches()]
        self.process = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.DEVNULL)
        self._pending = b""
        self.ready = False

    def _read_line(self, timeout: float) -> bytes:
        """One line from the zygote, or b"" if it ended or said nothing within ``timeout`` seconds."""
        deadline = time.monotonic() + timeout
        fd = self.process.stdout.fileno()
        while b"\n" not in self._pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([fd], [], [], left)[0]:
                return b""
            chunk = os.read(fd, 65536)
            if not chunk:
                return b""
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line

    def wait_ready(self) -> None:
        """Block until the zygote has warmed up (it says so on its first line)."""
        with self._lock:
            if not self.ready:
                line = self._read_line(START_SECONDS)
                if not line.strip().startswith(b'{"ready"'):
                    self.close()
                    raise SandboxUnavailable(f"the warm kernel parent did not start within {START_SECONDS} s "
                                             f"(exit {self.process.poll()})")
                self.ready = True

    @classmethod
    def start(cls, bwrap: str, course_root: Path, refuse_sysv_shm: bool | None = None) -> "Zygote":
        """The zygote for ``course_root``, started now if there is none (without waiting for it).

        Its kernels' system-call filter refuses SysV shared memory when ``refuse_sysv_shm`` (by
        default: where this process's kernels get no control group).
        """
        if refuse_sysv_shm is None:
            refuse_sysv_shm = cgroups.available(warn=False) is None
        key = (bwrap, str(course_root), refuse_sysv_shm)
        with cls._lock:
            zygote = cls._instances.get(key)
            if zygote is None or zygote.process.poll() is not None:
                if zygote is not None:
                    zygote.close()
                # named after this process, so that a run after a kill can tell it is left over
                base = Path(tempfile.mkdtemp(prefix=f"{ZYGOTE_FOLDER_PREFIX}{os.getpid()}-", dir=socket_parent()))
                os.chmod(base, 0o711)
                zygote = cls._instances[key] = Zygote(bwrap, course_root, base, refuse_sysv_shm)
                # run at a normal exit, and also when a pool worker exits (it skips atexit)
                multiprocessing.util.Finalize(zygote, zygote.close, exitpriority=10)
            return zygote

    @classmethod
    def get(cls, bwrap: str, course_root: Path, refuse_sysv_shm: bool | None = None) -> "Zygote":
        """The zygote for ``course_root``, ready to fork kernels."""
        zygote = cls.start(bwrap, course_root, refuse_sysv_shm)
        try:
            zygote.wait_ready()
        except SandboxUnavailable:
            zygote.close()
            raise
        return zygote

    @classmethod
    def close_all(cls) -> None:
        """Close every zygote of this process (its grader is gone)."""
        for zygote in list(cls._instances.values()):
            zygote.close()

    def ask(self, **request) -> dict:
        """Send one request and read its answer, within :data:`ANSWER_SECONDS`.

        A zygote that does not answer in time is killed, and with it every kernel it
        forked (they live in its sandbox); the next request starts a new one.
        """
        with self._lock:
            try:
                self.process.stdin.write(json.dumps(request).encode() + b"\n")
                self.process.stdin.flush()
            except (BrokenPipeError, ValueError):
                answer = b""
            else:
                answer = self._read_line(ANSWER_SECONDS)
        if not answer:
            self.close()
            raise SandboxUnavailable(f"the warm kernel parent ended or did not answer {request.get('op')!r} "
                                     f"within {ANSWER_SECONDS} s")
        reply = json.loads(answer)
        if "error" in reply:
            raise OSError(reply["error"])
        return reply

    def host_pid(self) -> int:
        """The zygote's own process id, as this process sees it (bwrap runs it two processes down)."""
        if self._host_pid is None:
            todo = [self.process.pid]
            while todo and self._host_pid is None:
                pid = todo.pop(0)
                if len(ns_pids(pid)) == 2 and _read(f"/proc/{pid}/cmdline").split(b"\0")[1:2] == [
                        str(ZYGOTE_INSIDE).encode()]:  # python zygote.py ..., not bwrap ... zygote.py
                    self._host_pid = pid
                todo += children(pid)
            if self._host_pid is None:
                raise LookupError("the warm kernel parent's process was not found")
        return self._host_pid

    def kernel_host_pid(self, pid: int) -> int:
        """The process id, as this process sees it, of the kernel the zygote knows as ``pid``."""
        for child in children(self.host_pid()):
            ids = ns_pids(child)  # this namespace's pid, the zygote's sandbox's, the kernel's own (1)
            if len(ids) > 2 and ids[1] == pid:
                return child
        raise LookupError(f"the kernel {pid} is not a process of the warm kernel parent")

    def close(self) -> None:
        """Kill the zygote's sandbox (its kernels die with it) and remove its folder."""
        if self.process.poll() is None:
            self.process.kill()
            try:
                self.process.wait(timeout=ANSWER_SECONDS)
            except subprocess.TimeoutExpired:
                pass
        shutil.rmtree(self.ipc_base, ignore_errors=True)


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError:
        return b""


def children(pid: int) -> list[int]:
    """The child processes of ``pid`` (of each of its threads)."""
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return []
    return [int(child) for task in tasks for child in _read(f"/proc/{pid}/task/{task}/children").split()]


def ns_pids(pid: int) -> list[int]:
    """Process ``pid``'s id in each PID namespace it is in, this one first (``NSpid:`` of its status)."""
    for line in _read(f"/proc/{pid}/status").decode(errors="replace").splitlines():
        if line.startswith("NSpid:"):
            return [int(x) for x in line.split()[1:]]
    return []


def allowed_warm_up_patches() -> str:
    """The zygote's patches (``zygote.WARM_UP_PATCHES``) that :mod:`autograder.patches` allows, comma-separated.

    The zygote cannot import this package, so it is told on its command line.
    """
    return ",".join(name for name in WARM_UP_PATCHES if patches.applies(name))


class ZygoteChild:
    """The part of ``subprocess.Popen`` that jupyter_client's provisioner uses, for a forked kernel."""

    stdin = stdout = stderr = None

    def __init__(self, zygote: Zygote, pid: int, uid: int):
        self.zygote, self.pid, self.uid, self.returncode = zygote, pid, uid, None

    def poll(self):
        if self.returncode is None:
            try:
                self.returncode = self.zygote.ask(op="poll", pid=self.pid)["returncode"]
            except (OSError, SandboxUnavailable):
                self.returncode = -signal.SIGKILL  # the zygote is gone, and its children with it
        return self.returncode

    def wait(self, timeout=None):
        if self.poll() is None:
            self.kill()
        return self.returncode

    def kill(self):
        if self.returncode is None:
            try:
                self.returncode = self.zygote.ask(op="kill", pid=self.pid)["returncode"]
            except (OSError, SandboxUnavailable):  # not reaped in time: end the zygote and all it forked
                self.zygote.close()
                self.returncode = -signal.SIGKILL

    def terminate(self):
        self.kill()

    def send_signal(self, signum):
        if signum == signal.SIGKILL:
            return self.kill()
        if self.returncode is None:
            self.zygote.ask(op="signal", pid=self.pid, signum=int(signum))


class QuickReadyClient(CappedKernelClient):
    """jupyter_client's readiness check without its fixed 0.2 s of IOPub silence at the end.

    After the kernel_info reply (with IOPub proven connected), jupyter_client drains
    IOPub until nothing arrives for 0.2 s. nbclient ignores IOPub messages of other
    requests anyway, so a short drain loses nothing and saves 0.2 s per kernel. IOPub is
    also asked for more often (every 20 ms rather than 200 ms) while it connects.
    """

    async def _async_wait_for_ready(self, timeout=None):
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            msg_id = self.kernel_info()
            try:
                msg = await self.shell_channel.get_msg(timeout=1)
                while msg["parent_header"].get("msg_id") != msg_id:  # replies to earlier attempts
                    msg = await self.shell_channel.get_msg(timeout=1)
            except Empty:
                msg = None
            if msg and msg["msg_type"] == "kernel_info_reply" and msg["parent_header"].get("msg_id") == msg_id:
                try:
                    await self.iopub_channel.get_msg(timeout=0.02)  # IOPub connected?
                except Empty:
                    pass
                else:
                    self._handle_kernel_info_reply(msg)
                    break
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout} seconds")
        while True:
            try:
                await self.iopub_channel.get_msg(timeout=0.01)
            except Empty:
                break

    wait_for_ready = _async_wait_for_ready


class WarmSandboxedKernelManager(SandboxedKernelManager):
    """A :class:`SandboxedKernelManager` whose kernels are forked from a warm zygote."""

    @default("client_factory")
    def _quick_client(self):
        return QuickReadyClient if patches.applies("jupyter_client-quick-ready") else CappedKernelClient

    @property
    def warm(self) -> bool:
        # forking needs the zygote to own its children's mounts and users: grading as root
        return self.enabled and os.geteuid() == 0 and bool(bwrap_available(self.bwrap)) \
            and patches.applies("jupyter_client-warm-kernel-launch")

    def format_kernel_cmd(self, extra_arguments=None):
        if not self.warm:
            return super().format_kernel_cmd(extra_arguments)
        cmd = AsyncKernelManager.format_kernel_cmd(self, extra_arguments)  # the zygote copies the connection file
        return cmd if IGNORE_CWD in cmd else [*cmd, IGNORE_CWD]  # nothing handed in on the path while it starts

    def _ipc_parent(self) -> str:
        # the kernel's socket folder must be inside the zygote's sandbox
        return str(self._zygote.ipc_base) if self.warm else super()._ipc_parent()

    def zygote(self) -> Zygote:
        """This process's warm parent for this manager's course, started if need be."""
        return Zygote.get(bwrap_available(self.bwrap), Path(self.course_root or os.getcwd()).resolve(),
                          refuse_sysv_shm=not self._groups_available())

    async def _async_pre_start_kernel(self, **kw):
        if self.warm:
            self._zygote = self.zygote()
        return await super()._async_pre_start_kernel(**kw)

    async def _async_launch_kernel(self, kernel_cmd, **kw):
        if not self.warm:
            return await super()._async_launch_kernel(kernel_cmd, **kw)
        inbox = self._ipc_dir / "inbox"
        inbox.mkdir()
        for path in self._workdir_files:
            try:
                shutil.copyfile(path, inbox / path.name)
            except OSError:  # gone since it was listed: nothing to hand in
                pass
        layout = default_layout(Path(self.course_root or os.getcwd()))
        uid = self._kernel_uid()
        extra = kernel_cmd[kernel_cmd.index(self.connection_file) + 1:]
        keep = [str(p) for p in layout.readable if p.is_relative_to("/tmp")]  # e.g. a venv under /tmp
        group = self._new_group(extra_tasks=0)
        limits = asdict(self.limits)
        if group is not None:
            limits["processes"] = None  # its group's pids.max, not a limit per user
        reply = self._zygote.ask(op="spawn", connection_file=self.connection_file, ipc_dir=str(self._ipc_dir),
                                 home=str(layout.home), workdir=str(layout.workdir), uid=uid, keep_under_tmp=keep,
                                 limits=limits, extra_arguments=extra)
        # what LocalProvisioner.launch_kernel sets after its Popen; the kernel's own session: no group to signal
        self.provisioner.process = ZygoteChild(self._zygote, reply["pid"], uid)
        self.provisioner.pid, self.provisioner.pgid = reply["pid"], None
        if group is not None:
            self._enter_group(group, reply["pid"])
        self._reconcile_connection_info(self.provisioner.connection_info)
        await self._seal_ipc_dir()

    def _enter_group(self, group: cgroups.KernelGroup, pid: int) -> None:
        """Move the kernel the zygote forked (``pid`` in its sandbox) into its control group.

        It is starting ipykernel, in the warm interpreter; it runs no cell before this returns.
        A kernel that cannot be moved is killed, never left to run outside its group.
        """
        try:
            group.add(self._zygote.kernel_host_pid(pid))
        except (OSError, LookupError) as exc:
            if self.provisioner.process.poll() is None:
                self.provisioner.process.kill()
                raise SandboxUnavailable(f"the kernel could not be put in its control group: {exc}") from exc
