"""The grader on every Python it supports (3.11, 3.12, 3.13; docs/install.md): for each one other than
the Python running the tests (this .venv's), a fresh venv is built from deploy/grader-constraints.txt by
the Makefile's own recipe (`make grader PYTHON=… VENV=…`, what `make setup` and `make demo` run: the
learner package and the grader, no test tools), then the sample class of `course demo` (ada, ben, cy)
is graded in a course root of its own, with its own reference run, and every grade, and every verdict
cy is shown, must be the one this Python gives.

The interpreters are found under pyenv (`$(pyenv root)/versions/3.12.*`) or as python3.12 on PATH;
COURSE_PYTHON_3_12=/path/to/python picks one. A missing one fails the test: CI has them all.
Takes about 4 minutes on 2 idle cores (two installs of ~30 s, three gradings of ~45 s), up to twice that
when the other worker is busy.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SUPPORTED = ("3.11", "3.12", "3.13")
HERE = f"{sys.version_info.major}.{sys.version_info.minor}"
OTHERS = [version for version in SUPPORTED if version != HERE]
ASSIGNMENTS = sorted(p.name for p in (ROOT / "source").iterdir() if (p / f"{p.name}.ipynb").is_file())

pytestmark = pytest.mark.xdist_group("pythons")  # one worker: the installs and gradings run one after another


def version_of(python: str) -> str | None:
    try:
        proc = subprocess.run([python, "-c", "import sys; print('%d.%d' % sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return proc.stdout.strip() if proc.returncode == 0 else None


def pyenv_root() -> Path:
    if os.environ.get("PYENV_ROOT"):
        return Path(os.environ["PYENV_ROOT"])
    try:
        found = subprocess.run(["pyenv", "root"], capture_output=True, text=True, timeout=60).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        found = ""
    return Path(found or Path.home() / ".pyenv")


def find_python(version: str) -> str:
    """An interpreter of ``version`` (e.g. "3.12"), or the test fails saying which one is missing."""
    variable = f"COURSE_PYTHON_{version.replace('.', '_')}"
    candidates = [os.environ.get(variable, "")]
    candidates += sorted(glob.glob(str(pyenv_root() / "versions" / f"{version}.*" / "bin" / "python")),
                         key=lambda p: [int(n) if n.isdigit() else 0 for n in Path(p).parents[1].name.split(".")],
                         reverse=True)  # the newest patch release first
    candidates.append(shutil.which(f"python{version}") or "")
    for python in filter(None, candidates):
        if version_of(python) == version:
            return python
    pytest.fail(f"Python {version} is missing: the grader must be tested on it. Looked for ${variable}, "
                f"{pyenv_root()}/versions/{version}.*/bin/python and python{version} on PATH. Install it "
                f"(pyenv install {version}) or set {variable}=/path/to/python{version}.")


def clean_environment() -> dict[str, str]:
    """This process's environment without what would steer make, the venv or the grader elsewhere."""
    drop = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTHON", "VENV", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV",
            "COURSE_DB_URL", "PYTHONDONTWRITEBYTECODE"}
    return {name: value for name, value in os.environ.items() if name not in drop}


