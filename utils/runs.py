r"""Optimization runs that record their whole history (pure numpy).

- :func:`run_on_surface`: an optimizer on a 2-D surface of :mod:`utils.surfaces`, optionally with noisy gradients.
- :func:`train_linear`: the line :math:`\hat y = b + w x` on a data set, by mini-batches and epochs.
- :func:`train_model`: any model given its cost and gradient functions (e.g. the multi-feature linear model).

Every run returns a :class:`History`. A run stops cleanly at divergence (a non-finite value or one above
``max_value``) with ``diverged=True`` and ``message="diverged at step N"``; no numpy warning escapes.
"""
from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from utils.data import minibatches
from utils.landscape import _moments
from utils.optimizers import Optimizer, sgd

__all__ = ["History", "run_on_surface", "train_linear", "train_model"]


@dataclass
class History:
    """What a run did, row by row.

    Attributes
    ----------
    params : ndarray of shape (n+1, d)
        Parameters at each recorded point, the start included.
    costs : ndarray of shape (n+1,)
        Cost at those parameters (for training: on the whole training set).
    grad_norms : ndarray of shape (n,)
        Norm of the gradient each update used (noisy / mini-batch gradient if so).
    learning_rates : ndarray of shape (n,)
        Learning rate each update used.
    diverged : bool
    diverged_at : int or None
        The update (1-based) after which the cost became non-finite or exceeded ``max_value``;
        its row is the last one kept.
    steps : int
        Number of updates done.
    message : str
        ``"ran N steps"``, ``"converged"`` or ``"diverged at step N"``.
    batch_costs : ndarray of shape (n,) or None
        Training runs only: cost of the mini-batch each update used, at the parameters before it.
    record : str
        ``"step"`` (one row per update) or ``"epoch"`` (one row per epoch; then grad_norms and
        batch_costs are means over the epoch's updates, learning_rates the epoch's last one).
    updates_per_epoch : int or None
    """

    params: np.ndarray
    costs: np.ndarray
    grad_norms: np.ndarray
    learning_rates: np.ndarray
    diverged: bool = False
    diverged_at: int | None = None
    steps: int = 0
    message: str = ""
    batch_costs: np.ndarray | None = None
    record: str = "step"
    updates_per_epoch: int | None = None

    @property
    def final(self) -> np.ndarray:
        """The last parameters."""
        return self.params[-1]

    @property
    def final_cost(self) -> float:
        """The last cost."""
        return float(self.costs[-1])


# ---------------------------------------------------------------- helpers
def _as_optimizer(optimizer):
    """An Optimizer as is; a number or a schedule becomes plain gradient descent with that learning rate."""
    if isinstance(optimizer, Optimizer):
        return optimizer
    if callable(optimizer) or isinstance(optimizer, numbers.Real):
        return sgd(learning_rate=optimizer)
    raise ValueError(f"optimizer must be an Optimizer, a learning rate or a schedule, got {optimizer!r}")


def _lr_function(opt):
    lr = opt.hyperparams.get("learning_rate")
    return lr if callable(lr) else (lambda t: lr)


def _learning_rates(opt, n):
    """Learning rates of updates 0..n-1 (a schedule is called once per step, as the optimizer does)."""
    lr = opt.hyperparams.get("learning_rate")
    if not callable(lr):
        return np.full(n, float(lr))
    try:                                        # schedules of utils.schedules take an array of steps
        rates = np.asarray(lr(np.arange(n)), dtype=float)
        if rates.shape == (n,):
            return rates
    except Exception:                           # a user's schedule that only takes an int
        pass
    return np.array([lr(t) for t in range(n)], dtype=float)


def _check_count(name, value, low):
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= low):
        raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    return int(value)


def _check_positive(name, value, allow_zero=False):
    ok = isinstance(value, numbers.Real) and (value >= 0 if allow_zero else value > 0)
    if not ok:
        raise ValueError(f"{name} must be a number {'>=' if allow_zero else '>'} 0, got {value!r}")
    return float(value)


def _bad(cost, max_value):
    """True when the cost is non-finite or its size exceeds max_value."""
    return not (math.isfinite(cost) and abs(cost) <= max_value)


