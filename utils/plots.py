"""Static drawing helpers shared by the notebooks and the interactive figures.

Each helper takes ``ax=None`` (meaning: the current axes) and returns the artists it drew, so the same
helper fills a static grid of panels and sets up an interactive figure whose artists are later updated
in place. Colours come from :mod:`utils.style`, so they mean the same thing everywhere.
"""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
from matplotlib.artist import Artist

from . import style


def _ax(ax):
    if ax is None:
        import matplotlib.pyplot as plt

        ax = plt.gca()
    return ax


def log_levels(Z, n: int = 20, floor: float | None = None) -> np.ndarray:
    """Contour levels spaced evenly in log scale between the grid's minimum and maximum.

    Costs span several orders of magnitude; evenly spaced log levels show the valley near the minimum
    as well as the steep walls. Works for surfaces with a negative minimum by shifting them.
    """
    Z = np.asarray(Z, dtype=float)
    finite = Z[np.isfinite(Z)]
    lo, hi = float(finite.min()), float(finite.max())
    shift = 0.0 if lo > 0 else -lo + (floor if floor is not None else 1e-3 * max(hi - lo, 1e-12))
    levels = np.geomspace(lo + shift, hi + shift, n) - shift
    return np.unique(levels)


def plot_data(x, y, ax=None, label="training data", **kwargs):
    """Scatter the training examples (grey points)."""
    ax = _ax(ax)
    kwargs = {"s": 14, "color": style.DATA, "alpha": 0.6, "zorder": 2, **kwargs}
    return ax.scatter(x, y, label=label, **kwargs)


def plot_line(b, w, ax=None, role="model", xlim=(-10, 10), label=None, **kwargs):
    """Draw the line y = b + w x over ``xlim``; ``role`` is "model" (red) or "truth" (blue)."""
    ax = _ax(ax)
    color = {"model": style.MODEL, "truth": style.GROUND_TRUTH, "optimum": style.OPTIMUM}[role]
    if label is None:
        label = {"model": "model", "truth": "ground truth", "optimum": "data set's optimum"}[role]
    xs = np.array(xlim, dtype=float)
    (line,) = ax.plot(xs, b + w * xs, color=color, label=label, zorder=3, **kwargs)
    return line


def plot_landscape(b_values, w_values, J, ax=None, levels=20, filled=True, colorbar=False, xlabel="b (bias)",
                   ylabel="w (weight)"):
    """Contours of a cost over a grid of two parameters, on log-spaced levels.

    ``J`` has shape ``(len(w_values), len(b_values))``: rows follow the second parameter.
    Returns the contour set.
    """
    ax = _ax(ax)
    lv = log_levels(J, levels) if np.isscalar(levels) else levels
    if filled:
        cs = ax.contourf(b_values, w_values, J, levels=lv, cmap=style.COST_CMAP, alpha=0.85)
        ax.contour(b_values, w_values, J, levels=lv, colors="white", linewidths=0.4, alpha=0.5)
    else:
        cs = ax.contour(b_values, w_values, J, levels=lv, cmap=style.COST_CMAP)
    if colorbar:
        ax.figure.colorbar(cs, ax=ax, label="cost J", format="%.3g")
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_aspect("auto")
    return cs


def mark_point(point, ax=None, role="model", label=None, **kwargs):
    """Mark a point in a parameter plane: "truth" (blue), "model" (red), "optimum" (green), "start" (black)."""
    ax = _ax(ax)
    color = {"model": style.MODEL, "truth": style.GROUND_TRUTH, "optimum": style.OPTIMUM, "start": style.START}[role]
    marker = {"model": "o", "truth": "*", "optimum": "X", "start": "s"}[role]
    size = {"model": 80, "truth": 220, "optimum": 120, "start": 60}[role]
    if label is None:
        label = {"model": "model", "truth": "ground truth", "optimum": "data set's optimum", "start": "start"}[role]
    kwargs = {"zorder": 5, "edgecolors": "white", "linewidths": 1.0, **kwargs}
    return ax.scatter([point[0]], [point[1]], s=size, marker=marker, color=color, label=label, **kwargs)


def plot_path(path, ax=None, color=style.MODEL, label="path", **kwargs):
    """Draw an optimization path (an array of shape (n, 2)) as a line with small markers."""
    ax = _ax(ax)
    path = np.asarray(path, dtype=float)
    kwargs = {"marker": "o", "markersize": 3, "linewidth": 1.5, "zorder": 4, **kwargs}
    (line,) = ax.plot(path[:, 0], path[:, 1], color=color, label=label, **kwargs)
    return line


def plot_cost_curve(costs, ax=None, color=style.MODEL, label="cost", reference=None, log=True, **kwargs):
    """Cost versus iteration, on a log scale by default; ``reference`` draws a dashed blue level
    (for example the cost at the ground truth)."""
    ax = _ax(ax)
    costs = np.asarray(costs, dtype=float)
    (line,) = ax.plot(np.arange(len(costs)), costs, color=color, label=label, **kwargs)
    artists = [line]
    if reference is not None:
        artists.append(ax.axhline(reference, color=style.GROUND_TRUTH, linestyle="--", linewidth=1.5,
                                  label="cost at the ground truth"))
    if log:
        ax.set_yscale("log")
    ax.set_xlabel("iteration")
    ax.set_ylabel("cost J")
    return artists


