"""The lab builder: nbgrader markers become blanks, hidden tests vanish, bad markers are reported."""

import sys
from pathlib import Path

import nbformat
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
from build_labs import MarkerError, build_lab, strip_source  # noqa: E402


def test_solution_region_becomes_a_blank_with_the_same_indent():
    src = "def f(x):\n    ### BEGIN SOLUTION\n    return 2 * x\n    ### END SOLUTION\n"
    assert strip_source(src) == "def f(x):\n    # YOUR CODE HERE\n    raise NotImplementedError()"


def test_hidden_tests_are_removed():
    src = "check(f)\n### BEGIN HIDDEN TESTS\nassert f(1) == 2\n### END HIDDEN TESTS\nprint('ok')"
    assert strip_source(src) == "check(f)\nprint('ok')"


@pytest.mark.parametrize("src, words", [
    ("### BEGIN SOLUTION\nx = 1\n", "never closed"),
    ("x = 1\n### END SOLUTION\n", "without its BEGIN"),
    ("### BEGIN SOLUTION\n### BEGIN HIDDEN TESTS\n", "inside an open"),
])
def test_unpaired_markers_are_an_error(src, words):
    with pytest.raises(MarkerError, match=words):
        strip_source(src)


def test_outputs_are_cleared_and_markdown_kept():
    nb = nbformat.v4.new_notebook()
    code = nbformat.v4.new_code_cell("### BEGIN SOLUTION\ny = 3\n### END SOLUTION", execution_count=4)
    code.outputs = [nbformat.v4.new_output("stream", text="3\n")]
    nb.cells = [nbformat.v4.new_markdown_cell("# Title"), code]
    lab = build_lab(nb)
    assert lab.cells[0].source == "# Title"
    assert lab.cells[1].outputs == [] and lab.cells[1].execution_count is None
    assert "y = 3" not in lab.cells[1].source
