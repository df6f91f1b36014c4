"""Interactive figure 1 (recover the ground truth), driven headlessly: every control kind changes the picture."""

import warnings

import numpy as np
import pytest

from utils import costs, landscape
from utils.fig_recover import LR_CHOICES, LR_GRID, LineSGD, RecoverGroundTruth


@pytest.fixture
def app():
    return RecoverGroundTruth(m=300, learning_rate=0.01, batch_size=1, seed=0, steps=50)


def snapshot(app):
    """The data of every artist the controls may change."""
    return {
        "data": app.scatter.get_offsets().copy(),
        "truth": app.truth_line.get_ydata().copy(),
        "model": app.model_line.get_ydata().copy(),
        "path": np.column_stack(app.path_line.get_data()).copy(),
        "start": app.start_marker.get_offsets().copy(),
        "current": app.current_marker.get_offsets().copy(),
        "cost": np.column_stack(app.cost_line.get_data()).copy(),
        "landscape": np.asarray(app.image._cost(np.linspace(-5, 5, 7), np.linspace(-5, 5, 7))).copy(),
        "arrow": np.array(app.next_arrow._posA_posB, dtype=float),
        "status": app.status.value,
    }


def changed(before, after):
    out = set()
    for key in before:
        a, b = before[key], after[key]
        if isinstance(a, str):
            if a != b:
                out.add(key)
        elif np.shape(a) != np.shape(b) or not np.allclose(a, b, equal_nan=True):
            out.add(key)
    return out


# ---------------------------------------------------------------- the trainer
def test_line_sgd_full_batch_matches_the_gradient_of_the_cost():
    rng = np.random.default_rng(1)
    x, y = rng.normal(size=30), rng.normal(size=30)
    run = LineSGD(x, y, init=(0.5, -0.5), learning_rate=0.05, batch_size=30)
    run.advance(3)
    b, w = 0.5, -0.5
    for _ in range(3):
        gb, gw = costs.linear_cost_grad(b, w, x, y)
        b, w = b - 0.05 * gb, w - 0.05 * gw
    np.testing.assert_allclose(run.params[-1], [b, w], rtol=1e-12)
    np.testing.assert_allclose(run.costs, costs.linear_cost(run.params[:, 0], run.params[:, 1], x, y), rtol=1e-10)


def test_line_sgd_minibatches_cover_each_example_once_per_epoch_in_order():
    rng = np.random.default_rng(2)
    x, y = rng.normal(size=10), rng.normal(size=10)
    run = LineSGD(x, y, init=(0.0, 0.0), learning_rate=0.1, batch_size=4)   # batches of 4, 4, 2
    run.advance(3)
    b, w = 0.0, 0.0
    for idx in (slice(0, 4), slice(4, 8), slice(8, 10)):
        gb, gw = costs.linear_cost_grad(b, w, x[idx], y[idx])
        b, w = b - 0.1 * gb, w - 0.1 * gw
    np.testing.assert_allclose(run.params[-1], [b, w], rtol=1e-12)
    assert run.batches_per_epoch == 3


def test_line_sgd_converges_to_the_closed_form():
    rng = np.random.default_rng(3)
    x = rng.normal(0, 2, 200)
    y = 1.0 - 2.0 * x + rng.normal(0, 1, 200)
    run = LineSGD(x, y, init=(3.0, 3.0), learning_rate=0.05, batch_size=200)
    run.advance(2000)
    np.testing.assert_allclose(run.params[-1], landscape.least_squares_line(x, y), atol=1e-8)


@pytest.mark.parametrize("batch_size, shuffle", [(30, False), (4, False), (4, True), (1, True)])
def test_line_sgd_next_update_is_the_step_it_then_takes(batch_size, shuffle):
    rng = np.random.default_rng(4)
    x, y = rng.normal(size=30), rng.normal(size=30)
    run = LineSGD(x, y, init=(0.3, 0.7), learning_rate=0.05, batch_size=batch_size, shuffle=shuffle, seed=5)
    plain = LineSGD(x, y, init=(0.3, 0.7), learning_rate=0.05, batch_size=batch_size, shuffle=shuffle, seed=5)
    for _ in range(20):                      # across epoch boundaries (a new order is drawn there)
        db, dw = run.next_update()
        before = run.params[-1]
        run.advance(1)
        np.testing.assert_allclose(run.params[-1] - before, [db, dw], rtol=1e-12, atol=1e-15)
    plain.advance(20)
    np.testing.assert_array_equal(run.params, plain.params)   # looking ahead does not change the run


