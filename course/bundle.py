"""What a student of a graded class gets, and what a self-study reader works in.

- :func:`bundle` writes ``dist/<assignment>.zip``: the student notebook, the learner wheel
  (``gdcourse``, NumPy and Matplotlib its only dependencies), the practice file and a short
  README for students; the same files go into ``release/<assignment>/``, which is what
  ``nbgrader release_assignment`` hands out.
- :func:`practice_data` is the practice file: per exercise, the practice inputs of the
  hidden cells (``probe(..., practice=[...])``), what the instructor's solution returns for
  them and what each named mistake returns for them, with the mistakes' words. The hidden
  inputs and their results never go in it.
- :func:`workbook` copies a release notebook to ``work/`` for a reader of the repository,
  never over an edited one, with a hidden-input file so that ``gdcourse.check()`` there
  judges on the grader's own inputs.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import nbformat

from autograder.errors import FixableError

PRACTICE_FORMAT = 1  # gdcourse.practice.FORMAT
WHEEL_GLOB = "gdcourse-*.whl"

README = """\
{assignment}: gradient descent, a notebook of the course
=========================================================

In this folder:
  {assignment}.ipynb          the notebook: do the exercises here, hand in this file only
  {wheel}    the course's helper package (figures, data, practice checks)
  {assignment}.practice.json  practice inputs for gdcourse.check()

Open it:
  JupyterLab or Jupyter Notebook: open this folder, then the .ipynb file.
  VS Code: open the folder, open the .ipynb file, choose a Python kernel (3.10 or later).
  Google Colab: File > Upload notebook; then, in the Files panel on the left, upload the
    .whl and the .json files too (they must sit next to the notebook, in /content).

Run the first code cell: it installs the helper package from the .whl file (once; it needs
NumPy and Matplotlib, which pip downloads if they are missing). If it cannot, it says what to
do: usually, put the .whl file next to the notebook, or run
  python -m pip install {wheel}
in a terminal with the Python that runs your notebooks.

While you work, run gdcourse.check() in a cell after your code cells have run (or
gdcourse.check("name") for one exercise). It calls your functions on practice inputs and says,
for each exercise, "passed" or which mistake it recognises, in the grader's own words. The
grade uses other, hidden inputs, judged the same way. Keep the function names and signatures
as given.

