"""Module 1's interactive figure: the model and its cost landscape, side by side and linked.

Left, the training data, the ground-truth line (blue) and the model's line (red). Right, the contours of
the cost :math:`J(b, w) = \\frac1m\\sum_i (b + w x_i - y_i)^2` over the parameter plane. Clicking or
dragging in the landscape sets the model's parameters (b, w): the red line, the red dot and the cost
readout move with the mouse. A dropdown switches the training-set size (20 / 300 / 800 examples, as in
the article's figure) and a button draws a new data set.

The figure is drawn once; a change of parameters only updates artists in place (``set_data``,
``set_offsets``, ``set_text``). Everything the mouse does is also a method (:meth:`LandscapeApp.set_params`,
:meth:`LandscapeApp.click`, :meth:`LandscapeApp.drag`), so notebooks and tests drive the figure from code.
"""

from __future__ import annotations

import numpy as np

from . import costs, data, landscape, plots, style
from .interactive import FigureApp, interactive_figure

__all__ = ["LandscapeApp", "SIZES"]


#: Training-set sizes offered by the dropdown (the article's small / medium / large).
SIZES = {"small (m = 20)": 20, "medium (m = 300)": 300, "large (m = 800)": 800}


class LandscapeApp(FigureApp):
    """Linked views of a line model and its cost landscape.

    Parameters
    ----------
    m : int, default=300
        Training-set size; one of the values of :data:`SIZES`.
    seed : int, default=0
        Seed of the data set (the ground truth b, w is drawn from it, uniform in [-4, 4]).
    b, w : float, default=(-3.0, 3.0)
        The model's first parameters.
    extent : float, default=5.0
        The landscape shows (b, w) in [-extent, extent]².
    grid : int, default=151
        Grid points per axis of the landscape.

    Attributes
    ----------
    b, w : float
        The model's current parameters.
    cost : float
        The cost J(b, w) on the current training set.
    data : utils.data.LinearData
    size, new_data_button, status : ipywidgets controls (dropdown, button, HTML readout)
    widget : ipywidgets.VBox
        The whole figure with its controls (what the notebook displays).
    """

    title = "Model and cost landscape"

    def __init__(self, m=300, seed=0, b=-3.0, w=3.0, extent=5.0, grid=151):
        super().__init__()
        import ipywidgets as widgets

        if m not in SIZES.values():
            raise ValueError(f"m must be one of {sorted(SIZES.values())}, got {m!r}")
        self.seed = int(seed)
        self.extent = float(extent)
        self.b_values = np.linspace(-extent, extent, grid)
        self.w_values = np.linspace(-extent, extent, grid)
        self.b, self.w = self._clip(b, w)
        self._dragging = False
        self._contours = None

        self.fig = interactive_figure(figsize=(10, 4.4))
        self.ax_data, self.ax_cost = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        self._build_artists()

        self.size = widgets.Dropdown(options=list(SIZES.items()), value=m, description="data set:",
                                     layout=widgets.Layout(width="230px"))
        self.new_data_button = widgets.Button(description="new data set", icon="refresh")
        self.status = widgets.HTML()
        self.size.observe(lambda change: self.set_data_size(change["new"]), names="value")
        self.new_data_button.on_click(lambda _: self.new_data())
        self.widget = widgets.VBox([widgets.HBox([self.size, self.new_data_button]), self.fig.canvas, self.status])

        canvas = self.fig.canvas
        canvas.mpl_connect("button_press_event", self.on_press)
        canvas.mpl_connect("motion_notify_event", self.on_motion)
        canvas.mpl_connect("button_release_event", self.on_release)

        self._printing = False
        self._background = None
        canvas.mpl_connect("draw_event", self._on_draw)
        self._load_data(m)
        self.fig.set_layout_engine("none")   # keep the layout fixed from now on (and full redraws cheaper)

    # ------------------------------------------------------------------ building
    def _clip(self, b, w):
        e = self.extent
        return float(np.clip(b, -e, e)), float(np.clip(w, -e, e))

    def _build_artists(self):
        ax = self.ax_data
        self.scatter = plots.plot_data([0.0], [0.0], ax=ax)
        self.truth_line = plots.plot_line(0.0, 0.0, ax=ax, role="truth")
        self.model_line = plots.plot_line(self.b, self.w, ax=ax, role="model")
        ax.set_xlim(-10, 10)
        ax.set_xlabel("x (input feature)")
        ax.set_ylabel("y (target)")
        ax.legend(loc="upper left")
        ax.set_title("the model: a line  ŷ = b + w x")

        ax = self.ax_cost
        self.truth_point = plots.mark_point((0.0, 0.0), ax=ax, role="truth")
        self.optimum_point = plots.mark_point((0.0, 0.0), ax=ax, role="optimum", zorder=4)
        self.model_point = plots.mark_point((self.b, self.w), ax=ax, role="model", label="model (click or drag)")
        self.model_point.set_sizes([110])
        ax.set_xlim(-self.extent, self.extent)
        ax.set_ylim(-self.extent, self.extent)
        ax.set_aspect("equal")
        ax.set_xlabel("b (bias)")
        ax.set_ylabel("w (weight)")
        ax.legend(loc="lower left", framealpha=0.85)
        ax.set_title("the cost landscape  J(b, w)")
        self.cost_text = ax.text(0.02, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize=12,
                                 bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"), zorder=6)
        # What moves with the mouse is drawn by blitting: only these artists are re-rendered per update.
        self._animated = [self.model_line, self.model_point, self.cost_text]
        for artist in self._animated:
            artist.set_animated(True)

    def _load_data(self, m):
        """Draw the data set of size m (seed ``self.seed``) and redraw what depends on it."""
        self.data = data.make_linear_data(m, seed=self.seed)
        d = self.data
        self.scatter.set_offsets(np.column_stack([d.x, d.y]))
        self.scatter.set_sizes([14 if m > 100 else 30])
        xs = np.array(self.truth_line.get_xdata(), dtype=float)
        self.truth_line.set_ydata(d.b_true + d.w_true * xs)
        span = max(float(np.abs(d.y).max()), 5.0) * 1.15
        self.ax_data.set_ylim(-span, span)
        self.optimum = landscape.least_squares_line(d.x, d.y)
        self.J_grid = landscape.linear_cost_grid(d.x, d.y, self.b_values, self.w_values)
        if self._contours is not None:
            for artist in self._contours:
                artist.remove()
        before = list(self.ax_cost.collections)
        plots.plot_landscape(self.b_values, self.w_values, self.J_grid, ax=self.ax_cost, levels=18)
        self._contours = [c for c in self.ax_cost.collections if c not in before]
        self.truth_point.set_offsets([[d.b_true, d.w_true]])
        self.optimum_point.set_offsets([list(self.optimum)])
        self.set_params(self.b, self.w)
        if getattr(self.fig.canvas, "syncing_data_url", False):
            # no browser view yet: a synchronous draw would send an image before the view exists
            self.fig.canvas.draw_idle()
        else:
            self.fig.canvas.draw()           # full render; its draw_event stores the new background

    # ------------------------------------------------------------------ blitting
    def _draw_animated(self):
        for artist in self._animated:
            artist.axes.draw_artist(artist)

    def _on_draw(self, event):
        """After each full render: keep the static picture as background, then add the moving artists."""
        if self._printing:
            return
        canvas = self.fig.canvas
        self._background = canvas.copy_from_bbox(self.fig.bbox)
        self._draw_animated()

    def _blit(self):
        canvas = self.fig.canvas
        if self._background is None:
            canvas.draw_idle()
            return
        canvas.restore_region(self._background)
        self._draw_animated()
        canvas.blit(self.fig.bbox)

    def snapshot_png(self) -> bytes:
        """The current picture as PNG (animated artists included)."""
        from .interactive import figure_png

        self._printing = True
        for artist in self._animated:
            artist.set_animated(False)
        try:
            return figure_png(self.fig)
        finally:
            for artist in self._animated:
                artist.set_animated(True)
            self._printing = False

    # ------------------------------------------------------------------ updates (the public API)
    def set_params(self, b, w):
        """Set the model's parameters (clipped to the landscape) and update the figure in place.

        Returns the cost J(b, w) on the current training set.
        """
        with self.timed():
            self.b, self.w = self._clip(b, w)
            self.cost = costs.linear_cost(self.b, self.w, self.data.x, self.data.y)
            xs = np.array(self.model_line.get_xdata(), dtype=float)
            self.model_line.set_ydata(self.b + self.w * xs)
            self.model_point.set_offsets([[self.b, self.w]])
            self.cost_text.set_text(f"J({self.b:.2f}, {self.w:.2f}) = {self.cost:.3f}   (m = {self.data.m})")
            self.status.value = (
                f"b = {self.b:.3f}, w = {self.w:.3f}: cost J = <b>{self.cost:.3f}</b>. "
                f"Ground truth ({self.data.b_true:.2f}, {self.data.w_true:.2f}); "
                f"lowest cost {self.optimum_cost:.3f} at ({self.optimum[0]:.2f}, {self.optimum[1]:.2f}). "
                "Click or drag in the landscape."
            )
            self._blit()
        return self.cost

    @property
    def optimum_cost(self) -> float:
        """The smallest cost on the current training set (at the least-squares line)."""
        return costs.linear_cost(*self.optimum, self.data.x, self.data.y)

    def set_data_size(self, m):
        """Switch to the training set of size m (same seed, same ground truth)."""
        if m not in SIZES.values():
            raise ValueError(f"m must be one of {sorted(SIZES.values())}, got {m!r}")
        if self.size.value != m:
            self.size.value = m          # the observer calls back here
            return
        self._load_data(m)

    def new_data(self):
        """Draw a new data set (next seed: a new ground truth), keeping the size."""
        self.seed += 1
        self._load_data(self.data.m)

    # ------------------------------------------------------------------ mouse
    def click(self, b, w):
        """What a click at (b, w) in the landscape does (for code and tests)."""
        return self.set_params(b, w)

    def drag(self, points):
        """What dragging through a sequence of (b, w) points does; returns the last cost."""
        cost = self.cost
        for b, w in points:
            cost = self.set_params(b, w)
        return cost

    def on_press(self, event):
        if event.inaxes is self.ax_cost and event.button == 1 and event.xdata is not None:
            self._dragging = True
            self.set_params(event.xdata, event.ydata)

    def on_motion(self, event):
        if self._dragging and event.inaxes is self.ax_cost and event.xdata is not None:
            self.set_params(event.xdata, event.ydata)

    def on_release(self, event):
        self._dragging = False
