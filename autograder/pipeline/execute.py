"""Execute a student notebook so that nothing the student does can stall or sink the grader.

:class:`GuardedExecute` is nbgrader's ``Execute`` with:

- every kernel in the sandbox (:mod:`autograder.kernel.sandbox`);
- one deadline for the whole notebook on top of the per-cell timeout;
- a cell that times out and ignores the interrupt, or a kernel that dies (``os._exit``,
  memory, CPU limit), ends the run instead of the grader: the cells already run keep
  their outputs, every later cell gets an error output saying why it did not run (so
  its test scores 0, with a reason), and the notebook's metadata records the problem
  (``metadata.gd_course.grading.problem``) for the status column;
- one output budget per cell that every message of the kernel counts against, whatever
  its kind (streams, displays and their updates, errors, widget messages, probe records),
  so that nothing a kernel sends can fill the grader's memory or the graded notebook.
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.utils import run_sync
from nbclient.exceptions import CellTimeoutError, DeadKernelError
from nbformat.v4 import new_output
from nbgrader.preprocessors import Execute
from traitlets import Bool, Integer

from gdcourse.probe import MIME as PROBE_MIME
from gdcourse.probe import TIMED_OUT as PROBE_TIMED_OUT
from gdcourse.wording import timed_out_text

from autograder import patches
from autograder.pipeline import metadata
from autograder.pipeline.notebook import is_test_cell
from autograder.kernel.sandbox import WIRE_BYTES, SandboxedKernelManager

NOT_RUN = "NotRun"
#: Run silently once the kernel answers, before the notebook: the working folder (handed-in files) on the
#: path where IPython puts it, which the kernel was started without (autograder.kernel.sandbox.isolated_kernel_cmd)
WORKING_FOLDER_ON_PATH = """import os as _os, sys as _sys
if '' not in _sys.path:
    _sys.path.insert(next((i for i, p in enumerate(_sys.path)
                           if _os.path.basename(p) in ('site-packages', 'dist-packages')), 0), '')
