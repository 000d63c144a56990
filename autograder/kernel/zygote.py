"""The warm parent of sandboxed kernels (runs *inside* a bubblewrap sandbox, as its root).

Started once per grading worker by :mod:`autograder.kernel.warm`. It imports what every
notebook of the course imports (NumPy, Matplotlib, IPython, ipykernel, the course
package), draws one figure and formats one traceback (so that every kernel inherits
the caches those build), then forks one kernel per submission on request. Each kernel
is the first process (PID 1) of namespaces of its own, so that nothing of one
submission can reach the next. Before any student code runs, the child:

- gets new PID, IPC, network and mount namespaces and a new session: everything it
  starts lives in its PID namespace and is killed by the Linux kernel the moment it
  ends, however it ends; its SysV shared memory, semaphores and message queues go with
  its IPC namespace; its ``/proc`` shows only its own processes;
- gets fresh, size-limited in-memory ``/tmp``, ``HOME``, working folder and ``/dev/shm``,
  and a private copy of its connection file (the one in the socket folder stays readable
  by root only);
- gets its resource limits (its task limit only where the grader has no control group to
  move it into: see :mod:`autograder.kernel.cgroups`), drops every group and becomes the worker's
  unprivileged user (which also drops all capabilities), and loads the system-call filter of
  :mod:`autograder.kernel.syscall_filter` (no keyring, no new namespaces, no ptrace, ...);
- then starts ipykernel in the already-warm interpreter.

Requests and answers are JSON lines on stdin/stdout. ``kill`` sends SIGKILL to the
kernel and reaps it within a deadline. This file reads nothing from the course and holds
no secret.
"""

import ctypes
import functools
import json
import os
import resource
import shutil
import signal
import sys
import time

CLONE_NEWNS, CLONE_NEWIPC, CLONE_NEWPID, CLONE_NEWNET = 0x00020000, 0x08000000, 0x20000000, 0x40000000
MS_RDONLY, MS_NOSUID, MS_NODEV, MS_NOEXEC, MS_REMOUNT = 1, 2, 4, 8, 32
MS_BIND, MS_MOVE, MS_REC, MS_PRIVATE = 4096, 8192, 16384, 1 << 18
PR_SET_NO_NEW_PRIVS, PR_SET_SECCOMP, SECCOMP_MODE_FILTER = 38, 22, 2
REAP_SECONDS = 10  # a killed kernel (and its PID namespace) is gone well within this
CONNECTION_COPY = ".gd-kernel-connection.json"  # in the kernel's own HOME (sandbox.private_connection_file)
LIMITS = {"memory_bytes": resource.RLIMIT_AS, "cpu_seconds": resource.RLIMIT_CPU,
          "processes": resource.RLIMIT_NPROC, "file_bytes": resource.RLIMIT_FSIZE,
          "open_files": resource.RLIMIT_NOFILE}


# what a kernel imports while it initialises and runs this course's notebooks
WARM_MODULES = (
    "IPython", "IPython.core.interactiveshell", "IPython.core.oinspect", "IPython.core.completer",
    "IPython.core.magics", "IPython.display", "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell",
    "ipykernel.iostream", "ipykernel.heartbeat", "ipykernel.comm", "ipykernel.debugger", "ipykernel.eventloops",
    "ipykernel.parentpoller", "ipykernel.kernelspec", "ipykernel.jsonutil", "comm", "jupyter_client.session",
    "IPython.core.completerlib", "IPython.core.debugger", "IPython.core.logger", "IPython.extensions.storemagic",
    "sqlite3", "pdb", "faulthandler", "psutil", "tornado.platform.asyncio",
    "matplotlib_inline.backend_inline", "numpy", "numpy.linalg", "matplotlib", "matplotlib.pyplot",
    "gdcourse", "gdcourse.probe", "gdcourse.plots", "gdcourse.data", "gdcourse.costs", "gdcourse.gradcheck",
)


def cache_traceback_lexer():
    """Give stack_data (IPython's tracebacks) one highlighting lexer class, not one per frame.

    stack_data 0.6.3 defines a new pygments lexer class for every traceback frame, so
    pygments compiles the Python grammar's regular expressions again each time (about
    6 ms a frame; an untouched notebook shows about 30 frames). The replacement makes the
    class once and produces the same text. Returns whether it is in place.

    Like every patch of this file, applied only if the grader's ``autograder.patches``
    allows it (``stack_data-lexer-made-once``): see :func:`warm_up`.
    """
    try:
        import stack_data.core
        import stack_data.utils
    except ImportError:
        return False
    stack_data.utils._pygmented_with_ranges = stack_data.core._pygmented_with_ranges = pygmented_with_ranges
    return True