# ---------------------------------------------------------------- 2-D surfaces
def run_on_surface(surface, optimizer, start=None, steps=200, *, noise=0.0, seed=None, max_value=1e8, tol=None):
    r"""Run an optimizer on a 2-D surface: :math:`w_{t+1} = \mathrm{step}(w_t, \nabla f(w_t) + \xi_t)`.

    Parameters
    ----------
    surface : utils.surfaces.Surface
    optimizer : Optimizer, or a learning rate / schedule for plain gradient descent
    start : array_like of shape (2,), optional
        Defaults to ``surface.start``.
    steps : int, default=200
        Number of updates.
    noise : float, default=0.0
        Std of the Gaussian noise :math:`\xi_t \sim \mathcal N(0, \sigma^2 I)` added to each gradient
        (what a small mini-batch does to the true gradient).
    seed : int or None
        Seeds the noise.
    max_value : float, default=1e8
        Divergence threshold on |f| and |w|.
    tol : float, optional
        Stop with message "converged" when the gradient norm falls below ``tol``.

    Returns
    -------
    History
        params (steps+1, 2), costs (steps+1,), grad_norms and learning_rates (steps,), fewer rows when
        the run stopped early.
    """
    opt = _as_optimizer(optimizer)
    steps = _check_count("steps", steps, 0)
    noise = _check_positive("noise", noise, allow_zero=True)
    max_value = _check_positive("max_value", max_value)
    w = np.array(surface.start if start is None else start, dtype=float)
    if w.shape != (2,):
        raise ValueError(f"start must be a point (x, y) of shape (2,), got shape {w.shape}")
    f, grad = surface.f, surface.grad
    xi = np.random.default_rng(seed).normal(0.0, noise, size=(steps, 2)) if noise > 0 else None
    tol = -1.0 if tol is None else float(tol)

    params = np.empty((steps + 1, 2))           # preallocated: the loop only fills rows
    costs = np.empty(steps + 1)
    grad_norms = np.empty(steps)
    diverged_at, converged, t = None, False, 0
    with np.errstate(all="ignore"):
        state = opt.init(w)
        params[0] = w
        costs[0] = cost = float(f(w))
        if _bad(cost, max_value):
            diverged_at = 0
        while diverged_at is None and t < steps:
            g = grad(w)
            if xi is not None:
                g = g + xi[t]
            gx, gy = g.tolist()
            grad_norms[t] = gnorm = math.sqrt(gx * gx + gy * gy)
            if gnorm < tol:
                converged = True
                break
            w, state = opt.step(w, g, state)
            t += 1
            params[t] = w
            costs[t] = cost = float(f(w))
            wx, wy = w.tolist()
            if _bad(cost, max_value) or _bad(wx, max_value) or _bad(wy, max_value):
                diverged_at = t
        lrs = _learning_rates(opt, t)
    if diverged_at is not None:
        message = f"diverged at step {diverged_at}"
    else:
        message = "converged" if converged else f"ran {t} steps"
    return History(params[: t + 1], costs[: t + 1], grad_norms[:t], lrs, diverged_at is not None,
                   diverged_at, t, message)


# ---------------------------------------------------------------- training on data
def _train(params0, full_cost, batch_eval, m, optimizer, batch_size, epochs, shuffle, seed, record, max_value,
           drop_last):
    """Shared mini-batch loop. full_cost(p) -> float; batch_eval(p, idx) -> (batch cost, gradient)."""
    opt = _as_optimizer(optimizer)
    batch_size = m if batch_size is None else batch_size
    epochs = _check_count("epochs", epochs, 0)
    max_value = _check_positive("max_value", max_value)
    if record not in ("step", "epoch"):
        raise ValueError(f"record must be 'step' or 'epoch', got {record!r}")
    minibatches(m, batch_size)                       # raises ValueError for an impossible batch size
    per_epoch = m // batch_size if drop_last else -(-m // batch_size)
    rows = epochs * per_epoch if record == "step" else epochs
    w = np.array(params0, dtype=float)
    lr_at = _lr_function(opt)
    rng = np.random.default_rng(seed)

    params = np.empty((rows + 1, w.size))
    costs = np.empty(rows + 1)
    grad_norms, lrs, batch_costs = np.empty(rows), np.empty(rows), np.empty(rows)
    diverged_at, t, r = None, 0, 0                   # r = rows recorded after the start

    def keep(gn, lr, bcost):
        nonlocal r
        params[r + 1], costs[r + 1] = w.ravel(), cost
        grad_norms[r], lrs[r], batch_costs[r] = gn, lr, bcost
        r += 1

    with np.errstate(all="ignore"):
        state = opt.init(w)
        params[0] = w.ravel()
        costs[0] = cost = float(full_cost(w))
        if _bad(cost, max_value):
            diverged_at = 0
        for _ in range(epochs if diverged_at is None else 0):
            sum_gn, sum_bc, n = 0.0, 0.0, 0
            for idx in minibatches(m, batch_size, shuffle=shuffle, drop_last=drop_last, seed=rng):
                bcost, g = batch_eval(w, idx)
                g = np.asarray(g, dtype=float)
                lr, gn = lr_at(t), math.sqrt(g.ravel() @ g.ravel())
                w, state = opt.step(w, g, state)
                t += 1
                cost = float(full_cost(w))
                sum_gn, sum_bc, n = sum_gn + gn, sum_bc + bcost, n + 1
                if record == "step":
                    keep(gn, lr, bcost)
                if _bad(cost, max_value):
                    diverged_at = t
                    break
            if record == "epoch":                    # the epoch's end, or where it diverged
                keep(sum_gn / n, lr, sum_bc / n)
            if diverged_at is not None:
                break
    message = f"diverged at step {diverged_at}" if diverged_at is not None else f"ran {t} steps"
    return History(params[: r + 1], costs[: r + 1], grad_norms[:r], lrs[:r], diverged_at is not None, diverged_at,
                   t, message, batch_costs[:r], record, per_epoch)


