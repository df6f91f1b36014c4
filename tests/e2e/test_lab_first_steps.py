"""A student's first steps: a freshly generated lab opens in JupyterLab and runs up to its first exercise,
whose check says, in plain words, that the exercise is not done yet (instead of showing a traceback)."""

from __future__ import annotations

import nbformat
import pytest

import course_browser as cb

pytestmark = pytest.mark.browser

LABS = cb.discover_labs() or [pytest.param(None, marks=pytest.mark.skip(reason="solutions/ holds no lab yet"))]


def first_exercise_and_check(nb) -> tuple[int, int]:
    """Indices of the first exercise cell (its body raises NotImplementedError) and of its check cell."""
    exercise = next((i for i, c in enumerate(nb.cells)
                     if c.cell_type == "code" and "raise NotImplementedError" in c.source), None)
    assert exercise is not None, "the lab has no exercise (no cell raising NotImplementedError)"
    check = next((i for i, c in enumerate(nb.cells) if i > exercise and c.cell_type == "code"
                  and any(line.strip().startswith("check_") for line in c.source.splitlines())), None)
    assert check is not None, f"no check cell (a line starting with check_) after the first exercise (cell {exercise + 1})"
    return exercise, check


@pytest.mark.parametrize("relpath", LABS)
def test_lab_runs_to_first_exercise_which_says_not_done_yet(relpath, lab_server, browser):
    nb = nbformat.read(lab_server.root / relpath, as_version=4)  # generated from solutions/ by the server
    exercise, check = first_exercise_and_check(nb)
    with cb.NotebookPage(browser, lab_server, relpath) as lab:
        lab.run_all()
        problems = lab.cell_problems(upto=check)
        problems += lab.widget_errors()
        cell = lab.page.locator(".jp-Notebook .jp-Cell").nth(check)
        shown = cell.locator(".jp-OutputArea").inner_text() if cell.locator(".jp-OutputArea").count() else ""
    assert not problems, f"{relpath}, up to the first check (cell {check + 1}):\n  " + "\n  ".join(problems)
    assert "not done yet" in shown.lower(), (
        f"{relpath}: the first check (cell {check + 1}) should say the exercise is not done yet; it shows:\n{shown}")
