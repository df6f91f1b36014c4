r"""Learning-rate schedules (pure numpy).

A schedule is a function ``lr(t)`` of the update counter ``t = 0, 1, 2, ...`` (the first update uses
``lr(0)``). It accepts an int (returns a float) or an integer array (returns an array), so a whole curve
is ``lr(np.arange(T))``. Any optimizer of :mod:`utils.optimizers` takes a schedule as its learning rate.
"""
from __future__ import annotations

import numbers
from typing import Callable

import numpy as np

__all__ = ["constant", "step_decay", "exponential", "inverse_time", "cosine", "linear_warmup", "one_cycle",
           "SCHEDULES"]


def _steps(step):
    t = np.asarray(step)
    if t.dtype.kind not in "iu":
        raise ValueError(f"step must be an integer or an integer array, got {step!r}")
    if np.any(t < 0):
        raise ValueError(f"step must be >= 0, got {step!r}")
    return t


def _out(value):
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=float)


def _positive(name, value):
    if not (isinstance(value, numbers.Real) and not isinstance(value, bool) and 0 < value < np.inf):
        raise ValueError(f"{name} must be a number > 0, got {value!r}")
    return float(value)


def _count(name, value):
    if not (isinstance(value, numbers.Integral) and not isinstance(value, bool) and value >= 1):
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")
    return int(value)


def constant(lr) -> Callable:
    r""":math:`\eta_t = \eta`."""
    lr = _positive("lr", lr)

    def schedule(step):
        return _out(np.full(np.shape(_steps(step)), lr))

    return schedule


def step_decay(lr, drop=0.5, every=100) -> Callable:
    r"""Staircase decay :math:`\eta_t = \eta\, d^{\lfloor t / s \rfloor}` (d = ``drop``, s = ``every``)."""
    lr = _positive("lr", lr)
    if not (isinstance(drop, numbers.Real) and 0 < drop <= 1):
        raise ValueError(f"drop must be a number in (0, 1], got {drop!r}")
    every = _count("every", every)

    def schedule(step):
        return _out(lr * drop ** (_steps(step) // every))

    return schedule


def exponential(lr, rate=0.96, decay_steps=100) -> Callable:
    r"""Smooth exponential decay :math:`\eta_t = \eta\, r^{t / T}` (r = ``rate`` per T = ``decay_steps`` steps)."""
    lr = _positive("lr", lr)
    rate = _positive("rate", rate)
    decay_steps = _count("decay_steps", decay_steps)

    def schedule(step):
        return _out(lr * rate ** (_steps(step) / decay_steps))

    return schedule


def inverse_time(lr, decay=0.01) -> Callable:
    r"""Inverse-time decay :math:`\eta_t = \eta / (1 + d\,t)`, the article's playground decay (d = ``decay``)."""
    lr = _positive("lr", lr)
    if not (isinstance(decay, numbers.Real) and 0 <= decay < np.inf):
        raise ValueError(f"decay must be a number >= 0, got {decay!r}")

    def schedule(step):
        return _out(lr / (1.0 + decay * _steps(step)))

    return schedule


def cosine(lr_max, total_steps, lr_min=0.0) -> Callable:
    r"""Cosine annealing (Loshchilov & Hutter), held at ``lr_min`` after T = ``total_steps``:

    .. math:: \eta_t = \eta_{min} + \tfrac12(\eta_{max} - \eta_{min})(1 + \cos(\pi \min(t, T) / T))
    """
    lr_max = _positive("lr_max", lr_max)
    total_steps = _count("total_steps", total_steps)
    if not (isinstance(lr_min, numbers.Real) and 0 <= lr_min <= lr_max):
        raise ValueError(f"lr_min must be a number in [0, lr_max={lr_max:g}], got {lr_min!r}")

    def schedule(step):
        t = np.minimum(_steps(step), total_steps)
        return _out(lr_min + 0.5 * (lr_max - lr_min) * (1 + np.cos(np.pi * t / total_steps)))

    return schedule


def linear_warmup(lr, warmup_steps, after=None) -> Callable:
    r"""Linear warmup (Goyal et al. 2017), then ``after`` (or a constant ``lr``):

    .. math:: \eta_t = \eta\,\frac{t + 1}{W}\ \ (t < W),\qquad \eta_t = \mathrm{after}(t - W)\ \ (t \ge W)

    The first update already gets η/W (never 0); ``after`` counts its own steps from 0 when warmup
    ends, e.g. ``linear_warmup(0.1, 100, after=cosine(0.1, 900))`` for 1,000 updates.
    """
    lr = _positive("lr", lr)
    warmup_steps = _count("warmup_steps", warmup_steps)
    if after is not None and not callable(after):
        raise ValueError(f"after must be a schedule (callable) or None, got {after!r}")

    def schedule(step):
        t = _steps(step)
        warm = lr * np.minimum(t + 1, warmup_steps) / warmup_steps
        if after is None:
            return _out(warm)
        rest = np.asarray(after(np.maximum(t - warmup_steps, 0)), dtype=float)
        return _out(np.where(t < warmup_steps, warm, rest))

    return schedule


def one_cycle(lr_max, total_steps, pct_start=0.3, div_factor=25.0, final_div_factor=1e4) -> Callable:
    r"""One-cycle policy (Smith 2018), as ``torch.optim.lr_scheduler.OneCycleLR`` (cosine, two phases).

    From :math:`\eta_0 = \eta_{max}/\text{div}` up to :math:`\eta_{max}` over the first ``pct_start`` of the
    steps, then down to :math:`\eta_0/\text{final\_div}` at step T-1, each half a cosine:

    .. math:: \mathrm{anneal}(a, b, p) = b + \tfrac12(a - b)(1 + \cos \pi p)

    with p = t / (pT - 1) in phase 1 and p = (t - pT + 1) / (T - pT) in phase 2; held at the end after T - 1.
    """
    lr_max = _positive("lr_max", lr_max)
    total_steps = _count("total_steps", total_steps)
    if not (isinstance(pct_start, numbers.Real) and 1 < pct_start * total_steps < total_steps):
        raise ValueError(f"pct_start must be in (1/total_steps, 1) = ({1 / total_steps:g}, 1), got {pct_start!r}")
    div_factor = _positive("div_factor", div_factor)
    final_div_factor = _positive("final_div_factor", final_div_factor)
    lr_start = lr_max / div_factor
    lr_end = lr_start / final_div_factor
    peak = pct_start * total_steps - 1.0                 # step at which lr_max is reached

    def anneal(a, b, p):
        return b + 0.5 * (a - b) * (1 + np.cos(np.pi * p))

    def schedule(step):
        t = np.minimum(_steps(step), total_steps - 1)
        up = anneal(lr_start, lr_max, t / peak)
        down = anneal(lr_max, lr_end, (t - peak) / (total_steps - 1 - peak))
        return _out(np.where(t <= peak, up, down))

    return schedule


SCHEDULES: dict[str, Callable[..., Callable]] = {
    "constant": constant,
    "step_decay": step_decay,
    "exponential": exponential,
    "inverse_time": inverse_time,
    "cosine": cosine,
    "linear_warmup": linear_warmup,
    "one_cycle": one_cycle,
}
