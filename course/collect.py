"""`course collect`: an LMS download (a folder or a .zip) into nbgrader's ``submitted/`` layout.

Every notebook found is matched to a student id from its path, the way LMSs name their
downloads:

- Canvas: ``lovelaceada_12345_67890_01_one_variable.ipynb`` (login, Canvas user id,
  submission id, the file's name; ``late_`` may follow the login);
- Moodle: ``Ada Lovelace_12345_assignsubmission_file_/anything.ipynb`` (a folder per
  participant; also the same prefix on the file name itself);
- plain: ``<id>.ipynb`` or ``<id>/<anything>.ipynb`` (folders named after the assignment
  are looked through, so ``<id>/<assignment>/<assignment>.ipynb`` works too).

A roster (CSV: ``id`` and optionally ``name``, ``email``, ``lms_id``) maps LMS numbers,
names and e-mail logins to ids, and then only its ids are accepted. Without one, an
id-shaped name is the id (a Canvas login; a Moodle folder gives only a full name, so it
needs a roster). Nothing is guessed: a notebook that matches no student, or more than one,
is reported and left out. Each match is written to
``submitted/<id>/<assignment>/<assignment>.ipynb`` with nbgrader's ``timestamp.txt``
(the time of the file in the download, in UTC), unless the submission already there is
newer. Zip entries with absolute paths or ``..``, and symbolic links, are refused.

The matching (:func:`identify`) is pure; :func:`collect` reads the download and writes.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Callable, Iterator

#: What a student id may look like: it becomes a folder name under submitted/.
SAFE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@+-]*$")
#: Without a roster, a name is taken as an id only if it looks like one (no spaces).
ID_SHAPED = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
CANVAS = re.compile(r"^(?P<login>[A-Za-z0-9]+)_(?P<late>late_)?(?P<lms>\d+)_(?P<submission>\d+)_(?P<rest>.+)$",
                    re.IGNORECASE)
MOODLE = re.compile(r"^(?P<name>.+?)_(?P<lms>\d+)_assignsubmission_(?:file|onlinetext)(?:_(?P<rest>.*))?$")
#: nbgrader's format for timestamp.txt (read back by nbgrader.utils.parse_utc).
TIMESTAMP_FORMAT = "%Y-%m-%d %H:%M:%S.%f %Z"
MAX_NOTEBOOK_BYTES = 100 * 2**20
METADATA = ("__MACOSX", ".ipynb_checkpoints", ".DS_Store")


@dataclass
class Entry:
    """One file of the download.

    Attributes
    ----------
    path : str
        Its path inside the download, with ``/`` separators, as shown to the instructor.
    modified : datetime.datetime
        Its modification time (timezone-aware, UTC).
    read : callable
        Returns its bytes.
    """

    path: str
    modified: dt.datetime
    read: Callable[[], bytes]


@dataclass
class Note:
    """A file that was not collected, or a remark about one, with the reason."""

    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


@dataclass
class Collected:
    """A notebook copied into ``submitted/``."""

    student: str
    path: str
    modified: dt.datetime
    how: str  # which rule matched, for the instructor
    late_in_lms: bool = False  # the LMS tagged it late (Canvas's ``_late_``)

    def __str__(self) -> str:
        late = "; late per Canvas" if self.late_in_lms else ""
        return f"{self.student:<14} <- {self.path}  ({self.how}; {self.modified:%Y-%m-%d %H:%M} UTC{late})"


@dataclass
class CollectReport:
    """What :func:`collect` did with every file of the download.

    Attributes
    ----------
    collected : list of Collected
        Notebooks written to ``submitted/`` (or already there, identical).
    unmatched : list of Note
        Notebooks that matched no student, or several.
    refused : list of Note
        Unsafe entries (zip slip, symbolic links, too large) and notebooks not written
        because the submission already in ``submitted/`` is newer.
    skipped : list of Note
        Files that are not notebooks, and older duplicates of a collected notebook.
    remarks : list of str
        How the download was read (e.g. a wrapping folder that was looked through).
    """

    collected: list[Collected] = field(default_factory=list)
    unmatched: list[Note] = field(default_factory=list)
    refused: list[Note] = field(default_factory=list)
    skipped: list[Note] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True if every notebook of the download was collected (exit status 0)."""
        return not self.unmatched and not self.refused

    @property
    def students(self) -> dict[str, str]:
        """Collected student id -> the path in the download."""
        return {c.student: c.path for c in self.collected}

    def render(self, assignment: str) -> str:
        """The report the command prints: counts first, then every file by what happened."""
        lost = len(self.unmatched) + len(self.refused)
        lines = [f"{assignment}: collected {len(self.collected)} notebook(s) into submitted/"
                 + (f"; {lost} not collected (listed below)" if lost else "")]
        lines += [f"note: {r}" for r in self.remarks]
        for title, items in (("collected", self.collected),
                             ("NOT MATCHED to a student (rename the file, or add the student to --roster)",
                              self.unmatched),
                             ("REFUSED", self.refused),
                             ("skipped", self.skipped)):
            if items:
                lines.append(f"{title}:")
                lines += [f"  {item}" for item in items]
        return "\n".join(lines)


