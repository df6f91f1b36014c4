"""Every notebook as a student meets it: opened in JupyterLab in a real (headless) browser, all cells run.

For each notebook in notebooks/ and solutions/: no cell shows an error, no widget shows "Error displaying
widget", and every interactive figure answers each of its controls and clicks with a changed picture
(canvas pixels compared before and after). A screenshot of each figure goes to test-artifacts/.
"""

from __future__ import annotations

import pytest

import course_browser as cb

pytestmark = pytest.mark.browser

NOTEBOOKS = cb.discover_notebooks() or [
    pytest.param(None, marks=pytest.mark.skip(reason="notebooks/ and solutions/ hold no notebook yet"))]


@pytest.mark.parametrize("relpath", NOTEBOOKS)
def test_notebook_runs_and_its_figures_respond(relpath, lab_server, browser, figure_infos, artifacts):
    problems: list[str] = []
    report: list[str] = []
    with cb.NotebookPage(browser, lab_server, relpath) as notebook:
        seconds = notebook.run_all()
        report.append(f"{relpath}: Run All Cells took {seconds:.1f} s")
        problems += notebook.cell_problems()
        problems += notebook.wait_widgets_rendered()
        figures = notebook.figures()
        if not figures and cb.has_interactive_outputs(cb.ROOT / relpath):
            problems.append("the stored notebook shows interactive figures, but none appeared in the browser "
                            "(no ipympl canvas found after running all cells)")
        for figure in figures:
            if not figure.wait_rendered():
                problems.append(f"{figure.name}: the canvas never showed a picture")
                continue
            interactions, figure_problems = cb.exercise_figure(figure, figure_infos.get(figure.title))
            problems += figure_problems
            for i in interactions:
                latency = f"{i.latency_ms:.0f} ms" if i.latency_ms is not None else "-"
                report.append(f"  {figure.name}: {i.describe()} -> {'changed' if i.changed else 'NO CHANGE'} "
                              f"({latency})")
            figure.screenshot(artifacts / cb.artifact_name(relpath, figure))
        problems += [e for e in notebook.callback_errors() if "execute_request" not in e]
    print("\n".join(report))
    assert not problems, f"{relpath} in the browser:\n  " + "\n  ".join(problems)
