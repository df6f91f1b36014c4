"""The linked model / cost-landscape figure of module 1, driven headlessly."""
import numpy as np
import pytest
from matplotlib.backend_bases import MouseEvent

from utils import costs, landscape
from utils.fig_landscape import SIZES, LandscapeApp


@pytest.fixture(scope="module")
def app():
    a = LandscapeApp(m=300, seed=0, b=-3.0, w=3.0)
    a.fig.canvas.syncing_data_url = False   # what a live JupyterLab front end does once connected
    return a


def _mouse(app, name, b, w, button=1):
    x, y = app.ax_cost.transData.transform((b, w))
    event = MouseEvent(name, app.fig.canvas, x, y, button=button)
    app.fig.canvas.callbacks.process(name, event)


def test_set_params_updates_artists_and_cost(app):
    app.set_params(1.5, -0.5)
    xs = np.asarray(app.model_line.get_xdata(), dtype=float)
    assert np.allclose(app.model_line.get_ydata(), 1.5 - 0.5 * xs)
    assert np.allclose(app.model_point.get_offsets(), [[1.5, -0.5]])
    expected = costs.linear_cost(1.5, -0.5, app.data.x, app.data.y)
    assert app.cost == pytest.approx(expected)
    assert f"{expected:.3f}" in app.cost_text.get_text()
    assert f"{expected:.3f}" in app.status.value


def test_click_then_drag_through_canvas_callbacks(app):
    app.set_params(0.0, 0.0)
    _mouse(app, "button_press_event", 2.0, 1.0)
    assert (app.b, app.w) == pytest.approx((2.0, 1.0), abs=1e-6)
    _mouse(app, "motion_notify_event", -1.0, -2.5)          # dragging: the button is still down
    assert (app.b, app.w) == pytest.approx((-1.0, -2.5), abs=1e-6)
    assert app.cost == pytest.approx(costs.linear_cost(-1.0, -2.5, app.data.x, app.data.y))
    _mouse(app, "button_release_event", -1.0, -2.5)
    _mouse(app, "motion_notify_event", 3.0, 3.0)            # released: moving no longer changes anything
    assert (app.b, app.w) == pytest.approx((-1.0, -2.5), abs=1e-6)


def test_click_outside_the_landscape_is_ignored(app):
    app.set_params(0.5, 0.5)
    x, y = app.ax_data.transData.transform((0.0, 0.0))
    app.fig.canvas.callbacks.process("button_press_event", MouseEvent("button_press_event", app.fig.canvas, x, y, button=1))
    assert (app.b, app.w) == (0.5, 0.5)


def test_params_are_clipped_to_the_landscape(app):
    app.set_params(50.0, -50.0)
    assert (app.b, app.w) == (app.extent, -app.extent)


def test_dropdown_switches_data_size_and_landscape(app):
    old_grid = app.J_grid.copy()
    app.size.value = SIZES["small (m = 20)"]
    assert app.data.m == 20 and len(app.scatter.get_offsets()) == 20
    assert not np.allclose(app.J_grid, old_grid)
    assert np.allclose(app.J_grid, landscape.linear_cost_grid(app.data.x, app.data.y, app.b_values, app.w_values))
    grid = np.linspace(-5, 5, 9)
    assert np.allclose(app.image._cost(grid, grid), landscape.linear_cost_grid(app.data.x, app.data.y, grid, grid))
    assert np.allclose(app.optimum_point.get_offsets(), [landscape.least_squares_line(app.data.x, app.data.y)])
    assert app.cost == pytest.approx(costs.linear_cost(app.b, app.w, app.data.x, app.data.y))
    app.size.value = 300
    assert app.data.m == 300


def test_new_data_changes_ground_truth(app):
    before = (app.data.b_true, app.data.w_true)
    app.new_data_button.click()
    assert (app.data.b_true, app.data.w_true) != before
    assert np.allclose(app.truth_point.get_offsets(), [[app.data.b_true, app.data.w_true]])


def test_updates_are_recorded_without_errors(app):
    app.update_times.clear()
    rng = np.random.default_rng(0)
    for b, w in rng.uniform(-5, 5, size=(50, 2)):
        app.click(b, w)
    assert len(app.update_times) == 50 and not app.errors   # every update recorded (benchmarks read them)


def test_snapshot_png_and_mimebundle(app):
    png = app.snapshot_png()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    bundle = app._repr_mimebundle_()
    assert "image/png" in bundle and "interactive" in bundle["text/plain"]
    assert all(artist.get_animated() for artist in app._animated)   # restored after the snapshot


def test_invalid_size():
    with pytest.raises(ValueError, match="m must be one of"):
        LandscapeApp(m=7)
