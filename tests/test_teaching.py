"""What the teaching review asks of every notebook (issue 31), checked on source/.

- Concept questions with letter answers are balanced: in one notebook no letter is the answer of more
  than a third of its letter questions (rounded up), and every letter is some answer in the course.
- Every reveal compares the learner's prediction with something the run measured: its second
  argument computes (calls a function, or names a value a cell computed), never a written-in answer.
"""

from __future__ import annotations

import ast
import math
import re
from collections import Counter

import nbformat
import pytest

from .grading import ASSIGNMENTS, ROOT

LETTERS = "abcd"


def source_notebook(assignment: str):
    return nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)


def letter_answers(assignment: str) -> dict[str, str]:
    """Question variable -> its letter answer, from the solution cells of ``source/``."""
    answers = {}
    for cell in source_notebook(assignment).cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if cell.metadata.get("nbgrader", {}).get("solution") and grade_id.startswith("q_"):
            found = re.search(rf"^{grade_id}\s*=\s*[\"']\s*([A-Da-d])\s*[\"']", cell.source, re.M)
            if found:
                answers[grade_id] = found.group(1).lower()
    return answers


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_no_letter_answers_more_than_a_third_of_a_notebook_s_questions(assignment):
    answers = letter_answers(assignment)
    counts = Counter(answers.values())
    limit = math.ceil(len(answers) / 3)
    assert all(n <= limit for n in counts.values()), (
        f"{assignment}: {dict(counts)} over {len(answers)} letter questions; at most {limit} each: {answers}")


def test_every_letter_is_an_answer_somewhere_in_the_course():
    used = {letter for assignment in ASSIGNMENTS for letter in letter_answers(assignment).values()}
    assert used == set(LETTERS), f"letters never the answer: {sorted(set(LETTERS) - used)}"


def computed_names(nb) -> set[str]:
    """Names that some code cell binds to a computed value (a call, an operation on other names, a
    comprehension, a loop variable), not to a literal written in."""
    names = set()
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        decided = set()  # statements under an `if` whose condition the run computes
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and not is_literal(node.test):
                decided |= {id(sub) for branch in (node.body, node.orelse) for stmt in branch for sub in ast.walk(stmt)}
        for node in ast.walk(tree):
            if isinstance(node, (ast.Assign, ast.AugAssign, ast.AnnAssign)) and node.value is not None:
                if not is_literal(node.value) or id(node) in decided:
                    targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                    names |= {n.id for t in targets for n in ast.walk(t) if isinstance(n, ast.Name)}
            elif isinstance(node, (ast.For, ast.comprehension)):
                names |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
            elif isinstance(node, ast.FunctionDef):
                names.add(node.name)
    return names


def is_literal(node) -> bool:
    try:
        ast.literal_eval(node)
        return True
    except (ValueError, TypeError, SyntaxError, RecursionError):
        return False


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_every_reveal_compares_with_what_the_run_measured(assignment):
    nb = source_notebook(assignment)
    computed = computed_names(nb)
    reveals = 0
    for cell in nb.cells:
        if cell.cell_type != "code" or "reveal(" not in cell.source:
            continue
        for node in ast.walk(ast.parse(cell.source)):
            if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", "")) == "reveal":
                reveals += 1
                actual = node.args[1] if len(node.args) > 1 else None
                assert actual is not None and not is_literal(actual), f"{cell.id}: reveals a written-in value"
                measured = any(isinstance(n, ast.Call) for n in ast.walk(actual)) or any(
                    isinstance(n, ast.Name) and n.id in computed for n in ast.walk(actual))
                assert measured, f"{cell.id}: {ast.unparse(actual)} is not computed by the run"
    assert reveals >= 2, f"{assignment}: predictions are revealed with gdcourse.reveal"
