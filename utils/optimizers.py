r"""Gradient-based optimizers as pure functions (pure numpy, in the style of optax).

An :class:`Optimizer` is a pair of functions::

    opt = adam(learning_rate=0.01)
    state = opt.init(W)                       # slot arrays (zeros) + a step counter
    W, state = opt.step(W, dW, state)         # one update; inputs are never modified

``W`` and ``dW`` are arrays of any (equal) shape, ``dW = ∂J/∂W``. ``learning_rate`` is a number or a
schedule: a function of the update counter ``t = 0, 1, 2, ...`` (see :mod:`utils.schedules`).
Notation follows the course: α learning rate, V first-moment (velocity) slot, S second-moment slot.
"""
from __future__ import annotations

import numbers
from typing import Callable, NamedTuple

import numpy as np

__all__ = [
    "Optimizer",
    "SGDState",
    "MomentumState",
    "NesterovState",
    "AdagradState",
    "RMSpropState",
    "AdamState",
    "sgd",
    "momentum",
    "nesterov",
    "adagrad",
    "rmsprop",
    "adam",
    "adamw",
    "OPTIMIZERS",
]


class Optimizer(NamedTuple):
    """An optimizer: ``init(params) -> state`` and ``step(params, grads, state) -> (params, state)``.

    ``slots`` is the number of arrays of the parameters' size it keeps (its memory cost):
    sgd 0, momentum / nesterov / adagrad / rmsprop 1, adam / adamw 2.
    """

    name: str
    init: Callable
    step: Callable
    hyperparams: dict
    slots: int


class SGDState(NamedTuple):
    count: int


class MomentumState(NamedTuple):
    count: int
    v: np.ndarray


class NesterovState(NamedTuple):
    count: int
    b: np.ndarray


class AdagradState(NamedTuple):
    count: int
    s: np.ndarray


class RMSpropState(NamedTuple):
    count: int
    s: np.ndarray


class AdamState(NamedTuple):
    count: int
    v: np.ndarray
    s: np.ndarray


# ---------------------------------------------------------------- validation helpers
def _is_number(x):
    return isinstance(x, numbers.Real) and not isinstance(x, bool)


def _learning_rate(learning_rate):
    """Return ``lr(t)``; accepts a number > 0 or a callable schedule."""
    if callable(learning_rate):
        return learning_rate
    if _is_number(learning_rate) and learning_rate > 0 and np.isfinite(learning_rate):
        lr = float(learning_rate)
        return lambda t: lr
    raise ValueError(f"learning_rate must be a number > 0 or a schedule (callable), got {learning_rate!r}")


def _check_beta(name, beta):
    if not (_is_number(beta) and 0 <= beta < 1):
        raise ValueError(f"{name} must be a number in [0, 1), got {beta!r}")
    return float(beta)


def _check_nonneg(name, value):
    if not (_is_number(value) and 0 <= value < np.inf):
        raise ValueError(f"{name} must be a number >= 0, got {value!r}")
    return float(value)


def _arrays(params, grads, slot=None):
    """Params and grads as float arrays of one shape (ValueError naming both shapes otherwise)."""
    W = np.asarray(params, dtype=float)
    dW = np.asarray(grads, dtype=float)
    if W.shape != dW.shape:
        raise ValueError(f"params and grads must have the same shape, got params {W.shape} and grads {dW.shape}")
    if slot is not None and slot.shape != W.shape:
        raise ValueError(f"the optimizer state was made for params of shape {slot.shape}, got params {W.shape}")
    return W, dW


def _zeros(params):
    return np.zeros(np.shape(params), dtype=float)


# ---------------------------------------------------------------- optimizers
def sgd(learning_rate=0.01) -> Optimizer:
    r"""(Stochastic) gradient descent: :math:`W \leftarrow W - \alpha\, dW`.

    Same as ``torch.optim.SGD(lr=α)``. No memory beyond the parameters (0 slots).
    """
    lr = _learning_rate(learning_rate)

    def init(params):
        return SGDState(count=0)

    def step(params, grads, state):
        W, dW = _arrays(params, grads)
        W = W - lr(state.count) * dW
        return W, SGDState(state.count + 1)

    return Optimizer("sgd", init, step, dict(learning_rate=learning_rate), 0)


