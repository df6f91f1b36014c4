r"""Losses, costs and their gradients (pure numpy).

A *loss* scores one example; the *cost* averages the losses of a training set,
:math:`J = \frac1m \sum_i L^{(i)}`. Each function with a gradient has it right beside it.

Boxes are ``(..., 4)`` arrays ``(x_centre, y_centre, width, height)``.
"""
from __future__ import annotations

import numpy as np

__all__ = [
    "squared_loss",
    "mse_cost",
    "linear_predict",
    "linear_cost",
    "linear_cost_grad",
    "linear_model_predict",
    "linear_model_cost",
    "linear_model_grad",
    "box_loss",
    "box_loss_grad",
    "yolo_localization_loss",
    "yolo_localization_loss_grad",
    "iou",
    "yolo_v1_loss",
]


# ---------------------------------------------------------------- squared loss, linear models
def squared_loss(y, y_hat):
    r"""Squared loss :math:`L = (y - \hat y)^2`, elementwise (broadcasting)."""
    return (np.asarray(y, dtype=float) - np.asarray(y_hat, dtype=float)) ** 2


def mse_cost(y, y_hat) -> float:
    r"""Cost = mean squared loss :math:`J = \frac1m \sum_i (y_i - \hat y_i)^2`."""
    return float(np.mean(squared_loss(y, y_hat)))


def linear_predict(x, b, w):
    r"""The line :math:`\hat y = b + w x`."""
    return b + w * np.asarray(x, dtype=float)


