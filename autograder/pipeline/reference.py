"""The expected side of every hidden check, computed from the instructor's notebook.

The source notebook in ``source/<assignment>/`` is executed once, in a kernel of
the grading process, with :func:`activate` run first so that every ``probe(...)``
also computes the named mistakes from the instructor's functions. Its probe
records are the reference: one source of truth, no second copy of the answers.
Records are cached under ``.grading-cache/`` keyed by a hash of the notebook and
of the course and autograder code, so a class is graded against one run.

The cache holds expected values: it must never be readable by a student kernel.
"""

from __future__ import annotations

import copy
import hashlib
import importlib.util
import inspect
import json
import os
import tempfile
import warnings
from pathlib import Path
from typing import Any

import nbformat

from gdcourse import probe as probe_module

from autograder.errors import FixableError
from autograder.pipeline import catalogue
from autograder.pipeline.notebook import probe_records, test_cell_ids

_PACKAGES = [Path(probe_module.__file__).resolve().parent, Path(__file__).resolve().parents[1]]  # gdcourse, autograder


def _activate_source(catalogue_module: str) -> str:
    return (f"import autograder.pipeline.reference as _reference\n_reference.activate({catalogue_module!r})\n"
            "del _reference")


class ReferenceRunError(FixableError):
    """The instructor's notebook could not produce the expected results."""


def activate(catalogue_module: str = catalogue.DEFAULT) -> None:
    """Make ``probe`` compute the named mistakes of the course's catalogue too (reference kernel only)."""
    catalogue.load(catalogue_module)
    probe_module.set_reference_hook(_mistake_outputs)


def _mistake_outputs(func, c, names) -> dict:
    from IPython import get_ipython

    if getattr(func, "gd_answer", False) is True:  # a concept question: its options never appear in a hidden cell
        if names:
            raise ReferenceRunError(f"the hidden check of {func.__name__} lists options ({', '.join(names)}): a list "
                                    "of wrong options in the student's kernel gives the right one away. Write "
                                    f'probe(answer("{func.__name__}"), [case()]) and register the options with '
                                    "wrong_option in content/mistakes/")
        names = catalogue.options_of(func.__name__)
    ns = get_ipython().user_ns
    out: dict[str, Any] = {"arg_names": probe_module.argument_names(func, c), "mistakes": {}}
    for name in names:
        if name not in catalogue.CATALOG:
            raise ReferenceRunError(f"unknown mistake {name!r}: add it to the course's catalogue (content/mistakes/)")
        try:
            # a copy for each mistake: one that draws from a generator or changes an array in place must
            # leave the case as the probe recorded it, for the next mistake and for the inputs shipped
            bound = inspect.signature(func).bind(*copy.deepcopy(c.args), **copy.deepcopy(c.kwargs))
            bound.apply_defaults()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                value = catalogue.CATALOG[name].compute(func, ns, dict(bound.arguments))
            out["mistakes"][name] = probe_module.encode(value)
        except Exception as exc:  # a mistake that does not apply to this input
            out["mistakes"][name] = {"kind": "unavailable", "note": f"{type(exc).__name__}: {exc}"[:200]}
    return out


_fingerprint: tuple[tuple, str] = ((), "")  # (the files' stat signature, their hash): hashed again when they change
_loaded: dict[Path, tuple[tuple, dict]] = {}  # cache file -> (its stat, its records): read once per process


def _code_fingerprint(catalogue_module: str = catalogue.DEFAULT) -> str:
    global _fingerprint
    spec = importlib.util.find_spec(catalogue_module)
    packages = _PACKAGES + ([Path(spec.origin).resolve().parent] if spec and spec.origin else [])
    files = [path for package in packages for path in sorted(package.rglob("*.py"))]
    signature = tuple((str(p), st.st_mtime_ns, st.st_size) for p in files for st in [p.stat()])
    if _fingerprint[0] != signature:
        digest = hashlib.sha256()
        for path in files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        _fingerprint = (signature, digest.hexdigest())
    return _fingerprint[1]


def _read_cached(path: Path) -> dict:
    """The records in a cache file; the same (read-only) object while the file is unchanged."""
    st = path.stat()
    signature = (st.st_mtime_ns, st.st_size)
    known = _loaded.get(path)
    if known is None or known[0] != signature:
        known = _loaded[path] = (signature, json.loads(path.read_text()))
    return known[1]


def reference_records(source_notebook: str | os.PathLike, cache_dir: str | os.PathLike | None,
                      timeout: int = 60, catalogue_module: str = catalogue.DEFAULT) -> dict[str, dict]:
    """Probe records of the instructor's notebook, by grade id of the test cell.

    Each entry is ``{"source": <the test cell's source>, "probes": [<record>, ...]}``.
    Records read from the cache are shared between callers: do not modify them.

    Parameters
    ----------
    source_notebook : path
        ``source/<assignment>/<notebook>.ipynb``, with solutions and hidden tests.
    cache_dir : path or None
        Where to keep the records between runs; ``None`` disables the cache.
    """
    source_notebook = Path(source_notebook)
    if not source_notebook.is_file():
        raise ReferenceRunError(f"the instructor notebook {source_notebook} is missing: "
                             "hidden checks need source/ to compute the expected values")
    content = source_notebook.read_bytes()
    key = hashlib.sha256(content + _code_fingerprint(catalogue_module).encode()).hexdigest()[:20]
    cached = None
    if cache_dir is not None:
        cached = Path(cache_dir) / source_notebook.parent.name / f"{source_notebook.stem}.{key}.json"
        if cached.is_file():
            return _read_cached(cached)

    records = _execute_reference(source_notebook, timeout, catalogue_module)
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", dir=cached.parent, delete=False, suffix=".tmp") as tmp:
            json.dump(records, tmp)
        os.replace(tmp.name, cached)  # atomic: parallel graders never read half a file
    return records


def _execute_reference(source_notebook: Path, timeout: int, catalogue_module: str) -> dict[str, dict]:
    from nbclient import NotebookClient

    from jupyter_client.manager import AsyncKernelManager
    from jupyter_client.utils import run_sync

    nb = nbformat.read(source_notebook, as_version=4)
    nb.cells.insert(0, nbformat.v4.new_code_cell(_activate_source(catalogue_module)))
    with tempfile.TemporaryDirectory(prefix="gd-reference-") as sockets:
        # Unix sockets in a private folder: the kernel holding the answers listens on no TCP port
        km = AsyncKernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(sockets, "k"),
                                connection_file=os.path.join(sockets, "kernel.json"))
        client = NotebookClient(nb, km=km, timeout=timeout, kernel_name="python3", allow_errors=True,
                                resources={"metadata": {"path": str(source_notebook.parent)}})
        try:
            client.execute()
        finally:
            if km.has_kernel:  # nbclient leaves a kernel it was given running
                run_sync(km.shutdown_kernel)(now=True)

    errors = [
        (cell.get("metadata", {}).get("nbgrader", {}).get("grade_id", f"cell {i}"), out)
        for i, cell in enumerate(nb.cells)
        if cell.cell_type == "code"
        for out in cell.get("outputs", [])
        if out.get("output_type") == "error"
    ]
    if errors:
        where, out = errors[0]
        raise ReferenceRunError(f"{source_notebook} does not run cleanly: {where} raised "
                             f"{out.get('ename')}: {out.get('evalue')}")
    return {grade_id: {"source": cell.source, "probes": probe_records(cell)} for grade_id, cell in test_cell_ids(nb)}
