r"""Checks of Lab 2 (gradient descent from scratch).

The student writes, for the line :math:`\hat y = b + w x` and the cost
:math:`J(b, w) = \frac1m\sum_i (b + w x_i - y_i)^2`:

1. ``cost_gradient(b, w, x, y) -> (dJ/db, dJ/dw)``;
2. ``numerical_gradient(f, params, h=1e-5) -> array``, central differences;
3. ``gradient_check(f, grad_f, params, h=1e-5) -> float``, the relative error
   :math:`\|g - \tilde g\| / (\|g\| + \|\tilde g\|)` (0 when both are 0);
4. ``batch_gradient_descent(x, y, learning_rate, steps, init=(0, 0)) -> array (steps + 1, 2)``;
5. ``minibatch_gradient_descent(x, y, learning_rate, batch_size, max_epochs=100, tol=1e-6, shuffle=True,
   seed=0, init=(0, 0)) -> (params (2,), epoch_costs)``.

Each check runs ordinary and edge cases and names the usual mistakes (sign error, missing 1/m, batches that
skip or repeat examples, x and y shuffled differently ...).
"""

from __future__ import annotations

import numpy as np

from . import Case, Mistake, run_check

__all__ = [
    "check_cost_gradient",
    "check_numerical_gradient",
    "check_gradient_check",
    "check_batch_gradient_descent",
    "check_minibatch_gradient_descent",
    "reference",
]


# ---------------------------------------------------------------- reference solutions
def _cost(b, w, x, y):
    return float(np.mean((b + w * x - y) ** 2))


def _gradient(b, w, x, y):
    r = b + w * x - y
    return float(2 * np.mean(r)), float(2 * np.mean(r * x))


def _numerical_gradient(f, params, h=1e-5):
    params = np.array(params, dtype=float)
    grad = np.zeros_like(params)
    for i in range(params.size):
        step = np.zeros_like(params)
        step.flat[i] = h
        grad.flat[i] = (f(params + step) - f(params - step)) / (2 * h)
    return grad


def _gradient_check(f, grad_f, params, h=1e-5):
    numeric = _numerical_gradient(f, params, h)
    analytic = np.asarray(grad_f(np.array(params, dtype=float)), dtype=float)
    denominator = np.linalg.norm(analytic) + np.linalg.norm(numeric)
    return 0.0 if denominator == 0 else float(np.linalg.norm(analytic - numeric) / denominator)


def _batch_gd(x, y, learning_rate, steps, init=(0.0, 0.0)):
    b, w = float(init[0]), float(init[1])
    history = [(b, w)]
    for _ in range(steps):
        gb, gw = _gradient(b, w, x, y)
        b, w = b - learning_rate * gb, w - learning_rate * gw
        history.append((b, w))
    return np.array(history)


def _minibatch_gd(x, y, learning_rate, batch_size, max_epochs=100, tol=1e-6, shuffle=True, seed=0,
                  init=(0.0, 0.0), *, order="permutation", skip_last=False, divide_by_m=False,
                  stop="change"):
    """The reference, with switches that reproduce the usual mistakes."""
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    m = len(x)
    rng = np.random.default_rng(seed)
    b, w = float(init[0]), float(init[1])
    costs = [_cost(b, w, x, y)]
    for _ in range(max_epochs):
        if order == "split":                      # x and y shuffled with two different permutations
            xs, ys = x[rng.permutation(m)], y[rng.permutation(m)]
        else:
            perm = rng.permutation(m) if (shuffle and order == "permutation") else np.arange(m)
            xs, ys = x[perm], y[perm]
        stop_at = m - batch_size if skip_last else m
        for start in range(0, stop_at, batch_size):
            if order == "replacement":
                idx = rng.integers(0, m, batch_size)
                xb, yb = x[idx], y[idx]
            else:
                xb, yb = xs[start:start + batch_size], ys[start:start + batch_size]
            r = b + w * xb - yb
            n = m if divide_by_m else len(xb)
            gb, gw = 2 * np.sum(r) / n, 2 * np.sum(r * xb) / n
            b, w = b - learning_rate * gb, w - learning_rate * gw
        costs.append(_cost(b, w, x, y))
        if stop == "change" and abs(costs[-2] - costs[-1]) < tol:
            break
        if stop == "value" and costs[-1] < tol:
            break
    return np.array([b, w]), np.array(costs)


