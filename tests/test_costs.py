"""Tests of utils.costs: values by hand, gradients against finite differences, the YOLO v1 loss terms."""
import numpy as np
import pytest

from utils.costs import (box_loss, box_loss_grad, iou, linear_cost, linear_cost_grad, linear_model_cost,
                         linear_model_grad, linear_model_predict, linear_predict, mse_cost, squared_loss,
                         yolo_localization_loss, yolo_localization_loss_grad, yolo_v1_loss)

try:
    from tests.helpers_numeric import numerical_gradient, numerical_gradient_lastaxis
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from helpers_numeric import numerical_gradient, numerical_gradient_lastaxis

rng = np.random.default_rng(0)


# ---------------------------------------------------------------- squared loss and the line
def test_squared_loss_and_cost_by_hand():
    np.testing.assert_allclose(squared_loss([1.0, 2.0, 3.0], [1.5, 2.0, 1.0]), [0.25, 0.0, 4.0])
    assert mse_cost([1.0, 2.0, 3.0], [1.5, 2.0, 1.0]) == pytest.approx(4.25 / 3)
    assert isinstance(mse_cost([1.0], [2.0]), float)
    np.testing.assert_allclose(squared_loss(np.zeros((2, 1)), np.arange(3.0)), [[0, 1, 4], [0, 1, 4]])


def test_linear_cost_by_hand():
    x, y = np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0, 2.0])
    np.testing.assert_allclose(linear_predict(x, 1.0, 0.5), [1.0, 1.5, 2.0])
    # residuals 0, -0.5, 0 -> J = 0.25 / 3; grads (2/3)(-0.5), (2/3)(-0.5 * 1)
    assert linear_cost(1.0, 0.5, x, y) == pytest.approx(0.25 / 3)
    db, dw = linear_cost_grad(1.0, 0.5, x, y)
    assert (db, dw) == pytest.approx((-1 / 3, -1 / 3))
    assert isinstance(linear_cost(1.0, 0.5, x, y), float)


def test_linear_cost_broadcasts_over_parameter_arrays():
    x, y = rng.normal(size=50), rng.normal(size=50)
    b, w = np.linspace(-1, 1, 4)[None, :], np.linspace(-2, 2, 3)[:, None]
    J = linear_cost(b, w, x, y)
    assert J.shape == (3, 4)
    assert J[1, 2] == pytest.approx(linear_cost(b[0, 2], w[1, 0], x, y))
    db, dw = linear_cost_grad(b, w, x, y)
    assert db.shape == dw.shape == (3, 4)


def test_linear_cost_grad_matches_finite_differences():
    x, y = rng.normal(size=30), rng.normal(size=30)
    for b, w in rng.uniform(-4, 4, size=(5, 2)):
        num = numerical_gradient(lambda p: linear_cost(p[0], p[1], x, y), [b, w])
        np.testing.assert_allclose(linear_cost_grad(b, w, x, y), num, rtol=1e-6, atol=1e-8)


def test_linear_cost_rejects_mismatched_data():
    with pytest.raises(ValueError, match="x and y must be 1-D of the same length"):
        linear_cost(0.0, 1.0, np.zeros(3), np.zeros(4))


def test_linear_model_cost_and_grad():
    X, y = rng.normal(size=(40, 3)), rng.normal(size=40)
    params = rng.normal(size=4)
    r = params[0] + X @ params[1:] - y
    assert linear_model_cost(params, X, y) == pytest.approx(np.mean(r**2))
    np.testing.assert_allclose(linear_model_predict(params, X), r + y)
    num = numerical_gradient(lambda p: linear_model_cost(p, X, y), params)
    np.testing.assert_allclose(linear_model_grad(params, X, y), num, rtol=1e-6, atol=1e-8)


def test_linear_model_agrees_with_the_line_for_one_feature():
    x, y = rng.normal(size=20), rng.normal(size=20)
    assert linear_model_cost([0.3, -1.2], x, y) == pytest.approx(linear_cost(0.3, -1.2, x, y))
    np.testing.assert_allclose(linear_model_grad([0.3, -1.2], x, y), linear_cost_grad(0.3, -1.2, x, y))


