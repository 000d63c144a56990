"""Layer 2, the pipeline: one submitted notebook through nbgrader's preprocessors.

What a submission may hold (:mod:`.submission`), running it under a deadline and output budget
(:mod:`.execute`), the expected side from the instructor's notebook (:mod:`.reference`), the
verdicts (:mod:`.preprocessors`, :mod:`.judge`, :mod:`.records`), the catalogue mechanism of named
mistakes (:mod:`.catalogue`), the course's notebook metadata (:mod:`.metadata`), sanitising what a
submission shows (:mod:`.sanitize`). It transforms notebooks; it never writes the gradebook or a
status record (that is :mod:`autograder.run`'s).
"""
