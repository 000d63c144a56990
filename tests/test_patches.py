"""Every patch of another project's internals is registered, matches what it replaces, and stays in its range.

(a) each patch gives what the untouched library gives on representative inputs (the zygote's
IPython and stack_data patches and the gradebook shortcuts are compared in
tests/test_speedups.py, named in :data:`SAME_AS_STOCK`); (b) with the version made to look
out of range, a speedup is not applied, a safeguard is kept, and either says so once;
(c) every patch site found in autograder/ is in :data:`autograder.patches.PATCHES`.
"""

from __future__ import annotations

import ast
import asyncio
import importlib
import logging
import os
import shutil
import sys
import tempfile

import pytest
import zmq
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.channels import AsyncZMQSocketChannel
from jupyter_client.session import Session
from nbformat.v4 import new_code_cell, new_notebook

from autograder import patches

from .grading import ROOT, venv_env

# the test that compares each patch with the stock behaviour it replaces
SAME_AS_STOCK = {
    "stack_data-lexer-made-once": "tests/test_speedups.py::test_tracebacks_read_the_same_with_the_zygotes_lexer",
    "ipython-error-formatted-once":
        "tests/test_speedups.py::test_an_error_is_formatted_once_and_shown_and_stored_as_before",
    "ipython-cell-transformed-once": "tests/test_speedups.py::test_a_cell_is_transformed_once_and_runs_as_before",
    "nbgrader-shared-engines": "tests/test_speedups.py::"
                               "test_gradebooks_of_one_database_share_an_engine_and_still_read_back_what_was_written",
    "nbgrader-metadata-validator-built-once":
        "tests/test_speedups.py::test_the_cached_metadata_validator_accepts_and_refuses_exactly_what_jsonschema_does",
    "nbgrader-manual-flags-in-one-query":
        "tests/test_patches.py::test_manual_grading_flags_read_in_one_query_are_nbgraders",
    "jupyter_client-warm-kernel-launch": "tests/test_patches.py::test_a_notebook_runs_the_same_in_every_kind_of_kernel",
    "jupyter_client-quick-ready": "tests/test_patches.py::test_a_notebook_runs_the_same_in_every_kind_of_kernel",
    "jupyter_client-capped-sockets": "tests/test_patches.py::test_capped_sockets_connect_and_read_as_stock_ones_do",
    "jupyter_client-sandboxed-kernel":
        "tests/test_patches.py::test_a_notebook_runs_the_same_in_every_kind_of_kernel",
    "nbclient-guarded-execute": "tests/test_patches.py::test_a_notebook_runs_the_same_in_every_kind_of_kernel",
    "nbgrader-regular-handins-only": "tests/test_handin.py::test_a_regular_submission_is_copied_as_stock_nbgrader_copies_it",
    "nbgrader-failures-recorded": "tests/test_handin.py::test_a_regular_submission_is_copied_as_stock_nbgrader_copies_it",
}


@pytest.fixture(autouse=True)
def decide_afresh():
    patches.forget()
    yield
    patches.forget()


def out_of_range(monkeypatch, version: str = "999.0", projects=None) -> None:
    """Make ``projects`` (default: all) look installed at ``version``."""
    real = patches.installed_version
    monkeypatch.setattr(patches, "installed_version",
                        lambda project: version if projects is None or project in projects else real(project))


def patch_warnings(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "autograder.patches" and r.levelno == logging.WARNING]


# (a) the same result as the stock library ---------------------------------------------------------

def test_every_patch_is_compared_with_what_it_replaces():
    assert set(SAME_AS_STOCK) == set(patches.PATCHES)
    for test in SAME_AS_STOCK.values():
        path, name = test.split("::")
        assert f"def {name}(" in (ROOT / path).read_text(), test


def test_the_locked_environment_is_inside_every_range():
    locked = dict(line.split("==", 1) for line in (ROOT / "deploy" / "grader-constraints.txt").read_text().split()
                  if "==" in line)
    locked = {name.lower().replace("_", "-"): version for name, version in locked.items()}
    for patch in patches.PATCHES.values():
        for project, tested in patch.tested:
            assert patches.in_range(locked[project.lower().replace("_", "-")], tested), (patch.name, project)
            assert patches.in_range(patches.installed_version(project), tested), (patch.name, project)
        assert patches.applies(patch.name)


NOTEBOOK = [
    "x = 41\nx + 1",
    "print('θ =', 0.5)",
    "def dJ(theta):\n    raise NotImplementedError()\ndJ(1.0)",
    "import numpy as np\nnp.linalg.inv(np.zeros((2, 2)))",
    "%precision 3\n3.14159",
    "1 +",
    "import asyncio\nawait asyncio.sleep(0)\n'awaited'",
]


