"""`course collect`: an LMS download (folder or zip) into nbgrader's ``submitted/`` layout.

Each notebook found is matched to a student id from its name, the way Canvas and Moodle
name their downloads, or a plain ``<id>.ipynb`` / ``<id>/<anything>.ipynb``; a roster
(CSV with ``id`` and optionally ``name``, ``email``, ``lms_id``) maps names and LMS
numbers to ids. Nothing is guessed silently: a file that matches no student is reported
and left out. It is written to ``submitted/<id>/<assignment>/<assignment>.ipynb`` with
nbgrader's ``timestamp.txt`` (the file's time in the download).
"""

from __future__ import annotations

import csv
import datetime as dt
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

STUDENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
CANVAS = re.compile(r"^(?P<login>[A-Za-z0-9]+)_(?:late_)?(?P<lms>\d+)_\d+_.+\.ipynb$", re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<lms>\d+)_assignsubmission_file_?$")
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f UTC"


@dataclass
class Entry:
    """One notebook in the download."""

    path: str  # as shown to the instructor
    modified: dt.datetime
    read: object  # () -> bytes


@dataclass
class CollectReport:
    collected: dict[str, str] = field(default_factory=dict)  # student -> source path
    unmatched: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # with the reason
    refused: list[str] = field(default_factory=list)  # unsafe entries, newer submissions kept

    @property
    def ok(self) -> bool:
        return not self.unmatched and not self.refused


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


class Roster:
    """Student ids, and what else identifies them (names, emails, LMS numbers)."""

    def __init__(self, path: Path | None = None):
        self.ids: set[str] = set()
        self.aliases: dict[str, str] = {}
        if path is None:
            return
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            if not reader.fieldnames or "id" not in reader.fieldnames:
                raise ValueError(f"{path}: the roster needs an 'id' column (and may have name, email, lms_id)")
            for row in reader:
                sid = (row.get("id") or "").strip()
                if not sid:
                    continue
                self.ids.add(sid)
                name = (row.get("name") or "").strip()
                if name:
                    parts = name.split()
                    self.aliases[normalise(name)] = sid
                    if len(parts) > 1:  # Canvas writes lastnamefirstname
                        self.aliases[normalise(parts[-1] + "".join(parts[:-1]))] = sid
                email = (row.get("email") or "").strip()
                if email:
                    self.aliases[normalise(email.split("@")[0])] = sid
                lms = (row.get("lms_id") or "").strip()
                if lms:
                    self.aliases[f"lms:{lms}"] = sid

    def lookup(self, *candidates: str) -> str | None:
        for candidate in candidates:
            if not candidate:
                continue
            if not self.ids:  # no roster: an id-shaped name is the id
                if not candidate.startswith("lms:") and STUDENT_ID.match(candidate):
                    return candidate
                continue
            if candidate in self.ids:
                return candidate
            hit = self.aliases.get(candidate if candidate.startswith("lms:") else normalise(candidate))
            if hit:
                return hit
        return None


def student_of(path: str, roster: Roster) -> str | None:
    """The student a notebook belongs to, from its path in the download; None if unsure."""
    parts = PurePosixPath(path).parts
    name = parts[-1]
    m = CANVAS.match(name)
    if m:
        return roster.lookup(f"lms:{m['lms']}", m["login"])
    for folder in parts[:-1][::-1]:
        m = MOODLE.match(folder)
        if m:
            return roster.lookup(f"lms:{m['lms']}", m["name"])
    if len(parts) == 1:
        return roster.lookup(PurePosixPath(name).stem)
    return roster.lookup(parts[-2])


def entries(source: Path, report: CollectReport) -> list[Entry]:
    """The notebooks of a download folder or zip; unsafe or irrelevant entries are reported."""
    found = []
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            for info in zf.infolist():
                name = info.filename
                if info.is_dir():
                    continue
                pure = PurePosixPath(name)
                if name.startswith(("/", "\\")) or ".." in pure.parts or re.match(r"^[A-Za-z]:", name):
                    report.refused.append(f"{name}: unsafe path in the zip (absolute or with ..)")
                    continue
                if (info.external_attr >> 16) & 0o170000 == 0o120000:
                    report.skipped.append(f"{name}: a symbolic link")
                    continue
                if _ignored(pure, report):
                    continue
                stamp = dt.datetime(*info.date_time)
                found.append(Entry(name, stamp, lambda n=name: zipfile.ZipFile(source).read(n)))
    elif source.is_dir():
        for folder, dirs, files in os.walk(source, followlinks=False):
            for file in sorted(files):
                path = Path(folder) / file
                rel = PurePosixPath(path.relative_to(source).as_posix())
                if path.is_symlink():
                    report.skipped.append(f"{rel}: a symbolic link")
                    continue
                if _ignored(rel, report):
                    continue
                stamp = dt.datetime.fromtimestamp(path.stat().st_mtime)
                found.append(Entry(str(rel), stamp, path.read_bytes))
    else:
        raise ValueError(f"{source}: not a folder or a zip file")
    return found


def _ignored(path: PurePosixPath, report: CollectReport) -> bool:
    if any(part in ("__MACOSX", ".ipynb_checkpoints") or part.startswith(".") for part in path.parts):
        return True
    if path.suffix != ".ipynb":
        report.skipped.append(f"{path}: not a notebook")
        return True
    return False


def collect(root: Path, assignment: str, source: Path, roster: Path | None = None,
            force: bool = False) -> CollectReport:
    """Copy every matched notebook of ``source`` into ``root/submitted``; report the rest."""
    report = CollectReport()
    people = Roster(roster)
    chosen: dict[str, Entry] = {}
    for entry in entries(Path(source), report):
        student = student_of(entry.path, people)
        if student is None:
            report.unmatched.append(entry.path)
            continue
        if student in chosen:
            older, newer = sorted([chosen[student], entry], key=lambda e: e.modified)
            report.skipped.append(f"{older.path}: {student} handed in more than one notebook; kept the newer "
                                  f"{newer.path}")
            chosen[student] = newer
        else:
            chosen[student] = entry
    for student, entry in sorted(chosen.items()):
        folder = Path(root) / "submitted" / student / assignment
        stamp_file = folder / "timestamp.txt"
        if stamp_file.is_file() and not force:
            try:
                existing = dt.datetime.strptime(stamp_file.read_text().strip(), TIMESTAMP_FORMAT)
            except ValueError:
                existing = None
            if existing and existing > entry.modified:
                report.refused.append(f"{entry.path}: {student} already has a newer submission "
                                      f"({existing:%Y-%m-%d %H:%M}); use --force to replace it")
                continue
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{assignment}.ipynb"
        tmp = target.with_suffix(".ipynb.tmp")
        tmp.write_bytes(entry.read())
        tmp.replace(target)
        stamp_file.write_text(entry.modified.strftime(TIMESTAMP_FORMAT))
        report.collected[student] = entry.path
    return report
