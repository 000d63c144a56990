"""The shortcuts of `course grade` (autograder/speedups.py, the zygote's traceback lexer) change no result."""

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

    from autograder.speedups import share_gradebook_engines

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

    from autograder.speedups import _CachingJsonschema

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

    from autograder.speedups import cache_metadata_validator

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
        from autograder import zygote
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


def test_tracebacks_read_the_same_with_the_zygotes_lexer():
    """A student's feedback must not depend on which grader ran the notebook."""
    script = TRACEBACKS.format(root=str(ROOT))
    runs = {}
    for mode in ("stock", "fixed"):
        proc = subprocess.run([sys.executable, "-c", script, mode], capture_output=True, text=True,
                              env=venv_env(), timeout=120)
        assert proc.returncode == 0, proc.stderr
        runs[mode] = json.loads(proc.stdout)
    assert len(runs["stock"]) == 4 and all(runs["stock"])
    assert "NotImplementedError" in "".join(runs["stock"][0]) and "\x1b[" in "".join(runs["stock"][0])
    assert runs["fixed"] == runs["stock"]


def test_the_lexer_fix_stays_away_from_other_stack_data_releases(monkeypatch):
    import stack_data

    from autograder import zygote

    monkeypatch.setattr(stack_data, "__version__", "0.7.0")
    assert zygote.cache_traceback_lexer() is False