def plot_landscape_image(b_values, w_values, J, ax=None, levels=20, cmap=style.COST_CMAP):
    """Filled log-level bands of a cost, drawn as an image (looks like filled contours).

    ``J`` has shape ``(len(w_values), len(b_values))`` on an evenly spaced grid. Returns the AxesImage.
    (Interactive figures use :func:`cost_image`, which computes the cost per screen pixel.)
    """
    from matplotlib.colors import BoundaryNorm

    ax = _ax(ax)
    b_values, w_values = np.asarray(b_values, dtype=float), np.asarray(w_values, dtype=float)
    lv = log_levels(J, levels) if np.isscalar(levels) else np.asarray(levels, dtype=float)
    image = ax.imshow(J, origin="lower", extent=(b_values[0], b_values[-1], w_values[0], w_values[-1]),
                      cmap=cmap, norm=BoundaryNorm(lv, 256), interpolation="nearest", aspect="auto",
                      zorder=0)
    ax.set_xlabel("b (bias)")
    ax.set_ylabel("w (weight)")
    ax.grid(False)
    return image


def cost_image(cost, extent, ax=None, levels=20, cmap=style.COST_CMAP):
    """A cost landscape drawn pixel for pixel: the cost is evaluated at the centre of every screen pixel.

    ``cost(b_values, w_values)`` returns the grid ``J[i, j] = J(b_values[j], w_values[i])``. Unlike an image
    of a fixed grid, nothing is resampled when drawing, which makes it several times faster to draw: what
    interactive figures need when the data set (hence the cost) changes. The colours are log-level bands
    as in :func:`plot_landscape_image`. Returns the :class:`CostImage` artist (``set_cost`` gives it a new cost).
    """
    ax = _ax(ax)
    artist = CostImage(cost, extent, levels=levels, cmap=cmap)
    ax.add_artist(artist)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    ax.set_xlabel("b (bias)")
    ax.set_ylabel("w (weight)")
    ax.grid(False)
    return artist


class CostImage(Artist):
    """See :func:`cost_image`."""

    zorder = 0

    def __init__(self, cost, extent, levels=20, cmap=style.COST_CMAP):
        super().__init__()
        self.extent = tuple(float(v) for v in extent)
        self.levels = levels
        self.cmap = mpl.colormaps[cmap] if isinstance(cmap, str) else cmap
        self.set_cost(cost)

    def set_cost(self, cost):
        """A new cost function (the picture is recomputed at the next draw)."""
        self._cost = cost
        self._pixels = None
        self._key = None
        self.stale = True

    def pixels(self, width: int, height: int) -> np.ndarray:
        """The (height, width, 4) RGBA picture of the extent, bottom row first (as the renderer takes it)."""
        from matplotlib.colors import BoundaryNorm

        if self._key != (width, height):
            b0, b1, w0, w1 = self.extent
            bs = b0 + (np.arange(width) + 0.5) * (b1 - b0) / width
            ws = w0 + (np.arange(height) + 0.5) * (w1 - w0) / height
            J = np.asarray(self._cost(bs, ws), dtype=float)
            lv = log_levels(J, self.levels) if np.isscalar(self.levels) else np.asarray(self.levels, float)
            self._pixels = self.cmap(BoundaryNorm(lv, 256)(J), bytes=True)
            self._key = (width, height)
        return self._pixels

    def draw(self, renderer):
        if not self.get_visible():
            return
        ax = self.axes
        b0, b1, w0, w1 = self.extent
        (x0, y0), (x1, y1) = ax.transData.transform([(b0, w0), (b1, w1)])
        x0, x1 = sorted((int(round(x0)), int(round(x1))))
        y0, y1 = sorted((int(round(y0)), int(round(y1))))
        if x1 <= x0 or y1 <= y0:
            return
        gc = renderer.new_gc()
        gc.set_clip_rectangle(ax.bbox)
        renderer.draw_image(gc, x0, y0, self.pixels(x1 - x0, y1 - y0))
        gc.restore()
        self.stale = False


def plot_squared_residuals(x, y, y_hat, ax=None, color=style.RESIDUAL, label="squared loss of an example", **kwargs):
    """Draw each example's squared loss as a square on the data: its side is the residual y - ŷ.

    The square hangs between the point and the prediction, so its area on screen is proportional to
    (y - ŷ)². Set the axes limits before calling: the width is converted so that the squares look
    square whatever the axes' aspect ratio. Returns the PatchCollection.
    """
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Rectangle

    ax = _ax(ax)
    x, y, y_hat = (np.asarray(v, dtype=float) for v in (x, y, y_hat))
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    bbox = ax.get_window_extent()
    x_per_y = (abs(x1 - x0) / bbox.width) / (abs(y1 - y0) / bbox.height)   # data-x units per data-y unit on screen
    rects = []
    for xi, yi, pi in zip(x, y, y_hat):
        side = abs(yi - pi)
        rects.append(Rectangle((xi, min(yi, pi)), side * x_per_y, side))
    kwargs = {"facecolor": color, "edgecolor": color, "alpha": 0.35, "zorder": 1, **kwargs}
    coll = PatchCollection(rects, label=label, **kwargs)
    ax.add_collection(coll)
    return coll
