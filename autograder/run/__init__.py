"""Layer 3, the run: grading a class.

``course grade``'s driver (:mod:`.driver`: plan, lock, record) and the work each worker does
(:mod:`.worker`), on local cores (:mod:`.pool`) or a Dask cluster (:mod:`.cluster`); the status of
every submission (:mod:`.status`), written here only; nbgrader's own commands hooked into the same
start and records (:mod:`.nbgrader_hooks`); the course's configuration, loaded once
(:mod:`.config`); the gradebook (:mod:`.gradebook`, :mod:`.speedups`); what instructors read back
(:mod:`.export`, :mod:`.check`).
"""
