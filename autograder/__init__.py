"""The grading engine of the course: hidden-test verdicts, the kernel sandbox, `course grade`."""

import sys

# jsonschema (imported by nbformat) imports rfc3987_syntax when it is installed, and that
# builds some 35 Lark parsers at import time: about 1.4 s in every grading process, for
# the "iri" string format that no notebook schema uses (python-jsonschema/jsonschema#1428).
# Without it jsonschema simply does not check that format. It has no effect once jsonschema
# is imported (as in `nbgrader` commands, which import it before reading nbgrader_config.py).
if "jsonschema" not in sys.modules:
    sys.modules.setdefault("rfc3987_syntax", None)
