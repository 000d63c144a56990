"""`course collect`: LMS downloads into submitted/, every file accounted for, nothing guessed."""

from __future__ import annotations

import datetime as dt
import os
import struct
import zipfile
from pathlib import Path

import pytest
from nbgrader.coursedir import CourseDirectory

from course.cli import main
from course.collect import Roster, collect, identify

from .grading import Course

A = "01_one_variable"
NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
UTC = dt.timezone.utc
T1, T2 = 1_900_000_000, 2_000_000_000  # 2030-03-17, 2033-05-18


def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email,lms_id\n"
                    "ada,Ada Lovelace,ada@uni.example,1001\n"
                    "bgr,Ben Grant,bgrant@uni.example,1002\n"
                    "cyz,\"Young, Cy\",cy@uni.example,1003\n"
                    "dk,Dee King,dk@uni.example,\n")
    return path


def write(folder: Path, rel: str, data: bytes = NB, mtime: float | None = None) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime:
        os.utime(path, (mtime, mtime))
    return path


def submitted(root: Path, student: str) -> Path:
    return root / "submitted" / student / A / f"{A}.ipynb"


def timestamp(root: Path, student: str) -> dt.datetime:
    """The time nbgrader itself reads back from timestamp.txt (naive, in UTC), made aware."""
    stamp = CourseDirectory(root=str(root)).get_existing_timestamp(str(root / "submitted" / student / A))
    return stamp.replace(tzinfo=UTC)


def test_a_folder_with_canvas_moodle_and_plain_names_and_a_roster(tmp_path):
    download, course = tmp_path / "download", tmp_path / "course"
    write(download, "lovelaceada_1001_555_01_one_variable.ipynb", b"ada", mtime=T1)   # Canvas: LMS id
    write(download, "grantben_late_9876_556_homework.ipynb", b"ben")                  # Canvas: login = name
    write(download, "Cy Young_1003_assignsubmission_file_/my work.ipynb", b"cy")      # Moodle folder
    write(download, "dk/anything.ipynb", b"dk")                                       # plain <id>/<file>
    write(download, "stranger_9999_1_x.ipynb")                                        # nobody on the roster
    write(download, "notes.txt", b"hi")
    write(download, ".ipynb_checkpoints/dk-checkpoint.ipynb")
    report = collect(course, A, download, roster(tmp_path))
    assert report.students == {"ada": "lovelaceada_1001_555_01_one_variable.ipynb",
                               "bgr": "grantben_late_9876_556_homework.ipynb",
                               "cyz": "Cy Young_1003_assignsubmission_file_/my work.ipynb",
                               "dk": "dk/anything.ipynb"}
    contents = {"ada": b"ada", "bgr": b"ben", "cyz": b"cy", "dk": b"dk"}
    assert {sid: submitted(course, sid).read_bytes() for sid in report.students} == contents
    assert timestamp(course, "ada") == dt.datetime.fromtimestamp(T1, UTC)  # nbgrader's format, in UTC
    assert [str(n) for n in report.unmatched] == [
        "stranger_9999_1_x.ipynb: Canvas name: neither user 9999 nor login 'stranger' is on the roster"]
    assert [n.path for n in report.skipped] == ["notes.txt", "1 file(s)"]
    assert not report.ok
    text = report.render(A)
    assert "collected 4 notebook(s)" in text and "1 not collected" in text and "NOT MATCHED" in text
    assert "late per Canvas" in text  # the tag is kept, and with no due date the instructor is told what to do
    assert f"Canvas tagged 1 submission(s) late (bgr), but {A} has no due date here" in text


def test_a_canvas_late_tag_that_the_due_date_contradicts_is_named():
    from course.collect import Collected, lateness_remarks

    at = lambda day: dt.datetime(2026, 1, day, 12, tzinfo=UTC)  # noqa: E731
    collected = [Collected("ada", "x", at(9), "Canvas", late_in_lms=True),
                 Collected("ben", "y", at(12), "Canvas", late_in_lms=True),
                 Collected("cy", "z", at(12), "Canvas")]
    due = dt.datetime(2026, 1, 10, 23, 59)
    assert lateness_remarks(collected, A, due) == [
        "Canvas tagged ada late, but handed in before the due date here (2026-01-10 23:59 UTC), so not flagged "
        f"late: if Canvas's due date or an extension differs, set it with `course release {A} --due`"]
    assert lateness_remarks(collected[1:], A, due) == []  # Canvas and the due date agree
    assert lateness_remarks(collected[2:], A, None) == []  # nothing tagged


