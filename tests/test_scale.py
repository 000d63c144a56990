"""Beyond one machine (docs/scale.md), with real servers started here: the gradebook on a
PostgreSQL server, and `course grade --scheduler` on a Dask scheduler with two workers.

One mixed class (right, a bundle of known mistakes, untouched, empty, a submission that
looks for the database) is graded five ways; every grade must equal stock
``nbgrader autograde``'s on SQLite.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell

from tests.conftest import mutant_bundles
from tests.grading import Course, venv_env
from tests.grading import gradebook_grades as grades
from content.mutants import apply_mutant
from tests.servers import DaskCluster, postgres_server

pytestmark = pytest.mark.xdist_group("scale")

A, B = "01_one_variable", "02_partial_derivatives"
SNOOP = """import os, socket
print("database:", os.environ.get("COURSE_DB_URL"))
try:
    socket.create_connection(("127.0.0.1", {port}), timeout=2)
    print("CONNECTED to the gradebook server")
except OSError as exc:
    print("no connection:", exc)
"""


def class_of(course: Course, assignment: str, port: int = 0, sleep: float = 0.0) -> list[str]:
    """ada right, ben a bundle of known mistakes, cy untouched, dee an empty file, eve right but
    snooping for the database server; with ``sleep``, every notebook first sleeps that long."""
    source = nbformat.read(course.source_path(assignment), 4)
    release = nbformat.read(course.release_path(assignment), 4)
    mistaken = source
    for mutant in next(iter(mutant_bundles(assignment).values())):
        mistaken = apply_mutant(mistaken, mutant)
    snooping = nbformat.from_dict(source)
    snooping.cells.insert(1, new_code_cell(SNOOP.format(port=port)))
    notebooks = {"ada": source, "ben": mistaken, "cy": release, "dee": b"", "eve": snooping}
    for student, notebook in notebooks.items():
        if sleep and not isinstance(notebook, bytes):
            notebook = nbformat.from_dict(notebook)
            notebook.cells.insert(1, new_code_cell(f"import time\ntime.sleep({sleep})"))
        course.submit(student, assignment, notebook)
    return list(notebooks)


def run(course: Course, *argv: str, db_url: str | None = None, check: bool = True) -> subprocess.CompletedProcess:
    env = venv_env()
    env.pop("COURSE_DB_URL", None)
    if db_url:
        env["COURSE_DB_URL"] = db_url
    proc = subprocess.run([sys.executable, "-m", *argv], cwd=course.root, capture_output=True, text=True, env=env,
                          timeout=900)
    if check:
        assert proc.returncode in (0, 1), f"{argv}: {proc.stdout[-2000:]}\n{proc.stderr[-4000:]}"
    return proc


def new_course(tmp_path_factory, name: str, uid: int) -> Course:
    course = Course(tmp_path_factory.mktemp(name))
    course.configure(f"c.SandboxedKernelManager.sandbox_uid = {uid}")
    return course


def sqlite_url(course: Course) -> str:
    return f"sqlite:///{course.root / 'gradebook.db'}"


@pytest.fixture(scope="module")
def postgres():
    with postgres_server() as make_database:
        yield make_database


@pytest.fixture(scope="module")
def stock(tmp_path_factory):
    """The class graded by stock `nbgrader autograde` on SQLite: the grades every other way must give."""
    course = new_course(tmp_path_factory, "stock", 61500)
    course.generate(A)
    class_of(course, A)
    course.nbgrader("autograde", A, "--force", check=False)  # exit 1: dee's empty file
    return grades(sqlite_url(course), A)


def test_the_stock_grades_are_a_real_mix(stock):
    students = {student for student, _ in stock}
    assert {"ada", "ben", "cy", "eve"} <= students
    totals = {s: sum(v or 0 for (who, _), v in stock.items() if who == s) for s in students}
    assert totals["ada"] == totals["eve"] > totals["ben"] > totals["cy"]


def test_postgres_gives_the_grades_of_sqlite_in_every_command(tmp_path_factory, postgres, stock):
    url = postgres("course")
    course = new_course(tmp_path_factory, "postgres", 61510)
    run(course, "nbgrader", "generate_assignment", A, "--force", db_url=url)
    class_of(course, A, port=postgres.port)
    graded = run(course, "course.cli", "grade", A, db_url=url)
    assert f"{A}: 4 graded, 0 need manual grading, 1 failed" in graded.stdout, graded.stdout
    assert not (course.root / "gradebook.db").exists()  # everything went to the server
    assert grades(url, A) == stock

    exported = run(course, "course.cli", "export", db_url=url)
    assert "5 rows (4 graded, 1 failed)" in exported.stdout, exported.stdout
    assert run(course, "course.cli", "report", A, db_url=url).returncode == 0
    assert "class report" in run(course, "course.cli", "report", A, db_url=url).stdout
    scores = run(course, "course.cli", "scores", A, db_url=url).stdout
    assert "ada" in scores and "21.0 / 21" in scores

    # the snooping submission saw neither the server's address nor the server
    eve = nbformat.read(course.root / "autograded" / "eve" / A / f"{A}.ipynb", 4)
    printed = "".join(o.get("text", "") for cell in eve.cells if "socket" in cell.source for o in cell.outputs)
    assert "database: None" in printed and "no connection" in printed and "CONNECTED" not in printed, printed

    # plain nbgrader, on the same server, agrees
    stock_url = postgres("stock")
    plain = new_course(tmp_path_factory, "postgres-stock", 61520)
    run(plain, "nbgrader", "generate_assignment", A, "--force", db_url=stock_url)
    class_of(plain, A, port=postgres.port)
    run(plain, "nbgrader", "autograde", A, "--force", db_url=stock_url)
    assert grades(stock_url, A) == stock


def test_two_runs_at_once_and_an_export_during_them_lose_nothing(tmp_path_factory, postgres):
    url = postgres("concurrent")
    course = new_course(tmp_path_factory, "concurrent", 61530)
    for assignment in (A, B):
        run(course, "nbgrader", "generate_assignment", assignment, "--force", db_url=url)
        class_of(course, assignment, port=postgres.port)
    env = {**venv_env(), "COURSE_DB_URL": url}
    runs = [subprocess.Popen([sys.executable, "-m", "course.cli", "grade", assignment], cwd=course.root, env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for assignment in (A, B)]
    exports = 0
    while any(r.poll() is None for r in runs):
        proc = run(course, "course.cli", "export", "--to", f"during-{exports}.csv", db_url=url)
        assert proc.returncode == 0, proc.stderr
        exports += 1
    outputs = [r.communicate() for r in runs]
    assert exports >= 1
    for assignment, (out, err) in zip((A, B), outputs):
        assert f"{assignment}: 4 graded, 0 need manual grading, 1 failed" in out, out + err
    together = {a: grades(url, a) for a in (A, B)}

    # the same class graded again, one assignment after the other, on SQLite
    alone = new_course(tmp_path_factory, "one-at-a-time", 61540)
    for assignment in (A, B):
        alone.generate(assignment)
        class_of(alone, assignment, port=postgres.port)
        run(alone, "course.cli", "grade", assignment)
    assert together == {a: grades(sqlite_url(alone), a) for a in (A, B)}
    exported = run(course, "course.cli", "export", db_url=url)
    assert "10 rows (8 graded, 2 failed)" in exported.stdout, exported.stdout


@pytest.fixture(scope="module")
def cluster():
    with DaskCluster(workers=2) as running:
        yield running


def test_dask_grades_equal_stock_nbgrader(tmp_path_factory, cluster, stock):
    course = new_course(tmp_path_factory, "dask", 61550)
    course.generate(A)
    class_of(course, A)
    graded = run(course, "course.cli", "grade", A, "--scheduler", cluster.address)
    assert f"{A}: 4 graded, 0 need manual grading, 1 failed" in graded.stdout, graded.stdout + cluster.logs()
    assert grades(sqlite_url(course), A) == stock
    from distributed import Client

    from autograder.run.cluster import worker_sandbox_uid

    with Client(cluster.address, timeout=30) as client:
        uids = sorted(client.run(worker_sandbox_uid).values())
    assert len(set(uids)) == 2 and uids[0] >= 61550, uids  # each worker's kernels a user of their own


def test_a_worker_killed_mid_submission_costs_no_grade(tmp_path_factory, cluster, stock):
    from distributed import Client

    course = new_course(tmp_path_factory, "dask-kill", 61560)
    course.generate(A)
    class_of(course, A, sleep=4)  # every submission takes a few seconds: the kill lands inside one
    env = {**venv_env()}
    env.pop("COURSE_DB_URL", None)
    grading = subprocess.Popen([sys.executable, "-m", "course.cli", "grade", A, "--scheduler", cluster.address],
                               cwd=course.root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    victim = cluster.workers[0]
    killed = False
    with Client(cluster.address, timeout=30) as client:
        deadline = time.monotonic() + 300
        while grading.poll() is None and time.monotonic() < deadline:
            busy = {client.scheduler_info()["workers"][address]["name"]
                    for address, keys in client.processing().items() if keys}
            if "worker-0" in busy:
                time.sleep(1.5)  # inside the submission: its kernel is running
                os.kill(victim.pid, signal.SIGKILL)
                killed = True
                break
            time.sleep(0.2)
    out, err = grading.communicate(timeout=600)
    cluster.start_worker("worker-2")  # the cluster has two workers again, for any test after this one
    assert killed, "worker-0 never got a submission"
    assert victim.poll() is not None
    assert f"{A}: 4 graded, 0 need manual grading, 1 failed" in out, out + err
    assert grades(sqlite_url(course), A) == stock  # each once, and right
    status = sorted(p.stem for p in (course.root / "grading-status" / A).glob("*.json"))
    assert status == ["ada", "ben", "cy", "dee", "eve"]


def test_a_worker_that_cannot_sandbox_refuses_the_run(tmp_path_factory):
    course = new_course(tmp_path_factory, "dask-no-bwrap", 61570)
    course.generate(A)
    class_of(course, A)
    with DaskCluster(workers=0) as cluster:
        cluster.start_worker("no-bwrap", path=str(Path(sys.executable).parent))  # no /usr/bin: no bwrap
        cluster.wait_for(1)
        proc = run(course, "course.cli", "grade", A, "--scheduler", cluster.address)
    assert proc.returncode == 1
    assert "cannot sandbox student code" in proc.stderr and "1 of 1 workers" in proc.stderr, proc.stderr
    assert not (course.root / "autograded").exists()


def test_every_command_finds_the_gradebook_where_nbgrader_does(tmp_path, monkeypatch):
    from nbgrader.coursedir import CourseDirectory

    from autograder.run.config import course_config
    from autograder.run.gradebook import gradebook_url, sqlite_file

    course = Course(tmp_path / "course")
    monkeypatch.delenv("COURSE_DB_URL", raising=False)
    assert sqlite_file(gradebook_url(course.root)) == (course.root / "gradebook.db").resolve()
    monkeypatch.setenv("COURSE_DB_URL", "postgresql+psycopg://grader@127.0.0.1:5999/course")
    config = course_config(course.root)
    assert gradebook_url(course.root) == "postgresql+psycopg://grader@127.0.0.1:5999/course"
    assert CourseDirectory(config=config, root=str(course.root)).db_url == gradebook_url(course.root)
    assert sqlite_file(gradebook_url(course.root)) is None