@functools.lru_cache(maxsize=1)
def _range_lexer_class():
    from pygments.lexers import get_lexer_by_name

    class RangeLexer(type(get_lexer_by_name("python3"))):
        """stack_data's lexer: the tokens inside ``ranges`` (the executing node) get their own type."""

        ranges = ()

        def get_tokens(self, text):
            length = 0
            for ttype, value in super().get_tokens(text):
                if any(start <= length < end for start, end in self.ranges):
                    ttype = ttype.ExecutingNode
                length += len(value)
                yield ttype, value

    return RangeLexer


def pygmented_with_ranges(formatter, code, ranges):
    """``stack_data.utils._pygmented_with_ranges`` of 0.6.3, with the lexer class made once."""
    import pygments

    lexer = _range_lexer_class()(stripnl=False)
    lexer.ranges = ranges
    try:
        highlighted = pygments.highlight(code, lexer, formatter)
    except Exception:
        # When pygments fails, prefer code without highlighting over crashing
        highlighted = code
    return highlighted.splitlines()


def format_each_error_once():
    """Let IPython format a failing cell's traceback once, not twice. Returns whether it is in place.

    IPython 9 formats the error of a cell to show it, then formats the same exception
    again, with the same formatter and offset, to keep a copy in the history manager (read
    only by ``%notebook``). The second request now gets a copy of the first answer, when
    it is for the same exception object, traceback, formatter and formatter state, and
    only once; anything else is formatted as before.
    """
    try:
        from IPython.core import ultratb
    except ImportError:
        return False
    if getattr(ultratb.AutoFormattedTB.structured_traceback, "formats_each_error_once", False):
        return True
    original = ultratb.AutoFormattedTB.structured_traceback
    last = {}

    def state(self, etype, tb_offset, context):  # exception and traceback: compared by identity below
        offset = self.tb_offset if tb_offset is None else tb_offset
        # identities, not values: an attribute replaced in between means formatting again
        return (id(self), etype, offset, context,
                tuple(sorted((name, id(value)) for name, value in vars(self).items() if name != "tb")))

    @functools.wraps(original)
    def structured_traceback(self, etype, evalue=None, etb=None, tb_offset=None, context=5):
        if etype is None:
            return original(self, etype, evalue, etb, tb_offset, context)
        key = state(self, etype, tb_offset, context)
        if last.get("key") == key and last["exception"] is evalue and last["traceback"] is etb:
            self.tb = etb[0] if isinstance(etb, tuple) else etb  # what the original does first
            text = last["text"]
            last.clear()  # one copy per formatting: showing the same exception again formats it again
            return text
        text = original(self, etype, evalue, etb, tb_offset, context)
        last.update(key=key, exception=evalue, traceback=etb, text=list(text))
        return text

    structured_traceback.formats_each_error_once = True
    ultratb.AutoFormattedTB.structured_traceback = structured_traceback
    return True


def transform_each_cell_once():
    """Let IPython tokenise and compile-check a cell once, not twice. Returns whether it is in place.

    ipykernel transforms each cell (IPython's static input transformations: a tokeniser
    pass over the whole cell, about 1 ms) and asks whether it needs an event loop (a
    compile), then hands the raw cell to ``run_cell``, which does both again. Both are
    pure functions of the text and of the transformer lists, so the second request gets
    the first answer when the text is equal and the same transformer objects are in place.
    The dynamic (single-line) transformations are not cached.
    """
    try:
        from IPython.core import interactiveshell
        from IPython.core.inputtransformer2 import TransformerManager
    except ImportError:
        return False
    if getattr(TransformerManager.transform_cell, "transforms_each_cell_once", False):
        return True
    transform = TransformerManager.transform_cell
    should_be_async = interactiveshell._should_be_async
    last_transform, last_check = {}, {}

    def transformers(manager):
        return tuple(manager.cleanup_transforms), tuple(manager.line_transforms), tuple(manager.token_transformers)

    def same_objects(a, b):
        return len(a) == len(b) and all(len(x) == len(y) and all(p is q for p, q in zip(x, y)) for x, y in zip(a, b))

    @functools.wraps(transform)
    def transform_cell(self, cell):
        now = transformers(self)
        if last_transform.get("manager") is self and last_transform["cell"] == cell \
                and same_objects(last_transform["transformers"], now):
            return last_transform["result"]
        result = transform(self, cell)  # an exception is not remembered: it is raised again next time
        last_transform.update(manager=self, cell=cell, transformers=now, result=result)
        return result

    @functools.wraps(should_be_async)
    def checked_once(cell):
        if last_check.get("cell") != cell:
            last_check.clear()  # if the check raises, nothing is remembered
            last_check.update(cell=cell, result=should_be_async(cell))
        return last_check["result"]

    transform_cell.transforms_each_cell_once = True
    TransformerManager.transform_cell = transform_cell
    interactiveshell._should_be_async = checked_once
    return True


