"""Tests of utils.runs: recorded histories, hand-computed training steps, divergence without warnings."""
import warnings

import numpy as np
import pytest

from utils.costs import linear_cost, linear_model_cost, linear_model_grad
from utils.data import make_house_data, make_linear_data, standardize
from utils.landscape import least_squares_line, normal_equation
from utils.optimizers import OPTIMIZERS, adam, momentum, sgd
from utils.runs import History, run_on_surface, train_linear, train_model
from utils.schedules import inverse_time
from utils.surfaces import SURFACES, ellipse


@pytest.fixture
def no_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


# ---------------------------------------------------------------- run_on_surface
def test_gradient_descent_on_the_bowl_by_hand(no_warnings):
    # bowl: ∇f = w, so each step multiplies w by (1 - 0.1) = 0.9
    h = run_on_surface(SURFACES["bowl"], sgd(0.1), start=[1.0, 2.0], steps=10)
    assert isinstance(h, History)
    assert h.params.shape == (11, 2) and h.costs.shape == (11,)
    assert h.grad_norms.shape == h.learning_rates.shape == (10,)
    np.testing.assert_allclose(h.params, 0.9 ** np.arange(11)[:, None] * [1.0, 2.0])
    np.testing.assert_allclose(h.costs, 2.5 * 0.81 ** np.arange(11))
    np.testing.assert_allclose(h.grad_norms, np.sqrt(5) * 0.9 ** np.arange(10))
    np.testing.assert_allclose(h.learning_rates, 0.1)
    assert (h.diverged, h.diverged_at, h.steps, h.message) == (False, None, 10, "ran 10 steps")
    np.testing.assert_allclose(h.final, 0.9**10 * np.array([1.0, 2.0]))
    assert h.final_cost == pytest.approx(h.costs[-1])


def test_a_number_means_gradient_descent_and_start_defaults_to_the_surface():
    s = SURFACES["himmelblau"]
    a = run_on_surface(s, 0.01, steps=5)
    b = run_on_surface(s, sgd(0.01), start=s.start, steps=5)
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.params[0], s.start)


def test_ellipse_diverges_beyond_two_over_kappa(no_warnings):
    s = ellipse(10)
    ok = run_on_surface(s, sgd(0.19), start=[1.0, 1.0], steps=300)       # α < 2/κ = 0.2
    assert not ok.diverged and ok.final_cost < 1e-6
    bad = run_on_surface(s, sgd(0.21), start=[1.0, 1.0], steps=3000)     # α > 2/κ
    assert bad.diverged and bad.message == f"diverged at step {bad.diverged_at}"
    assert bad.steps == bad.diverged_at and bad.params.shape == (bad.steps + 1, 2)
    assert abs(bad.costs[-1]) > 1e8 and np.all(np.abs(bad.costs[:-1]) <= 1e8)
    # y grows by |1 - 0.21*10| = 1.1 per step, the cost 5y² by 1.21: 5*1.21^t > 1e8 from t = 89
    assert bad.diverged_at == 89


def test_overflow_to_inf_is_caught_without_warnings(no_warnings):
    h = run_on_surface(SURFACES["goldstein_price"], momentum(0.01), start=[1.5, 1.5], steps=500,
                       max_value=np.inf)
    assert h.diverged
    assert not (np.isfinite(h.costs[-1]) and np.all(np.isfinite(h.params[-1])))
    assert np.all(np.isfinite(h.costs[:-1]))
    assert h.message == f"diverged at step {h.diverged_at}"


def test_saddle_runs_away_downhill(no_warnings):
    h = run_on_surface(SURFACES["saddle"], sgd(0.1), steps=1000)
    assert h.diverged and h.costs[-1] < -1e8


def test_noise_is_seeded():
    s = SURFACES["rosenbrock"]
    a = run_on_surface(s, adam(0.02), steps=50, noise=1.0, seed=3)
    b = run_on_surface(s, adam(0.02), steps=50, noise=1.0, seed=3)
    c = run_on_surface(s, adam(0.02), steps=50, noise=1.0, seed=4)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)
    clean = run_on_surface(s, adam(0.02), steps=50)
    assert not np.array_equal(a.params, clean.params)
    np.testing.assert_array_equal(clean.params, run_on_surface(s, adam(0.02), steps=50, seed=9).params)


def test_noise_has_the_requested_scale():
    # on the flat plane at the minimum of the bowl, gradients are pure noise: E|ξ|² = 2σ²
    h = run_on_surface(SURFACES["bowl"], sgd(1e-9), start=[0.0, 0.0], steps=4000, noise=0.5, seed=0)
    assert np.mean(h.grad_norms**2) == pytest.approx(2 * 0.25, rel=0.05)


