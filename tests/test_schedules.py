"""Tests of utils.schedules: values at chosen steps (written out), array input, validation."""
import numpy as np
import pytest

from utils.optimizers import sgd
from utils.schedules import (SCHEDULES, constant, cosine, exponential, inverse_time, linear_warmup, one_cycle,
                             step_decay)


def test_constant():
    lr = constant(0.1)
    assert lr(0) == 0.1 and lr(10_000) == 0.1
    np.testing.assert_array_equal(lr(np.arange(3)), [0.1, 0.1, 0.1])


def test_step_decay():
    lr = step_decay(0.1, drop=0.5, every=100)
    assert [lr(t) for t in (0, 99, 100, 250)] == pytest.approx([0.1, 0.1, 0.05, 0.025])


def test_exponential():
    lr = exponential(0.1, rate=0.96, decay_steps=100)
    assert lr(0) == pytest.approx(0.1)
    assert lr(100) == pytest.approx(0.096)
    assert lr(50) == pytest.approx(0.1 * 0.96**0.5)
    assert lr(300) == pytest.approx(0.1 * 0.884736)


def test_inverse_time():
    lr = inverse_time(0.1, decay=0.01)
    assert [lr(t) for t in (0, 100, 300)] == pytest.approx([0.1, 0.05, 0.025])


def test_cosine():
    lr = cosine(0.1, total_steps=100, lr_min=0.01)
    assert lr(0) == pytest.approx(0.1)
    assert lr(50) == pytest.approx(0.055)              # halfway: mean of max and min
    assert lr(100) == pytest.approx(0.01)
    assert lr(500) == pytest.approx(0.01)               # held at the end
    assert cosine(1.0, 4)(1) == pytest.approx(0.5 * (1 + np.sqrt(0.5)))


def test_linear_warmup_alone_and_followed_by_cosine():
    lr = linear_warmup(0.1, warmup_steps=4)
    assert [lr(t) for t in range(6)] == pytest.approx([0.025, 0.05, 0.075, 0.1, 0.1, 0.1])
    lr = linear_warmup(0.1, 4, after=cosine(0.1, 10))
    assert lr(3) == pytest.approx(0.1)
    assert lr(4) == pytest.approx(0.1)                  # cosine's step 0
    assert lr(9) == pytest.approx(0.05)                 # cosine's step 5: halfway
    assert lr(14) == pytest.approx(0.0)


def test_one_cycle_matches_pytorch_onecyclelr():
    lr = one_cycle(1.0, total_steps=100, pct_start=0.3, div_factor=25.0, final_div_factor=1e4)
    # initial 1/25 = 0.04, peak 1.0 at step 0.3*100 - 1 = 29, final 0.04/1e4 = 4e-6 at step 99
    assert lr(0) == pytest.approx(0.04)
    assert lr(29) == pytest.approx(1.0)
    assert lr(64) == pytest.approx(0.500002)            # halfway down: (64 - 29) / (99 - 29) = 0.5
    assert lr(99) == pytest.approx(4e-6)
    assert lr(150) == pytest.approx(4e-6)
    curve = lr(np.arange(100))
    assert np.argmax(curve) == 29 and np.all(np.diff(curve[:30]) > 0) and np.all(np.diff(curve[29:]) < 0)


@pytest.mark.parametrize("name, args", [
    ("constant", (0.1,)), ("step_decay", (0.1,)), ("exponential", (0.1,)), ("inverse_time", (0.1,)),
    ("cosine", (0.1, 50)), ("linear_warmup", (0.1, 10)), ("one_cycle", (0.1, 50)),
])
def test_every_schedule_accepts_int_and_int_arrays(name, args):
    lr = SCHEDULES[name](*args)
    steps = np.arange(60)
    curve = lr(steps)
    assert isinstance(curve, np.ndarray) and curve.shape == (60,) and curve.dtype == float
    assert isinstance(lr(7), float) and lr(7) == pytest.approx(curve[7])
    assert lr(np.int64(7)) == pytest.approx(curve[7])
    assert lr(steps.reshape(6, 10)).shape == (6, 10)
    assert np.all(curve > 0) or name == "cosine"


def test_a_schedule_drives_an_optimizer():
    opt = sgd(learning_rate=step_decay(1.0, drop=0.1, every=1))
    W, state = np.array([0.0]), opt.init(np.zeros(1))
    for _ in range(3):
        W, state = opt.step(W, np.array([1.0]), state)
    np.testing.assert_allclose(W, [-1.11])


@pytest.mark.parametrize("call, match", [
    (lambda: constant(0), "lr must be a number > 0, got 0"),
    (lambda: step_decay(0.1, drop=0), r"drop must be a number in \(0, 1\]"),
    (lambda: step_decay(0.1, every=0), "every must be an integer >= 1, got 0"),
    (lambda: exponential(0.1, rate=-1), "rate must be a number > 0"),
    (lambda: exponential(0.1, decay_steps=2.5), "decay_steps must be an integer >= 1"),
    (lambda: inverse_time(0.1, decay=-1), "decay must be a number >= 0"),
    (lambda: cosine(0.1, 0), "total_steps must be an integer >= 1"),
    (lambda: cosine(0.1, 10, lr_min=0.2), r"lr_min must be a number in \[0, lr_max=0.1\]"),
    (lambda: linear_warmup(0.1, 0), "warmup_steps must be an integer >= 1"),
    (lambda: linear_warmup(0.1, 5, after=0.1), "after must be a schedule"),
    (lambda: one_cycle(0.1, 100, pct_start=1.0), r"pct_start must be in \(1/total_steps, 1\)"),
    (lambda: one_cycle(0.1, 100, div_factor=0), "div_factor must be a number > 0"),
    (lambda: constant(0.1)(-1), "step must be >= 0"),
    (lambda: constant(0.1)(1.5), "step must be an integer or an integer array"),
])
def test_validation_errors(call, match):
    with pytest.raises(ValueError, match=match):
        call()