#: The reference solutions, for tests and instructors.
reference = {
    "cost_gradient": _gradient,
    "numerical_gradient": _numerical_gradient,
    "gradient_check": _gradient_check,
    "batch_gradient_descent": _batch_gd,
    "minibatch_gradient_descent": _minibatch_gd,
}


def _data(m, seed, noise=1.0, b=1.5, w=-2.0):
    rng = np.random.default_rng(seed)
    x = rng.normal(0.0, 2.0, m)
    return x, b + w * x + rng.normal(0.0, noise, m)


# ---------------------------------------------------------------- 1. the gradient
def check_cost_gradient(cost_gradient):
    """Check ``cost_gradient(b, w, x, y) -> (dJ/db, dJ/dw)`` of J = mean((b + w x - y)²)."""
    x3, y3 = np.array([1.0, 2.0, 3.0]), np.array([2.0, 2.5, 5.0])
    x, y = _data(50, 1)
    cases = [
        Case("three examples at b = 0.5, w = 1.0", (0.5, 1.0, x3, y3), expected=_gradient(0.5, 1.0, x3, y3)),
        Case("fifty examples at b = -1, w = 3", (-1.0, 3.0, x, y), expected=_gradient(-1.0, 3.0, x, y)),
        Case("a single example", (0.0, 0.0, np.array([2.0]), np.array([1.0])),
             expected=_gradient(0.0, 0.0, np.array([2.0]), np.array([1.0]))),
        Case("at the exact fit the gradient is zero", (1.0, 2.0, x3, 1.0 + 2.0 * x3), expected=(0.0, 0.0)),
    ]
    mistakes = [
        Mistake("sign error: the residual is y - ŷ here, so the gradient points uphill; use r = ŷ - y "
                "(or put a minus sign in front)", lambda b, w, x, y: tuple(-g for g in _gradient(b, w, x, y))),
        Mistake("the 1/m is missing: the cost is a mean, so its gradient is a mean too (np.mean, not np.sum)",
                lambda b, w, x, y: tuple(g * len(x) for g in _gradient(b, w, x, y))),
        Mistake("the factor 2 from the derivative of the square is missing",
                lambda b, w, x, y: tuple(g / 2 for g in _gradient(b, w, x, y))),
        Mistake("dJ/dw needs each residual multiplied by its x_i (chain rule: ∂ŷ/∂w = x)",
                lambda b, w, x, y: (_gradient(b, w, x, y)[0], _gradient(b, w, x, y)[0])),
        Mistake("the two derivatives are swapped: return (dJ/db, dJ/dw) in this order",
                lambda b, w, x, y: _gradient(b, w, x, y)[::-1]),
    ]
    return run_check("cost_gradient", cost_gradient, cases, mistakes,
                     hint="write r = b + w*x - y, then dJ/db = 2·mean(r) and dJ/dw = 2·mean(r·x).")


# ---------------------------------------------------------------- 2. numerical gradient
def _quadratic(p):
    return float(3 * p[0] ** 2 + p[0] * p[1] + 2 * p[1] ** 2 + 1)


def _cubic(p):
    return float(p[0] ** 3 + np.sin(p[1]) + p[0] * p[1] ** 2)


def _forward(f, params, h=1e-5):
    params = np.array(params, dtype=float)
    return np.array([(f(params + h * e) - f(params)) / h for e in np.eye(params.size)])


def _leaky(f, params, h=1e-5):
    """Perturbs the array in place and never puts the entry back."""
    params = np.array(params, dtype=float)
    grad = np.zeros_like(params)
    for i in range(params.size):
        params[i] += h
        up = f(params)
        params[i] -= 2 * h
        grad[i] = (up - f(params)) / (2 * h)
    return grad


