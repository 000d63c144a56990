"""nbgrader for a student's JupyterLab on the course's hub (deploy/jupyterhub_config.py puts this
folder on JUPYTER_CONFIG_PATH): where the exchange is and which course it serves."""

import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file

c.Exchange.root = os.environ.get("GDCOURSE_EXCHANGE", "/srv/nbgrader/exchange")
c.CourseDirectory.course_id = "gradient-descent"
# nbgrader names a submission after the Unix account (nbgrader.utils.get_username), which is
# the hub's user name with real local users. When every user's server runs under one account
# (SimpleLocalProcessSpawner in the test, or one container user that is not called jovyan),
# the hub's user name is the only right one: JupyterHub sets JUPYTERHUB_USER for each server.
if os.environ.get("JUPYTERHUB_USER"):
    c.CourseDirectory.student_id = os.environ["JUPYTERHUB_USER"]