def run(argv: list[str], cwd: Path, timeout: float) -> subprocess.CompletedProcess:
    """Run in a session of its own; on timeout, kill the whole session (kernels included)."""
    with subprocess.Popen(argv, cwd=cwd, env=clean_environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as proc:
        try:
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, err = proc.communicate()
            pytest.fail(f"{' '.join(argv)} took more than {timeout:.0f} s:\n{out[-3000:]}\n{err[-3000:]}")
    return subprocess.CompletedProcess(argv, proc.returncode, out, err)


def install(python: str, venv: Path) -> tuple[float, int]:
    """`make grader` into ``venv``: (seconds, packages installed)."""
    start = time.perf_counter()
    proc = run(["make", "--no-print-directory", "-C", str(ROOT), "grader", f"PYTHON={python}", f"VENV={venv}"],
               ROOT, timeout=900)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, f"make grader with {python} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    listed = run([str(venv / "bin" / "python"), "-m", "pip", "list", "--format=freeze"], ROOT, timeout=120)
    return seconds, len(listed.stdout.split())


def sample_class_root(workdir: Path, name: str) -> Path:
    """A course root: the course's config and source/ (copied once, then each Python grades a copy of that:
    all of them grade the same notebooks; cy's mistakes come from the installed content package)."""
    root = workdir / name
    root.mkdir()
    shutil.copy2(ROOT / "nbgrader_config.py", root)
    ignore = shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__")
    shutil.copytree(ROOT / "source", root / "source", ignore=ignore)
    return root


def grade_sample_class(python: str, root: Path) -> tuple[float, dict, dict]:
    """`course demo` with ``python`` in ``root``: (seconds, grade of every test cell, cy's verdicts)."""
    from nbgrader.api import Gradebook

    from course.report import failed_verdicts

    start = time.perf_counter()
    proc = run([python, "-m", "course.cli", "demo"], root, timeout=900)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, f"course demo with {python} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-5000:]}"
    assert "docs/patches.md" not in proc.stderr, f"a patch is outside its tested range with {python}:\n{proc.stderr}"
    summary = proc.stdout.split("\nstudent ")[0]  # the release and grading lines, before the score table
    for assignment in ASSIGNMENTS:
        assert f"graded {assignment}: 3 of 3 sample students" in proc.stdout, f"with {python}:\n{summary}"
    demo = root / "build" / "demo"
    grades = {}
    assert (demo / "gradebook.db").is_file(), proc.stdout
    with Gradebook(f"sqlite:///{demo / 'gradebook.db'}") as gb:  # the demo's own, always SQLite
        for assignment in gb.assignments:
            for submission in assignment.submissions:
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        key = f"{assignment.name} {submission.student.id} {grade.name}"
                        grades[key] = (grade.score, grade.max_score)
    verdicts = {f"{assignment} cy {cell}": message for assignment in ASSIGNMENTS
                for cell, message in failed_verdicts(demo, "cy", assignment)}
    return seconds, grades, verdicts


def differences(mine: dict, theirs: dict, version: str) -> list[str]:
    return [f"{key}: {mine.get(key, 'nothing')} on Python {HERE}, {theirs.get(key, 'nothing')} on {version}"
            for key in sorted(set(mine) | set(theirs)) if mine.get(key) != theirs.get(key)]


@pytest.fixture
def workdir(tmp_path):
    """Venvs (~0.5 GB each) and course roots, removed whatever happens."""
    try:
        yield tmp_path
    finally:
        shutil.rmtree(tmp_path, ignore_errors=True)


def test_every_supported_python_installs_the_lock_and_gives_the_same_grades(workdir):
    assert HERE in SUPPORTED, f"the tests run on Python {HERE}, which the grader does not support"
    pythons = {version: find_python(version) for version in OTHERS}  # all of them before any work
    template = sample_class_root(workdir, "course")

    def course_root(version: str) -> Path:
        return Path(shutil.copytree(template, workdir / f"course-{version}", symlinks=True))

    took = {}
    seconds, grades, verdicts = grade_sample_class(sys.executable, course_root(HERE))
    took[HERE] = f"graded in {seconds:.0f} s"
    assert len(grades) > 3 * len(ASSIGNMENTS), grades
    assert {key.split()[1] for key in grades} == {"ada", "ben", "cy"}
    assert any(score < top for score, top in grades.values()) and any(score == top > 0 for score, top in grades.values())
    assert len(verdicts) >= len(ASSIGNMENTS), verdicts  # cy loses points in every assignment

    for version, python in pythons.items():
        venv = workdir / f"venv-{version}"
        install_seconds, packages = install(python, venv)
        check = run([str(venv / "bin" / "python"), str(ROOT / "deploy" / "lock.py"), "--check"], ROOT, timeout=120)
        assert check.returncode == 0, f"Python {version} did not get the locked versions:\n{check.stdout}{check.stderr}"
        seconds, their_grades, their_verdicts = grade_sample_class(str(venv / "bin" / "python"), course_root(version))
        took[version] = f"installed in {install_seconds:.0f} s ({packages} packages), graded in {seconds:.0f} s"
        print(f"Python {version}: {took[version]}")
        wrong = differences(grades, their_grades, version)
        assert not wrong, f"Python {version} grades otherwise than {HERE}:\n" + "\n".join(wrong)
        wrong = differences(verdicts, their_verdicts, version)
        assert not wrong, f"Python {version} tells cy otherwise than {HERE}:\n" + "\n".join(wrong)
        shutil.rmtree(venv, ignore_errors=True)  # half a gigabyte: not kept until the end
    print("; ".join(f"Python {version}: {what}" for version, what in took.items()))
