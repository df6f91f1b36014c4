"""Finite-difference gradients for the tests (central differences, error O(h²))."""
import numpy as np


def numerical_gradient(f, x, h=1e-6):
    """Gradient of a scalar function ``f`` at ``x`` (any shape), one coordinate at a time."""
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[i] = h
        grad[i] = (f(x + e) - f(x - e)) / (2 * h)
    return grad


def numerical_gradient_lastaxis(f, x, h=1e-6):
    """Gradient of an elementwise function ``f: (..., k) -> (...)`` along the last axis, shape (..., k).

    Every leading position is perturbed at once, which is valid because ``f`` treats them independently.
    """
    x = np.array(x, dtype=float)
    grad = np.zeros_like(x)
    for k in range(x.shape[-1]):
        e = np.zeros_like(x)
        e[..., k] = h
        grad[..., k] = (f(x + e) - f(x - e)) / (2 * h)
    return grad
