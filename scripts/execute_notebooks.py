"""Execute notebooks in place and store their outputs (what readers see without running anything).

Usage::

    python scripts/execute_notebooks.py                     # every notebook in notebooks/ and solutions/
    python scripts/execute_notebooks.py notebooks/01_*.ipynb  # some of them

Each notebook runs in a fresh kernel started in its own folder, so the result is what "Restart kernel and
run all cells" gives. Widget state is not stored: where no kernel runs (GitHub, exported HTML), every
interactive figure shows the PNG snapshot it carries in its display data instead. The notebooks seed their own randomness, so
executing twice gives the same text outputs; the tests (nbval) check exactly that.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent


def execute(path: Path, timeout: int = 600) -> float:
    nb = nbformat.read(path, as_version=4)
    start = time.perf_counter()
    client = NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(path.parent)}},
        store_widget_state=False,
    )
    client.execute()
    elapsed = time.perf_counter() - start
    nb.metadata.pop("widgets", None)
    nbformat.write(nb, path)
    return elapsed


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or sorted((ROOT / "notebooks").glob("*.ipynb")) + sorted(
        (ROOT / "solutions").glob("*.ipynb")
    )
    for path in paths:
        seconds = execute(path.resolve())
        print(f"{seconds:6.1f} s  {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