def test_linear_model_rejects_wrong_shapes():
    with pytest.raises(ValueError, match=r"params must have shape \(n\+1,\) = \(4,\)"):
        linear_model_cost(np.zeros(3), np.zeros((5, 3)), np.zeros(5))
    with pytest.raises(ValueError, match="X must be"):
        linear_model_grad(np.zeros(4), np.zeros((5, 3)), np.zeros(4))


# ---------------------------------------------------------------- boxes
def random_boxes(shape):
    centre = rng.uniform(0, 1, size=shape + (2,))
    size = rng.uniform(0.05, 1, size=shape + (2,))
    return np.concatenate([centre, size], axis=-1)


def test_box_loss_by_hand():
    t, p = [0.5, 0.5, 0.2, 0.3], [0.4, 0.6, 0.25, 0.3]
    assert box_loss(t, p) == pytest.approx(0.01 + 0.01 + 0.0025)
    np.testing.assert_allclose(box_loss_grad(t, p), [-0.2, 0.2, 0.1, 0.0])


def test_yolo_localization_loss_by_hand():
    # true w = 0.25, h = 0.16; predicted w = 0.36, h = 0.16: sqrt terms (0.5 - 0.6)^2 = 0.01
    t, p = [0.5, 0.5, 0.25, 0.16], [0.6, 0.5, 0.36, 0.16]
    assert yolo_localization_loss(t, p) == pytest.approx(5 * (0.01 + 0.01))
    assert yolo_localization_loss(t, p, lambda_coord=1.0) == pytest.approx(0.02)
    # d/dŵ = λ(√ŵ - √w)/√ŵ = 5 * 0.1 / 0.6
    np.testing.assert_allclose(yolo_localization_loss_grad(t, p), [1.0, 0.0, 5 * 0.1 / 0.6, 0.0])


def test_yolo_loss_weighs_small_boxes_more():
    big = yolo_localization_loss([0, 0, 0.8, 0.8], [0, 0, 0.85, 0.8])
    small = yolo_localization_loss([0, 0, 0.05, 0.05], [0, 0, 0.10, 0.05])
    assert small > 5 * big              # the same 0.05 error hurts a small box much more
    assert box_loss([0, 0, 0.8, 0.8], [0, 0, 0.85, 0.8]) == pytest.approx(
        box_loss([0, 0, 0.05, 0.05], [0, 0, 0.10, 0.05]))


@pytest.mark.parametrize("shape", [(), (7,), (3, 5)])
def test_box_gradients_match_finite_differences(shape):
    t, p = random_boxes(shape), random_boxes(shape)
    for loss, grad in [(box_loss, box_loss_grad), (yolo_localization_loss, yolo_localization_loss_grad)]:
        assert loss(t, p).shape == shape
        num = numerical_gradient_lastaxis(lambda q: loss(t, q), p)
        np.testing.assert_allclose(grad(t, p), num, rtol=1e-5, atol=1e-7)


def test_yolo_localization_rejects_negative_sizes():
    with pytest.raises(ValueError, match="widths and heights must be >= 0"):
        yolo_localization_loss([0, 0, 0.2, 0.2], [0, 0, -0.1, 0.2])
    with pytest.raises(ValueError, match="widths and heights must be >= 0"):
        yolo_localization_loss_grad([0, 0, -0.2, 0.2], [0, 0, 0.1, 0.2])
    with pytest.raises(ValueError, match="predicted widths and heights > 0"):
        yolo_localization_loss_grad([0, 0, 0.2, 0.2], [0, 0, 0.0, 0.2])
    with pytest.raises(ValueError, match=r"shape \(\.\.\., 4\)"):
        box_loss([0, 0, 1], [0, 0, 1])


# ---------------------------------------------------------------- IoU
def test_iou_by_hand():
    assert iou([0, 0, 2, 2], [0, 0, 2, 2]) == pytest.approx(1.0)
    assert iou([0, 0, 2, 2], [1, 0, 2, 2]) == pytest.approx(2 / 6)      # overlap 1x2, union 8-2
    assert iou([0, 0, 1, 1], [5, 5, 1, 1]) == 0.0
    assert iou([0, 0, 0, 0], [0, 0, 0, 0]) == 0.0
    assert iou(random_boxes((4, 3)), random_boxes((3,))).shape == (4, 3)


