"""Tests of utils.optimizers: first and second steps computed by hand (numbers written out), the PyTorch
heavy-ball cross-check, validation errors, and properties (no input mutation, any shape)."""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from utils.optimizers import OPTIMIZERS, Optimizer, adagrad, adam, adamw, momentum, nesterov, rmsprop, sgd

# Two updates from W0 with two given gradients (no cost function involved).
W0 = np.array([1.0, -2.0])
G1 = np.array([0.5, -1.0])
G2 = np.array([0.25, 0.5])


def two_steps(opt):
    state = opt.init(W0)
    W1, state = opt.step(W0, G1, state)
    W2, state = opt.step(W1, G2, state)
    assert state.count == 2
    return W1, W2, state


def test_sgd_by_hand():
    W1, W2, _ = two_steps(sgd(learning_rate=0.1))
    np.testing.assert_allclose(W1, [0.95, -1.9])            # 1 - 0.1*0.5, -2 + 0.1*1
    np.testing.assert_allclose(W2, [0.925, -1.95])


def test_momentum_by_hand():
    W1, W2, state = two_steps(momentum(learning_rate=0.1, beta=0.9))
    # V1 = 0.1*G1 = (0.05, -0.1);  W1 = W0 - 0.1*V1
    np.testing.assert_allclose(W1, [0.995, -1.99])
    # V2 = 0.9*V1 + 0.1*G2 = (0.07, -0.04);  W2 = W1 - 0.1*V2
    np.testing.assert_allclose(state.v, [0.07, -0.04])
    np.testing.assert_allclose(W2, [0.988, -1.986])


def test_nesterov_by_hand():
    W1, W2, state = two_steps(nesterov(learning_rate=0.1, beta=0.9))
    # b1 = G1;  W1 = W0 - 0.1*(G1 + 0.9*G1) = W0 - 0.19*G1
    np.testing.assert_allclose(W1, [0.905, -1.81])
    # b2 = 0.9*G1 + G2 = (0.7, -0.4);  W2 = W1 - 0.1*(G2 + 0.9*b2) = W1 - 0.1*(0.88, 0.14)
    np.testing.assert_allclose(state.b, [0.7, -0.4])
    np.testing.assert_allclose(W2, [0.817, -1.824])


def test_adagrad_by_hand():
    W1, W2, state = two_steps(adagrad(learning_rate=0.1))
    # S1 = (0.25, 1);  W1 = W0 - 0.1*(0.5/0.5, -1/1)
    np.testing.assert_allclose(W1, [0.9, -1.9])
    # S2 = (0.3125, 1.25);  step = 0.1*(0.25/√0.3125, 0.5/√1.25) = 0.0447213595 each
    np.testing.assert_allclose(state.s, [0.3125, 1.25])
    np.testing.assert_allclose(W2, [0.8552786404500042, -1.9447213595499957], rtol=1e-9)


def test_rmsprop_by_hand():
    W1, W2, state = two_steps(rmsprop(learning_rate=0.01, beta=0.99, epsilon=0.0))
    # S1 = 0.01*G1² = (0.0025, 0.01), √S1 = (0.05, 0.1): the first step is α/√(1-β) = 10α per coordinate
    np.testing.assert_allclose(W1, [0.9, -1.9])
    # S2 = 0.99*S1 + 0.01*G2² = (0.0031, 0.0124);  step = 0.01*(0.25/√0.0031, 0.5/√0.0124) = 0.0449013255
    np.testing.assert_allclose(state.s, [0.0031, 0.0124])
    np.testing.assert_allclose(W2, [0.8550986744933063, -1.9449013255066936], rtol=1e-12)


def test_rmsprop_epsilon_is_outside_the_root():
    W1, _ = rmsprop(learning_rate=0.01, beta=0.99, epsilon=0.05).step(W0, G1, rmsprop().init(W0))
    # 0.01 * 0.5 / (0.05 + 0.05) = 0.05;  0.01 * 1 / (0.1 + 0.05) = 0.0666...
    np.testing.assert_allclose(W1, [0.95, -2 + 0.01 / 0.15])


