"""Lab 2's checks: the reference passes, each known mistake is named, an unfinished exercise is "not done yet"."""

import numpy as np
import pytest

from utils.checks import lab02
from utils.checks.lab02 import reference

CHECKS = {
    "cost_gradient": lab02.check_cost_gradient,
    "numerical_gradient": lab02.check_numerical_gradient,
    "gradient_check": lab02.check_gradient_check,
    "batch_gradient_descent": lab02.check_batch_gradient_descent,
    "minibatch_gradient_descent": lab02.check_minibatch_gradient_descent,
}


@pytest.mark.parametrize("name", CHECKS)
def test_reference_passes(name):
    result = CHECKS[name](reference[name])
    assert result.passed and result.done, repr(result)
    assert "all" in repr(result) and "passed" in repr(result)


@pytest.mark.parametrize("name", CHECKS)
def test_not_done_yet(name):
    def unfinished(*args, **kwargs):
        raise NotImplementedError()

    result = CHECKS[name](unfinished)
    assert not result.passed and not result.done
    assert "not done yet" in repr(result)


# ---------------------------------------------------------------- wrong implementations a student may write
def grad_sign(b, w, x, y):
    r = y - (b + w * x)
    return 2 * np.mean(r), 2 * np.mean(r * x)


def grad_sum(b, w, x, y):
    r = b + w * x - y
    return 2 * np.sum(r), 2 * np.sum(r * x)


def grad_no_two(b, w, x, y):
    r = b + w * x - y
    return np.mean(r), np.mean(r * x)


def grad_no_x(b, w, x, y):
    r = b + w * x - y
    return 2 * np.mean(r), 2 * np.mean(r)


def numgrad_forward(f, params, h=1e-5):
    g = np.zeros_like(params)
    for i in range(len(params)):
        p = params.copy()
        p[i] += h
        g[i] = (f(p) - f(params)) / h
    return g


def numgrad_h(f, params, h=1e-5):
    g = np.zeros_like(params)
    for i in range(len(params)):
        up, down = params.copy(), params.copy()
        up[i] += h
        down[i] -= h
        g[i] = (f(up) - f(down)) / h
    return g


def numgrad_inplace(f, params, h=1e-5):
    g = np.zeros_like(params)
    for i in range(len(params)):
        params[i] += h
        fp = f(params)
        params[i] -= 2 * h
        g[i] = (fp - f(params)) / (2 * h)
    return g


def check_absolute(f, grad_f, params, h=1e-5):
    return float(np.linalg.norm(grad_f(params) - reference["numerical_gradient"](f, params, h)))


def bgd_plus(x, y, lr, steps, init=(0.0, 0.0)):
    b, w = init
    out = [(b, w)]
    for _ in range(steps):
        gb, gw = reference["cost_gradient"](b, w, x, y)
        b, w = b + lr * gb, w + lr * gw
        out.append((b, w))
    return np.array(out)


def bgd_sum(x, y, lr, steps, init=(0.0, 0.0)):
    b, w = init
    out = [(b, w)]
    for _ in range(steps):
        r = b + w * x - y
        b, w = b - lr * 2 * np.sum(r), w - lr * 2 * np.sum(r * x)
        out.append((b, w))
    return np.array(out)


def bgd_sequential(x, y, lr, steps, init=(0.0, 0.0)):
    b, w = init
    out = [(b, w)]
    for _ in range(steps):
        b = b - lr * 2 * np.mean(b + w * x - y)
        w = w - lr * 2 * np.mean((b + w * x - y) * x)
        out.append((b, w))
    return np.array(out)


def bgd_no_start(x, y, lr, steps, init=(0.0, 0.0)):
    return reference["batch_gradient_descent"](x, y, lr, steps, init)[1:]


def mbgd(x, y, lr, batch_size, max_epochs=100, tol=1e-6, shuffle=True, seed=0, init=(0.0, 0.0), mistake=None):
    """A student-style implementation with one switchable mistake."""
    m = len(x)
    rng = np.random.default_rng(seed)
    b, w = init
    costs = [np.mean((b + w * x - y) ** 2)]
    for _ in range(max_epochs):
        if mistake == "split":
            xs, ys = x[rng.permutation(m)], y[rng.permutation(m)]
        else:
            order = rng.permutation(m) if shuffle and mistake != "noshuffle" else np.arange(m)
            xs, ys = x[order], y[order]
        last = m - batch_size if mistake == "skip" else m
        for k in range(0, last, batch_size):
            if mistake == "repeat":
                idx = rng.integers(0, m, batch_size)
                xb, yb = x[idx], y[idx]
            else:
                xb, yb = xs[k:k + batch_size], ys[k:k + batch_size]
            r = b + w * xb - yb
            if mistake == "over_m":
                gb, gw = 2 * np.sum(r) / m, 2 * np.sum(r * xb) / m
            else:
                gb, gw = 2 * np.mean(r), 2 * np.mean(r * xb)
            b, w = b - lr * gb, w - lr * gw
        costs.append(np.mean((b + w * x - y) ** 2))
        if mistake != "nostop" and abs(costs[-2] - costs[-1]) < tol:
            break
    return np.array([b, w]), np.array(costs)


def mbgd_with(mistake):
    return lambda *a, **k: mbgd(*a, **k, mistake=mistake)


@pytest.mark.parametrize("name, fn, words", [
    ("cost_gradient", grad_sign, "sign error"),
    ("cost_gradient", grad_sum, "1/m is missing"),
    ("cost_gradient", grad_no_two, "factor 2"),
    ("cost_gradient", grad_no_x, "multiplied by its x_i"),
    ("cost_gradient", lambda b, w, x, y: reference["cost_gradient"](b, w, x, y)[::-1], "swapped"),
    ("numerical_gradient", numgrad_forward, "forward differences"),
    ("numerical_gradient", numgrad_h, "should be 2h"),
    ("numerical_gradient", numgrad_inplace, "not put back"),
    ("numerical_gradient", lambda f, p, h=1e-5: reference["numerical_gradient"](f, p), "h is ignored"),
    ("gradient_check", check_absolute, "not relative"),
    ("batch_gradient_descent", bgd_plus, "sign error"),
    ("batch_gradient_descent", bgd_sum, "1/m is missing"),
    ("batch_gradient_descent", bgd_sequential, "same (b, w)"),
    ("batch_gradient_descent", bgd_no_start, "initial parameters"),
    ("batch_gradient_descent", lambda *a, **k: reference["batch_gradient_descent"](*a, **k)[-1], "only the final"),
    ("minibatch_gradient_descent", mbgd_with("split"), "two different permutations"),
    ("minibatch_gradient_descent", mbgd_with("skip"), "skip examples"),
    ("minibatch_gradient_descent", mbgd_with("repeat"), "repeat examples"),
    ("minibatch_gradient_descent", mbgd_with("over_m"), "instead of the batch size"),
    ("minibatch_gradient_descent", mbgd_with("noshuffle"), "shuffle=True is ignored"),
    ("minibatch_gradient_descent", mbgd_with("nostop"), "stopping rule is missing"),
])
def test_each_mistake_is_named(name, fn, words):
    result = CHECKS[name](fn)
    assert result.done and not result.passed, repr(result)
    assert result.mistake is not None and words in result.mistake, repr(result)


def test_student_style_correct_minibatch_passes():
    assert lab02.check_minibatch_gradient_descent(mbgd).passed


def test_a_function_that_returns_nothing_is_reported():
    result = lab02.check_cost_gradient(lambda b, w, x, y: None)
    assert not result.passed and "None" in repr(result)
