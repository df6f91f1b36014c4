r"""Cost landscapes over parameter grids and closed-form least squares (pure numpy).

The mean-squared-error cost of a line depends on the data only through five means, so a whole
landscape costs the same for m = 20 or m = 100,000 examples:

.. math:: J(b, w) = \frac1m\sum_i (b + w x_i - y_i)^2
                 = (b + w\bar x - \bar y)^2 + w^2\,\mathrm{var}(x) - 2w\,\mathrm{cov}(x, y) + \mathrm{var}(y)
"""
from __future__ import annotations

import numpy as np

__all__ = ["linear_cost_grid", "least_squares_line", "normal_equation", "surface_grid"]


def _xy(x, y):
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise ValueError(f"x and y must be 1-D of the same length m >= 1, got shapes {x.shape} and {y.shape}")
    return x, y


def _moments(x, y):
    """Means and (population) variances/covariance: the sufficient statistics of the line's cost."""
    x_mean, y_mean = x.mean(), y.mean()
    dx, dy = x - x_mean, y - y_mean
    return x_mean, y_mean, dx @ dx / len(x), dx @ dy / len(x), dy @ dy / len(x)


def linear_cost_grid(x, y, b_values, w_values):
    r"""MSE cost of the line :math:`b + w x` at every (b, w) of a grid, from sufficient statistics.

    .. math:: J(b, w) = (b + w\bar x - \bar y)^2 + w^2\,\mathrm{var}(x) - 2w\,\mathrm{cov}(x, y) + \mathrm{var}(y)

    This equals :func:`utils.costs.linear_cost` at each point; its time does not grow with m
    beyond one pass over the data.

    Parameters
    ----------
    x, y : array_like of shape (m,)
    b_values, w_values : array_like, 1-D

    Returns
    -------
    J : ndarray of shape (len(w_values), len(b_values))
        Rows follow w, columns follow b: ready for ``ax.contour(b_values, w_values, J)``.
    """
    x, y = _xy(x, y)
    x_mean, y_mean, var_x, cov_xy, var_y = _moments(x, y)
    b = np.asarray(b_values, dtype=float).reshape(1, -1)
    w = np.asarray(w_values, dtype=float).reshape(-1, 1)
    return (b + w * x_mean - y_mean) ** 2 + (w * var_x - 2.0 * cov_xy) * w + var_y


def least_squares_line(x, y):
    r"""The line minimizing the MSE, in closed form:

    .. math:: w^* = \frac{\mathrm{cov}(x, y)}{\mathrm{var}(x)},\qquad b^* = \bar y - w^*\bar x

    Returns
    -------
    (b, w) : floats
        ValueError when all x are equal (the slope is then undetermined).
    """
    x, y = _xy(x, y)
    x_mean, y_mean, var_x, cov_xy, _ = _moments(x, y)
    if var_x == 0:
        raise ValueError("least_squares_line needs at least two distinct x values, got all x equal")
    w = cov_xy / var_x
    return float(y_mean - w * x_mean), float(w)


def normal_equation(X, y):
    r"""Least-squares parameters of :math:`\hat y = b + Xw` from the normal equation

    .. math:: (A^\top A)\,\theta = A^\top y,\qquad A = [\mathbf 1, X],\ \theta = [b, w_1, \dots, w_n]

    solved with ``np.linalg.solve`` (never an explicit inverse).

    Parameters
    ----------
    X : array_like of shape (m, n) or (m,)
    y : array_like of shape (m,)

    Returns
    -------
    ndarray of shape (n+1,), bias first. ValueError when AᵀA is singular (collinear features, m <= n).
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    X = X[:, None] if X.ndim == 1 else X
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"X must be (m, n) and y (m,), got shapes {X.shape} and {y.shape}")
    A = np.column_stack([np.ones(len(y)), X])
    try:
        return np.linalg.solve(A.T @ A, A.T @ y)
    except np.linalg.LinAlgError as err:
        raise ValueError(f"the normal equation is singular for X of shape {X.shape} "
                         "(collinear features or fewer examples than parameters)") from err


def surface_grid(surface, n=200, domain=None):
    """Values of a 2-D surface on an n×n grid, for contour plots.

    Parameters
    ----------
    surface : utils.surfaces.Surface (or any callable mapping (..., 2) -> (...))
    n : int, default=200
    domain : ((xmin, xmax), (ymin, ymax)), optional
        Defaults to ``surface.domain``.

    Returns
    -------
    xs, ys : ndarray of shape (n,)
    Z : ndarray of shape (n, n)
        ``Z[i, j] = f(xs[j], ys[i])`` (rows follow y): ready for ``ax.contour(xs, ys, Z)``.
    """
    if not (isinstance(n, (int, np.integer)) and n >= 2):
        raise ValueError(f"n must be an integer >= 2, got {n!r}")
    if domain is None:
        domain = getattr(surface, "domain", None)
        if domain is None:
            raise ValueError("surface_grid needs a domain ((xmin, xmax), (ymin, ymax)) for this surface")
    (x0, x1), (y0, y1) = domain
    xs = np.linspace(x0, x1, n)
    ys = np.linspace(y0, y1, n)
    grid = np.empty((n, n, 2))
    grid[..., 0] = xs[None, :]
    grid[..., 1] = ys[:, None]
    with np.errstate(over="ignore", invalid="ignore"):
        Z = surface(grid)
    return xs, ys, Z
