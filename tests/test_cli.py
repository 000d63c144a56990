"""The `course` command line, as the README's first command uses it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .grading import ROOT


def run_course(cwd, *args):
    return subprocess.run([sys.executable, "-m", "course.cli", *args], cwd=cwd, capture_output=True, text=True)


def test_outside_a_course_says_where_to_run(tmp_path):
    proc = run_course(tmp_path, "scores")
    assert proc.returncode == 1
    assert "nbgrader_config.py" in proc.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run_course(tmp_path, "no-such-command").returncode == 2
    assert run_course(tmp_path).returncode == 2
    assert run_course(tmp_path, "--help").returncode == 0


def test_scores_before_grading_explains(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    (tmp_path / "source").mkdir()
    proc = run_course(tmp_path, "scores")
    assert proc.returncode == 1 and "grade something first" in proc.stderr


def test_release_rejects_unknown_assignment(tmp_path):
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    proc = run_course(tmp_path, "release", "99_nothing")
    assert proc.returncode == 1 and "unknown assignment" in proc.stderr


@pytest.mark.xdist_group("demo")
def test_demo_grades_the_sample_class_in_its_own_root_and_leaves_the_course_alone(tmp_path):
    for name in ("nbgrader_config.py",):
        shutil.copy(ROOT / name, tmp_path)
    shutil.copytree(ROOT / "source", tmp_path / "source")
    # the course already has a class: a damaged submission and a gradebook that must not change
    damaged = tmp_path / "submitted" / "zz-damaged" / "01_one_variable" / "01_one_variable.ipynb"
    damaged.parent.mkdir(parents=True)
    damaged.write_text("{ not a notebook")
    (tmp_path / "gradebook.db").write_bytes(b"the instructor's gradebook")
    before = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}

    proc = run_course(tmp_path, "demo")
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-4000:]
    lines = {line.split()[0]: line for line in proc.stdout.splitlines() if line[:3] in ("ada", "ben", "cy ")}
    assert set(lines) == {"ada", "ben", "cy"}
    totals = {s: line.split()[-3:] for s, line in lines.items()}  # "<score>", "/", "<max>"
    assert float(totals["ada"][0]) == float(totals["ada"][2]) > 0
    assert float(totals["ben"][0]) == 0
    assert 0 < float(totals["cy"][0]) < float(totals["cy"][2])
    assert "zz-damaged" not in proc.stdout

    after = {p.relative_to(tmp_path): p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()
             and "build" not in p.relative_to(tmp_path).parts and "__pycache__" not in p.parts}
    assert after == before, "the demo changed the course: " + ", ".join(
        str(p) for p in set(after) ^ set(before) or [p for p in after if after[p] != before.get(p)])
    demo = tmp_path / "build" / "demo"
    assert (demo / "gradebook.db").is_file() and (demo / "submitted" / "cy").is_dir()
    for assignment in (ROOT / "release").iterdir():
        generated = demo / "release" / assignment.name / f"{assignment.name}.ipynb"
        assert generated.read_text() == (assignment / f"{assignment.name}.ipynb").read_text()

    again = run_course(tmp_path, "demo")  # a second run starts afresh
    assert again.returncode == 0 and lines["cy"] in again.stdout


def test_scores_align_any_id_and_stop_quietly_on_a_closed_pipe(tmp_path, monkeypatch):
    import os

    from nbgrader.api import Gradebook, Student

    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))  # alembic

    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    (tmp_path / "source" / "a_rather_long_assignment_identifier").mkdir(parents=True)
    (tmp_path / "source" / "a_rather_long_assignment_identifier" / "a_rather_long_assignment_identifier.ipynb").touch()
    ids = ["al", "a.very.long.student.identifier@example.org"] + [f"s{i:05d}" for i in range(1500)]
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.add_assignment("a_rather_long_assignment_identifier")
        gb.db.add_all([Student(id=i) for i in ids])
        gb.db.commit()
    proc = run_course(tmp_path, "scores")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert len({len(line) for line in lines if line and not line.startswith("-")}) == 1  # every row as wide
    long_id = next(line for line in lines if line.startswith("a.very"))
    column = "a_rather_long_assignment_identifier"
    assert long_id.index("—") == lines[0].index(column) + len(column) - 1  # under its header, right-aligned

    with subprocess.Popen([sys.executable, "-m", "course.cli", "scores"], cwd=tmp_path, stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE, text=True) as reader:
        reader.stdout.readline()
        reader.stdout.close()  # as `| head -1` does
        err = reader.stderr.read()
        assert reader.wait() == 0 and "BrokenPipe" not in err and "Traceback" not in err, err


def test_score_rows_read_the_gradebook(tmp_path, monkeypatch):
    """The library under `course scores`: one row per student, "—" where nothing was handed in."""
    import os

    from nbgrader.api import Gradebook

    from course.scores import NoGradebook, score_rows

    monkeypatch.setenv("PATH", os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]]))  # alembic
    shutil.copy(ROOT / "nbgrader_config.py", tmp_path)
    with pytest.raises(NoGradebook, match="grade something first"):
        score_rows(tmp_path, ["a1"])
    with Gradebook(f"sqlite:///{tmp_path / 'gradebook.db'}") as gb:
        gb.add_assignment("a1")
        gb.add_assignment("a2")
        for student in ("bo", "al"):
            gb.add_student(student)
        gb.add_submission("a1", "al")
    assert score_rows(tmp_path, ["a1", "a2"]) == [["al", "0.0 / 0", "—", "0.0 / 0"], ["bo", "—", "—", "0.0 / 0"]]
