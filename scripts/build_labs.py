"""Build labs/ from solutions/: the solved labs are the single source of the exercises.

The markers are nbgrader's, so instructors who grade with nbgrader can import the labs as they are:

* in a code cell, the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` become
  ``# YOUR CODE HERE`` and ``raise NotImplementedError()`` (indented like the markers);
* the lines between ``### BEGIN HIDDEN TESTS`` and ``### END HIDDEN TESTS`` are removed;
* outputs and execution counts are cleared, and the kernel metadata is kept.

Usage::

    python scripts/build_labs.py           # (re)write labs/
    python scripts/build_labs.py --check   # exit 1 if labs/ is not what the solutions give
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions"
LABS = ROOT / "labs"

BEGIN_SOLUTION, END_SOLUTION = "### BEGIN SOLUTION", "### END SOLUTION"
BEGIN_HIDDEN, END_HIDDEN = "### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS"


class MarkerError(ValueError):
    """A solution notebook whose markers do not pair up."""


def strip_source(source: str, where: str = "cell") -> str:
    """The lab version of one code cell's source."""
    out: list[str] = []
    mode = None  # None, "solution" or "hidden"
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        if stripped == BEGIN_SOLUTION or stripped == BEGIN_HIDDEN:
            if mode is not None:
                raise MarkerError(f"{where}, line {number}: '{stripped}' inside an open {mode} region")
            mode = "solution" if stripped == BEGIN_SOLUTION else "hidden"
            if mode == "solution":
                indent = line[: len(line) - len(line.lstrip())]
                out.append(f"{indent}# YOUR CODE HERE")
                out.append(f"{indent}raise NotImplementedError()")
            continue
        if stripped == END_SOLUTION or stripped == END_HIDDEN:
            expected = "solution" if stripped == END_SOLUTION else "hidden"
            if mode != expected:
                raise MarkerError(f"{where}, line {number}: '{stripped}' without its BEGIN marker")
            mode = None
            continue
        if mode is None:
            out.append(line)
    if mode is not None:
        raise MarkerError(f"{where}: a {mode} region is never closed")
    return "\n".join(out)


def solution_lines(source: str) -> list[str]:
    """The lines inside the solution and hidden-test regions of a cell (used by the leak test)."""
    lines, inside = [], False
    for line in source.splitlines():
        stripped = line.strip()
        if stripped in (BEGIN_SOLUTION, BEGIN_HIDDEN):
            inside = True
        elif stripped in (END_SOLUTION, END_HIDDEN):
            inside = False
        elif inside:
            lines.append(line)
    return lines


def build_lab(solution: nbformat.NotebookNode, name: str = "notebook") -> nbformat.NotebookNode:
    """The lab notebook made from one solution notebook."""
    lab = nbformat.v4.new_notebook(metadata=dict(solution.metadata))
    for index, cell in enumerate(solution.cells):
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(strip_source(cell.source, f"{name}, cell {index + 1}"))
            new.metadata = {k: v for k, v in cell.metadata.items() if k not in ("execution", "scrolled")}
        elif cell.cell_type == "markdown":
            new = nbformat.v4.new_markdown_cell(cell.source, metadata=dict(cell.metadata))
        else:
            new = nbformat.v4.new_raw_cell(cell.source, metadata=dict(cell.metadata))
        new.id = cell.get("id", new.id)
        if "attachments" in cell:
            new.attachments = cell.attachments
        lab.cells.append(new)
    return lab


def lab_text(solution_path: Path) -> str:
    solution = nbformat.read(solution_path, as_version=4)
    return nbformat.writes(build_lab(solution, solution_path.name)) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="only check that labs/ is up to date")
    args = parser.parse_args(argv)
    LABS.mkdir(exist_ok=True)
    stale = []
    sources = sorted(SOLUTIONS.glob("*.ipynb"))
    for path in sources:
        text = lab_text(path)
        target = LABS / path.name
        current = target.read_text(encoding="utf-8") if target.exists() else None
        if current != text:
            stale.append(target.name)
            if not args.check:
                target.write_text(text, encoding="utf-8")
    orphans = sorted(p.name for p in LABS.glob("*.ipynb") if not (SOLUTIONS / p.name).exists())
    if args.check:
        problems = [f"labs/{n} differs from what solutions/{n} gives" for n in stale]
        problems += [f"labs/{n} has no solution in solutions/" for n in orphans]
        if problems:
            print("labs/ is stale; run `make labs`:\n  " + "\n  ".join(problems))
            return 1
        print(f"labs/ is up to date ({len(sources)} labs).")
        return 0
    for name in orphans:
        (LABS / name).unlink()
    print(f"built {len(sources)} labs ({len(stale)} changed, {len(orphans)} removed).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
