"""Lab 1's checks: the reference passes, each known mistake is named, an unfinished exercise is 'not done yet'."""
import numpy as np
import pytest

from utils import costs, landscape
from utils.checks import lab01


def _raise(*args, **kwargs):
    raise NotImplementedError()


def ref_cost_grid(x, y, b_values, w_values):
    B, W = np.meshgrid(b_values, w_values)
    return np.mean((B[..., None] + W[..., None] * x - y) ** 2, axis=-1)


REFERENCES = {
    "check_squared_loss": costs.squared_loss,
    "check_cost": costs.mse_cost,
    "check_box_loss": costs.box_loss,
    "check_yolo_localization_loss": costs.yolo_localization_loss,
    "check_cost_grid": ref_cost_grid,
}


@pytest.mark.parametrize("check, reference", REFERENCES.items())
def test_reference_passes(check, reference):
    result = getattr(lab01, check)(reference)
    assert result.passed and result.done, repr(result)
    assert "all" in repr(result) and "passed" in repr(result)


def test_library_landscape_passes():
    assert lab01.check_cost_grid(landscape.linear_cost_grid).passed


@pytest.mark.parametrize("check", REFERENCES)
def test_not_implemented_is_not_done(check):
    result = getattr(lab01, check)(_raise)
    assert not result.passed and not result.done
    assert "not done yet" in repr(result)


def _y(y, p):
    return np.asarray(y, dtype=float), np.asarray(p, dtype=float)


MISTAKES = [
    ("check_squared_loss", lambda y, p: np.abs(_y(y, p)[0] - _y(y, p)[1]), "not squared"),
    ("check_squared_loss", lambda y, p: _y(y, p)[0] ** 2 - _y(y, p)[1] ** 2, "squares in the wrong place"),
    ("check_squared_loss", lambda y, p: np.sum((_y(y, p)[0] - _y(y, p)[1]) ** 2), "summed"),
    ("check_squared_loss", lambda y, p: np.mean((_y(y, p)[0] - _y(y, p)[1]) ** 2), "averaged"),
    ("check_cost", lambda y, p: float(np.sum((y - p) ** 2)), "mean is missing"),
    ("check_cost", lambda y, p: float(np.mean(y - p) ** 2), "squares in the wrong place"),
    ("check_cost", lambda y, p: float(np.sqrt(np.mean((y - p) ** 2))), "RMSE"),
    ("check_cost", lambda y, p: float(np.sum((y - p) ** 2) / (len(y) - 1)), "m - 1"),
    ("check_box_loss", lambda t, p: np.sum((t[..., :2] - p[..., :2]) ** 2, axis=-1), "width and height"),
    ("check_box_loss", lambda t, p: np.sum(t - p, axis=-1) ** 2, "squares in the wrong place"),
    ("check_box_loss", lambda t, p: np.sum((t - p) ** 2), "last axis"),
    ("check_yolo_localization_loss", lambda t, p, lambda_coord=5.0: lambda_coord * np.sum((t - p) ** 2, axis=-1),
     "no square roots on width and height"),
    ("check_yolo_localization_loss", lambda t, p, lambda_coord=5.0: costs.yolo_localization_loss(t, p, 1.0),
     "lambda_coord is missing"),
    ("check_yolo_localization_loss",
     lambda t, p, lambda_coord=5.0: lambda_coord * np.sum((np.sqrt(t) - np.sqrt(p)) ** 2, axis=-1),
     "square roots on the centre"),
    ("check_cost_grid", lambda x, y, b, w: ref_cost_grid(x, y, b, w).T, "rows and columns swapped"),
    ("check_cost_grid",
     lambda x, y, b, w: np.array([np.mean((b[i] + w[i] * x - y) ** 2) for i in range(min(len(b), len(w)))]),
     "ignores the grid's shape"),
    ("check_cost_grid", lambda x, y, b, w: ref_cost_grid(x, y, b, w) * len(x), "mean is missing"),
]


@pytest.mark.parametrize("check, wrong, words", MISTAKES, ids=[f"{c}-{w}" for c, _, w in MISTAKES])
def test_mistake_is_named(check, wrong, words):
    result = getattr(lab01, check)(wrong)
    assert not result.passed and result.done
    assert result.mistake is not None and words in result.mistake, repr(result)


def test_loop_version_of_cost_grid_passes():
    """A correct (if slow) double loop is accepted: the check is about results, not style."""
    def loop(x, y, b_values, w_values):
        J = np.empty((len(w_values), len(b_values)))
        for i, w in enumerate(w_values):
            for j, b in enumerate(b_values):
                J[i, j] = np.mean((b + w * x - y) ** 2)
        return J
    assert lab01.check_cost_grid(loop).passed


def test_exception_in_student_code_is_reported_in_words():
    def broken(y, y_hat):
        return y.nonexistent
    result = lab01.check_cost(broken)
    assert not result.passed and "raised AttributeError" in repr(result)