def test_without_a_roster_only_ids_found_in_names_are_taken(tmp_path):
    download = tmp_path / "download"
    write(download, "lovelaceada_1001_555_nb.ipynb")                          # Canvas login is the id
    write(download, "s123.ipynb")                                            # plain <id>.ipynb
    write(download, "s456/01_one_variable/01_one_variable.ipynb")            # nbgrader's own layout
    write(download, "Ben Grant_1002_assignsubmission_file_/homework.ipynb")  # a full name is no id
    write(download, "01_one_variable.ipynb")                                 # whose?
    write(download, "a/b/c.ipynb")                                           # which folder is the student?
    report = collect(tmp_path / "course", A, download)
    assert set(report.students) == {"lovelaceada", "s123", "s456"}
    reasons = {n.path: n.reason for n in report.unmatched}
    assert "give a --roster" in reasons["Ben Grant_1002_assignsubmission_file_/homework.ipynb"]
    assert "named after the assignment" in reasons["01_one_variable.ipynb"]
    assert "nested folders" in reasons["a/b/c.ipynb"]


def test_the_roster_matches_names_emails_and_refuses_ambiguity(tmp_path):
    people = Roster(roster(tmp_path))
    assert identify("Ada Lovelace.ipynb", people, A) == ("ada", "'Ada Lovelace' on the roster")
    assert identify("youngcy_4242_1_nb.ipynb", people, A)[0] == "cyz"  # "Young, Cy" -> Canvas login
    assert identify("submissions/bgrant@uni.example/nb.ipynb", people, A)[0] == "bgr"
    assert identify("ada/bgr.ipynb", people, A)[0] is None  # two students named: never guess
    twins = tmp_path / "twins.csv"
    twins.write_text("id,name\nj1,Jo Lee\nj2,Jo Lee\n")
    assert identify("Jo Lee_77_assignsubmission_file_/x.ipynb", Roster(twins), A)[0] is None
    bad = tmp_path / "bad.csv"
    bad.write_text("id,name\n../../etc,Evil\n")
    with pytest.raises(ValueError, match="cannot be a student id"):
        Roster(bad)
    (tmp_path / "noid.csv").write_text("name\nAda\n")
    with pytest.raises(ValueError, match="'id' column"):
        Roster(tmp_path / "noid.csv")


def zip_entry(name: str, when: tuple, mtime: int | None = None) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, when)
    if mtime is not None:  # the extended-timestamp field Info-ZIP writes (UTC)
        info.extra = struct.pack("<HHBi", 0x5455, 5, 1, mtime)
    return info