def momentum(learning_rate=0.01, beta=0.9) -> Optimizer:
    r"""Gradient descent with momentum, course (EMA) form:

    .. math:: V \leftarrow \beta V + (1-\beta)\, dW,\qquad W \leftarrow W - \alpha V,\qquad V_0 = 0

    V is an exponential moving average of the gradients (about the last 1/(1-β) of them).
    PyTorch's heavy-ball form ``torch.optim.SGD(lr=γ, momentum=μ)`` (b ← μb + dW, W ← W - γb) gives the same
    iterates with γ = α(1-β), μ = β. It is *not* PyTorch's ``dampening=β``, whose first step differs
    (PyTorch starts b at dW undamped).
    """
    lr = _learning_rate(learning_rate)
    beta = _check_beta("beta", beta)

    def init(params):
        return MomentumState(count=0, v=_zeros(params))

    def step(params, grads, state):
        W, dW = _arrays(params, grads, state.v)
        V = beta * state.v + (1 - beta) * dW
        W = W - lr(state.count) * V
        return W, MomentumState(state.count + 1, V)

    return Optimizer("momentum", init, step, dict(learning_rate=learning_rate, beta=beta), 1)


def nesterov(learning_rate=0.01, beta=0.9) -> Optimizer:
    r"""Nesterov momentum in PyTorch's form (``torch.optim.SGD(lr=α, momentum=β, nesterov=True)``):

    .. math:: b \leftarrow \beta b + dW,\qquad W \leftarrow W - \alpha\,(dW + \beta b),\qquad b_0 = 0

    The step looks ahead along the momentum. Note the heavy-ball scaling: the buffer b sums gradients
    (no factor 1-β), so comparable step sizes are α_nesterov ≈ α_momentum·(1-β).
    """
    lr = _learning_rate(learning_rate)
    beta = _check_beta("beta", beta)

    def init(params):
        return NesterovState(count=0, b=_zeros(params))

    def step(params, grads, state):
        W, dW = _arrays(params, grads, state.b)
        b = beta * state.b + dW
        W = W - lr(state.count) * (dW + beta * b)
        return W, NesterovState(state.count + 1, b)

    return Optimizer("nesterov", init, step, dict(learning_rate=learning_rate, beta=beta), 1)


def adagrad(learning_rate=0.01, epsilon=1e-10) -> Optimizer:
    r"""Adagrad (Duchi et al., 2011), as ``torch.optim.Adagrad`` (lr_decay = 0, initial accumulator 0):

    .. math:: S \leftarrow S + dW^2,\qquad W \leftarrow W - \alpha\, \frac{dW}{\sqrt S + \epsilon}

    Each parameter's step shrinks as its squared gradients accumulate; it never grows back.
    """
    lr = _learning_rate(learning_rate)
    epsilon = _check_nonneg("epsilon", epsilon)

    def init(params):
        return AdagradState(count=0, s=_zeros(params))

    def step(params, grads, state):
        W, dW = _arrays(params, grads, state.s)
        S = state.s + dW**2
        W = W - lr(state.count) * dW / (np.sqrt(S) + epsilon)
        return W, AdagradState(state.count + 1, S)

    return Optimizer("adagrad", init, step, dict(learning_rate=learning_rate, epsilon=epsilon), 1)


def rmsprop(learning_rate=0.01, beta=0.99, epsilon=1e-8) -> Optimizer:
    r"""RMSprop (Hinton, lecture 6e), the article's rule and ``torch.optim.RMSprop(lr=α, alpha=β, eps=ε)``:

    .. math:: S \leftarrow \beta S + (1-\beta)\, dW^2,\qquad W \leftarrow W - \alpha\,\frac{dW}{\sqrt S + \epsilon}

    ε sits outside the root as in PyTorch (Keras puts it inside, with ρ = 0.9, ε = 1e-7); defaults are
    PyTorch's. The article's playground used β = 0.9.
    """
    lr = _learning_rate(learning_rate)
    beta = _check_beta("beta", beta)
    epsilon = _check_nonneg("epsilon", epsilon)

    def init(params):
        return RMSpropState(count=0, s=_zeros(params))

    def step(params, grads, state):
        W, dW = _arrays(params, grads, state.s)
        S = beta * state.s + (1 - beta) * dW**2
        W = W - lr(state.count) * dW / (np.sqrt(S) + epsilon)
        return W, RMSpropState(state.count + 1, S)

    return Optimizer("rmsprop", init, step, dict(learning_rate=learning_rate, beta=beta, epsilon=epsilon), 1)