def _format_one_traceback():
    """Format a traceback as a kernel's shell does, so its imports and caches are inherited."""
    from IPython.core import ultratb
    from ipykernel.zmqshell import ZMQInteractiveShell

    theme = ZMQInteractiveShell.class_traits()["colors"].default()
    namespace = {}
    exec(compile("def cell():\n    raise ValueError('warm')\n", "<warm-up cell>", "exec"), namespace)
    try:
        namespace["cell"]()
    except ValueError:
        ultratb.AutoFormattedTB(mode="Context", theme_name=theme, tb_offset=1).structured_traceback(*sys.exc_info())


# the patches of other projects a warm kernel may inherit, by their name in autograder/patches.py
WARM_UP_PATCHES = {
    "stack_data-lexer-made-once": cache_traceback_lexer,
    "ipython-error-formatted-once": format_each_error_once,
    "ipython-cell-transformed-once": transform_each_cell_once,
}


def warm_up(allowed_patches=()):
    """Import, patch and draw what every kernel would, so that forked kernels inherit it.

    Parameters
    ----------
    allowed_patches : iterable of str
        Names of :data:`WARM_UP_PATCHES` to apply: those the grader's ``autograder.patches``
        found in their tested range (this process cannot import the grader's package).
    """
    os.environ.setdefault("MPLBACKEND", "Agg")
    for name in WARM_MODULES:
        try:
            __import__(name)
        except Exception:  # a module this installation lacks is simply imported later, cold
            pass
    for name in allowed_patches:
        WARM_UP_PATCHES[name]()
    try:
        _format_one_traceback()
    except Exception:
        pass
    try:  # the first figure loads fonts and builds caches; let every kernel inherit them
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots()
        ax.plot([0, 1], [0, 1], "o-", label="θ")
        ax.set_xlabel("$\\theta$")
        ax.legend()
        fig.canvas.draw()
        plt.close(fig)
    except Exception:
        pass


_LIBC = ctypes.CDLL(None, use_errno=True)


