"""`course collect`: LMS downloads into submitted/, with every unmatched file reported."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import pytest

from autograder.collect import collect
from course.cli import main

A = "01_one_variable"
NB = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'


def roster(tmp_path) -> Path:
    path = tmp_path / "roster.csv"
    path.write_text("id,name,email,lms_id\nada,Ada Lovelace,ada@uni.example,1001\n"
                    "bgr,Ben Grant,bgrant@uni.example,1002\ncyz,Cy Young,cy@uni.example,1003\n")
    return path


def write(folder: Path, rel: str, data: bytes = NB, mtime: float | None = None) -> Path:
    path = folder / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    if mtime:
        os.utime(path, (mtime, mtime))
    return path


def test_canvas_moodle_and_plain_names_with_a_roster(tmp_path):
    download = tmp_path / "download"
    write(download, "lovelaceada_1001_555_01_one_variable.ipynb")            # Canvas, matched by LMS id
    write(download, "Ben Grant_1002_assignsubmission_file_/homework.ipynb")  # Moodle folder
    write(download, "cyz.ipynb")                                            # plain id
    write(download, "stranger_9999_1_x.ipynb")                              # nobody on the roster
    write(download, "notes.txt", b"hi")
    report = collect(tmp_path / "course", A, download, roster(tmp_path))
    assert set(report.collected) == {"ada", "bgr", "cyz"}
    assert report.unmatched == ["stranger_9999_1_x.ipynb"]
    assert any("notes.txt: not a notebook" in s for s in report.skipped)
    for sid in ("ada", "bgr", "cyz"):
        folder = tmp_path / "course" / "submitted" / sid / A
        assert (folder / f"{A}.ipynb").read_bytes() == NB
        assert (folder / "timestamp.txt").read_text().endswith(" UTC")
    assert not report.ok


def test_without_a_roster_only_id_shaped_names_are_taken(tmp_path):
    download = tmp_path / "download"
    write(download, "s123/anything.ipynb")
    write(download, "Ben Grant_1002_assignsubmission_file_/homework.ipynb")
    report = collect(tmp_path / "course", A, download)
    assert set(report.collected) == {"s123"}
    assert report.unmatched == ["Ben Grant_1002_assignsubmission_file_/homework.ipynb"]


def test_a_zip_with_a_duplicate_and_a_zip_slip_entry(tmp_path):
    archive = tmp_path / "download.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr(zipfile.ZipInfo("ada/old.ipynb", (2026, 1, 1, 10, 0, 0)), NB)
        zf.writestr(zipfile.ZipInfo("ada/new.ipynb", (2026, 1, 2, 10, 0, 0)), NB.replace(b"[]", b"[ ]"))
        zf.writestr("../../etc/evil.ipynb", NB)
        zf.writestr("/abs/evil.ipynb", NB)
    report = collect(tmp_path / "course", A, archive)
    assert report.collected == {"ada": "ada/new.ipynb"}
    assert any("kept the newer ada/new.ipynb" in s for s in report.skipped)
    assert len(report.refused) == 2 and all("unsafe path" in r for r in report.refused)
    assert not (tmp_path / "etc").exists() and not Path("/abs").exists()
    assert b"[ ]" in (tmp_path / "course" / "submitted" / "ada" / A / f"{A}.ipynb").read_bytes()


def test_a_newer_submission_is_not_overwritten_without_force(tmp_path):
    course = tmp_path / "course"
    write(tmp_path / "late", "ada.ipynb", NB, mtime=2_000_000_000)
    write(tmp_path / "early", "ada.ipynb", NB.replace(b"[]", b"[ ]"), mtime=1_900_000_000)
    assert collect(course, A, tmp_path / "late").ok
    report = collect(course, A, tmp_path / "early")
    assert report.refused and "already has a newer submission" in report.refused[0]
    assert collect(course, A, tmp_path / "early", force=True).ok


def test_symlinks_out_of_the_download_are_not_followed(tmp_path):
    secret = write(tmp_path, "secret.ipynb")
    download = tmp_path / "download"
    download.mkdir()
    (download / "ada.ipynb").symlink_to(secret)
    report = collect(tmp_path / "course", A, download)
    assert report.collected == {} and any("symbolic link" in s for s in report.skipped)


def test_the_cli_exit_codes(tmp_path, monkeypatch):
    root = Path(__file__).resolve().parents[1]
    monkeypatch.chdir(root)
    download = tmp_path / "download"
    write(download, "someone else.ipynb")
    target = tmp_path / "course"
    target.mkdir()
    (target / "nbgrader_config.py").write_text("")
    (target / "source" / A).mkdir(parents=True)
    (target / "source" / A / f"{A}.ipynb").write_bytes(NB)
    monkeypatch.chdir(target)
    assert main(["collect", A, str(download)]) == 1  # "someone else" is no student id
    write(download, "ada.ipynb")
    (download / "someone else.ipynb").unlink()
    assert main(["collect", A, str(download)]) == 0
    assert main(["collect", "99_nothing", str(download)]) == 1
    assert main(["collect"]) == 2