def test_adam_by_hand():
    W1, W2, state = two_steps(adam(learning_rate=0.1))
    # t=1: V̂ = G1, Ŝ = G1², so the step is α·G1/(|G1| + ε) ≈ α·sign(G1)
    np.testing.assert_allclose(W1, [0.900000002, -1.900000001], rtol=1e-12)
    # t=2: V2 = (0.07, -0.04), V̂ = V2/0.19 = (0.368421, -0.210526)
    #      S2 = (0.00031225, 0.001249), Ŝ = S2/0.001999 = (0.156203, 0.624812)
    #      step = 0.1*V̂/√Ŝ = (0.0932180, -0.0266337)
    np.testing.assert_allclose(state.v, [0.07, -0.04])
    np.testing.assert_allclose(state.s, [0.00031225, 0.001249])
    np.testing.assert_allclose(W2, [0.8067820384774623, -1.873366296370903], rtol=1e-8)


def test_adam_first_step_has_size_alpha_whatever_the_gradient_scale():
    opt = adam(learning_rate=0.01)
    for scale in [1e-4, 1.0, 1e4]:
        W1, _ = opt.step(W0, scale * G1, opt.init(W0))
        np.testing.assert_allclose(np.abs(W1 - W0), 0.01, rtol=1e-3)


def test_adamw_by_hand():
    W1, W2, _ = two_steps(adamw(learning_rate=0.1, weight_decay=0.1))
    # decay first: W0*(1 - 0.01) = (0.99, -1.98), then Adam's first step ±0.1
    np.testing.assert_allclose(W1, [0.89, -1.88], rtol=1e-7)
    # W1*(0.99) = (0.8811, -1.8612), then Adam's second step (0.0932180, -0.0266337)
    np.testing.assert_allclose(W2, [0.7878820384774623, -1.834566296370903], rtol=1e-7)


def test_adamw_without_decay_is_adam():
    a = two_steps(adam(learning_rate=0.05))[1]
    b = two_steps(adamw(learning_rate=0.05, weight_decay=0.0))[1]
    np.testing.assert_array_equal(a, b)


def test_momentum_matches_pytorch_heavy_ball_form():
    """PyTorch SGD(lr=γ, momentum=μ): b = μb + g (b starts at g), W -= γb; equal iterates for γ = α(1-β), μ = β."""
    rng = np.random.default_rng(0)
    alpha, beta = 0.05, 0.8
    opt = momentum(learning_rate=alpha, beta=beta)
    W, state = rng.normal(size=3), None
    W_torch, buf = W.copy(), None
    state = opt.init(W)
    for _ in range(25):
        g = rng.normal(size=3)
        W, state = opt.step(W, g, state)
        buf = g.copy() if buf is None else beta * buf + g
        W_torch = W_torch - alpha * (1 - beta) * buf
    np.testing.assert_allclose(W, W_torch, rtol=1e-12)


def test_defaults_are_pytorchs():
    assert sgd().hyperparams == dict(learning_rate=0.01)
    assert momentum().hyperparams == dict(learning_rate=0.01, beta=0.9)
    assert adagrad().hyperparams == dict(learning_rate=0.01, epsilon=1e-10)
    assert rmsprop().hyperparams == dict(learning_rate=0.01, beta=0.99, epsilon=1e-8)
    assert adam().hyperparams == dict(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8)
    assert adamw().hyperparams["weight_decay"] == 1e-2


def test_registry_and_slots():
    slots = {"sgd": 0, "momentum": 1, "nesterov": 1, "adagrad": 1, "rmsprop": 1, "adam": 2, "adamw": 2}
    assert list(OPTIMIZERS) == list(slots)
    for name, factory in OPTIMIZERS.items():
        opt = factory()
        assert isinstance(opt, Optimizer) and opt.name == name and opt.slots == slots[name]
        state = opt.init(np.zeros((3, 2)))
        assert state.count == 0
        assert sum(isinstance(a, np.ndarray) and a.shape == (3, 2) for a in state) == slots[name]