def check_numerical_gradient(numerical_gradient):
    """Check ``numerical_gradient(f, params, h=1e-5)``: central differences (f(p + h e_i) - f(p - h e_i)) / 2h."""
    x, y = _data(20, 2)
    line_cost = lambda p: _cost(p[0], p[1], x, y)  # noqa: E731
    cases = [
        Case("a quadratic of two parameters", (_quadratic, np.array([1.0, -2.0])),
             expected=_numerical_gradient(_quadratic, [1.0, -2.0]), rtol=1e-7, atol=1e-8),
        Case("a cubic (curved: forward differences are off by about h·f'')", (_cubic, np.array([2.0, 1.0])),
             expected=_numerical_gradient(_cubic, [2.0, 1.0]), rtol=1e-8, atol=1e-9),
        Case("the line's cost on 20 examples", (line_cost, np.array([0.3, 0.7])),
             expected=_numerical_gradient(line_cost, [0.3, 0.7]), rtol=1e-7, atol=1e-8),
        Case("three parameters", (lambda p: float(np.sum(p ** 2) + p[0] * p[2]), np.array([1.0, 2.0, 3.0])),
             expected=np.array([5.0, 4.0, 7.0]), rtol=1e-7, atol=1e-7),
        Case("a cubic with a large step h = 0.1 (central differences give 3p² + h²)",
             (lambda p: float(np.sum(p ** 3)), np.array([1.0, 2.0])), kwargs={"h": 0.1},
             expected=np.array([3.01, 12.01]), rtol=1e-9, atol=1e-9),
    ]
    mistakes = [
        Mistake("forward differences (f(p + h) - f(p)) / h: use central differences (f(p + h) - f(p - h)) / (2h), "
                "whose error is much smaller", _forward),
        Mistake("the denominator should be 2h: the two points p + h and p - h are 2h apart",
                lambda f, p, h=1e-5: 2 * _numerical_gradient(f, p, h)),
        Mistake("the perturbed entry is not put back: after computing entry i, params[i] must return to its "
                "value (or work on a copy)", _leaky),
        Mistake("the step h is ignored: use the h argument", lambda f, p, h=1e-5: _numerical_gradient(f, p, 1e-5)),
    ]
    return run_check("numerical_gradient", numerical_gradient, cases, mistakes,
                     hint="for each i: copy params, add h to entry i, subtract h from entry i in another copy, "
                          "and divide the difference of the two costs by 2h.")


# ---------------------------------------------------------------- 3. gradient check
def check_gradient_check(gradient_check):
    """Check ``gradient_check(f, grad_f, params, h=1e-5)`` -> ‖g - g̃‖ / (‖g‖ + ‖g̃‖)."""
    x, y = _data(30, 3)
    line_cost = lambda p: _cost(p[0], p[1], x, y)  # noqa: E731
    right = lambda p: np.array(_gradient(p[0], p[1], x, y))  # noqa: E731
    flipped = lambda p: -right(p)  # noqa: E731
    halved = lambda p: right(p) / 2  # noqa: E731
    big = lambda p: 1e4 * _quadratic(p)  # noqa: E731
    big_grad = lambda p: 1e4 * np.array([6 * p[0] + p[1], p[0] + 4 * p[1]]) + 1e-2  # noqa: E731

    def small(got, expected, args):
        if not np.isscalar(got) and np.ndim(got) != 0:
            return f"expected one number (the relative error), got {type(got).__name__}"
        if not float(got) < 1e-7:
            return f"a correct gradient should give a relative error below 1e-7, got {float(got):.3g}"
        return None

    cases = [
        Case("a correct gradient: relative error tiny", (line_cost, right, np.array([0.5, -1.0])), compare=small),
        Case("a sign error: relative error 1", (line_cost, flipped, np.array([0.5, -1.0])), expected=1.0, rtol=1e-5),
        Case("a gradient half too small: relative error 1/3", (line_cost, halved, np.array([0.5, -1.0])),
             expected=1 / 3, rtol=1e-5),
        Case("a large cost (×1e4) with a small absolute error", (big, big_grad, np.array([1.0, 1.0])),
             expected=_gradient_check(big, big_grad, np.array([1.0, 1.0])), rtol=1e-3, atol=1e-12),
        Case("a flat point: both gradients zero", (lambda p: 5.0, lambda p: np.zeros(2), np.array([1.0, 2.0])),
             expected=0.0),
    ]

    def absolute(f, grad_f, params, h=1e-5):
        return float(np.linalg.norm(np.asarray(grad_f(np.array(params, float))) - _numerical_gradient(f, params, h)))

    mistakes = [
        Mistake("the error is not relative: divide ‖g - g̃‖ by ‖g‖ + ‖g̃‖, so the test does not depend on the "
                "scale of the cost", absolute),
        Mistake("0/0 at a flat point: when both gradients are zero, return 0",
                lambda f, g, p, h=1e-5: float("nan") if not np.any(g(np.asarray(p))) else _gradient_check(f, g, p, h)),
    ]
    return run_check("gradient_check", gradient_check, cases, mistakes,
                     hint="compute numerical_gradient(f, params, h) and grad_f(params), then "
                          "np.linalg.norm(difference) / (np.linalg.norm(a) + np.linalg.norm(b)).")


