"""Inputs of a call, written exactly as JSON and read back: the practice file's inputs.

Numbers, NumPy arrays and scalars (with their dtype), lists, tuples, dicts, strings, None, a
seeded NumPy ``Generator`` (by its exact state) and functions (a function of ``gdcourse`` by its
name; with ``allow_source``, any other by its source code). ``gdcourse.probe`` writes them in the
instructor's reference run; ``gdcourse.practice`` reads them back in the learner's kernel.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

_GENERATORS = ("PCG64", "PCG64DXSM")  # bit generators whose state is plain integers (default_rng's is PCG64)


class PracticeError(ValueError):
    """A practice file cannot be read or an input cannot be written to one; the message says why."""


def encode_input(x: Any, allow_source: bool = False) -> dict:
    """An argument of a call, as JSON that :func:`decode_input` turns back into an equal object.

    Numbers, NumPy arrays and scalars (with their dtype), lists, tuples, dicts with string
    keys, strings, None, a NumPy ``Generator`` (``np.random.default_rng(seed)``, by its exact
    state, so the decoded one draws the same numbers), and functions: a function of ``gdcourse`` by its name; with
    ``allow_source`` (files that stay with the course's readers), any other function by its
    source code.
    """
    if x is None:
        return {"kind": "none"}
    if isinstance(x, (bool, np.bool_)):
        return {"kind": "bool", "value": bool(x)}
    if isinstance(x, (np.integer, np.floating)):
        return {"kind": "npscalar", "dtype": str(x.dtype), "value": _number(x.item())}
    if isinstance(x, int):
        return {"kind": "int", "value": x}
    if isinstance(x, float):
        return {"kind": "float", "value": _number(x)}
    if isinstance(x, str):
        return {"kind": "str", "value": x}
    if isinstance(x, np.ndarray):
        if x.dtype.kind not in "biuf":
            raise PracticeError(f"an input array of dtype {x.dtype} cannot be written to a practice file")
        return {"kind": "ndarray", "dtype": str(x.dtype), "shape": list(x.shape),
                "data": [_number(v) for v in x.ravel().tolist()]}
    if isinstance(x, np.random.Generator):  # a seeded generator, as its exact state (05: every random choice via rng)
        state = x.bit_generator.state
        if state.get("bit_generator") not in _GENERATORS:
            raise PracticeError(f"a generator on {state.get('bit_generator')} cannot be written to a practice file: "
                                f"use np.random.default_rng(seed)")
        return {"kind": "generator", "state": state}
    if isinstance(x, (list, tuple)):
        return {"kind": type(x).__name__, "items": [encode_input(i, allow_source) for i in x]}
    if isinstance(x, dict):
        if not all(isinstance(k, str) for k in x):
            raise PracticeError("an input dict with keys that are not strings cannot be written to a practice file")
        return {"kind": "dict", "items": {k: encode_input(v, allow_source) for k, v in x.items()}}
    if callable(x):
        module, name = getattr(x, "__module__", "") or "", getattr(x, "__qualname__", "") or ""
        if module.split(".")[0] == "gdcourse" and "<" not in name:
            return {"kind": "function", "ref": f"{module}:{name}"}
        if allow_source:
            import inspect
            import textwrap

            try:
                source = textwrap.dedent(inspect.getsource(x))
            except (OSError, TypeError) as exc:
                raise PracticeError(f"the source of {name or x!r} cannot be found: {exc}") from None
            return {"kind": "function", "name": getattr(x, "__name__", "f"), "source": source}
        raise PracticeError(f"practice inputs may use functions of gdcourse only (e.g. gdcourse.costs), "
                            f"not {module}.{name}: students do not have it")
    raise PracticeError(f"an input of type {type(x).__name__} cannot be written to a practice file")


def decode_input(enc: dict) -> Any:
    """The object :func:`encode_input` wrote."""
    kind = enc["kind"]
    if kind == "none":
        return None
    if kind in ("bool", "int", "str"):
        return enc["value"]
    if kind == "float":
        return float(_unnumber(enc["value"]))
    if kind == "npscalar":
        return np.dtype(enc["dtype"]).type(_unnumber(enc["value"]))
    if kind == "ndarray":
        data = [_unnumber(v) for v in enc["data"]]
        return np.array(data, dtype=enc["dtype"]).reshape(enc["shape"])
    if kind == "generator":
        name = enc["state"].get("bit_generator")
        if name not in _GENERATORS:
            raise PracticeError(f"unknown random generator {name!r} in the practice file")
        bit_generator = getattr(np.random, name)()
        bit_generator.state = enc["state"]
        return np.random.Generator(bit_generator)
    if kind in ("list", "tuple"):
        items = [decode_input(i) for i in enc["items"]]
        return items if kind == "list" else tuple(items)
    if kind == "dict":
        return {k: decode_input(v) for k, v in enc["items"].items()}
    if kind == "function":
        if "ref" in enc:
            import importlib

            module, name = enc["ref"].split(":")
            target = importlib.import_module(module)
            for part in name.split("."):
                target = getattr(target, part)
            return target
        namespace = {"np": np, "math": math}
        exec(compile(enc["source"], f"<practice input {enc['name']}>", "exec"), namespace)  # noqa: S102
        return namespace[enc["name"]]
    raise PracticeError(f"unknown kind of input {kind!r} in the practice file")


# --- a call as the learner can type it ---------------------------------------------------------

#: A call longer than this is not spelled out in a message (gdcourse.practice offers practice_call instead).
CALL_TEXT_LIMIT = 240


def call_text(function: str, inputs: dict, limit: int = CALL_TEXT_LIMIT) -> str | None:
    """The call of ``function`` on encoded ``inputs`` (``[args, kwargs]``, as :func:`encode_input` wrote them) as
    code a learner can paste into a cell: ``dJ(3.5)``, ``gd_step(2.0, 0.2, grad=gdcourse.costs.quartic_grad)``;
    plain numbers, never ``np.float64(...)``. None when an input cannot be written so (a generator whose
    seed is not known, a function given by its source) or the call is longer than ``limit``."""
    try:
        args, kwargs = inputs["items"]
        parts = [_literal(a) for a in args["items"]] + [f"{k}={_literal(v)}" for k, v in kwargs["items"].items()]
    except (KeyError, TypeError, ValueError, _Unwritable):
        return None
    text = f"{function}({', '.join(parts)})"
    return text if len(text) <= limit else None


class _Unwritable(Exception):
    pass


def _float_text(value) -> str:
    x = float(_unnumber(value))
    if math.isnan(x):
        return "np.nan"
    if math.isinf(x):
        return "np.inf" if x > 0 else "-np.inf"
    return repr(x)


def _literal(enc: dict) -> str:
    kind = enc["kind"]
    if kind == "none":
        return "None"
    if kind in ("bool", "int", "str"):
        return repr(enc["value"])
    if kind == "float":
        return _float_text(enc["value"])
    if kind == "npscalar":
        return _float_text(enc["value"]) if np.dtype(enc["dtype"]).kind == "f" else str(int(enc["value"]))
    if kind == "ndarray":
        dtype = np.dtype(enc["dtype"])
        if 0 in enc["shape"]:
            return f"np.zeros({tuple(enc['shape'])})"
        write = _float_text if dtype.kind == "f" else (lambda v: repr(bool(v)) if dtype.kind == "b" else str(int(v)))
        flat = [write(v) for v in enc["data"]]

        def nest(shape, items):
            if not shape:
                return items[0]
            step = len(items) // shape[0]
            return "[" + ", ".join(nest(shape[1:], items[k * step:(k + 1) * step]) for k in range(shape[0])) + "]"

        plain_dtype = dtype in (np.dtype(float), np.dtype(int), np.dtype(bool))
        return f"np.array({nest(list(enc['shape']), flat)}{'' if plain_dtype else f', dtype=np.{dtype.name}'})"
    if kind == "list":
        return "[" + ", ".join(_literal(i) for i in enc["items"]) + "]"
    if kind == "tuple":
        items = [_literal(i) for i in enc["items"]]
        return f"({items[0]},)" if len(items) == 1 else f"({', '.join(items)})"
    if kind == "dict":
        return "{" + ", ".join(f"{k!r}: {_literal(v)}" for k, v in enc["items"].items()) + "}"
    if kind == "generator":
        seed = _seeds().get(_state_key(enc["state"]))
        if seed is None:
            raise _Unwritable()
        return f"np.random.default_rng({seed})"
    if kind == "function" and "ref" in enc:
        module, name = enc["ref"].split(":")
        return f"{module}.{name}"
    raise _Unwritable()


def _state_key(state: dict):
    inner = state.get("state", {})
    return (state.get("bit_generator"), inner.get("state"), inner.get("inc"), state.get("has_uint32"),
            state.get("uinteger"))


_SEED_CACHE: dict = {}


def _seeds(count: int = 1024) -> dict:
    """The fresh states of ``np.random.default_rng(seed)`` for small seeds, to name a practice input's generator."""
    if not _SEED_CACHE:
        for seed in range(count):
            _SEED_CACHE[_state_key(np.random.default_rng(seed).bit_generator.state)] = seed
    return _SEED_CACHE


def _number(value):
    if isinstance(value, float) and not math.isfinite(value):
        return "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _unnumber(value):
    return float(value) if isinstance(value, str) else value
