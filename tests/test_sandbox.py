"""Hostile submissions, graded in a copy of this course by both grading paths.

Each submission is the correct solution of 01_one_variable plus one attack cell; one test
per threat checks the attack gained nothing and harmed nothing, and the status column
says what happened. The class is graded once by `nbgrader autograde` (a fresh bubblewrap
sandbox per kernel) and once by `course grade` (kernels forked from a warm parent in a
sandbox), and every test runs against both.
"""

from __future__ import annotations

import csv
import hashlib
import os
import re
import socket
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import nbformat
import numpy
import psutil
import pytest
from nbformat.v4 import new_code_cell

from .grading import Course, max_points, venv_env, verdict_text


A = "01_one_variable"


def sandbox_processes(first_uid: int, attrs: list[str], span: int = 10):
    """The processes (psutil's, with ``attrs`` read into ``info``) that run as one of the sandbox users
    ``first_uid`` .. ``first_uid + span - 1``: a run's kernels take the first free uid from its configured one."""
    for process in psutil.process_iter(["uids", *attrs]):
        uids = process.info["uids"]
        if uids is not None and first_uid <= uids.real < first_uid + span:
            yield process


def left_running(pattern: str, first_uid: int) -> str:
    """The ids, one a line, of the processes of the run whose sandbox users start at ``first_uid`` and whose
    command line holds ``pattern``: the other grader's run, which may be going on at the same time on the
    other test worker with the same attack, is not counted. Graded without root, kernels run as the grader's
    own user: then every such process counts."""
    candidates = (sandbox_processes(first_uid, ["cmdline"]) if os.geteuid() == 0
                  else psutil.process_iter(["cmdline"]))
    return "".join(f"{p.pid}\n" for p in candidates if pattern in " ".join(p.info["cmdline"] or []))


SANDBOX_UID = 61000  # its own user, so a fork bomb here cannot use up another test's process limit
ATTEMPT = '''
def attempt(label, action):
    try:
        result = action()
    except BaseException as exc:
        print(f"BLOCKED {label}: {type(exc).__name__}")
    else:
        print(f"LEAK {label}: {str(result)[:60]!r}")
'''

READ_ANSWER_KEY = ATTEMPT + '''
import glob, importlib.metadata, json, os
attempt("source, relative", lambda: open("../../../source/{a}/{a}.ipynb").read())
attempt("source, absolute", lambda: open("{root}/source/{a}/{a}.ipynb").read())
attempt("gradebook", lambda: open("{root}/gradebook.db", "rb").read(64))
attempt("another submission", lambda: open("{root}/submitted/solution/{a}/{a}.ipynb").read())
attempt("autograded copies", lambda: os.listdir("{root}/autograded"))
attempt("reference cache", lambda: os.listdir("{root}/.grading-cache/reference/{a}"))
attempt("autograder package", lambda: __import__("autograder.pipeline.catalogue").pipeline.catalogue.CATALOG)
attempt("the course's catalogue", lambda: __import__("content.mistakes").mistakes.CATALOG)
def via_install_record():
    for name in ("gdcourse", "gradient-descent-course"):  # the learner package is installed from learner/
        try:
            url = json.loads(importlib.metadata.distribution(name).read_text("direct_url.json"))["url"]
        except Exception:
            continue
        folder = url.removeprefix("file://")
        for path in (folder + "/content/mistakes/shared.py", folder + "/../content/mistakes/shared.py"):
            try:
                return open(path).read()
            except OSError:
                pass
    raise FileNotFoundError("no install record leads to the answer key")
attempt("autograder files via install record", via_install_record)
attempt("any catalogue file", lambda: [open(p).read() for p in glob.glob("/*/*/content/mistakes/*.py")
                                       + glob.glob("/tmp/**/mistakes/*.py", recursive=True)] or 1 / 0)
attempt("root-only host file", lambda: open("/etc/shadow").read())
attempt("the grader's environment", lambda: [k for k in os.environ if k.startswith(("PYTEST", "JPY_", "VIRTUAL_ENV"))] or 1 / 0)
'''