def test_line_sgd_next_update_of_a_full_batch_is_minus_alpha_times_the_gradient():
    rng = np.random.default_rng(6)
    x, y = rng.normal(size=12), rng.normal(size=12)
    run = LineSGD(x, y, init=(1.0, -2.0), learning_rate=0.1, batch_size=12)
    gb, gw = costs.linear_cost_grad(1.0, -2.0, x, y)
    np.testing.assert_allclose(run.next_update(), [-0.1 * gb, -0.1 * gw], rtol=1e-12)


def test_line_sgd_rejects_bad_arguments():
    x = np.zeros(5)
    with pytest.raises(ValueError, match="batch_size must be an integer in 1..m=5, got 0"):
        LineSGD(x, x, batch_size=0)
    with pytest.raises(ValueError, match="learning_rate"):
        LineSGD(x, x, learning_rate=-1.0)


# ---------------------------------------------------------------- the figure
def test_initial_picture_is_seeded_and_has_a_png(app):
    other = RecoverGroundTruth(m=300, learning_rate=0.01, batch_size=1, seed=0, steps=50)
    np.testing.assert_array_equal(app.run.params, other.run.params)
    bundle = app._repr_mimebundle_()
    assert bundle["image/png"]
    assert "interactive" in bundle["text/plain"]
    assert app.steps == 50


@pytest.mark.parametrize("action, expected", [
    (lambda a: a.set_m(20), {"data", "landscape"}),
    (lambda a: setattr(a.m_buttons, "value", 800), {"data", "landscape"}),
    (lambda a: setattr(a.m_text, "value", 123), {"data", "landscape"}),
    (lambda a: a.new_dataset(), {"data", "landscape", "truth"}),
    (lambda a: a.new_data_button.click(), {"data", "landscape", "truth"}),
    (lambda a: a.set_learning_rate(0.001), {"path", "model", "cost"}),
    (lambda a: setattr(a.lr_buttons, "value", 0.1), {"path", "model", "cost"}),
    (lambda a: setattr(a.lr_slider, "index", 50), {"path", "model", "cost"}),
    (lambda a: a.set_batch_size(24), {"path", "model", "cost"}),
    (lambda a: setattr(a.batch_buttons, "value", "m"), {"path", "model", "cost"}),
    (lambda a: setattr(a.batch_text, "value", 7), {"path", "model", "cost"}),
    (lambda a: setattr(a.shuffle_box, "value", True), {"path", "model", "cost"}),
    (lambda a: a.step(5), {"path", "model", "cost", "status"}),
    (lambda a: a.step_button.click(), {"path", "current", "status"}),
    (lambda a: setattr(a.play, "value", a.play.value + 1), {"path", "current", "status"}),
    (lambda a: a.reset(), {"path", "current", "cost", "status"}),
    (lambda a: a.set_init(2.0, -3.0), {"start", "path", "current", "cost"}),
    (lambda a: a.click(-4.0, 4.0), {"start", "path", "current"}),
])
def test_every_control_changes_the_picture(app, action, expected):
    before = snapshot(app)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        action(app)
    assert expected <= changed(before, snapshot(app))
    assert not app.errors


@pytest.mark.parametrize("action", [
    lambda a: a.set_learning_rate(0.1), lambda a: a.set_batch_size("m"), lambda a: a.set_batch_size(24),
])
def test_at_step_0_the_next_update_arrow_shows_the_change(action):
    """Before any step the path is a point; the arrow of the next update still answers every setting."""
    app = RecoverGroundTruth(m=300, learning_rate=0.01, batch_size=1, seed=0, steps=0)
    before = snapshot(app)
    action(app)
    assert "arrow" in changed(before, snapshot(app))
    (b0, w0), (b1, w1) = app.next_arrow._posA_posB
    assert (b0, w0) == pytest.approx(app.params)
    assert (b1 - b0, w1 - w0) == pytest.approx(app.run.next_update())


def test_the_arrow_is_hidden_after_divergence():
    app = RecoverGroundTruth(m=100, learning_rate=1.5, batch_size="m", seed=0, steps=100)
    assert app.diverged_at is not None and not app.next_arrow.get_visible()


def test_the_learning_rate_slider_shows_the_nearest_of_its_values(app):
    """The slider is a selection of 20 rates per decade: a rate set from code shows as the nearest one, and
    the browser syncs an index, so no rounded float can come back and change the rate."""
    assert all(np.min(np.abs(np.log10(LR_GRID) - np.log10(c))) < 1e-12 for c in LR_CHOICES)   # buttons' rates
    app.set_learning_rate(0.5)
    assert app.lr_slider.label == "0.5" and app.learning_rate == 0.5       # not changed to the slider's 0.501
    app.lr_slider.index += 1
    assert app.learning_rate == pytest.approx(10 ** -0.25)


