"""Module 1's interactive figure: the model and its cost landscape, side by side and linked.

Left, the training data, the ground-truth line (blue) and the model's line (red). Right, the level bands of
the cost :math:`J(b, w) = \\frac1m\\sum_i (b + w x_i - y_i)^2` over the parameter plane. Clicking or
dragging in the landscape sets the model's parameters (b, w): the red line and the red dot move with the
mouse, and the line above the figure reads out the cost. A dropdown switches the training-set size (20 / 300 / 800 examples, as in
the article's figure) and a button draws a new data set.

The figure is drawn once; a change of parameters only updates artists in place (``set_data``,
``set_offsets``, ``set_text``) and re-renders just them (:class:`utils.interactive.Layers`); a new data set
gives the landscape image new pixels. Everything the mouse does is also a method (:meth:`LandscapeApp.set_params`,
:meth:`LandscapeApp.click`, :meth:`LandscapeApp.drag`), so notebooks and tests drive the figure from code.
"""

from __future__ import annotations

from functools import partial

import numpy as np

from . import costs, data, landscape, plots, style
from .interactive import FigureApp, Layers, interactive_figure

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
    grid : int, default=301
        Grid points per axis of ``J_grid`` (the landscape's values); the picture is computed per screen pixel.

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

    def __init__(self, m=300, seed=0, b=-3.0, w=3.0, extent=5.0, grid=301):
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
        self.data = data.make_linear_data(m, seed=self.seed)

        self.fig = interactive_figure(figsize=(10, 4.9), layout="constrained")
        self.ax_data, self.ax_cost = self.fig.subplots(1, 2, gridspec_kw={"width_ratios": [1.15, 1]})
        self._build_artists()

        self.size = widgets.Dropdown(options=list(SIZES.items()), value=m, description="data set:",
                                     layout=widgets.Layout(width="230px"))
        self.new_data_button = widgets.Button(description="new data set", icon="refresh")
        self.status = widgets.HTML()
        self.size.observe(lambda change: self.set_data_size(change["new"]), names="value")
        self.new_data_button.on_click(lambda _: self.new_data())
        self.widget = widgets.VBox([widgets.HBox([self.size, self.new_data_button]), self.status, self.fig.canvas])

        canvas = self.fig.canvas
        canvas.mpl_connect("button_press_event", self.on_press)
        canvas.mpl_connect("motion_notify_event", self.on_motion)
        canvas.mpl_connect("button_release_event", self.on_release)

        self._load_data(m)
        self.fig.get_layout_engine().execute(self.fig)   # lay out once with the first data set's ticks ...
        self.fig.set_layout_engine("none")                # ... then keep the layout fixed

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
        ax.set_title("the cost landscape  J(b, w)")
        self.image = plots.cost_image(partial(landscape.linear_cost_grid, self.data.x, self.data.y),
                                      (-self.extent, self.extent, -self.extent, self.extent), ax=ax, levels=18)
        # one legend for both panels, below them: the data and the landscape never cover it
        self.legend = self.fig.legend(
            [self.scatter, self.truth_line, self.model_line, self.truth_point, self.optimum_point, self.model_point],
            ["training data", "ground truth (line)", "model (line)", "ground truth (b, w)", "data set's optimum",
             "model (b, w): click or drag"], loc="outside lower center", ncols=3, fontsize=10, frameon=False)
        # the cost readout in the panel appears in the saved picture (pages without a kernel); live, the status
        # line above the canvas gives it, and the canvas does not re-render text at every mouse move
        self.cost_text = ax.text(0.02, 0.97, "", transform=ax.transAxes, ha="left", va="top", fontsize=12,
                                 bbox=dict(facecolor="white", alpha=0.85, edgecolor="none"), zorder=6,
                                 visible=False)
        # Layers: the axes and the legend are rendered once (layer 0; the data axes again for a new y range);
        # what changes with the data set (layer 1) and what moves with the mouse (layer 2) are drawn over
        # copies of that picture.
        data_layer = [self.image, *ax.spines.values(), self.scatter, self.truth_line, self.truth_point,
                      self.optimum_point]
        self._animated = [self.model_line, self.model_point, self.cost_text]
        self.layers = Layers(self.fig, [data_layer, self._animated], cells={self.ax_data: self.ax_data.get_ylim})
        self.layers.set_warm_up([(self.ax_data, lambda s=s: self.ax_data.set_ylim(-s, s)) for s in range(10, 80, 10)])

    def _load_data(self, m):
        """Draw the data set of size m (seed ``self.seed``) and redraw what depends on it."""
        self.data = data.make_linear_data(m, seed=self.seed)
        d = self.data
        self.scatter.set_offsets(np.column_stack([d.x, d.y]))
        self.scatter.set_sizes([14 if m > 100 else 30])
        xs = np.array(self.truth_line.get_xdata(), dtype=float)
        self.truth_line.set_ydata(d.b_true + d.w_true * xs)
        # y range in steps of 10, so that most data sets reuse a kept picture of the axes
        span = 10.0 * np.ceil(max(float(np.abs(d.y).max()), 5.0) * 1.15 / 10.0)
        if self.ax_data.get_ylim() != (-span, span):
            self.ax_data.set_ylim(-span, span)
            self.layers.invalidate(0)
        self.optimum = landscape.least_squares_line(d.x, d.y)
        self.J_grid = landscape.linear_cost_grid(d.x, d.y, self.b_values, self.w_values)
        self.image.set_cost(partial(landscape.linear_cost_grid, d.x, d.y))
        self.truth_point.set_offsets([[d.b_true, d.w_true]])
        self.optimum_point.set_offsets([list(self.optimum)])
        self.layers.invalidate(1)
        self.set_params(self.b, self.w)

    @property
    def click_axes(self) -> list:
        return [self.ax_cost]

    def snapshot_png(self) -> bytes:
        """The current picture as PNG (every layer included, with the cost readout in the landscape)."""
        self.cost_text.set_visible(True)
        try:
            return self.layers.save_png()
        finally:
            self.cost_text.set_visible(False)

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
                f"<span style='font-size:1.1em'>b = {self.b:.3f}, w = {self.w:.3f}: cost J = <b>{self.cost:.3f}</b> "
                f"(m = {self.data.m}). Ground truth ({self.data.b_true:.2f}, {self.data.w_true:.2f}); "
                f"lowest cost {self.optimum_cost:.3f} at ({self.optimum[0]:.2f}, {self.optimum[1]:.2f}). "
                "Click or drag in the landscape.</span>"
            )
            self.layers.invalidate(2)
            self.redraw()
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
