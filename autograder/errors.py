"""The one base of every error that the person running a command can fix.

Its message says what went wrong and what to do. The `course` command prints it alone,
without a traceback, and exits 1 (course/cli.py); anything else is a bug and keeps its
traceback.
"""


class FixableError(Exception):
    """Something the instructor, reader or student can fix; the message says what to do."""


class SandboxUnavailable(FixableError):
    """Student kernels cannot be isolated on this machine (no bubblewrap, no system-call filter, ...);
    the message says what to do."""
