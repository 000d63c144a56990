"""The grader's lock: every package `make setup` installs, at the version it was tested with.

``pyproject.toml`` pins the packages the grader names; the packages *they* need (IPython,
pyzmq, SQLAlchemy, stack_data, …) are pinned only here, in ``deploy/grader-constraints.txt``,
which `make setup` passes to pip with ``-c``. The grader patches internals of some of them
(docs/design.md), so a fresh machine must get the versions the tests ran on.

    python deploy/lock.py            # write the lock from this environment (`make lock`)
    python deploy/lock.py --check    # exit 1 unless the lock matches pyproject.toml and what is installed here

The lock lists the project's whole requirement tree (every extra), as installed here.
"""

from __future__ import annotations

import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "deploy" / "grader-constraints.txt"
LOCAL = {"gradient-descent-course", "gdcourse"}  # this repository's own packages, installed from source


def project_requirements() -> list[Requirement]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    names = list(project["dependencies"])
    for extra in project.get("optional-dependencies", {}).values():
        names += extra
    return [Requirement(name) for name in names]


def requirement_tree(roots: list[Requirement], missing_ok: bool = False) -> dict[str, str]:
    """Canonical name -> installed version of every distribution the requirements need, transitively;
    with ``missing_ok``, what is not installed here (e.g. the hub's extra, before `make test-hub`) is left out."""
    found: dict[str, str] = {}
    todo = [(req, frozenset(req.extras)) for req in roots]
    seen: set[tuple[str, frozenset]] = set()
    while todo:
        req, extras = todo.pop()
        name = canonicalize_name(req.name)
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            if missing_ok:
                continue
            raise SystemExit(f"{req.name} is required but not installed: run `make setup` first") from None
        if name not in LOCAL:
            found[name] = dist.version
        for text in dist.requires or []:
            child = Requirement(text)
            if child.marker is None or any(child.marker.evaluate({**default_environment(), "extra": extra})
                                           for extra in (extras or {""})):
                todo.append((child, frozenset(child.extras)))
    return found


def read_lock() -> dict[str, str]:
    pins = {}
    for line in LOCK.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line:
            name, version = line.split("==")
            pins[canonicalize_name(name)] = version
    return pins


def problems() -> list[str]:
    """Where the lock disagrees with pyproject.toml's pins or with this environment."""
    pins, out = read_lock(), []
    for req in project_requirements():
        name = canonicalize_name(req.name)
        exact = [spec.version for spec in req.specifier if spec.operator == "=="]
        if name in LOCAL or not exact:
            continue
        if pins.get(name) != exact[0]:
            out.append(f"pyproject.toml pins {req.name}=={exact[0]}, the lock has {pins.get(name, 'nothing')}")
    for name, version in sorted(requirement_tree(project_requirements(), missing_ok=True).items()):
        if pins.get(name) != version:
            out.append(f"{name} {version} is installed and needed, the lock has {pins.get(name, 'nothing')}")
    return out


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--check"]:
        found = problems()
        for line in found:
            print(line)
        if found:
            print("run `make lock` (after `make setup`) and commit deploy/grader-constraints.txt")
        return 1 if found else 0
    tree = requirement_tree(project_requirements())
    LOCK.write_text("# The grader's whole environment, as tested (deploy/lock.py writes it; `make setup` installs it).\n"
                    + "".join(f"{name}=={version}\n" for name, version in sorted(tree.items())))
    print(f"wrote {LOCK.relative_to(ROOT)}: {len(tree)} packages")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
