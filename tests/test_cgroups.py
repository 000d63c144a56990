"""autograder/kernel/cgroups.py: one control group per kernel, on cgroup v1 or v2, and the fallback without.

The first tests use this machine's real hierarchy (root and a writable cgroup v1 or v2 with the
memory and pids controllers; skipped elsewhere); the others read a made-up /proc and cgroup file
system in a temporary folder, so that both layouts and the fallback are tested on any machine.
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pytest

from autograder.kernel import cgroups

MIB = 2**20


@pytest.fixture(autouse=True)
def detect_afresh():
    cgroups.forget()
    yield
    cgroups.forget()


def real_hierarchy() -> cgroups.Hierarchy:
    try:
        return cgroups.detect()
    except cgroups.NoControlGroups as exc:
        pytest.skip(f"no writable control groups here: {exc}")


def run_in(group: cgroups.KernelGroup, code: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """Run ``python -c code`` in ``group``, put there before it starts (as a cold kernel's bwrap is)."""
    wrapper = 'while [ "$1" != -- ]; do echo $$ > "$1" || exit 126; shift; done; shift; exec "$@"'
    return subprocess.run(["/bin/sh", "-c", wrapper, "sh", *map(str, group.procs_files), "--", sys.executable, "-c",
                           code], capture_output=True, text=True, timeout=timeout)


MEMFD = '''
import os
fd = os.memfd_create("hoard")
block = b"m" * 2**20
for held in range(1, 257):
    os.write(fd, block)
print("held", held)
'''
FORKS = '''
import os, time
started = 0
try:
    while started < 50:
        if os.fork() == 0:
            os.closerange(0, 3)  # the test reads the output until every writer has ended
            time.sleep(30)
            os._exit(0)
        started += 1
except OSError as exc:
    print("refused after", started, exc.errno)
'''


def test_a_group_limits_memory_outside_the_address_space_and_tasks_then_goes(tmp_path):
    hierarchy = real_hierarchy()
    group = cgroups.KernelGroup.create(hierarchy, 64 * MIB, 8)
    try:
        assert all(folder.is_dir() for folder in group.folders)
        memfd = run_in(group, MEMFD)
        # 256 MiB of memfd written by a process whose address space stays small: stopped at 64 MiB
        assert memfd.returncode in (-9, 137) and "held" not in memfd.stdout, (memfd.returncode, memfd.stdout)
        assert group.oom_kills() >= 1
        forks = run_in(group, FORKS)
        started = int(forks.stdout.split("refused after ")[1].split()[0])
        assert started < 8, forks.stdout  # the process itself is one of the 8
        sleeper = subprocess.Popen(["sleep", "60"])
        group.add(sleeper.pid)
        assert f"/{group.name}\n" in Path(f"/proc/{sleeper.pid}/cgroup").read_text()
        assert group.remove(timeout=2.0)  # a process left in it is killed, then the group removed
        assert sleeper.wait(timeout=10) == -9
        assert not any(folder.exists() for folder in group.folders)
    finally:
        group.remove()


def test_groups_of_graders_that_are_gone_are_removed_and_their_processes_killed():
    hierarchy = real_hierarchy()
    dead = subprocess.Popen(["true"])
    dead.wait()  # a pid no grader has now
    left = cgroups.KernelGroup(hierarchy, f"{dead.pid}-1", 64 * MIB, 8)
    for folder in left.folders:
        folder.mkdir()
    stray = subprocess.Popen(["sleep", "60"])
    left.add(stray.pid)
    mine = cgroups.KernelGroup.create(hierarchy, 64 * MIB, 8)
    try:
        assert left.name in cgroups.remove_leftovers(hierarchy)  # (and any other dead grader's)
        assert stray.wait(timeout=10) == -9
        assert not any(folder.exists() for folder in left.folders)
        assert all(folder.exists() for folder in mine.folders)  # this live process's
    finally:
        mine.remove()
        left.remove()
    cgroups.remove_own_groups()


# --- made-up hierarchies ---------------------------------------------------------------------------------

def fake_proc(tmp_path: Path, mounts: list[str], own: str) -> Path:
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "mountinfo").write_text("".join(f"{i} 1 0:{i} {line}\n" for i, line in enumerate(mounts, 30)))
    (proc / "cgroup").write_text(own)
    return proc