def normalise(text: str) -> str:
    """Lower-case ASCII letters and digits only: ``"Ada Lovelace"`` -> ``"adalovelace"``."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", text.lower())


class Roster:
    """Student ids and what else identifies them (LMS numbers, names, e-mail logins).

    Parameters
    ----------
    path : pathlib.Path or None
        A CSV file with an ``id`` column and optionally ``name`` (or nbgrader's ``first_name``
        and ``last_name``), ``email`` and ``lms_id`` (or nbgrader's ``lms_user_id``): the
        course's roster format and nbgrader's student-import format are both read.
        None: no roster, any id-shaped name is an id.

    Raises
    ------
    ValueError
        If the file cannot be read, has no ``id`` column or an id is not usable as a folder name.
    """

    def __init__(self, path: Path | None = None):
        self.ids: set[str] = set()
        self.people: dict[str, dict[str, str]] = {}  # id -> first_name, last_name, email, lms_user_id
        self.lms: dict[str, str] = {}
        self.aliases: dict[str, str | None] = {}  # None: two students share it, so it identifies nobody
        self.given = path is not None
        if path is None:
            return
        try:
            f = open(path, newline="", encoding="utf-8-sig")
        except OSError as exc:
            raise ValueError(f"{path}: cannot read the roster ({exc.strerror})") from None
        with f:
            reader = csv.DictReader(f)
            fields = [(name or "").strip().lower() for name in reader.fieldnames or []]
            if "id" not in fields:
                raise ValueError(f"{path}: the roster needs an 'id' column (and may have name, email, lms_id)")
            reader.fieldnames = fields
            for line, row in enumerate(reader, start=2):
                sid = (row.get("id") or "").strip()
                if not sid:
                    continue
                if not SAFE_ID.match(sid):
                    raise ValueError(f"{path}, line {line}: {sid!r} cannot be a student id (letters, digits "
                                     "and _ . @ + - only; it becomes a folder name)")
                self.ids.add(sid)
                self._alias(sid, sid)
                name = (row.get("name") or "").strip()
                first, last = (row.get("first_name") or "").strip(), (row.get("last_name") or "").strip()
                if "," in name:  # "Lovelace, Ada"
                    last, first = (part.strip() for part in name.split(",", 1))
                elif name and not (first or last):
                    *given, last = name.split()
                    first = " ".join(given)
                name = " ".join(part for part in (first, last) if part)
                if name:
                    parts = name.split()
                    self._alias(name, sid)
                    if len(parts) > 1:  # Canvas logins are lastnamefirstname
                        self._alias(parts[-1] + "".join(parts[:-1]), sid)
                email = (row.get("email") or "").strip()
                if email:
                    self._alias(email, sid)
                    self._alias(email.split("@")[0], sid)
                lms = (row.get("lms_id") or row.get("lms_user_id") or "").strip()
                if lms:
                    self.lms[lms] = sid if self.lms.get(lms, sid) == sid else ""
                self.people[sid] = {"first_name": first, "last_name": last, "email": email, "lms_user_id": lms}

    def save_to_gradebook(self, db_url: str) -> int:
        """Put every student of the roster into nbgrader's student table (names, e-mail, LMS id), where
        the export and formgrader read them; what the roster leaves empty is kept. Returns the count."""
        from nbgrader.api import Gradebook

        with Gradebook(db_url) as gb:
            for sid, person in sorted(self.people.items()):
                gb.update_or_create_student(sid, **{key: value for key, value in person.items() if value})
        return len(self.people)

    def _alias(self, text: str, sid: str) -> None:
        key = normalise(text)
        if key:
            self.aliases[key] = sid if self.aliases.get(key, sid) == sid else None

    def by_lms(self, number: str) -> str | None:
        """The student with this LMS number, or None."""
        return self.lms.get(number) or None

    def by_name(self, text: str) -> str | None:
        """The student this id, name, e-mail or login names; without a roster, ``text`` if id-shaped."""
        text = text.strip()
        if not self.given:
            return text if ID_SHAPED.match(text) else None
        if text in self.ids:
            return text
        return self.aliases.get(normalise(text))


def identify(path: str, roster: Roster, assignment: str = "") -> tuple[str | None, str]:
    """The student a notebook of the download belongs to.

    Parameters
    ----------
    path : str
        The notebook's path inside the download (``/`` separators).
    roster : Roster
        Ids and aliases (an empty ``Roster()`` for none).
    assignment : str
        The assignment id: folders and files named like it never name a student.

    Returns
    -------
    student : str or None
        The student id, or None if no student (or more than one) matches.
    how : str
        Which rule matched, or why nothing did, in words for the instructor.
    """
    parts = PurePosixPath(path).parts
    stem = PurePosixPath(parts[-1]).stem
    folders = [p for p in parts[:-1] if p != assignment]

    m = CANVAS.match(stem)
    if m:
        sid = roster.by_lms(m["lms"])
        if sid:
            return sid, f"Canvas, user {m['lms']} on the roster"
        sid = roster.by_name(m["login"])
        if sid:
            return sid, f"Canvas login {m['login']}"
        return None, (f"Canvas name: neither user {m['lms']} nor login {m['login']!r} is on the roster"
                      if roster.given else f"Canvas name with login {m['login']!r}, which is not an id")
    for text in [stem, *folders[::-1]]:
        m = MOODLE.match(text)
        if m:
            sid = roster.by_lms(m["lms"]) or (roster.by_name(m["name"]) if roster.given else None)
            if sid:
                return sid, f"Moodle, {m['name']} ({m['lms']})"
            if not roster.given:
                return None, (f"Moodle names the student only as {m['name']!r} ({m['lms']}): "
                              "give a --roster with their name or lms_id")
            return None, f"Moodle: neither {m['name']!r} nor participant {m['lms']} is on the roster"

    if roster.given:  # any part of the path that the roster knows, if they all agree
        found = {}
        for text in ([stem] if stem != assignment else []) + folders[::-1]:
            sid = roster.by_name(text)
            if sid:
                found.setdefault(sid, text)
        if len(found) == 1:
            sid, text = next(iter(found.items()))
            return sid, f"{text!r} on the roster"
        if found:
            return None, f"names more than one student on the roster ({', '.join(sorted(found))})"
        return None, "no part of the path is an id, name or e-mail on the roster"
    if not folders:
        if stem == assignment:
            return None, "the notebook is named after the assignment, not a student"
        sid = roster.by_name(stem)
        return (sid, "file name") if sid else (None, f"{stem!r} is not a student id")
    if len(folders) == 1:
        sid = roster.by_name(folders[0])
        return (sid, "folder name") if sid else (None, f"folder {folders[0]!r} is not a student id")
    return None, "nested folders: cannot tell which one names the student (use a --roster)"


def _zip_mtime(info: zipfile.ZipInfo) -> dt.datetime:
    """A zip entry's modification time in UTC: the extended-timestamp field if present, else
    the DOS time (local time of the machine that wrote the zip; taken as this machine's)."""
    extra = info.extra
    while len(extra) >= 4:
        tag, size = struct.unpack("<HH", extra[:4])
        body = extra[4:4 + size]
        if tag == 0x5455 and len(body) >= 5 and body[0] & 1:
            return dt.datetime.fromtimestamp(struct.unpack("<i", body[1:5])[0], tz=dt.timezone.utc)
        extra = extra[4 + size:]
    return dt.datetime(*info.date_time).astimezone(dt.timezone.utc)


def _unsafe(name: str) -> bool:
    pure = PurePosixPath(name.replace("\\", "/"))
    return (name.startswith(("/", "\\")) or bool(re.match(r"^[A-Za-z]:", name))
            or ".." in pure.parts or "\x00" in name)


@contextlib.contextmanager
def open_download(source: Path, report: CollectReport) -> Iterator[list[Entry]]:
    """The files of a download folder or zip, as :class:`Entry` (unsafe ones go to ``report``).

    Raises
    ------
    ValueError
        If ``source`` is neither a folder nor a zip file.
    """
    source = Path(source)
    if source.is_file() and zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as zf:
            found = []
            for info in zf.infolist():
                name = info.filename
                if info.is_dir():
                    continue
                if _unsafe(name):
                    report.refused.append(Note(name, "unsafe path in the zip (absolute or with ..): not extracted"))
                elif (info.external_attr >> 16) & 0o170000 == 0o120000:
                    report.refused.append(Note(name, "a symbolic link in the zip: not followed"))
                elif info.file_size > MAX_NOTEBOOK_BYTES and name.endswith(".ipynb"):
                    report.refused.append(Note(name, f"larger than {MAX_NOTEBOOK_BYTES >> 20} MB"))
                else:
                    found.append(Entry(name, _zip_mtime(info),
                                       lambda i=info: zf.open(i).read(MAX_NOTEBOOK_BYTES + 1)))
            yield _unwrap(found, report)
    elif source.is_dir():
        found = []
        for folder, dirs, files in os.walk(source, followlinks=False):
            for name in sorted(dirs):
                if (Path(folder) / name).is_symlink():
                    rel = (Path(folder) / name).relative_to(source).as_posix()
                    report.refused.append(Note(rel + "/", "a symbolic link to a folder: not followed"))
            for name in sorted(files):
                path = Path(folder) / name
                rel = path.relative_to(source).as_posix()
                if path.is_symlink():
                    report.refused.append(Note(rel, "a symbolic link: not followed"))
                    continue
                stat = path.lstat()
                if stat.st_size > MAX_NOTEBOOK_BYTES and name.endswith(".ipynb"):
                    report.refused.append(Note(rel, f"larger than {MAX_NOTEBOOK_BYTES >> 20} MB"))
                    continue
                found.append(Entry(rel, dt.datetime.fromtimestamp(stat.st_mtime, tz=dt.timezone.utc),
                                   path.read_bytes))
        yield found
    else:
        raise ValueError(f"{source}: not a folder or a zip file")


def _unwrap(found: list[Entry], report: CollectReport) -> list[Entry]:
    """Look through one folder that wraps a whole zip (``zip -r subs.zip subs/``)."""
    real = [PurePosixPath(e.path).parts for e in found if not _metadata(PurePosixPath(e.path))]
    tops = {parts[0] for parts in real}
    if len(tops) != 1 or any(len(parts) < 2 for parts in real):
        return found
    top = tops.pop()
    if MOODLE.match(top) or CANVAS.match(top) or len({parts[1] for parts in real}) < 2:
        return found
    report.remarks.append(f"every file is inside {top}/: read as the top of the download")
    for e in found:
        parts = PurePosixPath(e.path).parts
        if parts[0] == top and len(parts) > 1:
            e.path = PurePosixPath(*parts[1:]).as_posix()
    return found


def _metadata(path: PurePosixPath) -> bool:
    return any(part in METADATA or part.startswith(".") for part in path.parts)


def _readable(path: Path) -> dt.datetime | None:
    from nbgrader.utils import parse_utc

    try:
        stamp = parse_utc(path.read_text().strip())  # naive, in UTC
    except (OSError, ValueError, OverflowError):
        return None
    return stamp.replace(tzinfo=dt.timezone.utc) if stamp and stamp.tzinfo is None else stamp


def collect(root: Path, assignment: str, source: Path, roster: Path | None = None,
            force: bool = False) -> CollectReport:
    """Copy every notebook of ``source`` that matches a student into ``root/submitted``.

    Parameters
    ----------
    root : pathlib.Path
        The course root.
    assignment : str
        The assignment id; notebooks are written as ``<assignment>.ipynb``.
    source : pathlib.Path
        The LMS download: a folder or a zip file.
    roster : pathlib.Path or None
        CSV roster (see :class:`Roster`).
    force : bool
        Replace a submission even if the one in ``submitted/`` is newer.

    Returns
    -------
    CollectReport
        What was collected, not matched, refused and skipped.

    Raises
    ------
    ValueError
        If ``source`` is not a folder or zip, or the roster is unusable.
    """
    report = CollectReport()
    people = Roster(roster)
    with open_download(Path(source), report) as found:
        chosen: dict[str, tuple[Entry, str]] = {}
        hidden = 0
        for entry in found:
            pure = PurePosixPath(entry.path)
            if _metadata(pure):
                hidden += 1
                continue
            if pure.suffix.lower() != ".ipynb":
                report.skipped.append(Note(entry.path, "not a notebook"))
                continue
            student, how = identify(entry.path, people, assignment)
            if student is None:
                report.unmatched.append(Note(entry.path, how))
                continue
            if student in chosen:
                (older, _), (newer, newer_how) = sorted([chosen[student], (entry, how)],
                                                        key=lambda pair: (pair[0].modified, pair[0].path))
                report.skipped.append(Note(older.path, f"an older notebook of {student}: kept the newer "
                                                       f"{newer.path} ({newer.modified:%Y-%m-%d %H:%M} UTC)"))
                chosen[student] = (newer, newer_how)
            else:
                chosen[student] = (entry, how)
        if hidden:
            report.skipped.append(Note(f"{hidden} file(s)", "hidden or metadata (__MACOSX, .ipynb_checkpoints, "
                                                             "dot-files)"))
        for student, (entry, how) in sorted(chosen.items()):
            _write(Path(root), assignment, student, entry, how, force, report)
    report.remarks += lateness_remarks(report.collected, assignment, due_date(Path(root), assignment))
    return report


def tagged_late(path: str) -> bool:
    """Whether an LMS download's file name says the submission was late (Canvas's ``login_late_…``)."""
    m = CANVAS.match(PurePosixPath(path).stem)
    return bool(m and m["late"])


def due_date(root: Path, assignment: str) -> dt.datetime | None:
    """The assignment's due date in the gradebook (naive UTC, as nbgrader keeps it); None if it has none."""
    from nbgrader.api import Gradebook, MissingEntry

    from autograder.run.gradebook import gradebook_exists, gradebook_url

    url = gradebook_url(root)
    if not gradebook_exists(url):
        return None
    with Gradebook(url) as gb:
        try:
            return gb.find_assignment(assignment).duedate
        except MissingEntry:
            return None


def lateness_remarks(collected: list[Collected], assignment: str, due: dt.datetime | None) -> list[str]:
    """Where the LMS's late tags and the gradebook's due date disagree, in words for the instructor.

    Lateness in the export, the report and nbgrader's late penalty comes from the due date
    alone (``course release --due``); a tag the LMS put on a file must not be lost silently.
    """
    tagged = sorted(c.student for c in collected if c.late_in_lms)
    if not tagged:
        return []
    if due is None:
        return [f"Canvas tagged {len(tagged)} submission(s) late ({', '.join(tagged)}), but {assignment} has no "
                f"due date here, so the export and the report flag none: set Canvas's due date with "
                f"`course release {assignment} --due 'YYYY-MM-DD HH:MM'` (UTC)"]
    on_time = sorted(c.student for c in collected
                     if c.late_in_lms and c.modified.astimezone(dt.timezone.utc).replace(tzinfo=None) <= due)
    if not on_time:
        return []
    return [f"Canvas tagged {', '.join(on_time)} late, but handed in before the due date here "
            f"({due:%Y-%m-%d %H:%M} UTC), so not flagged late: if Canvas's due date or an extension differs, "
            f"set it with `course release {assignment} --due`"]


def _write(root: Path, assignment: str, student: str, entry: Entry, how: str, force: bool,
           report: CollectReport) -> None:
    folder = root / "submitted" / student / assignment
    target = folder / f"{assignment}.ipynb"
    stamp_file = folder / "timestamp.txt"
    data = entry.read()
    if len(data) > MAX_NOTEBOOK_BYTES:
        report.refused.append(Note(entry.path, f"larger than {MAX_NOTEBOOK_BYTES >> 20} MB"))
        return
    if target.exists() and not force:
        existing = _readable(stamp_file) if stamp_file.is_file() else None
        if existing is None and target.read_bytes() != data:
            report.refused.append(Note(entry.path, f"submitted/{student}/{assignment}/ already holds another "
                                                   "notebook with no readable timestamp.txt; use --force to "
                                                   "replace it"))
            return
        if existing is not None and existing > entry.modified:
            report.refused.append(Note(entry.path, f"{student} already has a newer submission "
                                                   f"({existing:%Y-%m-%d %H:%M} UTC); use --force to replace it"))
            return
    folder.mkdir(parents=True, exist_ok=True)
    for path, content in ((target, data), (stamp_file, entry.modified.strftime(TIMESTAMP_FORMAT).encode())):
        tmp = path.with_name(f".{path.name}.tmp")
        tmp.write_bytes(content)
        tmp.replace(path)
    report.collected.append(Collected(student, entry.path, entry.modified, how, tagged_late(entry.path)))
