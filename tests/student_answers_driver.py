"""Run inside a student's fresh virtual environment (pip, ipykernel, nbclient and the gdcourse wheel only):
a kernel driven as JupyterLab drives it (jupyter_client: execute requests on the shell channel, outputs
from IOPub, JPY_SESSION_NAME set as jupyter_server sets it). Driven by tests/test_student_answers.py.

    python student_answers_driver.py JOB.json RESULT.json

JOB: {"notebook": path of forms.ipynb, "trials": [{"question", "answer", "hidden", "visible"}],
      "order": [cell indices, in the order the learner runs them], "session_answers": {question: code}}
RESULT: {"trials": [{"question", "answer", "visible": {"error": [ename, evalue] | None, "stdout"},
                     "record": the hidden check's probe record, "check": what gdcourse.check(question) printed}],
         "session_check": what gdcourse.check() printed at the end of the session,
         "presubmit_cell": what gdcourse.presubmit() printed in a cell,
         "presubmit_cli": [exit status, stdout] of python -m gdcourse.presubmit,
         "unchanged": whether the notebook file is byte for byte as saved}
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
from jupyter_client.manager import KernelManager

MIME = "application/vnd.gd-course.probe+json"


class Kernel:
    def __init__(self, folder: Path, notebook: Path):
        env = dict(os.environ, JPY_SESSION_NAME=str(notebook))  # as jupyter_server starts a notebook's kernel
        self.km = KernelManager(kernel_name="python3")
        self.km.start_kernel(cwd=str(folder), env=env)
        self.kc = self.km.client()
        self.kc.start_channels()
        self.kc.wait_for_ready(timeout=120)
        self.count = 0

    def run(self, code: str, timeout: float = 300) -> dict:
        """Execute ``code`` as a notebook cell; its outputs as nbformat outputs, and its execution count."""
        msg_id = self.kc.execute(code)
        outputs = []
        while True:
            msg = self.kc.get_iopub_msg(timeout=timeout)
            if msg["parent_header"].get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg["content"]
            if kind == "status" and content["execution_state"] == "idle":
                break
            if kind == "stream":
                if outputs and outputs[-1].get("output_type") == "stream" and outputs[-1]["name"] == content["name"]:
                    outputs[-1]["text"] += content["text"]
                else:
                    outputs.append(nbformat.v4.new_output("stream", name=content["name"], text=content["text"]))
            elif kind in ("display_data", "execute_result"):
                output = nbformat.v4.new_output(kind, data=content["data"])
                if kind == "execute_result":
                    output["execution_count"] = content["execution_count"]
                outputs.append(output)
            elif kind == "error":
                outputs.append(nbformat.v4.new_output("error", ename=content["ename"], evalue=content["evalue"],
                                                      traceback=content["traceback"]))
            elif kind == "execute_input":
                self.count = content["execution_count"]
        while True:
            reply = self.kc.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == msg_id:
                return {"outputs": outputs, "count": reply["content"].get("execution_count", self.count)}

    def stop(self):
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)


def stdout(result: dict) -> str:
    return "".join(o["text"] for o in result["outputs"] if o["output_type"] == "stream" and o["name"] == "stdout")


def error(result: dict):
    errors = [o for o in result["outputs"] if o["output_type"] == "error"]
    return [errors[0]["ename"], errors[0]["evalue"]] if errors else None


def main(job_path: str, result_path: str) -> None:
    job = json.loads(Path(job_path).read_text())
    notebook = Path(job["notebook"])
    folder = notebook.parent
    nb = nbformat.read(notebook, as_version=4)
    kernel = Kernel(folder, notebook)
    out = {"trials": []}
    try:
        # the learner's session: every cell, the cell that uses `scale` after the one that defines it
        for index in job["order"]:
            cell = nb.cells[index]
            name = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            if name in job["session_answers"]:
                cell.source = cell.source.rsplit("\n", 1)[0] + f"\n{name} = {job['session_answers'][name]}"
            result = kernel.run(cell.source)
            cell.outputs, cell.execution_count = result["outputs"], result["count"]
        nbformat.write(nb, notebook)  # the learner saves (Ctrl+S)
        saved = notebook.read_bytes()
        out["session_check"] = stdout(kernel.run("gdcourse.check()"))

        # the answers, pasted one after the other: the visible test, the hidden check, check(name)
        for trial in job["trials"]:
            kernel.run(f"{trial['question']} = {trial['answer']}")
            hidden = kernel.run(trial["hidden"])
            records = [o["data"][MIME] for o in hidden["outputs"] if MIME in o.get("data", {})]
            visible = kernel.run(trial["visible"])
            check = kernel.run(f"gdcourse.check({trial['question']!r})")
            out["trials"].append({**trial, "record": records[0] if records else None,
                                  "hidden_error": error(hidden),
                                  "visible": {"error": error(visible), "stdout": stdout(visible)},
                                  "check": stdout(check), "check_error": error(check)})

        # before handing in: the pre-submission check, from a cell and from a terminal
        for name, code in job["session_answers"].items():  # back to the session's answers
            kernel.run(f"{name} = {code}")
        cell = kernel.run("gdcourse.presubmit()", timeout=600)
        out["presubmit_cell"] = stdout(cell)
        out["presubmit_cell_error"] = error(cell)
        cli = subprocess.run([sys.executable, "-m", "gdcourse.presubmit", str(notebook)], cwd=folder,
                             capture_output=True, text=True, timeout=600)
        out["presubmit_cli"] = [cli.returncode, cli.stdout, cli.stderr[-2000:]]
        out["unchanged"] = notebook.read_bytes() == saved
    finally:
        kernel.stop()
    Path(result_path).write_text(json.dumps(out))


if __name__ == "__main__":
    main(*sys.argv[1:3])