WRITE_WHERE_IT_MUST_NOT = ATTEMPT + '''
import sqlite3, numpy, gdcourse
attempt("append to source", lambda: open("{root}/source/{a}/{a}.ipynb", "a").write(" "))
attempt("rewrite gradebook", lambda: sqlite3.connect("{root}/gradebook.db").execute("UPDATE grade SET auto_score = 99").rowcount)
attempt("write into site-packages", lambda: open(numpy.__file__, "a").write("#"))
attempt("write into the course package", lambda: open(gdcourse.__file__, "a").write("#"))
attempt("write into another student's folder", lambda: open("{root}/submitted/solution/{a}/planted.txt", "w").write("x"))
attempt("write outside its scratch", lambda: open("/tmp/{token}", "w").write("x"))  # a private /tmp: must not reach the host
'''

NETWORK = ATTEMPT + '''
import socket
attempt("tcp to the grader's loopback", lambda: socket.create_connection(("127.0.0.1", {port}), timeout=2))
attempt("dns lookup", lambda: socket.getaddrinfo("pypi.org", 443))
'''

LOOP = "while True:\n    pass"
LOOP_IGNORING_SIGINT = "import signal\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\nwhile True:\n    pass"
OS_EXIT = "import os\nos._exit(3)"
MEMORY_BOMB = ATTEMPT + '''
attempt("one huge allocation", lambda: bytearray(64 * 1024**3))
def grow():
    hoard = []
    while True:
        hoard.append(bytearray(100 * 1024**2))
attempt("growing allocation", grow)
'''
FORK_BOMB = '''
import os
started = 0
try:
    while started < 5000:
        if os.fork() == 0:
            os.execvp("sleep", ["sleep", "987655"])
        started += 1
except OSError as exc:
    print(f"BLOCKED fork bomb after {started} processes: {exc}")
'''
ORPHAN = "import subprocess\nsubprocess.Popen(['sleep', '987654'], start_new_session=True)\nprint('started')"
HUGE_OUTPUT = "for _ in range(200_000):\n    print('x' * 100)"
ONE_HUGE_MESSAGE = "print('y' * (40 * 1024**2))"

# a descriptor of a namespace (a hostile review of 06 found the zygote's own PID namespace as fd 3)
NAMESPACE_DESCRIPTORS = '''
import os
held = []
for fd in sorted(os.listdir("/proc/self/fd"), key=int):
    try:
        target = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        continue
    if target.split(":")[0] in ("pid", "pid_for_children", "mnt", "net", "ipc", "uts", "user", "cgroup", "time"):
        held.append(f"{fd} -> {target}")
print("NAMESPACE DESCRIPTORS", held)
'''

# not an attack: what a kernel is told, which must be what nbgrader tells its own kernels
KERNEL_ENVIRONMENT = "import os\nprint('NBGRADER_EXECUTION =', os.environ.get('NBGRADER_EXECUTION'))"

EARLY, LATE = "early", "late"  # where the attack cell goes: before everything, or before the last exercise
ATTACKS = {
    "read_answer_key": (READ_ANSWER_KEY, EARLY),
    "write_where_it_must_not": (WRITE_WHERE_IT_MUST_NOT, EARLY),
    "network": (NETWORK, EARLY),
    "loop": (LOOP, EARLY),
    "loop_ignoring_sigint": (LOOP_IGNORING_SIGINT, LATE),
    "os_exit": (OS_EXIT, LATE),
    "memory_bomb": (MEMORY_BOMB, EARLY),
    "fork_bomb": (FORK_BOMB, EARLY),
    "orphan_process": (ORPHAN, EARLY),
    "huge_output": (HUGE_OUTPUT, EARLY),
    "one_huge_message": (ONE_HUGE_MESSAGE, EARLY),
    "kernel_environment": (KERNEL_ENVIRONMENT, EARLY),
    "namespace_descriptors": (NAMESPACE_DESCRIPTORS, EARLY),
}


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def insert_cell(nb, index: int, source: str):
    nb = nbformat.from_dict(nb)
    nb.cells.insert(index, new_code_cell(source))
    return nb


def attack_index(nb, where: str) -> int:
    if where == EARLY:
        return 1
    last_solution = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    return last_solution


