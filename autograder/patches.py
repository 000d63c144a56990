"""Every place where the grader reaches into another project's internals, and the releases it was tested on.

The grader replaces or overrides private parts of IPython, stack_data, jupyter_client,
nbclient/nbconvert, nbgrader and jsonschema. Each such patch is declared here once
(:data:`PATCHES`), with the projects it depends on and the versions it was made and tested
for, and each patch site asks :func:`applies` before applying it. ``docs/patches.md`` is
the table for people; ``tests/test_patches.py`` checks that every patch still matches what
it replaces, that it switches off outside its range, and that no patch site is missing here.

Outside its tested range:

- a **speedup** switches off: the library's own code runs (slower, same grades);
- a **safeguard** (the sandbox and the output caps, which keep student code from the
  answer key and the grader's memory) stays on: the stock path has no such protection.

Either way the grader says so once per process (logger ``autograder.patches``, which
reaches stderr), naming the project, the version found and the range.
"""

from __future__ import annotations

import importlib.metadata
import logging
import os
from dataclasses import dataclass

from packaging.specifiers import SpecifierSet
from packaging.version import InvalidVersion

SPEEDUP, SAFEGUARD = "speedup", "safeguard"
# names already warned about in this process or a parent (processes started later inherit it)
WARNED_ENV = "GD_PATCH_WARNINGS_GIVEN"

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Patch:
    """One patch of another project's internals.

    Attributes
    ----------
    name : str
        What patch sites pass to :func:`applies`.
    tested : tuple of (str, str)
        Each project (its distribution name) the patch depends on, with the version range
        (a PEP 440 specifier) it was made and tested for.
    site : str
        The module that applies it and the function or class that does.
    replaces : str
        The stock behaviour: what runs instead when the patch is off.
    touches : tuple of str
        The other project's private names it replaces, overrides, calls or sets (what
        ``tests/test_patches.py`` finds in the source).
    kind : str
        :data:`SPEEDUP` (off outside its range) or :data:`SAFEGUARD` (kept, with a warning).
    no_hook : str
        For a method override of nbclient: why none of nbclient's hooks (``on_cell_start``,
        ``on_cell_executed``, ...) can do the same.
    """

    name: str
    tested: tuple[tuple[str, str], ...]
    site: str
    replaces: str
    touches: tuple[str, ...]
    kind: str = SPEEDUP
    no_hook: str = ""

    @property
    def module(self) -> str:
        """The patch site's file, relative to the repository (``autograder/kernel/zygote.py``)."""
        return self.site.split(":", 1)[0]

    def untested(self) -> list[tuple[str, str | None, str]]:
        """``(project, version found, tested range)`` of each project installed outside its range."""
        outside = []
        for project, tested in self.tested:
            found = installed_version(project)
            if not in_range(found, tested):
                outside.append((project, found, tested))
        return outside


JUPYTER_CLIENT, NBCLIENT, NBCONVERT = ("jupyter_client", "==8.10.0"), ("nbclient", "==0.11.0"), ("nbconvert", "==7.17.2")
IPYTHON, NBGRADER = ("ipython", "==9.18.1"), ("nbgrader", "==0.9.6")