# ---------------------------------------------------------------- 4. batch gradient descent
def _sequential(x, y, learning_rate, steps, init=(0.0, 0.0)):
    b, w = float(init[0]), float(init[1])
    history = [(b, w)]
    for _ in range(steps):
        b = b - learning_rate * _gradient(b, w, x, y)[0]
        w = w - learning_rate * _gradient(b, w, x, y)[1]
        history.append((b, w))
    return np.array(history)


def check_batch_gradient_descent(batch_gradient_descent):
    """Check ``batch_gradient_descent(x, y, learning_rate, steps, init=(0, 0))`` -> (steps + 1, 2) history."""
    x, y = _data(40, 4)
    x5, y5 = _data(5, 5, noise=0.5)
    cases = [
        Case("3 steps on 40 examples from (0, 0)", (x, y, 0.05, 3), expected=_batch_gd(x, y, 0.05, 3), rtol=1e-8),
        Case("50 steps from (4, -4)", (x, y, 0.02, 50), {"init": (4.0, -4.0)},
             expected=_batch_gd(x, y, 0.02, 50, (4.0, -4.0)), rtol=1e-8),
        Case("0 steps: only the start", (x5, y5, 0.1, 0), {"init": (1.0, 2.0)}, expected=np.array([[1.0, 2.0]])),
        Case("5 examples, 20 steps", (x5, y5, 0.05, 20), expected=_batch_gd(x5, y5, 0.05, 20), rtol=1e-8),
    ]
    mistakes = [
        Mistake("sign error: the update must go against the gradient, W = W - α·dJ/dW",
                lambda x, y, lr, steps, init=(0.0, 0.0): _batch_gd(x, y, -lr, steps, init)),
        Mistake("the 1/m is missing in the gradient (a sum instead of a mean): the steps are m times too large",
                lambda x, y, lr, steps, init=(0.0, 0.0): _batch_gd(x, y, lr * len(x), steps, init)),
        Mistake("b is updated before w's gradient is computed: compute both derivatives at the same (b, w), "
                "then update both", _sequential),
        Mistake("the history must start with the initial parameters (steps + 1 rows)",
                lambda x, y, lr, steps, init=(0.0, 0.0): _batch_gd(x, y, lr, steps, init)[1:]),
        Mistake("only the final parameters are returned: return the whole history, one row per step",
                lambda x, y, lr, steps, init=(0.0, 0.0): _batch_gd(x, y, lr, steps, init)[-1]),
    ]
    return run_check("batch_gradient_descent", batch_gradient_descent, cases, mistakes,
                     hint="start from history = [init]; at each step compute both derivatives on the whole "
                          "training set, update b and w together, and append (b, w).")


