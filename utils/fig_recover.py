r"""Interactive figure 1: recover the ground truth with gradient descent.

A data set is drawn from a known line :math:`y = b^\star + w^\star x + \varepsilon` (blue). A line model
:math:`\hat y = b + w x` (red) is trained on it by mini-batch gradient descent on the mean squared error

.. math:: J(b, w) = \frac1m \sum_{i=1}^m (b + w x_i - y_i)^2 ,\qquad
          (b, w) \leftarrow (b, w) - \alpha\,\nabla J_{\text{batch}}(b, w).

Three panels: the data with both lines; the cost landscape over (b, w) in [-5, 5]² with the ground truth
(blue star), the data set's own optimum (green X, closed form), the start (black square) and the training
path (red), with an arrow for the next update −α∇J of the next mini-batch; the training-set cost per iteration
with the cost at the ground truth (dashed blue) and at the optimum (dotted green) for reference.

Controls: training-set size (20 / 300 / 800 or any), a new data set, the start (click in the landscape),
the learning rate, the batch size (1 / 24 / m or any), shuffling, and play / pause / step / reset.
Every control is also a method (:meth:`RecoverGroundTruth.set_m`, ``set_learning_rate`` ...), so notebooks
and tests drive the figure from code.

Playing: an ``ipywidgets.Play`` ticks every 50 ms and each tick takes "steps per frame" updates (1, 10 or 100),
i.e. 20 ticks' worth per second. The pace is kept even when ticks arrive late or merged (a busy browser fires its
timers late; a busy kernel receives several ticks as one jump of the Play value): each tick takes the steps of
every tick it stands for, counted from the jump of the value or from the time since the previous tick, whichever
is larger. Only the number of frames drawn drops.

Speed: the run is computed by :class:`LineSGD`, a small incremental trainer that needs five numbers per
mini-batch (means of x, x², y, xy and the count), so one step is a handful of float operations whatever the
batch size. A control change re-runs training from the same start for the same number of steps (so its
effect shows at once) and only updates artists in place. The figure renders in layers
(:class:`utils.interactive.Layers`): a step re-draws only the run's artists; a new data set also re-draws the
landscape (a :func:`utils.plots.cost_image`, computed per pixel) and the points; an axes whose limits change
is re-rendered alone, or taken from the pictures kept (and rendered ahead of time) for those limits.
"""

from __future__ import annotations

import math
import time
from functools import partial

import numpy as np

from . import data as data_mod
from . import landscape, plots, style
from .interactive import FigureApp, Layers, interactive_figure

__all__ = ["LineSGD", "RecoverGroundTruth", "M_CHOICES", "LR_CHOICES", "LR_GRID", "BATCH_CHOICES"]

#: The article's training-set sizes, learning rates and batch sizes.
M_CHOICES = (20, 300, 800)
LR_CHOICES = (1e-4, 1e-2, 1e-1)
#: the learning rates of the slider: 20 per decade from 1e-5 to 1 (the buttons' values are among them)
LR_GRID = tuple(10.0 ** (k / 20) for k in range(-100, 1))
BATCH_CHOICES = (1, 24, "m")

MAX_VALUE = 1e8       # a cost above this (or not finite) counts as divergence
MAX_REPLAY = 20_000   # a control change re-runs at most this many steps
EXTENT = 5.0          # the landscape shows (b, w) in [-EXTENT, EXTENT]²
Y_SPANS = (10, 20, 30, 45, 60)   # the data panel shows y in [-span, span], the smallest span that fits
COST_RANGE = (2.0, 2000.0)       # the cost panel's y range (log), widened only when a data set needs it