def run_notebook(preprocessor) -> list:
    nb = new_notebook(cells=[new_code_cell(source) for source in NOTEBOOK])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    with tempfile.TemporaryDirectory() as workdir:
        nb, _ = preprocessor.preprocess(nb, {"metadata": {"path": workdir}})
    return [(cell.execution_count, cell.outputs) for cell in nb.cells]


def stock_run() -> list:
    """The notebook run by nbconvert's own ExecutePreprocessor, in a stock (unsandboxed) kernel."""
    from jupyter_client.manager import AsyncKernelManager
    from nbconvert.preprocessors import ExecutePreprocessor

    return run_notebook(ExecutePreprocessor(kernel_manager_class=AsyncKernelManager, allow_errors=True,
                                            extra_arguments=["--HistoryManager.hist_file=:memory:"]))


def guarded_run(warm: bool) -> list:
    from autograder.run.config import course_config as load_config
    from autograder.pipeline.execute import GuardedExecute

    config = load_config(ROOT)
    config.GuardedExecute.warm_start = warm
    return run_notebook(GuardedExecute(config=config))


needs_root_and_bwrap = pytest.mark.skipif(os.geteuid() != 0 or not shutil.which("bwrap"),
                                          reason="warm kernels need root and bubblewrap")


@needs_root_and_bwrap
def test_a_notebook_runs_the_same_in_every_kind_of_kernel(monkeypatch):
    """Stock nbconvert in a stock kernel, GuardedExecute in a cold sandbox, in a warm one with every
    patch, and in a warm one without the zygote's IPython and stack_data patches: the same outputs,
    tracebacks included."""
    from autograder.kernel import warm
    from autograder.kernel.warm import Zygote

    stock = stock_run()
    traceback = "".join(stock[2][1][0]["traceback"])
    assert "NotImplementedError" in traceback and "\x1b[" in traceback and "3.142" in str(stock[4])
    assert guarded_run(warm=False) == stock
    Zygote.close_all()
    monkeypatch.setattr(Zygote, "_instances", {})
    assert guarded_run(warm=True) == stock and Zygote._instances  # a zygote was used
    Zygote.close_all()
    monkeypatch.setattr(Zygote, "_instances", {})
    patches.forget()
    out_of_range(monkeypatch, projects=("ipython", "stack_data"))
    assert warm.allowed_warm_up_patches() == ""
    assert guarded_run(warm=True) == stock and Zygote._instances  # a zygote was used
    Zygote.close_all()


def test_capped_sockets_connect_and_read_as_stock_ones_do(tmp_path):
    """The capped client's sockets are stock ones plus a size limit; the metered channel reads a
    message as the stock channel does, plus its size on the wire."""
    from autograder.kernel.sandbox import WIRE_BYTES, CappedKernelClient, MeteredChannel

    info = dict(transport="ipc", ip=str(tmp_path / "k"), shell_port=1, iopub_port=2, stdin_port=3, hb_port=4,
                control_port=5)
    stock, capped = AsyncKernelClient(**info), CappedKernelClient(**info)
    for channel in ("shell", "iopub", "control", "stdin"):
        a, b = stock._create_connected_socket(channel), capped._create_connected_socket(channel)
        assert (a.type, a.getsockopt(zmq.LAST_ENDPOINT)) == (b.type, b.getsockopt(zmq.LAST_ENDPOINT))
        assert (a.getsockopt(zmq.MAXMSGSIZE), b.getsockopt(zmq.MAXMSGSIZE)) == (-1, capped.max_message_bytes)
        a.close(linger=0)
        b.close(linger=0)
    assert stock.iopub_channel_class is not MeteredChannel

    message = Session(key=b"secret").msg("stream", content={"name": "stdout", "text": "θ\n" * 3}, parent={"msg_id": "m"})

    async def received(channel_class) -> dict:
        context, session = zmq.asyncio.Context(), Session(key=b"secret")  # one each: a replayed message is refused
        sender, receiver = context.socket(zmq.PAIR), context.socket(zmq.PAIR)
        address = f"ipc://{tmp_path / channel_class.__name__}"
        sender.bind(address)
        receiver.connect(address)
        session.send(sender, message)
        msg = await asyncio.wait_for(channel_class(receiver, session)._recv(), timeout=10)
        sender.close(linger=0)
        receiver.close(linger=0)
        context.term()
        return msg

    stock_msg, metered = asyncio.run(received(AsyncZMQSocketChannel)), asyncio.run(received(MeteredChannel))
    assert metered.pop(WIRE_BYTES) > 0
    assert metered == stock_msg and stock_msg["content"]["text"] == "θ\n" * 3


