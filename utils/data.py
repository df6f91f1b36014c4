"""Data sets of the course and a mini-batch iterator (pure numpy).

- :func:`make_linear_data`: a noisy line with a known ground truth, as in the article's first figure.
- :func:`make_house_data`: house prices from floor area, bedrooms and ceiling height.
- :func:`standardize`: column-wise z-scores.
- :func:`minibatches`: index arrays of one epoch of mini-batches.
"""
from __future__ import annotations

import numbers
from dataclasses import dataclass

import numpy as np

__all__ = [
    "LinearData",
    "make_linear_data",
    "HouseData",
    "make_house_data",
    "standardize",
    "minibatches",
]


def _check_int(name, value, low, high=None, high_name=None):
    """Return ``value`` as an int, or raise ValueError unless it is an integer in ``low..high``."""
    ok = isinstance(value, numbers.Integral) and not isinstance(value, bool)
    if ok and value >= low and (high is None or value <= high):
        return int(value)
    upper = "" if high is None else f"..{high_name or high}"
    raise ValueError(f"{name} must be an integer in {low}{upper}, got {value!r}")


def _rng(seed):
    """A numpy Generator from an int seed, None (fresh entropy) or an existing Generator."""
    return seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)


@dataclass(frozen=True)
class LinearData:
    """A noisy line: ``y = b_true + w_true * x + noise``.

    Attributes
    ----------
    x, y : ndarray of shape (m,)
    b_true, w_true : float
        Ground-truth intercept and slope.
    x_var, noise_var : float
        Variances of x and of the noise.
    """

    x: np.ndarray
    y: np.ndarray
    b_true: float
    w_true: float
    x_var: float
    noise_var: float

    @property
    def m(self) -> int:
        """Number of examples."""
        return len(self.x)


def make_linear_data(m, b=None, w=None, *, seed=None, x_var=5.0, noise_var=10.0) -> LinearData:
    r"""Draw a training set from a known line, as in the article's first visualization.

    .. math:: x_i \sim \mathcal N(0, \sigma_x^2),\quad y_i = b + w x_i + \varepsilon_i,
              \quad \varepsilon_i \sim \mathcal N(0, \sigma_\varepsilon^2)

    Parameters
    ----------
    m : int
        Number of examples, ``m >= 1``.
    b, w : float, optional
        Ground truth; each drawn from U(-4, 4) when None.
    seed : int, numpy Generator or None
        Same seed, same data set. Random draws in this order: b, w (when None), x, noise.
    x_var : float, default=5.0
        Variance of x (the article: 5).
    noise_var : float, default=10.0
        Variance of the noise (the article: 10).

    Returns
    -------
    LinearData
    """
    m = _check_int("m", m, 1)
    if not (x_var >= 0 and noise_var >= 0):
        raise ValueError(f"x_var and noise_var must be >= 0, got x_var={x_var!r}, noise_var={noise_var!r}")
    rng = _rng(seed)
    b = float(rng.uniform(-4.0, 4.0)) if b is None else float(b)
    w = float(rng.uniform(-4.0, 4.0)) if w is None else float(w)
    x = rng.normal(0.0, np.sqrt(x_var), size=m)
    y = b + w * x + rng.normal(0.0, np.sqrt(noise_var), size=m)
    return LinearData(x=x, y=y, b_true=b, w_true=w, x_var=float(x_var), noise_var=float(noise_var))


@dataclass(frozen=True)
class HouseData:
    """House prices: ``y = true_bias + X @ true_weights + noise``.

    Attributes
    ----------
    X : ndarray of shape (m, 3)
        Columns: floor area (m²), bedrooms (whole numbers), ceiling height (m).
    y : ndarray of shape (m,)
        Price in k€ (thousands of euros).
    feature_names, units : tuple of str
    true_bias : float
    true_weights : ndarray of shape (3,)
    noise_std : float
    """

    X: np.ndarray
    y: np.ndarray
    feature_names: tuple
    units: tuple
    true_bias: float
    true_weights: np.ndarray
    noise_std: float

    @property
    def m(self) -> int:
        """Number of houses."""
        return len(self.y)


HOUSE_TRUE_BIAS = 20.0
HOUSE_TRUE_WEIGHTS = (2.5, 10.0, 30.0)
HOUSE_NOISE_STD = 30.0