@pytest.fixture
def files_written(monkeypatch):
    """Control files of a made-up hierarchy: a write creates the file (the kernel makes them in a real one)."""
    written = {}
    monkeypatch.setattr(cgroups, "_own", [])  # made-up groups are not this process's to remove at its exit

    def write(path, text):
        Path(path).write_text(text)
        written[Path(path)] = text

    monkeypatch.setattr(cgroups, "_write", write)
    return written


def test_cgroup_v1_groups_go_inside_the_graders_own_group_of_each_hierarchy(tmp_path, files_written):
    fs = tmp_path / "cg"
    for sub in ("memory/service/grader", "pids"):
        (fs / sub).mkdir(parents=True)
    proc = fake_proc(tmp_path, [f"/ {fs}/memory rw - cgroup cgroup rw,memory", f"/ {fs}/pids rw - cgroup cgroup rw,pids",
                                f"/ {fs}/unified rw - cgroup2 cgroup2 rw"],
                     "9:pids:/\n4:memory:/service/grader\n0::/\n")
    (fs / "unified").mkdir()
    (fs / "unified" / "cgroup.controllers").write_text("hugetlb\n")  # cgroup2 without memory: not used
    hierarchy = cgroups.detect(proc)
    assert hierarchy == cgroups.Hierarchy(1, fs / "memory/service/grader/gd-course", fs / "pids/gd-course")
    group = cgroups.KernelGroup.create(hierarchy, 2 * 1024**3, 66)
    assert files_written[group.memory / "memory.limit_in_bytes"] == str(2 * 1024**3)
    assert files_written[group.memory / "memory.memsw.limit_in_bytes"] == str(2 * 1024**3)
    assert files_written[group.pids / "pids.max"] == "66"
    assert group.procs_files == [group.memory / "cgroup.procs", group.pids / "cgroup.procs"]
    (group.memory / "memory.oom_control").write_text("oom_kill_disable 0\nunder_oom 0\noom_kill 2\n")
    assert group.oom_kills() == 2
    for folder in group.folders:
        for name in folder.iterdir():
            name.unlink()
    assert group.remove()


def test_cgroup_v2_groups_go_where_the_memory_and_pids_controllers_are_handed_down(tmp_path, files_written, monkeypatch):
    fs = tmp_path / "cg"
    service = fs / "system.slice" / "grader.service"
    service.mkdir(parents=True)
    (fs / "cgroup.controllers").write_text("cpu io memory pids\n")
    (fs / "cgroup.subtree_control").write_text("cpu memory pids\n")
    (fs / "system.slice" / "cgroup.subtree_control").write_text("memory pids\n")
    (service / "cgroup.subtree_control").write_text("")  # it holds the grader: it can hand nothing down
    proc = fake_proc(tmp_path, [f"/ {fs} rw - cgroup2 cgroup2 rw"], "0::/system.slice/grader.service\n")
    hierarchy = cgroups.detect(proc)
    assert hierarchy == cgroups.Hierarchy(2, fs / "system.slice/gd-course", fs / "system.slice/gd-course")
    assert files_written[hierarchy.memory / "cgroup.subtree_control"] == "+memory +pids"
    group = cgroups.KernelGroup.create(hierarchy, 2 * 1024**3, 64)
    assert {path.name: text for path, text in files_written.items() if path.parent == group.memory} == {
        "memory.max": str(2 * 1024**3), "memory.swap.max": "0", "memory.oom.group": "1", "pids.max": "64"}
    assert group.procs_files == [group.memory / "cgroup.procs"]
    (group.memory / "memory.events").write_text("low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n")
    assert group.oom_kills() == 1

    delegated = fs / "delegated"
    delegated.mkdir()
    (delegated / "cgroup.subtree_control").write_text("")
    monkeypatch.setenv(cgroups.PARENT_ENV, str(delegated))  # what the host delegated to the grader wins
    assert cgroups.detect(proc).memory == delegated / "gd-course"
    assert files_written[delegated / "cgroup.subtree_control"] == "+memory +pids"


def test_cgroup_v2_at_the_top_of_a_namespace_hands_the_controllers_down_itself(tmp_path, files_written):
    fs = tmp_path / "cg"
    fs.mkdir()
    (fs / "cgroup.controllers").write_text("memory pids\n")
    (fs / "cgroup.subtree_control").write_text("")
    proc = fake_proc(tmp_path, [f"/ {fs} rw - cgroup2 cgroup2 rw"], "0::/\n")
    assert cgroups.detect(proc).memory == fs / "gd-course"
    assert files_written[fs / "cgroup.subtree_control"] == "+memory +pids"


