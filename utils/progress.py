"""Progress bars for computations that take more than a few seconds (sweeps, searches, experiments)."""

from __future__ import annotations

from typing import Iterable


def progress(iterable: Iterable, desc: str = "", total: int | None = None, **kwargs):
    """Wrap an iterable in a progress bar: a widget in a notebook, a text bar in a terminal.

    The bar never prints timings into a notebook's compared outputs: in notebooks it is a widget
    (not compared by the tests), and it is left on screen when done so readers see the work happened.
    """
    from tqdm.auto import tqdm

    kwargs = {"mininterval": 0.2, "leave": True, **kwargs}
    return tqdm(iterable, desc=desc, total=total, **kwargs)
