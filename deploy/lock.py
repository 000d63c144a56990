"""The grader's lock: every package `make setup` installs, at the version it was tested with.

``pyproject.toml`` pins the packages the grader names; the packages *they* need (IPython,
pyzmq, SQLAlchemy, stack_data, …) are pinned only here, in ``deploy/grader-constraints.txt``,
which `make setup` passes to pip with ``-c``. The grader patches internals of some of them
(docs/patches.md), so a fresh machine must get the versions the tests ran on.

One lock serves every supported Python (3.11, 3.12, 3.13: ``requires-python``): a package
that only some of them need (``overrides`` on 3.11) is pinned like the others, and a line may
carry an environment marker (``name==1.0; python_version >= "3.12"``) when the Pythons need
different versions. Lines whose marker names ``python_full_version`` are written by hand and
kept by `make lock` while the version tested is one of theirs: for the early patch releases
of a supported Python that a tested version leaves out (soupsieve 4.1.3 needs 3.11.5; Debian
12's python3 is 3.11.2), ``--check`` names such a pin. tests/test_pythons.py installs the lock
on 3.12 and 3.13 and runs ``--check`` there.

    python deploy/lock.py                  # write the lock from this environment (`make lock`)
    python deploy/lock.py --also PYTHON …  # ... joined with the environments of other Pythons
                                           # (their venvs' python); versions that differ get markers
    python deploy/lock.py --check          # exit 1 unless the lock matches pyproject.toml and what
                                           # is installed here (run it with any supported Python)
    python deploy/lock.py --tree           # this environment's tree as JSON (what --also reads)

The lock lists the project's whole requirement tree (every extra), as installed here.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[1]
LOCK = ROOT / "deploy" / "grader-constraints.txt"
LOCAL = {"gradient-descent-course", "gdcourse"}  # this repository's own packages, installed from source


def project() -> dict:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]


def project_requirements() -> list[Requirement]:
    project_ = project()
    names = list(project_["dependencies"])
    for extra in project_.get("optional-dependencies", {}).values():
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


def read_lock(path: Path | None = None) -> dict[str, str]:
    """Canonical name -> pinned version, for this Python: a line whose marker excludes it is left out."""
    pins = {}
    for line in (path or LOCK).read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line:
            continue
        req = Requirement(line)
        exact = [spec.version for spec in req.specifier if spec.operator == "=="]
        if len(exact) != 1 or len(req.specifier) != 1:
            raise SystemExit(f"{LOCK.relative_to(ROOT)}: {line!r} is not one name==version (with or without a marker)")
        if req.marker is None or req.marker.evaluate():
            pins[canonicalize_name(req.name)] = exact[0]
    return pins


def python_version() -> str:
    return ".".join(platform.python_version_tuple()[:2])


def joined(trees: dict[str, dict[str, str]]) -> list[str]:
    """The lock's lines from the trees of several Pythons (``"3.11"`` -> tree): one plain pin where every
    Python that needs the package has the same version, else a pin per Python with a marker."""
    lines = []
    for name in sorted(set().union(*trees.values())):
        versions = {py: tree[name] for py, tree in trees.items() if name in tree}
        if len(set(versions.values())) == 1:
            lines.append(f"{name}=={next(iter(versions.values()))}")
        else:
            lines += [f'{name}=={version}; python_version == "{py}"' for py, version in sorted(versions.items())]
    return lines


def tree_of(python: str) -> tuple[str, dict[str, str]]:
    """(its version, its tree) of another Python's environment, from ``python deploy/lock.py --tree``."""
    proc = subprocess.run([python, str(Path(__file__).resolve()), "--tree"], capture_output=True, text=True)
    if proc.returncode:
        raise SystemExit(f"{python} deploy/lock.py --tree failed:\n{proc.stdout}{proc.stderr}")
    found = json.loads(proc.stdout)
    return found["python"], found["tree"]


