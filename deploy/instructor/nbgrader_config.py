"""nbgrader for an instructor's (or grader's) JupyterLab on the course's hub: the exchange and
the course root. The course's own settings (course id, grading pipeline) stay in the course
root's nbgrader_config.py, which deploy/jupyterhub_config.py puts on JUPYTER_CONFIG_PATH after
this folder, so formgrader and every nbgrader command read both, wherever they run."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.Exchange.root = os.environ.get("GDCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
if os.environ.get("GDCOURSE_ROOT"):
    c.CourseDirectory.root = os.environ["GDCOURSE_ROOT"]
