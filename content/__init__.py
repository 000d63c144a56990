"""The course's content beside ``source/``: what is specific to gradient descent.

The misconception catalogue (:mod:`.mistakes`, registered with the grader's mechanism in
``autograder.pipeline.catalogue``), the known wrong answers (:mod:`.mutants`) that the tests and the
demo's sample class (:mod:`.sample_class`) use. The grader (``autograder``) imports none of it by
name: the catalogue is found through ``c.ProbeVerdicts.catalogue`` in nbgrader_config.py, so another
course can bring its own. Like ``source/``, it holds near-right formulas: never in a student's kernel.
"""