def test_tolerance_stops_with_converged():
    h = run_on_surface(SURFACES["bowl"], sgd(0.5), start=[1.0, 1.0], steps=1000, tol=1e-6)
    assert h.message == "converged" and not h.diverged
    assert h.steps < 30 and np.linalg.norm(h.final) < 1e-6


def test_schedule_learning_rates_are_recorded():
    lr = inverse_time(0.1, decay=0.5)
    h = run_on_surface(SURFACES["bowl"], sgd(lr), start=[1.0, 0.0], steps=4)
    np.testing.assert_allclose(h.learning_rates, [0.1, 0.1 / 1.5, 0.05, 0.1 / 2.5])
    np.testing.assert_allclose(h.params[:, 0], np.cumprod([1.0, 0.9, 1 - 0.1 / 1.5, 0.95, 0.96]))
    plain = run_on_surface(SURFACES["bowl"], sgd(lambda t: [0.1, 0.2, 0.3][t]), start=[1.0, 0.0], steps=3)
    np.testing.assert_allclose(plain.learning_rates, [0.1, 0.2, 0.3])


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_every_optimizer_finds_the_bowl_minimum(name):
    lr = {"sgd": 0.1, "momentum": 0.1, "nesterov": 0.05, "adagrad": 0.5}.get(name, 0.05)
    h = run_on_surface(SURFACES["bowl"], OPTIMIZERS[name](learning_rate=lr), start=[1.5, -1.0], steps=1000)
    assert h.final_cost < 1e-3


def test_adam_reaches_the_rosenbrock_minimum():
    h = run_on_surface(SURFACES["rosenbrock"], adam(0.02), steps=3000)
    np.testing.assert_allclose(h.final, [1.0, 1.0], atol=0.02)


@pytest.mark.parametrize("kwargs, match", [
    (dict(steps=-1), "steps must be an integer >= 0, got -1"),
    (dict(noise=-0.1), "noise must be a number >= 0"),
    (dict(start=[1.0, 2.0, 3.0]), r"start must be a point \(x, y\) of shape \(2,\), got shape \(3,\)"),
    (dict(max_value=0), "max_value must be a number > 0"),
])
def test_run_on_surface_validation(kwargs, match):
    with pytest.raises(ValueError, match=match):
        run_on_surface(SURFACES["bowl"], sgd(0.1), **kwargs)
    with pytest.raises(ValueError, match="optimizer must be an Optimizer, a learning rate or a schedule"):
        run_on_surface(SURFACES["bowl"], "adam")


# ---------------------------------------------------------------- train_linear
X2, Y2 = np.array([1.0, 2.0]), np.array([1.0, 3.0])


def test_full_batch_step_by_hand():
    # at (0, 0): r = -y, dJ/db = 2*mean(-y) = -4, dJ/dw = 2*mean(-x*y) = -7 -> (0.4, 0.7)
    h = train_linear(X2, Y2, 0.1, epochs=1)
    np.testing.assert_allclose(h.params, [[0.0, 0.0], [0.4, 0.7]])
    np.testing.assert_allclose(h.costs, [5.0, 0.725])            # residuals 0.1 and -1.2 after the step
    np.testing.assert_allclose(h.batch_costs, [5.0])
    np.testing.assert_allclose(h.grad_norms, [np.hypot(4, 7)])
    assert h.steps == 1 and h.message == "ran 1 steps" and h.updates_per_epoch == 1


def test_stochastic_steps_in_order_by_hand():
    # example 0 at (0, 0): r = -1, g = (-2, -2) -> (0.2, 0.2)
    # example 1 at (0.2, 0.2): r = 0.2 + 0.4 - 3 = -2.4, g = (-4.8, -9.6) -> (0.68, 1.16)
    h = train_linear(X2, Y2, 0.1, batch_size=1, epochs=1)
    np.testing.assert_allclose(h.params, [[0, 0], [0.2, 0.2], [0.68, 1.16]])
    np.testing.assert_allclose(h.batch_costs, [1.0, 5.76])
    np.testing.assert_allclose(h.costs, [linear_cost(b, w, X2, Y2) for b, w in h.params])


def test_full_batch_converges_to_least_squares():
    d = make_linear_data(300, seed=0)
    h = train_linear(d.x, d.y, 0.05, epochs=300)
    np.testing.assert_allclose(h.final, least_squares_line(d.x, d.y), atol=1e-6)
    assert np.all(np.diff(h.costs) <= 1e-12)                     # small enough step: monotone