def _adam_step(W, dW, state, lr, beta1, beta2, epsilon):
    t = state.count + 1
    V = beta1 * state.v + (1 - beta1) * dW
    S = beta2 * state.s + (1 - beta2) * dW**2
    V_hat = V / (1 - beta1**t)
    S_hat = S / (1 - beta2**t)
    W = W - lr * V_hat / (np.sqrt(S_hat) + epsilon)
    return W, AdamState(t, V, S)


def adam(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8) -> Optimizer:
    r"""Adam (Kingma & Ba 2015, Algorithm 1; same as ``torch.optim.Adam``), at update t = 1, 2, ...:

    .. math::
        V \leftarrow \beta_1 V + (1-\beta_1)\, dW,\qquad S \leftarrow \beta_2 S + (1-\beta_2)\, dW^2,\\
        \hat V = V / (1-\beta_1^t),\qquad \hat S = S / (1-\beta_2^t),\qquad
        W \leftarrow W - \alpha\, \frac{\hat V}{\sqrt{\hat S} + \epsilon}

    The bias correction divides by 1-β^t (the article's table misprinted it as (1-β)^t): it undoes the
    pull of V_0 = S_0 = 0 towards zero, so the first step has size ≈ α whatever the gradient's scale.
    Keras uses the paper's "efficient" form with ε̂ = 1e-7, which differs slightly early on.
    """
    lr = _learning_rate(learning_rate)
    beta1 = _check_beta("beta1", beta1)
    beta2 = _check_beta("beta2", beta2)
    epsilon = _check_nonneg("epsilon", epsilon)

    def init(params):
        return AdamState(count=0, v=_zeros(params), s=_zeros(params))

    def step(params, grads, state):
        W, dW = _arrays(params, grads, state.v)
        return _adam_step(W, dW, state, lr(state.count), beta1, beta2, epsilon)

    hyper = dict(learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon)
    return Optimizer("adam", init, step, hyper, 2)


def adamw(learning_rate=1e-3, beta1=0.9, beta2=0.999, epsilon=1e-8, weight_decay=1e-2) -> Optimizer:
    r"""AdamW (Loshchilov & Hutter 2019), in ``torch.optim.AdamW``'s order: decoupled weight decay, then Adam.

    .. math:: W \leftarrow W - \alpha\lambda W,\quad\text{then the Adam update of } W \text{ with } dW

    The decay shrinks the weights directly instead of adding λW to the gradient (which Adam would
    rescale per parameter). λ = ``weight_decay``, default 1e-2 as in PyTorch.
    """
    lr = _learning_rate(learning_rate)
    beta1 = _check_beta("beta1", beta1)
    beta2 = _check_beta("beta2", beta2)
    epsilon = _check_nonneg("epsilon", epsilon)
    weight_decay = _check_nonneg("weight_decay", weight_decay)

    def init(params):
        return AdamState(count=0, v=_zeros(params), s=_zeros(params))

    def step(params, grads, state):
        W, dW = _arrays(params, grads, state.v)
        alpha = lr(state.count)
        W = W - alpha * weight_decay * W
        return _adam_step(W, dW, state, alpha, beta1, beta2, epsilon)

    hyper = dict(learning_rate=learning_rate, beta1=beta1, beta2=beta2, epsilon=epsilon, weight_decay=weight_decay)
    return Optimizer("adamw", init, step, hyper, 2)


OPTIMIZERS: dict[str, Callable[..., Optimizer]] = {
    "sgd": sgd,
    "momentum": momentum,
    "nesterov": nesterov,
    "adagrad": adagrad,
    "rmsprop": rmsprop,
    "adam": adam,
    "adamw": adamw,
}
