"""Kill -9 in the middle of grading a class, re-run, and get exactly the grades of a clean run.

Stock nbgrader 0.9.6 skips a submission whose autograded/ folder exists, so a folder
half-written at the kill kept a 0 silently. Here the grader (`nbgrader autograde`
without --force, or `course grade`) is killed twice while a submission is being
graded, then run again to the end; every cell's score must equal an uninterrupted
`nbgrader autograde` run's, with no duplicate submission rows and no process left.
"""

from __future__ import annotations

import json
import os
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
from nbgrader.api import Gradebook

from .conftest import mutant_bundles
from .grading import Course, replace_cell, venv_env


A = "01_one_variable"


def class_of(course: Course) -> list[str]:
    source = nbformat.read(course.source_path(A), 4)
    release = nbformat.read(course.release_path(A), 4)
    students = {"s01-solution": source, "s02-release": release, "s03-solution": source}
    for i, (name, bundle) in enumerate(sorted(mutant_bundles(A).items())[:5]):
        nb = source
        for mutant in bundle:
            nb = replace_cell(nb, mutant.cell, mutant.source)
        students[f"s{i + 4:02d}-{name}"] = nb
    for student, nb in students.items():
        course.submit(student, A, nb)
    return sorted(students)


def grades(course: Course) -> dict[tuple[str, str], float]:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        out = {}
        for sub in gb.assignment_submissions(A):
            for nb in sub.notebooks:
                for grade in nb.grades:
                    out[(sub.student.id, grade.name)] = grade.score
        return out


def submission_rows(course: Course) -> int:
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gb:
        return len(gb.assignment_submissions(A))


def states(course: Course) -> dict[str, str]:
    out = {}
    for path in (course.root / "grading-status" / A).glob("*.json"):
        try:
            out[path.stem] = json.loads(path.read_text())["state"]
        except ValueError:
            pass
    return out


def descendants(pid: int) -> list[psutil.Process]:
    """Every process started by ``pid``, however deep (kernels in their sandboxes too)."""
    try:
        return psutil.Process(pid).children(recursive=True)
    except psutil.NoSuchProcess:
        return []


def alive(process: psutil.Process) -> bool:
    try:
        return process.is_running() and process.status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


GRADERS = {"nbgrader autograde": ("-m", "nbgrader", "autograde", A), "course grade": ("-m", "course.cli", "grade", A)}


def kill_while_grading(course: Course, command, after_graded: int, whole_group: bool, env: dict) -> list[psutil.Process]:
    """Start `nbgrader autograde`, kill -9 it (or its whole process group) mid-submission.

    Returns the processes it had started: its sandboxed kernels must not outlive it.
    """
    proc = subprocess.Popen([sys.executable, *command], cwd=course.root, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def mid_submission() -> bool:
        now = states(course)
        return list(now.values()).count("graded") >= after_graded and "grading" in now.values() \
            and any(p.name() == "bwrap" for p in descendants(proc.pid))

    deadline = time.monotonic() + 120
    try:
        while time.monotonic() < deadline and proc.poll() is None:
            # `course grade` marks a submission "grading" only while it records it (milliseconds):
            # freeze the grader, and kill it only if the submission is still unfinished then
            if mid_submission():
                proc.send_signal(signal.SIGSTOP)
                if mid_submission():
                    break
                proc.send_signal(signal.SIGCONT)
            time.sleep(0.01)
        assert proc.poll() is None, "grading finished before it could be interrupted"
        started = descendants(proc.pid)
    finally:
        if whole_group:
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
        proc.wait()
    return started


@pytest.fixture(scope="module", params=[pytest.param(g, marks=pytest.mark.xdist_group(f"interrupted-{g}"))
                                              for g in GRADERS])
def clean_and_interrupted(tmp_path_factory, request):
    clean = Course(tmp_path_factory.mktemp("clean"))
    clean.generate(A)
    students = class_of(clean)
    clean.nbgrader("autograde", A)

    killed = Course(tmp_path_factory.mktemp("killed"))
    killed.generate(A)
    class_of(killed)
    command = GRADERS[request.param]
    sockets = Path(tempfile.mkdtemp(prefix="gdint", dir="/var/tmp"))  # the kernels' socket folders, this test's alone
    env = dict(venv_env(), GD_SOCKET_PARENT=str(sockets))
    started = (kill_while_grading(killed, command, after_graded=1, whole_group=False, env=env)
               + kill_while_grading(killed, command, after_graded=4, whole_group=True, env=env))
    half_written = [s for s, state in states(killed).items() if state == "grading"]
    left_by_kills = sorted(p.name for p in sockets.iterdir())
    rerun = subprocess.run([sys.executable, *command], cwd=killed.root, env=env, capture_output=True, text=True)
    assert rerun.returncode == 0, rerun.stdout + rerun.stderr  # the re-run also stops sandboxes a kill left
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(alive(p) for p in started):
        time.sleep(0.1)
    survivors = [p for p in started if alive(p)]
    left_after_rerun = sorted(p.name for p in sockets.iterdir())
    shutil.rmtree(sockets, ignore_errors=True)
    return clean, killed, students, half_written, started, survivors, (left_by_kills, left_after_rerun)


def test_the_kills_left_half_graded_submissions(clean_and_interrupted):
    _, _, _, half_written, *_ = clean_and_interrupted
    assert half_written, "the test must interrupt a submission mid-grading"


def test_rerun_after_kill_gives_every_grade_of_a_clean_run(clean_and_interrupted):
    clean, killed, students, *_ = clean_and_interrupted
    expected, got = grades(clean), grades(killed)
    assert {s for s, _ in expected} == set(students)
    assert got == expected


def test_no_submission_is_duplicated_or_left_unfinished(clean_and_interrupted):
    _, killed, students, *_ = clean_and_interrupted
    assert submission_rows(killed) == len(students)
    assert states(killed) == {s: "graded" for s in students}


def test_the_next_run_removes_the_socket_folders_a_kill_left(clean_and_interrupted):
    *_, (left_by_kills, left_after_rerun) = clean_and_interrupted
    assert left_by_kills, "a killed grader has no chance to remove its kernels' socket folders"
    assert left_after_rerun == []


def test_no_kernel_outlives_the_killed_grader(clean_and_interrupted):
    *_, started, survivors, _ = clean_and_interrupted
    assert len(started) >= 3, "the grader had a sandboxed kernel running when it was killed"
    assert survivors == []
