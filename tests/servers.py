"""Real servers for tests, each started in a temporary folder on a free local port and stopped
afterwards, also when the test fails: a PostgreSQL cluster, a Dask scheduler with workers."""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _postgres_bin(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return found[-1] if found else shutil.which(name)


def _as_postgres_user(argv: list[str]) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run its programs as Debian's ``postgres`` user."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


@contextmanager
def postgres_server(durable: bool = False):
    """A PostgreSQL cluster of its own (initdb in a temporary folder, 127.0.0.1 on a free port, trust
    authentication); yields ``make_database(name) -> SQLAlchemy URL``. Tests run it without fsync;
    ``durable`` keeps PostgreSQL's default (for timings). Skips where the Debian package
    ``postgresql`` is missing (`make system` installs it)."""
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if not initdb or not pg_ctl:
        pytest.skip("PostgreSQL's server programs are not installed (Debian package postgresql; `make system`)")
    folder = Path(tempfile.mkdtemp(prefix="gd-postgres-"))
    data, port = folder / "data", free_port()
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres", "postgres")
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1" + ("" if durable else " -c fsync=off")
    try:
        subprocess.run(_as_postgres_user([initdb, "-D", str(data), "-A", "trust", "-U", "grader", "--no-sync"]),
                       check=True, capture_output=True, text=True)
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"),
                                          "-w", "-t", "60", "start"]), check=True, capture_output=True, text=True)

        def make_database(name: str) -> str:
            subprocess.run([sys.executable, "-c", _CREATE_DATABASE, str(port), name], check=True)
            return f"postgresql+psycopg://grader@127.0.0.1:{port}/{name}"

        make_database.port = port
        yield make_database
    finally:
        subprocess.run(_as_postgres_user([pg_ctl, "-D", str(data), "-m", "immediate", "stop"]), capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)


_CREATE_DATABASE = """
import sys, psycopg
with psycopg.connect(host="127.0.0.1", port=int(sys.argv[1]), user="grader", dbname="postgres",
                     autocommit=True) as connection:
    connection.execute(f'CREATE DATABASE "{sys.argv[2]}"')
"""


class DaskCluster:
    """A ``dask scheduler`` and ``dask worker`` processes on 127.0.0.1, each a process of its own."""

    def __init__(self, workers: int = 2, folder: Path | None = None):
        self.folder = Path(folder or tempfile.mkdtemp(prefix="gd-dask-"))
        self.port = free_port()
        self.address = f"tcp://127.0.0.1:{self.port}"
        self.processes: list[subprocess.Popen] = []
        self.workers: list[subprocess.Popen] = []
        self.size = workers

    def _start(self, *argv: str, log: str, path: str | None = None) -> subprocess.Popen:
        dask = str(Path(sys.executable).parent / "dask")
        env = {**os.environ, "GD_TEST_DASK": str(self.folder)}  # a marker: every process of this cluster
        env.pop("COURSE_DB_URL", None)
        if path is not None:
            env["PATH"] = path
        process = subprocess.Popen([dask, *argv], stdout=open(self.folder / log, "w"), stderr=subprocess.STDOUT,
                                   env=env, start_new_session=True)
        self.processes.append(process)
        return process

    def start_worker(self, name: str, path: str | None = None) -> subprocess.Popen:
        """A worker process (no nanny: killed, it stays dead); ``path`` replaces its PATH."""
        worker = self._start("worker", self.address, "--nthreads", "1", "--no-nanny",
                             "--name", name, "--host", "127.0.0.1", "--no-dashboard",
                             "--local-directory", str(self.folder / name), log=f"{name}.log", path=path)
        self.workers.append(worker)
        return worker

    def __enter__(self) -> "DaskCluster":
        try:
            self._start("scheduler", "--host", "127.0.0.1", "--port", str(self.port), "--no-dashboard",
                        log="scheduler.log")
            for i in range(self.size):
                self.start_worker(f"worker-{i}")
            self.wait_for(self.size)
        except BaseException:  # what started is stopped: __exit__ is not called when __enter__ fails
            self.__exit__(None, None, None)
            raise
        return self

    def wait_for(self, workers: int, seconds: float = 90) -> None:
        """Until the scheduler answers and has ``workers`` workers."""
        from distributed import Client

        deadline = time.monotonic() + seconds
        while True:
            try:
                with Client(self.address, timeout=5) as client:
                    if workers:
                        client.wait_for_workers(workers, timeout=max(1, deadline - time.monotonic()))
                    return
            except (OSError, TimeoutError):
                if time.monotonic() > deadline:
                    raise RuntimeError("the Dask cluster did not start:\n" + self.logs()) from None
                time.sleep(0.5)

    def logs(self) -> str:
        return "\n".join(f"--- {p.name}\n{p.read_text()[-3000:]}" for p in sorted(self.folder.glob("*.log")))

    def __exit__(self, *exc) -> None:
        for process in reversed(self.processes):
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            process.wait(timeout=30)
        shutil.rmtree(self.folder, ignore_errors=True)
