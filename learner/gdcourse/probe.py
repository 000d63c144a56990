"""Run a function on hidden inputs and publish what it returned: no answers here.

A hidden test cell calls :func:`probe` with the student's function and a list of
inputs. The probe calls the function on a deep copy of each input, encodes what
came back (value, shape, exception, the arguments as they were left afterwards)
as plain JSON and publishes it as one display output with the MIME type
:data:`MIME`. Nothing here knows the right answers: the grading process compares
the record with the same probe run on the instructor's solution (see
``autograder/``), outside the student's kernel.

Everything this module emits is a *claim* by the student's kernel. A submission
can patch it and publish anything; the grader only gives credit for values that
match the reference, which the kernel never sees.
"""

from __future__ import annotations

import copy
import inspect
import math
import signal
import threading
import warnings
import weakref
from contextlib import contextmanager, nullcontext
from typing import Any, Callable, Iterable

from .inputs import PracticeError, encode_input

MIME = "application/vnd.gd-course.probe+json"
FORMAT_VERSION = 1
MAX_ELEMENTS = 20_000
MAX_ITEMS = 1_000
MAX_DEPTH = 6
MAX_TEXT = 300

#: A probed call that runs longer is stopped and recorded as this error (an endless loop?): it costs its
#: own exercise, not the notebook's time. Later calls of the same function are not made.
SECONDS_PER_CALL = 2.0
TIMED_OUT = "TimedOut"
_timed_out: "weakref.WeakSet[Callable]" = weakref.WeakSet()  # functions that did not return in time

# Set only inside the grader's reference kernel (autograder.pipeline.reference.activate):
# computes the outputs of known mistakes from the instructor's functions.
_reference_hook: Callable[..., dict] | None = None


def set_reference_hook(hook: Callable[..., dict] | None) -> None:
    """In the grader's reference kernel only: ``hook(func, case, mistakes) -> dict`` adds each case's
    argument names and named mistakes' results to the record (``autograder.pipeline.reference``)."""
    global _reference_hook
    _reference_hook = hook


class case:  # noqa: N801 - reads as a call in hidden cells: case(3.0, alpha=0.1)
    """One hidden input: the positional and keyword arguments of one call."""

    __slots__ = ("args", "kwargs")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.args = args
        self.kwargs = kwargs

    def __repr__(self) -> str:
        parts = [_short_repr(a) for a in self.args]
        parts += [f"{k}={_short_repr(v)}" for k, v in self.kwargs.items()]
        return f"case({', '.join(parts)})"


def probe(func: Callable, cases: Iterable[case | tuple | Any], mistakes: Iterable[str] = (),
          practice: Iterable[case | tuple | Any] = (), visible: Iterable[case | tuple | Any] = (),
          derived_from: Iterable[str] = ()) -> None:
    """Call ``func`` on every case and publish the results for the grader.

    Parameters
    ----------
    func : callable
        The student's function, e.g. ``dJ``.
    cases : iterable of case
        Hidden inputs. A bare tuple is taken as positional arguments and any other
        object as the single positional argument.
    mistakes : iterable of str
        Names from ``content.mistakes.CATALOG`` that the grader should try to
        recognise in a wrong answer. Ignored in the student's kernel. Never given for a
        question's answer (``answer("q")``): the grader finds its options in the catalogue,
        since a list of the wrong options would give the right one away.
    practice : iterable of case
        Other inputs, for students' practice checks (``gdcourse.check()``): only the
        instructor's reference run calls the function on them, and ``course bundle``
        ships their results beside the notebook. Numbers, arrays and functions of
        ``gdcourse`` only. Ignored in the student's kernel.
    visible : iterable of case
        The inputs the student can see: those of the visible tests and of the notebook's
        worked examples. They are never graded; the grader uses them to tell a function
        that is right only where the student could check it ("hard-coded for the visible
        test") from other wrong answers.
    derived_from : iterable of str
        For an exercise whose point is a derivative: the names of the costs it is the
        derivative of. The grader then reads the submitted code (outside this kernel, with
        :mod:`gdcourse.derivation`) and gives no point to a derivative measured numerically.
    """
    cases = [_as_case(c) for c in cases]
    mistakes = [str(m) for m in mistakes]
    name = getattr(func, "__name__", None)
    records = [run_case(func, c) for c in cases]
    payload = {
        "version": FORMAT_VERSION,
        "function": name if isinstance(name, str) else type(func).__name__,
        "mistakes": mistakes,
        "cases": records,
    }
    visible = [_as_case(c) for c in visible]
    if visible:
        payload["visible"] = [run_case(func, c) for c in visible]
    if getattr(func, "gd_answer", False) is True:  # a question's answer (gdcourse.answers.answer)
        payload["kind"] = "answer"
    derived_from = [str(c) for c in derived_from]
    if derived_from:
        payload["derived_from"] = derived_from
    if _reference_hook is not None:
        _add_reference_data(func, cases, records, mistakes, [_as_case(c) for c in practice], payload, visible)
    from IPython.display import publish_display_data

    publish_display_data(
        {MIME: payload, "text/plain": f"[hidden checks ran on {payload['function']}: {len(records)} inputs]"}
    )


