"""The course on a real JupyterHub (`make test-hub`): skipped unless COURSE_TEST_HUB=1.

The fixtures start JupyterHub (deploy/jupyterhub_config.py in its "test" mode) on a temporary
copy of the course, with its own exchange and home folders, and a headless Chromium. Every
process they start carries a marker in its environment (the hub passes it on to the proxy, to
each user's server and from there to kernels; chromedriver passes it on to Chromium): at the
end, also after a failure, the hub is asked to stop its servers and proxy, then every process
still carrying the marker is killed, by pid.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from tests.browser import CHROMEDRIVER, CHROMIUM, headless_chromium

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
VENV_BIN = Path(sys.executable).parent
PROXY = ROOT / "build" / "hub-proxy" / "node_modules" / ".bin" / "configurable-http-proxy"
STUDENT_ENV = ROOT / "build" / "hub-student-env"
SCREENSHOTS = ROOT / "build" / "hub-screenshots"
PASSWORD = "gd-course-hub-test"
INSTRUCTORS, STUDENTS = ["instructor", "grader"], ["ada", "ben"]
MARKER = "GDCOURSE_HUB_TEST_RUN"
RUN_ID = uuid.uuid4().hex

# the files of a course root (what git tracks there); no gradebook, submissions or caches
COURSE_FILES = ["nbgrader_config.py", "source", "release", "learner"]
NOT_COPIED = shutil.ignore_patterns("__pycache__", "*.egg-info", "build", ".ipynb_checkpoints", "*.whl",
                                    "*.practice.json")


def pytest_collection_modifyitems(config, items):
    if os.environ.get("COURSE_TEST_HUB") == "1":
        return
    skip = pytest.mark.skip(reason="starts a JupyterHub: run `make test-hub` (COURSE_TEST_HUB=1)")
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(skip)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def marked_processes() -> list:
    """Every process started by this run (the marker is in its environment)."""
    import psutil

    found = []
    for proc in psutil.process_iter(["pid"]):
        if proc.pid == os.getpid():
            continue
        try:
            if proc.environ().get(MARKER) == RUN_ID:
                found.append(proc)
        except (psutil.NoSuchProcess, psutil.AccessDenied, psutil.ZombieProcess, OSError):
            continue
    return found


def kill_marked(grace: float = 5.0, settle: float = 0.0) -> list[str]:
    """SIGTERM, then SIGKILL, every process of this run; what was still running, as text.

    With ``settle``, processes get that long to end by themselves first: a kernel whose server has just
    stopped notices its parent is gone within a second or two ("Parent appears to have exited, shutting
    down") and is on its way out, not left behind."""
    import psutil

    left = marked_processes()
    if settle and left:
        _, left = psutil.wait_procs(left, timeout=settle)
    names = [f"{p.pid} {' '.join(p.cmdline()[:3]) if p.is_running() else ''}" for p in left]
    for proc in left:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(left, timeout=grace)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    psutil.wait_procs(alive, timeout=grace)
    return names


def marked_env(**extra) -> dict:
    env = dict(os.environ)
    env["PATH"] = os.pathsep.join([str(VENV_BIN), env.get("PATH", "")])
    env[MARKER] = RUN_ID
    env.update(extra)
    return env


class Site:
    """Where everything of one run lives (a temporary folder) and how to run the instructor's commands."""

    def __init__(self, base: Path):
        self.base = base
        self.course = base / "course"
        self.exchange = base / "exchange"
        self.homes = base / "home"
        self.hub_dir = base / "hub"

    def instructor_env(self) -> dict:
        """What the instructor's JupyterLab terminal has (deploy/jupyterhub_config.py sets the same)."""
        return marked_env(JUPYTER_CONFIG_PATH=os.pathsep.join([str(ROOT / "deploy" / "instructor"), str(self.course)]),
                          GDCOURSE_EXCHANGE=str(self.exchange), GDCOURSE_ROOT=str(self.course),
                          HOME=str(self.homes / "instructor"), JUPYTERHUB_USER="instructor")

    def run(self, *cmd: str, check: bool = True, timeout: float = 180) -> subprocess.CompletedProcess:
        """An instructor's command, in the course root, as in the instructor's JupyterLab terminal."""
        proc = subprocess.run(list(cmd), cwd=self.course, env=self.instructor_env(), capture_output=True,
                              text=True, timeout=timeout, start_new_session=True)
        if check and proc.returncode != 0:
            raise AssertionError(f"{' '.join(cmd)} exited {proc.returncode}:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
        return proc


@pytest.fixture(scope="module")
def site():
    for needed, how in ((PROXY, "make test-hub installs it"), (STUDENT_ENV / "bin" / "jupyterhub-singleuser",
                                                              "make test-hub builds it"),
                        (CHROMIUM, "make system"), (CHROMEDRIVER, "make system")):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: {how}")
    base = Path(tempfile.mkdtemp(prefix="gd-hub-"))
    s = Site(base)
    try:
        s.course.mkdir()
        for name in COURSE_FILES:
            src = ROOT / name
            (shutil.copytree(src, s.course / name, ignore=NOT_COPIED) if src.is_dir()
             else shutil.copy2(src, s.course / name))
        if (ROOT / "build" / "wheel").is_dir():  # the learner wheel, already built: no second build
            shutil.copytree(ROOT / "build" / "wheel", s.course / "build" / "wheel")
        s.exchange.mkdir(mode=0o777)
        os.chmod(s.exchange, 0o777)  # every user writes there (nbgrader's own folders then set their modes)
        for user in INSTRUCTORS + STUDENTS:
            (s.homes / user).mkdir(parents=True)
        s.hub_dir.mkdir()
        yield s
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def hub(site):
    """A running JupyterHub: its URL. Stopped, with everything it started, at the end."""
    import requests

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    (site.hub_dir / "jupyterhub_config.py").write_text(f"""\
c = get_config()
load_subconfig({str(ROOT / 'deploy' / 'jupyterhub_config.py')!r})
c.JupyterHub.bind_url = {url + '/'!r}
c.JupyterHub.hub_bind_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{free_port()}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.db_url = "sqlite:///{site.hub_dir / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = {str(site.hub_dir / 'cookie_secret')!r}
c.Spawner.environment = {{{MARKER!r}: {RUN_ID!r}}}
c.Spawner.args = (list(c.Spawner.args) if "args" in c.Spawner else []) + [
    "--LabApp.expose_app_in_browser=True",  # the test reads and edits notebooks through window.jupyterapp
    "--LabApp.news_url=", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",  # no network
]
""")
    log = open(site.hub_dir / "hub.log", "w")
    env = marked_env(GDCOURSE_HUB_MODE="test", GDCOURSE_ROOT=str(site.course), GDCOURSE_EXCHANGE=str(site.exchange),
                     GDCOURSE_HOMES=str(site.homes), GDCOURSE_HUB_PASSWORD=PASSWORD,
                     GDCOURSE_INSTRUCTORS=" ".join(INSTRUCTORS), GDCOURSE_STUDENTS=" ".join(STUDENTS),
                     GDCOURSE_INSTRUCTOR_ENV=str(VENV_BIN.parent), GDCOURSE_STUDENT_ENV=str(STUDENT_ENV))
    proc = subprocess.Popen([str(VENV_BIN / "jupyterhub"), "-f", str(site.hub_dir / "jupyterhub_config.py")],
                            cwd=site.hub_dir, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"jupyterhub exited {proc.returncode}:\n{hub_log(site)}")
            try:
                if requests.get(f"{url}/hub/health", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"jupyterhub did not answer within 60 s:\n{hub_log(site)}")
            time.sleep(0.3)
        yield url
    finally:
        # the hub stops every server it started and its proxy on SIGTERM (cleanup_servers)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        log.close()
        left = kill_marked(settle=5.0)
        shutil.copy2(site.hub_dir / "hub.log", SCREENSHOTS / "hub.log") if SCREENSHOTS.is_dir() else None
        assert not left, f"processes of the hub were still running after it stopped (killed now): {left}"


def hub_log(site, tail: int = 6000) -> str:
    try:
        return (site.hub_dir / "hub.log").read_text(errors="replace")[-tail:]
    except OSError:
        return "(no hub log)"


@pytest.fixture(scope="module")
def browser():
    with headless_chromium("hub", "1400,1000", timeout=60, service_env=marked_env()) as driver:
        yield driver