def test_controls_and_methods_stay_in_sync(app):
    app.set_m(20)
    assert app.m_buttons.value == 20 and app.m_text.value == 20 and app.m == 20
    app.m_text.value = 57
    assert app.m_buttons.value is None and app.m == 57
    app.set_learning_rate(0.1)
    assert app.lr_buttons.value == 0.1 and app.lr_slider.value == pytest.approx(0.1)
    app.lr_slider.index = app.lr_slider.index - 6              # 10^-1.3 ≈ 0.05
    assert app.lr_buttons.value is None and app.learning_rate == pytest.approx(10 ** -1.3)
    app.batch_buttons.value = "m"
    assert app.batch_size == 57 and app.batch_text.value == 57
    app.set_m(300)
    assert app.batch_size == 300          # "m" follows the training-set size
    app.set_batch_size(1000)
    assert app.batch_size == 300          # a free value is capped at m


def test_a_control_change_keeps_the_number_of_steps(app):
    app.step(30)
    steps = app.steps
    app.set_learning_rate(0.02)
    assert app.steps == steps
    app.set_init(1.0, 1.0)
    assert app.steps == 0                 # a new start restarts training


def test_large_learning_rate_shows_divergence_plainly(app):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        app.set_batch_size("m")
        app.set_learning_rate(1.0)
        app.step(200)
    assert app.diverged_at is not None
    message = f"diverged at step {app.diverged_at}"
    assert message in app.status.value and "c00" in app.status.value      # in red
    assert app.status_text.get_text() == message and app.status_text.get_color() == "tab:red"
    assert np.all(np.isfinite(app.run.params)) and np.all(np.isfinite(app.run.costs))
    steps = app.steps
    app.step(10)
    assert app.steps == steps             # a diverged run does not go on
    app.play.playing = True
    app.play.value += 1
    assert app.play.playing is False      # playing stops at divergence
    app.set_learning_rate(0.01)
    assert app.diverged_at is None and "diverged" not in app.status.value


def test_mouse_click_in_the_landscape_sets_the_start(app):
    class Event:
        inaxes = app.ax_land
        button = 1
        xdata, ydata = 3.0, -2.0

    app._on_click(Event())
    assert app.init == (3.0, -2.0)
    np.testing.assert_allclose(app.start_marker.get_offsets(), [[3.0, -2.0]])
    Event.inaxes = app.ax_data
    app._on_click(Event())
    assert app.init == (3.0, -2.0)        # clicks elsewhere are ignored


def test_fast_frames_and_full_draws(app):
    canvas = app.fig.canvas
    canvas.draw()
    full = app.full_draws
    assert full >= 1
    app.step(1)
    canvas.draw()
    assert app.full_draws == full and app.fast_draws >= 1   # a step only redraws the moving artists


def test_bad_arguments_are_explained(app):
    with pytest.raises(ValueError, match="m .* must be an integer in 2..5000, got 1"):
        app.set_m(1)
    with pytest.raises(ValueError, match="learning_rate"):
        app.set_learning_rate(0)
    with pytest.raises(ValueError, match="batch_size"):
        app.set_batch_size(0)


def test_late_ticks_keep_the_pace(app, monkeypatch):
    """When the browser's timers fire late, each tick takes the steps of the time that passed (20 ticks/s)."""
    clock = [100.0]
    monkeypatch.setattr("utils.fig_recover.time.perf_counter", lambda: clock[0])
    steps = app.steps
    for _ in range(10):                  # ten ticks, 80 ms apart instead of 50: 0.8 s of play
        app.play.value += 1
        clock[0] += 0.08
    # the first tick stands for itself; the nine later ones for 0.72 s, i.e. 14.4 ticks (the fraction waits)
    assert app.steps == steps + 1 + 14
    clock[0] += 5.0                      # a pause: the next tick does not make up for it
    app.play.value += 1
    assert app.steps == steps + 16


def test_play_value_is_the_clock(app):
    """When the browser merges ticks (busy kernel), a jump of k ticks takes k frames' worth of steps."""
    app.set_speed(10)
    steps = app.steps
    app.play.value += 1
    assert app.steps == steps + 10
    app.play.value += 3
    assert app.steps == steps + 40
    assert app.speed_buttons.value == 10
    app.reset()
    assert app.steps == 0 and app.play.value == 0 and app.play.playing is False