def _add_reference_data(func, cases, records, mistakes, practice, payload, visible) -> None:
    """In the instructor's reference run: each case's named-mistake results and exact inputs, and the
    practice cases with theirs."""
    for record, c in zip(records, cases):
        record.update(_reference_hook(func, c, mistakes))
        try:  # for a self-study reader's check on the hidden inputs (course workbook)
            record["inputs"] = encode_input([list(c.args), c.kwargs], allow_source=True)
        except PracticeError:
            record["inputs"] = None
    if payload.get("kind") == "answer" and records:  # a question's options come from the grader's catalogue
        payload["mistakes"] = list(records[0]["mistakes"])
    for record, c in zip(payload.get("visible", []), visible):
        record.update(_reference_hook(func, c, mistakes))
        try:  # shipped with the practice inputs when every visible input is something students have
            record["inputs"] = encode_input([list(c.args), c.kwargs])
        except PracticeError:
            record["inputs"] = None
    if practice:
        payload["practice"] = []
        for c in practice:
            record = run_case(func, c)
            record.update(_reference_hook(func, c, mistakes))
            record["inputs"] = encode_input([list(c.args), c.kwargs])  # raises for what students cannot have
            payload["practice"].append(record)


def _as_case(c: Any) -> case:
    if isinstance(c, case):
        return c
    if isinstance(c, tuple):
        return case(*c)
    return case(c)


class _TookTooLong(BaseException):  # not an Exception: a function's `except Exception` must not swallow it
    pass


