"""Labs come from solutions: fresh, with no solution text in them, solved checks pass, blank checks do not."""

import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
from build_labs import BEGIN_HIDDEN, BEGIN_SOLUTION, solution_lines, strip_source  # noqa: E402

SOLUTIONS = sorted((ROOT / "solutions").glob("*.ipynb"))
MARKS = {"pass": "✅", "fail": "❌", "todo": "⏳"}


def check_cells(nb):
    """Cells that run an exercise check: a line of their source calls a `check_...(...)` function."""
    call = re.compile(r"^\s*check_\w+\(.+\)\s*$")
    return [c for c in nb.cells if c.cell_type == "code" and any(call.match(line) for line in c.source.splitlines())]


def output_text(cell):
    parts = []
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            parts.append(out.text)
        elif out.output_type in ("execute_result", "display_data"):
            parts.append(out.data.get("text/plain", ""))
        elif out.output_type == "error":
            parts.append(f"{out.ename}: {out.evalue}")
    return "".join(parts)


def test_there_are_labs():
    assert SOLUTIONS, "solutions/ holds no lab"


def test_labs_are_up_to_date():
    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_labs.py"), "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_no_solution_text_leaks_into_the_lab(path):
    solution = nbformat.read(path, as_version=4)
    lab = nbformat.read(ROOT / "labs" / path.name, as_version=4)
    public = "\n".join(strip_source(c.source) for c in solution.cells if c.cell_type == "code")
    public += "\n".join(c.source for c in solution.cells if c.cell_type != "code")
    secret = {line.strip() for c in solution.cells if c.cell_type == "code" for line in solution_lines(c.source)}
    secret = {s for s in secret if len(s) > 12 and not s.startswith("#") and s not in public}
    lab_text = "\n".join(c.source for c in lab.cells)
    leaked = sorted(s for s in secret if s in lab_text)
    assert not leaked, f"solution lines found in labs/{path.name}: {leaked[:5]}"
    assert BEGIN_SOLUTION not in lab_text and BEGIN_HIDDEN not in lab_text
    assert all(not c.get("outputs") for c in lab.cells if c.cell_type == "code"), "a lab keeps outputs"


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_solution_checks_pass_in_the_stored_outputs(path):
    """nbval re-runs the solutions and compares these outputs, so a check that stops passing fails the run."""
    nb = nbformat.read(path, as_version=4)
    exercises = sum(BEGIN_SOLUTION in c.source for c in nb.cells if c.cell_type == "code")
    cells = check_cells(nb)
    assert exercises >= 1 and len(cells) >= exercises, f"{exercises} exercises but {len(cells)} check cells"
    for cell in cells:
        text = output_text(cell)
        assert MARKS["pass"] in text and MARKS["fail"] not in text and MARKS["todo"] not in text, (
            f"a check in solutions/{path.name} does not pass:\n{cell.source}\n{text}")


@pytest.mark.parametrize("path", SOLUTIONS, ids=lambda p: p.name)
def test_blank_lab_checks_do_not_pass(path, tmp_path):
    """Run the generated lab as a student would before writing anything: no check may pass."""
    from nbclient import NotebookClient

    lab = nbformat.read(ROOT / "labs" / path.name, as_version=4)
    client = NotebookClient(lab, timeout=300, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(ROOT / "labs")}})
    client.execute()
    cells = check_cells(lab)
    assert cells, f"labs/{path.name} has no check cell"
    for cell in cells:
        text = output_text(cell)
        assert MARKS["pass"] not in text, f"a blank exercise passes its check:\n{cell.source}\n{text}"
        assert "not done yet" in text or MARKS["fail"] in text, f"the check says nothing useful:\n{text}"
        assert "Traceback" not in text
