"""Was a derivative derived? Read the code of a derivation exercise for a numerical shortcut.

In an exercise whose point is a derivative or a gradient, a function that *measures* the
slope of the cost (finite differences, a complex step, a call of the cost or of
``numerical_gradient``) gives the right numbers without the derivation. This module reads
the code, never runs it: the function's own definition and every definition of the
notebook it reaches by name (helpers, lambdas, assigned values, imports), the last one of
each name in the order the cells ran. It finds:

- a call of the cost itself, or of a numerical differentiator (the notebook's
  ``numerical_gradient``, ``gdcourse.gradcheck``, ``np.gradient``, SciPy, SymPy, autograd…);
- complex numbers (``1j``, ``complex``, ``.imag``, a complex dtype): the complex step;
- one function subtracted from itself at two points, ``f(a) - f(b)``: a finite difference;
- code that hides what it calls (``eval``, ``exec``, ``getattr``, ``globals()``, a dunder
  attribute) or a name that no cell of the notebook defines.

The same reading serves the visible test (:func:`require_derived`, on the cells the kernel
ran), ``gdcourse.check()`` and the grader (on the submitted notebook's cells, outside the
student's kernel, where nothing the submission does can change what is read). It names the
ways a derivative is measured rather than derived; code that rewrites libraries at run time
through reflection is beyond what reading can see, and says so by being flagged as hidden.
"""

from __future__ import annotations

import ast
import builtins
import functools
import re
from collections.abc import Iterable, Sequence

from .wording import not_derived_text

#: Names whose use means the derivative is measured: the notebooks' and gdcourse's differentiators.
NUMERICAL_NAMES = frozenset({"numerical_gradient", "central_difference", "check_gradient", "gradcheck",
                             "approx_fprime", "derivative", "numdifftools"})
#: Modules a derivation has no use for: differentiators, complex maths, and the course's own helpers.
NUMERICAL_MODULES = frozenset({"scipy", "sympy", "jax", "torch", "autograd", "numdifftools", "cmath",
                               "gdcourse.gradcheck", "tensorflow", "mpmath", "findiff"})
#: Modules whose use hides what is called.
HIDING_MODULES = frozenset({"builtins", "importlib", "sys", "inspect", "ctypes", "os", "subprocess", "types",
                            "operator", "functools"})
#: Attributes of a library that measure a derivative or make complex numbers.
NUMERICAL_ATTRIBUTES = frozenset({"gradient", "imag", "emath", "scimath", "lib", "iscomplex", "iscomplexobj"})
#: Calls that run or fetch code the reader cannot see.
HIDING_CALLS = frozenset({"eval", "exec", "compile", "__import__", "getattr", "setattr", "delattr", "globals",
                          "locals", "vars", "open", "get_ipython", "breakpoint", "input", "memoryview"})
#: Builtins a derived formula may use; any other unbound name must be defined by a cell.
PLAIN_BUILTINS = frozenset({"abs", "all", "any", "bool", "dict", "divmod", "enumerate", "float", "hasattr", "int",
                            "isinstance", "issubclass", "iter", "len", "list", "map", "max", "min", "next", "pow",
                            "print", "range", "reversed", "round", "set", "slice", "sorted", "str", "sum", "tuple",
                            "type", "zip", "filter", "frozenset", "object", "super", "property", "staticmethod",
                            "classmethod", "callable", "repr", "format", "id", "hash", "None", "True", "False",
                            "NotImplemented", "Ellipsis", "__name__"}
                           | {name for name in dir(builtins) if name.endswith(("Error", "Exception", "Warning"))})


_COMPLEX_TYPES = frozenset({"complex", "complex64", "complex128", "complex256", "complex_", "complexfloating",
                            "csingle", "cdouble", "clongdouble", "clongfloat", "cfloat", "c8", "c16", "c32"})


def _complex_type(name: str) -> bool:
    return name in _COMPLEX_TYPES


def _numerical_module(path: str) -> bool:
    return any(path == module or path.startswith(module + ".") for module in NUMERICAL_MODULES)


def parse_cell(source: str) -> ast.Module | None:
    """A cell's code as a syntax tree (IPython's magics turned into calls, as the kernel runs them; the body of a
    cell magic that runs Python, such as ``%%time``, read as Python); None if it does not parse. The tree may be
    shared between calls with the same text: read it, never change it."""
    if not isinstance(source, str):
        return None
    # a grader judges one assignment's cells, mostly the same text, many times over; a long cell (a submission's
    # own) is parsed each time rather than kept. A tree takes up to about 200 bytes a character, so the cache
    # holds at most _CACHED_CELLS × _CACHED_CELL_CHARS characters: about 100 MB at the very worst
    small = type(source) is str and len(source) <= _CACHED_CELL_CHARS
    return _parse_cell_cached(source) if small else _parse_cell(source)