def test_schedule_receives_the_update_counter_from_zero():
    seen = []

    def schedule(t):
        seen.append(t)
        return [0.1, 0.2][t]

    W1, W2, _ = two_steps(sgd(learning_rate=schedule))
    assert seen == [0, 1]
    np.testing.assert_allclose(W2, [0.95 - 0.05, -1.9 - 0.1])


@pytest.mark.parametrize("factory, kwargs, match", [
    (sgd, dict(learning_rate=0), r"learning_rate must be a number > 0 or a schedule \(callable\), got 0"),
    (sgd, dict(learning_rate=-1.0), "learning_rate must be a number > 0"),
    (adam, dict(learning_rate="0.1"), "learning_rate must be a number > 0"),
    (momentum, dict(beta=1.0), r"beta must be a number in \[0, 1\), got 1.0"),
    (nesterov, dict(beta=-0.1), r"beta must be a number in \[0, 1\)"),
    (rmsprop, dict(beta=1.5), r"beta must be a number in \[0, 1\)"),
    (adam, dict(beta1=1.0), r"beta1 must be a number in \[0, 1\)"),
    (adamw, dict(beta2=-0.5), r"beta2 must be a number in \[0, 1\)"),
    (rmsprop, dict(epsilon=-1e-8), "epsilon must be a number >= 0"),
    (adagrad, dict(epsilon=-1.0), "epsilon must be a number >= 0"),
    (adamw, dict(weight_decay=-0.01), "weight_decay must be a number >= 0"),
])
def test_bad_hyperparameters_are_rejected(factory, kwargs, match):
    with pytest.raises(ValueError, match=match):
        factory(**kwargs)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_shape_mismatch_names_both_shapes(name):
    opt = OPTIMIZERS[name]()
    with pytest.raises(ValueError, match=r"params and grads must have the same shape, got params \(2,\) "
                                         r"and grads \(3,\)"):
        opt.step(np.zeros(2), np.zeros(3), opt.init(np.zeros(2)))
    if opt.slots:
        with pytest.raises(ValueError, match=r"state was made for params of shape \(2,\), got params \(4,\)"):
            opt.step(np.zeros(4), np.zeros(4), opt.init(np.zeros(2)))


@settings(max_examples=60, deadline=None)
@given(name=st.sampled_from(list(OPTIMIZERS)),
       W=hnp.arrays(np.float64, hnp.array_shapes(min_dims=0, max_dims=3, max_side=4),
                    elements=st.floats(-1e3, 1e3)),
       data=st.data())
def test_optimizers_never_mutate_inputs_and_keep_shapes(name, W, data):
    G = data.draw(hnp.arrays(np.float64, W.shape, elements=st.floats(-1e3, 1e3)))
    opt = OPTIMIZERS[name](learning_rate=0.1)
    state = opt.init(W)
    W_before, G_before, state_before = W.copy(), G.copy(), [np.copy(a) for a in state]
    for _ in range(2):
        new_W, new_state = opt.step(W, G, state)
        assert new_W.shape == W.shape and np.isfinite(new_W).all()
        assert new_W is not W
    np.testing.assert_array_equal(W, W_before)
    np.testing.assert_array_equal(G, G_before)
    for a, b in zip(state, state_before):
        np.testing.assert_array_equal(a, b)
    assert new_state.count == 1


def test_zero_gradient_leaves_parameters_still():
    for name, factory in OPTIMIZERS.items():
        if name == "adamw":
            continue
        opt = factory()
        W1, _ = opt.step(W0, np.zeros(2), opt.init(W0))
        np.testing.assert_array_equal(W1, W0)
