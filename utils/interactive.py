"""Building blocks of the course's interactive figures.

An interactive figure is a matplotlib ``Figure`` drawn once on an ipympl canvas, placed next to
ipywidgets controls. Each control change updates artists in place (``set_data``, ``set_offsets`` ...)
and renders one new frame. The computation behind a figure lives in the pure modules (``utils.runs``,
``utils.landscape`` ...); this module only wires things together.

Frames are cheap because of :class:`Layers`: the axes, ticks, labels and legends are rendered once and kept
as a picture; the artists that change (with the data set, with the training run) are drawn over a copy of
it. The browser receives only the pixels that changed.

Where no kernel runs (GitHub, an exported HTML page) a widget cannot be shown, so every figure app
also carries a PNG snapshot of its current picture in its display data: readers always see a figure.
"""

from __future__ import annotations

import base64
import io
import struct
import time
import zlib
from contextlib import contextmanager

import numpy as np
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
    """The figure rendered to PNG bytes.

    Saving leaves the figure's layout alone, whatever the global style says: matplotlib restores a figure
    without a layout engine by reading ``figure.constrained_layout.use`` again, which would re-lay out an
    interactive figure whose layout was fixed by hand.
    """
    import matplotlib as mpl

    buffer = io.BytesIO()
    with mpl.rc_context({"figure.constrained_layout.use": False, "figure.autolayout": False}):
        fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def _png_rgba(pixels) -> bytes:
    """Encode an (h, w, 4) uint8 RGBA array as PNG: no row filter, fastest deflate.

    An interactive frame crosses a local socket, so encoding time matters and size hardly does; frames are
    mostly transparent (only changed pixels are sent), which deflate squeezes at once.
    """
    h, w, _ = pixels.shape
    rows = np.zeros((h, 4 * w + 1), np.uint8)       # each row: filter type 0, then its pixels
    rows[:, 1:] = pixels.reshape(h, -1)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 6, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows.tobytes(), 1)) + chunk(b"IEND", b""))


def _diff_png(canvas) -> bytes | None:
    """What ipympl sends the browser after a render: a PNG of the pixels that changed (others transparent).

    The same as matplotlib's ``FigureCanvasWebAggCore.get_diff_image``, with a faster PNG encoder, and a diff
    cut after its last changed row and column (ipympl draws a diff image at the canvas' top-left corner).
    """

    if not canvas._png_is_old:
        return None
    pixels = np.asarray(canvas.get_renderer().buffer_rgba())
    buff = pixels.view(np.uint32).squeeze(2)
    if canvas._force_full or buff.shape != canvas._last_buff.shape or (pixels[:, :, 3] != 255).any():
        canvas.set_image_mode("full")
        output = buff
    else:
        canvas.set_image_mode("diff")
        changed = buff != canvas._last_buff
        # the browser draws a diff at the top-left corner, so the rows and columns after the last change can be
        # left out: less to encode, send and decode
        rows, cols = np.flatnonzero(changed.any(axis=1)), np.flatnonzero(changed.any(axis=0))
        h, w = (rows[-1] + 1, cols[-1] + 1) if rows.size else (1, 1)
        output = np.where(changed[:h, :w], buff[:h, :w], 0)
    canvas._last_buff = buff.copy()
    canvas._force_full = False
    canvas._png_is_old = False
    return _png_rgba(output.view(np.uint8).reshape((*output.shape, 4)))