_CACHED_CELL_CHARS = 6_000
_CACHED_CELLS = 96
#: The most code one reading parses: the cells before an exercise of this course hold at most about 60,000
#: characters; a submission that pads them (with cells its kernel never ran, say) is not read past this.
MAX_CODE_CHARS = 400_000
#: Cell magics that run their body as Python in the user's namespace.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun"})


@functools.lru_cache(maxsize=_CACHED_CELLS)
def _parse_cell_cached(source: str) -> ast.Module | None:
    return _parse_cell(source)


def _parse_cell(source: str, depth: int = 0) -> ast.Module | None:
    try:
        from IPython.core.inputtransformer2 import TransformerManager

        source = TransformerManager().transform_cell(source)
    except Exception:  # noqa: BLE001 - no IPython here, or a cell it cannot transform: read it as Python
        source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError, RecursionError, MemoryError):  # the kernel could not have run it either
        return None
    tree.body = [statement for node in tree.body for statement in _cell_magic_body(node, depth)]
    return tree


def _cell_magic_body(node: ast.stmt, depth: int) -> list[ast.stmt]:
    """The statements of a cell magic's body when ``node`` is ``get_ipython().run_cell_magic("time", line, body)``
    (what IPython makes of ``%%time``) and the magic runs Python; otherwise ``[node]``. Magics inside magics are
    read three deep, no deeper."""
    call = node.value if isinstance(node, ast.Expr) else None
    if not (depth < 3 and isinstance(call, ast.Call) and isinstance(call.func, ast.Attribute)
            and call.func.attr == "run_cell_magic"
            and len(call.args) == 3 and all(isinstance(a, ast.Constant) and isinstance(a.value, str)
                                            for a in call.args)
            and call.args[0].value in PYTHON_CELL_MAGICS):
        return [node]
    body = _parse_cell(call.args[2].value, depth + 1)
    return body.body if body is not None else []


def _top_level_bindings(trees: Iterable[ast.Module]) -> dict[str, ast.AST]:
    """Name -> the last statement that binds it at the top level of any cell, in the cells' order."""
    bound: dict[str, ast.AST] = {}

    def visit(statements):
        for node in statements:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                bound[node.name] = node
            elif isinstance(node, (ast.Import, ast.ImportFrom)):
                for alias in node.names:
                    bound[(alias.asname or alias.name).split(".")[0]] = node
            elif isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.For, ast.AsyncFor, ast.With,
                                   ast.AsyncWith)):
                targets = (node.targets if isinstance(node, ast.Assign)
                           else [node.target] if not isinstance(node, (ast.With, ast.AsyncWith))
                           else [item.optional_vars for item in node.items if item.optional_vars is not None])
                for target in targets:
                    for name in ast.walk(target):
                        if isinstance(name, ast.Name):
                            bound[name.id] = node
            if isinstance(node, (ast.If, ast.For, ast.AsyncFor, ast.While, ast.With, ast.AsyncWith, ast.Try)):
                visit(getattr(node, "body", []))
                visit(getattr(node, "orelse", []))
                visit(getattr(node, "finalbody", []))
                for handler in getattr(node, "handlers", []):
                    visit(handler.body)

    for tree in trees:
        visit(tree.body)
    return bound


def _scope_names(node: ast.AST) -> tuple[set[str], set[str]]:
    """(names bound inside ``node``, names it loads): parameters, assignments, imports and nested definitions
    are bound; ``global`` names are not."""
    bound, loaded, declared_global = set(), set(), set()
    for sub in ast.walk(node):
        if isinstance(sub, ast.Name):
            (loaded if isinstance(sub.ctx, ast.Load) else bound).add(sub.id)
        elif isinstance(sub, ast.arg):
            bound.add(sub.arg)
        elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and sub is not node:
            bound.add(sub.name)
        elif isinstance(sub, (ast.Import, ast.ImportFrom)) and sub is not node:
            bound.update((alias.asname or alias.name).split(".")[0] for alias in sub.names)
        elif isinstance(sub, ast.Global):
            declared_global.update(sub.names)
        elif isinstance(sub, ast.ExceptHandler) and sub.name:
            bound.add(sub.name)
    bound -= declared_global
    return bound, loaded - bound


def _dotted(node: ast.AST) -> list[str] | None:
    """``np.linalg.norm`` as ["np", "linalg", "norm"]; None when the chain does not start at a name."""
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        return [node.id, *reversed(parts)]
    return None