def test_without_a_hierarchy_it_is_said_once_and_kernels_keep_todays_limits(tmp_path, monkeypatch, caplog):
    from autograder.kernel import syscall_filter
    from autograder.kernel.sandbox import Limits, SandboxLayout, bwrap_argv

    proc = fake_proc(tmp_path, [], "0::/\n")  # no cgroup file system at all
    real = cgroups.detect
    with pytest.raises(cgroups.NoControlGroups, match="no cgroup2 file system is mounted; no cgroup v1 memory"):
        real(proc)
    monkeypatch.setattr(cgroups, "detect", lambda: real(proc))
    assert [cgroups.available() for _ in range(3)] == [None] * 3
    said = [r.getMessage() for r in caplog.records if r.name == "autograder.kernel.cgroups" and r.levelno == logging.WARNING]
    assert len(said) == 1 and "no control group" in said[0] and "Control groups" in said[0], said
    cgroups.forget()
    monkeypatch.setenv(cgroups.WARNED_ENV, "1")  # a process started after the warning: not again
    assert cgroups.available() is None and len(caplog.records) == 1

    layout = SandboxLayout(readable=[])
    argv = bwrap_argv(["python"], layout=layout, ipc_dir=tmp_path, limits=Limits(), env={}, uid=61000)
    assert "--nproc=64" in argv  # the per-user task limit stays where no pids group replaces it
    assert syscall_filter.program(refuse_sysv_shm=True) != syscall_filter.program(refuse_sysv_shm=False)


def test_a_hierarchy_that_cannot_be_written_is_no_hierarchy(tmp_path):
    proc = fake_proc(tmp_path, ["/ /proc/sys rw - cgroup cgroup rw,memory", "/ /proc/sys rw - cgroup cgroup rw,pids"],
                     "9:pids:/\n4:memory:/\n")
    with pytest.raises(cgroups.NoControlGroups, match="/proc/sys/gd-course"):
        cgroups.detect(proc)


def test_the_memory_limit_is_told_apart_from_other_kills(tmp_path, files_written):
    from autograder.kernel.sandbox import SandboxedKernelManager

    fs = tmp_path / "cg"
    (fs / "memory").mkdir(parents=True)
    (fs / "pids").mkdir()
    hierarchy = cgroups.Hierarchy(1, fs / "memory" / "gd-course", fs / "pids" / "gd-course")
    hierarchy.ensure()
    manager = SandboxedKernelManager(memory_bytes=2**30)
    manager._cgroup = group = cgroups.KernelGroup.create(hierarchy, 2**30, 64)
    (group.memory / "memory.oom_control").write_text("oom_kill 0\n")

    class Ended:
        def poll(self):
            return -9

    manager.provisioner = type("P", (), {"process": Ended()})()
    assert "memory limit" not in manager.exit_reason()
    (group.memory / "memory.oom_control").write_text("oom_kill 1\n")
    assert "over its memory limit of 1 GiB" in manager.exit_reason()


def test_a_group_left_by_an_earlier_process_of_the_same_pid_or_a_parent_removed_meanwhile_is_no_obstacle(
        tmp_path, files_written, monkeypatch):
    import itertools
    import os

    fs = tmp_path / "cg"
    hierarchy = cgroups.Hierarchy(1, fs / "memory" / "gd-course", fs / "pids" / "gd-course")
    for parent in hierarchy.parents:
        parent.mkdir(parents=True)
    monkeypatch.setattr(cgroups, "_numbers", itertools.count(7))
    (hierarchy.memory / f"{os.getpid()}-7").mkdir()  # a killed grader's, whose pid this process now has
    group = cgroups.KernelGroup.create(hierarchy, 2**30, 64)
    assert group.name == f"{os.getpid()}-8" and not (hierarchy.pids / f"{os.getpid()}-7").exists()
    for path in sorted(hierarchy.pids.rglob("*"), reverse=True):  # another grader ended: its parent went with it
        path.unlink() if path.is_file() else path.rmdir()
    hierarchy.pids.rmdir()
    again = cgroups.KernelGroup.create(hierarchy, 2**30, 64)
    assert all(folder.is_dir() for folder in again.folders)
