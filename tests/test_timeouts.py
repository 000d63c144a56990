"""A cell stopped at its time limit is named as such, by GuardedExecute itself (issue 14)."""

from __future__ import annotations

import tempfile

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from autograder.run.config import course_config as load_config
from autograder.pipeline.execute import GuardedExecute
from autograder.pipeline.metadata import timed_out as timed_out_cells

from .grading import ROOT


def run(nb, timeout=2):
    config = load_config(ROOT)
    config.Execute.timeout = timeout
    with tempfile.TemporaryDirectory() as workdir:
        resources = {"metadata": {"path": workdir}}
        nb, _ = GuardedExecute(config=config).preprocess(nb, resources)
    return nb


def test_a_cell_at_its_time_limit_is_timed_out_not_interrupted_and_the_next_cell_runs():
    nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("while True:\n    pass"),
                             new_code_cell("print(x + 1)")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb = run(nb)
    errors = [o for o in nb.cells[1].outputs if o.get("output_type") == "error"]
    assert [(e["ename"], e["evalue"]) for e in errors] == [("TimedOut", "timed out after 2 s (an endless loop?)")]
    assert timed_out_cells(nb.metadata) == ["cell 2 timed out after 2 s (an endless loop?)"]
    assert nb.cells[2].outputs[0]["text"] == "2\n"


def test_what_a_submission_wrote_into_the_grading_metadata_is_not_read_back():
    nb = new_notebook(cells=[new_code_cell("x = 1")])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["gd_course"] = {"grading": {"timed_out": ["<b>every cell</b> timed out"], "problem": "forged"}}
    nb = run(nb)
    assert timed_out_cells(nb.metadata) == [] and nb.metadata["gd_course"]["grading"]["problem"] is None