def _module_of(statement: ast.AST, name: str) -> str | None:
    """The module path an import statement binds ``name`` to (``import numpy as np``: "numpy")."""
    if isinstance(statement, ast.Import):
        for alias in statement.names:
            if (alias.asname or alias.name).split(".")[0] == name:
                return alias.name if alias.asname else alias.name.split(".")[0]
    if isinstance(statement, ast.ImportFrom):
        for alias in statement.names:
            if (alias.asname or alias.name) == name:
                return f"{statement.module or ''}.{alias.name}".lstrip(".")
    return None


class _Reader:
    """Follows a function through the notebook's definitions and notes every numerical shortcut."""

    def __init__(self, bindings: dict[str, ast.AST], costs: set[str]):
        self.bindings = bindings
        self.costs = costs
        self.reasons: list[str] = []
        self.seen: set[int] = set()

    def note(self, reason: str) -> None:
        if reason not in self.reasons:
            self.reasons.append(reason)

    def read(self, node: ast.AST) -> None:
        if id(node) in self.seen:
            return
        self.seen.add(id(node))
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            self.imports(node)
            return
        bound, free = _scope_names(node)
        for name in sorted(free):
            self.free_name(name)
        self.local_imports(node)
        self.shapes(node, bound)

    def imports(self, node: ast.AST) -> None:
        modules = ([alias.name for alias in node.names] if isinstance(node, ast.Import)
                   else [f"{node.module or ''}.{alias.name}".lstrip(".") for alias in node.names])
        for module in modules:
            root = module.split(".")[0]
            leaf = module.split(".")[-1]
            if _numerical_module(module) or leaf in NUMERICAL_NAMES or leaf in NUMERICAL_ATTRIBUTES \
                    or _complex_type(leaf):
                self.note(f"it uses `{module}`, which computes the derivative for it")
            elif root in HIDING_MODULES:
                self.note(f"it uses `{module}`, which hides what the code calls")

    def local_imports(self, node: ast.AST) -> None:
        for sub in ast.walk(node):
            if isinstance(sub, (ast.Import, ast.ImportFrom)) and sub is not node:
                self.imports(sub)

    def free_name(self, name: str) -> None:
        if name in self.costs:
            self.note(f"it calls the cost `{name}`")
        elif name in NUMERICAL_NAMES:
            self.note(f"it calls `{name}`")
        elif name in HIDING_CALLS:
            self.note(f"it uses `{name}`, which hides what the code calls")
        elif name == "complex" or _complex_type(name):
            self.note("it uses complex numbers (a complex-step derivative)")
        elif name in self.bindings:
            self.read(self.bindings[name])
        elif name not in PLAIN_BUILTINS:
            self.note(f"it uses `{name}`, which no cell of the notebook defines")

    def module_path(self, parts: list[str], bound: set[str], node: ast.AST) -> str | None:
        """``np.gradient`` as "numpy.gradient" when ``np`` names a module (imported in a cell or in ``node``)."""
        head = parts[0]
        statement = None
        if head in bound:
            statement = next((sub for sub in ast.walk(node) if isinstance(sub, (ast.Import, ast.ImportFrom))
                              and _module_of(sub, head)), None)
        elif isinstance(self.bindings.get(head), (ast.Import, ast.ImportFrom)):
            statement = self.bindings[head]
        if statement is None:
            return None
        return ".".join([_module_of(statement, head), *parts[1:]])

    def shapes(self, node: ast.AST, bound: set[str]) -> None:
        """What the code does, whatever its names: complex numbers, hidden calls, differences of one function."""
        callee_of: dict[str, str] = {}  # local name -> the function whose value it holds
        for sub in ast.walk(node):
            if isinstance(sub, ast.Constant):
                if isinstance(sub.value, complex):
                    self.note("it uses complex numbers (a complex-step derivative)")
                elif isinstance(sub.value, str) and _complex_type(sub.value.strip()):  # dtype="complex128"
                    self.note("it uses complex numbers (a complex-step derivative)")
            elif isinstance(sub, ast.Attribute):
                if sub.attr == "imag" or _complex_type(sub.attr):
                    self.note("it uses complex numbers (a complex-step derivative)")
                elif sub.attr.startswith("__") and sub.attr.endswith("__"):
                    self.note(f"it uses `{sub.attr}`, which hides what the code calls")
                parts = _dotted(sub)
                path = self.module_path(parts, bound, node) if parts else None
                if path:
                    leaf = path.split(".")
                    if _numerical_module(path) or any(p in NUMERICAL_ATTRIBUTES or p in NUMERICAL_NAMES
                                                      for p in leaf[1:]):
                        self.note(f"it uses `{path}`, which computes the derivative for it")
                    elif leaf[0] in HIDING_MODULES:
                        self.note(f"it uses `{path}`, which hides what the code calls")
            elif isinstance(sub, ast.Assign) and len(sub.targets) == 1 and isinstance(sub.targets[0], ast.Name):
                callee = self.callee(sub.value, bound, node, {})
                if callee:
                    callee_of[sub.targets[0].id] = callee
        for sub in ast.walk(node):
            if isinstance(sub, ast.BinOp) and isinstance(sub.op, ast.Sub):
                left = self.callee(sub.left, bound, node, callee_of)
                if left and left == self.callee(sub.right, bound, node, callee_of):
                    self.note(f"it subtracts two values of `{left}` (a finite difference)")

    def callee(self, expr: ast.AST, bound: set[str], node: ast.AST, callee_of: dict[str, str]) -> str | None:
        """The function whose value ``expr`` is, when it is one of the notebook's (not a library's)."""
        if isinstance(expr, ast.Name):
            return callee_of.get(expr.id)
        if isinstance(expr, ast.Subscript):  # f(x)[0] - f(y)[0]
            return self.callee(expr.value, bound, node, callee_of)
        if isinstance(expr, ast.Call):
            parts = _dotted(expr.func)
            if not parts or self.module_path(parts, bound, node) or (parts[0] in PLAIN_BUILTINS and parts[0] not in bound
                                                                     and parts[0] not in self.bindings):
                return None
            return ".".join(parts)
        return None


