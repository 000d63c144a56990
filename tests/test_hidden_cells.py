"""The rule of hidden cells (docs/sandbox.md, "What a hidden cell may hold"), checked on every one of source/.

A hidden cell runs in the student's kernel, where anything it holds can be read by code the
student ran earlier. So it carries the inputs and the names of what it probes, and nothing from
which an answer follows: no expected value, no comparison, no assertion, and for a concept
question no option at all (the grader finds a question's options in its catalogue, outside
the kernel).
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from content.mistakes import CATALOG, options_of

from .grading import ASSIGNMENTS, ROOT

HIDDEN = re.compile(r"### BEGIN HIDDEN TESTS\n(.*?)### END HIDDEN TESTS", re.S)
PROBE_KEYWORDS = {"mistakes", "practice", "visible", "derived_from"}
IMPORTS = ("gdcourse", "numpy")


def hidden_blocks(assignment: str):
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    for cell in nb.cells:
        for block in HIDDEN.findall(cell.source):
            yield cell.metadata.get("nbgrader", {}).get("grade_id", cell.id), block


def probe_calls(tree: ast.Module) -> list[ast.Call]:
    return [node.value for node in tree.body if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and isinstance(node.value.func, ast.Name) and node.value.func.id == "probe"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_hidden_cells_hold_inputs_and_names_only(assignment):
    blocks = list(hidden_blocks(assignment))
    assert blocks
    for grade_id, block in blocks:
        tree = ast.parse(block)
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                modules = [a.name for a in node.names] if isinstance(node, ast.Import) else [node.module or ""]
                assert all(m.split(".")[0] in IMPORTS for m in modules), (grade_id, modules)
            else:
                assert isinstance(node, (ast.FunctionDef, ast.Assign)) or node.value in probe_calls(tree), \
                    f"{grade_id}: a hidden cell holds inputs, input functions and probe calls only, not {ast.dump(node)[:80]}"
        judging = [type(n).__name__ for n in ast.walk(tree) if isinstance(n, (ast.Assert, ast.Compare, ast.If, ast.IfExp))]
        assert not judging, f"{grade_id}: a hidden cell judges nothing in the kernel ({judging})"
        assert probe_calls(tree), f"{grade_id}: a hidden cell without a probe"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_question_s_hidden_cell_lists_no_option(assignment):
    questions = 0
    for grade_id, block in hidden_blocks(assignment):
        for call in probe_calls(ast.parse(block)):
            target = call.args[0]
            if isinstance(target, ast.Call) and isinstance(target.func, ast.Name) and target.func.id == "answer":
                questions += 1
                assert ast.unparse(call) == f"probe(answer({target.args[0].value!r}), [case()])", \
                    f"{grade_id}: a question's hidden check is probe(answer(\"q\"), [case()]) and nothing more"
                assert options_of(target.args[0].value), f"{grade_id}: no wrong option of it in the catalogue"
            else:
                keywords = {k.arg for k in call.keywords}
                assert keywords <= PROBE_KEYWORDS, (grade_id, keywords - PROBE_KEYWORDS)
                for keyword in call.keywords:
                    if keyword.arg == "mistakes" and isinstance(keyword.value, ast.List):
                        for name in keyword.value.elts:
                            assert isinstance(name, ast.Constant) and name.value in CATALOG, (grade_id, ast.dump(name))
                            assert CATALOG[name.value].question is None, f"{grade_id}: {name.value} is a question's option"
    assert questions >= 3


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_a_question_s_visible_test_is_the_validator_that_check_and_the_grade_use(assignment):
    """Issue 30: the visible test of a concept question accepts and refuses the answers check() and the grade
    accept and refuse ('C' and ' c ' are letters, '0.25' is text), because it is the same validator, in the
    question's form, read off the instructor's answer."""
    nb = nbformat.read(ROOT / "source" / assignment / f"{assignment}.ipynb", as_version=4)
    answers = {c.metadata["nbgrader"]["grade_id"]: c.source for c in nb.cells
               if c.metadata.get("nbgrader", {}).get("solution") and c.metadata["nbgrader"]["grade_id"].startswith("q_")}
    assert answers, "every notebook has concept questions"
    for cell in nb.cells:
        grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
        if not grade_id.startswith("test_q_"):
            continue
        name = grade_id.removeprefix("test_")
        value = ast.literal_eval(re.search(rf"^{name}\s*=\s*(.+)$", answers[name], re.M).group(1))
        form = "letter" if isinstance(value, str) else "number"
        visible = cell.source.split("### END HIDDEN TESTS")[-1].strip()
        assert visible == f'gdcourse.require_answer("{name}", "{form}")', (grade_id, visible)
