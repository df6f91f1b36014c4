r"""2-D test cost surfaces with analytic gradients and known minima (pure numpy).

Every surface maps points ``w`` of shape (..., 2) to values (...) and gradients (..., 2), so one call
evaluates a single point, a path or a whole contour grid. ``SURFACES`` maps names to instances::

    from utils.surfaces import SURFACES
    s = SURFACES["rosenbrock"]
    s(w), s.gradient(w), s.hessian(s.minima[0])
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

__all__ = [
    "Surface",
    "quadratic",
    "bowl",
    "ellipse",
    "make_ellipse",
    "saddle",
    "rosenbrock",
    "beale",
    "booth",
    "himmelblau",
    "styblinski_tang",
    "goldstein_price",
    "rastrigin",
    "six_hump_camel",
    "SURFACES",
]


def _xy(w):
    """Coordinates of points (..., 2); plain Python floats for a single point (fast in optimization loops).

    The formulas below use products, never ``**``: Python's float ``**`` raises OverflowError where a
    product just overflows to inf, as numpy does.
    """
    w = np.asarray(w, dtype=float)
    if w.shape == (2,):
        return w.tolist()
    if w.shape[-1:] != (2,):
        raise ValueError(f"points must have shape (..., 2), got shape {w.shape}")
    return w[..., 0], w[..., 1]


def _sq(v):
    return v * v


def _stack(gx, gy):
    """Gradient components -> array (..., 2); a fast path for a single point."""
    if isinstance(gx, float) and isinstance(gy, float):
        return np.array((gx, gy))
    gx, gy = np.broadcast_arrays(gx, gy)
    return np.stack((gx, gy), axis=-1)


@dataclass(frozen=True, eq=False)
class Surface:
    """A 2-D cost surface ``f: (..., 2) -> (...)`` with its gradient and what is known about it.

    Attributes
    ----------
    name, label : str
        Registry key and a pretty name for titles.
    f, grad : callable
        Value (..., 2) -> (...) and analytic gradient (..., 2) -> (..., 2).
    domain : ((xmin, xmax), (ymin, ymax))
        A good window for contour plots.
    minima : ndarray of shape (k, 2)
        Global minima (shape (0, 2) when there is none).
    min_value : float or None
    start : ndarray of shape (2,)
        A default starting point that makes an instructive run.
    log_scale : bool
        Whether contours read best on logarithmic levels (steep walls around a flat valley).
    notes : str
    hess : callable or None
        Analytic Hessian (..., 2) -> (..., 2, 2); None = central differences of ``grad``.
    """

    name: str
    label: str
    f: Callable
    grad: Callable
    domain: tuple
    minima: np.ndarray
    min_value: float | None
    start: np.ndarray
    log_scale: bool = False
    notes: str = ""
    hess: Callable | None = field(default=None, repr=False)

    def __call__(self, w):
        """Value f(w) for points (..., 2)."""
        return self.f(w)

    def gradient(self, w):
        """Gradient ∇f(w), shape (..., 2)."""
        return self.grad(w)

    def hessian(self, w, h=1e-5):
        r"""Hessian (..., 2, 2): analytic when known, else central differences of the gradient,
        :math:`H_{:,k} \approx (\nabla f(w + h e_k) - \nabla f(w - h e_k)) / 2h`, symmetrized."""
        w = np.asarray(w, dtype=float)
        if self.hess is not None:
            return self.hess(w)
        cols = []
        for k in range(2):
            e = np.zeros(2)
            e[k] = h
            cols.append((self.grad(w + e) - self.grad(w - e)) / (2 * h))
        H = np.stack(cols, axis=-1)
        return 0.5 * (H + np.swapaxes(H, -1, -2))

    def condition_number(self, w=None) -> float:
        """κ = |λ_max| / |λ_min| of the Hessian at ``w`` (default: the first minimum)."""
        if w is None:
            if len(self.minima) == 0:
                raise ValueError(f"{self.name} has no minimum: pass the point w where to compute κ")
            w = self.minima[0]
        eig = np.abs(np.linalg.eigvalsh(self.hessian(w)))
        return float(eig.max() / eig.min())


def _make(name, label, f, grad, domain, minima, min_value, start, **kw):
    def value(w):
        v = f(w)
        return np.float64(v) if type(v) is float else v      # one point: a numpy scalar, like numpy would

    value.__doc__ = f.__doc__
    return Surface(name=name, label=label, f=value, grad=grad, domain=domain,
                   minima=np.array(minima, dtype=float).reshape(-1, 2), min_value=min_value,
                   start=np.array(start, dtype=float), **kw)


# ---------------------------------------------------------------- quadratics
def quadratic(H, *, name="quadratic", label=None, domain=((-2.0, 2.0), (-2.0, 2.0)), start=(-1.5, 1.0)):
    r"""The quadratic :math:`f(w) = \tfrac12 w^\top H w`, gradient :math:`Hw`, Hessian :math:`H`.

    H must be a symmetric 2×2 matrix; its eigenvalues are the curvatures along its eigenvectors.
    The minimum is at 0 when H is positive definite (no minimum otherwise).
    """
    H = np.array(H, dtype=float)
    if H.shape != (2, 2) or not np.allclose(H, H.T):
        raise ValueError(f"H must be a symmetric 2x2 matrix, got {H.tolist()}")
    positive = bool(np.all(np.linalg.eigvalsh(H) > 0))

    a, b, c = float(H[0, 0]), float(H[0, 1]), float(H[1, 1])

    def f(w):
        x, y = _xy(w)
        return 0.5 * (a * x * x + 2 * b * x * y + c * y * y)

    def grad(w):
        x, y = _xy(w)
        return _stack(a * x + b * y, b * x + c * y)

    def hess(w):
        return np.broadcast_to(H, np.shape(w)[:-1] + (2, 2)).copy()

    return _make(name, label or name, f, grad, domain, [[0, 0]] if positive else [],
                 0.0 if positive else None, start, hess=hess,
                 notes=f"Hessian eigenvalues {np.round(np.linalg.eigvalsh(H), 6).tolist()}")


def bowl() -> Surface:
    r"""Round bowl :math:`\tfrac12(x^2 + y^2)`: every direction has curvature 1 (κ = 1)."""
    return quadratic(np.eye(2), name="bowl", label="Bowl", start=(-1.5, 1.5))


def ellipse(kappa=10.0) -> Surface:
    r"""Ill-conditioned ellipse :math:`\tfrac12(x^2 + \kappa y^2)`: curvatures 1 and κ, condition number κ.

    Gradient descent must keep α < 2/κ for the steep y direction, and then crawls along x.
    """
    if not (np.isscalar(kappa) and kappa >= 1):
        raise ValueError(f"kappa must be a number >= 1, got {kappa!r}")
    s = quadratic(np.diag([1.0, float(kappa)]), name="ellipse", label=f"Ellipse (κ = {kappa:g})",
                  start=(-1.8, 1.0))
    return s


make_ellipse = ellipse


def saddle() -> Surface:
    r"""Saddle :math:`x^2 - y^2`: a stationary point at 0 that is no minimum; unbounded below."""
    return quadratic(np.diag([2.0, -2.0]), name="saddle", label="Saddle", start=(-1.8, 1e-3),
                     domain=((-2.0, 2.0), (-2.0, 2.0)))


# ---------------------------------------------------------------- classic test functions
def rosenbrock() -> Surface:
    r"""Rosenbrock :math:`(1-x)^2 + 100(y-x^2)^2`: a curved, flat-bottomed valley; minimum 0 at (1, 1), κ ≈ 2508.

    Gradient: :math:`(-2(1-x) - 400x(y-x^2),\ 200(y-x^2))`.
    """
    def f(w):
        x, y = _xy(w)
        return _sq(1 - x) + 100 * _sq(y - x * x)

    def grad(w):
        x, y = _xy(w)
        v = y - x * x
        return _stack(-2 * (1 - x) - 400 * x * v, 200 * v)

    return _make("rosenbrock", "Rosenbrock", f, grad, ((-2.0, 2.0), (-1.0, 3.0)), [[1, 1]], 0.0,
                 (-1.5, 2.0), log_scale=True, notes="banana-shaped valley; the minimum is easy to reach, "
                 "slow to approach along the valley floor")


def beale() -> Surface:
    r"""Beale :math:`\sum_k (c_k - x + x y^k)^2`, c = (1.5, 2.25, 2.625): minimum 0 at (3, 0.5), κ ≈ 162.

    Gradient: :math:`\partial_x = \sum_k 2 t_k (y^k - 1)`, :math:`\partial_y = \sum_k 2 t_k\, k x y^{k-1}`,
    :math:`t_k = c_k - x + x y^k`.
    """
    def f(w):
        x, y = _xy(w)
        y2 = y * y
        return _sq(1.5 - x + x * y) + _sq(2.25 - x + x * y2) + _sq(2.625 - x + x * y2 * y)

    def grad(w):
        x, y = _xy(w)
        y2, y3 = y * y, y * y * y
        t1, t2, t3 = 1.5 - x + x * y, 2.25 - x + x * y2, 2.625 - x + x * y3
        gx = 2 * t1 * (y - 1) + 2 * t2 * (y2 - 1) + 2 * t3 * (y3 - 1)
        gy = 2 * t1 * x + 4 * t2 * x * y + 6 * t3 * x * y2
        return _stack(gx, gy)

    return _make("beale", "Beale", f, grad, ((-4.5, 4.5), (-4.5, 4.5)), [[3, 0.5]], 0.0, (-1.0, 1.5),
                 log_scale=True, notes="flat plateaus and sharp ridges near the corners")


def booth() -> Surface:
    r"""Booth :math:`(x+2y-7)^2 + (2x+y-5)^2`: a tilted quadratic, minimum 0 at (1, 3),
    Hessian [[10, 8], [8, 10]] (eigenvalues 18 and 2, κ = 9)."""
    def f(w):
        x, y = _xy(w)
        return _sq(x + 2 * y - 7) + _sq(2 * x + y - 5)

    def grad(w):
        x, y = _xy(w)
        a, c = x + 2 * y - 7, 2 * x + y - 5
        return _stack(2 * a + 4 * c, 4 * a + 2 * c)

    return _make("booth", "Booth", f, grad, ((-10.0, 10.0), (-10.0, 10.0)), [[1, 3]], 0.0, (-8.0, -6.0),
                 log_scale=True, hess=lambda w: np.broadcast_to([[10.0, 8.0], [8.0, 10.0]],
                                                                np.shape(w)[:-1] + (2, 2)).copy())


HIMMELBLAU_MINIMA = [
    [3.0, 2.0],
    [-2.805118086952745, 3.131312518250573],
    [-3.779310253377747, -3.283185991286170],
    [3.584428340330492, -1.848126526964404],
]


def himmelblau() -> Surface:
    r"""Himmelblau :math:`(x^2+y-11)^2 + (x+y^2-7)^2`: four minima of value 0, a local maximum at
    (-0.270845, -0.923039); which minimum a run reaches depends on where it starts (the article's default)."""
    def f(w):
        x, y = _xy(w)
        return _sq(x * x + y - 11) + _sq(x + y * y - 7)

    def grad(w):
        x, y = _xy(w)
        a, c = x * x + y - 11, x + y * y - 7
        return _stack(4 * x * a + 2 * c, 2 * a + 4 * y * c)

    return _make("himmelblau", "Himmelblau", f, grad, ((-5.0, 5.0), (-5.0, 5.0)), HIMMELBLAU_MINIMA, 0.0,
                 (0.0, 0.0), log_scale=True, notes="four global minima; local maximum at (-0.270845, -0.923039)")


ST_XMIN = -2.903534027771178  # root of 2x^3 - 16x + 2.5 = 0


def styblinski_tang() -> Surface:
    r"""Styblinski-Tang :math:`\tfrac12\sum_i (x_i^4 - 16x_i^2 + 5x_i)`: minimum ≈ -78.3323 at (-2.9035, -2.9035),
    plus three local minima (one per sign pattern). Gradient :math:`2x_i^3 - 16x_i + 2.5`.

    The article's playground shifted it up to be non-negative; here it keeps its textbook values.
    """
    def f(w):
        x, y = _xy(w)
        x2, y2 = x * x, y * y
        return 0.5 * (x2 * x2 - 16 * x2 + 5 * x + y2 * y2 - 16 * y2 + 5 * y)

    def grad(w):
        x, y = _xy(w)
        return _stack(2 * x * x * x - 16 * x + 2.5, 2 * y * y * y - 16 * y + 2.5)

    xmin = ST_XMIN
    value = float(f(np.array([xmin, xmin])))
    return _make("styblinski_tang", "Styblinski-Tang", f, grad, ((-5.0, 5.0), (-5.0, 5.0)), [[xmin, xmin]],
                 value, (0.5, 4.0), notes="three local minima besides the global one")


def goldstein_price() -> Surface:
    r"""Goldstein-Price :math:`A(x, y)\,B(x, y)` with

    .. math:: A = 1 + (x+y+1)^2(19 - 14x + 3x^2 - 14y + 6xy + 3y^2),
              B = 30 + (2x-3y)^2(18 - 32x + 12x^2 + 48y - 36xy + 27y^2)

    (48y, not the frequent "4y" typo). Minimum 3 at (0, -1); values span six decades, so use log levels.
    """
    def parts(w):
        x, y = _xy(w)
        s, d = x + y + 1, 2 * x - 3 * y
        p = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y
        q = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y
        return x, y, s, d, p, q, 1 + s * s * p, 30 + d * d * q

    def f(w):
        *_, a, b = parts(w)
        return a * b

    def grad(w):
        x, y, s, d, p, q, a, b = parts(w)
        dp = -14 + 6 * x + 6 * y                  # dp/dx = dp/dy
        da = 2 * s * p + s * s * dp               # dA/dx = dA/dy
        db_dx = 4 * d * q + d * d * (-32 + 24 * x - 36 * y)
        db_dy = -6 * d * q + d * d * (48 - 36 * x + 54 * y)
        return _stack(da * b + a * db_dx, da * b + a * db_dy)

    return _make("goldstein_price", "Goldstein-Price", f, grad, ((-2.0, 2.0), (-2.0, 2.0)), [[0, -1]], 3.0,
                 (-0.6, 0.2), log_scale=True, notes="local minima at (-0.6, -0.4), (1.8, 0.2), (1.2, 0.8); "
                 "the article's playground used [-1.5, 0.5]^2")


def rastrigin() -> Surface:
    r"""Rastrigin :math:`20 + \sum_i (x_i^2 - 10\cos 2\pi x_i)`: a bowl covered in ripples, a local minimum
    near every integer point; global minimum 0 at (0, 0). Gradient :math:`2x_i + 20\pi\sin 2\pi x_i`."""
    def f(w):
        x, y = _xy(w)
        return 20 + x * x - 10 * np.cos(2 * np.pi * x) + y * y - 10 * np.cos(2 * np.pi * y)

    def grad(w):
        x, y = _xy(w)
        return _stack(2 * x + 20 * np.pi * np.sin(2 * np.pi * x), 2 * y + 20 * np.pi * np.sin(2 * np.pi * y))

    return _make("rastrigin", "Rastrigin", f, grad, ((-5.12, 5.12), (-5.12, 5.12)), [[0, 0]], 0.0, (-3.3, 2.6),
                 notes="about 100 local minima in the domain")


CAMEL_MINIMUM = (0.08984201310031806, -0.7126564030207396)


def six_hump_camel() -> Surface:
    r"""Six-hump camel :math:`(4 - 2.1x^2 + x^4/3)x^2 + xy + (-4 + 4y^2)y^2`: two global minima
    ≈ -1.0316 at ±(0.0898, -0.7126), four more local minima.
    Gradient :math:`(8x - 8.4x^3 + 2x^5 + y,\ x - 8y + 16y^3)`."""
    def f(w):
        x, y = _xy(w)
        x2, y2 = x * x, y * y
        return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2

    def grad(w):
        x, y = _xy(w)
        x3 = x * x * x
        return _stack(8 * x - 8.4 * x3 + 2 * x3 * x * x + y, x - 8 * y + 16 * y * y * y)

    xm, ym = CAMEL_MINIMUM
    value = float(f(np.array([xm, ym])))
    return _make("six_hump_camel", "Six-hump camel", f, grad, ((-3.0, 3.0), (-2.0, 2.0)),
                 [[xm, ym], [-xm, -ym]], value, (-1.5, 1.0), log_scale=False,
                 notes="six local minima, two of them global")


SURFACES: dict[str, Surface] = {
    s.name: s
    for s in (bowl(), ellipse(), saddle(), rosenbrock(), beale(), booth(), himmelblau(), styblinski_tang(),
              goldstein_price(), rastrigin(), six_hump_camel())
}