class Listener:
    """A TCP server on the grader's loopback that records every connection."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen()
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self):
        self.stop.set()
        self.thread.join()
        self.sock.close()


GRADERS = {"nbgrader autograde": ("-m", "nbgrader", "autograde", A), "course grade": ("-m", "course.cli", "grade", A)}


@pytest.fixture(scope="module", params=[pytest.param(g, marks=pytest.mark.xdist_group(f"sandbox-{g}"))
                                              for g in GRADERS])
def hostile(tmp_path_factory, request):
    course = Course(tmp_path_factory.mktemp("hostile"))
    uid = SANDBOX_UID + 10 * list(GRADERS).index(request.param)
    # short timeouts for the loops; less memory, so the memory bomb reaches its limit quickly
    course.configure("c.Execute.timeout = 3", "c.GuardedExecute.responsive_timeout = 2",
                     f"c.SandboxedKernelManager.sandbox_uid = {uid}",
                     f"c.SandboxedKernelManager.memory_bytes = {5 * 2**28}")
    course.generate(A)
    source = nbformat.read(course.source_path(A), 4)
    listener = Listener()
    token = f"gd-escape-{uuid.uuid4().hex}"
    fill = {"root": str(course.root), "a": A, "port": listener.port, "token": token}
    course.submit("solution", A, source)
    for name, (code, where) in ATTACKS.items():
        index = attack_index(source, where)
        for key, value in fill.items():
            code = code.replace("{" + key + "}", str(value))
        course.submit(name, A, insert_cell(source, index, code))
    protected = {p: sha(p) for p in [course.source_path(A), Path(numpy.__file__),
                                     Path(__import__("gdcourse").__file__)]}
    proc = subprocess.run([sys.executable, *GRADERS[request.param]], cwd=course.root, capture_output=True,
                          text=True, env=venv_env())
    listener.close()
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-3000:]  # it graded
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        export = {row["student_id"]: row for row in csv.DictReader(f)}
    return {"course": course, "proc": proc, "listener": listener, "token": token, "protected": protected,
            "export": export, "source": source, "uid": uid}


def outputs(hostile, student: str) -> str:
    nb = nbformat.read(hostile["course"].root / "autograded" / student / A / f"{A}.ipynb", 4)
    return "\n".join(verdict_text(c)[0] for c in nb.cells if c.cell_type == "code")


def full_marks(hostile) -> float:
    return float(hostile["export"]["solution"]["max_score"])


def score(hostile, student: str) -> float:
    return float(hostile["export"][student]["score"])


def status(hostile, student: str) -> str:
    return hostile["export"][student]["status"]


def test_solution_is_graded_normally_beside_hostile_submissions(hostile):
    assert score(hostile, "solution") == full_marks(hostile)
    assert status(hostile, "solution") == "graded"


def test_reading_the_answer_key_is_blocked(hostile):
    text = outputs(hostile, "read_answer_key")
    assert "LEAK" not in text, text
    assert text.count("BLOCKED") == 12, text
    assert score(hostile, "read_answer_key") == full_marks(hostile)


def test_writing_where_it_must_not_is_blocked(hostile):
    text = outputs(hostile, "write_where_it_must_not")
    leaks = [line for line in text.splitlines() if line.startswith("LEAK")]
    assert [line.split(":")[0] for line in leaks] == ["LEAK write outside its scratch"], text  # its private /tmp
    assert not Path("/tmp", hostile["token"]).exists()
    for path, digest in hostile["protected"].items():
        assert sha(path) == digest, f"{path} was changed by a submission"
    course = hostile["course"]
    assert not (course.root / "submitted" / "solution" / A / "planted.txt").exists()
    assert score(hostile, "solution") == full_marks(hostile)  # the gradebook was not rewritten


def test_no_namespace_descriptor_reaches_the_kernel(hostile):
    text = outputs(hostile, "namespace_descriptors")
    assert "NAMESPACE DESCRIPTORS []" in text, text
    assert score(hostile, "namespace_descriptors") == full_marks(hostile)


def test_network_is_unreachable(hostile):
    text = outputs(hostile, "network")
    assert "LEAK" not in text and text.count("BLOCKED") == 2, text
    assert hostile["listener"].connections == 0


def test_an_infinite_loop_costs_only_its_own_cell(hostile):
    text = outputs(hostile, "loop")
    assert "TimedOut: timed out after 3 s (an endless loop?)" in text, text  # what it is, not KeyboardInterrupt
    assert "KeyboardInterrupt" not in text and "CellTimeoutError" not in text, text
    assert score(hostile, "loop") == full_marks(hostile)
    assert re.fullmatch(r"graded: cell \d+ timed out after 3 s \(an endless loop\?\)", status(hostile, "loop"))


def points_before(hostile, student: str) -> float:
    """Points of the test cells that come before the attack cell."""
    index = attack_index(hostile["source"], ATTACKS[student][1])
    return sum(float(c.metadata["nbgrader"]["points"]) for c in hostile["source"].cells[:index]
               if c.metadata.get("nbgrader", {}).get("grade") and not c.metadata["nbgrader"].get("solution"))


@pytest.mark.parametrize("student, says", [("loop_ignoring_sigint", "did not stop when interrupted"),
                                           ("os_exit", "exited with status 3")])
def test_a_kernel_that_cannot_go_on_is_explained_not_a_silent_zero(hostile, student, says):
    assert 0 < points_before(hostile, student) < full_marks(hostile)
    assert score(hostile, student) == points_before(hostile, student)
    assert status(hostile, student).startswith("needs manual grading: ") and says in status(hostile, student)
    assert "NotRun: not run: " in outputs(hostile, student)


def test_memory_bombs_hit_the_limit_not_the_grader(hostile):
    text = outputs(hostile, "memory_bomb")
    assert "BLOCKED one huge allocation: MemoryError" in text
    assert "BLOCKED growing allocation: MemoryError" in text
    assert score(hostile, "memory_bomb") == full_marks(hostile)


def test_fork_bombs_and_orphans_are_contained_and_killed(hostile):
    text = outputs(hostile, "fork_bomb")
    assert "BLOCKED fork bomb after" in text, text
    assert int(text.split("BLOCKED fork bomb after ")[1].split()[0]) < 64
    assert score(hostile, "fork_bomb") == full_marks(hostile)
    assert "started" in outputs(hostile, "orphan_process")
    left = left_running("sleep 98765", hostile["uid"])
    assert left == "", f"processes outlived grading: {left}"


@pytest.mark.parametrize("student", ["huge_output", "one_huge_message"])
def test_huge_outputs_are_capped(hostile, student):
    graded = hostile["course"].root / "autograded" / student / A / f"{A}.ipynb"
    assert graded.stat().st_size < 6 * 1024**2
    assert score(hostile, student) == full_marks(hostile)


def test_kernels_are_told_they_are_autograded(hostile):
    """nbgrader sets NBGRADER_EXECUTION=autograde for its kernels; `course grade`'s warm kernels see the same."""
    assert "NBGRADER_EXECUTION = autograde" in outputs(hostile, "kernel_environment")
    assert score(hostile, "kernel_environment") == full_marks(hostile)