def test_record_epoch_keeps_the_epoch_boundaries():
    d = make_linear_data(100, seed=1)
    steps = train_linear(d.x, d.y, 0.01, batch_size=30, epochs=5, shuffle=True, seed=2)
    epochs = train_linear(d.x, d.y, 0.01, batch_size=30, epochs=5, shuffle=True, seed=2, record="epoch")
    assert steps.updates_per_epoch == 4 and steps.params.shape == (21, 2)
    assert epochs.params.shape == (6, 2) and epochs.grad_norms.shape == (5,) and epochs.record == "epoch"
    np.testing.assert_allclose(epochs.params, steps.params[::4])
    np.testing.assert_allclose(epochs.batch_costs, steps.batch_costs.reshape(5, 4).mean(axis=1))
    assert epochs.steps == steps.steps == 20


def test_drop_last_and_shuffle_determinism():
    d = make_linear_data(50, seed=1)
    h = train_linear(d.x, d.y, 0.01, batch_size=20, epochs=2, drop_last=True)
    assert h.steps == 4
    a = train_linear(d.x, d.y, 0.01, batch_size=7, epochs=3, shuffle=True, seed=5)
    b = train_linear(d.x, d.y, 0.01, batch_size=7, epochs=3, shuffle=True, seed=5)
    c = train_linear(d.x, d.y, 0.01, batch_size=7, epochs=3, shuffle=True, seed=6)
    np.testing.assert_array_equal(a.params, b.params)
    assert not np.array_equal(a.params, c.params)


def test_training_diverges_cleanly(no_warnings):
    d = make_linear_data(300, seed=0)
    h = train_linear(d.x, d.y, 1.0, epochs=100)                   # α far above m / λ_max(XᵀX)
    assert h.diverged and h.message == f"diverged at step {h.diverged_at}"
    assert h.costs[-1] > 1e8 and h.params.shape == (h.steps + 1, 2)
    inf = train_linear(d.x, d.y, 1.0, epochs=5000, max_value=np.inf)
    assert inf.diverged and not np.isfinite(inf.costs[-1])
    ep = train_linear(d.x, d.y, 1.0, batch_size=50, epochs=100, record="epoch")
    assert ep.diverged and ep.costs[-1] > 1e8 and len(ep.costs) == len(ep.grad_norms) + 1


def test_train_linear_validation():
    with pytest.raises(ValueError, match=r"batch_size must be an integer in 1\.\.m=2, got 3"):
        train_linear(X2, Y2, 0.1, batch_size=3)
    with pytest.raises(ValueError, match="record must be 'step' or 'epoch'"):
        train_linear(X2, Y2, 0.1, record="batch")
    with pytest.raises(ValueError, match="epochs must be an integer >= 0"):
        train_linear(X2, Y2, 0.1, epochs=-1)
    with pytest.raises(ValueError, match="x and y must be 1-D of the same length"):
        train_linear(X2, Y2[:1], 0.1)
    with pytest.raises(ValueError, match=r"init must be \(b, w\)"):
        train_linear(X2, Y2, 0.1, init=(0.0,))


# ---------------------------------------------------------------- train_model
def test_train_model_matches_train_linear_for_one_feature():
    d = make_linear_data(60, seed=4)
    a = train_linear(d.x, d.y, momentum(0.05), batch_size=8, epochs=3, shuffle=True, seed=1, init=(0.5, -0.5))
    b = train_model([0.5, -0.5], linear_model_cost, linear_model_grad, d.x[:, None], d.y, momentum(0.05), 8, 3,
                    shuffle=True, seed=1)
    np.testing.assert_allclose(b.params, a.params, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(b.costs, a.costs, rtol=1e-9)
    np.testing.assert_allclose(b.batch_costs, a.batch_costs, rtol=1e-9)


def test_train_model_on_house_data_reaches_the_normal_equation():
    h = make_house_data(200, seed=0)
    Xs, _, _ = standardize(h.X)
    best = linear_model_cost(normal_equation(Xs, h.y), Xs, h.y)
    run = train_model(np.zeros(4), linear_model_cost, linear_model_grad, Xs, h.y, sgd(0.3), epochs=300)
    assert run.params.shape == (301, 4) and not run.diverged
    assert run.final_cost == pytest.approx(best, rel=1e-9)
    np.testing.assert_allclose(run.final, normal_equation(Xs, h.y), rtol=1e-6)
    raw = train_model(np.zeros(4), linear_model_cost, linear_model_grad, h.X, h.y, sgd(1e-3), epochs=50)
    assert raw.diverged                                           # unscaled features: the area dominates
