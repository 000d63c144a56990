"""Issue 30, item 4: the pre-submission check runs the saved notebook top to bottom in a fresh kernel.

It reports per exercise what ``gdcourse.check()`` would in that kernel (a test cell failing in the
run included), lists the cells that fail there although they ran in the learner's session, stops a
cell at its time limit, finds the notebook as JupyterLab, VS Code or the folder name it, and never
writes the notebook file. (The same, from a student's fresh environment on 3.10 and 3.13 and a
kernel driven as JupyterLab drives it: tests/test_student_answers.py.)
"""

from __future__ import annotations

import re

import nbformat
import pytest

import gdcourse
from gdcourse import presubmission
from gdcourse.practice import check_results, load_practice_file, render

from . import answer_forms_notebook as forms

pytestmark = pytest.mark.xdist_group("presubmit")


def session(path, order=(0, 2, 1, 3, 4, 5, 6, 7, 8)):
    """The notebook as a learner's session saves it: cells run in ``order`` (the cell that uses ``scale``
    after the one that defines it), each with its execution count and no error."""
    nb = nbformat.read(path, 4)
    for count, index in enumerate(order, start=1):
        nb.cells[index].execution_count = count
    nbformat.write(nb, path)
    return path.read_bytes()


def run(path, **kwargs) -> tuple[int, str]:
    lines = []
    status = presubmission.run(path, out=lines.append, **kwargs)
    return status, "\n".join(lines)


def test_a_cell_that_works_only_out_of_order_is_named_and_the_file_is_left_alone(tmp_path):
    path = forms.write(tmp_path)
    saved = session(path)
    status, out = run(path)
    assert status == 1 and path.read_bytes() == saved
    assert re.search(r"These cells ran without an error in your session but fail when the notebook runs top to "
                     r"bottom: .* \(your session ran cells out of order\)\. The grade runs them in order:\n"
                     r"  code cell 2 of 9 \(In \[3\] in your session\), `scaled = scale \* 2 .*`: "
                     r"NameError: name 'scale' is not defined\n", out), out
    assert re.search(r"✓ dJ +passed all 3 practice checks", out)
    assert re.search(r"\? q_slope_sign +is answered: only the grade says whether it is right", out)
    assert "Your notebook file was not changed." in out


def test_each_exercise_reads_as_check_reads_it_in_a_kernel_run_in_order(tmp_path):
    path = forms.write(tmp_path, {"q_factor": '"0.25"', "q_slope_sign": '"a or b"'}, dj="2 * theta ** 2")
    nb = nbformat.read(path, 4)
    nb.cells[1].source = "scale = 3"  # nothing out of order here
    nbformat.write(nb, path)
    status, out = run(path)
    namespace = {"In": [c.source for c in nb.cells]}
    for cell in nb.cells[:1] + nb.cells[3:]:
        if not cell.metadata.get("nbgrader", {}).get("grade"):
            exec(cell.source, namespace)  # noqa: S102 - the notebook's own cells, in order
    data = load_practice_file(tmp_path / "forms.practice.json")
    expected = render(data, check_results(data, namespace)).splitlines()[1:]
    assert status == 1
    exercises = out.split("Exercises, checked in that fresh kernel as gdcourse.check() checks them:\n")[1]
    assert exercises.splitlines()[:len(expected)] == expected, out
    assert "q_factor is text, not a number: write the number without quotes, q_factor = 0.25" not in exercises
    assert re.search(r"✗ q_factor +is text, not a number: write the number without quotes, q_factor = 0.25", out)
    assert re.search(r'✗ q_slope_sign +is not one of the letters "a", "b", "c", "d"', out)
    assert "3 test cells fail: 5, 7, 9 (see their exercises below)." in out


def test_a_test_cell_that_fails_in_the_run_fails_its_exercise_as_in_the_grade(tmp_path):
    path = forms.write(tmp_path, dj="2 * theta + (np.ndim(theta) == 0 and theta == 3.0)")  # wrong at 3 only
    status, out = run(path)
    assert status == 1
    assert re.search(r"✗ dJ +passed all 3 practice checks, but its test cell fails in this run: AssertionError: "
                     r"dJ\(3\) should be 6; the grade fails it too", out), out


