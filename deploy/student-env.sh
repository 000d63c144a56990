#!/usr/bin/env bash
# The students' Python environment on a hub: JupyterLab with nbgrader's student side and the
# course's learner package (gdcourse), nothing of the grader.
#   usage: deploy/student-env.sh VENV GDCOURSE_WHEEL
#   e.g.   sudo deploy/student-env.sh /opt/gdcourse-student dist/…/gdcourse-0.1.0-py3-none-any.whl
# The wheel is what `course bundle` ships (build/wheel/<hash>/gdcourse-0.1.0-py3-none-any.whl).
# Run it again after the learner package changes: it reinstalls the wheel.
set -euo pipefail
venv=${1:?usage: $0 VENV GDCOURSE_WHEEL}
wheel=${2:?usage: $0 VENV GDCOURSE_WHEEL}
here=$(cd "$(dirname "$0")" && pwd)
[ -x "$venv/bin/python" ] || "${PYTHON:-python3}" -m venv "$venv"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check -r "$here/student-requirements.txt"
"$venv/bin/python" -m pip install --quiet --disable-pip-version-check --no-deps --force-reinstall "$wheel"
echo "$venv: $("$venv/bin/python" -m pip list --disable-pip-version-check --format=freeze 2>/dev/null | wc -l) packages"
