"""Where the course's gradebook is: nbgrader's ``CourseDirectory.db_url``, for every command.

``nbgrader_config.py`` sets ``c.CourseDirectory.db_url`` from the environment variable
``COURSE_DB_URL`` when it is set (a PostgreSQL server, say); otherwise nbgrader's default
applies, ``sqlite:///<course root>/gradebook.db``. The course's own commands ask this
module, so they and plain ``nbgrader`` commands always read and write the same gradebook.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path


def gradebook_url(root: Path | str, config=None) -> str:
    """The database URL of the gradebook of the course at ``root``.

    nbgrader creates a missing gradebook with ``alembic`` from the running Python's bin/,
    so that folder is put on ``PATH`` too.
    """
    from nbgrader.coursedir import CourseDirectory

    bin_dir = str(Path(sys.executable).parent)
    if bin_dir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = os.pathsep.join([bin_dir, os.environ.get("PATH", "")])
    from autograder.run.config import course_config

    config = course_config(root, plain=True) if config is None else config
    return CourseDirectory(config=config, root=str(Path(root).resolve())).db_url


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite gradebook URL; None for any other database."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def gradebook_exists(url: str) -> bool:
    """Whether there is a gradebook to read: the file for SQLite; a server is assumed to be there."""
    path = sqlite_file(url)
    return path is None or path.is_file()
