"""Building blocks of the course's interactive figures.

An interactive figure is a matplotlib ``Figure`` drawn once on an ipympl canvas, placed next to
ipywidgets controls. Each control change updates artists in place (``set_data``, ``set_offsets`` ...)
and asks for one redraw with ``canvas.draw_idle()``. The computation behind a figure lives in the pure
modules (``utils.runs``, ``utils.landscape`` ...); this module only wires things together.

Where no kernel runs (GitHub, an exported HTML page) a widget cannot be shown, so every figure app
also carries a PNG snapshot of its current picture in its display data: readers always see a figure.
"""

from __future__ import annotations

import base64
import io
import time
from contextlib import contextmanager

from matplotlib.figure import Figure


def _ipympl_classes():
    """ipympl's canvas classes, imported without letting ipympl switch pyplot's backend.

    Importing ipympl calls ``matplotlib.use("module://ipympl.backend_nbagg")``, which would turn every later
    ``plt.subplots`` figure of the notebook into a widget. The course's static figures must stay inline PNGs,
    so the backend in use before the import is restored.
    """
    import matplotlib

    before = matplotlib.rcParams._get_backend_or_none()
    from ipympl.backend_nbagg import Canvas, FigureManager

    if before is not None and matplotlib.rcParams._get_backend_or_none() != before:
        matplotlib.use(before)
    return Canvas, FigureManager


def interactive_figure(figsize=(10, 4.5), **kwargs) -> Figure:
    """A new matplotlib figure on an ipympl canvas (a widget), without toolbar or header.

    The figure is not registered with pyplot, so the inline backend never shows it as a static
    image: it appears only where its canvas is displayed.
    """
    Canvas, FigureManager = _ipympl_classes()
    fig = Figure(figsize=figsize, **kwargs)
    canvas = Canvas(fig)
    FigureManager(canvas, 0)
    canvas.header_visible = False
    canvas.footer_visible = False
    canvas.toolbar_visible = False
    canvas.resizable = False
    canvas.capture_scroll = False
    return fig


def figure_png(fig: Figure, dpi: int = 80) -> bytes:
    """The figure rendered to PNG bytes."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


class FigureApp:
    """Base class of an interactive figure: a widget layout plus a matplotlib figure.

    Subclasses build ``self.fig`` (with :func:`interactive_figure`) and ``self.widget`` (an ipywidgets
    box holding ``self.fig.canvas`` and the controls), and record the kernel time of their updates with
    :meth:`timed` so benchmarks can report it.
    """

    title = "Interactive figure"

    def __init__(self):
        self.update_times: list[float] = []
        self.errors: list[str] = []

    @contextmanager
    def timed(self):
        """Measure one update (kernel side) and keep any error visible instead of losing it."""
        start = time.perf_counter()
        try:
            yield
        except Exception as exc:  # a callback error would otherwise vanish silently in the browser
            self.errors.append(f"{type(exc).__name__}: {exc}")
            if hasattr(self, "status"):
                self.status.value = f"<b style='color:#b00'>Error: {exc}</b>"
            raise
        finally:
            self.update_times.append(time.perf_counter() - start)

    def redraw(self):
        self.fig.canvas.draw_idle()

    def snapshot_png(self) -> bytes:
        return figure_png(self.fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data["image/png"] = base64.b64encode(self.snapshot_png()).decode("ascii")
        data["text/plain"] = f"{self.title} (interactive: run the notebook in JupyterLab to use the controls)"
        return data