Before you hand in: save the notebook, then run gdcourse.presubmit() in a cell (or
python -m gdcourse.presubmit {assignment}.ipynb in a terminal). It runs the saved file top to
bottom in a fresh kernel, as the grade will, and says which cells fail when run in order and
what check() says of each exercise.
"""


class BundleError(FixableError):
    """A bundle cannot be made; the message says what to do."""


def practice_data(root: Path, assignment: str, kind: str = "practice") -> dict:
    """The practice file of ``assignment`` (``kind="hidden"``: the hidden inputs, for self-study).

    Each exercise lists the probes that have such inputs, each input with the reference's
    record of it (exact inputs, result or error, the named mistakes' results).
    """
    from autograder.pipeline import catalogue
    from autograder.pipeline.notebook import test_cell_ids
    from autograder.pipeline.reference import reference_records
    from autograder.run.config import course_config

    source = Path(root) / "source" / assignment / f"{assignment}.ipynb"
    module = course_config(root).ProbeVerdicts.get("catalogue", catalogue.DEFAULT)
    mistakes = catalogue.load(module)
    records = reference_records(source, Path(root) / ".grading-cache" / "reference", catalogue_module=module)
    nb = nbformat.read(source, as_version=4)
    exercises = []
    for grade_id, cell in test_cell_ids(nb):
        probes = []
        for payload in records.get(grade_id, {}).get("probes", []):
            if payload.get("kind") == "answer" and kind == "practice":
                # a question has no other input to practise on: ship its name and its form (a letter or a
                # number, which the answer cell says too), never its options
                form = answer_form(payload)
                probes.append({"function": payload["function"], "kind": "answer", "mistakes": [], "messages": {},
                               "cases": [], **({"form": form} if form else {})})
                continue
            cases = payload.get("practice", []) if kind == "practice" else payload["cases"]
            if not cases or any(c.get("inputs") is None for c in cases):
                continue
            visible = payload.get("visible", [])  # the visible tests' inputs: names "hard-coded" in practice too
            if any(c.get("inputs") is None for c in visible):
                visible = []
            probes.append({"function": payload["function"], "mistakes": payload["mistakes"],
                           "messages": {name: mistakes[name].message for name in payload["mistakes"]},
                           "cases": cases, **({"visible": visible} if visible else {}),
                           **({"derived_from": payload["derived_from"]} if payload.get("derived_from") else {}),
                           **({"kind": "answer"} if payload.get("kind") == "answer" else {})})
        if probes:
            exercises.append({"grade_id": grade_id, "points": float(cell.metadata["nbgrader"].get("points", 0)),
                              "probes": probes})
    return {"format": PRACTICE_FORMAT, "assignment": assignment, "kind": kind, "exercises": exercises}


def answer_form(payload: dict) -> str | None:
    """A question's form, read off the reference answer's kind: "letter" or "number" (None if neither)."""
    cases = payload.get("cases") or [{}]
    result = cases[0].get("result") or {}
    if result.get("kind") == "str":
        return "letter"
    if result.get("kind") == "scalar":
        return "number"
    return None


def learner_wheel(root: Path) -> Path:
    """The wheel of ``learner/`` (built again only when its files change), in ``build/wheel/``."""
    learner = Path(root) / "learner"
    if not (learner / "pyproject.toml").is_file():
        raise BundleError(f"{learner} is missing: the learner package is needed to bundle an assignment")
    digest = hashlib.sha256()
    for path in sorted(p for p in learner.rglob("*") if p.is_file() and "__pycache__" not in p.parts
                       and ".egg-info" not in str(p)):
        digest.update(str(path.relative_to(learner)).encode())
        digest.update(path.read_bytes())
    out = Path(root) / "build" / "wheel" / digest.hexdigest()[:16]
    wheels = sorted(out.glob(WHEEL_GLOB))
    if wheels:
        return wheels[-1]
    with tempfile.TemporaryDirectory(prefix="gd-wheel-") as tmp:
        # built from a copy, so that no build folder or egg-info is left in learner/
        copy = Path(tmp) / "learner"
        shutil.copytree(learner, copy, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "build"))
        proc = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(Path(tmp) / "w"),
                               str(copy)], capture_output=True, text=True)
        built = sorted((Path(tmp) / "w").glob(WHEEL_GLOB))
        if proc.returncode != 0 or not built:
            raise BundleError(f"the learner wheel could not be built:\n{proc.stderr[-2000:]}")
        out.mkdir(parents=True, exist_ok=True)
        shutil.copy2(built[-1], out / built[-1].name)
    return out / built[-1].name


def bundle(root: Path, assignment: str, dist: Path | None = None) -> Path:
    """Write ``dist/<assignment>.zip`` and put the wheel and practice file into ``release/<assignment>/``."""
    root = Path(root)
    notebook = root / "release" / assignment / f"{assignment}.ipynb"
    if not notebook.is_file():
        raise BundleError(f"{notebook.relative_to(root)} is missing: run `course release {assignment}` first")
    wheel = learner_wheel(root)
    practice = json.dumps(practice_data(root, assignment), indent=1) + "\n"
    readme = README.format(assignment=assignment, wheel=wheel.name)
    release = notebook.parent
    for old in release.glob(WHEEL_GLOB):
        old.unlink()
    shutil.copy2(wheel, release / wheel.name)
    (release / f"{assignment}.practice.json").write_text(practice, encoding="utf-8")
    dist = Path(dist) if dist else root / "dist"
    dist.mkdir(parents=True, exist_ok=True)
    target = dist / f"{assignment}.zip"
    with tempfile.NamedTemporaryFile(dir=dist, suffix=".zip.tmp", delete=False) as tmp:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
            for name, data in ((notebook.name, notebook.read_bytes()), (wheel.name, wheel.read_bytes()),
                               (f"{assignment}.practice.json", practice), ("README.txt", readme)):
                member = zipfile.ZipInfo(f"{assignment}/{name}", date_time=time.localtime()[:6])
                member.external_attr = 0o644 << 16  # readable by whoever unzips it, as a download is
                member.compress_type = zipfile.ZIP_DEFLATED
                zf.writestr(member, data)
    os.chmod(tmp.name, 0o644)
    Path(tmp.name).replace(target)
    return target


def workbook(root: Path, assignment: str) -> tuple[Path, bool]:
    """``work/<assignment>.ipynb`` for a self-study reader; (its path, whether it was written now).

    An existing workbook is never replaced (it holds the reader's work); the hidden-input
    file beside it is always brought up to date.
    """
    root = Path(root)
    release = root / "release" / assignment / f"{assignment}.ipynb"
    if not release.is_file():
        raise BundleError(f"{release.relative_to(root)} is missing: run `course release {assignment}` first")
    work = root / "work"
    work.mkdir(exist_ok=True)
    target = work / f"{assignment}.ipynb"
    written = not target.exists()
    if written:
        shutil.copy2(release, target)
    hidden = json.dumps(practice_data(root, assignment, kind="hidden"), indent=1) + "\n"
    (work / f"{assignment}.hidden.json").write_text(hidden, encoding="utf-8")
    return target, written