class Layers:
    """Render an interactive figure in layers, so that an update re-renders only what it changed.

    Layer 0 is everything not listed: axes, ticks, labels, legends. It is rendered in full once (and again
    after a resize). Axes whose limits change are ``cells``: a mapping ``{axes: key}`` where ``key()`` returns
    what the axes' picture depends on (its limits). When a key changes, only that axes is rendered again, in
    its own rectangle of the canvas, and its pictures are kept by key: going back to earlier limits costs
    nothing. States an axes is likely to take (:meth:`set_warm_up`) are rendered ahead of time while the
    kernel is idle, so that even their first use costs nothing. Layer 0 may change only through the cells'
    keys.

    Layers 1, 2 ... are lists of artists, typically "what changes with the data set" and "what follows the
    model". They are marked animated, so layer 0 leaves them out; each layer is drawn over a stored copy of
    the picture below it. After ``invalidate(k)`` a frame restores the picture below layer k and draws
    layers k, k+1 ... only.

    :meth:`render` draws a frame at once and sends it when a browser view is connected (no round trip
    through the browser), otherwise it asks for a draw when one connects. ``canvas.draw()``, which ipympl
    calls when the browser asks for a frame, goes through the same path.

    Attributes
    ----------
    frames, full_renders, cell_renders, cached_renders, layer_renders : int
        Frames drawn; frames rendered from scratch; axes rendered again for new limits; axes pictures taken
        from the cache; frames that re-drew only layers 1, 2 ...
    """

    def __init__(self, fig: Figure, layers, cells=None, cache_size: int = 12):
        self.fig = fig
        self.layers = [list(layer) for layer in layers]
        for layer in self.layers:
            for artist in layer:
                artist.set_animated(True)
        self.cells = dict(cells or {})
        self._cell_keys: dict = {}                 # axes -> key of the picture now in layer 0
        self._cell_rects: dict = {}                # axes -> (x0, y0, x1, y1) in pixels, from the bottom left
        self._cache: dict = {}                     # (axes, key) -> picture of the axes' rectangle
        self._cache_size = int(cache_size)
        self._below = [None] * len(self.layers)    # _below[k]: the picture under layer k + 1
        self._renderer = None
        self._dirty = 0
        self._warm_states: list = []               # (axes, apply) to render ahead of time, when idle
        self._warm_queue: list = []
        self._warm_scheduled = False
        self._last_frame = 0.0
        self.frames = 0
        self.full_renders = 0
        self.cell_renders = 0
        self.cached_renders = 0
        self.layer_renders = 0
        canvas = fig.canvas
        canvas.draw = self._draw
        if hasattr(canvas, "get_diff_image"):
            canvas.get_diff_image = lambda: _diff_png(canvas)

    def invalidate(self, layer: int = 0):
        """Layer ``layer`` (and all above it) must be drawn again at the next frame; 0 also checks the cells'
        keys (an axes whose limits changed is re-rendered or taken from the cache)."""
        self._dirty = min(self._dirty, int(layer))

    @property
    def connected(self) -> bool:
        """True once a browser view shows the canvas (ipympl stops syncing its data URL then)."""
        return not getattr(self.fig.canvas, "syncing_data_url", True)

    def render(self):
        """Draw the next frame now if a browser shows the figure, else when one asks for it."""
        if self.connected:
            self._draw()
        else:
            self.fig.canvas.draw_idle()

    def _cell_rect(self, ax, renderer):
        """The rectangle an axes owns: between its neighbours (their labels included), above any figure
        legend below it, up to the top of the figure."""
        width, height = renderer.width, renderer.height
        box = ax.get_position().transformed(self.fig.transFigure)
        x0, x1, y0, y1 = 0.0, float(width), 0.0, float(height)
        for other in self.fig.axes:
            if other is ax or not other.get_visible():
                continue
            tight = other.get_tightbbox(renderer)
            obox = other.get_position().transformed(self.fig.transFigure)
            if obox.x1 <= box.x0:
                x0 = max(x0, tight.x1 + 1)
            elif obox.x0 >= box.x1:
                x1 = min(x1, tight.x0 - 1)
        for legend in self.fig.legends:
            lbox = legend.get_window_extent(renderer)
            if lbox.y1 <= box.y0:
                y0 = max(y0, lbox.y1 + 1)
        return int(np.ceil(x0)), int(np.ceil(y0)), int(np.floor(x1)), int(height)

    def _render_static(self):
        """Put layer 0 in the canvas: a full render the first time, then only the axes whose key changed."""
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.transforms import Bbox

        canvas = self.fig.canvas
        renderer = canvas.get_renderer()
        if renderer is not self._renderer or self._below[0] is None:
            FigureCanvasAgg.draw(canvas)             # everything that is not animated
            renderer = self._renderer = canvas.get_renderer()
            self._cache.clear()
            for ax, key in self.cells.items():
                x0, y0, x1, y1 = rect = self._cell_rect(ax, renderer)
                self._cell_rects[ax] = rect
                self._cell_keys[ax] = k = key()
                self._cache[(ax, k)] = canvas.copy_from_bbox(Bbox([[x0, y0], [x1, y1]]))
            self._warm_queue = list(self._warm_states)    # the cache is new: render those states again
            self.full_renders += 1
        else:
            canvas.restore_region(self._below[0])
            for ax, key in self.cells.items():
                k = key()
                if k == self._cell_keys.get(ax):
                    continue
                picture = self._cache.get((ax, k))
                if picture is not None:
                    canvas.restore_region(picture)
                    self.cached_renders += 1
                else:
                    self._render_cell(ax, k)
                self._cell_keys[ax] = k
        self._below[0] = canvas.copy_from_bbox(self.fig.bbox)

    def _render_cell(self, ax, key):
        """Render one axes alone in its rectangle of the canvas and keep the picture under ``key``."""
        from matplotlib.transforms import Bbox

        canvas = self.fig.canvas
        renderer = canvas.get_renderer()
        x0, y0, x1, y1 = self._cell_rects[ax]
        pixels = np.asarray(renderer.buffer_rgba())
        face = np.array(self.fig.get_facecolor()) * 255
        pixels[renderer.height - y1:renderer.height - y0, x0:x1] = np.round(face).astype(np.uint8)
        ax.apply_aspect()
        ax.draw(renderer)
        if len(self._cache) >= self._cache_size * max(len(self.cells), 1):
            self._cache.pop(next(iter(self._cache)))
        self._cache[(ax, key)] = canvas.copy_from_bbox(Bbox([[x0, y0], [x1, y1]]))
        self.cell_renders += 1

    # ------------------------------------------------------------------ rendering ahead of time
    def set_warm_up(self, states):
        """States to render ahead of time: ``(axes, apply)`` pairs, where ``apply()`` puts the axes (one of the
        cells) in a state it may take later, e.g. other limits. Each is rendered when the kernel has been idle
        for a moment (one at a time, so an input waits at most one axes render), then the axes gets its state
        back; later, that state's picture comes from the cache."""
        self._warm_states = list(states)
        self._warm_queue = list(self._warm_states)
        self._schedule_warm_up()

    def warm_up(self, count: int | None = None) -> int:
        """Render queued states now (all of them, or ``count``); returns how many were rendered."""
        from matplotlib.transforms import Bbox

        canvas = self.fig.canvas
        if self._renderer is None or canvas.get_renderer() is not self._renderer:
            return 0                               # nothing rendered yet at this size
        done = 0
        frame = canvas.copy_from_bbox(self.fig.bbox)
        while self._warm_queue and (count is None or done < count):
            ax, apply = self._warm_queue.pop(0)
            limits = ax.get_xlim(), ax.get_ylim()
            try:
                apply()
                key = self.cells[ax]()
                if (ax, key) not in self._cache:
                    self._render_cell(ax, key)
                    done += 1
            finally:
                ax.set_xlim(*limits[0])
                ax.set_ylim(*limits[1])
        canvas.restore_region(frame)
        return done

    def _schedule_warm_up(self, delay: float = 0.3):
        if not self._warm_queue or self._warm_scheduled or not self.connected:
            return
        try:
            from tornado.ioloop import IOLoop

            loop = IOLoop.current()
        except Exception:  # noqa: BLE001 - no event loop (plain Python): warm_up() can still be called
            return
        self._warm_scheduled = True
        loop.call_later(delay, self._warm_up_when_idle)

    def _warm_up_when_idle(self):
        self._warm_scheduled = False
        if time.perf_counter() - self._last_frame < 0.25:      # the reader is busy with the figure: later
            self._schedule_warm_up()
            return
        try:
            self.warm_up(count=1)
        except Exception:  # noqa: BLE001 - work ahead of time must never disturb the figure: stop it
            self._warm_queue = []
            self._renderer = None                  # the next frame starts from a full render
            return
        self._schedule_warm_up(delay=0.05)

    def _render_layers(self):
        canvas = self.fig.canvas
        n = len(self.layers)
        if (self._dirty == 0 or canvas.get_renderer() is not self._renderer or self._below[0] is None
                or any(key() != self._cell_keys.get(ax) for ax, key in self.cells.items())):
            self._render_static()
            start = 1
        else:
            start = self._dirty
            if start > n:
                return False                       # nothing changed since the last frame
            canvas.restore_region(self._below[start - 1])
            self.layer_renders += 1
        for k in range(start, n + 1):
            for artist in self.layers[k - 1]:
                if artist.get_visible():
                    self.fig.draw_artist(artist)
            if k < n:
                self._below[k] = canvas.copy_from_bbox(self.fig.bbox)
        self._dirty = n + 1
        return True

    def _draw(self):
        canvas = self.fig.canvas
        try:
            drawn = self._render_layers()
        except RuntimeError:
            # FreeType has (rarely) failed on a glyph in the middle of a frame: start again from a full render
            self._renderer = None
            self._below[0] = None
            drawn = self._render_layers()
        self.frames += drawn
        self._last_frame = time.perf_counter()
        self._schedule_warm_up()
        canvas._png_is_old = True
        manager = getattr(canvas, "manager", None)
        if manager is not None and hasattr(manager, "refresh_all"):
            manager.refresh_all()

    def save_png(self, dpi: int = 80) -> bytes:
        """PNG of the whole current picture (all layers), e.g. for a page without a kernel."""
        for layer in self.layers:
            for artist in layer:
                artist.set_animated(False)
        try:
            return figure_png(self.fig, dpi=dpi)
        finally:
            for layer in self.layers:
                for artist in layer:
                    artist.set_animated(True)
            self._dirty = 0
            self._renderer = None                  # saving rendered another picture into the canvas


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

    #: the figure's :class:`Layers`, when it renders in layers
    layers: Layers | None = None

    @property
    def click_axes(self) -> list:
        """The axes where a click does something (tests and benchmarks click there); none by default."""
        return []

    def redraw(self):
        """Show the updated artists: a new frame now (or when a browser view connects)."""
        if self.layers is not None:
            self.layers.render()
        else:
            self.fig.canvas.draw_idle()

    def snapshot_png(self) -> bytes:
        """The current picture as PNG (what pages without a kernel show)."""
        if self.layers is not None:
            return self.layers.save_png()
        return figure_png(self.fig)

    def _repr_mimebundle_(self, include=None, exclude=None):
        bundle = self.widget._repr_mimebundle_(include=include, exclude=exclude)
        data = bundle[0] if isinstance(bundle, tuple) else bundle
        data = dict(data)
        data["image/png"] = base64.b64encode(self.snapshot_png()).decode("ascii")
        data["text/plain"] = f"{self.title} (interactive: run the notebook in JupyterLab to use the controls)"
        return data
