"""The course's nbgrader configuration, loaded one way for every grading process.

Every process that grades (``course grade``'s parent and workers, a Dask worker, the self-study
``course check``, the gradebook's address) reads the course's ``nbgrader_config.py`` through
:func:`course_config`, with the same settings nbgrader itself would give it when run in the course
root: the root for nbgrader, the course folder whose private files the sandbox hides, and an absolute
reference cache. What only a worker adds (warm kernels, a sandbox user of its own) is
:mod:`autograder.run.worker`'s. :func:`autograde_settings` reads what nbgrader's configuration says
about which files and students autograde takes.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from autograder.errors import FixableError

CONFIG_FILE = "nbgrader_config.py"


def course_config(root: Path | str, *, plain: bool = False):
    """The configuration of the course at ``root`` (an empty one if it has no ``nbgrader_config.py``).

    With ``plain``, exactly what the file sets; otherwise also the course root (``CourseDirectory``),
    the folder the sandbox hides (``SandboxedKernelManager.course_root``) and the reference cache under
    it (``ProbeVerdicts.cache_directory``), as nbgrader run in ``root`` would have them.
    """
    from traitlets.config import Config, PyFileConfigLoader

    root = Path(root)
    if not (root / CONFIG_FILE).is_file():
        return Config()
    config = PyFileConfigLoader(CONFIG_FILE, path=str(root)).load_config()
    if not plain:
        config.CourseDirectory.root = str(root)
        config.SandboxedKernelManager.course_root = str(root)
        cache = config.ProbeVerdicts.get("cache_directory", ".grading-cache/reference")
        if cache:
            config.ProbeVerdicts.cache_directory = str(root / cache)
    return config


@dataclass(frozen=True)
class AutogradeSettings:
    """What nbgrader's configuration says about which files and students autograde takes.

    Read from nbgrader's own configurables (``CourseDirectory``, ``Autograde``), so that
    `course grade` and `nbgrader autograde` obey the same settings.
    """

    ignore: tuple[str, ...]  # CourseDirectory.ignore: files never copied beside a notebook
    exclude_overwriting: tuple[str, ...]  # Autograde.exclude_overwriting[assignment]: the student's copy is kept
    create_student: bool  # Autograde.create_student: False grades only students already in the gradebook
    student_id_exclude: tuple[str, ...]  # CourseDirectory.student_id_exclude: never graded


class UnsupportedLayout(FixableError):
    """The course renames nbgrader's folders, which `course grade` does not follow."""


#: nbgrader's folder settings and the values `course grade` works with (nbgrader's defaults).
DEFAULT_LAYOUT = {"source_directory": "source", "submitted_directory": "submitted",
                  "autograded_directory": "autograded",
                  "directory_structure": "{nbgrader_step}/{student_id}/{assignment_id}"}


def autograde_settings(config, assignment: str) -> AutogradeSettings:
    """:class:`AutogradeSettings` of ``assignment`` under the course's nbgrader ``config``.

    Raises :class:`UnsupportedLayout` if the configuration moves nbgrader's folders: grading
    them under the default names would grade the wrong files, or none.
    """
    from nbgrader.converters import Autograde
    from nbgrader.coursedir import CourseDirectory

    coursedir = CourseDirectory(config=config)
    renamed = [f"CourseDirectory.{name} = {getattr(coursedir, name)!r}" for name, default in DEFAULT_LAYOUT.items()
               if getattr(coursedir, name) != default]
    if renamed:
        raise UnsupportedLayout(f"course grade works with nbgrader's default folders, and nbgrader_config.py sets "
                                f"{', '.join(renamed)}: remove that setting, or grade with `nbgrader autograde`")
    converter = Autograde(config=config, coursedir=coursedir)
    excluded = tuple(s for s in (coursedir.student_id_exclude or "").split(",") if s)
    return AutogradeSettings(tuple(coursedir.ignore), tuple(converter.exclude_overwriting.get(assignment, [])),
                             bool(converter.create_student), excluded)