# ---------------------------------------------------------------- full YOLO v1 loss
def yolo_example():
    """S=2, B=2, C=3 with one object in cell (0, 1); all numbers chosen by hand."""
    S, B, C = 2, 2, 3
    pred = np.zeros((S, S, B * 5 + C))
    target = np.zeros((S, S, 5 + C))
    target[0, 1] = [0.5, 0.5, 0.25, 0.25, 1, 0, 1, 0]                 # object of class 1
    pred[0, 1, 0:5] = [0.5, 0.5, 0.25, 0.25, 0.8]                     # box 0: perfect, IoU 1
    pred[0, 1, 5:10] = [0.9, 0.1, 0.04, 0.04, 0.6]                    # box 1: far away
    pred[0, 1, 10:] = [0.1, 0.7, 0.2]
    pred[1, 0, 4] = 0.3                                               # empty cell, box 0 confidence
    return pred, target, S, B, C


def test_yolo_v1_loss_terms_by_hand():
    pred, target, S, B, C = yolo_example()
    terms = yolo_v1_loss(pred, target, S=S, B=B, C=C, return_terms=True)
    assert terms["xy"] == pytest.approx(0.0)
    assert terms["wh"] == pytest.approx(0.0)
    assert terms["obj"] == pytest.approx((1.0 - 0.8) ** 2)             # target = IoU = 1
    assert terms["noobj"] == pytest.approx(0.5 * (0.6**2 + 0.3**2))    # box 1 of the object cell + empty cell
    assert terms["cls"] == pytest.approx(0.1**2 + 0.3**2 + 0.2**2)
    assert terms["total"] == pytest.approx(sum(v for k, v in terms.items() if k != "total"))
    assert yolo_v1_loss(pred, target, S=S, B=B, C=C) == pytest.approx(terms["total"])


def test_yolo_v1_responsible_box_is_the_best_iou_and_localization_is_weighted():
    pred, target, S, B, C = yolo_example()
    pred[0, 1, 0:4] = [0.6, 0.5, 0.36, 0.25]          # box 0 still overlaps best, now off by 0.1 / sqrt 0.1
    terms = yolo_v1_loss(pred, target, S=S, B=B, C=C, return_terms=True)
    assert terms["xy"] == pytest.approx(5 * 0.01)
    assert terms["wh"] == pytest.approx(5 * 0.01)
    box = iou([0.6 / S, 0.5 / S, 0.36, 0.25], [0.5 / S, 0.5 / S, 0.25, 0.25])
    assert terms["obj"] == pytest.approx((box - 0.8) ** 2)
    plain = yolo_v1_loss(pred, target, S=S, B=B, C=C, rescore=False, return_terms=True)
    assert plain["obj"] == pytest.approx((1 - 0.8) ** 2)
    # swap the boxes: now box 1 is responsible and box 0's confidence goes to the no-object term
    pred[0, 1, 0:10] = np.r_[pred[0, 1, 5:10], pred[0, 1, 0:5]]
    swapped = yolo_v1_loss(pred, target, S=S, B=B, C=C, return_terms=True)
    assert swapped["xy"] == pytest.approx(terms["xy"])
    assert swapped["noobj"] == pytest.approx(terms["noobj"])


def test_yolo_v1_loss_is_zero_for_a_perfect_prediction():
    pred, target, S, B, C = yolo_example()
    pred[0, 1, 4], pred[0, 1, 9], pred[1, 0, 4] = 1.0, 0.0, 0.0
    pred[0, 1, 10:] = [0, 1, 0]
    assert yolo_v1_loss(pred, target, S=S, B=B, C=C) == pytest.approx(0.0)


def test_yolo_v1_loss_rejects_wrong_shapes():
    pred, target, S, B, C = yolo_example()
    with pytest.raises(ValueError, match=r"expected pred of shape \(S, S, B\*5\+C\) = \(2, 2, 13\)"):
        yolo_v1_loss(pred[..., :-1], target, S=S, B=B, C=C)