del _os, _sys"""
TIMED_OUT = "TimedOut"  # the ename a cell's error gets when the cell was stopped at its time limit


def cell_label(cell, index: int) -> str:
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id")
    return f"cell {index + 1}" + (f" ({grade_id})" if grade_id else "")


def not_run_output(reason: str):
    return new_output("error", ename=NOT_RUN, evalue=f"not run: {reason}",
                      traceback=[f"{NOT_RUN}: this cell was not run because {reason}"])


class NotebookNotRun(RuntimeError):
    """The notebook could not be run at all (its kernel did not start, or the run broke down); the
    message is the reason the status column gives."""


class GuardedExecute(Execute):
    """nbgrader's ``Execute``, sandboxed, with a notebook deadline and an output cap."""

    notebook_timeout = Integer(300, help="Seconds the whole notebook may run, kernel start included.").tag(config=True)
    responsive_timeout = Integer(5, help="Seconds a timed-out cell has to stop after the interrupt.").tag(config=True)
    max_output_bytes = Integer(1024**2, help="Bytes of messages one cell may send besides probe records, "
                               "every kind counted; the rest is dropped (its first error is always kept, "
                               "shortened).").tag(config=True)
    max_probe_outputs = Integer(100, help="Probe records kept from one cell (a hidden cell makes one).").tag(config=True)
    max_probe_bytes = Integer(4 * 1024**2, help="Bytes of probe records kept from one cell (a hidden cell "
                              "of this course sends under 40 KB).").tag(config=True)
    max_notebook_output_bytes = Integer(8 * 1024**2, help="Bytes of messages the whole notebook may send besides "
                                        "probe records; beyond it outputs are dropped with a note (each cell's "
                                        "first error is still kept, shortened).").tag(config=True)
    max_notebook_probe_bytes = Integer(4 * 1024**2, help="Bytes of probe records kept from the whole notebook (a "
                                       "notebook of this course sends under 1 MB).").tag(config=True)

    timeout_after_a_timeout = Integer(5, help="Seconds a cell that is neither a test nor an answer may run once "
                                      "a cell or a probed call was stopped at its time limit: a function that "
                                      "never returns is called by many demonstration cells, and each would "
                                      "otherwise use the whole per-cell timeout.").tag(config=True)

    warm_start = Bool(False, help="Fork kernels from a warm, pre-imported parent in the sandbox "
                      "(autograder.kernel.warm; `course grade` turns it on).").tag(config=True)

    def __init__(self, *args, **kwargs):
        patches.applies("nbclient-guarded-execute")  # a safeguard: outside its range it warns, stays on
        kwargs.setdefault("kernel_manager_class", SandboxedKernelManager)
        super().__init__(*args, **kwargs)
        if self.warm_start and self.kernel_manager_class is SandboxedKernelManager:
            from autograder.kernel.warm import WarmSandboxedKernelManager

            self.kernel_manager_class = WarmSandboxedKernelManager
            self.shutdown_kernel = "immediate"  # the zygote kills every process of the kernel's user

    def preprocess(self, nb, resources=None, km=None):
        from nbclient import NotebookClient

        NotebookClient.__init__(self, nb, km)
        self.reset_execution_trackers()
        self._check_assign_resources(resources)
        self._output_budget: dict[int, _Budget] = {}
        self._notebook_budget = _Budget()  # every cell's messages together
        deadline = time.monotonic() + self.notebook_timeout - self._time_spent_preparing()
        metadata.reset_grading(self.nb)  # this run's findings only: nothing a submission wrote there is read back
        self._stopped_once = False
        self.timeout_func = lambda cell: max(1, min(self._cell_limit(cell), deadline - time.monotonic()))
        problem = None
        self._kernel_ready = False
        try:
            with self.setup_kernel():
                info = self.wait_for_reply(self.kc.kernel_info())
                self.nb.metadata["language_info"] = info["content"]["language_info"]
                self._kernel_ready = True  # from here on the kernel runs the student's code: its words are its own
                self.wait_for_reply(self.kc.execute(WORKING_FOLDER_ON_PATH, silent=True, store_history=False))
                for index, cell in enumerate(self.nb.cells):
                    if problem:
                        if cell.cell_type == "code":
                            cell.outputs = [not_run_output(problem)]
                        continue
                    if time.monotonic() > deadline:
                        problem = f"the notebook used up its {self.notebook_timeout} s before {cell_label(cell, index)}"
                        self._stop_kernel()
                        cell.outputs = [not_run_output(problem)] if cell.cell_type == "code" else []
                        continue
                    problem = self._run_cell(cell, resources, index)
        except Exception as exc:
            said = self._sandbox_said()
            raise NotebookNotRun(f"the notebook could not be run: {type(exc).__name__}: {exc}"
                                 + (f"; {said}" if said else "")) from exc
        finally:
            self.timeout_func = None
        self.set_widgets_metadata()
        metadata.set_problem(self.nb, problem)
        return self.nb, self.resources

    def _run_cell(self, cell, resources, index) -> str | None:
        """Run one cell; return why the run must stop, or None."""
        label = cell_label(cell, index)
        limit, started = self.timeout_func(cell), time.monotonic()
        try:
            self.preprocess_cell(cell, resources, index)
        except DeadKernelError:
            why = self._exit_reason() or "the kernel died"
            cell.outputs.append(new_output("error", ename="KernelDied", evalue=why,
                                           traceback=[f"KernelDied: {why}"]))
            return f"the kernel died in {label}: {why}"
        except CellTimeoutError:  # nbclient gave up waiting for the cell's end on iopub
            cell.outputs.append(new_output("error", ename="CellTimeoutError", evalue="the cell did not finish",
                                           traceback=["CellTimeoutError: the cell did not finish"]))
        if cell.cell_type == "code" and time.monotonic() - started >= limit - 0.5:
            self._name_the_timeout(cell, label, limit)
        if cell.cell_type == "code" and any(o.get("ename") in ("CellTimeoutError", TIMED_OUT) for o in cell.outputs):
            if not self._responsive():
                self._stop_kernel()
                return f"{label} ran past its time limit and did not stop when interrupted"
        return None

    def _cell_limit(self, cell) -> float:
        limit = self.timeout or self.notebook_timeout
        graded = cell.get("metadata", {}).get("nbgrader", {})
        if self._stopped_once and not (graded.get("grade") or graded.get("solution")):
            return min(limit, self.timeout_after_a_timeout)
        return limit

    def _name_the_timeout(self, cell, label: str, limit: float) -> None:
        """A cell stopped at its time limit shows as that, not as the KeyboardInterrupt that nbclient's
        interrupt raised in it (the student pressed nothing); the notebook's metadata lists it."""
        stopped = [o for o in cell.outputs if o.get("output_type") == "error"
                   and o.get("ename") in ("KeyboardInterrupt", "CellTimeoutError")]
        if not stopped:
            return
        self._stopped_once = True
        first = stopped[0]  # the kernel's KeyboardInterrupt and nbclient's CellTimeoutError: one event, one output
        cell.outputs = [o for o in cell.outputs if o is first or not any(o is d for d in stopped)]
        first["ename"], first["evalue"] = TIMED_OUT, timed_out_text(limit)
        first["traceback"] = [f"{TIMED_OUT}: {label} {timed_out_text(limit)}: it was stopped at its time limit"]
        metadata.note_timed_out(self.nb, f"{label} {timed_out_text(limit)}")

    def _responsive(self) -> bool:
        """Whether the kernel answers a request within ``responsive_timeout`` seconds."""

        async def ask():
            msg_id = self.kc.kernel_info()
            deadline = time.monotonic() + self.responsive_timeout
            while (left := deadline - time.monotonic()) > 0:
                try:
                    msg = await self.kc.shell_channel.get_msg(timeout=left)
                except Empty:
                    return False
                if msg["parent_header"].get("msg_id") == msg_id:
                    return True
            return False

        return run_sync(ask)()

    def _stop_kernel(self) -> None:
        try:
            run_sync(self.km.shutdown_kernel)(now=True)
        except Exception:  # already gone
            pass

    def _exit_reason(self) -> str | None:
        """Why the kernel ended, from what the grader saw (its exit status), never from what it wrote."""
        reason = getattr(self.km, "exit_reason", lambda: None)()
        said = self._sandbox_said()
        return f"{reason}; {said}" if reason and said else reason

    def _sandbox_said(self) -> str | None:
        """bubblewrap's own complaint when the sandbox failed before the kernel ever answered; None once the
        kernel has answered, since from then on its output is the student's code's and could say anything
        (a line "bwrap: grading infrastructure error" included)."""
        if getattr(self, "_kernel_ready", False):
            return None
        lines = getattr(self.km, "kernel_log", lambda: "")().strip().splitlines()
        complaint = next((line for line in lines if line.startswith("bwrap:")), None)
        return f"the sandbox could not start the kernel ({complaint[:300]})" if complaint else None

    def _time_spent_preparing(self) -> float:
        """Seconds since :class:`~autograder.pipeline.preprocessors.StartTheClock` saw this notebook (0 without it)."""
        started = metadata.started(self.nb)
        if started is None:
            return 0.0
        return min(max(time.time() - started, 0.0), float(self.notebook_timeout))

    def process_message(self, msg, cell, cell_index):
        """Count every message of the cell against its budget before nbclient keeps anything of it.

        Probe records have a share of their own (a count and bytes), so that a cell that
        prints a lot cannot push the hidden checks' results out; everything else (streams,
        displays, display updates, errors, clear_output, widget messages) shares
        ``max_output_bytes``. Beyond it, messages are dropped, except the cell's first
        error, which is kept (shortened), since it decides the cell's points.
        """
        msg_type = msg.get("msg_type")
        if msg_type in ("status", "execute_input"):  # a few bytes each; nbclient needs them to follow the cell
            return super().process_message(msg, cell, cell_index)
        budget = self._output_budget.setdefault(cell_index, _Budget())
        whole = getattr(self, "_notebook_budget", None) or _Budget()
        size = msg.get(WIRE_BYTES) or 0
        content = msg.get("content") or {}
        data = content.get("data") if isinstance(content, dict) else None
        if msg_type in ("display_data", "execute_result") and isinstance(data, dict) and PROBE_MIME in data:
            if not is_test_cell(cell):  # only a test cell's hidden checks publish records: anything else is noise
                return None
            cases = data[PROBE_MIME].get("cases") if isinstance(data[PROBE_MIME], dict) else None
            if isinstance(cases, list) and any(isinstance(c, dict) and isinstance(c.get("error"), dict)
                                               and c["error"].get("type") == PROBE_TIMED_OUT for c in cases):
                self._stopped_once = True  # a probed call never returned: the cells that call it would not either
            budget.probes += 1
            budget.probe_bytes += size
            whole.probe_bytes += size
            if budget.probes > self.max_probe_outputs or budget.probe_bytes > self.max_probe_bytes \
                    or whole.probe_bytes > self.max_notebook_probe_bytes:
                return None
            return super().process_message(msg, cell, cell_index)
        budget.bytes += size
        whole.bytes += size
        if msg_type.startswith("comm"):  # widgets: nothing of this course uses them, nothing is kept
            return None
        over_cell, over_notebook = budget.bytes > self.max_output_bytes, whole.bytes > self.max_notebook_output_bytes
        if msg_type == "error" and not budget.error_kept:
            budget.error_kept = True
            if over_cell or over_notebook:
                msg = dict(msg, content=shortened_error(content))
            return super().process_message(msg, cell, cell_index)
        if over_cell or over_notebook:
            if not budget.noted:
                budget.noted = True
                limit = (f"the notebook's outputs passed {self.max_notebook_output_bytes} bytes" if over_notebook
                         else f"output beyond {self.max_output_bytes} bytes")
                cell.outputs.append(new_output("stream", name="stderr", text=f"[grader: {limit}; the rest was "
                                               "dropped]\n"))
            return None
        return super().process_message(msg, cell, cell_index)


class _Budget:
    """What one cell has sent so far."""

    __slots__ = ("bytes", "probes", "probe_bytes", "error_kept", "noted")

    def __init__(self):
        self.bytes = self.probes = self.probe_bytes = 0
        self.error_kept = self.noted = False


def shortened_error(content: dict) -> dict:
    """An error output's content cut to a few kilobytes: its name, the start of its message, the end
    of its traceback."""
    traceback = content.get("traceback")
    lines = [str(line)[:500] for line in traceback[-10:]] if isinstance(traceback, list) else []
    return {"ename": str(content.get("ename"))[:200], "evalue": str(content.get("evalue"))[:1000],
            "traceback": lines}
