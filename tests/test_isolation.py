"""One submission must never touch another: attacks on the *next* submission, on both graders.

Each attack is a correct solution of 01_one_variable plus one hostile cell, handed in
under a name that sorts it just before a clean victim (the solution again), so that the
victim is graded right after it, on the same worker (`course grade --workers 1`; stock
`nbgrader autograde` grades one by one in name order). Every victim must get its clean
grade, every attacker must gain nothing, nothing may persist to the next submission, and
every run ends within its timeout. The threats and what stops them: docs/sandbox.md.
"""

from __future__ import annotations

import csv
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat
import psutil
import pytest
from nbformat.v4 import new_code_cell

from .grading import Course, max_points, points_by_test_cell, replace_cell, venv_env, verdict_text
from .test_sandbox import ATTEMPT, left_running

A = "01_one_variable"
RUN_SECONDS = 420  # far above a clean run of this class; a grader that hangs fails the test instead of CI

# A process that outlives its kernel (os._exit after a start_new_session child) and then
# looks, through /proc, for the next kernel's socket folder, reads its connection file and
# sends it code that disables the hidden checks. Against the warm kernels of commit cb3a07f
# it took the victim's points; it must find nothing now.
SPY = r'''
# gd-spy-marker
import glob, json, os, time
from jupyter_client import BlockingKernelClient

def socket_folders():
    try:  # every Unix socket of the network namespace, with its path
        with open("/proc/net/unix") as f:
            paths = [line.split()[-1] for line in f.readlines()[1:] if len(line.split()) > 7]
    except OSError:
        paths = []
    for fd in glob.glob("/proc/[0-9]*/fd/[12]"):  # what other processes write their log to
        try:
            paths.append(os.readlink(fd))
        except OSError:
            pass
    return {os.path.dirname(p) for p in paths if "gd-kernel-" in p}

done, deadline = socket_folders(), time.time() + 90  # its own kernel's folder is not a target
while time.time() < deadline:
    for folder in socket_folders() - done:
        try:
            with open(os.path.join(folder, "kernel.json")) as f:
                info = json.load(f)
        except (OSError, ValueError):
            continue
        done.add(folder)
        try:
            client = BlockingKernelClient()
            client.load_connection_info(info)
            client.start_channels()
            for _ in range(100):
                client.execute("import gdcourse.probe as _p\n_p.probe = lambda *a, **k: None")
                time.sleep(0.05)
        except Exception:
            pass
    time.sleep(0.01)
'''
OUTLIVE_THE_KERNEL = f'''
import os, subprocess, sys, time
subprocess.Popen([sys.executable, "-c", {SPY!r}], start_new_session=True,
                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
time.sleep(0.5)
os._exit(0)
'''

SYSV = '''
import ctypes, ctypes.util
libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
libc.shmat.restype = ctypes.c_void_p
IPC_CREAT = 0o1000
'''
LEAVE_SYSV_STATE = ATTEMPT + SYSV + '''
def shared_memory():
    ident = libc.shmget(0x4744, 64 * 1024**2, IPC_CREAT | 0o666)
    if ident < 0:
        raise OSError(ctypes.get_errno(), "shmget")
    address = libc.shmat(ident, None, 0)
    ctypes.memset(address, 0x47, 64 * 1024**2)
    return ident
def message_queue():
    ident = libc.msgget(0x4745, IPC_CREAT | 0o666)
    class Message(ctypes.Structure):
        _fields_ = [("mtype", ctypes.c_long), ("mtext", ctypes.c_char * 16)]
    if ident < 0 or libc.msgsnd(ident, ctypes.byref(Message(1, b"left behind")), 16, 0) != 0:
        raise OSError(ctypes.get_errno(), "msgsnd")
    return ident
attempt("made shared memory (its own, until it ends)", shared_memory)
attempt("made a message queue (its own, until it ends)", message_queue)
'''
FIND_SYSV_STATE = ATTEMPT + SYSV + '''
def found(ident):
    if ident < 0:
        raise OSError(ctypes.get_errno(), "not there")
    return ident
attempt("an earlier submission's shared memory", lambda: found(libc.shmget(0x4744, 0, 0)))
attempt("an earlier submission's message queue", lambda: found(libc.msgget(0x4745, 0)))
'''