class LineSGD:
    r"""Mini-batch gradient descent on the line's MSE, computed incrementally (pure numpy / floats).

    For a batch :math:`B` with means :math:`\bar x_B, \overline{x^2}_B, \bar y_B, \overline{xy}_B`
    the batch gradient is

    .. math:: \partial_b J_B = 2(b + w\bar x_B - \bar y_B),\qquad
              \partial_w J_B = 2(b\bar x_B + w\overline{x^2}_B - \overline{xy}_B),

    so each epoch's batch means are computed once (vectorized) and each step costs a few float operations.
    Batches follow the order of the examples (or a new random permutation each epoch when ``shuffle``);
    the last batch of an epoch is smaller when ``batch_size`` does not divide m.

    Parameters
    ----------
    x, y : ndarray of shape (m,)
    init : (b, w)
    learning_rate : float > 0
    batch_size : int in 1..m
    shuffle : bool
    seed : int
        Seed of the shuffling (the same seed gives the same batches).

    Attributes
    ----------
    params : ndarray of shape (steps + 1, 2)
        (b, w) at the start and after each update.
    costs : ndarray of shape (steps + 1,)
        The full training-set cost at each row of ``params``.
    diverged_at : int or None
        The update after which the cost exceeded 1e8 or stopped being finite.
    """

    def __init__(self, x, y, init=(0.0, 0.0), learning_rate=0.01, batch_size=1, shuffle=False, seed=0):
        self.x = np.asarray(x, dtype=float)
        self.y = np.asarray(y, dtype=float)
        m = len(self.x)
        if self.x.ndim != 1 or self.y.shape != self.x.shape or m < 1:
            raise ValueError(f"x and y must be 1-D of the same length m >= 1, got shapes {self.x.shape} "
                             f"and {self.y.shape}")
        if not (isinstance(learning_rate, (int, float, np.floating)) and learning_rate > 0):
            raise ValueError(f"learning_rate must be a number > 0, got {learning_rate!r}")
        if not (isinstance(batch_size, (int, np.integer)) and 1 <= batch_size <= m):
            raise ValueError(f"batch_size must be an integer in 1..m={m}, got {batch_size!r}")
        self.m, self.lr, self.batch_size, self.shuffle = m, float(learning_rate), int(batch_size), bool(shuffle)
        self.batches_per_epoch = -(-m // self.batch_size)
        self._rng = np.random.default_rng(seed)
        # full-set moments: J(b, w) = (b + w x̄ - ȳ)² + w² var(x) - 2 w cov(x, y) + var(y)
        xm, ym = self.x.mean(), self.y.mean()
        dx, dy = self.x - xm, self.y - ym
        self._moments = (float(xm), float(ym), float(dx @ dx / m), float(dx @ dy / m), float(dy @ dy / m))
        self._b, self._w = float(init[0]), float(init[1])
        self._params = [(self._b, self._w)]
        self._costs = [self.cost(self._b, self._w)]
        self._epoch_stats = []
        self._position = 0          # next batch within the current epoch
        self.diverged_at = None
        self._cache = None

    def cost(self, b, w):
        """Full training-set cost J(b, w) from the five moments (no pass over the data)."""
        xm, ym, vx, cxy, vy = self._moments
        r = b + w * xm - ym
        return r * r + w * (w * vx - 2.0 * cxy) + vy

    def _new_epoch(self):
        order = self._rng.permutation(self.m) if self.shuffle else np.arange(self.m)
        x, y = self.x[order], self.y[order]
        starts = np.arange(0, self.m, self.batch_size)
        counts = np.diff(np.append(starts, self.m)).astype(float)
        mean = lambda v: (np.add.reduceat(v, starts) / counts).tolist()  # noqa: E731
        self._epoch_stats = list(zip(mean(x), mean(x * x), mean(y), mean(x * y)))
        self._position = 0

    @property
    def steps(self) -> int:
        """Number of updates done."""
        return len(self._params) - 1

    def advance(self, n: int) -> int:
        """Take up to ``n`` more updates (fewer when the run diverges); return how many were taken."""
        if self.diverged_at is not None or n <= 0:
            return 0
        b, w, lr, cost = self._b, self._w, self.lr, self.cost
        params, costs = self._params, self._costs
        taken = 0
        for _ in range(int(n)):
            if self._position >= len(self._epoch_stats):
                self._new_epoch()
            mx, mxx, my, mxy = self._epoch_stats[self._position]
            self._position += 1
            gb = 2.0 * (b + w * mx - my)
            gw = 2.0 * (b * mx + w * mxx - mxy)
            b -= lr * gb
            w -= lr * gw
            J = cost(b, w)
            taken += 1
            if not J < MAX_VALUE:   # also catches inf and nan
                self.diverged_at = len(params)
                break
            params.append((b, w))
            costs.append(J)
        self._b, self._w = b, w
        self._cache = None
        return taken

    def next_update(self):
        """The change the next step will make, (Δb, Δw) = −α ∇J_B(b, w) on the next batch; None once diverged.

        Looking ahead does not change the run: the next epoch's order is drawn here instead of in
        :meth:`advance`, from the same random stream.
        """
        if self.diverged_at is not None:
            return None
        if self._position >= len(self._epoch_stats):
            self._new_epoch()
        mx, mxx, my, mxy = self._epoch_stats[self._position]
        b, w = self._b, self._w
        return (-self.lr * 2.0 * (b + w * mx - my), -self.lr * 2.0 * (b * mx + w * mxx - mxy))

    def _arrays(self):
        if self._cache is None:
            self._cache = (np.array(self._params), np.array(self._costs))
        return self._cache

    @property
    def params(self) -> np.ndarray:
        return self._arrays()[0]

    @property
    def costs(self) -> np.ndarray:
        return self._arrays()[1]

    @property
    def current(self):
        """The last finite (b, w)."""
        return self._params[-1]


def _is_choice(value, choices):
    return any(value == c for c in choices if not isinstance(c, str))


class RecoverGroundTruth(FigureApp):
    """Interactive figure 1: train a line by gradient descent and compare it with the ground truth.

    Parameters
    ----------
    m : int, default=300
        Training-set size (2..5000).
    learning_rate : float, default=0.01
    batch_size : int or "m", default=1
        "m" means the full training set (batch gradient descent).
    shuffle : bool, default=False
    init : (b, w), optional
        The start; by default drawn uniformly in [-1, 1]² from ``seed`` (as in the article).
    seed : int, default=0
        Seeds the data sets (ground truth b, w ~ U(-4, 4)), the default start and the shuffling.
    steps : int, default=0
        Updates taken before the figure is first shown.

    Attributes
    ----------
    data : utils.data.LinearData
    run : LineSGD
        The current training run (``run.params``, ``run.costs``, ``run.diverged_at``).
    optimum : (b, w)
        The data set's least-squares line (closed form).
    widget : ipywidgets.VBox
        Figure plus controls (what the notebook displays).
    m_buttons, m_text, new_data_button, lr_buttons, lr_slider, batch_buttons, batch_text, shuffle_box, play,
    step_button, reset_button, speed_buttons, status : ipywidgets
        The controls; setting a control's ``.value`` (or ``.click()``) acts as the reader would.
    update_times : list of float
        Kernel time of each update (seconds), from :meth:`FigureApp.timed`.
    full_draws, fast_draws : int
        Frames rendered from scratch, and frames that re-rendered at most an axes with new limits and the
        moving artists (see :class:`utils.interactive.Layers`, ``self.layers``).
    """

    title = "Interactive figure 1: recover the ground truth"

    def __init__(self, m=300, learning_rate=0.01, batch_size=1, shuffle=False, init=None, seed=0, steps=0):
        super().__init__()
        self.seed = int(seed)
        self._dataset_index = 0
        self._truth = None
        rng = np.random.default_rng([self.seed, 1])
        self.init = tuple(float(v) for v in (rng.uniform(-1, 1, 2) if init is None else init))
        self.learning_rate = self._check_lr(learning_rate)
        self._batch_choice = self._check_batch(batch_size)
        self.shuffle = bool(shuffle)
        self.steps_per_frame = 1
        self._syncing = False
        self._last_tick = None       # time of the previous play tick
        self._tick_debt = 0.0        # fraction of a tick not yet stepped
        self._cost_limits = None
        self._draw_data(self._check_m(m))
        self._build_figure()
        self._build_controls()
        self._rerun(int(steps))
        self._update_data_artists()
        self._update_run_artists()

    # ------------------------------------------------------------------ validation
    @staticmethod
    def _check_m(m):
        if not (isinstance(m, (int, np.integer)) and not isinstance(m, bool) and 2 <= m <= 5000):
            raise ValueError(f"m (training-set size) must be an integer in 2..5000, got {m!r}")
        return int(m)

    @staticmethod
    def _check_lr(lr):
        if not (isinstance(lr, (int, float, np.floating)) and 0 < lr <= 10):
            raise ValueError(f"learning_rate must be a number in (0, 10], got {lr!r}")
        return float(lr)

    @staticmethod
    def _check_batch(batch_size):
        if batch_size == "m":
            return "m"
        if not (isinstance(batch_size, (int, np.integer)) and not isinstance(batch_size, bool)
                and batch_size >= 1):
            raise ValueError(f"batch_size must be an integer >= 1 or 'm' (full batch), got {batch_size!r}")
        return int(batch_size)

    # ------------------------------------------------------------------ state
    @property
    def m(self) -> int:
        return self.data.m

    @property
    def batch_size(self) -> int:
        """The batch size in use (the free value is capped at m)."""
        return self.m if self._batch_choice == "m" else min(self._batch_choice, self.m)

    @property
    def params(self):
        """Current (b, w)."""
        return self.run.current

    @property
    def steps(self) -> int:
        return self.run.steps

    @property
    def diverged_at(self):
        return self.run.diverged_at

    @property
    def distance_to_truth(self) -> float:
        b, w = self.params
        return math.hypot(b - self.data.b_true, w - self.data.w_true)

    def _draw_data(self, m, new_truth=False):
        if new_truth or self._truth is None:
            truth_rng = np.random.default_rng([self.seed, 2, self._dataset_index])
            self._truth = tuple(float(v) for v in truth_rng.uniform(-4, 4, 2))
        self.data = data_mod.make_linear_data(m, *self._truth, seed=[self.seed, 3, self._dataset_index, m])
        self.optimum = landscape.least_squares_line(self.data.x, self.data.y)

    def _rerun(self, steps):
        self.run = LineSGD(self.data.x, self.data.y, self.init, self.learning_rate, self.batch_size,
                           self.shuffle, seed=[self.seed, 4])
        self.run.advance(min(int(steps), MAX_REPLAY))

    # ------------------------------------------------------------------ figure
    def _build_figure(self):
        import matplotlib as mpl

        with mpl.rc_context(style.COURSE_RC):
            self.fig = interactive_figure(figsize=(9.6, 4.6), layout="none")
            ax_data, ax_land, ax_cost = self.fig.subplots(1, 3, gridspec_kw={"width_ratios": [1.05, 1, 1.05]})
            self.fig.subplots_adjust(left=0.08, right=0.99, bottom=0.27, top=0.87, wspace=0.36)
            self.ax_data, self.ax_land, self.ax_cost = ax_data, ax_land, ax_cost

            # data panel
            self.scatter = plots.plot_data([0.0], [0.0], ax=ax_data)
            self.truth_line = plots.plot_line(0.0, 0.0, ax=ax_data, role="truth", xlim=(-10, 10))
            self.model_line = plots.plot_line(0.0, 0.0, ax=ax_data, role="model", xlim=(-10, 10))
            self.m_label = ax_data.text(0.03, 0.97, "", transform=ax_data.transAxes, ha="left", va="top",
                                       fontsize=11, bbox=dict(facecolor="white", alpha=0.8, edgecolor="none"))
            ax_data.set_xlim(-10, 10)
            ax_data.set_xlabel("x (feature)")
            ax_data.set_ylabel("y (label)")
            ax_data.set_title("data and lines", fontsize=12)

            # landscape panel
            self.image = plots.cost_image(partial(landscape.linear_cost_grid, self.data.x, self.data.y),
                                          (-EXTENT, EXTENT, -EXTENT, EXTENT), ax=ax_land)
            self.path_line = plots.plot_path(np.zeros((1, 2)), ax=ax_land, label="training path", marker=None,
                                             linewidth=1.4)
            self.start_marker = plots.mark_point(self.init, ax=ax_land, role="start")
            self.truth_marker = plots.mark_point((0, 0), ax=ax_land, role="truth")
            self.optimum_marker = plots.mark_point((0, 0), ax=ax_land, role="optimum",
                                                   label="data set's optimum")
            self.current_marker = plots.mark_point(self.init, ax=ax_land, role="model", label="model now")
            self.current_marker.set_sizes([45])
            # the next update, −α ∇J of the next batch, from where the model is: shows the effect of the learning
            # rate, the batch size and shuffling before a step is taken
            from matplotlib.patches import FancyArrowPatch

            self.next_arrow = FancyArrowPatch((0, 0), (0, 0), arrowstyle="-|>", mutation_scale=12, color=style.MODEL,
                                              linewidth=2.0, zorder=6, shrinkA=0, shrinkB=0)
            ax_land.add_patch(self.next_arrow)
            ax_land.set_xlim(-EXTENT, EXTENT)
            ax_land.set_ylim(-EXTENT, EXTENT)
            ax_land.set_autoscale_on(False)
            ax_land.set_title("cost J(b, w): click to start", fontsize=12)

            # cost panel
            (self.cost_line,) = ax_cost.plot([0], [1.0], color=style.MODEL, label="model (training set)")
            self.truth_cost_line = ax_cost.axhline(1.0, color=style.GROUND_TRUTH, linestyle="--", linewidth=1.5,
                                                   label="at the ground truth")
            self.optimum_cost_line = ax_cost.axhline(1.0, color=style.OPTIMUM, linestyle=":", linewidth=1.5,
                                                     label="at the data set's optimum")
            ax_cost.set_yscale("log")
            ax_cost.set_xlabel("iteration (updates)")
            ax_cost.set_ylabel("cost J (log scale)")
            ax_cost.set_title("training cost per update", fontsize=12)
            # one legend for the three panels, below them (where no moving artist can cover it)
            from matplotlib.legend_handler import HandlerTuple

            from matplotlib.lines import Line2D

            arrow_proxy = Line2D([], [], color=style.MODEL, linewidth=1.6, marker=">", markersize=7)
            handles = [self.scatter, (self.truth_line, self.truth_marker, self.truth_cost_line),
                       (self.model_line, self.current_marker), self.path_line, arrow_proxy, self.start_marker,
                       (self.optimum_marker, self.optimum_cost_line)]
            labels = ["training data", "ground truth (line, point, cost)", "model", "path", "next update −α∇J",
                      "start", "data set's optimum"]
            self.fig.legend(handles, labels, loc="lower center", ncols=4, fontsize=9.5, frameon=False,
                            handler_map={tuple: HandlerTuple(ndivide=None, pad=0.4)},
                            bbox_to_anchor=(0.5, 0.0), handlelength=3.0, columnspacing=1.0, handletextpad=0.5)
            # the status above the panels appears in the saved picture (pages without a kernel); live, the
            # status line above the canvas says the same and the canvas does not re-render text every step
            self.status_text = self.fig.text(0.5, 0.965, "", ha="center", va="center", fontsize=12,
                                             visible=False)
        self.fig.canvas.mpl_connect("button_press_event", self._on_click)
        # Layers: the axes, ticks and legend are rendered once (layer 0; the data and cost axes again, each on
        # its own, for limits not seen before); what changes with the data set (layer 1) and what follows the
        # run (layer 2) is drawn over copies of it.
        data_layer = [self.image, *self.ax_land.spines.values(), self.scatter, self.truth_line, self.m_label,
                      self.truth_cost_line, self.optimum_cost_line, self.truth_marker, self.optimum_marker]
        run_layer = [self.model_line, self.path_line, self.start_marker, self.current_marker, self.next_arrow,
                     self.cost_line]
        self.layers = Layers(self.fig, [data_layer, run_layer],
                             cells={self.ax_data: self.ax_data.get_ylim,
                                    self.ax_cost: lambda: (self.ax_cost.get_xlim(), self.ax_cost.get_ylim())})
        # render ahead of time the data panel's y spans and the cost panel's x ranges up to the longest run
        ranges = [20 * 2 ** k for k in range(11)]             # 20 ... 20480 > MAX_REPLAY
        self.layers.set_warm_up(
            [(self.ax_data, lambda s=s: self.ax_data.set_ylim(-s, s)) for s in Y_SPANS]
            + [(self.ax_cost, lambda r=r: self.ax_cost.set_xlim(0, r)) for r in ranges])

    @property
    def click_axes(self) -> list:
        return [self.ax_land]

    # ------------------------------------------------------------------ drawing
    @property
    def full_draws(self) -> int:
        """Frames rendered from scratch (the first one, and after a resize or a saved picture)."""
        return self.layers.full_renders

    @property
    def fast_draws(self) -> int:
        """Frames that re-drew only what changed: an axes with new limits, the data and run layers."""
        return self.layers.frames - self.layers.full_renders

    def snapshot_png(self) -> bytes:
        """PNG of the whole current picture, with the status line above the panels."""
        self.status_text.set_visible(True)
        try:
            return super().snapshot_png()
        finally:
            self.status_text.set_visible(False)

    def _update_data_artists(self):
        """Artists that depend on the data set (a data change: the landscape image gets new pixels)."""
        d = self.data
        self.scatter.set_offsets(np.column_stack([d.x, d.y]))
        self.truth_line.set_ydata(d.b_true + d.w_true * np.array([-10.0, 10.0]))
        self.m_label.set_text(f"m = {d.m}")
        # the y range comes from a few fixed spans, so that most data sets reuse a cached picture of the axes
        ends = np.abs(d.b_true + d.w_true * np.array([-10.0, 10.0]))
        need = max(float(np.percentile(np.abs(d.y), 99.5)), float(ends.min())) + 3
        span = next((s for s in Y_SPANS if s >= need), Y_SPANS[-1])
        if self.ax_data.get_ylim() != (-span, span):
            self.ax_data.set_ylim(-span, span)
            self.layers.invalidate(0)
        self.image.set_cost(partial(landscape.linear_cost_grid, d.x, d.y))
        self.truth_marker.set_offsets([[d.b_true, d.w_true]])
        self.optimum_marker.set_offsets([self.optimum])
        self._truth_cost = self.run.cost(d.b_true, d.w_true)
        self._optimum_cost = self.run.cost(*self.optimum)
        self.truth_cost_line.set_ydata([self._truth_cost] * 2)
        self.optimum_cost_line.set_ydata([self._optimum_cost] * 2)
        # the cost is a convex quadratic: its largest value in the square landscape is at a corner
        corners = np.array([-EXTENT, EXTENT])
        self._landscape_max = float(landscape.linear_cost_grid(d.x, d.y, corners, corners).max())
        self.layers.invalidate(1)

    def _update_run_artists(self):
        """Artists that follow the training run (cheap: set_data / set_offsets / set_text)."""
        run = self.run
        params, costs = run.params, run.costs
        b, w = params[-1]
        self.model_line.set_ydata(b + w * np.array([-10.0, 10.0]))
        stride = max(1, len(params) // 4000)     # keep the path light to draw
        shown = params[::stride] if stride == 1 else np.vstack([params[::stride], params[-1:]])
        self.path_line.set_data(shown[:, 0], shown[:, 1])
        self.start_marker.set_offsets([self.init])
        self.current_marker.set_offsets([[b, w]])
        update = run.next_update()
        if update is None:
            self.next_arrow.set_visible(False)
        else:
            db, dw = update
            length = math.hypot(db, dw)
            if length > 4 * EXTENT:           # far outside the panel anyway: keep the numbers small
                db, dw = db * 4 * EXTENT / length, dw * 4 * EXTENT / length
            self.next_arrow.set_positions((b, w), (b + db, w + dw))
            self.next_arrow.set_visible(True)
        its = np.arange(len(costs))
        self.cost_line.set_data(its[::stride], costs[::stride])
        # the x range is the smallest of 20, 40, 80 ... that holds the run: it doubles as training goes on, and
        # each range's picture of the axes is kept (see Layers), so changing range again costs little
        right = 20
        while right < 1.05 * max(len(costs) - 1, 1):
            right *= 2
        # the y range is fixed (COST_RANGE) unless a data set needs more (then widened by whole decades, so
        # that pictures of the axes can be reused): from below the optimum's cost
        # (J >= J at the optimum) to above the largest cost in the landscape (any start clicked there); a
        # diverging curve leaves through the top. So only the x range changes, as a run grows or restarts.
        top = max(self._landscape_max, float(costs[0]))
        low, high = COST_RANGE
        if self._optimum_cost / 1.6 < low:      # tiny training sets fit almost exactly: down to 0.01, by decades
            low = max(10.0 ** math.floor(math.log10(max(self._optimum_cost / 1.6, 1e-300))), 0.01)
        if top * 1.6 > high:
            high = 10.0 ** math.ceil(math.log10(top * 1.6))
        limits = ((0, right), (low, high))
        if limits != self._cost_limits:
            self._cost_limits = limits
            self.ax_cost.set_xlim(*limits[0])
            self.ax_cost.set_ylim(*limits[1])
            self.layers.invalidate(0)
        long, short, color = self._status()
        self.status_text.set_text(short)
        self.status_text.set_color(color)
        self.status_text.set_fontweight("bold" if color != "black" else "normal")
        css = "color:#c00;font-weight:bold" if color != "black" else "color:black"
        self.status.value = f"<span style='font-size:1.1em;{css}'>{long}</span>"
        self.layers.invalidate(2)
        self.redraw()

    def _status(self):
        """(long text for the HTML label, short text for the figure, colour)."""
        run = self.run
        if run.diverged_at is not None:
            text = f"diverged at step {run.diverged_at}"
            long = (f"{text} (learning rate {self.learning_rate:g}, batch size {self.batch_size}): "
                    f"the cost passed 1e8, training stopped")
            return long, text, "tab:red"
        epoch = run.steps / run.batches_per_epoch
        short = (f"step {run.steps} · epoch {epoch:.1f} · cost {run.costs[-1]:.3f} · "
                 f"distance to truth {self.distance_to_truth:.3f}")
        long = (f"step {run.steps} · epoch {epoch:.1f} · cost {run.costs[-1]:.3f} (at the ground truth "
                f"{self._truth_cost:.3f}, at the optimum {self._optimum_cost:.3f}) · distance to the ground "
                f"truth {self.distance_to_truth:.3f}")
        return long, short, "black"

    @property
    def status_message(self) -> str:
        """The status line as plain text (what the figure shows above the panels)."""
        return self._status()[0]

    @property
    def figure_status(self) -> str:
        """The short status line drawn above the panels."""
        return self._status()[1]

    # ------------------------------------------------------------------ controls
    def _build_controls(self):
        import ipywidgets as W

        wide = {"description_width": "initial"}
        small = W.Layout(width="90px")
        self.m_buttons = W.ToggleButtons(options=[(str(v), v) for v in M_CHOICES], value=None,
                                         style={"button_width": "50px"})
        self.m_text = W.BoundedIntText(value=self.m, min=2, max=5000, description="any:", style=wide,
                                       layout=small)
        self.new_data_button = W.Button(description="new data set", icon="refresh",
                                        tooltip="draw a new ground truth and a new training set")
        self.lr_buttons = W.ToggleButtons(options=[(f"{v:g}", v) for v in LR_CHOICES], value=None,
                                          style={"button_width": "72px"})
        # a selection slider sends the index of a value: no rounding of a float can come back from the browser
        self.lr_slider = W.SelectionSlider(options=[(f"{v:.2g}", v) for v in LR_GRID],
                                           index=self._lr_index(self.learning_rate), description="any:",
                                           style=wide, layout=W.Layout(width="330px"))
        self.batch_buttons = W.ToggleButtons(options=[("1", 1), ("24", 24), ("m", "m")], value=None,
                                             style={"button_width": "45px"})
        self.batch_text = W.BoundedIntText(value=self.batch_size, min=1, max=5000, description="any:",
                                           style=wide, layout=small)
        self.shuffle_box = W.Checkbox(value=self.shuffle, description="shuffle every epoch", indent=False)
        self.play = W.Play(value=0, min=0, max=10**7, step=1, interval=50, show_repeat=False,
                           description="play")
        self.step_button = W.Button(description="step", icon="step-forward", layout=W.Layout(width="80px"))
        self.reset_button = W.Button(description="reset", icon="undo", layout=W.Layout(width="80px"))
        self.speed_buttons = W.ToggleButtons(options=[("1", 1), ("10", 10), ("100", 100)], value=1,
                                             style={"button_width": "45px"})
        self.status = W.HTML()
        self._sync_controls()

        def guarded(fn):
            def handler(change):
                if not self._syncing and change["new"] is not None:
                    fn(change["new"])
            return handler

        self.m_buttons.observe(guarded(self.set_m), names="value")
        self.m_text.observe(guarded(self.set_m), names="value")
        self.new_data_button.on_click(lambda _: self.new_dataset())
        self.lr_buttons.observe(guarded(self.set_learning_rate), names="value")
        self.lr_slider.observe(guarded(self.set_learning_rate), names="value")
        self.batch_buttons.observe(guarded(self.set_batch_size), names="value")
        self.batch_text.observe(guarded(self.set_batch_size), names="value")
        self.shuffle_box.observe(guarded(self.set_shuffle), names="value")
        self.speed_buttons.observe(guarded(self.set_speed), names="value")
        self.speed_buttons.add_class("course-no-redraw")  # changes how fast Play runs, not the picture
        self.play.observe(self._on_play, names="value")
        self.step_button.on_click(lambda _: self.step(self.steps_per_frame))
        self.reset_button.on_click(lambda _: self.reset())

        # a label widget before each group of buttons keeps label and buttons on one line (a ToggleButtons'
        # own description is put above its buttons)
        def label(text):
            return W.Label(text, layout=W.Layout(width="150px"))

        def row(*children):
            return W.HBox(list(children), layout=W.Layout(align_items="center"))

        rows = [
            row(label("training-set size m:"), self.m_buttons, self.m_text, self.new_data_button),
            row(label("learning rate α:"), self.lr_buttons, self.lr_slider),
            row(label("batch size m_b:"), self.batch_buttons, self.batch_text, self.shuffle_box),
            row(label("play:"), self.play, self.step_button, self.reset_button, W.Label("steps per frame:"),
                self.speed_buttons),
        ]
        self.widget = W.VBox([*rows, self.status, self.fig.canvas])

    def _sync_controls(self):
        """Show the current settings in the controls without triggering their callbacks."""
        self._syncing = True
        try:
            self.m_buttons.value = self.m if _is_choice(self.m, M_CHOICES) else None
            self.m_text.value = self.m
            lr = self.learning_rate
            self.lr_buttons.value = next((c for c in LR_CHOICES if math.isclose(c, lr, rel_tol=1e-9)), None)
            self.lr_slider.index = self._lr_index(lr)
            self.batch_buttons.value = (self._batch_choice if self._batch_choice == "m"
                                        or _is_choice(self._batch_choice, (1, 24)) else None)
            self.batch_text.value = self.batch_size
            self.shuffle_box.value = self.shuffle
            self.speed_buttons.value = self.steps_per_frame
        finally:
            self._syncing = False

    @staticmethod
    def _lr_index(lr):
        """The slider position nearest to a learning rate (on a log scale)."""
        return int(np.argmin(np.abs(np.log10(LR_GRID) - math.log10(lr))))

    def _on_play(self, change):
        if self._syncing or change["new"] is None or change["old"] is None or change["new"] <= change["old"]:
            return
        # the pace: a jump of k ticks (merged by the browser) or the time since the previous tick (late timers),
        # whichever stands for more ticks; fractions carry over to the next tick
        now = time.perf_counter()
        ticks = float(change["new"] - change["old"])
        if self._last_tick is not None and now - self._last_tick < 2.0:     # (not after a pause)
            ticks = max(ticks, (now - self._last_tick) / (self.play.interval / 1000.0) + self._tick_debt)
        self._last_tick = now
        whole = min(int(ticks), 100)
        self._tick_debt = min(ticks - whole, 1.0)
        if whole:
            self.step(self.steps_per_frame * whole)
        if self.run.diverged_at is not None or self.run.steps >= MAX_REPLAY * 50:
            self.play.playing = False

    def _on_click(self, event):
        if event.inaxes is self.ax_land and event.button == 1 and event.xdata is not None:
            self.set_init(event.xdata, event.ydata)

    def click(self, b, w):
        """Act as a click in the landscape at (b, w): a new start (same as :meth:`set_init`)."""
        self.set_init(b, w)

    # ------------------------------------------------------------------ public actions
    def _change(self, data_changed=False):
        with self.timed():
            self._rerun(self.run.steps)
            if data_changed:
                self._update_data_artists()
            self._update_run_artists()
            self._sync_controls()

    def set_m(self, m):
        """Draw a training set of ``m`` examples from the same ground truth; re-run to the same step."""
        m = self._check_m(m)
        if m != self.m:
            self._draw_data(m)
        self._change(data_changed=True)

    def new_dataset(self):
        """A new ground truth (b, w ~ U(-4, 4)) and a new training set of the same size."""
        self._dataset_index += 1
        self._draw_data(self.m, new_truth=True)
        self._change(data_changed=True)

    def set_learning_rate(self, learning_rate):
        self.learning_rate = self._check_lr(learning_rate)
        self._change()

    def set_batch_size(self, batch_size):
        """1 (stochastic), any integer (capped at m) or "m" (full batch)."""
        self._batch_choice = self._check_batch(batch_size)
        self._change()

    def set_shuffle(self, shuffle):
        self.shuffle = bool(shuffle)
        self._change()

    def set_speed(self, steps_per_frame):
        """How many updates one frame of play (or one press of "step") takes."""
        self.steps_per_frame = int(steps_per_frame)
        self._sync_controls()

    def set_init(self, b, w):
        """A new start (the click in the landscape); training restarts from step 0."""
        with self.timed():
            self.init = (float(b), float(w))
            self._rerun(0)
            self._update_run_artists()

    def step(self, n=1):
        """Take ``n`` more updates (stops at divergence)."""
        with self.timed():
            self.run.advance(int(n))
            self._update_run_artists()
        return self

    def reset(self):
        """Back to step 0 from the same start (and stop playing)."""
        with self.timed():
            self.play.playing = False
            self._syncing = True
            self.play.value = 0
            self._syncing = False
            self._rerun(0)
            self._update_run_artists()