def make_house_data(m=100, *, seed=None) -> HouseData:
    r"""Draw a synthetic house-price data set with a documented ground truth.

    Features (correlated like real flats and houses):

    - floor area :math:`a \sim \mathcal N(100, 30^2)` m², clipped to [30, 250];
    - bedrooms :math:`r = \mathrm{round}(a/35 + \mathcal N(0, 0.6^2))`, clipped to 1..6
      (more area, more bedrooms: correlation about 0.8);
    - ceiling height :math:`c \sim \mathcal N(2.6, 0.15^2)` m, clipped to [2.3, 3.3], rounded to cm.

    Price in k€:

    .. math:: y = 20 + 2.5\,a + 10\,r + 30\,c + \varepsilon,\quad \varepsilon\sim\mathcal N(0, 30^2)

    i.e. 2.5 k€ per m², 10 k€ per bedroom at equal area, 30 k€ per metre of ceiling height;
    a 100 m², 3-bedroom home with 2.6 m ceilings costs about 378 k€.

    Parameters
    ----------
    m : int, default=100
        Number of houses, ``m >= 1``.
    seed : int, numpy Generator or None

    Returns
    -------
    HouseData
    """
    m = _check_int("m", m, 1)
    rng = _rng(seed)
    area = np.clip(rng.normal(100.0, 30.0, size=m), 30.0, 250.0)
    bedrooms = np.clip(np.round(area / 35.0 + rng.normal(0.0, 0.6, size=m)), 1, 6)
    ceiling = np.round(np.clip(rng.normal(2.6, 0.15, size=m), 2.3, 3.3), 2)
    X = np.column_stack([area, bedrooms, ceiling])
    weights = np.array(HOUSE_TRUE_WEIGHTS)
    y = HOUSE_TRUE_BIAS + X @ weights + rng.normal(0.0, HOUSE_NOISE_STD, size=m)
    return HouseData(
        X=X,
        y=y,
        feature_names=("floor area", "bedrooms", "ceiling height"),
        units=("m²", "", "m"),
        true_bias=HOUSE_TRUE_BIAS,
        true_weights=weights,
        noise_std=HOUSE_NOISE_STD,
    )


def standardize(X):
    r"""Column-wise z-scores :math:`X_s = (X - \mu) / \sigma`.

    Parameters
    ----------
    X : array_like of shape (m,) or (m, n)

    Returns
    -------
    Xs : ndarray, same shape as X
    mean, std : ndarray of shape (n,) (scalars for 1-D X)
        Population std (ddof=0); a constant column gets std 1 (it is only centred).
    """
    X = np.asarray(X, dtype=float)
    if X.ndim not in (1, 2) or X.shape[0] < 1:
        raise ValueError(f"X must have shape (m,) or (m, n) with m >= 1, got shape {X.shape}")
    mean = X.mean(axis=0)
    std = X.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (X - mean) / std, mean, std


def minibatches(m, batch_size, *, shuffle=False, drop_last=False, seed=None):
    """Index arrays of the mini-batches of one epoch over ``m`` examples.

    Batch ``k`` holds positions ``k*batch_size .. (k+1)*batch_size - 1`` of ``0..m-1``
    (or of a random permutation when ``shuffle``). The last batch is smaller when
    ``batch_size`` does not divide ``m``; it is dropped when ``drop_last``.

    Parameters
    ----------
    m : int
        Number of examples, ``m >= 1``.
    batch_size : int
        In ``1..m`` (``m`` = full batch, 1 = stochastic gradient descent).
    shuffle : bool, default=False
    drop_last : bool, default=False
    seed : int, numpy Generator or None
        Used only when ``shuffle``; pass a Generator to get a new order every epoch.

    Returns
    -------
    iterator of ndarray of int
        Arguments are checked when called, before iterating.
    """
    m = _check_int("m", m, 1)
    batch_size = _check_int("batch_size", batch_size, 1, m, high_name=f"m={m}")
    order = _rng(seed).permutation(m) if shuffle else np.arange(m)
    stop = m - m % batch_size if drop_last else m
    return (order[start:start + batch_size] for start in range(0, stop, batch_size))
