"""Run inside a fresh virtual environment that holds only pip, ipykernel, nbclient and an
unzipped bundle: what a student of a graded class has. Driven by tests/test_student_edition.py.

    python student_edition_driver.py JOB.json RESULT.json

JOB: {"folder": the unzipped bundle of one assignment, "assignment": id,
      "solutions": {grade_id: source}, "mutants": [{"name", "cell", "source"}]}
RESULT: {"release_errors": [[cell, ename, evalue, source]], errors of the untouched release notebook
         "solution_errors": [[cell, ename, evalue]], errors with the solutions pasted in
         "solution_check": [[exercise, points, passed, message]], gdcourse.check's verdicts then
         "check_output": what gdcourse.check() printed, "check_seconds": how long it took,
         "mutants": {name: [[exercise, points, passed, message]]}}
"""

import json
import sys
import time

import nbformat
from nbclient import NotebookClient


def errors(nb):
    return [(i, o.ename, str(o.evalue)[:300]) for i, c in enumerate(nb.cells) if c.cell_type == "code"
            for o in c.get("outputs", []) if o.output_type == "error"]


def run(nb, folder, extra_cells=()):
    nb = nbformat.from_dict(nb)
    nb.cells += [nbformat.v4.new_code_cell(source) for source in extra_cells]
    NotebookClient(nb, timeout=120, allow_errors=True, kernel_name="python3",
                   resources={"metadata": {"path": folder}}).execute()
    return nb


def main(job_path, result_path):
    job = json.load(open(job_path))
    folder, assignment = job["folder"], job["assignment"]
    release = nbformat.read(f"{folder}/{assignment}.ipynb", as_version=4)
    executed = run(release, folder)
    result = {"release_errors": [[i, ename, evalue, executed.cells[i].source] for i, ename, evalue in errors(executed)]}

    solved = nbformat.from_dict(release)
    for cell in solved.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
        if grade_id in job["solutions"]:
            cell.source = job["solutions"][grade_id]
    solution_cells = {c.metadata["nbgrader"]["grade_id"]: c.source for c in solved.cells
                      if c.metadata.get("nbgrader", {}).get("solution")}
    probe = ("import json, time, gdcourse.practice as _p\n"
             "_data = _p.load_practice_file(_p.find_practice_file(get_ipython().user_ns))\n"
             "print('RESULT ' + json.dumps(_p.check_exercises(_data, get_ipython().user_ns)))\n")
    cells = ["import time\n_t = time.perf_counter()\ngdcourse.check()\nprint(f'SECONDS {time.perf_counter() - _t}')",
             probe]
    for mutant in job["mutants"]:
        cells += [mutant["source"], probe, solution_cells[mutant["cell"]]]
    executed = run(solved, folder, cells)
    n = len(solved.cells)
    result["solution_errors"] = [e for e in errors(executed) if e[0] < n]

    def printed(cell):
        return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")

    def verdicts(cell):
        lines = [line for line in printed(cell).splitlines() if line.startswith("RESULT ")]
        return json.loads(lines[0][7:]) if lines else printed(cell) + str(errors(nbformat.v4.new_notebook(cells=[cell])))

    check_text = printed(executed.cells[n])
    result["check_output"] = check_text
    result["check_seconds"] = float(check_text.split("SECONDS ")[-1]) if "SECONDS " in check_text else None
    result["solution_check"] = verdicts(executed.cells[n + 1])
    result["mutants"] = {m["name"]: verdicts(executed.cells[n + 3 + 3 * i]) for i, m in enumerate(job["mutants"])}
    json.dump(result, open(result_path, "w"))


if __name__ == "__main__":
    started = time.perf_counter()
    main(*sys.argv[1:3])