def test_every_submission_has_a_status(hostile):
    assert set(hostile["export"]) == {"solution", *ATTACKS}
    assert all(row["status"] for row in hostile["export"].values())


# --- issue 28: memory outside the address-space limit, and runs sharing the machine ----------------------

MEMORY_UID = 62600  # kernels of these tests run as users of their own (62600.., 62610.., 62620..)
KERNEL_MEMORY = 2**30  # each kernel's limit in these tests: the attacks below try three times as much
HOARD = ATTEMPT + '''
held = 0
def report(what):
    print(f"HELD {held} MiB of {what}", flush=True)
'''
# memfd files filled with write(): not in any process's address space (16 MiB each, the file-size limit)
MEMFD_HOARD = HOARD + '''
import os
def memfd_files():
    global held
    block = b"m" * 2**20
    while held < 3072:
        fd = os.memfd_create("hoard")
        for _ in range(16):
            os.write(fd, block)
            held += 1
        if held % 256 == 0:
            report("memfd")
    return held
attempt("3 GiB of memfd files", memfd_files)
report("memfd")
'''
# SysV shared memory, filled, then detached: no longer in the address space, still in the machine's memory
SYSV_HOARD = HOARD + '''
import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
libc.shmat.restype = ctypes.c_void_p
libc.shmat.argtypes = (ctypes.c_int, ctypes.c_void_p, ctypes.c_int)
libc.shmdt.argtypes = (ctypes.c_void_p,)
def detached_segments():
    global held
    while held < 3072:
        ident = libc.shmget(0, 64 * 2**20, 0o1000 | 0o600)
        if ident < 0:
            raise OSError(ctypes.get_errno(), "shmget")
        address = libc.shmat(ident, None, 0)
        if address in (None, 2**64 - 1):
            raise OSError(ctypes.get_errno(), "shmat")
        ctypes.memset(address, 0x53, 64 * 2**20)
        libc.shmdt(address)
        held += 64
        if held % 256 == 0:
            report("detached SysV shared memory")
    return held
attempt("3 GiB of detached SysV shared memory", detached_segments)
report("detached SysV shared memory")
'''
# processes of its own, each within its address-space limit, together holding far more (shared anonymous memory)
HOLDER = ("import mmap, sys, time\\nm = mmap.mmap(-1, 768 * 2**20, flags=mmap.MAP_SHARED | mmap.MAP_ANONYMOUS)\\n"
          "for i in range(0, len(m), 2**20):\\n    m[i:i + 2**20] = b'p' * 2**20\\nprint('filled', flush=True)\\n"
          "time.sleep(900)")