def lock_lines(path: Path | None = None) -> list[Requirement]:
    """Every pin of the lock, whatever its marker."""
    return [Requirement(line) for line in ((path or LOCK).read_text().splitlines())
            if line.split("#")[0].strip()]


def first_releases() -> list[str]:
    """The first release of every Python version requires-python admits: "3.11.0", "3.12.0", "3.13.0"."""
    supported = SpecifierSet(project().get("requires-python", ""))
    return [f"3.{minor}.0" for minor in range(30) if f"3.{minor}.0" in supported]


def left_out() -> list[str]:
    """Pins, installed here, whose Requires-Python leaves out a supported Python that the line applies to."""
    out = []
    for req in lock_lines():
        version = next(spec.version for spec in req.specifier)
        try:
            dist = metadata.distribution(req.name)
        except metadata.PackageNotFoundError:
            continue
        needs = SpecifierSet(dist.metadata.get("Requires-Python") or "")
        if dist.version != version or not str(needs):
            continue
        for python in first_releases():
            env = {**default_environment(), "python_full_version": python, "python_version": python[:python.rindex(".")]}
            if (req.marker is None or req.marker.evaluate(env)) and python not in needs:
                out.append(f"{req.name} {version} needs Python {needs}: on Python {python} pip finds nothing for "
                           f"`{req}`; mark it (`; python_full_version >= \"…\"`) and pin an older release, which "
                           f"installs there, for the earlier ones (`; python_full_version < \"…\"`)")
    return out


def problems() -> list[str]:
    """Where the lock disagrees with pyproject.toml's pins or with this environment."""
    pins, out = read_lock(), []
    supported = SpecifierSet(project().get("requires-python", ""))
    if platform.python_version() not in supported:
        out.append(f"Python {platform.python_version()} is not one the grader supports (requires-python {supported})")
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
    return out + left_out()


def with_hand_written(lines: list[str], old: list[Requirement]) -> list[str]:
    """``lines`` with a plain pin replaced by the old lock's ``python_full_version`` lines of that package
    when one of them pins the version tested (they are written by hand: see the docs above)."""
    by_hand: dict[str, list[Requirement]] = {}
    for req in old:
        if req.marker is not None and "python_full_version" in str(req.marker):
            by_hand.setdefault(canonicalize_name(req.name), []).append(req)
    out = []
    for line in lines:
        req = Requirement(line)
        kept = by_hand.get(canonicalize_name(req.name), [])
        if req.marker is None and any(str(k.specifier) == str(req.specifier) for k in kept):
            out += [str(k) for k in kept]
        else:
            out.append(line)
    return out


def main(argv: list[str]) -> int:
    if argv[1:2] == ["--check"]:
        found = problems()
        for line in found:
            print(line)
        if found:
            print("run `make lock` (after `make setup`) and commit deploy/grader-constraints.txt")
        return 1 if found else 0
    if argv[1:2] == ["--tree"]:
        print(json.dumps({"python": python_version(),
                          "tree": requirement_tree(project_requirements(), missing_ok=True)}))
        return 0
    others = argv[1:]
    if len(others) % 2 or any(flag != "--also" for flag in others[::2]):
        print(__doc__, file=sys.stderr)
        return 2
    trees = {python_version(): requirement_tree(project_requirements())}
    for python in others[1::2]:
        version, tree = tree_of(python)
        if version in trees:
            raise SystemExit(f"{python} is Python {version} again: give each Python once")
        trees[version] = tree
    lines = with_hand_written(joined(trees), lock_lines() if LOCK.is_file() else [])
    LOCK.write_text("# The grader's whole environment, as tested on Python 3.11, 3.12 and 3.13 (deploy/lock.py writes it;\n"
                    "# `make setup` installs it; tests/test_pythons.py installs it on each).\n"
                    + "".join(f"{line}\n" for line in lines))
    print(f"wrote {LOCK.relative_to(ROOT)}: {len(lines)} pins, from Python {', '.join(sorted(trees))}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
