"""The rendering machinery of the interactive figures (utils.interactive): PNG frames, diff frames, layers.

What the browser shows must be exactly what a full render would show: these tests replay the frames the
kernel sends, the way ipympl's front end composites them, and compare with from-scratch renders.
"""
import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from utils import interactive
from utils.fig_landscape import LandscapeApp
from utils.fig_recover import RecoverGroundTruth
from utils.style import COURSE_RC


def decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


class FakeBrowser:
    """Collects the frames a canvas sends and composites them as ipympl's front end does."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.picture = None
        self.frames = 0
        canvas.send_binary = self.receive
        canvas.syncing_data_url = False          # a connected view

    def receive(self, data):
        image = decode(data)
        self.last_shape = image.shape[:2]
        if self.canvas._current_image_mode == "full" or self.picture is None:
            self.picture = image.copy()
        else:                                    # drawn at the top-left corner; transparent pixels keep the old
            h, w = image.shape[:2]
            corner = self.picture[:h, :w]
            changed = image[:, :, 3] > 0
            corner[changed] = image[changed]
        self.frames += 1


def canvas_pixels(fig) -> np.ndarray:
    return np.asarray(fig.canvas.get_renderer().buffer_rgba()).copy()


def full_render(fig, layers) -> np.ndarray:
    """The same state rendered from scratch, every artist included (then the layers are restored)."""
    artists = [a for layer in layers.layers for a in layer]
    for a in artists:
        a.set_animated(False)
    try:
        FigureCanvasAgg.draw(fig.canvas)
        return canvas_pixels(fig)
    finally:
        for a in artists:
            a.set_animated(True)
        layers.invalidate(0)


MAX_DIFFERENT_PIXELS = 1_500   # where the layers' drawing order differs from zorder (measured: < 700)


def static_picture_matches(fig, layers, what):
    """Layer 0 as the layers keep it (axes re-rendered one by one, or from the cache) must be exactly what a
    full render of the same state gives: no stale or cut tick label anywhere."""
    canvas = fig.canvas
    canvas.restore_region(layers._below[0])
    kept = canvas_pixels(fig)
    FigureCanvasAgg.draw(canvas)                 # the animated layers are left out
    fresh = canvas_pixels(fig)
    layers.invalidate(0)
    differ = np.any(kept != fresh, axis=2)
    assert not differ.any(), f"{what}: layer 0 differs from a full render in {differ.sum()} pixels"


def assert_same_picture(got, expected, what):
    assert got.shape == expected.shape, what
    differ = np.any(got != expected, axis=2)
    # drawing order can differ where a grid line crosses a data point (a few pixels); anything stale or
    # missing would differ on far more
    print(f"{what}: {differ.sum()} pixels differ")
    assert differ.sum() <= MAX_DIFFERENT_PIXELS, f"{what}: {differ.sum()} pixels differ from a full render"


@pytest.mark.parametrize("shape", [(1, 1), (7, 3), (430, 960), (33, 65)])
def test_png_encoder_round_trip(shape):
    rng = np.random.default_rng(0)
    pixels = rng.integers(0, 256, size=(*shape, 4), dtype=np.uint8)
    pixels[: shape[0] // 2] = 0                  # mostly transparent, like a diff frame
    assert np.array_equal(decode(interactive._png_rgba(pixels)), pixels)


def test_figure_png_keeps_a_fixed_layout_under_the_course_style():
    """Saving must not re-lay out a figure whose layout was fixed by hand (it would overlap in the browser)."""
    import matplotlib as mpl

    with mpl.rc_context(COURSE_RC):
        app = RecoverGroundTruth(m=50, seed=1)
        before = [ax.get_position().bounds for ax in app.fig.axes]
        app.snapshot_png()
        app.fig.canvas.draw()
        assert [ax.get_position().bounds for ax in app.fig.axes] == before
        app2 = LandscapeApp(m=20)
        before = [ax.get_position().bounds for ax in app2.fig.axes]
        app2.snapshot_png()
        assert [ax.get_position().bounds for ax in app2.fig.axes] == before


def test_recover_figure_frames_match_full_renders():
    app = RecoverGroundTruth(m=300, seed=3, steps=40)
    browser = FakeBrowser(app.fig.canvas)
    app.fig.canvas.draw()
    rng = np.random.default_rng(1)
    actions = [
        ("step", lambda: app.step(5)),
        ("learning rate", lambda: app.set_learning_rate(float(10 ** rng.uniform(-3, -1)))),
        ("click", lambda: app.click(*rng.uniform(-5, 5, 2))),
        ("batch size", lambda: app.set_batch_size(int(rng.integers(1, 50)))),
        ("reset", app.reset),
        ("new data set", app.new_dataset),              # same axis limits: only the data and run layers
        ("new data set again", app.new_dataset),
        ("training-set size", lambda: app.set_m(int(rng.choice([20, 800])))),
        ("many steps", lambda: app.step(300)),          # the cost axis doubles its x range: layer 0 changes
        ("new data set after many steps", app.new_dataset),
        ("diverge", lambda: (app.set_learning_rate(2.0), app.step(20))),
        ("snapshot, then a step", lambda: (app.snapshot_png(), app.step(1))),
    ]
    layer_only = 0
    for name, action in actions:
        frames, full = browser.frames, app.layers.full_renders + app.layers.cached_renders
        action()
        layer_only += name.startswith("new data set") and app.layers.full_renders + app.layers.cached_renders == full
        assert browser.frames > frames, f"{name}: no frame was sent"
        shown = browser.picture.copy()
        assert np.array_equal(shown, canvas_pixels(app.fig)), f"{name}: the browser's picture is not the canvas"
        static_picture_matches(app.fig, app.layers, name)
        app.fig.canvas.draw()
        assert_same_picture(shown, full_render(app.fig, app.layers), name)
        app.fig.canvas.draw()                            # back to the layered state after the reference render
    assert layer_only >= 1, "no data change was drawn by the data layer alone"
    assert not app.errors


def test_landscape_figure_frames_match_full_renders():
    app = LandscapeApp(m=300, seed=2)
    browser = FakeBrowser(app.fig.canvas)
    app.fig.canvas.draw()
    for name, action in [("click", lambda: app.click(1.0, -2.0)), ("drag", lambda: app.drag([(0, 0), (2, 2)])),
                         ("new data set", app.new_data), ("size", lambda: app.set_data_size(20)),
                         ("size back", lambda: app.set_data_size(800))]:
        frames = browser.frames
        action()
        assert browser.frames > frames, f"{name}: no frame was sent"
        assert np.array_equal(browser.picture, canvas_pixels(app.fig))
        static_picture_matches(app.fig, app.layers, name)
        app.fig.canvas.draw()
        assert_same_picture(browser.picture, full_render(app.fig, app.layers), name)
        app.fig.canvas.draw()


def test_a_diff_frame_stops_at_its_last_changed_row_and_column():
    app = LandscapeApp(m=300, seed=2)
    browser = FakeBrowser(app.fig.canvas)
    app.fig.canvas.draw()
    height, width = canvas_pixels(app.fig).shape[:2]
    app.click(-4.0, 4.0)                 # the red dot and line move; the legend below does not change
    assert app.fig.canvas._current_image_mode == "diff"
    assert browser.last_shape[0] < height and browser.last_shape[1] <= width
    assert np.array_equal(browser.picture, canvas_pixels(app.fig))


def test_steps_redraw_only_the_run_and_known_limits_come_from_the_cache():
    app = RecoverGroundTruth(m=300, seed=0, steps=5)
    FakeBrowser(app.fig.canvas)
    app.fig.canvas.draw()
    layers = app.layers
    full = layers.full_renders
    app.step(1)
    app.click(1.0, 1.0)
    assert layers.full_renders == full and layers.layer_renders >= 2   # only the moving artists
    cells = layers.cell_renders
    app.step(400)                      # a longer x range for the cost: that axes alone is rendered again
    assert layers.full_renders == full and layers.cell_renders == cells + 1
    app.reset()                        # back to the first x range: its picture is kept
    assert layers.full_renders == full and layers.cell_renders == cells + 1 and layers.cached_renders >= 1


def test_states_rendered_ahead_of_time_make_later_changes_cheap_and_exact():
    app = RecoverGroundTruth(m=300, seed=4, steps=10)
    browser = FakeBrowser(app.fig.canvas)
    app.fig.canvas.draw()
    shown = browser.picture.copy()
    limits = app.ax_data.get_ylim(), app.ax_cost.get_xlim()
    rendered = app.layers.warm_up()
    assert rendered >= 10                                   # y spans of the data, x ranges of the cost
    assert (app.ax_data.get_ylim(), app.ax_cost.get_xlim()) == limits        # the axes got their state back
    app.fig.canvas.draw()
    assert np.array_equal(browser.picture, shown)           # and the picture did not move
    cells = app.layers.cell_renders
    for action in (lambda: app.step(700), app.new_dataset, app.new_dataset, lambda: app.set_m(20), app.reset):
        action()
        static_picture_matches(app.fig, app.layers, "after warming up")
        app.fig.canvas.draw()
    assert app.layers.cell_renders == cells                 # every axes picture came from the cache
    assert app.layers.warm_up() == 0                        # nothing left to do


def test_frames_wait_for_a_view():
    """Without a browser view, an update asks for a frame (draw_idle) instead of rendering one."""
    app = RecoverGroundTruth(m=30, seed=0)
    assert not app.layers.connected
    renders = app.layers.full_renders + app.layers.layer_renders
    app.step(3)
    assert app.layers.full_renders + app.layers.layer_renders == renders
    FakeBrowser(app.fig.canvas)
    app.step(3)
    assert app.layers.full_renders + app.layers.layer_renders == renders + 1


def test_a_frame_that_fails_to_render_is_drawn_again_from_scratch(monkeypatch):
    app = RecoverGroundTruth(m=30, seed=0, steps=3)
    browser = FakeBrowser(app.fig.canvas)
    app.fig.canvas.draw()
    real, calls = app.layers._render_layers, []

    def flaky():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("FT_Load_Glyph failed with error 0x14: invalid outline")
        return real()

    monkeypatch.setattr(app.layers, "_render_layers", flaky)
    full = app.layers.full_renders
    app.step(1)
    assert len(calls) == 2 and app.layers.full_renders == full + 1
    assert np.array_equal(browser.picture, canvas_pixels(app.fig)) and not app.errors
