"""Shortcuts for `course grade`'s processes where a library redoes fixed work. None changes a result.

Stock ``nbgrader autograde`` keeps all of this work; `course grade` applies these in its
recorder and worker processes. Each one replaces a function with one that returns the same
value or raises the same error, and ``tests/test_speedups.py`` checks that against the
original. One more of the same kind lives in the warm kernel parent, which cannot import
this package (``autograder/kernel/zygote.py``: ``cache_traceback_lexer``). Each is applied only
while :mod:`autograder.patches` finds nbgrader and its other projects at a tested release.

- :func:`share_gradebook_engines`: nbgrader makes a new SQLAlchemy engine for every
  ``Gradebook`` (OverwriteCells, OverwriteKernelspec, SaveAutoGrades, ... several per
  submission), so SQLAlchemy compiles every query again each time (about 3 ms a query
  instead of 0.5 ms). One engine per database URL keeps its compiled-query cache.
- :class:`WalGradebook`: nbgrader commits after every grade it saves (about 40 commits a
  submission), and SQLite's default journal makes each one wait for the disk several
  times. During a run the gradebook is in WAL mode with ``synchronous=NORMAL`` (a commit
  is a write, not a wait; still atomic, and safe against a killed process), one
  checkpoint per submission makes its grades durable before it is marked graded, and
  the gradebook returns to its usual single-file journal mode at the end.
- :func:`cache_metadata_validator`: nbgrader checks each cell's metadata with
  ``jsonschema.validate``, which first validates nbgrader's own schema against the
  JSON-Schema meta-schema and builds a new validator: about 0.4 ms a cell, twice per
  notebook. The validator is built once per schema.
"""

from __future__ import annotations

import functools
import json
import threading

from autograder import patches

_applied: set[str] = set()
_lock = threading.Lock()


def _once(name: str) -> bool:
    with _lock:
        if name in _applied:
            return False
        _applied.add(name)
        return True


def share_gradebook_engines(max_engines: int = 8) -> None:
    """Let every ``nbgrader.api.Gradebook`` of one database URL in this process share one engine.

    ``Gradebook.close()`` still disposes of the engine's connections; the engine (and its
    cache of compiled SQL) lives on and connects again on next use.
    """
    if not _once("engines") or not patches.applies("nbgrader-shared-engines"):
        return
    import nbgrader.api as api

    create = api.create_engine

    @functools.wraps(create)
    def shared_engine(url, **kwargs):
        key = (str(url), tuple(sorted(kwargs.items())))
        with _lock:
            engine = _engines.pop(key, None)
            if engine is None:
                engine = create(url, **kwargs)
                if str(url) in _normal_sync_urls:
                    _listen_normal_sync(engine)
            _engines[key] = engine  # most recently used last
            while len(_engines) > max_engines:
                _engines.pop(next(iter(_engines))).dispose()
        return engine

    api.create_engine = shared_engine


_engines: dict[tuple, object] = {}
_normal_sync_urls: set[str] = set()


def _listen_normal_sync(engine) -> None:
    from sqlalchemy import event

    def normal_sync(dbapi_connection, _record):
        dbapi_connection.execute("PRAGMA synchronous=NORMAL")

    event.listen(engine, "connect", normal_sync)


class WalGradebook:
    """A gradebook file in WAL mode for the length of a grading run (see the module docs).

    Use as a context manager around the run, and call :meth:`make_durable` after a
    submission's grades are written and before anything says they are.
    """

    def __init__(self, path):
        import sqlite3

        self.path = str(path)
        self.url = f"sqlite:///{self.path}"
        self._connection = sqlite3.connect(self.path, isolation_level=None, timeout=30)
        mode = self._connection.execute("PRAGMA journal_mode").fetchone()[0].lower()
        self.mode = "delete" if mode == "wal" else mode  # WAL found: left by a run that was killed

    def __enter__(self) -> "WalGradebook":
        import sqlite3

        try:
            wal = self._connection.execute("PRAGMA journal_mode=WAL").fetchone()[0].lower() == "wal"
        except sqlite3.OperationalError:  # busy: grade with the usual journal (slower commits, as durable)
            wal = False
        if wal:
            with _lock:
                _normal_sync_urls.add(self.url)
                for (url, _), engine in _engines.items():
                    if url == self.url:  # connections made from now on sync less often
                        _listen_normal_sync(engine)
                        engine.dispose()
        return self

    def make_durable(self) -> None:
        """Everything committed so far survives a power cut (the write-ahead log is synced)."""
        self._connection.execute("PRAGMA wal_checkpoint(PASSIVE)")

    def __exit__(self, *exc) -> None:
        import sqlite3

        with _lock:
            _normal_sync_urls.discard(self.url)
            for (url, _), engine in list(_engines.items()):
                if url == self.url:
                    _engines.pop((url, _)).dispose()
        try:
            self._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            self._connection.execute(f"PRAGMA journal_mode={self.mode}")
        except sqlite3.OperationalError:  # another program has it open: it stays in WAL mode, which is safe
            pass
        finally:
            self._connection.close()


class _CachingJsonschema:
    """The ``jsonschema`` module as nbgrader's metadata validator uses it, with ``validate``
    keeping one validator per schema (the schema is nbgrader's own, checked once)."""

    def __init__(self, module):
        self._module = module
        self._validators: dict[str, object] = {}

    def __getattr__(self, name):
        return getattr(self._module, name)

    def validate(self, instance, schema, cls=None, *args, **kwargs):
        if cls is not None or args or kwargs:
            return self._module.validate(instance, schema, cls, *args, **kwargs)
        key = json.dumps(schema, sort_keys=True)
        validator = self._validators.get(key)
        if validator is None:
            validator_class = self._module.validators.validator_for(schema)
            validator_class.check_schema(schema)
            validator = self._validators[key] = validator_class(schema)
        error = self._module.exceptions.best_match(validator.iter_errors(instance))
        if error is not None:
            raise error


def cache_metadata_validator() -> None:
    """Make nbgrader's per-cell metadata check build its JSON-Schema validator once."""
    if not _once("metadata") or not patches.applies("nbgrader-metadata-validator-built-once"):
        return
    import nbgrader.nbgraderformat.common as common

    common.jsonschema = _CachingJsonschema(common.jsonschema)
