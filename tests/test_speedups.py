"""The shortcuts of `course grade` (autograder/run/speedups.py, the zygote's traceback lexer) change no result."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import jsonschema
import pytest
from nbformat.v4 import new_code_cell

from .grading import ROOT, venv_env


def test_gradebooks_of_one_database_share_an_engine_and_still_read_back_what_was_written(tmp_path, monkeypatch):
    from nbgrader.api import Gradebook

    monkeypatch.setenv("PATH", venv_env()["PATH"])  # a new gradebook runs `alembic`

    from autograder.run.speedups import share_gradebook_engines

    share_gradebook_engines()
    url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    with Gradebook(url) as first:
        first.add_student("ada")
        engine = first.engine
    with Gradebook(url) as second:  # closed and opened again, as nbgrader's preprocessors do
        assert second.engine is engine
        assert [s.id for s in second.students] == ["ada"]
        second.add_student("ben")
    with Gradebook(f"sqlite:///{tmp_path / 'other.db'}") as other:
        assert other.engine is not engine and other.students == []
    with Gradebook(url) as third:
        assert sorted(s.id for s in third.students) == ["ada", "ben"]


def _metadata(**changes) -> dict:
    meta = {"grade": True, "grade_id": "test_dJ", "locked": True, "points": 2, "schema_version": 3,
            "solution": False, "task": False}
    meta.update(changes)
    return meta


@pytest.mark.parametrize("meta", [_metadata(), _metadata(points="two"), _metadata(grade="yes"),
                                  {k: v for k, v in _metadata().items() if k != "grade_id"}])
def test_the_cached_metadata_validator_accepts_and_refuses_exactly_what_jsonschema_does(meta):
    from nbgrader.nbgraderformat import MetadataValidator

    from autograder.run.speedups import _CachingJsonschema

    schema = MetadataValidator().schema
    cached = _CachingJsonschema(jsonschema)

    def outcome(validate):
        try:
            validate(meta, schema)
            return None
        except jsonschema.ValidationError as exc:
            return exc.message, list(exc.path), list(exc.schema_path)

    assert outcome(cached.validate) == outcome(cached.validate) == outcome(jsonschema.validate)


def test_nbgraders_metadata_check_still_refuses_a_corrupted_cell():
    from nbgrader.nbgraderformat import MetadataValidator, ValidationError

    from autograder.run.speedups import cache_metadata_validator

    cache_metadata_validator()
    cell = new_code_cell("x = 1", metadata={"nbgrader": _metadata(points="two")})
    with pytest.raises(ValidationError):
        MetadataValidator().validate_cell(cell)
    MetadataValidator().validate_cell(new_code_cell("x = 1", metadata={"nbgrader": _metadata()}))


TRACEBACKS = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {root!r})
    from IPython.core.interactiveshell import InteractiveShell
    if sys.argv[1] == "fixed":
        import stack_data.core
        from autograder.kernel import zygote
        assert zygote.cache_traceback_lexer()
        assert stack_data.core._pygmented_with_ranges is zygote.pygmented_with_ranges
    shell = InteractiveShell.instance()
    texts = []
    cells = [
        "def dJ(theta):\\n    raise NotImplementedError()",
        "assert dJ(3.0) == 6.0, 'dJ(3) should be 6'",
        "import numpy as np\\nnp.linalg.inv(np.zeros((2, 2)))",
        "def f(n):\\n    return f(n - 1) if n else 1 / n\\nf(3)",
        "x = [1, 2,\\n     3][7]",
    ]
    for cell in cells:
        try:
            exec(compile(cell, shell.compile.cache(cell), "exec"), shell.user_ns)
        except Exception:
            texts.append(shell.InteractiveTB.structured_traceback(*sys.exc_info()))
    print(json.dumps(texts))
""")


def stock_and_fixed(template: str) -> dict:
    """What a script (``template``, formatted with the repository root) prints as JSON, run
    once as ``stock`` and once as ``fixed`` (with the zygote's shortcut), each in a fresh interpreter."""
    script = template.format(root=str(ROOT))
    runs = {}
    for mode in ("stock", "fixed"):
        proc = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True,
                              env=venv_env(), timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs[mode] = json.loads(proc.stdout)
    return runs


def test_tracebacks_read_the_same_with_the_zygotes_lexer():
    """A student's feedback must not depend on which grader ran the notebook."""
    runs = stock_and_fixed(TRACEBACKS)
    assert len(runs["stock"]) == 4 and all(runs["stock"])
    assert "NotImplementedError" in "".join(runs["stock"][0]) and "\x1b[" in "".join(runs["stock"][0])
    assert runs["fixed"] == runs["stock"]