PATCHES: dict[str, Patch] = {patch.name: patch for patch in (
    Patch("stack_data-lexer-made-once", (("stack_data", "==0.6.3"),),
          "autograder/kernel/zygote.py: cache_traceback_lexer",
          "stack_data.utils._pygmented_with_ranges defines a new pygments lexer class for every traceback "
          "frame (about 6 ms a frame)",
          ("_pygmented_with_ranges",)),
    Patch("ipython-error-formatted-once", (IPYTHON,),
          "autograder/kernel/zygote.py: format_each_error_once",
          "AutoFormattedTB.structured_traceback formats a cell's error twice: to show it and for the history",
          ("structured_traceback",)),
    Patch("ipython-cell-transformed-once", (IPYTHON,),
          "autograder/kernel/zygote.py: transform_each_cell_once",
          "TransformerManager.transform_cell and interactiveshell._should_be_async run twice a cell "
          "(ipykernel, then run_cell)",
          ("transform_cell", "_should_be_async")),
    Patch("nbgrader-shared-engines", (NBGRADER, ("sqlalchemy", "==2.1.9")),
          "autograder/run/speedups.py: share_gradebook_engines",
          "nbgrader.api.Gradebook makes a new SQLAlchemy engine (and query cache) for every gradebook it opens",
          ("create_engine",)),
    Patch("nbgrader-metadata-validator-built-once", (NBGRADER, ("jsonschema", "==4.26.0")),
          "autograder/run/speedups.py: cache_metadata_validator",
          "nbgrader.nbgraderformat.common calls jsonschema.validate, which checks the schema and builds a "
          "validator for every cell",
          ("jsonschema",)),
    Patch("nbgrader-manual-flags-in-one-query", (NBGRADER,),
          "autograder/run/export.py: submissions_of",
          "SubmittedAssignment.needs_manual_grade is a correlated query per submission, loaded lazily",
          ("needs_manual_grade",)),
    Patch("jupyter_client-warm-kernel-launch", (JUPYTER_CLIENT,),
          "autograder/kernel/warm.py: WarmSandboxedKernelManager",
          "a cold sandboxed kernel (SandboxedKernelManager: bwrap starts a new Python, ~1 s of imports); "
          "the warm launch sets the provisioner's process, pid and pgid and reconciles the connection info",
          ("_async_pre_start_kernel", "_async_launch_kernel", "_reconcile_connection_info", "process", "pid", "pgid")),
    Patch("jupyter_client-quick-ready", (JUPYTER_CLIENT,),
          "autograder/kernel/warm.py: QuickReadyClient",
          "KernelClient._async_wait_for_ready ends with 0.2 s of IOPub silence per kernel",
          ("_async_wait_for_ready", "_handle_kernel_info_reply", "_async_is_alive")),
    Patch("jupyter_client-capped-sockets", (JUPYTER_CLIENT,),
          "autograder/kernel/sandbox.py: CappedKernelClient, MeteredChannel",
          "sockets without a message-size limit; AsyncZMQSocketChannel._recv without the size on the wire "
          "(output budgets count bytes) and raising on a message it cannot read",
          ("_create_connected_socket", "_recv"), kind=SAFEGUARD),
    Patch("jupyter_client-sandboxed-kernel", (JUPYTER_CLIENT,),
          "autograder/kernel/sandbox.py: SandboxedKernelManager",
          "a kernel started without bubblewrap, interrupted by a signal to its process group, its folder "
          "left behind",
          ("_async_pre_start_kernel", "_async_launch_kernel", "_async_interrupt_kernel", "_connect_control_socket",
           "_control_socket", "_async_cleanup_resources"), kind=SAFEGUARD),
    Patch("nbgrader-regular-handins-only", (NBGRADER,),
          "autograder/run/nbgrader_hooks.py: guard_nbgrader_autograde",
          "Autograde.init_assignment copies every file of a submission with shutil.copy, following symbolic "
          "links (the answer key, /dev/zero) and blocking on named pipes; its pre_convert_hook cannot refuse",
          ("init_assignment",), kind=SAFEGUARD),
    Patch("nbgrader-failures-recorded", (NBGRADER,),
          "autograder/run/nbgrader_hooks.py: guard_nbgrader_autograde",
          "Autograde.convert_single_notebook's error is only logged (no hook runs): the status record would "
          "say the grading never finished, without the reason (a refusal, a notebook that cannot be run)",
          ("convert_single_notebook",), kind=SAFEGUARD),
    Patch("nbclient-guarded-execute", (NBCLIENT, NBCONVERT),
          "autograder/pipeline/execute.py: GuardedExecute",
          "nbconvert's ExecutePreprocessor.preprocess (which also calls NotebookClient.__init__ again) and "
          "NotebookClient.process_message: no notebook deadline, no output budget, a dead kernel ends grading",
          ("__init__", "_check_assign_resources", "process_message"), kind=SAFEGUARD,
          no_hook="nbclient's hooks run per cell (on_cell_start, on_cell_executed, ...), none per message, and "
                  "none can drop a message before it is kept, skip the remaining cells or go on after a dead "
                  "kernel: the budget needs process_message, the deadline the cell loop of preprocess"),
)}


def installed_version(project: str) -> str | None:
    """The installed version of distribution ``project``, or None if it is not installed."""
    try:
        return importlib.metadata.version(project)
    except importlib.metadata.PackageNotFoundError:
        return None


def in_range(version: str | None, tested: str) -> bool:
    """Whether ``version`` is inside the PEP 440 range ``tested`` (None or unparsable: no)."""
    try:
        return version is not None and SpecifierSet(tested).contains(version, prereleases=True)
    except InvalidVersion:
        return False


_decided: dict[str, bool] = {}


def applies(name: str) -> bool:
    """Whether the patch ``name`` may be applied in this process (see the module docs).

    A speedup outside its tested range does not apply; a safeguard always does. Outside
    the range, the first call in a process warns; later calls return the same answer.
    """
    if name not in _decided:
        patch = PATCHES[name]
        outside = patch.untested()
        if outside:
            _warn_once(patch, outside)
        _decided[name] = not outside or patch.kind == SAFEGUARD
    return _decided[name]


def _warn_once(patch: Patch, outside) -> None:
    given = set(filter(None, os.environ.get(WARNED_ENV, "").split(",")))
    if patch.name in given:
        return
    os.environ[WARNED_ENV] = ",".join(sorted(given | {patch.name}))
    found = "; ".join(f"{project} {version or 'not installed'} is outside {tested}"
                      for project, version, tested in outside)
    outcome = ("kept (without it, student code would lose a protection); run tests/test_patches.py and the "
               "sandbox tests on this release" if patch.kind == SAFEGUARD else
               f"switched off: {patch.replaces} (slower, same grades)")
    log.warning("patch %s (%s): %s, the range it was tested for; %s. See docs/patches.md to extend the range.",
                patch.name, patch.site, found, outcome)


def forget() -> None:
    """Decide again on next use, and warn again (for tests)."""
    _decided.clear()
    os.environ.pop(WARNED_ENV, None)
