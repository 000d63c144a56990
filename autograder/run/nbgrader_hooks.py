"""nbgrader's own commands, hooked into the course's runs: the same start, refusals and status records.

``nbgrader_config.py`` calls :func:`install` for every nbgrader command (and formgrader, whose
autograde button runs the same converter in-process). For ``nbgrader autograde`` it then:

- starts the run as ``course grade`` does (:func:`start_nbgrader_autograde`): the assignment's
  lock, then the clean-up after killed runs;
- writes ``grading`` before nbgrader touches a submission and ``graded`` after
  (``pre_convert_hook``/``post_convert_hook``: :meth:`StatusBook.started`, :meth:`StatusBook.finished`);
- refuses a submission holding a link, pipe or device before nbgrader copies anything of it, and
  records why any submission failed: nbgrader's converter only logs an error, and calls no hook then.
  Both wrap methods of nbgrader's ``Autograde`` (registered patches, ``autograder/patches.py``).
"""

from __future__ import annotations

from pathlib import Path

from autograder import patches
from autograder.pipeline.submission import IrregularHandIn, handin_problem
from autograder.run.status import (FAILED, AlreadyGrading, StatusBook, claim_grading_lock, clean_up_before_grading,
                                   failure_reason)

_HELD_FOR_PROCESS: dict[tuple[str, str], int] = {}


def start_nbgrader_autograde(root: Path | str, assignment: str | None) -> None:
    """The start of an `nbgrader autograde` run: the assignment's lock, held until the process ends,
    then :func:`clean_up_before_grading`.

    nbgrader calls nothing of ours before it decides which submissions to skip (its
    ``pre_convert_hook`` comes after that, per submission), so ``nbgrader_config.py`` calls
    this when nbgrader's autograde application loads it, its command line parsed. nbgrader
    loads the file twice when run in the course folder; the second call does nothing. Without
    an assignment id nbgrader stops with its own message, and so nothing is done here.
    Raises :class:`AlreadyGrading`.
    """
    if not assignment:
        return
    key = (str(Path(root).resolve()), assignment)
    if key in _HELD_FOR_PROCESS:
        return
    _HELD_FOR_PROCESS[key] = claim_grading_lock(Path(key[0]), assignment, "nbgrader autograde")
    clean_up_before_grading(root, assignment)


def install(config, root: Path | str) -> None:
    """Hook the course's status records, refusals and failure reasons into nbgrader's converters; for
    ``nbgrader autograde``, start its run (its application stops with the reason if that fails)."""
    import sys

    status = StatusBook(root)
    config.Autograde.pre_convert_hook = status.started
    config.Autograde.post_convert_hook = status.finished
    guard_nbgrader_autograde()
    autograde = sys.modules.get("nbgrader.apps.autogradeapp")
    app = getattr(autograde.AutogradeApp, "_instance", None) if autograde else None  # a sibling app may be there
    if autograde is not None and isinstance(app, autograde.AutogradeApp):
        try:
            start_nbgrader_autograde(root, (app.extra_args or [app.coursedir.assignment_id])[0])
        except AlreadyGrading as refused:
            app.fail(str(refused))  # nbgrader's own way out: the message, exit status 1
        except Exception as exc:  # noqa: BLE001 - nbgrader would log it, skip the rest of its config file and
            app.fail(f"cannot start grading in {root}: {type(exc).__name__}: {exc}")  # grade unsandboxed


def guard_nbgrader_autograde() -> None:
    """Make nbgrader's autograde refuse an irregular submission before it copies anything of it, and record
    why any submission it could not grade failed.

    nbgrader's ``Autograde.init_assignment`` copies every file of the submission folder with
    ``shutil.copy``, which follows links and reads pipes and devices. Its ``pre_convert_hook`` runs
    before that, but nbgrader swallows what the hook raises, so the check wraps ``init_assignment``
    itself: the submission is failed with the reason (status record, nbgrader's error), the rest of
    the class is graded. Idempotent; nbgrader_config.py calls it for every nbgrader command and
    formgrader, whose autograde button runs the same converter in-process.
    """
    from nbgrader.converters.autograde import Autograde

    if getattr(Autograde.init_assignment, "_gd_guarded", False):
        return
    patches.applies("nbgrader-regular-handins-only")  # a safeguard: outside its range it warns, stays on
    stock = Autograde.init_assignment

    def init_assignment(self, assignment_id: str, student_id: str) -> None:
        folder = Path(self._format_source(assignment_id, student_id))
        why = handin_problem(folder)
        if why:
            StatusBook(Path(self.coursedir.root)).write(assignment_id, student_id, FAILED, why)
            raise IrregularHandIn(why)
        return stock(self, assignment_id, student_id)

    init_assignment._gd_guarded = True
    init_assignment.__wrapped__ = stock
    Autograde.init_assignment = init_assignment

    patches.applies("nbgrader-failures-recorded")  # a safeguard: outside its range it warns, stays on
    convert = Autograde.convert_single_notebook

    def convert_single_notebook(self, notebook_filename: str) -> None:
        try:
            return convert(self, notebook_filename)
        except Exception as exc:  # nbgrader logs it and goes on to the next submission: say why here
            path = Path(notebook_filename)  # submitted/<student>/<assignment>/<notebook>.ipynb
            StatusBook(Path(self.coursedir.root)).write(path.parent.name, path.parent.parent.name, FAILED,
                                                        failure_reason(exc))
            raise

    convert_single_notebook.__wrapped__ = convert
    Autograde.convert_single_notebook = convert_single_notebook