PROCESSES_HOARD = HOARD + f'''
import subprocess, sys, time
def processes():
    children = [subprocess.Popen([sys.executable, "-c", "{HOLDER}", "gd-memory-hog"], stdout=subprocess.PIPE)
                for _ in range(4)]
    filled = [child.stdout.readline().strip() == b"filled" for child in children]
    time.sleep(1)
    alive = sum(child.poll() is None for child in children)
    return f"{{sum(filled)}} filled 768 MiB, {{alive}} of 4 still alive"
attempt("4 processes of 768 MiB of shared memory", processes)
'''
# files in /dev/shm: a tmpfs of its own
DEV_SHM_HOARD = HOARD + '''
def dev_shm_files():
    global held
    block = b"s" * 2**20
    for i in range(192):
        with open(f"/dev/shm/hoard-{i}", "wb") as f:
            for _ in range(16):
                f.write(block)
                f.flush()
                held += 1
    return held
attempt("3 GiB of files in /dev/shm", dev_shm_files)
report("/dev/shm")
'''
MEMORY_ATTACKS = {"m1-memfd": MEMFD_HOARD, "n1-sysv-detached": SYSV_HOARD, "p1-processes-sharing-memory":
                  PROCESSES_HOARD, "s1-dev-shm": DEV_SHM_HOARD}
MEMORY_VICTIMS = ["m2-victim", "n2-victim", "p2-victim", "s2-victim"]


def shmem_bytes() -> int:
    with open("/proc/meminfo") as f:
        return next(int(line.split()[1]) * 1024 for line in f if line.startswith("Shmem:"))


class ShmemWatch:
    """The machine's shared memory (``Shmem`` of /proc/meminfo), sampled every 20 ms while it runs."""

    def __init__(self):
        self.before = shmem_bytes()
        self.peak = self.before
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop.wait(0.02):
            self.peak = max(self.peak, shmem_bytes())

    def close(self) -> int:
        """Stop; return the largest growth seen, in bytes."""
        self.stop.set()
        self.thread.join()
        return self.peak - self.before


MEMORY_GRADERS = {"nbgrader autograde": ("-m", "nbgrader", "autograde", A),
                  "course grade": ("-m", "course.cli", "grade", A, "--workers", "1")}  # one kernel at a time


# one group: the two runs one after the other, so that the machine's shared memory measured during one
# is not the other's too
@pytest.fixture(scope="module", params=[pytest.param(g, marks=pytest.mark.xdist_group("sandbox-memory"))
                                        for g in MEMORY_GRADERS])
def hoarded(tmp_path_factory, request):
    course = Course(tmp_path_factory.mktemp("hoard"))
    uid = MEMORY_UID + 10 * list(MEMORY_GRADERS).index(request.param)
    course.configure("c.Execute.timeout = 20", f"c.SandboxedKernelManager.sandbox_uid = {uid}",
                     f"c.SandboxedKernelManager.memory_bytes = {KERNEL_MEMORY}")
    course.generate(A)
    source = nbformat.read(course.source_path(A), 4)
    for name, code in MEMORY_ATTACKS.items():
        course.submit(name, A, insert_cell(source, 1, code))
    for name in MEMORY_VICTIMS:
        course.submit(name, A, source)
    watch = ShmemWatch()
    started = time.monotonic()
    proc = subprocess.run([sys.executable, *MEMORY_GRADERS[request.param]], cwd=course.root, capture_output=True,
                          text=True, env=venv_env(), timeout=600)
    seconds = time.monotonic() - started
    growth = watch.close()
    print(f"\n{request.param}: Shmem grew by at most {growth / 2**20:.0f} MiB; the run took {seconds:.0f} s")
    assert proc.returncode in (0, 1) and "Traceback" not in proc.stderr, proc.stderr[-3000:]
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        export = {row["student_id"]: row for row in csv.DictReader(f)}
    return {"course": course, "proc": proc, "export": export, "growth": growth, "seconds": seconds, "uid": uid}


def held_mib(text: str) -> int:
    """The most a hoarder said it held."""
    return max((int(m) for m in re.findall(r"HELD (\d+) MiB", text)), default=0)