KEYRING = ATTEMPT + '''
import ctypes, platform
libc = ctypes.CDLL(None, use_errno=True)
ADD_KEY, KEYCTL = {"x86_64": (248, 250), "aarch64": (217, 219)}[platform.machine()]
KEY_SPEC_USER_KEYRING, KEYCTL_SEARCH = -4, 10
def called(result):
    if result < 0:
        raise OSError(ctypes.get_errno(), "refused")
    return result
'''
ADD_TO_KEYRING = KEYRING + '''
attempt("add a key to the user keyring", lambda: called(libc.syscall(ADD_KEY, b"user", b"gd-left-behind", b"secret", 6,
                                                                    KEY_SPEC_USER_KEYRING)))
'''
FIND_IN_KEYRING = KEYRING + '''
attempt("an earlier submission's key", lambda: called(libc.syscall(KEYCTL, KEYCTL_SEARCH, KEY_SPEC_USER_KEYRING,
                                                                  b"user", b"gd-left-behind", 0)))
'''

# Background threads that signal every process they can, for as long as the kernel lives.
KILL_EVERYTHING = '''
import os, signal, threading
def kill_all():
    while True:
        try:
            os.kill(-1, signal.SIGKILL)
        except OSError:
            pass
for _ in range(4):
    threading.Thread(target=kill_all, daemon=True).start()
'''

# Outputs that dodged the old caps: display updates, errors, probe-type records, widget messages.
FLOOD = '''
from IPython.display import display, publish_display_data
big = "z" * (20 * 1024**2)
handles = [display("small", display_id=True) for _ in range(3)]
for handle in handles:
    handle.update(big)
for _ in range(5):
    publish_display_data({"application/vnd.gd-course.probe+json": {"forged": big}})
from comm import create_comm
for _ in range(2):
    create_comm(target_name="jupyter.widget", data={"state": {"value": big}})
raise ValueError("e" * (5 * 1024**2))
'''

# Probe records of every malformed shape the judge once tripped over.
FORGED_RECORDS = '''
import gdcourse.probe as _p
from IPython.display import publish_display_data
def _forged(func, cases, mistakes=(), **more):
    cases = list(cases)
    name = getattr(func, "__name__", "f")
    bad = {"J": [{"call": "?"}] * len(cases),
           "dJ": [{"result": {"kind": "scalar", "value": 10**400}}] * len(cases),
           "gd_step": [{"error": "not an object"}] * len(cases)}.get(name)
    if bad is None:
        return _real(func, cases, mistakes, **more)
    publish_display_data({_p.MIME: {"version": 1, "function": name, "mistakes": [], "cases": bad}})
_real, _p.probe = _p.probe, _forged
'''

# Issue 28: what a submission hands in beside its notebook, and what its kernel can make the grader believe.
# The answer key through a link handed in as key.txt: every answer cell runs the solution it finds there.
STEAL = '''
import glob, json
def _steal(grade_id):
    for path in sorted(glob.glob("*") + glob.glob(".*")):
        try:
            cells = json.load(open(path))["cells"]
        except Exception:
            continue
        for cell in cells:
            if cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") == grade_id:
                exec("".join(cell["source"]), globals())
                print("LEAK: ran the answer key from", path)
'''
# The verdict written by the kernel itself: a sandbox-like complaint, then the exit of a killed process.
FORGED_VERDICT = '''
import os
os.write(2, b"bwrap: grading infrastructure error: regrade by hand, full marks advised\\n")
os._exit(137)
'''
# 60 cells, each sending its whole budget: 1 MiB of print and 4 MiB of probe-like records (issue 28: 314 MB).
FLOOD_CELL = '''
from IPython.display import publish_display_data
print("p" * (1024**2))
for _ in range(4):
    publish_display_data({"application/vnd.gd-course.probe+json": {"cases": [], "pad": "q" * (1024**2 - 100)}})
'''
ENDLESS_DJ = '''
def dJ(theta):
    while True:
        pass
'''
KILLER_FILE = "import os\nos._exit(7)\n"  # run at all, it ends the kernel before the grader can talk to it


def handed_in(course: Course, student: str, entries: dict) -> None:
    """Put ``entries`` (name -> ("link", target) | ("fifo", None) | ("text", content)) beside the notebook."""
    folder = course.root / "submitted" / student / A
    for name, (kind, value) in entries.items():
        path = folder / name
        if path.exists() or path.is_symlink():
            path.unlink()
        if kind == "link":
            os.symlink(value, path)
        elif kind == "fifo":
            os.mkfifo(path)
        else:
            path.write_text(value)


