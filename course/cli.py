"""`course`: the instructor's command line (run from the course folder).

    course release [ASSIGNMENT ...]   write release/ from source/ (nbgrader generate_assignment); never over
                                      a notebook someone worked in, unless --force
    course bundle [ASSIGNMENT ...]    dist/ASSIGNMENT.zip for students: notebook, learner wheel, practice file
    course workbook ASSIGNMENT        self-study: work/ASSIGNMENT.ipynb to work in, checked on the hidden inputs
    course demo                       release, grade a built-in sample class, print the scores
    course scores [ASSIGNMENT ...]    print the score table from the gradebook
    course check NOTEBOOK             self-study: the hidden checks' verdict on your notebook
    course grade ASSIGNMENT           grade new or changed submissions in parallel (same grades as nbgrader);
                                      --scheduler ADDRESS: on a Dask cluster's workers
    course feedback ASSIGNMENT        feedback/ HTML for the graded submissions
    course report ASSIGNMENT          reports/ASSIGNMENT.html: scores, pass rates, misconceptions
    course collect ASSIGNMENT SOURCE  an LMS folder or zip into submitted/ (unmatched files listed)
    course export [--to FILE]         grades.csv with status and per-exercise columns
    course book [--out DIR] [--no-solutions] [--open]   the notebooks as an offline HTML book (build/book/)
    course solutions ASSIGNMENT       solutions/ASSIGNMENT/: the solutions and worked solutions, after the due
                                      date (--force: before it, or without one)

Exit status: 0 on success, 1 when a step failed, 2 for a usage error (and `course check`: 3 when the
notebook cannot be checked).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from autograder.errors import FixableError
from autograder.run.gradebook import gradebook_exists, gradebook_url
from course.release import parse_due, release, worked_in_reason  # noqa: F401 - the commands' names
from course.root import CourseError, assignments, chosen_assignments, find_course_root, run_nbgrader

# every exit status of `course`, in one place
EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2  # done; a step failed (or some submission); the command line is wrong
EXIT_CANNOT_CHECK = 3  # `course check`: the notebook could not be checked at all


def bundle(root: Path, names: list[str], out: Path | None) -> int:
    """``course bundle``: one zip per assignment for students."""
    from course.bundle import bundle as write_bundle

    for name in chosen_assignments(root, names):
        path = write_bundle(root, name, out.expanduser().absolute() if out else None)
        print(f"wrote {path} (and the wheel and practice file into release/{name}/)")
    return EXIT_OK


def workbook(root: Path, name: str) -> int:
    """``course workbook``: a notebook of one's own to work in, checked on the hidden inputs."""
    from course.bundle import workbook as write_workbook

    chosen_assignments(root, [name])
    path, written = write_workbook(root, name)
    print(f"{'wrote' if written else 'kept your'} {path.relative_to(root)}; open it in Jupyter and run "
          "gdcourse.check() in it after your code cells: it uses the grader's hidden inputs")
    return EXIT_OK


def feedback(root: Path, assignment: str) -> None:
    """``course feedback``: the pages, then how many, and who got none and why."""
    from course.feedback import generate_feedback

    print(f"writing feedback/<student>/{assignment}/ ...")
    written = generate_feedback(root, assignment)
    got = written.students - len(written.without)
    print(f"wrote {len(written.pages)} feedback page{'s' * (len(written.pages) != 1)} for {got} of {written.students} "
          f"students who handed in {assignment}")
    for student, status in written.without.items():
        print(f"  no feedback  {student}: {status}")


def solutions(root: Path, assignment: str, force: bool, out: Path | None) -> None:
    """``course solutions``: write the solutions notebook and page, say where and whether it was forced."""
    from course.solutions import write_solutions

    chosen_assignments(root, [assignment])
    written = write_solutions(root, assignment, out.expanduser().absolute() if out else None, force=force)
    print(f"wrote {written.notebook} and {written.page.name}: the solutions of {assignment}, hidden tests removed")
    if written.forced and written.due is None:
        print(f"forced (--force): {assignment} has no due date")
    elif written.forced:
        print(f"forced (--force): {assignment} is due {written.due:%Y-%m-%d %H:%M} UTC, which has not passed")
    else:
        print(f"{assignment} was due {written.due:%Y-%m-%d %H:%M} UTC")