@contextmanager
def time_limit(seconds: float):
    """Raise :class:`_TookTooLong` in the block after ``seconds`` (and every 50 ms after that, until the
    block ends), where SIGALRM can be used (the main thread); elsewhere, no limit."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "setitimer"):
        yield
        return

    def stop(signum, frame):
        raise _TookTooLong()

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds, 0.05)
    try:
        yield
    finally:
        while True:  # the alarm may fire once more before it is off: never let it out of here
            try:
                signal.setitimer(signal.ITIMER_REAL, 0)
                signal.signal(signal.SIGALRM, previous)
                break
            except _TookTooLong:
                continue


def _timed_out_error(seconds: float) -> dict:
    return {"type": TIMED_OUT, "message": f"did not return within {seconds:g} s"}


def run_case(func: Callable, c: case, seconds: float | None = None) -> dict:
    """Call ``func`` on a copy of case ``c`` and record what happened, within ``seconds`` (default
    :data:`SECONDS_PER_CALL`); a function that ran out of time once is not called again."""
    seconds = SECONDS_PER_CALL if seconds is None else seconds
    args = copy.deepcopy(c.args)
    kwargs = copy.deepcopy(c.kwargs)
    record: dict[str, Any] = {"call": _call_text(func, c), "args": encode([list(c.args), c.kwargs])}
    try:
        if _is_timed_out(func):
            raise _TookTooLong()
        # the instructor's reference run is never stopped: a slow machine must not turn its answers into errors
        with (time_limit(seconds) if _reference_hook is None else nullcontext()), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = func(*args, **kwargs)
        record["result"] = encode(result)
    except _TookTooLong:
        _note_timed_out(func)
        record["error"] = _timed_out_error(seconds)
    except Exception as exc:  # the student's error is data, not a crash of the probe
        record["error"] = {"type": type(exc).__name__, "message": _text(exc)}
    record["args_after"] = encode([list(args), kwargs])
    return record


def _is_timed_out(func: Callable) -> bool:
    try:
        return func in _timed_out
    except TypeError:  # not weakly referable, or unhashable: never noted
        return False


def _note_timed_out(func: Callable) -> None:
    try:
        _timed_out.add(func)
    except TypeError:
        pass


def _call_text(func: Callable, c: case) -> str:
    name = getattr(func, "__name__", "f")
    parts = [_short_repr(a) for a in c.args] + [f"{k}={_short_repr(v)}" for k, v in c.kwargs.items()]
    return f"{name if isinstance(name, str) else 'f'}({', '.join(parts)})"


def _short_repr(x: Any) -> str:
    if callable(x) and hasattr(x, "__name__"):
        return str(x.__name__)
    try:
        import numpy as np

        if isinstance(x, np.ndarray):
            return "np.array(" + np.array2string(x, separator=", ", threshold=12, precision=6) + ")"
    except Exception:
        pass
    text = repr(x)
    return text if len(text) <= 80 else text[:77] + "..."


def _text(exc: BaseException) -> str:
    try:
        text = str(exc)
    except Exception:
        text = "<unprintable>"
    return text[:MAX_TEXT]


def _number(value: float) -> float | str:
    if math.isnan(value):
        return "nan"
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def encode(x: Any, depth: int = 0) -> dict:
    """Encode a value as JSON-safe data: kind, shape, dtype and numbers.

    Never raises: an object that cannot be read becomes ``{"kind": "other"}``.
    """
    try:
        return _encode(x, depth)
    except Exception as exc:  # hostile __float__, __len__, __iter__ ...
        return {"kind": "other", "type": type(x).__name__, "note": f"unreadable: {_text(exc)}"}


def _encode(x: Any, depth: int) -> dict:
    import numpy as np

    if depth > MAX_DEPTH:
        return {"kind": "other", "type": type(x).__name__, "note": "nested too deeply"}
    if x is None:
        return {"kind": "none"}
    if isinstance(x, (bool, np.bool_)):
        return {"kind": "bool", "value": bool(x)}
    if isinstance(x, (int, float, np.integer, np.floating)):
        return {"kind": "scalar", "type": type(x).__name__, "value": _number(float(x))}
    if isinstance(x, np.ndarray):
        shape = [int(n) for n in x.shape]
        out = {"kind": "array", "shape": shape, "dtype": str(x.dtype)}
        if x.dtype.kind not in "biuf":
            out["data"] = None
            out["note"] = f"dtype {x.dtype} is not numeric"
        elif x.size > MAX_ELEMENTS:
            out["data"] = None
            out["note"] = "too large to record"
        else:
            out["data"] = [_number(v) for v in np.asarray(x, dtype=float).ravel().tolist()]
        return out
    if isinstance(x, (list, tuple)):
        items = list(x[:MAX_ITEMS])
        arrays = [i for i in items if isinstance(i, np.ndarray)]
        shared = any(
            np.shares_memory(a, b) for k, a in enumerate(arrays) for b in arrays[k + 1 :]
        ) if 1 < len(arrays) <= 200 else False
        return {
            "kind": "sequence",
            "type": type(x).__name__,
            "length": len(x),
            "items": [_encode(i, depth + 1) for i in items],
            "shared_memory": bool(shared),
        }
    if isinstance(x, dict):
        return {
            "kind": "mapping",
            "items": {str(k): _encode(v, depth + 1) for k, v in list(x.items())[:MAX_ITEMS]},
        }
    if isinstance(x, str):
        return {"kind": "str", "value": x[:MAX_TEXT]}
    if isinstance(x, complex):
        return {"kind": "other", "type": "complex"}
    if callable(x):
        name = getattr(x, "__name__", None)
        return {"kind": "callable", "name": name if isinstance(name, str) else type(x).__name__}
    return {"kind": "other", "type": type(x).__name__}


def decode_number(value: float | str) -> float:
    """A number as :func:`encode` wrote it ("nan", "inf" and "-inf" are text in JSON) back as a float."""
    if isinstance(value, str):
        return {"nan": math.nan, "inf": math.inf, "-inf": -math.inf}.get(value, math.nan)
    return float(value)


def decode_array(enc: dict):
    """An encoded scalar or numeric array as a float ndarray (shape () for a scalar); None for anything
    else, or an array whose numbers were not recorded."""
    import numpy as np

    if enc.get("kind") == "scalar":
        return np.array(decode_number(enc["value"]))
    if enc.get("kind") == "array" and enc.get("data") is not None:
        return np.array([decode_number(v) for v in enc["data"]], dtype=float).reshape(enc["shape"])
    return None


def is_scalar_like(enc: dict) -> bool:
    """Whether an encoded value is one number: a scalar, or an array of shape ()."""
    return enc.get("kind") == "scalar" or (enc.get("kind") == "array" and enc.get("shape") == [])


def argument_names(func: Callable, c: case) -> list[str]:
    """Names the positional arguments of ``c`` bind to in ``func``'s signature."""
    try:
        params = [
            p.name
            for p in inspect.signature(func).parameters.values()
            if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
    except (TypeError, ValueError):
        params = []
    return [params[i] if i < len(params) else f"argument {i + 1}" for i in range(len(c.args))]