def numerical_shortcuts(function: str, cells: Sequence[str], costs: Iterable[str] = ()) -> list[str]:
    """How the function ``function`` measures its derivative instead of computing a derived formula.

    Parameters
    ----------
    function : str
        The exercise's function, e.g. ``"dJ_double_well"``.
    cells : sequence of str
        The code of the notebook's cells in the order they ran (the last definition of a name counts).
    costs : iterable of str
        Names of the cost functions whose derivative the exercise asks for (``["double_well"]``).

    Returns
    -------
    list of str
        One short reason per shortcut found ("it calls the cost `double_well`"), or why the code cannot be read
        (more than :data:`MAX_CODE_CHARS` characters; a function bound other than by ``def`` or a lambda, or named
        but defined where reading cannot see); empty when the function computes a formula, or is named in no
        cell at all.
    """
    sources = [source for source in cells if isinstance(source, str)]
    length = sum(len(source) for source in sources)
    if length > MAX_CODE_CHARS:
        return [f"the grader reads at most {MAX_CODE_CHARS:,} characters of code before an exercise, and this "
                f"notebook has {length:,}: remove the cells you do not need"]
    try:
        return _read(function, sources, costs)
    except RecursionError:  # code nested deeper than this reader follows (the kernel may still have run it)
        return ["it is nested too deeply for the grader to read"]


def _read(function: str, sources: list[str], costs: Iterable[str]) -> list[str]:
    trees = [tree for tree in map(parse_cell, sources) if tree]
    bindings = _top_level_bindings(trees)
    target = bindings.get(function)
    if target is None:
        # defined nowhere the reader can see, yet named: in a cell magic, by exec, through an import of a file...
        if any(re.search(rf"\b{re.escape(function)}\b", source) for source in sources):
            return [f"it is not defined by a `def {function}(...)` the grader can read"]
        return []  # not written at all: its checks say so
    if isinstance(target, ast.Assign) and isinstance(target.value, ast.Lambda):
        target = target.value
    elif not isinstance(target, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return [f"it is not defined by a `def {function}(...)` the grader can read"]
    reader = _Reader(bindings, set(costs) - {function})
    reader.read(target)
    return reader.reasons


def kernel_cells() -> list[str]:
    """The cells this kernel ran, in order (IPython's input history), or [] outside IPython."""
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:
        return []
    history = shell.user_ns.get("In", []) if shell is not None else []
    return [cell for cell in history if isinstance(cell, str)]


def require_derived(func, costs: Iterable[str] = ()) -> None:
    """A visible test's check that ``func`` is derived, not measured: an ``AssertionError`` that names the
    shortcut otherwise (the grade gives such a function none of its exercise's points)."""
    name = getattr(func, "__name__", None)
    if not isinstance(name, str):
        return
    reasons = numerical_shortcuts(name, kernel_cells(), costs)
    if reasons:
        raise AssertionError(f"{name} {not_derived_text(reasons)}")