def _libc_call(name, *args):
    if getattr(_LIBC, name)(*args) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"{name}: {os.strerror(errno)}")


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def load_syscall_filter(program: bytes) -> None:
    """Load a seccomp filter (classic BPF, as libseccomp exports it) into this thread, for good."""
    if not program or len(program) % 8:
        raise OSError("the system-call filter is missing or damaged")
    buffer = ctypes.create_string_buffer(program, len(program))
    fprog = _SockFprog(len(program) // 8, ctypes.cast(buffer, ctypes.c_void_p))
    _libc_call("prctl", PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    _libc_call("prctl", PR_SET_SECCOMP, SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0)


def fresh_tmp(keep, options):
    """Put a new, empty tmpfs on /tmp, with the read-only trees in ``keep`` (paths under /tmp,
    such as a virtual environment) bound into it again, so that they stay visible."""
    staging = "/tmp/.gd-fresh-tmp"
    os.makedirs(staging, exist_ok=True)
    _libc_call("mount", b"tmpfs", staging.encode(), b"tmpfs", 0, options)
    for path in keep:
        target = staging + path[len("/tmp"):]
        os.makedirs(target, exist_ok=True)
        _libc_call("mount", path.encode(), target.encode(), None, MS_BIND | MS_REC, None)
        _libc_call("mount", None, target.encode(), None, MS_REMOUNT | MS_BIND | MS_RDONLY, None)
    _libc_call("mount", staging.encode(), b"/tmp", None, MS_MOVE, None)


def fork_in_new_pid_namespace(own_pid_namespace: int) -> int:
    """``os.fork``, with the child as PID 1 of a new PID namespace (this process stays where it is).

    ``unshare(CLONE_NEWPID)`` only decides where this process's *next* children go; joining
    its own namespace again right after the fork resets that, so that it can be done for
    every kernel.
    """
    _libc_call("unshare", CLONE_NEWPID)
    pid = os.fork()
    if pid:
        _libc_call("setns", own_pid_namespace, CLONE_NEWPID)
    else:
        os.close(own_pid_namespace)  # the kernel's code must not hold a way back into the zygote's namespace
    return pid


def become_kernel(request, syscall_filter: bytes):
    """In the forked child (PID 1 of its namespace): isolate, limit, drop privileges, run ipykernel.
    Never returns."""
    try:
        log = os.open(os.path.join(request["ipc_dir"], "kernel.log"), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.close(null)
        os.close(log)
        os.setsid()
        _libc_call("unshare", CLONE_NEWNS | CLONE_NEWIPC | CLONE_NEWNET)
        _libc_call("mount", b"none", b"/", None, MS_REC | MS_PRIVATE, None)
        _libc_call("mount", b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None)  # its own PIDs only
        uid = request["uid"]
        size = request["limits"]["scratch_bytes"]
        fresh_tmp(request.get("keep_under_tmp", []), f"size={size},mode=1777".encode())
        for folder in (request["home"], request["workdir"]):
            os.makedirs(folder, exist_ok=True)
            options = f"size={size},mode=0700,uid={uid},gid={uid}".encode()
            _libc_call("mount", b"tmpfs", folder.encode(), b"tmpfs", 0, options)
        # its own /dev/shm: the warm parent's is shared by all its kernels
        _libc_call("mount", b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV, f"size={size},mode=1777".encode())
        inbox = os.path.join(request["ipc_dir"], "inbox")
        for name in sorted(os.listdir(inbox)) if os.path.isdir(inbox) else []:
            shutil.copyfile(os.path.join(inbox, name), os.path.join(request["workdir"], name))
            os.chown(os.path.join(request["workdir"], name), uid, uid)
        # the socket folder's connection file stays root's; the kernel reads a copy of its own
        connection = os.path.join(request["home"], CONNECTION_COPY)
        shutil.copyfile(request["connection_file"], connection)
        os.chown(connection, uid, uid)
        os.chmod(connection, 0o400)
        for key, which in LIMITS.items():
            value = request["limits"][key]
            if value is not None:  # None: the kernel's control group limits it
                resource.setrlimit(which, (value, value))
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        os.chdir(request["workdir"])
        os.umask(0o022)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        load_syscall_filter(syscall_filter)
        sys.argv = ["ipykernel_launcher", "-f", connection, *request.get("extra_arguments", [])]
        from ipykernel.kernelapp import IPKernelApp

        app = IPKernelApp.instance()
        app.initialize(sys.argv[1:])
        app.start()
    except BaseException as exc:  # noqa: BLE001 - report anything, then die
        try:
            os.write(2, f"zygote child: {type(exc).__name__}: {exc}\n".encode())
        except OSError:
            pass
    finally:
        os._exit(1)


def reap(pid, exited, timeout=REAP_SECONDS):
    """Wait, at most ``timeout`` seconds, for child ``pid`` to end; return its exit code (None: still running)."""
    deadline = time.monotonic() + timeout
    while pid not in exited:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            exited[pid] = os.waitstatus_to_exitcode(status)
        elif time.monotonic() > deadline:
            return None
        else:
            time.sleep(0.002)
    return exited[pid]


def allowed_patches(argv) -> list[str]:
    """The patch names on the command line (``argv[2]``, comma-separated; none if absent)."""
    return [name for name in argv[2].split(",") if name] if len(argv) > 2 else []


def main():
    """``zygote.py FILTER_FILE [PATCH,PATCH,...]``: warm up, then answer requests until stdin ends."""
    with open(sys.argv[1], "rb") as f:  # the system-call filter every kernel loads
        syscall_filter = f.read()
    own_pid_namespace = os.open("/proc/self/ns/pid", os.O_RDONLY)
    warm_up(allowed_patches(sys.argv))
    exited = {}
    out = sys.stdout
    out.write(json.dumps({"ready": True}) + "\n")
    out.flush()
    for line in sys.stdin:
        request = json.loads(line)
        op, reply = request.get("op"), {}
        try:
            if op == "spawn":
                sys.stdout.flush()
                pid = fork_in_new_pid_namespace(own_pid_namespace)
                if pid == 0:
                    become_kernel(request, syscall_filter)
                reply = {"pid": pid}
            elif op == "poll":
                reply = {"returncode": reap(request["pid"], exited, timeout=0)}
            elif op == "signal":
                os.kill(request["pid"], request["signum"])
            elif op == "kill":
                pid = request["pid"]
                if pid not in exited:
                    try:
                        os.kill(pid, signal.SIGKILL)  # PID 1 of its namespace: every process in it dies too
                    except ProcessLookupError:
                        pass
                code = reap(pid, exited)
                reply = {"returncode": code} if code is not None or pid in exited else \
                    {"error": f"the kernel {pid} did not end within {REAP_SECONDS} s of SIGKILL"}
        except (OSError, ChildProcessError) as exc:
            reply = {"error": f"{type(exc).__name__}: {exc}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


if __name__ == "__main__":
    main()
