"""The packages' layers: import-linter's contracts in pyproject.toml (what students install imports nothing
of the grader; the grader in layers, nothing importing up), and a reading of every import of the
project's own modules, function-level ones included: no cycle, no private name taken from another module."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from .grading import ROOT, venv_env

LINT = str(Path(sys.executable).with_name("lint-imports"))


def test_the_learner_package_imports_nothing_of_the_grader():
    proc = subprocess.run([LINT], cwd=ROOT, capture_output=True, text=True, env=venv_env(), timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "2 kept, 0 broken" in proc.stdout


def test_the_contract_catches_an_import_of_nbgrader(tmp_path):
    """The same contract, on a copy of gdcourse with one forbidden import, is broken."""
    shutil.copytree(ROOT / "learner" / "gdcourse", tmp_path / "gdcourse",
                    ignore=shutil.ignore_patterns("__pycache__"))
    (tmp_path / "gdcourse" / "leak.py").write_text("def peek():\n    from nbgrader.api import Gradebook\n")
    contract = ROOT / "pyproject.toml"
    config = contract.read_text().split("[tool.importlinter]", 1)[1]
    (tmp_path / "pyproject.toml").write_text("[tool.importlinter]" + config.replace(
        'root_packages = ["gdcourse", "autograder", "course", "content"]', 'root_packages = ["gdcourse"]'
    ).split("# The grader in layers")[0])
    env = dict(venv_env(), PYTHONPATH=str(tmp_path))
    proc = subprocess.run([LINT], cwd=tmp_path, capture_output=True, text=True, env=env, timeout=300)
    assert proc.returncode != 0 and "BROKEN" in proc.stdout and "gdcourse.leak -> nbgrader" in proc.stdout, \
        proc.stdout[-3000:] + proc.stderr[-2000:]


PACKAGES = {"autograder": ROOT / "autograder", "course": ROOT / "course", "content": ROOT / "content",
            "gdcourse": ROOT / "learner" / "gdcourse"}


def project_modules() -> dict[str, Path]:
    """Dotted module name -> file, for every module of the project's packages."""
    out = {}
    for package, folder in PACKAGES.items():
        for path in folder.rglob("*.py"):
            parts = list(path.relative_to(folder).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            out[".".join([package, *parts])] = path
    return out


def imports_of(module: str, path: Path, modules: dict[str, Path]) -> list[tuple[str, list[str]]]:
    """(imported project module, names taken from it) of every import in the file, wherever it stands."""
    import ast

    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, []) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            for alias in node.names:  # `from package import module` imports the module
                sub = f"{base}.{alias.name}"
                found.append((sub, []) if sub in modules else (base, [alias.name]))
    return [(target, names) for target, names in found if target in modules and target != module]


def test_no_import_cycle_and_no_private_name_across_modules():
    modules = project_modules()
    graph = {module: {target for target, _ in imports_of(module, path, modules)} for module, path in modules.items()}
    private = sorted(f"{module} takes {name} from {target}" for module, path in modules.items()
                     for target, names in imports_of(module, path, modules) for name in names
                     if name.startswith("_") and not name.startswith("__"))
    assert private == []

    def cycle_from(start):
        stack = [(start, [start])]
        while stack:
            node, path = stack.pop()
            for nxt in graph.get(node, ()):
                if nxt == start:
                    return path
                if nxt not in path:
                    stack.append((nxt, path + [nxt]))
        return None

    cycles = {tuple(sorted(c)) for c in (cycle_from(m) for m in graph) if c}
    assert cycles == set(), cycles