def test_a_zip_with_a_wrapping_folder_a_duplicate_and_unsafe_entries(tmp_path):
    archive = tmp_path / "submissions (3).zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zip_entry("subs/ada/old.ipynb", (2026, 1, 1, 10, 0, 0), T1), b"old")
        zf.writestr(zip_entry("subs/ada/new.ipynb", (2026, 1, 2, 10, 0, 0), T2), b"new")
        zf.writestr(zip_entry("subs/ben.ipynb", (2026, 1, 2, 10, 0, 0)), b"ben")
        zf.writestr("__MACOSX/subs/._ben.ipynb", b"junk")
        zf.writestr("../../evil.ipynb", NB)
        zf.writestr("/abs/evil.ipynb", NB)
        zf.writestr("subs\\..\\..\\evil2.ipynb", NB)
        link = zipfile.ZipInfo("subs/cy.ipynb")
        link.external_attr = 0o120777 << 16
        zf.writestr(link, "/etc/passwd")
    course = tmp_path / "course"
    report = collect(course, A, archive)
    assert report.students == {"ada": "ada/new.ipynb", "ben": "ben.ipynb"}
    assert submitted(course, "ada").read_bytes() == b"new"
    assert timestamp(course, "ada") == dt.datetime.fromtimestamp(T2, UTC)
    local = dt.datetime(2026, 1, 2, 10, 0, 0).astimezone(UTC)  # DOS time: this machine's local time
    assert timestamp(course, "ben") == local
    assert any(n.path == "ada/old.ipynb" and "kept the newer ada/new.ipynb" in n.reason for n in report.skipped)
    assert "every file is inside subs/" in report.remarks[0]
    refused = {n.path: n.reason for n in report.refused}
    assert set(refused) == {"../../evil.ipynb", "/abs/evil.ipynb", "subs\\..\\..\\evil2.ipynb", "subs/cy.ipynb"}
    assert "symbolic link" in refused["subs/cy.ipynb"]
    assert not (tmp_path / "evil.ipynb").exists() and not Path("/abs").exists()
    assert sorted(p.name for p in (course / "submitted").iterdir()) == ["ada", "ben"]
    assert not report.ok


def test_a_newer_submission_is_not_overwritten_without_force(tmp_path):
    course = tmp_path / "course"
    write(tmp_path / "late", "ada.ipynb", b"late", mtime=T2)
    write(tmp_path / "early", "ada.ipynb", b"early", mtime=T1)
    assert collect(course, A, tmp_path / "late").ok
    assert collect(course, A, tmp_path / "late").ok  # the same download again: fine
    report = collect(course, A, tmp_path / "early")
    assert "already has a newer submission" in report.refused[0].reason and not report.ok
    assert submitted(course, "ada").read_bytes() == b"late"
    assert collect(course, A, tmp_path / "early", force=True).ok
    assert submitted(course, "ada").read_bytes() == b"early"
    assert timestamp(course, "ada") == dt.datetime.fromtimestamp(T1, UTC)


def test_symlinks_out_of_the_download_are_not_followed(tmp_path):
    secret = write(tmp_path / "outside", "ada.ipynb", b"secret")
    download = tmp_path / "download"
    download.mkdir()
    (download / "ada.ipynb").symlink_to(secret)
    (download / "ben").symlink_to(tmp_path / "outside", target_is_directory=True)
    report = collect(tmp_path / "course", A, download)
    assert report.collected == [] and not (tmp_path / "course" / "submitted").exists()
    assert {n.path for n in report.refused} == {"ada.ipynb", "ben/"}
    assert all("symbolic link" in n.reason for n in report.refused)


@pytest.fixture
def course(tmp_path, monkeypatch):
    course = Course(tmp_path / "course")
    monkeypatch.chdir(course.root)
    return course


def test_the_cli_exit_codes(tmp_path, course, capsys):
    download = tmp_path / "download"
    write(download, "ada.ipynb")
    write(download, "someone else.ipynb")
    assert main(["collect", A, str(download)]) == 1  # "someone else" is no student id
    out = capsys.readouterr().out
    assert "someone else.ipynb: 'someone else' is not a student id" in out and "ada" in out
    (download / "someone else.ipynb").unlink()
    write(download, "README.md", b"#")
    assert main(["collect", A, str(download)]) == 0  # skipping a non-notebook is no failure
    assert "README.md: not a notebook" in capsys.readouterr().out
    assert submitted(course.root, "ada").read_bytes() == NB
    assert main(["collect", A, str(download), "--roster", str(roster(tmp_path))]) == 0
    assert main(["collect", A, str(tmp_path / "nothing.zip")]) == 2
    assert "not a folder or a zip" in capsys.readouterr().err
    assert main(["collect", "99_nothing", str(download)]) == 2
    (tmp_path / "noid.csv").write_text("name\n")
    assert main(["collect", A, str(download), "--roster", str(tmp_path / "noid.csv")]) == 2
    assert main(["collect", A, str(download), "--roster", str(tmp_path / "absent.csv")]) == 2
    assert "cannot read the roster" in capsys.readouterr().err
    assert main(["collect", A]) == 2