def test_a_cell_is_stopped_at_its_time_limit(tmp_path):
    path = forms.write(tmp_path)
    nb = nbformat.read(path, 4)
    nb.cells[2].source = "scale = 3\nwhile True:\n    pass"
    nbformat.write(nb, path)
    status, out = run(path, seconds_per_cell=2)
    assert status == 1
    assert "`scale = 3`: did not finish within 2 s (an endless loop?): the grade stops it there too" in out, out
    assert re.search(r"✓ dJ +passed all 3 practice checks", out)  # the run went on after it


def test_the_notebook_is_found_as_jupyterlab_vs_code_or_its_folder_names_it(tmp_path, monkeypatch):
    path = forms.write(tmp_path / "work")
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setattr(presubmission, "_from_jupyter_server", lambda: None)  # no server here
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    found, how, folder = presubmission.find_notebook()
    assert found == path and "matches the practice file" in how and folder == tmp_path / "work"
    other = path.with_name("copy.ipynb")
    other.write_bytes(path.read_bytes())
    monkeypatch.setenv("JPY_SESSION_NAME", "work/copy.ipynb")  # a path relative to the server's root
    assert presubmission.find_notebook()[0] == tmp_path / "work" / "copy.ipynb"
    monkeypatch.setenv("JPY_SESSION_NAME", str(other))
    assert presubmission.find_notebook()[0] == other
    monkeypatch.setattr(presubmission, "notebook_namespace", lambda: {"__vsc_ipynb_file__": str(path)})
    found, how, _ = presubmission.find_notebook()
    assert found == path and "VS Code" in how
    found, how, _ = presubmission.find_notebook("missing.ipynb")
    assert found is None and "is not a file" in how


def test_without_nbclient_it_says_how_to_get_it(tmp_path, monkeypatch, capsys):
    path = forms.write(tmp_path)
    monkeypatch.setattr(presubmission, "_jupyter", lambda: None)
    status, out = run(path)
    assert status == 2 and "%pip install nbclient" in out and "JupyterLab" in out
    monkeypatch.setattr("importlib.util.find_spec", lambda name: None)
    gdcourse.presubmit(path)
    assert "%pip install nbclient" in capsys.readouterr().out


def test_it_does_nothing_inside_its_own_run_or_while_graded(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(presubmission.INSIDE, "1")
    gdcourse.presubmit()
    assert "does nothing inside the pre-submission run" in capsys.readouterr().out
    monkeypatch.delenv(presubmission.INSIDE)
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    gdcourse.presubmit()
    assert "does nothing while the notebook is graded" in capsys.readouterr().out


def test_from_a_notebook_cell_it_runs_in_a_process_of_its_own(tmp_path, capfd):
    path = forms.write(tmp_path)
    saved = session(path)
    gdcourse.presubmit(path)  # what a cell does: python -m gdcourse.presubmit, its report printed as it comes
    out = capfd.readouterr().out
    assert out.startswith("Pre-submission check of forms.ipynb, as saved at ")
    assert "code cell 2 of 9 (In [3] in your session)" in out and "Your notebook file was not changed." in out
    assert "WARNING" not in out  # the kernel's own warnings stay out of the report
    assert path.read_bytes() == saved


def test_a_presubmit_cell_of_the_notebook_does_not_run_again_in_the_fresh_kernel(tmp_path):
    path = forms.write(tmp_path)
    nb = nbformat.read(path, 4)
    nb.cells[1].source = "scale = 3"
    nb.cells.append(nbformat.v4.new_code_cell("gdcourse.presubmit()\nimport os\nassert os.environ['GDCOURSE_PRESUBMIT'] == '1'"))
    nbformat.write(nb, path)
    status, out = run(path)
    assert status == 0 and "raise an error" not in out and out.count("Pre-submission check of") == 1, out
    assert "1 of 1 points' worth of exercises pass these checks." in out  # the questions: graded only
