"""Checks of Lab 1 · Losses and costs.

Each ``check_<name>(fn)`` runs the student's function on ordinary and edge cases, compares with the
course's reference (:mod:`utils.costs`, :mod:`utils.landscape`) and names the usual mistakes.
"""

from __future__ import annotations

import numpy as np

from .. import costs, landscape
from . import Case, Mistake, run_check

__all__ = [
    "check_squared_loss",
    "check_cost",
    "check_box_loss",
    "check_yolo_localization_loss",
    "check_cost_grid",
]

_rng = np.random.default_rng(2024)
_Y = np.array([3.0, -1.0, 2.5, 0.0])
_P = np.array([2.0, 1.0, 2.5, -0.5])
_Y_BIG = _rng.normal(0.0, 3.0, 50)
_P_BIG = _Y_BIG + _rng.normal(0.0, 1.0, 50)


# ---------------------------------------------------------------- squared loss
def check_squared_loss(fn):
    """Check ``squared_loss(y, y_hat)``: the elementwise squared difference."""
    cases = [
        Case("one example, y = 3, ŷ = 1", args=(3.0, 1.0), expected=4.0),
        Case("prediction above the truth (the sign must not matter)", args=(1.0, 4.0), expected=9.0),
        Case("four examples: one loss per example", args=(_Y, _P), expected=costs.squared_loss(_Y, _P)),
        Case("fifty examples", args=(_Y_BIG, _P_BIG), expected=costs.squared_loss(_Y_BIG, _P_BIG)),
    ]
    mistakes = [
        Mistake("the difference is not squared: the loss must be (y - ŷ)², not |y - ŷ|",
                lambda y, p: np.abs(np.asarray(y) - np.asarray(p))),
        Mistake("the difference is not squared (and can be negative): square y - ŷ",
                lambda y, p: np.asarray(y) - np.asarray(p)),
        Mistake("squares in the wrong place: square the difference, (y - ŷ)², not y² - ŷ²",
                lambda y, p: np.asarray(y, dtype=float) ** 2 - np.asarray(p, dtype=float) ** 2),
        Mistake("the losses are summed: squared_loss must return one loss per example (no sum, no mean)",
                lambda y, p: np.sum((np.asarray(y) - np.asarray(p)) ** 2)),
        Mistake("the losses are averaged: squared_loss must return one loss per example (the mean comes in `cost`)",
                lambda y, p: np.mean((np.asarray(y) - np.asarray(p)) ** 2)),
    ]
    return run_check("squared_loss", fn, cases, mistakes, hint="compute (y - y_hat) ** 2 with numpy arrays.")


# ---------------------------------------------------------------- cost
def check_cost(fn):
    """Check ``cost(y, y_hat)``: the mean of the squared losses, a float."""
    y2, p2 = np.array([1.0, 2.0]), np.array([0.0, 0.0])
    cases = [
        Case("residuals of both signs", args=(np.array([1.0, -1.0, 3.0]), np.array([0.0, 0.0, 0.0])),
             expected=11.0 / 3.0),
        Case("two examples with losses 1 and 4", args=(y2, p2), expected=2.5),
        Case("four examples", args=(_Y, _P), expected=costs.mse_cost(_Y, _P)),
        Case("fifty examples", args=(_Y_BIG, _P_BIG), expected=costs.mse_cost(_Y_BIG, _P_BIG)),
        Case("a single example (the cost is its loss)", args=(np.array([2.0]), np.array([5.0])), expected=9.0),
    ]
    mistakes = [
        Mistake("the mean is missing: the cost divides the sum of the losses by m",
                lambda y, p: float(np.sum((y - p) ** 2))),
        Mistake("squares in the wrong place: average the squared residuals, not square the average residual",
                lambda y, p: float(np.mean(y - p) ** 2)),
        Mistake("a square root was taken: that is the RMSE; the cost is the mean of the squared losses",
                lambda y, p: float(np.sqrt(np.mean((y - p) ** 2)))),
        Mistake("divided by m - 1: the cost is the plain average over the m examples",
                lambda y, p: float(np.sum((y - p) ** 2) / (len(y) - 1))),
        Mistake("the residuals are not squared: the cost averages (y - ŷ)², not |y - ŷ|",
                lambda y, p: float(np.mean(np.abs(y - p)))),
    ]
    return run_check("cost", fn, cases, mistakes, hint="the cost is the mean of the squared losses.")