ERRORS_ONCE = textwrap.dedent("""
    import json, sys
    sys.path.insert(0, {root!r})
    from IPython.core import ultratb
    from IPython.core.interactiveshell import InteractiveShell
    if sys.argv[1] == "fixed":
        from autograder.kernel import zygote
        assert zygote.format_each_error_once()
    formatted = [0]
    inner = ultratb.FormattedTB.structured_traceback
    def counting(*args, **kwargs):
        formatted[0] += 1
        return inner(*args, **kwargs)
    ultratb.FormattedTB.structured_traceback = counting
    shell = InteractiveShell.instance()
    shown = []
    shell._showtraceback = lambda etype, evalue, stb: shown.append(stb)
    cells = [
        "def dJ(theta):\\n    raise NotImplementedError()",
        "dJ(1)",
        "assert dJ(3.0) == 6.0, 'dJ(3) should be 6'",
        "import numpy as np\\nnp.linalg.inv(np.zeros((2, 2)))",
        "def f(n):\\n    return f(n - 1) if n else 1 / n\\nf(3)",
        "try:\\n    1 / 0\\nexcept Exception as exc:\\n    raise KeyError('k') from exc",
        "get_ipython().InteractiveTB.tb_offset = 0\\n[][1]",
        "1 +",
    ]
    for cell in cells:
        shell.run_cell(cell, store_history=True)
    stored = {{str(k): v for k, v in shell.history_manager.exceptions.items()}}
    print(json.dumps({{"shown": shown, "stored": stored, "formatted": formatted[0]}}))
""")


def test_an_error_is_formatted_once_and_shown_and_stored_as_before():
    """IPython formats each error twice (to show it, and again for its history); the zygote's kernels once."""
    runs = stock_and_fixed(ERRORS_ONCE)
    stock, fixed = runs["stock"], runs["fixed"]
    assert len(stock["shown"]) == len(stock["stored"]) == 7
    assert fixed["shown"] == stock["shown"] and fixed["stored"] == stock["stored"]
    # six errors raised while running (the syntax error has its own formatter); the one after
    # the offset changed is formatted again by the history copy, as stock does
    assert stock["formatted"] == 12 and fixed["formatted"] == 7


CELLS_ONCE = textwrap.dedent("""
    import contextlib, io, json, sys
    sys.path.insert(0, {root!r})
    from IPython.core import inputtransformer2, interactiveshell
    calls = {{"transform": 0, "async": 0}}
    inner_transform = inputtransformer2.TransformerManager.transform_cell
    def counting_transform(self, cell):
        calls["transform"] += 1
        return inner_transform(self, cell)
    inputtransformer2.TransformerManager.transform_cell = counting_transform
    inner_async = interactiveshell._should_be_async
    def counting_async(cell):
        calls["async"] += 1
        return inner_async(cell)
    interactiveshell._should_be_async = counting_async
    if sys.argv[1] == "fixed":
        from autograder.kernel import zygote
        assert zygote.transform_each_cell_once()
    shell = interactiveshell.InteractiveShell.instance()
    cells = [
        "x = 1\\ny = 2", "x", "%precision 3", "3.14159", "files = !echo hi\\nfiles",
        "import asyncio\\nawait asyncio.sleep(0)", "def f():\\n    return 1\\nf()", "len?", "1 +",
        "get_ipython().input_transformers_post.append(lambda lines: [l.replace('41', '42') for l in lines])",
        "print(41)", "print(41)",
    ]
    seen = []
    for cell in cells:  # as ipykernel's do_execute does: transform, ask about await, then run_cell
        transformed = shell.transform_cell(cell)
        needs_loop = shell.should_run_async(cell, transformed_cell=transformed)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            result = shell.run_cell(cell, store_history=True)
        seen.append([transformed, needs_loop, out.getvalue(), repr(result.result),
                     repr(result.error_before_exec), repr(result.error_in_exec)])
    print(json.dumps({{"seen": seen, "calls": calls}}))
""")


def test_a_cell_is_transformed_once_and_runs_as_before():
    """ipykernel and run_cell each transform a cell and check it for top-level await; the zygote's kernels once."""
    runs = stock_and_fixed(CELLS_ONCE)
    stock, fixed = runs["stock"], runs["fixed"]
    assert fixed["seen"] == stock["seen"]
    assert "42\n" in stock["seen"][-1][2] and "3.142" in stock["seen"][3][2] and "SyntaxError" in stock["seen"][8][4]
    cells = len(stock["seen"])
    assert stock["calls"] == {"transform": 2 * cells, "async": 2 * cells}
    # once a cell; the last cell repeats the one before it, with the same transformers: no work at all
    assert fixed["calls"] == {"transform": cells - 1, "async": cells - 1}