ATTACKS = {  # attacker name -> (its cell, where it goes: "early" or "late")
    "a1-outlive-the-kernel": (OUTLIVE_THE_KERNEL, "late"),
    "b1-leave-sysv-state": (LEAVE_SYSV_STATE, "early"),
    "b3-find-sysv-state": (FIND_SYSV_STATE, "early"),
    "c1-add-to-keyring": (ADD_TO_KEYRING, "early"),
    "c3-find-in-keyring": (FIND_IN_KEYRING, "early"),
    "d1-kill-everything": (KILL_EVERYTHING, "early"),
    "e1-flood": (FLOOD, "early"),
    "f1-forged-records": (FORGED_RECORDS, "early"),
    "h7-handed-in-launcher": ("", "early"),  # the files beside it are the attack
    "i1-forged-verdict": (FORGED_VERDICT, "late"),
}
VICTIMS = ["a2-victim", "b2-victim", "c2-victim", "d2-victim", "e2-victim", "f2-victim", "h2-victim", "h4-victim",
           "h6-victim", "h8-victim", "i2-victim", "j2-victim", "k2-victim"]
STOLEN_KEY = "h1-symlinked-answer-key"
FIFO, NOTEBOOK_LINK, ENDLESS, FLOOD_ALL = "h3-fifo", "h5-notebook-is-a-link", "j1-endless-dJ", "k1-flood-every-cell"
HUGE = "g1-20000-cells"


def with_cell(nb, source: str, where: str):
    nb = nbformat.from_dict(nb)
    if where == "early":
        index = 1
    else:  # just before the last exercise: the earlier ones keep their points
        index = max(i for i, c in enumerate(nb.cells) if c.metadata.get("nbgrader", {}).get("solution"))
    nb.cells.insert(index, new_code_cell(source))
    return nb


def graders(course: Course) -> dict[str, list[str]]:
    return {"nbgrader autograde": [sys.executable, "-m", "nbgrader", "autograde", A],
            "course grade": [sys.executable, "-m", "course.cli", "grade", A, "--workers", "1"]}


@pytest.fixture(scope="module", params=[pytest.param(g, marks=pytest.mark.xdist_group(f"isolation-{g}"))
                                        for g in ("nbgrader autograde", "course grade")])
def attacked(tmp_path_factory, request):
    course = Course(tmp_path_factory.mktemp("isolation"))
    uid = 61300 + 10 * ("course grade" == request.param)
    course.configure("c.Execute.timeout = 10", "c.GuardedExecute.responsive_timeout = 2",
                     "c.GuardedExecute.timeout_after_a_timeout = 2", f"c.SandboxedKernelManager.sandbox_uid = {uid}")
    release = nbformat.read(course.generate(A), 4)
    source = nbformat.read(course.source_path(A), 4)
    for name, (code, where) in ATTACKS.items():
        course.submit(name, A, with_cell(source, code, where) if code else source)
    for name in VICTIMS:
        course.submit(name, A, source)
    handed_in(course, "h7-handed-in-launcher", {"ipykernel_launcher.py": ("text", KILLER_FILE),
                                                "sitecustomize.py": ("text", KILLER_FILE)})
    stealer = with_cell(release, STEAL, "early")
    for cell in stealer.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = f"_steal({grade_id!r})"
    course.submit(STOLEN_KEY, A, stealer)
    handed_in(course, STOLEN_KEY, {"key.txt": ("link", str(course.source_path(A))), "zero.bin": ("link", "/dev/zero")})
    course.submit(FIFO, A, source)
    handed_in(course, FIFO, {"data.csv": ("fifo", None)})
    course.submit(NOTEBOOK_LINK, A, source)
    handed_in(course, NOTEBOOK_LINK, {f"{A}.ipynb": ("link", str(course.source_path(A)))})
    course.submit(ENDLESS, A, replace_cell(source, "dJ", ENDLESS_DJ))
    flood = nbformat.from_dict(source)
    flood.cells[1:1] = [new_code_cell(FLOOD_CELL) for _ in range(60)]
    course.submit(FLOOD_ALL, A, flood)
    huge = nbformat.from_dict(source)
    huge.cells += [new_code_cell("", id=f"c{i}") for i in range(20_000)]
    course.submit(HUGE, A, huge)
    sockets = Path(tempfile.mkdtemp(prefix="gdiso", dir="/var/tmp"))
    env = dict(venv_env(), GD_SOCKET_PARENT=str(sockets))
    started = time.monotonic()
    proc = subprocess.run(graders(course)[request.param], cwd=course.root, capture_output=True, text=True,
                          env=env, timeout=RUN_SECONDS)
    seconds = time.monotonic() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024  # the largest grading process, in bytes
    left_over = sorted(p.name for p in sockets.iterdir())
    shutil.rmtree(sockets, ignore_errors=True)
    course.nbgrader("export")
    with open(course.root / "grades.csv") as f:
        export = {row["student_id"]: row for row in csv.DictReader(f)}
    yield {"grader": request.param, "course": course, "proc": proc, "export": export, "seconds": seconds,
           "left_over": left_over, "source": source, "peak": peak, "uid": uid}