def make_gradebook(url: str) -> None:
    """Two submissions of a one-cell assignment; only the second needs manual grading."""
    from nbgrader.api import Gradebook

    with Gradebook(url) as gb:
        gb.add_assignment("a1")
        gb.add_notebook("nb", "a1")
        gb.add_grade_cell("c1", "nb", "a1", max_score=1, cell_type="code")
        for student in ("ada", "ben"):
            gb.add_student(student)
            gb.add_submission("a1", student)
        for student, manual in (("ada", False), ("ben", True)):
            gb.find_grade("c1", "nb", "a1", student).needs_manual_grade = manual
        gb.db.commit()


@pytest.mark.parametrize("in_range", [True, False])
def test_manual_grading_flags_read_in_one_query_are_nbgraders(tmp_path, monkeypatch, in_range):
    from nbgrader.api import Gradebook

    from autograder.run.export import submissions_of

    monkeypatch.setenv("PATH", venv_env()["PATH"])  # a new gradebook runs `alembic`
    if not in_range:
        out_of_range(monkeypatch)
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    make_gradebook(url)
    with Gradebook(url) as gb:
        ours = {s: sub.needs_manual_grade for s, sub in submissions_of(gb, gb.find_assignment("a1")).items()}
    with Gradebook(url) as gb:
        stock = {s: gb.find_submission("a1", s).needs_manual_grade for s in ("ada", "ben")}
    assert ours == stock == {"ada": False, "ben": True}


# (b) outside the range ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(patches.PATCHES))
def test_outside_its_range_a_speedup_is_off_a_safeguard_kept_and_either_says_so_once(name, monkeypatch, caplog):
    patch = patches.PATCHES[name]
    out_of_range(monkeypatch, "0.0.1")
    answers = {patches.applies(name) for _ in range(3)}
    assert answers == {patch.kind == patches.SAFEGUARD}
    (message,) = patch_warnings(caplog)
    project, tested = patch.tested[0]
    assert name in message and f"{project} 0.0.1 is outside {tested}" in message
    assert ("kept" if patch.kind == patches.SAFEGUARD else "switched off") in message


def test_a_process_started_after_the_warning_does_not_repeat_it(monkeypatch, caplog):
    out_of_range(monkeypatch)
    assert not patches.applies("nbgrader-shared-engines")
    monkeypatch.setattr(patches, "_decided", {})  # a child process: decides again, inherits the environment
    assert not patches.applies("nbgrader-shared-engines")
    assert len(patch_warnings(caplog)) == 1


def test_outside_their_ranges_the_zygote_gets_no_patch_and_the_warm_manager_is_cold(monkeypatch, caplog):
    from autograder.kernel import warm
    from autograder.kernel.sandbox import CappedKernelClient

    assert warm.allowed_warm_up_patches() == ",".join(warm.WARM_UP_PATCHES)
    assert warm.WarmSandboxedKernelManager().client_factory is warm.QuickReadyClient
    patches.forget()
    out_of_range(monkeypatch)
    managers = [warm.WarmSandboxedKernelManager() for _ in range(3)]
    assert warm.allowed_warm_up_patches() == ""
    assert not any(manager.warm for manager in managers)
    assert all(manager.client_factory is CappedKernelClient for manager in managers)
    assert len(patch_warnings(caplog)) == len(warm.WARM_UP_PATCHES) + 2  # one per patch, not per kernel


def test_outside_their_ranges_nbgrader_keeps_its_engines_and_validator(monkeypatch):
    import nbgrader.api
    import nbgrader.nbgraderformat.common as common

    from autograder.run import speedups

    monkeypatch.setattr(speedups, "_applied", set())
    monkeypatch.setattr(nbgrader.api, "create_engine", nbgrader.api.create_engine)
    monkeypatch.setattr(common, "jsonschema", common.jsonschema)
    stock_engine, stock_jsonschema = nbgrader.api.create_engine, common.jsonschema
    out_of_range(monkeypatch)
    speedups.share_gradebook_engines()
    speedups.cache_metadata_validator()
    assert nbgrader.api.create_engine is stock_engine and common.jsonschema is stock_jsonschema


def test_the_zygote_applies_only_the_patches_it_is_given():
    from autograder.kernel import zygote

    assert zygote.allowed_patches(["zygote.py", "filter.bpf"]) == []
    assert zygote.allowed_patches(["zygote.py", "filter.bpf", ""]) == []
    assert zygote.allowed_patches(["zygote.py", "filter.bpf", "stack_data-lexer-made-once"]) == \
        ["stack_data-lexer-made-once"]