# ---------------------------------------------------------------- boxes
_T1 = np.array([0.50, 0.50, 0.40, 0.30])
_B1 = np.array([0.55, 0.45, 0.50, 0.20])
_TB = np.array([[0.5, 0.5, 0.4, 0.3], [0.2, 0.7, 0.1, 0.1], [0.6, 0.4, 0.8, 0.6]])
_PB = np.array([[0.5, 0.5, 0.4, 0.3], [0.25, 0.65, 0.15, 0.2], [0.5, 0.5, 0.6, 0.9]])


def _box_mistakes():
    return [
        Mistake("width and height are left out: the loss adds (w - ŵ)² + (h - ĥ)² to the centre terms",
                lambda t, p: np.sum((np.asarray(t)[..., :2] - np.asarray(p)[..., :2]) ** 2, axis=-1)),
        Mistake("squares in the wrong place: square each coordinate's difference, then add",
                lambda t, p: np.sum(np.asarray(t) - np.asarray(p), axis=-1) ** 2),
        Mistake("the differences are not squared: use (x - x̂)², not |x - x̂|",
                lambda t, p: np.sum(np.abs(np.asarray(t) - np.asarray(p)), axis=-1)),
        Mistake("square root taken: the loss is the sum of squares, not the distance between the box vectors",
                lambda t, p: np.sqrt(np.sum((np.asarray(t) - np.asarray(p)) ** 2, axis=-1))),
        Mistake("summed over every axis: sum over the last axis only (one loss per box)",
                lambda t, p: np.sum((np.asarray(t) - np.asarray(p)) ** 2)),
    ]


def check_box_loss(fn):
    """Check ``box_loss(true_box, pred_box)``: the article's simplified localization loss."""
    cases = [
        Case("a perfect prediction has loss 0", args=(_T1, _T1), expected=0.0),
        Case("one box", args=(_T1, _B1), expected=costs.box_loss(_T1, _B1)),
        Case("errors of both signs", args=(_T1, np.array([0.45, 0.55, 0.35, 0.40])),
             expected=costs.box_loss(_T1, np.array([0.45, 0.55, 0.35, 0.40]))),
        Case("three boxes at once, shape (3, 4): one loss per box", args=(_TB, _PB), expected=costs.box_loss(_TB, _PB)),
    ]
    return run_check("box_loss", fn, cases, _box_mistakes(),
                     hint="compute (x - x̂)² + (y - ŷ)² + (w - ŵ)² + (h - ĥ)² with sums over the last axis.")