def train_linear(x, y, optimizer_or_lr, *, batch_size=None, epochs=10, init=(0.0, 0.0), shuffle=False, seed=None,
                 record="step", max_value=1e8, drop_last=False):
    r"""Fit the line :math:`\hat y = b + w x` by mini-batch gradient descent (any optimizer).

    Each update uses the gradient of the mini-batch cost :math:`J_{mb} = \frac1{m_b}\sum_{i\in mb}(b + w x_i - y_i)^2`;
    the recorded cost is the full training-set cost, computed from sufficient statistics (O(1) per step).

    Parameters
    ----------
    x, y : array_like of shape (m,)
    optimizer_or_lr : Optimizer, or a learning rate / schedule for plain gradient descent
    batch_size : int, optional
        1..m; default m (full batch). Batches are taken in order unless ``shuffle`` (the article: in order).
    epochs : int, default=10
    init : (b, w), default (0, 0)
    shuffle : bool, default=False
        A new order each epoch, from ``seed``.
    seed : int or None
    record : {"step", "epoch"}
    max_value : float, default=1e8
        Divergence threshold on the cost.
    drop_last : bool, default=False

    Returns
    -------
    History
        params rows are (b, w); ``batch_costs`` holds the mini-batch costs.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise ValueError(f"x and y must be 1-D of the same length m >= 1, got shapes {x.shape} and {y.shape}")
    params0 = np.array(init, dtype=float)
    if params0.shape != (2,):
        raise ValueError(f"init must be (b, w), got shape {params0.shape}")
    x_mean, y_mean, var_x, cov_xy, var_y = (float(v) for v in _moments(x, y))

    def full_cost(p):                           # = linear_cost(b, w, x, y) in O(1), see utils.landscape
        b, w = p.tolist()
        a = b + w * x_mean - y_mean
        return a * a + (w * var_x - 2.0 * cov_xy) * w + var_y

    def batch_eval(p, idx):                     # J_mb and (dJ_mb/db, dJ_mb/dw), as utils.costs.linear_cost_grad
        xb, yb, n = x[idx], y[idx], len(idx)
        r = p[0] + p[1] * xb - yb
        return float(r @ r) / n, np.array((2.0 * r.sum() / n, 2.0 * (r @ xb) / n))

    return _train(params0, full_cost, batch_eval, len(x), optimizer_or_lr, batch_size, epochs, shuffle, seed,
                  record, max_value, drop_last)


def train_model(params0, cost_fn, grad_fn, X, y, optimizer, batch_size=None, epochs=10, *, shuffle=False, seed=None,
                record="step", max_value=1e8, drop_last=False):
    r"""Train any model by mini-batch gradient descent, given its cost and gradient.

    Parameters
    ----------
    params0 : array_like
        Starting parameters (e.g. ``[b, w_1, ..., w_n]`` for :func:`utils.costs.linear_model_cost`);
        History rows hold them flattened, shape (d,) with d = params0.size.
    cost_fn, grad_fn : callable
        ``cost_fn(params, X, y) -> float`` and ``grad_fn(params, X, y) -> array like params``;
        called on a mini-batch ``(X[idx], y[idx])`` for the update and on the whole set for the recorded cost.
    X : array_like of shape (m, ...)
    y : array_like of shape (m,)
    optimizer : Optimizer, or a learning rate / schedule for plain gradient descent
    batch_size : int, optional
        1..m; default m (full batch).
    epochs : int, default=10
    shuffle, seed, record, max_value, drop_last
        As in :func:`train_linear`.

    Returns
    -------
    History
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim < 1 or y.shape != (X.shape[0],) or y.size == 0:
        raise ValueError(f"X must be (m, ...) and y (m,) with m >= 1, got shapes {X.shape} and {y.shape}")

    def batch_eval(p, idx):
        Xb, yb = X[idx], y[idx]
        return float(cost_fn(p, Xb, yb)), grad_fn(p, Xb, yb)

    return _train(params0, lambda p: cost_fn(p, X, y), batch_eval, len(y), optimizer, batch_size, epochs,
                  shuffle, seed, record, max_value, drop_last)