def _linear_residuals(b, w, x, y):
    """r_i = b + w x_i - y_i; arrays b, w broadcast against each other and get a trailing data axis."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 1 or x.shape != y.shape or x.size == 0:
        raise ValueError(f"x and y must be 1-D of the same length m >= 1, got shapes {x.shape} and {y.shape}")
    b = np.asarray(b, dtype=float)[..., None]
    w = np.asarray(w, dtype=float)[..., None]
    return b + w * x - y, x


def linear_cost(b, w, x, y):
    r"""Cost of the line on a data set, :math:`J(b, w) = \frac1m \sum_i (b + w x_i - y_i)^2`.

    ``b`` and ``w`` may be arrays (broadcast together); the result then has their shape.
    For a whole grid prefer :func:`utils.landscape.linear_cost_grid` (cost independent of m).

    Returns
    -------
    float, or ndarray of the broadcast shape of b and w
    """
    r, _ = _linear_residuals(b, w, x, y)
    J = np.mean(r**2, axis=-1)
    return float(J) if J.ndim == 0 else J


def linear_cost_grad(b, w, x, y):
    r"""Gradient of :func:`linear_cost`, with :math:`r_i = b + w x_i - y_i`:

    .. math:: \frac{\partial J}{\partial b} = \frac2m \sum_i r_i,\qquad
              \frac{\partial J}{\partial w} = \frac2m \sum_i r_i x_i

    Returns
    -------
    (dJ/db, dJ/dw) : floats (arrays when b or w are arrays)
    """
    r, x = _linear_residuals(b, w, x, y)
    db = 2.0 * np.mean(r, axis=-1)
    dw = 2.0 * np.mean(r * x, axis=-1)
    if db.ndim == 0:
        return float(db), float(dw)
    return db, dw


def _check_model(params, X, y):
    params = np.asarray(params, dtype=float)
    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2 or y.shape != (X.shape[0],) or X.shape[0] == 0:
        raise ValueError(f"X must be (m, n) and y (m,) with m >= 1, got shapes {X.shape} and {y.shape}")
    if params.shape != (X.shape[1] + 1,):
        raise ValueError(f"params must have shape (n+1,) = ({X.shape[1] + 1},) [bias, weights], "
                         f"got shape {params.shape}")
    return params, X, y


def linear_model_predict(params, X):
    r""":math:`\hat y = b + X w` with ``params = [b, w_1, ..., w_n]`` and X of shape (m, n)."""
    params = np.asarray(params, dtype=float)
    X = np.asarray(X, dtype=float)
    X = X[:, None] if X.ndim == 1 else X
    return params[0] + X @ params[1:]


def linear_model_cost(params, X, y) -> float:
    r"""Mean squared error of a multi-feature linear model,
    :math:`J = \frac1m \lVert b + X w - y \rVert^2`, ``params = [b, w_1, ..., w_n]``."""
    params, X, y = _check_model(params, X, y)
    r = params[0] + X @ params[1:] - y
    return float(r @ r / len(y))


def linear_model_grad(params, X, y):
    r"""Gradient of :func:`linear_model_cost`, with :math:`r = b + X w - y`:

    .. math:: \frac{\partial J}{\partial b} = \frac2m \sum_i r_i,\qquad
              \frac{\partial J}{\partial w} = \frac2m X^\top r

    Returns
    -------
    ndarray of shape (n+1,), bias first
    """
    params, X, y = _check_model(params, X, y)
    r = params[0] + X @ params[1:] - y
    m = len(y)
    return np.concatenate([[2.0 * r.sum() / m], 2.0 * (X.T @ r) / m])


# ---------------------------------------------------------------- bounding boxes
def _boxes(true_box, pred_box):
    t = np.asarray(true_box, dtype=float)
    p = np.asarray(pred_box, dtype=float)
    if t.shape[-1:] != (4,) or p.shape[-1:] != (4,):
        raise ValueError(f"boxes must have shape (..., 4) = (x, y, w, h), got shapes {t.shape} and {p.shape}")
    return t, p


def box_loss(true_box, pred_box):
    r"""The article's simplified localization loss,

    .. math:: L = (x-\hat x)^2 + (y-\hat y)^2 + (w-\hat w)^2 + (h-\hat h)^2

    (centre, then width and height). Boxes (..., 4) -> loss (...).
    """
    t, p = _boxes(true_box, pred_box)
    return np.sum((t - p) ** 2, axis=-1)


def box_loss_grad(true_box, pred_box):
    r"""Gradient of :func:`box_loss` with respect to the predicted box: :math:`2(\hat b - b)`, shape (..., 4)."""
    t, p = _boxes(true_box, pred_box)
    return 2.0 * (p - t)


def _check_sizes(t, p):
    if np.any(t[..., 2:] < 0) or np.any(p[..., 2:] < 0):
        raise ValueError("widths and heights must be >= 0 (the YOLO loss takes their square roots), got "
                     f"true {t[..., 2:].min():g} and predicted {p[..., 2:].min():g} as smallest")


def yolo_localization_loss(true_box, pred_box, lambda_coord=5.0):
    r"""Localization part of the YOLO v1 loss (Redmon et al., 2016) for one responsible box,

    .. math:: L = \lambda_{coord}[(x-\hat x)^2 + (y-\hat y)^2]
                + \lambda_{coord}[(\sqrt w-\sqrt{\hat w})^2 + (\sqrt h-\sqrt{\hat h})^2]

    The square roots make an error of a few pixels count more on a small box than on a big one.
    Boxes (..., 4) -> loss (...); ValueError for a negative width or height.
    """
    t, p = _boxes(true_box, pred_box)
    _check_sizes(t, p)
    centre = np.sum((t[..., :2] - p[..., :2]) ** 2, axis=-1)
    size = np.sum((np.sqrt(t[..., 2:]) - np.sqrt(p[..., 2:])) ** 2, axis=-1)
    return lambda_coord * (centre + size)


def yolo_localization_loss_grad(true_box, pred_box, lambda_coord=5.0):
    r"""Gradient of :func:`yolo_localization_loss` with respect to the predicted box, shape (..., 4):

    .. math:: \frac{\partial L}{\partial \hat x} = 2\lambda(\hat x - x),\qquad
              \frac{\partial L}{\partial \hat w} = \lambda\,\frac{\sqrt{\hat w}-\sqrt w}{\sqrt{\hat w}}

    Defined for predicted widths and heights > 0 (ValueError otherwise).
    """
    t, p = _boxes(true_box, pred_box)
    _check_sizes(t, p)
    if np.any(p[..., 2:] == 0):
        raise ValueError("the gradient of the YOLO loss needs predicted widths and heights > 0, got 0")
    sqrt_p = np.sqrt(p[..., 2:])
    d_centre = 2.0 * lambda_coord * (p[..., :2] - t[..., :2])
    d_size = lambda_coord * (sqrt_p - np.sqrt(t[..., 2:])) / sqrt_p
    return np.concatenate([d_centre, d_size], axis=-1)


def iou(box_a, box_b):
    r"""Intersection over union of centre-format boxes (..., 4) -> (...), in [0, 1].

    .. math:: \mathrm{IoU} = \frac{|A\cap B|}{|A| + |B| - |A\cap B|}\quad(0 \text{ when both are empty})
    """
    a, b = _boxes(box_a, box_b)
    a_lo, a_hi = a[..., :2] - a[..., 2:] / 2, a[..., :2] + a[..., 2:] / 2
    b_lo, b_hi = b[..., :2] - b[..., 2:] / 2, b[..., :2] + b[..., 2:] / 2
    overlap = np.clip(np.minimum(a_hi, b_hi) - np.maximum(a_lo, b_lo), 0.0, None)
    inter = overlap[..., 0] * overlap[..., 1]
    union = a[..., 2] * a[..., 3] + b[..., 2] * b[..., 3] - inter
    return np.divide(inter, union, out=np.zeros_like(inter), where=union > 0)


def yolo_v1_loss(pred, target, *, S, B, C, lambda_coord=5.0, lambda_noobj=0.5, rescore=True,
                 return_terms=False):
    r"""The full YOLO v1 loss (Redmon et al., CVPR 2016) of one image.

    .. math::
        L = \lambda_{coord}\sum_{i,j} 1^{obj}_{ij}[(x_i-\hat x_i)^2 + (y_i-\hat y_i)^2]
          + \lambda_{coord}\sum_{i,j} 1^{obj}_{ij}[(\sqrt{w_i}-\sqrt{\hat w_i})^2 + (\sqrt{h_i}-\sqrt{\hat h_i})^2]
          + \sum_{i,j} 1^{obj}_{ij}(C_i-\hat C_i)^2 + \lambda_{noobj}\sum_{i,j} 1^{noobj}_{ij}(C_i-\hat C_i)^2
          + \sum_i 1^{obj}_i \sum_c (p_i(c)-\hat p_i(c))^2

    ``i`` runs over the S×S cells, ``j`` over the B predicted boxes of a cell. In a cell holding an
    object (:math:`1^{obj}_i`), the *responsible* box (:math:`1^{obj}_{ij}`) is the predicted box with the
    highest IoU with the true box; every other box (:math:`1^{noobj}_{ij}`) is pushed to confidence 0.
    The confidence target of the responsible box is that IoU, as in the paper and darknet
    (``rescore=True``), or 1 (``rescore=False``, a common simplification).
    As in YOLO, x, y are offsets inside the cell and w, h fractions of the image, so IoUs are
    computed with the centres divided by S (the cell's offset cancels out).

    Parameters
    ----------
    pred : array_like of shape (S, S, B*5 + C)
        Per box ``(x, y, w, h, confidence)``, then C class probabilities.
    target : array_like of shape (S, S, 5 + C)
        ``(x, y, w, h, has_object)`` then the one-hot class.
    S, B, C : int
    lambda_coord, lambda_noobj : float, default 5 and 0.5
    rescore : bool, default True
    return_terms : bool, default False
        Return ``dict(xy=, wh=, obj=, noobj=, cls=, total=)`` instead of the total.

    Returns
    -------
    float or dict of float
    """
    pred = np.asarray(pred, dtype=float)
    target = np.asarray(target, dtype=float)
    if pred.shape != (S, S, B * 5 + C) or target.shape != (S, S, 5 + C):
        raise ValueError(f"expected pred of shape (S, S, B*5+C) = {(S, S, B * 5 + C)} and target of shape "
                         f"(S, S, 5+C) = {(S, S, 5 + C)}, got {pred.shape} and {target.shape}")
    boxes = pred[..., : B * 5].reshape(S, S, B, 5)               # (S, S, B, 5)
    true_box = target[..., :4]                                     # (S, S, 4)
    has_obj = target[..., 4] > 0                                   # (S, S)
    _check_sizes(true_box, boxes[..., :4])

    scale = np.array([1.0 / S, 1.0 / S, 1.0, 1.0])
    ious = iou(boxes[..., :4] * scale, (true_box * scale)[:, :, None, :])  # (S, S, B)
    best = np.argmax(ious, axis=-1)                                # (S, S)
    responsible = (np.arange(B) == best[..., None]) & has_obj[..., None]   # 1^obj_ij, (S, S, B)
    not_responsible = ~responsible                                 # 1^noobj_ij

    t = true_box[:, :, None, :]
    xy = lambda_coord * np.sum(responsible[..., None] * (t[..., :2] - boxes[..., :2]) ** 2)
    wh = lambda_coord * np.sum(responsible[..., None] * (np.sqrt(t[..., 2:]) - np.sqrt(boxes[..., 2:4])) ** 2)
    conf = boxes[..., 4]
    conf_target = ious if rescore else 1.0
    obj = np.sum(responsible * (conf_target - conf) ** 2)
    noobj = lambda_noobj * np.sum(not_responsible * conf**2)
    cls = np.sum(has_obj[..., None] * (target[..., 5:] - pred[..., B * 5:]) ** 2)
    total = xy + wh + obj + noobj + cls
    if return_terms:
        return {k: float(v) for k, v in dict(xy=xy, wh=wh, obj=obj, noobj=noobj, cls=cls, total=total).items()}
    return float(total)