# ---------------------------------------------------------------- 5. mini-batch gradient descent
def check_minibatch_gradient_descent(minibatch_gradient_descent):
    """Check ``minibatch_gradient_descent(x, y, learning_rate, batch_size, max_epochs, tol, shuffle, seed, init)``."""
    x, y = _data(10, 6)
    x30, y30 = _data(30, 7)
    xc, yc = _data(24, 8, noise=0.0)     # noise-free: the cost can reach zero

    def reaches_zero(got, expected, args):
        params, costs = got
        if not np.allclose(params, [1.5, -2.0], atol=1e-3):
            return ("on noise-free data from y = 1.5 - 2x the parameters should approach (1.5, -2), got "
                    f"({float(params[0]):.4f}, {float(params[1]):.4f}): are x and y still paired after shuffling?")
        return None

    def kw(**extra):
        return {"max_epochs": 3, "tol": 0.0, "shuffle": True, "seed": 0, **extra}

    cases = [
        Case("in order (no shuffle), batches of 4 on 10 examples (4 + 4 + 2)", (x, y, 0.05, 4),
             kw(shuffle=False), expected=_minibatch_gd(x, y, 0.05, 4, **kw(shuffle=False)), rtol=1e-8),
        Case("shuffled, batches of 4 on 10 examples", (x, y, 0.05, 4), kw(),
             expected=_minibatch_gd(x, y, 0.05, 4, **kw()), rtol=1e-8),
        Case("stochastic (batch size 1), shuffled, seed 3", (x30, y30, 0.01, 1), kw(seed=3),
             expected=_minibatch_gd(x30, y30, 0.01, 1, **kw(seed=3)), rtol=1e-8),
        Case("full batch (batch size m) equals batch gradient descent", (x30, y30, 0.05, 30),
             kw(shuffle=False, max_epochs=5), expected=_minibatch_gd(x30, y30, 0.05, 30, **kw(shuffle=False, max_epochs=5)),
             rtol=1e-8),
        Case("stopping rule: stops once an epoch changes the cost by less than tol", (x30, y30, 0.05, 30),
             {"max_epochs": 500, "tol": 1e-6, "shuffle": False, "seed": 0},
             expected=_minibatch_gd(x30, y30, 0.05, 30, 500, 1e-6, False, 0), rtol=1e-6),
        Case("noise-free data, shuffled batches of 5", (xc, yc, 0.02, 5),
             {"max_epochs": 300, "tol": 1e-14, "shuffle": True, "seed": 1}, compare=reaches_zero),
    ]

    def variant(**switches):
        def wrong(x, y, lr, bs, max_epochs=100, tol=1e-6, shuffle=True, seed=0, init=(0.0, 0.0)):
            return _minibatch_gd(x, y, lr, bs, max_epochs, tol, shuffle, seed, init, **switches)
        return wrong

    mistakes = [
        Mistake("x and y are shuffled with two different permutations, so examples lose their labels: draw one "
                "permutation and index both arrays with it", variant(order="split")),
        Mistake("batches skip examples: the loop over batch starts stops before the last batch "
                "(use range(0, m, batch_size))", variant(skip_last=True)),
        Mistake("batches repeat examples: they are drawn with replacement; an epoch must use each example "
                "exactly once (slice a permutation)", variant(order="replacement")),
        Mistake("the batch gradient divides by m instead of the batch size m_b (np.mean over the batch)",
                variant(divide_by_m=True)),
        Mistake("shuffle=True is ignored: draw a new permutation each epoch", variant(order="fixed")),
        Mistake("sign error: the update must go against the gradient, W = W - α·dJ/dW",
                lambda x, y, lr, bs, *a, **k: _minibatch_gd(x, y, -lr, bs, *a, **k)),
        Mistake("the stopping rule is missing: stop after the first epoch whose cost changes by less than tol",
                variant(stop="never")),
        Mistake("the stopping rule compares the cost itself with tol; it should compare the change of the cost "
                "over one epoch", variant(stop="value")),
    ]
    return run_check("minibatch_gradient_descent", minibatch_gradient_descent, cases, mistakes,
                     hint="rng = np.random.default_rng(seed) once; each epoch order = rng.permutation(m) (or "
                          "np.arange(m)); batches are order[start:start + batch_size] for start in "
                          "range(0, m, batch_size); after each epoch append the full cost and test the stop.")