def collect(root: Path, assignment: str, source: Path, roster: Path | None, force: bool) -> int:
    """``course collect``: copy, then say what was collected, skipped, refused and not matched."""
    from course.collect import collect as collect_into

    if assignment not in assignments(root):
        print(f"course collect: unknown assignment {assignment!r}; the course has: {', '.join(assignments(root))}",
              file=sys.stderr)
        return EXIT_USAGE
    try:
        report = collect_into(root, assignment, source.expanduser(), roster, force)
    except ValueError as exc:  # SOURCE is not a folder or zip, the roster is unusable
        print(f"course collect: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as exc:
        raise CourseError(f"collect stopped: {exc}") from None
    print(report.render(assignment))
    if roster is not None:
        from course.collect import Roster

        count = Roster(roster).save_to_gradebook(gradebook_url(root))
        print(f"roster: {count} students in the gradebook, with the names, e-mails and LMS ids it gives")
    return EXIT_OK if report.ok else EXIT_FAILED


def export(root: Path, to: str | None, assignment: str | None = None, lms: str | None = None) -> None:
    """``course export``: nbgrader export with this course's plugin (or Canvas's gradebook format), then
    a one-line summary."""
    from course.report import export_summary

    names = chosen_assignments(root, [assignment] if assignment else [])
    default = "canvas-grades.csv" if lms == "canvas" else "grades.csv"
    path = Path(to or default).expanduser().absolute()  # relative to where the command runs, not the course root
    if lms == "canvas":
        from nbgrader.api import Gradebook

        from autograder.run.export import write_canvas_csv

        url = gradebook_url(root)
        if not gradebook_exists(url):
            raise CourseError("no gradebook.db yet: grade something first")
        with Gradebook(url) as gb:
            rows = write_canvas_csv(gb, root, names, path)
        print(f"wrote {path}: {rows} students, Canvas's gradebook import format ({', '.join(names)})")
        return
    run_nbgrader(root, "export", f"--to={path}", *([f"--assignment={assignment}"] if assignment else []))
    print(f"wrote {path}: {export_summary(path)}")


def grade(root: Path, assignment: str, workers: int | None, students: list[str], force: bool,
          scheduler: str | None = None) -> int:
    """``course grade``: grade, print a summary; 0 if every submission was graded cleanly."""
    from autograder.run.driver import NotReleased, grade_class

    chosen_assignments(root, [assignment])
    if not (root / "submitted").is_dir():
        raise CourseError("no submitted/ folder: collect submissions first (course collect)")
    options = dict(workers=workers, students=students or None, force=force, scheduler=scheduler)
    try:
        result = grade_class(root, assignment, **options)
    except NotReleased:
        release(root, [assignment])
        result = grade_class(root, assignment, **options)
    done = len(result.graded) + len(result.failed) + len(result.needs_manual)
    rate = done / result.seconds if result.seconds else 0.0
    print(f"{assignment}: {len(result.graded)} graded, {len(result.needs_manual)} need manual grading, "
          f"{len(result.failed)} failed, {len(result.skipped)} unchanged (skipped) "
          f"in {result.seconds:.1f} s ({rate:.2f} submissions/s)")
    for student, why in sorted(result.needs_manual.items()):
        print(f"  needs manual grading  {student}: {why}")
    for student, why in sorted(result.failed.items()):
        print(f"  failed                {student}: {why}")
    for student, what in sorted(result.noted.items()):
        print(f"  graded, but           {student}: {what}")
    return EXIT_FAILED if result.failed or result.needs_manual else EXIT_OK


def check(notebook: Path) -> int:
    """``course check``: print the per-exercise report; 0 all passed, 1 some failed, 3 cannot check."""
    from autograder.run.check import CheckError, check_notebook

    try:
        if not notebook.is_file():
            raise CheckError(f"{notebook} does not exist")
        root = _root_for(notebook)
        report = check_notebook(notebook, root)
    except (CheckError, CourseError) as exc:
        print(f"course check: {exc}", file=sys.stderr)
        return EXIT_CANNOT_CHECK
    print(report.render())
    return EXIT_OK if report.all_passed else EXIT_FAILED


def _root_for(notebook: Path) -> Path:
    for start in (Path.cwd(), notebook.resolve().parent, Path(__file__).resolve().parent):
        try:
            return find_course_root(start)
        except CourseError:
            continue
    raise CourseError("the course's source/ notebooks are needed to check a notebook: run this inside the "
                      "course repository (the folder with nbgrader_config.py and source/)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="course", description="Release and grade the gradient-descent course.")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("release", help="write release/ (student notebooks) from source/",
                       description="Generate release/ASSIGNMENT/ from source/ with nbgrader. A release notebook that "
                       "someone has worked in (it has outputs, or an exercise cell changed) is not overwritten "
                       "unless --force.")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--force", action="store_true", help="overwrite release notebooks even if someone worked in them")
    p.add_argument("--due", help="due date, YYYY-MM-DD HH:MM (UTC, or with an offset): later submissions are late")
    p = sub.add_parser("bundle", help="dist/ASSIGNMENT.zip for students: notebook, learner wheel, practice file, README",
                       description="Write dist/ASSIGNMENT.zip (the student notebook, the gdcourse wheel, the practice "
                       "file for gdcourse.check() and a README for students) and put the wheel and the practice file "
                       "into release/ASSIGNMENT/, which nbgrader release_assignment hands out.")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p.add_argument("--out", type=Path, default=None, help="folder of the zip files (default: dist/)")
    p = sub.add_parser("workbook", help="self-study: a copy of ASSIGNMENT's notebook in work/ to do the exercises in",
                       description="Copy release/ASSIGNMENT/ASSIGNMENT.ipynb to work/ (never over a copy you have "
                       "worked in) with the hidden-input file, so that gdcourse.check() in it judges your functions "
                       "on the grader's own inputs.")
    p.add_argument("assignment", help="assignment id")
    sub.add_parser("demo", help="release, grade a built-in sample class, print the scores")
    p = sub.add_parser("scores", help="print the score table from gradebook.db")
    p.add_argument("assignments", nargs="*", help="assignment ids (default: all)")
    p = sub.add_parser("check", help="self-study: run the hidden checks on your notebook and name your mistakes",
                       description="Run your notebook in the grader's sandbox with the hidden checks and say, per "
                       "exercise, passed or which mistake it found (never the expected value). Exit status: 0 all "
                       "passed, 1 some exercise failed, 3 the notebook could not be checked.")
    p.add_argument("notebook", type=Path, help="your notebook, e.g. release/01_one_variable/01_one_variable.ipynb")
    p = sub.add_parser("grade", help="autograde new or changed submissions, in parallel, in the sandbox",
                       description="Grade submitted/<student>/ASSIGNMENT/ with nbgrader's autograde pipeline (same "
                       "grades as `nbgrader autograde`), one sandboxed kernel per submission, a worker per core. "
                       "Unchanged submissions that are already graded are skipped. Exit status: 0 all graded, "
                       "1 some submission failed or needs manual grading, 2 usage error.")
    p.add_argument("assignment", help="assignment id, e.g. 01_one_variable")
    p.add_argument("--workers", type=int, default=None, help="parallel workers (default: one per core)")
    p.add_argument("--student", action="append", default=[], help="grade only this student (repeatable)")
    p.add_argument("--force", action="store_true", help="grade again even if unchanged")
    p.add_argument("--scheduler", metavar="ADDRESS", default=None,
                   help="grade on this Dask cluster's workers, e.g. tcp://10.0.0.5:8786 (docs/scale.md); "
                   "default: c.ClusterGrading.scheduler, or this machine's cores")
    p = sub.add_parser("feedback", help="write feedback/ HTML for graded submissions (no hidden tests in it)")
    p.add_argument("assignment", help="assignment id")
    p = sub.add_parser("collect", help="put an LMS download (folder or zip of notebooks) into submitted/",
                       description="Match each notebook of an LMS download (Canvas, Moodle, or <id>.ipynb / "
                       "<id>/<file>.ipynb) to a student and copy it to submitted/<id>/ASSIGNMENT/. Unmatched "
                       "files are listed, never guessed. Exit status: 0 all collected, 1 some notebook was not "
                       "(unmatched, unsafe, or older than the submission already there), 2 usage error.")
    p.add_argument("assignment", help="assignment id")
    p.add_argument("source", type=Path, help="the download: a folder or a .zip")
    p.add_argument("--roster", type=Path, help="CSV with columns id[,name,email,lms_id] to match names and LMS ids")
    p.add_argument("--force", action="store_true", help="replace submissions that are newer than the download")
    p = sub.add_parser("export", help="grades.csv with a status column and a column per exercise",
                       description="nbgrader's CSV with names, e-mails, LMS ids, lateness, a status column and a "
                       "column per exercise; or, with --lms canvas, a file Canvas's gradebook import takes as is.")
    p.add_argument("assignment", nargs="?", help="only this assignment (default: all)")
    p.add_argument("--to", default=None, help="output file (default: grades.csv, or canvas-grades.csv)")
    p.add_argument("--lms", choices=["canvas"], help="write the LMS's gradebook import format")
    p = sub.add_parser("report", help="an HTML class report: score distribution, pass rates, misconceptions")
    p.add_argument("assignment", help="assignment id")
    p.add_argument("--out", type=Path, default=None, help="folder for <assignment>.html (default: reports/)")
    p = sub.add_parser("book", help="every notebook as an offline HTML book, solutions collapsed",
                       description="Execute the notebooks with the solutions and render them as a static HTML site "
                       "that needs no network: formulas, figures, a table of contents, each exercise as students "
                       "get it with a collapsed 'Show solution'. Prints the path of index.html.")
    p.add_argument("--out", type=Path, default=None, help="folder of the book (default: build/book/)")
    p.add_argument("--no-solutions", action="store_true", help="leave the solutions out (to publish to a graded class)")
    p.add_argument("--open", action="store_true", help="open the book in your web browser when it is built")
    p = sub.add_parser("solutions", help="solutions/ASSIGNMENT/: solutions and worked solutions, after the due date",
                       description="Write solutions/ASSIGNMENT/ASSIGNMENT.ipynb and .html: the instructor's notebook "
                       "with its solutions and worked solutions, without hidden tests, outputs or grading metadata. "
                       "Refused before the due date in the gradebook (course release --due) and when there is none, "
                       "unless --force.")
    p.add_argument("assignment", help="assignment id")
    p.add_argument("--force", action="store_true", help="write them before the due date, or without one")
    p.add_argument("--out", type=Path, default=None, help="folder to write ASSIGNMENT/ into (default: solutions/)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:
        return EXIT_USAGE if exc.code else EXIT_OK
    if args.command == "check":
        return check(args.notebook)
    try:
        root = find_course_root()
        if args.command == "release":
            release(root, args.assignments, force=args.force, due=args.due)
        elif args.command == "bundle":
            return bundle(root, args.assignments, args.out)
        elif args.command == "workbook":
            return workbook(root, args.assignment)
        elif args.command == "demo":
            from course.demo import demo

            demo(root)
        elif args.command == "scores":
            from course.scores import score_table

            print(score_table(root, args.assignments or assignments(root)))
        elif args.command == "grade":
            return grade(root, args.assignment, args.workers, args.student, args.force, args.scheduler)
        elif args.command == "collect":
            return collect(root, args.assignment, args.source, args.roster, args.force)
        elif args.command == "export":
            export(root, args.to, args.assignment, args.lms)
        elif args.command == "report":
            from course.report import write_report

            print(f"class report: {write_report(root, args.assignment, args.out)}")
        elif args.command == "book":
            from course.book import command as book

            return book(root, args.out, solutions=not args.no_solutions, open_browser=args.open)
        elif args.command == "feedback":
            feedback(root, args.assignment)
        elif args.command == "solutions":
            solutions(root, args.assignment, args.force, args.out)
    except FixableError as exc:  # CourseError and every other error whose message says what to do
        print(f"course: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("course: interrupted", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:  # `course scores | head`: the reader has all it wanted
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit's flush
        return EXIT_OK
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
