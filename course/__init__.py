"""The instructor's side of the gradient-descent course: the ``course`` command.

``course.cli`` (release, bundle, collect, grade, feedback, export, report, scores, check,
book), ``course.collect`` (LMS downloads into nbgrader's layout), ``course.report`` (the
class report) and ``course.book`` (the offline book). What the notebooks themselves import
is the learner package, ``gdcourse`` (``learner/``), which students install alone.
"""