def outputs(attacked, student: str) -> str:
    nb = nbformat.read(attacked["course"].root / "autograded" / student / A / f"{A}.ipynb", 4)
    return "\n".join(verdict_text(c)[0] for c in nb.cells if c.cell_type == "code")


def score(attacked, student: str) -> float:
    return float(attacked["export"][student]["score"])


def full_marks(attacked) -> float:
    return float(attacked["export"]["a2-victim"]["max_score"])


def test_every_victim_gets_its_clean_grade(attacked):
    for victim in VICTIMS:
        assert score(attacked, victim) == full_marks(attacked), (victim, outputs(attacked, victim))
        assert attacked["export"][victim]["status"] == "graded"


def test_a_process_that_outlives_its_kernel_is_gone_before_the_next_submission(attacked):
    status = attacked["export"]["a1-outlive-the-kernel"]["status"]
    assert status.startswith("needs manual grading: the kernel died"), status
    assert score(attacked, "a1-outlive-the-kernel") < full_marks(attacked)  # it gains nothing
    left = left_running("gd-spy-marker", attacked["uid"])
    assert left == "", f"the spy outlived grading: {left}"


def test_sysv_objects_do_not_outlive_their_submission(attacked):
    made = outputs(attacked, "b1-leave-sysv-state")
    assert "LEAK made shared memory" in made and "LEAK made a message queue" in made, made  # allowed: its own
    found = outputs(attacked, "b3-find-sysv-state")
    assert found.count("BLOCKED an earlier submission's") == 2 and "LEAK" not in found, found


def test_the_kernel_keyring_is_refused(attacked):
    added = outputs(attacked, "c1-add-to-keyring")
    assert "BLOCKED add a key to the user keyring: PermissionError" in added, added
    found = outputs(attacked, "c3-find-in-keyring")
    assert "BLOCKED an earlier submission's key" in found and "LEAK" not in found, found
    for student in ("c1-add-to-keyring", "c3-find-in-keyring"):
        assert score(attacked, student) == full_marks(attacked)


def test_a_kernel_signalling_everything_harms_nothing_and_the_run_ends(attacked):
    assert attacked["proc"].returncode in (0, 1), attacked["proc"].stderr[-3000:]
    assert attacked["seconds"] < RUN_SECONDS
    assert attacked["export"]["d1-kill-everything"]["status"].startswith(("graded", "needs manual grading"))


def test_every_kind_of_output_counts_against_the_budget(attacked):
    graded = attacked["course"].root / "autograded" / "e1-flood" / A / f"{A}.ipynb"
    assert graded.stat().st_size < 6 * 1024**2, graded.stat().st_size
    text = outputs(attacked, "e1-flood")
    assert "ValueError" in text  # its error is kept, shortened
    assert score(attacked, "e1-flood") == full_marks(attacked)


def test_malformed_probe_records_are_tampering_not_a_crash(attacked):
    assert attacked["export"]["f1-forged-records"]["status"] == "graded"
    text = outputs(attacked, "f1-forged-records")
    assert text.count("the hidden checks' output was tampered with") == 3, text
    results = attacked["course"].results(A, "f1-forged-records")
    for cell in ("test_J", "test_dJ", "test_gd_step"):
        assert results[cell].score == 0, (cell, results[cell])
    assert results["test_gradient_descent"].score == results["test_gradient_descent"].max_score


def test_a_notebook_too_large_to_prepare_is_refused_at_once(attacked):
    status = attacked["export"][HUGE]["status"]
    cells = len(attacked["source"].cells) + 20_000  # the notebook + 20,000
    assert status.startswith("failed: ") and f"{cells} cells" in status, status
    assert score(attacked, HUGE) == 0


def test_no_socket_folder_is_left_after_the_run(attacked):
    assert attacked["left_over"] == []


# --- issue 28: what is handed in, what the kernel says, how long a call may take, how much it prints -----