def test_memory_outside_the_address_space_is_held_to_one_kernels_limit(hoarded):
    assert hoarded["growth"] <= KERNEL_MEMORY, f"the machine's shared memory grew by {hoarded['growth'] / 2**20:.0f} MiB"
    for student in MEMORY_ATTACKS:
        text, said = outputs(hoarded, student), status(hoarded, student)
        print(f"{student}: {said} / {text.splitlines()[0] if text else ''}")
        assert held_mib(text) < KERNEL_MEMORY // 2**20, (student, text)
        if student != "p1-processes-sharing-memory":
            # the allocation failed in the student's cell, or the kernel died and the status says why
            assert "BLOCKED" in text or said.startswith(
                "needs manual grading: the kernel died in cell 2: killed (SIGKILL) for going over its memory limit "
                "of 1 GiB"), (said, text)
    # each of its processes within its address space, together three times its memory: at most one is left
    processes = outputs(hoarded, "p1-processes-sharing-memory")
    assert re.search(r"[01] of 4 still alive", processes) \
        or "memory limit" in status(hoarded, "p1-processes-sharing-memory"), processes
    left = left_running("gd-memory-hog", hoarded["uid"])
    assert left == "", f"processes outlived grading: {left}"


def test_every_victim_of_a_hoarder_gets_full_marks(hoarded):
    for victim in MEMORY_VICTIMS:
        assert score(hoarded, victim) == max_points(A), (victim, outputs(hoarded, victim))
        assert status(hoarded, victim) == "graded"
    assert hoarded["seconds"] < 600


def test_memfd_and_dev_shm_are_refused_or_bounded(hoarded):
    assert "BLOCKED 3 GiB of memfd files: PermissionError" in outputs(hoarded, "m1-memfd")
    text = outputs(hoarded, "s1-dev-shm")
    assert "BLOCKED 3 GiB of files in /dev/shm: OSError" in text and held_mib(text) <= 64, text  # its own 64 MiB


# Two `nbgrader autograde` runs of different assignments at the same time, in one course, with one sandbox
# user configured: one submission holds as many threads as it can while the other run grades clean work.
THREAD_HOARD = '''
import threading, time
release = threading.Event()
held = 0
try:
    while held < 200:
        threading.Thread(target=release.wait, args=(60,), daemon=True).start()
        held += 1
except RuntimeError as exc:
    print(f"BLOCKED after {held} threads: {exc}")
print(f"HOLDING {held} threads", flush=True)
time.sleep(100)  # the test stops this run once the other one has ended
'''
B = "02_partial_derivatives"


def threads_of_sandbox_users(first: int, span: int = 10) -> int:
    """The most threads any process of sandbox users ``first`` .. ``first + span - 1`` has."""
    return max((p.info["num_threads"] or 0 for p in sandbox_processes(first, ["num_threads"], span)), default=0)


@pytest.mark.xdist_group("sandbox-nbgrader autograde")
def test_a_submission_holding_threads_takes_nothing_from_a_run_beside_it(tmp_path):
    course = Course(tmp_path / "course")
    uid = MEMORY_UID + 20
    course.configure(f"c.SandboxedKernelManager.sandbox_uid = {uid}", "c.Execute.timeout = 150",
                     "c.GuardedExecute.notebook_timeout = 200")
    for assignment in (A, B):
        course.generate(assignment)
    course.submit("a-threads", A, insert_cell(nbformat.read(course.source_path(A), 4), 1, THREAD_HOARD))
    clean = nbformat.read(course.source_path(B), 4)
    for name in ("b-clean", "c-clean"):
        course.submit(name, B, clean)
    run = [sys.executable, "-m", "nbgrader", "autograde"]
    first = subprocess.Popen([*run, A], cwd=course.root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                             env=venv_env())
    try:
        deadline = time.monotonic() + 120
        while threads_of_sandbox_users(uid) < 48 and first.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        held = threads_of_sandbox_users(uid)
        assert held >= 48, "the first run's submission never held its threads"
        second = subprocess.run([*run, B], cwd=course.root, capture_output=True, text=True, env=venv_env(),
                                timeout=300)
        assert first.poll() is None, "the submission stopped holding its threads before the other run ended"
    finally:
        first.kill()  # its kernel dies with it
        first.wait()
    print(f"\nthe first run's kernel held {held} threads while the second graded")
    assert second.returncode == 0, second.stderr[-3000:]
    for name in ("b-clean", "c-clean"):
        assert sum(r.score for r in course.results(B, name).values()) == max_points(B), course.results(B, name)