# (c) every patch site is registered --------------------------------------------------------------

AUTOGRADER = ROOT / "autograder"


def third_party_imports(tree) -> dict[str, str]:
    """Local name -> dotted module or object path, for every import of a project other than ours."""
    ours = {"autograder", "course", "gdcourse"}
    names = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top not in ours and top not in sys.stdlib_module_names:
                    names[alias.asname or top] = alias.name if alias.asname else top
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            top = node.module.split(".")[0]
            if top not in ours and top not in sys.stdlib_module_names:
                for alias in node.names:
                    names[alias.asname or alias.name] = f"{node.module}.{alias.name}"
    return names


def root_name(node) -> str | None:
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def third_party_bases(module_name: str, class_name: str) -> list[type]:
    cls = getattr(importlib.import_module(module_name), class_name)
    return [base for base in cls.__mro__[1:] if not base.__module__.startswith(("autograder", "builtins"))]


def inherited(bases, name: str) -> bool:
    return any(name in vars(base) or name in getattr(base, "__annotations__", {}) for base in bases)


def is_self_or_super(node) -> bool:
    return (isinstance(node, ast.Name) and node.id == "self") or \
        (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "super")


# methods public by name that their project does not document as a place to override
UNDOCUMENTED_OVERRIDES = {"process_message"}  # nbclient.NotebookClient's


def is_internal(name: str) -> bool:
    return (name.startswith("_") and not name.startswith("__")) or name in UNDOCUMENTED_OVERRIDES


def class_findings(module_name: str, node: ast.ClassDef) -> set[str]:
    """Private names of third-party bases a class overrides or uses, and attributes it sets on
    objects those bases own (``self.provisioner.process = ...``)."""
    bases = third_party_bases(module_name, node.name)
    if not bases:
        return set()
    found = set()
    for child in ast.walk(node):
        if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef)) and is_internal(child.name) \
                and inherited(bases, child.name):
            found.add(child.name)
        elif isinstance(child, ast.Attribute) and is_self_or_super(child.value) and child.attr.startswith("_") \
                and not child.attr.startswith("__") and inherited(bases, child.attr):
            found.add(child.attr)
        elif isinstance(child, ast.Attribute) and isinstance(child.ctx, ast.Store) \
                and isinstance(child.value, ast.Attribute) and is_self_or_super(child.value.value) \
                and not child.value.attr.startswith("_") and inherited(bases, child.value.attr):
            found.add(child.attr)
    return found


def module_findings(tree, imported: dict[str, str]) -> set[str]:
    """Attributes assigned on another project's modules or classes, their ``__init__`` called
    again, and attributes set through SQLAlchemy's ``set_committed_value``."""
    found = set()
    for node in ast.walk(tree):
        targets = node.targets if isinstance(node, ast.Assign) else [node.target] \
            if isinstance(node, (ast.AugAssign, ast.AnnAssign)) else []
        for target in targets:
            for leaf in ast.walk(target):
                if isinstance(leaf, ast.Attribute) and isinstance(leaf.ctx, ast.Store) \
                        and root_name(leaf) in imported:
                    found.add(leaf.attr)
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr == "__init__" and root_name(node.func) in imported:
                found.add("__init__")
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "set_committed_value":
            found.add(node.args[1].value)
    return found


def patch_sites() -> set[tuple[str, str]]:
    """``(module path, name)`` of every place in autograder/ that patches another project."""
    sites = set()
    for path in sorted(AUTOGRADER.rglob("*.py")):
        tree = ast.parse(path.read_text())
        relative = path.relative_to(ROOT).as_posix()
        module_name = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        found = module_findings(tree, third_party_imports(tree))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                found |= class_findings(module_name, node)
        sites |= {(relative, name) for name in found}
    return sites


def test_every_patch_site_is_registered():
    registered = {(patch.module, name) for patch in patches.PATCHES.values() for name in patch.touches}
    sites = patch_sites()
    assert sites - registered == set()
    assert registered - sites == set(), "registered, but no longer found in the code: remove or fix the entry"


def test_every_registered_patch_is_asked_for_at_its_site():
    from autograder.kernel.zygote import WARM_UP_PATCHES

    asked = "".join(path.read_text() for path in AUTOGRADER.rglob("*.py"))
    for patch in patches.PATCHES.values():
        assert f'patches.applies("{patch.name}")' in asked or patch.name in WARM_UP_PATCHES, patch.name
        assert patch.kind in (patches.SPEEDUP, patches.SAFEGUARD)
        assert (ROOT / patch.module).is_file()
        assert patch.name in (ROOT / "docs" / "patches.md").read_text()