def check_yolo_localization_loss(fn):
    """Check ``yolo_localization_loss(true_box, pred_box, lambda_coord=5.0)`` (YOLO v1's box terms)."""
    ref = costs.yolo_localization_loss
    small_t, small_p = np.array([0.5, 0.5, 0.04, 0.04]), np.array([0.5, 0.5, 0.09, 0.09])
    cases = [
        Case("a perfect prediction has loss 0", args=(_T1, _T1), expected=0.0),
        Case("one box", args=(_T1, _B1), expected=ref(_T1, _B1)),
        Case("a small box with wrong size only", args=(small_t, small_p), expected=ref(small_t, small_p)),
        Case("lambda_coord = 1", args=(_T1, _B1), kwargs={"lambda_coord": 1.0}, expected=ref(_T1, _B1, 1.0)),
        Case("three boxes at once, shape (3, 4)", args=(_TB, _PB), expected=ref(_TB, _PB)),
    ]

    def no_sqrt(t, p, lambda_coord=5.0):
        return lambda_coord * costs.box_loss(t, p)

    def no_lambda(t, p, lambda_coord=5.0):
        return ref(t, p, 1.0)

    def lambda_centre_only(t, p, lambda_coord=5.0):
        t, p = np.asarray(t), np.asarray(p)
        centre = np.sum((t[..., :2] - p[..., :2]) ** 2, axis=-1)
        size = np.sum((np.sqrt(t[..., 2:]) - np.sqrt(p[..., 2:])) ** 2, axis=-1)
        return lambda_coord * centre + size

    def sqrt_of_difference(t, p, lambda_coord=5.0):
        t, p = np.asarray(t), np.asarray(p)
        centre = np.sum((t[..., :2] - p[..., :2]) ** 2, axis=-1)
        size = np.sum(np.abs(t[..., 2:] - p[..., 2:]), axis=-1)  # (sqrt|w - ŵ|)² = |w - ŵ|
        return lambda_coord * (centre + size)

    def sqrt_on_centre_too(t, p, lambda_coord=5.0):
        t, p = np.asarray(t), np.asarray(p)
        return lambda_coord * np.sum((np.sqrt(t) - np.sqrt(p)) ** 2, axis=-1)

    mistakes = [
        Mistake("no square roots on width and height: YOLO compares √w with √ŵ and √h with √ĥ", no_sqrt),
        Mistake("lambda_coord is missing: both the centre and the size terms are multiplied by lambda_coord",
                no_lambda),
        Mistake("lambda_coord multiplies only the centre terms: in YOLO v1 it weights the size terms too",
                lambda_centre_only),
        Mistake("square root of the difference: take √w - √ŵ (difference of roots), not √(w - ŵ)",
                sqrt_of_difference),
        Mistake("square roots on the centre too: only width and height get square roots", sqrt_on_centre_too),
    ]
    return run_check("yolo_localization_loss", fn, cases, mistakes,
                     hint="λ[(x - x̂)² + (y - ŷ)²] + λ[(√w - √ŵ)² + (√h - √ĥ)²], sums over the last axis.")


# ---------------------------------------------------------------- landscape grid
def check_cost_grid(fn):
    """Check ``cost_grid(x, y, b_values, w_values)``: J over a grid, rows = w, columns = b."""
    rng = np.random.default_rng(7)
    x = rng.normal(0.0, 2.0, 30)
    y = 1.5 - 2.0 * x + rng.normal(0.0, 1.0, 30)
    b3, w4 = np.array([-1.0, 0.0, 2.0]), np.array([-3.0, -2.0, 0.5, 1.0])
    b50, w40 = np.linspace(-5, 5, 50), np.linspace(-4, 4, 40)
    x1, y1 = np.array([1.0]), np.array([2.0])
    ref = landscape.linear_cost_grid
    cases = [
        Case("a 4 × 3 grid (4 values of w, 3 of b)", args=(x, y, b3, w4), expected=ref(x, y, b3, w4)),
        Case("one example, grid b = [0, 1], w = [2]", args=(x1, y1, np.array([0.0, 1.0]), np.array([2.0])),
             expected=np.array([[0.0, 1.0]])),
        Case("a 40 × 50 grid", args=(x, y, b50, w40), expected=ref(x, y, b50, w40)),
    ]

    def transposed(x, y, b, w):
        return ref(x, y, b, w).T

    def diagonal(x, y, b, w):
        k = min(len(b), len(w))
        return np.array([costs.linear_cost(b[i], w[i], x, y) for i in range(k)])

    def summed(x, y, b, w):
        return ref(x, y, b, w) * len(x)

    def residual_sign(x, y, b, w):
        B, W = np.meshgrid(b, w)
        r = B[..., None] + W[..., None] * x - y
        return np.mean(r, axis=-1) ** 2

    mistakes = [
        Mistake("rows and columns swapped: J[i, j] must be the cost at (b_values[j], w_values[i]) "
                "(rows follow w, so ax.contour(b_values, w_values, J) works)", transposed),
        Mistake("a loop that ignores the grid's shape: pairs (b_values[i], w_values[i]) give one line, not a grid; "
                "the result must have shape (len(w_values), len(b_values))", diagonal),
        Mistake("the mean is missing: each grid value is the mean of the squared residuals, not their sum", summed),
        Mistake("squares in the wrong place: average the squared residuals, not square the average residual",
                residual_sign),
    ]
    return run_check("cost_grid", fn, cases, mistakes,
                     hint="use np.meshgrid(b_values, w_values) (rows = w) and broadcast over a last axis of examples.")