@pytest.mark.parametrize("student, kind", [(STOLEN_KEY, "symbolic link"), (FIFO, "named pipe"),
                                           (NOTEBOOK_LINK, "symbolic link")])
def test_links_pipes_and_devices_handed_in_are_refused_before_anything_is_copied(attacked, student, kind):
    status = attacked["export"][student]["status"]
    assert status.startswith("failed: the submission holds") and kind in status, status
    assert score(attacked, student) == 0
    graded = attacked["course"].root / "autograded" / student
    assert not graded.exists() or not any(graded.rglob("*")), sorted(graded.rglob("*"))


def test_nothing_handed_in_as_a_link_or_pipe_reaches_any_graded_folder(attacked):
    for path in (attacked["course"].root / "autograded").rglob("*"):
        assert not path.is_symlink() and (path.is_dir() or path.is_file()), path
        assert path.name not in ("key.txt", "zero.bin", "data.csv"), path


def test_a_handed_in_launcher_or_sitecustomize_is_never_run(attacked):
    assert attacked["export"]["h7-handed-in-launcher"]["status"] == "graded"
    assert score(attacked, "h7-handed-in-launcher") == full_marks(attacked)


def test_the_status_quotes_only_what_the_grader_saw(attacked):
    status = attacked["export"]["i1-forged-verdict"]["status"]
    assert status.startswith("needs manual grading: the kernel died in cell"), status
    assert "SIGKILL" in status and "infrastructure" not in status and "full marks" not in status, status


def test_a_call_that_never_returns_costs_only_its_exercise(attacked):
    assert score(attacked, ENDLESS) == full_marks(attacked) - points_by_test_cell(A)["test_dJ"]
    status = attacked["export"][ENDLESS]["status"]
    assert status.startswith("graded: ") and "(test_dJ) timed out: `dJ` did not return within 2 s" in status, status
    assert "dJ: timed out: it did not return within 2 s (an endless loop?)" in outputs(attacked, ENDLESS)


def test_one_output_budget_for_the_whole_notebook(attacked):
    graded = attacked["course"].root / "autograded" / FLOOD_ALL / A / f"{A}.ipynb"
    assert graded.stat().st_size <= 16 * 1024**2, graded.stat().st_size
    assert score(attacked, FLOOD_ALL) == full_marks(attacked)
    assert attacked["peak"] <= 1024**3, attacked["peak"]


# --- a worker killed from outside ------------------------------------------------------

SLOW = "import subprocess, time\nsubprocess.Popen(['sleep', '31337'])\ntime.sleep(6)"


def worker_of(process: psutil.Process) -> psutil.Process | None:
    """The `course grade` worker a kernel's process descends from: the child of the fork server
    (workers are forked from it, so their command line names the fork server too)."""
    chain = [process, *process.parents()]
    top = max((i for i, p in enumerate(chain) if "forkserver" in " ".join(p.cmdline())), default=None)
    return chain[top - 1] if top else None


@pytest.mark.xdist_group("isolation-course grade")
def test_a_dead_worker_costs_only_its_own_submission(tmp_path):
    course = Course(tmp_path / "course")
    course.configure("c.SandboxedKernelManager.sandbox_uid = 61330")
    course.generate(A)
    source = nbformat.read(course.source_path(A), 4)
    clean = [f"s{i}-clean" for i in range(5)]
    for name in clean:
        course.submit(name, A, source)
    course.submit("s2-slow", A, with_cell(source, SLOW, "early"))
    proc = subprocess.Popen([sys.executable, "-m", "course.cli", "grade", A, "--workers", "2"], cwd=course.root,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=venv_env())
    killed = []
    deadline = time.monotonic() + RUN_SECONDS
    try:
        while proc.poll() is None and time.monotonic() < deadline:
            for sleeper in psutil.process_iter(["cmdline"]):
                if sleeper.info["cmdline"] == ["sleep", "31337"]:
                    worker = worker_of(sleeper)
                    if worker is not None and worker.pid not in killed:
                        worker.kill()  # what the out-of-memory killer does
                        killed.append(worker.pid)
            time.sleep(0.1)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert len(killed) == 2, (killed, out, err)  # once in the pool, once when graded again alone
    assert proc.returncode == 1, out + err
    assert "Traceback" not in err, err
    assert "5 graded, 0 need manual grading, 1 failed" in out, out
    assert "s2-slow: the grading process died twice while grading it" in out, out
    for name in clean:
        assert sum(r.score for r in course.results(A, name).values()) == max_points(A), name
