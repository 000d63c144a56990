"""JupyterHub for the gradient-descent course (docs/hub.md says how to use it).

Who gets what:

- instructors (and graders): JupyterLab opened on the course root, in the course's Python
  environment (nbgrader with formgrader, the `course` command, the grader and its sandbox), with
  the exchange configured (deploy/instructor/nbgrader_config.py, then the course root's
  nbgrader_config.py);
- students: JupyterLab opened on their home folder, in the students' environment
  (deploy/student-env.sh: JupyterLab, nbgrader's student side, the gdcourse wheel, nothing of the
  grader), with the Assignments tab and Validate only: formgrader, Create Assignment and Course
  List are switched off (deploy/student/).

Settings come from the environment, so that one file serves a server and the test:

  GDCOURSE_ROOT          the course root (default: the folder above this file)
  GDCOURSE_EXCHANGE      nbgrader's exchange, a folder every user can write to
                         (default /srv/nbgrader/exchange)
  GDCOURSE_INSTRUCTORS   user names with the instructor's server (default "instructor grader")
  GDCOURSE_STUDENTS      user names of the students (default "ada ben")
  GDCOURSE_HUB_ADMINS    user names of the hub's administrators (default: none)
  GDCOURSE_INSTRUCTOR_ENV  the course's venv (default GDCOURSE_ROOT/.venv)
  GDCOURSE_STUDENT_ENV   the students' venv (default /opt/gdcourse-student)
  GDCOURSE_HUB_MODE      "local-users" (default): real Unix accounts, PAM passwords, each server
                         runs as its user (LocalProcessSpawner);
                         "test": one Unix account for all, a shared password
                         (GDCOURSE_HUB_PASSWORD), homes under GDCOURSE_HOMES
                         (SimpleLocalProcessSpawner). Not for real students: every user can
                         read every file.
"""

import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

HERE = Path(__file__).resolve().parent
COURSE_ROOT = Path(os.environ.get("GDCOURSE_ROOT", HERE.parent)).resolve()
EXCHANGE = os.environ.get("GDCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
INSTRUCTORS = set(os.environ.get("GDCOURSE_INSTRUCTORS", "instructor grader").split())
STUDENTS = set(os.environ.get("GDCOURSE_STUDENTS", "ada ben").split())
INSTRUCTOR_ENV = Path(os.environ.get("GDCOURSE_INSTRUCTOR_ENV", COURSE_ROOT / ".venv"))
STUDENT_ENV = Path(os.environ.get("GDCOURSE_STUDENT_ENV", "/opt/gdcourse-student"))
MODE = os.environ.get("GDCOURSE_HUB_MODE", "local-users")

c.Authenticator.allowed_users = INSTRUCTORS | STUDENTS
c.Authenticator.admin_users = set(os.environ.get("GDCOURSE_HUB_ADMINS", "").split())  # who runs the hub

if MODE == "test":
    c.JupyterHub.authenticator_class = "shared-password"
    c.SharedPasswordAuthenticator.user_password = os.environ["GDCOURSE_HUB_PASSWORD"]
    c.JupyterHub.spawner_class = "simple"
    c.SimpleLocalProcessSpawner.home_dir_template = os.path.join(os.environ["GDCOURSE_HOMES"], "{username}")
    if os.getuid() == 0:
        c.Spawner.args = ["--allow-root"]  # the test's one account may be root (a CI container)
elif MODE == "local-users":
    c.JupyterHub.authenticator_class = "pam"
    c.JupyterHub.spawner_class = "localprocess"
else:
    sys.exit(f"GDCOURSE_HUB_MODE={MODE!r}: use local-users or test")

c.Spawner.default_url = "/lab"
c.Spawner.http_timeout = 60
c.Spawner.start_timeout = 60


def course_environment(spawner):
    """Each user's server: the instructors' or the students' environment, config and folder."""
    name = spawner.user.name
    if name in INSTRUCTORS:
        env, config = INSTRUCTOR_ENV, [HERE / "instructor", COURSE_ROOT]
        spawner.notebook_dir = str(COURSE_ROOT)
    elif name in STUDENTS:
        env, config = STUDENT_ENV, [HERE / "student"]  # JupyterLab opens on their home folder
    else:
        raise ValueError(f"{name} is neither an instructor nor a student of this course")
    spawner.cmd = [str(env / "bin" / "jupyterhub-singleuser")]
    spawner.environment = {
        **spawner.environment,
        "PATH": os.pathsep.join([str(env / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
        "JUPYTER_CONFIG_PATH": os.pathsep.join(str(p) for p in config),
        "GDCOURSE_EXCHANGE": EXCHANGE,
        "GDCOURSE_ROOT": str(COURSE_ROOT) if name in INSTRUCTORS else "",
    }


c.Spawner.pre_spawn_hook = course_environment
